import { describe, expect, it } from "vitest";
import { fieldsToSchema, newFieldName, schemaToFields, isFieldName, type FormField } from "./formFields";

const amount: FormField = { name: "amount", label: "Amount", type: "number", required: true, options: [], description: "" };
const reason: FormField = { name: "reason", label: "", type: "choice", required: false, options: ["damaged", "late"], description: "Why" };

describe("form fields", () => {
  it("round-trip through a JSON Schema", () => {
    const schema = fieldsToSchema([amount, reason]);
    expect(schema).toEqual({
      type: "object",
      properties: {
        amount: { type: "number", title: "Amount" },
        reason: { type: "string", enum: ["damaged", "late"], description: "Why" },
      },
      required: ["amount"],
    });
    expect(schemaToFields(schema)).toEqual([amount, reason]);
  });

  it("read an empty form and write one without a required list", () => {
    expect(schemaToFields({ type: "object", properties: {} })).toEqual([]);
    expect(schemaToFields(undefined)).toEqual([]);
    expect(fieldsToSchema([])).toEqual({ type: "object", properties: {} });
  });

  it("leave a schema they cannot say to the JSON editor", () => {
    expect(schemaToFields({ type: "object", properties: { when: { type: "string", format: "date" } } })).toBeNull();
    expect(schemaToFields({ type: "object", properties: { tags: { type: "array" } } })).toBeNull();
    expect(schemaToFields({ type: "object", properties: {}, additionalProperties: false })).toBeNull();
    expect(schemaToFields({ type: "string" })).toBeNull();
  });

  it("keep the form's own title and description", () => {
    expect(fieldsToSchema([], { title: "Refund", type: "object", properties: { old: {} } })).toEqual({
      title: "Refund", type: "object", properties: {},
    });
  });

  it("name new fields after the ones taken, and only as identifiers", () => {
    expect(newFieldName([])).toBe("field_1");
    expect(newFieldName([{ ...amount, name: "field_2" }])).toBe("field_3");
    expect(isFieldName("amount_2")).toBe(true);
    expect(isFieldName("2nd")).toBe(false);
    expect(isFieldName("my field")).toBe(false);
  });

  it("keep a run input's constraints when asked, and write them back", () => {
    const schema = {
      type: "object", required: ["email"],
      properties: {
        email: { type: "string", format: "email", maxLength: 200, description: "The address." },
        total: { type: "number", minimum: 0, default: 10 },
      },
    };
    expect(schemaToFields(schema)).toBeNull();
    const fields = schemaToFields(schema, true);
    expect(fields?.map((f) => [f.name, f.type, f.required])).toEqual([["email", "string", true], ["total", "number", false]]);
    expect(fieldsToSchema(fields!, schema)).toEqual(schema);
    // still no nested values or lists
    expect(schemaToFields({ type: "object", properties: { tags: { type: "array" } } }, true)).toBeNull();
  });
});
