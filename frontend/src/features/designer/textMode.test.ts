import { describe, expect, it } from "vitest";
import { inputShape } from "./inputShape";
import { initialMode, offersTextMode, readsAsReference, textLiteral, textOf, toTextMode } from "./textMode";

const TEXT = inputShape({ type: "string" });

describe("textOf", () => {
  it("reads a plain string literal as its text, in either quote", () => {
    expect(textOf('"Hello, we found your account"')).toBe("Hello, we found your account");
    expect(textOf(" 'billing' ")).toBe("billing");
    expect(textOf('"two\\nlines \\"quoted\\""')).toBe('two\nlines "quoted"');
    expect(textOf('""')).toBe("");
  });

  it("reads nothing else as text: references, sums, numbers, escapes it would rewrite", () => {
    expect(textOf("input.email")).toBeNull();
    expect(textOf("'Bad signup: ' + input.email")).toBeNull();
    expect(textOf('"a" + "b"')).toBeNull();
    expect(textOf("42")).toBeNull();
    expect(textOf("")).toBeNull();
    expect(textOf('"caf\\u00e9"')).toBeNull(); // written back it would be "café": not as it was
    expect(textOf('"a\\/b"')).toBeNull(); // JSON's escape, not CEL's
    expect(textOf("'it\\'s'")).toBeNull();
  });

  it("writes back what it reads, whatever is typed", () => {
    for (const text of ["Hello, we found your account", 'Say "hi"\n\tthen go \\ home', "café ☕", "{{ input.name }}", " padded "]) {
      expect(textOf(textLiteral(text))).toBe(text);
    }
  });
});

describe("modes", () => {
  it("opens a text input in Text when it holds text or nothing, else in Expression", () => {
    expect(initialMode('"Welcome aboard"', TEXT)).toBe("text");
    expect(initialMode("", TEXT)).toBe("text");
    expect(initialMode("input.email", TEXT)).toBe("expression");
    expect(initialMode("Hello there", TEXT)).toBe("expression"); // not CEL yet: shown as typed
  });

  it("keeps numbers, booleans, lists, objects and listed values as expressions", () => {
    for (const schema of [{ type: "integer" }, { type: "boolean" }, { type: "array", items: { type: "string" } }, { type: "object" }, { type: "string", enum: ["a", "b"] }]) {
      expect(offersTextMode(inputShape(schema))).toBe(false);
      expect(initialMode('"a"', inputShape(schema))).toBe("expression");
    }
    expect(offersTextMode(inputShape({ anyOf: [{ type: "string" }, { type: "null" }] }))).toBe(true);
    expect(offersTextMode(inputShape({ type: ["string", "integer"] }))).toBe(true);
    expect(offersTextMode(inputShape(undefined))).toBe(false);
  });

  it("switching to Text keeps text as it is and quotes anything else", () => {
    expect(toTextMode('"Hi"')).toBe('"Hi"');
    expect(toTextMode("")).toBe("");
    expect(toTextMode(" Hello there ")).toBe('"Hello there"');
    expect(toTextMode("input.email")).toBe('"input.email"');
  });
});

describe("readsAsReference", () => {
  const roots = ["input", "check"];
  it("spots a path into the run input or an earlier step", () => {
    expect(readsAsReference("input.email", roots)).toBe(true);
    expect(readsAsReference(" check.reason ", roots)).toBe(true);
    expect(readsAsReference("check.items[0].sku", roots)).toBe(true);
  });
  it("leaves words and sentences alone", () => {
    expect(readsAsReference("check", roots)).toBe(false);
    expect(readsAsReference("Thanks. See you", roots)).toBe(false);
    expect(readsAsReference("example.com", roots)).toBe(false);
    expect(readsAsReference("input.email please", roots)).toBe(false);
  });
});
