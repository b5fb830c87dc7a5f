import { describe, expect, it } from "vitest";
import { describeType, schemaRows } from "./schemaRows";

describe("schemaRows", () => {
  it("lists properties with type, required and constraints, required first", () => {
    const rows = schemaRows({
      type: "object",
      required: ["text"],
      properties: {
        limit: { type: "integer", minimum: 1, maximum: 10, default: 3 },
        text: { type: "string", minLength: 1, description: "The text." },
      },
    });
    expect(rows.map((row) => [row.name, row.type, row.required])).toEqual([
      ["text", "string", true],
      ["limit", "integer", false],
    ]);
    expect(rows[0].description).toBe("The text.");
    expect(rows[0].constraints).toEqual(["≥ 1 chars"]);
    expect(rows[1].constraints).toEqual(["≥ 1", "≤ 10", "default 3"]);
  });

  it("reads a nullable union as one field with the non-null member's facets", () => {
    const [row] = schemaRows({
      type: "object",
      properties: {
        email: { anyOf: [{ type: "string", maxLength: 254 }, { type: "null" }], default: null, description: "Email." },
      },
    });
    expect(row.type).toBe("string | null");
    expect(row.constraints).toEqual(["≤ 254 chars", "default null"]);
    expect(row.description).toBe("Email.");
  });

  it("nests object properties, nullable objects and arrays of objects", () => {
    const rows = schemaRows({
      type: "object",
      properties: {
        user: {
          anyOf: [
            { type: "object", required: ["plan"], properties: { plan: { type: "string", enum: ["free", "pro"] } } },
            { type: "null" },
          ],
        },
        lines: { type: "array", items: { type: "object", properties: { sku: { type: "string" } } } },
      },
    });
    expect(rows.map((row) => [row.path, row.depth, row.type])).toEqual([
      ["user", 0, "object | null"],
      ["user.plan", 1, "string (enum)"],
      ["lines", 0, "array of object"],
      ["lines[].sku", 1, "string"],
    ]);
    expect(rows[1].required).toBe(true);
    expect(rows[1].enumValues).toEqual(["free", "pro"]);
  });

  it("follows local $refs", () => {
    const rows = schemaRows({
      type: "object",
      properties: { address: { $ref: "#/$defs/Address" } },
      $defs: { Address: { type: "object", properties: { city: { type: "string" } } } },
    });
    expect(rows.map((row) => row.path)).toEqual(["address", "address.city"]);
    expect(rows[0].type).toBe("object");
  });

  it("gives a non-object schema one row and an empty schema none", () => {
    expect(schemaRows({ type: "string", description: "A summary." })).toMatchObject([
      { name: "(value)", type: "string", description: "A summary." },
    ]);
    expect(schemaRows({})).toEqual([]);
  });

  it("stops at recursive schemas", () => {
    const rows = schemaRows({
      type: "object",
      properties: { node: { $ref: "#/$defs/Node" } },
      $defs: { Node: { type: "object", properties: { child: { $ref: "#/$defs/Node" } } } },
    });
    expect(rows.length).toBeLessThanOrEqual(8);
    expect(rows[1].path).toBe("node.child");
  });
});

describe("describeType", () => {
  it("words arrays, type lists and consts", () => {
    expect(describeType({ type: "array", items: { type: "string" } }, {})).toBe("array of string");
    expect(describeType({ type: ["number", "null"] }, {})).toBe("number | null");
    expect(describeType({ const: "x" }, {})).toBe('const "x"');
    expect(describeType({}, {})).toBe("any");
  });
});
