import { describe, expect, it } from "vitest";
import type { IrNode } from "../../graph";
import { adverseCounts, adverseOutcome, approvalOutcome, nodeIdLine, rejectedApprovals, rejectionSentence } from "./nodeKinds";

const approval = { id: "ok", type: "approval" } as unknown as IrNode;
const tool = { id: "t", type: "tool", tool: "send_email" } as unknown as IrNode;

describe("approvalOutcome", () => {
  it("says who approved or rejected a step", () => {
    expect(approvalOutcome(approval, { approved: true, by: "ada" })).toEqual({ tone: "approved", word: "Approved", label: "Approved by ada" });
    expect(approvalOutcome(approval, { approved: false, by: "cyd", timed_out: false })).toEqual({ tone: "rejected", word: "Rejected", label: "Rejected by cyd" });
  });

  it("says when the deadline decided it", () => {
    expect(approvalOutcome(approval, { approved: false, by: null, timed_out: true })).toEqual({ tone: "timed-out", word: "Timed out", label: "Timed out · rejected" });
  });

  it("says nothing before a decision or for other nodes", () => {
    expect(approvalOutcome(approval, undefined)).toBeNull();
    expect(approvalOutcome(approval, { approved: "yes" })).toBeNull();
    expect(approvalOutcome(tool, { approved: true })).toBeNull();
  });
});

describe("nodeIdLine", () => {
  it("does not say the id twice when the step is named after its tool", () => {
    expect(nodeIdLine({ id: "analyze_sentiment", type: "tool", tool: "analyze_sentiment", inputs: {} } as IrNode)).toBe("analyze_sentiment");
  });

  it("adds the tool or the kind when it says something more", () => {
    expect(nodeIdLine({ id: "check", type: "tool", tool: "validate_email", inputs: {} } as IrNode)).toBe("check · validate_email");
    expect(nodeIdLine({ id: "is_big", type: "branch", condition: "true", then: [], else: [] } as IrNode)).toBe("is_big · branch");
  });
});

describe("adverseOutcome", () => {
  it("marks a rejected or timed-out approval, not an approved one nor another node", () => {
    expect(adverseOutcome(approval, "completed", { approved: false, by: "cyd" })).toBe("rejected");
    expect(adverseOutcome(approval, "completed", { approved: true, by: null, timed_out: true })).toBe("timed-out");
    expect(adverseOutcome(approval, "completed", { approved: true, by: "ada" })).toBeNull();
    expect(adverseOutcome(approval, "running", { approved: false })).toBeNull();
    expect(adverseOutcome(tool, "completed", { approved: false })).toBeNull();
  });

  it("counts them for the legend", () => {
    const irNodes = new Map([["ok", approval], ["t", tool]]);
    const nodes = { ok: { status: "completed", output: { approved: false } }, t: { status: "completed", output: { approved: false } } };
    expect(adverseCounts(nodes, irNodes)).toEqual({ rejected: 1, "timed-out": 0 });
  });
});

describe("rejectedApprovals", () => {
  const ir = new Map<string, IrNode>([
    ["ok", { id: "ok", type: "approval", title: "Manager approval" } as unknown as IrNode],
    ["late", { id: "late", type: "approval" } as unknown as IrNode],
    ["send", { id: "send", type: "tool", tool: "send_email" } as unknown as IrNode],
  ]);
  it("names each rejected approval, who rejected it and their comment", () => {
    const found = rejectedApprovals({
      ok: { status: "completed", output: { approved: false, by: "bob", comment: " too much " } },
      late: { status: "completed", output: { approved: false, by: null, timed_out: true, comment: "" } },
      send: { status: "skipped" },
    }, ir);
    expect(found).toEqual([
      { nodeId: "ok", title: "Manager approval", by: "bob", timedOut: false, comment: "too much" },
      { nodeId: "late", title: "late", by: null, timedOut: true, comment: "" },
    ]);
    expect(found.map(rejectionSentence)).toEqual([
      "Manager approval was rejected by bob",
      "late was rejected when its deadline passed",
    ]);
  });
  it("ignores approved and undecided steps", () => {
    expect(rejectedApprovals({ ok: { status: "completed", output: { approved: true, by: "bob" } }, late: { status: "waiting" } }, ir)).toEqual([]);
  });
});
