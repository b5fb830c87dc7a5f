import { describe, expect, it } from "vitest";
import { cellText, inputColumns } from "./batchTable";

describe("a batch's input columns", () => {
  it("follow the form's order, then fields the schema does not name", () => {
    const schema = { type: "object", properties: { email: { type: "string" }, total: { type: "number" } } };
    expect(inputColumns(schema, [{ total: 1, email: "a@x.io", note: "n" }])).toEqual(["email", "total", "note"]);
    expect(inputColumns(null, [{ b: 1 }, { a: 2, b: 3 }])).toEqual(["b", "a"]);
    expect(inputColumns(schema, [5])).toEqual([]);
  });
  it("show values plainly", () => {
    expect([cellText("Hi"), cellText(100), cellText(true), cellText(null), cellText(["a", 1])]).toEqual(["Hi", "100", "true", "—", '["a",1]']);
  });
});
