import { describe, expect, it } from "vitest";
import { describeEvent, filterEvents, formatOffset } from "./eventLog";
import { shortJson } from "./shortJson";
import { applyEvents, initialRunState, type RunEvent } from "./runState";

const ev = (seq: number, type: string, data: unknown = {}, node_id: string | null = null, extra: Partial<RunEvent> = {}): RunEvent =>
  ({ seq, type, ts: 1000 + seq, node_id, data, ...extra });

describe("shortJson", () => {
  it("writes small values whole", () => {
    expect(shortJson({ a: 1, b: ["x", null, true] })).toBe('{"a":1,"b":["x",null,true]}');
  });

  it("cuts a huge value at its limit without walking all of it", () => {
    const huge = Array.from({ length: 100_000 }, (_, i) => ({ i, nested: { deep: [i, i] } }));
    const text = shortJson(huge, 60);
    expect(text.length).toBeLessThanOrEqual(61);
    expect(text.endsWith("…")).toBe(true);
    expect(text.startsWith('[{"i":0,')).toBe(true);
  });

  it("cuts one long string", () => {
    expect(shortJson("x".repeat(500), 20)).toMatch(/^"x{19}…$/);
  });
});

describe("describeEvent", () => {
  it("says a withheld output is not shown, not that it was null", () => {
    const line = describeEvent(ev(4, "node.output", { attempts: 1 }, "pay", { duration_ms: 12, data_withheld: true }));
    expect(line.detail).toBe("12 ms · output not shown to you");
  });

  const title = (id: string) => (id === "approve" ? "Approve the refund" : id);

  it("says who decided an approval, and how, with the comment", () => {
    const rejected = describeEvent(ev(10, "node.output", { output: { approved: false, by: "mona", comment: "too much", data: {}, timed_out: false } }, "approve"));
    expect(rejected).toEqual({ label: "Rejected", detail: "rejected by mona — “too much”", tone: "warn" });
    const approved = describeEvent(ev(10, "node.output", { output: { approved: true, by: "mona", comment: "", data: {}, timed_out: false } }, "approve"));
    expect(approved.label).toBe("Approved");
    expect(approved.detail).toBe("approved by mona");
    const late = describeEvent(ev(10, "node.output", { output: { approved: false, by: null, comment: "", data: {}, timed_out: true } }, "approve"));
    expect(late.detail).toBe("no decision before the deadline");
  });

  it("names whom a waiting step waits for, and what a suspended run waits on", () => {
    const waiting = describeEvent(ev(6, "node.started", { waiting: true, assignees: { users: ["ada"], groups: ["managers"] } }, "approve"));
    expect(waiting).toEqual({ label: "Waiting", detail: "for a decision by group managers, ada", tone: "warn" });
    const suspended = describeEvent(ev(8, "run.suspended", { waiting: { approve: { assignees: { groups: ["managers"] } } } }), title);
    expect(suspended.detail).toBe("waiting for a decision on Approve the refund (group managers)");
    expect(describeEvent(ev(9, "run.resumed", { decisions: ["approve"] }), title).detail).toBe("after the decision on Approve the refund");
  });

  it("gives a failure's code, message and attempts", () => {
    const failed = describeEvent(ev(3, "node.failed", { error: { code: "timeout", message: "took too long", attempts: 3 } }, "fetch"));
    expect(failed).toEqual({ label: "Failed", detail: "timeout: took too long after 3 attempts", tone: "fail" });
    const run = describeEvent(ev(4, "run.failed", { error: { code: "timeout", message: "took too long", node: "approve" } }), title);
    expect(run.detail).toBe("Approve the refund: timeout: took too long");
    const retry = describeEvent(ev(3, "node.retrying", { attempt: 1, delay_s: 0.2, error: { code: "gateway_timeout", message: "try again" } }, "pay"));
    expect(retry.detail).toBe("attempt 1 failed (gateway_timeout: try again); again in 200 ms");
  });

  it("gives a node's duration and a short output", () => {
    const line = describeEvent(ev(5, "node.output", { output: { ok: true }, attempts: 2 }, "n", { duration_ms: 1240 }));
    expect(line.detail).toBe('1.24 s after 2 attempts · {"ok":true}');
    expect(describeEvent(ev(2, "node.started", { items: 150 }, "map")).detail).toBe("150 items");
    expect(describeEvent(ev(7, "node.skipped", { reason: "'check' took then arm, not else" }, "auto")).detail).toContain("then arm");
  });

  it("shows an event type it does not know as it is", () => {
    expect(describeEvent(ev(1, "node.custom", { a: 1 })).label).toBe("node.custom");
  });
});

describe("filterEvents", () => {
  const log = [
    ev(1, "run.started"),
    ev(2, "node.started", {}, "a"),
    ev(3, "node.retrying", { attempt: 1 }, "a"),
    ev(4, "node.failed", {}, "a"),
    ev(5, "node.output", {}, "b"),
    ev(6, "run.failed"),
  ];

  it("keeps every event by default, the same list", () => {
    expect(filterEvents(log)).toBe(log);
  });

  it("keeps the problems, one node's, or both", () => {
    expect(filterEvents(log, { problemsOnly: true }).map((e) => e.seq)).toEqual([3, 4, 6]);
    expect(filterEvents(log, { nodeId: "a" }).map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(filterEvents(log, { problemsOnly: true, nodeId: "b" })).toEqual([]);
  });
});

describe("the run state's log", () => {
  it("holds every applied event once, in seq order, whatever the delivery order", () => {
    let state = initialRunState(["a"]);
    state = applyEvents(state, [ev(2, "node.started", {}, "a"), ev(1, "run.started")]);
    state = applyEvents(state, [ev(2, "node.started", {}, "a"), ev(4, "run.completed")]);
    expect(state.log.map((e) => e.seq)).toEqual([1, 2]);
    state = applyEvents(state, [ev(3, "node.output", {}, "a")]);
    expect(state.log.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });
});

describe("formatOffset", () => {
  it("counts from the run's start", () => {
    expect(formatOffset(1000.5, 1000)).toBe("+500 ms");
    expect(formatOffset(1172, 1000)).toBe("+2 m 52 s");
    expect(formatOffset(999, 1000)).toBe("+0 ms");
    expect(formatOffset(5, null)).toBe("");
  });
});
