import { describe, expect, it } from "vitest";
import { age, asFields, asFieldsWithTables, assigneeText, asTable, contextEntries, deadline, decisionCommentLabel, layers, span, stepOutcome } from "./format";

describe("inbox formatting", () => {
  const now = Date.parse("2026-01-10T12:00:00Z");

  it("says how long a step has waited in the largest unit", () => {
    expect(span(10)).toBe("now");
    expect(span(45)).toBe("45 s");
    expect(span(600)).toBe("10 min");
    expect(span(7200)).toBe("2 h");
    expect(span(3 * 86400 + 5)).toBe("3 d");
    expect(age("2026-01-10T11:00:00Z", now)).toBe("1 h ago");
    expect(age("2026-01-10T12:00:00Z", now)).toBe("just now");
  });

  it("marks a near deadline and an overdue one", () => {
    expect(deadline(null, now)).toEqual({ text: "none", tone: "" });
    expect(deadline("2026-01-10T12:30:00Z", now)).toEqual({ text: "in 30 min", tone: "warn" });
    expect(deadline("2026-01-11T12:00:00Z", now)).toEqual({ text: "in 1 d", tone: "" });
    expect(deadline("2026-01-10T11:59:00Z", now)).toEqual({ text: "overdue", tone: "danger" });
  });

  it("lays a flow out in layers by longest path", () => {
    const placed = layers(["a", "b", "c", "d"], [["a", "b"], ["a", "c"], ["b", "d"], ["c", "d"]]);
    expect(placed).toEqual([
      { id: "a", layer: 0, row: 0 },
      { id: "b", layer: 1, row: 0 },
      { id: "c", layer: 1, row: 1 },
      { id: "d", layer: 2, row: 0 },
    ]);
  });

  it("names assignees, or the run's owner when there are none", () => {
    expect(assigneeText({ users: ["bob"], groups: ["managers"] })).toBe("bob · group managers");
    expect(assigneeText({ users: [], groups: [] })).toBe("the run's owner");
  });

  it("reads a list of flat records as a table, columns in the order fields appear", () => {
    const table = asTable([
      { sentiment: "negative", score: -0.8, keywords: ["broken"] },
      { sentiment: "positive", score: 0.9, team: "Support" },
    ]);
    expect(table).toEqual({
      columns: ["sentiment", "score", "keywords", "team"],
      rows: [
        { sentiment: "negative", score: -0.8, keywords: ["broken"] },
        { sentiment: "positive", score: 0.9, team: "Support" },
      ],
    });
  });

  it("leaves lists that are not flat records to JSON", () => {
    expect(asTable([])).toBeNull();
    expect(asTable(["a", "b"])).toBeNull();
    expect(asTable([{ a: 1 }, { nested: { b: 2 } }])).toBeNull();
    expect(asTable([Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`f${i}`, i]))])).toBeNull();
    expect(asFields({ total: 900, ok: true })).toEqual([["total", 900], ["ok", true]]);
    expect(asFields([1, 2])).toBeNull();
  });

  it("reads an object holding a list of records as fields with a table", () => {
    const order = { order_id: "A-7", items: [{ sku: "WIDGET-1", quantity: 100 }], errors: [] };
    expect(asFieldsWithTables(order)).toEqual([
      ["order_id", "A-7"],
      ["items", { columns: ["sku", "quantity"], rows: [{ sku: "WIDGET-1", quantity: 100 }] }],
      ["errors", []],
    ]);
    expect(asFieldsWithTables({ deep: { a: { b: 1 } } })).toBeNull();
    expect(asFieldsWithTables({ total: 3 })).toEqual([["total", 3]]);
  });
});

describe("a step's outcome", () => {
  const now = Date.parse("2026-01-10T12:00:00Z");
  const decidedAt = "2026-01-10T11:00:00Z";

  it("says a step closed by its run's end was not needed, not who decided it", () => {
    const outcome = stepOutcome({ status: "closed", run_status: "cancelled", decided_by: "", decided_at: decidedAt }, now);
    expect(outcome.label).toBe("Not needed");
    expect(outcome.tone).toBe("neutral");
    expect(outcome.text).toBe("The run was cancelled before anyone decided, 1 h ago; nothing waits on this step.");
    expect(outcome.text).not.toContain("Decided by");
  });

  it("names who decided, and a timeout as a timeout", () => {
    expect(stepOutcome({ status: "approved", decided_by: "ada", decided_at: decidedAt }, now).text).toBe("Decided by ada, 1 h ago.");
    expect(stepOutcome({ status: "rejected", decided_by: "bo", decided_at: null }, now)).toEqual({ label: "Rejected", tone: "danger", text: "Decided by bo." });
    const expired = stepOutcome({ status: "expired", timed_out: true, on_timeout: "fail", decided_at: decidedAt }, now);
    expect(expired.label).toBe("Expired");
    expect(expired.text).toContain("timeout policy (fail)");
  });

  it("keeps a waiting step waiting unless its run has ended", () => {
    expect(stepOutcome({ status: "pending", run_status: "suspended" }, now).label).toBe("Waiting");
    expect(stepOutcome({ status: "pending", run_status: "failed" }, now).text).toBe("The run is failed; nothing waits on this step.");
  });
});

describe("decisionCommentLabel", () => {
  it("is Comment, unless the form asks for a comment of its own", () => {
    expect(decisionCommentLabel({ type: "object", properties: { amount: { type: "number" } } })).toBe("Comment");
    expect(decisionCommentLabel({ type: "object" })).toBe("Comment");
    expect(decisionCommentLabel(null)).toBe("Comment");
    expect(decisionCommentLabel({ type: "object", properties: { comment: { type: "string" } } }))
      .toBe("Comment on your decision (shown in its history)");
    expect(decisionCommentLabel({ type: "object", properties: { note: { type: "string", title: "Comment" } } }))
      .toBe("Comment on your decision (shown in its history)");
  });

  it("leaves out context that says nothing: an empty input, an empty list, a null", () => {
    const entries = contextEntries({ input: {}, lines: [], note: null, zero: 0, order: { id: "A-1" }, text: "" });
    expect(entries.map(([key]) => key)).toEqual(["zero", "order", "text"]);
  });
});
