import { describe, expect, it } from "vitest";
import validator from "@rjsf/validator-ajv8";
import { BatchInputError, csvHint, inputProblems, parseBatchInputs, parseCsv } from "./batchInput";

const schema = {
  type: "object",
  properties: {
    name: { type: "string" },
    amount: { type: "number" },
    count: { type: "integer" },
    urgent: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
  },
};

describe("parseCsv", () => {
  it("reads quoted cells, escaped quotes and CRLF", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n1,\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["1", ""],
    ]);
  });

  it("refuses an unclosed quote", () => {
    expect(() => parseCsv('a\n"open')).toThrow(BatchInputError);
  });
});

describe("parseBatchInputs", () => {
  it("reads a JSON list", () => {
    expect(parseBatchInputs('[{"name": "a"}, {"name": "b"}]')).toEqual([{ name: "a" }, { name: "b" }]);
  });

  it("reads JSON lines", () => {
    expect(parseBatchInputs('{"n": 1}\n\n{"n": 2}\n')).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("types CSV cells after the input schema and leaves empty cells out", () => {
    const text = 'name,amount,count,urgent,tags\nAda,12.5,3,yes,"[""a""]"\nBob,,,false,\n';
    expect(parseBatchInputs(text, schema)).toEqual([
      { name: "Ada", amount: 12.5, count: 3, urgent: true, tags: ["a"] },
      { name: "Bob", urgent: false },
    ]);
  });

  it("leaves an empty text cell out too, so that a required one is missing", () => {
    expect(parseBatchInputs("email,name\n,Dana\n  ,Eve\nbo@example.com,\n", schema)).toEqual([
      { name: "Dana" },
      { name: "Eve" },
      { email: "bo@example.com" },
    ]);
    // a cell with text keeps its spaces: they may be meant
    expect(parseBatchInputs("name,count\n Ada ,1\n", schema)).toEqual([{ name: " Ada ", count: 1 }]);
  });

  it("says which row and column is wrong", () => {
    expect(() => parseBatchInputs("name,count\nAda,1.5\n", schema)).toThrow("row 2, count");
    expect(() => parseBatchInputs('[{"a": 1}, 3]')).toThrow("item 2 is not an object");
    expect(() => parseBatchInputs('{"a": 1}')).not.toThrow();
    expect(() => parseBatchInputs("  ")).toThrow("no inputs");
    expect(() => parseBatchInputs("[1,")).toThrow(/^JSON/);
  });
});

describe("inputProblems", () => {
  it("names the keys as pasted, not the form's labels", () => {
    const problems = inputProblems([
      { name: "required", property: "subject", message: "must have required property 'Subject'", params: { missingProperty: "subject" } },
      { name: "type", property: ".total", message: "must be number", params: { type: "number" } },
    ]);
    expect(problems).toBe('"subject" is missing; "total" should be a number');
  });

  it("shows two problems and counts the rest", () => {
    const problems = inputProblems([
      { name: "type", property: ".items.0.sku", message: "must be string", params: { type: "string" } },
      { name: "type", property: ".a", message: "must be string", params: { type: "string" } },
      { name: "type", property: ".b", message: "must be string", params: { type: "string" } },
    ]);
    expect(problems).toBe('"items.0.sku" should be text; "a" should be text (and 1 more)');
  });

  it("reads a problem of the whole input", () => {
    expect(inputProblems([{ name: "type", property: "", message: "must be object", params: { type: "object" } }]))
      .toBe("should be an object of the flow's input fields, such as {\"name\": \"…\"}");
  });

  it("says the validator's findings in plain words, never its own", () => {
    // Given a schema with a format, a bound, a choice and a length, and an input breaking each
    const schema = { type: "object", properties: {
      email: { type: "string", format: "email" }, total: { type: "number", minimum: 0 },
      currency: { type: "string", enum: ["USD", "EUR"] }, code: { type: "string", minLength: 3 },
      count: { type: "integer" }, urgent: { type: "boolean" } } } as const;
    const input = { email: "not-an-address", total: -5, currency: "usd", code: "A", count: 1.5, urgent: "maybe" };
    // When its errors are described one by one
    const said = validator.validateFormData(input, schema as never).errors.map((error) => inputProblems([error], input));
    // Then each reads as words a person can act on
    expect(said).toEqual(expect.arrayContaining([
      '"email" should be an email address',
      '"total" must be 0 or more',
      '"currency" should be one of "USD", "EUR"',
      '"code" should use at least 3 characters',
      '"count" should be a whole number',
      '"urgent" should be true or false',
    ]));
    for (const text of said) expect(text).not.toMatch(/must (be|match|have|NOT)\b(?! 0)|>=|format "/);
  });
});

describe("csvHint", () => {
  const schema = { type: "object", properties: {
    items: { type: "array" }, address: { type: ["object", "null"] }, order_id: { type: "string" } } };

  it("says which columns take JSON, and how a CSV cell holds it", () => {
    expect(csvHint(["items", "order_id"], schema)).toBe(
      "Add one line of values per run under the header row. The “items” column takes JSON in its "
      + "cell, quoted as CSV quotes text (\"[{\"\"sku\"\": \"\"A-1\"\"}]\"), or paste JSON lines "
      + "instead: one object per run.");
    expect(csvHint(["items", "address", "order_id"], schema)).toContain(
      "The “items” and “address” columns take JSON in their cells");
  });

  it("is the plain line when every column is text, a number or a yes/no", () => {
    expect(csvHint(["order_id"], schema)).toBe("Add one line of values per run under the header row.");
    expect(csvHint([], undefined)).toBe("Add one line of values per run under the header row.");
  });
});
