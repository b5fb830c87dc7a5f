import { describe, expect, it } from "vitest";
import { cardValue } from "./cardValue";

describe("cardValue", () => {
  it("shows a plain string literal as its text, without quotes", () => {
    expect(cardValue('"Hello"', "cel")).toEqual({ expression: false, pieces: [{ text: "Hello", expression: false }] });
    expect(cardValue("'billing'", "cel").pieces[0].text).toBe("billing");
  });

  it("shows text with parts as text with the parts marked", () => {
    expect(cardValue('"Hi " + string(customer.name) + "!"', "cel")).toEqual({
      expression: false,
      pieces: [{ text: "Hi ", expression: false }, { text: "customer.name", expression: true }, { text: "!", expression: false }],
    });
  });

  it("shows anything else as the expression it is", () => {
    for (const source of ["input.email", '"Hello, " + input.who', "42", "size(input.items) > 0"]) {
      expect(cardValue(source, "cel")).toEqual({ expression: true, pieces: [{ text: source, expression: true }] });
    }
  });

  it("reads an LLM prompt as a template and instructions as text", () => {
    expect(cardValue("Sum up {{ lookup.name }}", "template").pieces).toEqual([
      { text: "Sum up ", expression: false },
      { text: "lookup.name", expression: true },
    ]);
    expect(cardValue('Check "this" {{ x }}', "text").pieces).toEqual([{ text: 'Check "this" {{ x }}', expression: false }]);
  });
});
