import type { RJSFSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { describe, expect, it } from "vitest";
import { echoesTitle, fieldOrder, inputInFormOrder, isFewChoices, keyTitle, plainErrors, withKeyTitles, withRequiredLists } from "./jsonSchema";

const list: RJSFSchema = { type: "array", items: { type: "string" } };

function errorsOf(schema: RJSFSchema, data: unknown) {
  const shaped = withRequiredLists(schema);
  return plainErrors(validator.validateFormData(data, shaped).errors).map((e) => `${e.property}: ${e.message}`);
}

describe("a required list", () => {
  it("needs at least one item; an optional one may be empty", () => {
    const schema: RJSFSchema = { type: "object", required: ["emails"], properties: { emails: list, cc: list } };
    expect(errorsOf(schema, { emails: [], cc: [] })).toEqual([".emails: Give at least 1 item."]);
    expect(errorsOf(schema, { emails: ["a@example.com"], cc: [] })).toEqual([]);
  });

  it("keeps its own minItems and counts in nested objects", () => {
    const schema: RJSFSchema = {
      type: "object",
      required: ["lines", "maybe"],
      properties: {
        lines: { ...list, minItems: 2 },
        maybe: { ...list, minItems: 0 },
        order: { type: "object", required: ["skus"], properties: { skus: list } },
      },
    };
    expect(errorsOf(schema, { lines: ["a"], maybe: [], order: { skus: [] } })).toEqual([
      ".lines: Give at least 2 items.",
      ".order.skus: Give at least 1 item.",
    ]);
  });

  it("leaves the schema it was given alone", () => {
    const schema: RJSFSchema = { type: "object", required: ["emails"], properties: { emails: list } };
    withRequiredLists(schema);
    expect(schema.properties?.emails).toEqual(list);
  });
});

describe("field titles", () => {
  it("read a key without a title as words and keep the titles given", () => {
    const shaped = withKeyTitles({
      type: "object",
      properties: {
        refund_amount: { type: "number" },
        reason: { type: "string", title: "Why" },
        lines: { type: "array", items: { type: "object", properties: { unit_price: { type: "number" } } } },
      },
    });
    const properties = shaped.properties as Record<string, RJSFSchema>;
    expect(properties.refund_amount.title).toBe("Refund amount");
    expect(properties.reason.title).toBe("Why");
    expect(((properties.lines.items as RJSFSchema).properties?.unit_price as RJSFSchema).title).toBe("Unit price");
  });

  it("write initialisms in capitals, as people do (a run form asked for a \"Url\")", () => {
    expect(keyTitle("url")).toBe("URL");
    expect(keyTitle("order_id")).toBe("Order ID");
    expect(keyTitle("callback_urls")).toBe("Callback URLs");
    expect(keyTitle("sku")).toBe("SKU");
    expect(keyTitle("sms_text")).toBe("SMS text");
    expect(keyTitle("vat_id")).toBe("VAT ID");
    // words that only start like one stay words; a key written in capitals keeps them
    expect(keyTitle("identity")).toBe("Identity");
    expect(keyTitle("idea")).toBe("Idea");
    expect(keyTitle("customerId")).toBe("CustomerId");
    expect(keyTitle("refund_amount")).toBe("Refund amount");
    // an id in a description that only repeats the title is still an echo
    const shaped = withKeyTitles({ type: "object", properties: { order_id: { type: "string", description: "Order id." } } });
    expect((shaped.properties?.order_id as RJSFSchema).title).toBe("Order ID");
    expect((shaped.properties?.order_id as RJSFSchema).description).toBeUndefined();
  });

  it("are not said twice by a description that only repeats them", () => {
    const shaped = withKeyTitles({
      type: "object",
      properties: {
        refund_amount: { type: "number", description: "Refund amount" },
        reason: { type: "string", title: "Why", description: "Why the refund is given." },
      },
    });
    const properties = shaped.properties as Record<string, RJSFSchema>;
    expect(properties.refund_amount.description).toBeUndefined();
    expect(properties.reason.description).toBe("Why the refund is given.");
  });
});

describe("a description that echoes its title", () => {
  it("is the title again, whatever its case and punctuation", () => {
    expect(echoesTitle("Order id.", "Order id")).toBe(true);
    expect(echoesTitle("order_id", "Order id")).toBe(true);
    expect(echoesTitle("The order's id.", "Order id")).toBe(false);
    expect(echoesTitle("", "")).toBe(false);
    expect(echoesTitle(undefined, "Order id")).toBe(false);
  });
});

describe("an empty item of a list", () => {
  it("asks to be filled in or removed, not for a type", () => {
    const schema: RJSFSchema = { type: "object", required: ["emails"], properties: { emails: list } };
    const data = { emails: ["a@example.com", undefined] };
    const errors = plainErrors(validator.validateFormData(data, withRequiredLists(schema)).errors, data);
    expect(errors.map((e) => `${e.property}: ${e.message}`)).toEqual([".emails.1: Fill this in, or remove the item."]);
  });
});

describe("fieldOrder", () => {
  it("keeps the author's order, not required-first nor alphabetical", () => {
    const schema = {
      type: "object" as const,
      required: ["when", "total"],
      properties: {
        note: { type: "string" as const },
        adjustments: { type: "array" as const },
        when: { type: "string" as const },
        category: { type: "string" as const },
        total: { type: "number" as const },
      },
    };
    expect(fieldOrder(schema)).toEqual(["note", "adjustments", "when", "category", "total"]);
  });

  it("follows an order the schema states, then the fields it leaves out", () => {
    const schema = {
      type: "object" as const,
      "x-order": ["zip", "name", "gone", "zip"],
      properties: { age: { type: "integer" as const }, name: { type: "string" as const }, zip: { type: "string" as const } },
    };
    expect(fieldOrder(schema)).toEqual(["zip", "name", "age"]);
    expect(fieldOrder({ ...schema, "x-order": undefined, "ui:order": ["age"] })).toEqual(["age", "name", "zip"]);
  });
});

describe("isFewChoices", () => {
  const choices = (n: number) => ({ type: "array" as const, uniqueItems: true, items: { type: "string" as const, enum: Array.from({ length: n }, (_, i) => `c${i}`) } });

  it("is a list of distinct values from a dozen choices or fewer", () => {
    expect(isFewChoices(choices(3))).toBe(true);
    expect(isFewChoices(choices(12))).toBe(true);
    expect(isFewChoices(choices(13))).toBe(false);
    expect(isFewChoices({ ...choices(3), uniqueItems: false })).toBe(false);
    expect(isFewChoices({ type: "array", items: { type: "string" } })).toBe(false);
    expect(isFewChoices({ type: "string", enum: ["a"] })).toBe(false);
    expect(isFewChoices(undefined)).toBe(false);
  });
});

describe("inputInFormOrder", () => {
  const schema: RJSFSchema = {
    type: "object",
    properties: { email: { type: "string" }, total: { type: "number" }, subject: { type: "string" }, body: { type: "string" } },
  };

  it("puts a stored input's fields in its form's order (a batch's runs read 'body' first)", () => {
    // as jsonb gives them back: the shortest key first
    const stored = { body: "Thanks", email: "ada@example.com", total: 100, subject: "Hi" };
    expect(Object.keys(inputInFormOrder(stored, schema) as object)).toEqual(["email", "total", "subject", "body"]);
    expect(JSON.stringify(inputInFormOrder(stored, schema))).toBe('{"email":"ada@example.com","total":100,"subject":"Hi","body":"Thanks"}');
  });

  it("keeps fields the form does not name after its own, and anything not an object as it is", () => {
    expect(Object.keys(inputInFormOrder({ extra: 1, body: "b", email: "e" }, schema) as object)).toEqual(["email", "body", "extra"]);
    expect(inputInFormOrder({ body: "b" }, null)).toEqual({ body: "b" });
    expect(inputInFormOrder([1, 2], schema)).toEqual([1, 2]);
    expect(inputInFormOrder(undefined, schema)).toEqual({});
  });
});

describe("errors in plain words", () => {
  const schema: RJSFSchema = {
    type: "object",
    properties: {
      email: { type: "string", format: "email" },
      on: { type: "string", format: "date" },
      qty: { type: "integer", minimum: 0, maximum: 10 },
      price: { type: "number", exclusiveMinimum: 0 },
      code: { type: "string", minLength: 3, maxLength: 5, pattern: "^[A-Z]+$" },
      whole: { type: "integer" },
    },
  };
  it("says what to enter instead of the validator's words", () => {
    const data = { email: "ada", on: "tomorrow", qty: -1, price: 0, code: "a", whole: 1.5 };
    expect(errorsOf(schema, data)).toEqual([
      ".email: Enter an email address.",
      ".on: Enter a date (YYYY-MM-DD).",
      ".qty: Must be 0 or more.",
      ".price: Must be more than 0.",
      ".code: Use at least 3 characters.",
      ".code: This is not in the form asked for.",
      ".whole: Enter a whole number.",
    ]);
    expect(errorsOf(schema, { qty: 11, code: "ABCDEF" })).toEqual([".qty: Must be 10 or less.", ".code: Use at most 5 characters."]);
  });
  it("keeps no raw validator text", () => {
    const errors = plainErrors(validator.validateFormData({ email: "x" }, schema).errors);
    expect(errors[0].message).not.toMatch(/must match format/);
    expect(errors[0].stack).toBe(".email Enter an email address.");
  });
});
