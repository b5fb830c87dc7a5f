import { describe, expect, it } from "vitest";
import { ApiError } from "../../lib/api";
import { blankIr, copyIr, copyName, errorProblems, exportFileName, parseIrFile } from "./documents";

describe("parseIrFile", () => {
  it("takes the flow's name from the document", () => {
    const parsed = parseIrFile('{"name": " Greet ", "nodes": []}', "x.json");
    expect(parsed).toEqual({ ok: true, name: "Greet", ir: { name: " Greet ", nodes: [] } });
  });
  it("falls back to the file name", () => {
    const parsed = parseIrFile('{"nodes": []}', "orders.json");
    expect(parsed.ok && parsed.name).toBe("orders");
  });
  it("refuses what is not JSON or not an object", () => {
    const broken = parseIrFile("{nope", "a.json");
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.error).toBe("Not valid JSON: line 1, column 2 — expected a property name in double quotes");
    const list = parseIrFile("[1]", "b.json");
    expect(!list.ok && list.error).toMatch(/expected a JSON object/);
  });
});

describe("documents", () => {
  it("a blank flow has one output node", () => {
    const ir = blankIr("Mine", "about");
    expect(ir.name).toBe("Mine");
    expect(ir.nodes).toEqual([{ id: "result", type: "output", title: "Result", value: "input" }]);
  });
  it("a copy is renamed, graph untouched", () => {
    const ir = { name: "A", nodes: [{ id: "x" }] };
    expect(copyIr(ir, copyName("A"))).toEqual({ name: "Copy of A", nodes: [{ id: "x" }] });
    expect(ir.name).toBe("A");
  });
  it("export file names drop characters file systems refuse", () => {
    expect(exportFileName('Orders: "EU"/US')).toBe("Orders EU US.json");
    expect(exportFileName("  ")).toBe("flow.json");
  });
});

describe("errorProblems", () => {
  it("lists field messages and IR issues", () => {
    const error = new ApiError(
      400,
      {
        error: {
          code: "invalid_ir",
          message: "The IR does not match",
          details: {
            fields: { name: ["This field may not be blank."] },
            errors: [{ code: "schema", message: "bad type", node: "n1", field: "type", hint: "Set it" }],
          },
        },
      },
      "Bad Request",
    );
    expect(errorProblems(error)).toEqual([
      { where: "name", message: "This field may not be blank." },
      { where: "n1 · type", message: "bad type", hint: "Set it" },
    ]);
  });
  it("has nothing to add for other errors", () => {
    expect(errorProblems(new Error("x"))).toEqual([]);
  });
});
