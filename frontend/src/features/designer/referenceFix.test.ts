// The quick fix for a name an expression reads that the flow does not have.
import { describe, expect, it } from "vitest";
import type { FlowIR, Issue } from "../../graph";
import { referenceFix } from "./referenceFix";

const FLOW: FlowIR = {
  name: "Refunds",
  input_schema: { type: "object", properties: { amount: { type: "number" }, email: { type: "string" } } },
  nodes: [
    { id: "lookup_user", type: "tool", tool: "lookup_user", inputs: {} },
    { id: "approve", type: "approval", instructions: "", form_schema: { type: "object" }, assignees: { users: [], groups: [] } },
  ],
};
const unknown: Issue[] = [{ code: "unknown_reference", message: "reads a name", node: "x", field: "condition", hint: "" }];

describe("referenceFix", () => {
  it("reads a run input written without input.", () => {
    expect(referenceFix("amount > 500", unknown, FLOW)).toBe("input.amount > 500");
  });

  it("corrects a step id mistyped or in the wrong case, leaving strings alone", () => {
    expect(referenceFix("lookup_usr.user.email", unknown, FLOW)).toBe("lookup_user.user.email");
    expect(referenceFix('Approve.approved && "amount" != ""', unknown, FLOW)).toBe('approve.approved && "amount" != ""');
  });

  it("offers nothing without an unknown name reported, or without a sure guess", () => {
    expect(referenceFix("amount > 500", [], FLOW)).toBeNull();
    expect(referenceFix("total > 500", unknown, FLOW)).toBeNull();
    expect(referenceFix("item.price", unknown, FLOW, ["item"])).toBeNull();
  });
});
