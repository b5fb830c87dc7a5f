import { describe, expect, it } from "vitest";
import type { FlowIR } from "../../graph";
import { newNode } from "./nodeKinds";

const IR: FlowIR = { ir_version: "1.0", name: "f", input_schema: { type: "object" }, nodes: [] };

describe("newNode", () => {
  it("titles a tool step with the tool's name, and ids it after the tool", () => {
    const node = newNode(IR, "tool", { x: 0, y: 0 }, "send_email", "Send email");
    expect(node).toMatchObject({ id: "send_email", type: "tool", tool: "send_email", title: "Send email" });
  });

  it("leaves a step untitled when there is no name to give it", () => {
    expect(newNode(IR, "tool", { x: 0, y: 0 }, "send_email")).not.toHaveProperty("title");
    expect(newNode(IR, "branch", { x: 0, y: 0 })).not.toHaveProperty("title");
  });
});
