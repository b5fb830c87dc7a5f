// While an edit is re-validated, the badge says so instead of the old verdict.
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { FlowIR } from "../../../graph";
import { designer, useDesigner } from "../store";
import { awaitingCheck } from "../validityCheck";
import { ValidityBadge } from "./ValidityBadge";

afterEach(cleanup);

const FLOW: FlowIR = {
  ir_version: "1.0",
  name: "Welcome",
  description: "",
  input_schema: { type: "object" },
  nodes: [{ id: "send", type: "tool", tool: "send_email", inputs: { to: '"a@x.io"' } }],
};

describe("the validity badge", () => {
  it("shows 'Checking your edit…' until the validator answers for the edited flow", () => {
    designer.load({ flowId: 1, flowName: "Welcome", canEdit: true, version: 1, ir: FLOW });
    designer.setIssues([], useDesigner.getState().ir);
    render(<ValidityBadge />);
    expect(screen.getByTestId("validity").textContent).toBe("Valid");

    act(() => designer.updateNode("send", (node) => ({ ...node, title: "Send it" })));
    const badge = screen.getByTestId("validity");
    expect(badge.textContent).toBe("Checking your edit…");
    expect(badge.dataset.level).toBe("checking");

    act(() => designer.setIssues([{ code: "x", message: "bad", node: "send", field: null, hint: null }], useDesigner.getState().ir));
    expect(screen.getByTestId("validity").textContent).toBe("1 problem");
  });

  it("does not count moving a card as an edit to check", () => {
    const moved: FlowIR = { ...FLOW, nodes: [{ ...FLOW.nodes[0], position: { x: 10, y: 20 } }] };
    expect(awaitingCheck(FLOW, moved)).toBe(false);
    expect(awaitingCheck(FLOW, { ...FLOW, name: "Other" })).toBe(true);
    expect(awaitingCheck(null, FLOW)).toBe(false);
  });
});
