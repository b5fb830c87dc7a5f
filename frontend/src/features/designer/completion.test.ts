// CEL completion: roots, node output fields and input fields.
import { describe, expect, it } from "vitest";
import type { FlowIR } from "../../graph";
import type { Tool } from "./api";
import { complete } from "./completion";

const tools = {
  validate_email: { id: "validate_email", name: "Validate email", output_schema: { type: "object", properties: { valid: { type: "boolean" }, reason: { type: "string" } } } },
} as unknown as Record<string, Tool>;

const ir: FlowIR = {
  name: "x",
  input_schema: { type: "object", properties: { email: { type: "string" }, name: { type: "string" } } },
  nodes: [
    { id: "check", type: "tool", tool: "validate_email", inputs: { email: "input.email" } },
    { id: "welcome", type: "tool", tool: "send", inputs: {} },
    { id: "later", type: "value", value: "welcome" },
  ],
};

describe("complete", () => {
  it("offers readable node ids and input, not itself or downstream nodes", () => {
    const result = complete(ir, tools, "welcome", "");
    expect(result?.items.map((item) => item.label)).toEqual(["input", "check"]);
    expect(complete(ir, tools, "welcome", "x + ")).toBeNull();
    expect(complete(ir, tools, "welcome", "x + ", [], true)?.items.map((item) => item.label)).toEqual(["input", "check"]);
    const all = complete(ir, tools, "welcome", "i")?.items.map((item) => item.label);
    expect(all).toEqual(["input"]);
    const roots = complete(ir, tools, "welcome", "c")?.items.map((item) => item.label);
    expect(roots).toEqual(["check"]);
    expect(complete(ir, tools, "welcome", "l")).toBeNull();
  });

  it("offers output fields from the tool's schema and input fields", () => {
    expect(complete(ir, tools, "welcome", "check.")).toEqual({
      from: 6,
      items: [{ label: "valid", detail: "boolean" }, { label: "reason", detail: "string" }],
    });
    expect(complete(ir, tools, "welcome", "'a' + input.n")?.items.map((item) => item.label)).toEqual(["name"]);
    expect(complete(ir, tools, "welcome", "'input.")).toBeNull();
  });
});
