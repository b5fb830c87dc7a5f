import { describe, expect, it } from "vitest";
import type { Issue } from "../../graph";
import { chosen, celLiteral, inputShape, textFix } from "./inputShape";

const issue = (code: string): Issue => ({ code, message: "", node: "n", field: "inputs.x", hint: null });

const LINE = {
  type: "object",
  required: ["sku", "quantity"],
  properties: {
    sku: { type: "string", minLength: 1 },
    price: { anyOf: [{ type: "number" }, { type: "null" }], default: null },
    quantity: { type: "integer", minimum: 1 },
  },
};

describe("inputShape", () => {
  it("offers an enum's values as CEL literals, with its default", () => {
    const shape = inputShape({ type: "string", enum: ["billing", "technical"], default: "general" });
    expect(shape.choices).toEqual([
      { label: "billing", cel: '"billing"' },
      { label: "technical", cel: '"technical"' },
    ]);
    expect(shape.defaultCel).toBe('"general"');
    expect(shape.typeLabel).toBe("string");
  });

  it("reads a nullable anyOf as its one type, and a boolean as true or false", () => {
    expect(inputShape({ anyOf: [{ type: "string", maxLength: 9 }, { type: "null" }], default: null })).toEqual({
      typeLabel: "string",
      takesText: true,
      choices: [],
    });
    expect(inputShape({ type: "boolean", default: false }).choices.map((choice) => choice.cel)).toEqual(["true", "false"]);
    expect(inputShape({ oneOf: [{ type: "string" }, { type: "integer" }] }).typeLabel).toBe("string or integer");
  });

  it("gives a list of objects its fields and a template of its required ones", () => {
    const shape = inputShape({ type: "array", items: LINE });
    expect(shape.typeLabel).toBe("list of objects");
    expect(shape.fields).toBe("sku, quantity; optional: price");
    expect(shape.template).toBe('[{"sku": "", "quantity": 1}]');
    const strings = inputShape({ type: "array", items: { type: "string" } });
    expect(strings.typeLabel).toBe("list of strings");
    expect(strings.template).toBeUndefined();
  });

  it("gives a nested object a template with its nested objects filled in", () => {
    const shape = inputShape({
      anyOf: [{ type: "object", required: ["to", "lines"], properties: { to: { type: "object", properties: { city: { type: "string" } } }, lines: { type: "array", items: LINE } } }, { type: "null" }],
    });
    expect(shape.typeLabel).toBe("object");
    expect(shape.template).toBe('{"to": {"city": ""}, "lines": [{"sku": "", "quantity": 1}]}');
    expect(shape.fields).toBe("to, lines");
  });

  it("says nothing it does not know when there is no schema", () => {
    expect(inputShape(undefined)).toEqual({ typeLabel: "", takesText: true, choices: [] });
    expect(inputShape({})).toEqual({ typeLabel: "", takesText: true, choices: [] });
  });
});

describe("textFix", () => {
  const text = inputShape({ type: "string" });
  it("quotes plain text the validator could not read as an expression", () => {
    expect(textFix("billing", text, [issue("unknown_reference")])).toBe('"billing"');
    expect(textFix('Hello "you" there', text, [issue("expression_error")])).toBe('"Hello \\"you\\" there"');
  });

  it("offers nothing for other problems, literals already quoted, or inputs that take no text", () => {
    expect(textFix("billing", text, [])).toBeNull();
    expect(textFix("order.total", text, [issue("type_mismatch")])).toBeNull();
    expect(textFix('"billing', text, [issue("expression_error")])).toBeNull();
    expect(textFix("five", inputShape({ type: "integer" }), [issue("unknown_reference")])).toBeNull();
  });

  it("quotes a listed value only", () => {
    const queue = inputShape({ type: "string", enum: ["billing", "general"] });
    expect(textFix("billing", queue, [issue("unknown_reference")])).toBe('"billing"');
    expect(textFix("sales", queue, [issue("unknown_reference")])).toBeNull();
  });
});

describe("chosen", () => {
  it("finds the choice the field holds, in either quote", () => {
    const queue = inputShape({ enum: ["billing", "general"] });
    expect(chosen('"general"', queue)?.label).toBe("general");
    expect(chosen(" 'billing' ", queue)?.label).toBe("billing");
    expect(chosen("input.queue", queue)).toBeUndefined();
    expect(celLiteral(undefined)).toBe("null");
  });
});
