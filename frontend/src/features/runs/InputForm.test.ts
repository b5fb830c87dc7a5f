import type { RJSFSchema } from "@rjsf/utils";
import { describe, expect, it } from "vitest";
import { formSchema, isLongText, itemTitle, uiSchemaFor, withoutNull } from "./InputForm";

describe("the input form schema", () => {
  it("shows the fields in the order the flow's author listed them, nested ones too", () => {
    const schema = formSchema({
      type: "object",
      required: ["message", "email"],
      properties: {
        tags: { type: "array", items: { type: "string" } },
        email: { type: "string" },
        notify: { type: "object", properties: { urgent: { type: "boolean" }, team: { type: "string" } }, required: ["team"] },
        message: { type: "string" },
        priority: { type: "string", enum: ["low", "high"] },
      },
    });
    const ui = uiSchemaFor(schema);
    expect(ui["ui:order"]).toEqual(["tags", "email", "notify", "message", "priority"]);
    expect(ui.notify).toEqual({ "ui:order": ["urgent", "team"] });
  });

  it("titles fields after their keys", () => {
    const schema = formSchema({ type: "object", properties: { customer_email: { type: "string" }, n: { type: "integer", title: "Count" } } });
    expect((schema.properties?.customer_email as { title: string }).title).toBe("Customer email");
    expect((schema.properties?.n as { title: string }).title).toBe("Count");
  });

  it("drops a description that only repeats the field's title", () => {
    const schema = formSchema({
      type: "object",
      properties: {
        order_id: { type: "string", description: "Order id." },
        amount: { type: "number", description: "The order's total, in euros." },
        lines: { type: "array", items: { type: "object", properties: { sku: { type: "string", description: "SKU" } } } },
      },
    });
    const fields = schema.properties as Record<string, RJSFSchema>;
    expect(fields.order_id.description).toBeUndefined();
    expect(fields.order_id.title).toBe("Order ID");
    expect(fields.amount.description).toBe("The order's total, in euros.");
    expect(((fields.lines.items as RJSFSchema).properties?.sku as RJSFSchema).description).toBeUndefined();
  });

  it("gives only free text of paragraphs a text area", () => {
    const schema = formSchema({
      type: "object",
      properties: {
        body: { type: "string", maxLength: 50000 },
        email: { type: "string", format: "email", maxLength: 5000 },
        subject: { type: "string", maxLength: 300 },
        url: { type: "string", maxLength: 2048 },
      },
    });
    const ui = uiSchemaFor(schema);
    expect(ui.body).toEqual({ "ui:widget": "textarea" });
    expect([ui.email, ui.subject, ui.url]).toEqual([undefined, undefined, undefined]);
    expect(isLongText({ type: "string", enum: ["a"], maxLength: 9000 })).toBe(false);
  });

  it("asks for an optional value written as 'X or null' as one field of type X", () => {
    const schema = formSchema({
      type: "object",
      properties: {
        items: {
          type: "array",
          items: {
            type: "object",
            properties: {
              price: { anyOf: [{ type: "number" }, { type: "null" }], default: null, description: "Unit price." },
              note: { type: ["string", "null"], default: null },
              code: { oneOf: [{ type: "null" }, { type: "string", maxLength: 8 }], title: "Code" },
            },
          },
        },
      },
    });
    const line = (schema.properties?.items as { items: { properties: Record<string, unknown> } }).items.properties;
    expect(line.price).toEqual({ type: "number", description: "Unit price.", title: "Price" });
    expect(line.note).toEqual({ type: "string", title: "Note" });
    expect(line.code).toEqual({ type: "string", maxLength: 8, title: "Code" });
  });

  it("leaves a real choice between two kinds of value alone", () => {
    const choice: RJSFSchema = { anyOf: [{ type: "number" }, { type: "string" }], default: null };
    expect(withoutNull(choice)).toBe(choice);
    const three: RJSFSchema = { anyOf: [{ type: "number" }, { type: "string" }, { type: "null" }] };
    expect(withoutNull(three)).toBe(three);
  });
});

describe("a list element's heading", () => {
  it("reads 'Item 2', not the list's title and number", () => {
    expect(itemTitle("run-input_items_1__title", "Items-2")).toBe("Item 2");
    expect(itemTitle("run-input_lines_0__title", "Order lines-1")).toBe("Item 1");
  });

  it("leaves other headings alone, a field named like address_2 included", () => {
    expect(itemTitle("run-input_address_2__title", "Address 2")).toBeNull();
    expect(itemTitle("run-input_notify__title", "Notify")).toBeNull();
  });
});
