import { describe, expect, it } from "vitest";
import { applyEvents, hasGap, initialRunState, statusCounts, type RunEvent } from "./runState";

const T0 = 1_700_000_000;

function ev(seq: number, type: string, node_id: string | null = null, data: unknown = {}, duration_ms: number | null = null): RunEvent {
  return { seq, type, ts: T0 + seq / 10, node_id, data, elapsed_ms: seq * 100, duration_ms };
}

/** A run: a branch takes `then`, a map of 3 items, two tools in parallel, one retry. */
function stream(): RunEvent[] {
  return [
    ev(1, "run.started", null, { input: { n: 3 } }),
    ev(2, "node.started", "check"),
    ev(3, "node.output", "check", { output: { value: true, taken: "then" } }, 5),
    ev(4, "node.skipped", "small", { reason: "arm not taken" }),
    ev(5, "node.started", "each", { items: 3 }),
    ev(6, "node.started", "left", { inputs: { a: 1 } }),
    ev(7, "node.started", "right", { inputs: { b: 2 } }),
    ev(8, "node.retrying", "right", { attempt: 1, delay_s: 0.5, error: { code: "timeout", message: "slow" } }),
    ev(9, "node.output", "left", { output: { ok: true }, attempts: 1 }, 120),
    ev(10, "node.output", "right", { output: { ok: true }, attempts: 2 }, 700),
    ev(11, "node.output", "each", { output: [1, 2, 3], attempts: 3 }, 300),
    ev(12, "run.completed", null, { output: { done: true } }),
  ];
}

const IDS = ["check", "small", "each", "left", "right"];

describe("applyEvents", () => {
  it("reduces a run's events to node states", () => {
    const state = applyEvents(initialRunState(IDS), stream());
    expect(state.runStatus).toBe("completed");
    expect(state.lastSeq).toBe(12);
    expect(state.result).toEqual({ done: true });
    expect(state.nodes.check.status).toBe("completed");
    expect(state.nodes.small.status).toBe("skipped");
    expect(state.nodes.small.skipReason).toBe("arm not taken");
    expect(state.nodes.each.items).toEqual({ total: 3, done: 3 });
    expect(state.nodes.left.inputs).toEqual({ a: 1 });
    expect(state.nodes.right.attempts).toBe(2);
    expect(state.nodes.right.retries).toEqual([
      { attempt: 1, delayS: 0.5, error: { code: "timeout", message: "slow" }, ts: T0 + 0.8 },
    ]);
    expect(state.nodes.right.durationMs).toBe(700);
    expect(state.started).toEqual(["check", "each", "left", "right"]);
    expect(statusCounts(state)).toMatchObject({ completed: 4, skipped: 1, pending: 0 });
  });

  it("shows a node running while it runs, and a map's item count", () => {
    const state = applyEvents(initialRunState(IDS), stream().slice(0, 7));
    expect(state.runStatus).toBe("running");
    expect(state.nodes.left.status).toBe("running");
    expect(state.nodes.each.items).toEqual({ total: 3, done: 0 });
    expect(state.nodes.right.status).toBe("running");
    expect(state.nodes.check.status).toBe("completed");
  });

  it("gives the same state for any delivery order", () => {
    const inOrder = applyEvents(initialRunState(IDS), stream());
    const shuffled = [...stream()].reverse();
    let state = initialRunState(IDS);
    for (const event of shuffled) state = applyEvents(state, [event]);
    expect(state.nodes).toEqual(inOrder.nodes);
    expect(state.runStatus).toBe("completed");
    expect(state.started).toEqual(inOrder.started);
    expect(hasGap(state)).toBe(false);
  });

  it("holds events after a gap until the gap is filled", () => {
    const events = stream();
    let state = applyEvents(initialRunState(IDS), events.slice(0, 5));
    state = applyEvents(state, events.slice(6));
    expect(state.lastSeq).toBe(5);
    expect(hasGap(state)).toBe(true);
    expect(state.nodes.left.status).toBe("pending");
    expect(state.runStatus).toBe("running");
    state = applyEvents(state, [events[5]]);
    expect(state.lastSeq).toBe(12);
    expect(hasGap(state)).toBe(false);
    expect(state.runStatus).toBe("completed");
  });

  it("drops duplicates, applied or held", () => {
    const events = stream();
    const once = applyEvents(initialRunState(IDS), events);
    const twice = applyEvents(applyEvents(initialRunState(IDS), [...events, ...events]), events);
    expect(twice.nodes).toEqual(once.nodes);
    expect(twice.applied).toBe(12);
    expect(twice.nodes.right.retries).toHaveLength(1);
    expect(applyEvents(once, events.slice(3, 6))).toBe(once);

    let held = applyEvents(initialRunState(IDS), [events[2], events[2]]);
    held = applyEvents(held, [events[2]]);
    expect(held.held.size).toBe(1);
    held = applyEvents(held, events.slice(0, 2));
    expect(held.lastSeq).toBe(3);
    expect(held.applied).toBe(3);
  });

  it("keeps untouched nodes identical, so they do not re-render", () => {
    const before = applyEvents(initialRunState(IDS), stream().slice(0, 6));
    const after = applyEvents(before, [stream()[6]]);
    expect(after.nodes.right).not.toBe(before.nodes.right);
    expect(after.nodes.left).toBe(before.nodes.left);
    expect(after.nodes.check).toBe(before.nodes.check);
  });

  it("marks running and pending nodes cancelled when the run is cancelled", () => {
    const events = [...stream().slice(0, 7), ev(8, "run.cancelled", null, { reason: "cancelled on request" })];
    const state = applyEvents(initialRunState([...IDS, "later"]), events);
    expect(state.runStatus).toBe("cancelled");
    expect(state.nodes.left.status).toBe("cancelled");
    expect(state.nodes.left.finishedAt).toBe(T0 + 0.8);
    expect(state.nodes.later.status).toBe("cancelled");
    expect(state.nodes.check.status).toBe("completed");
  });

  it("records a failure with its attempts", () => {
    const events = [
      ev(1, "run.started"),
      ev(2, "node.started", "left"),
      ev(3, "node.retrying", "left", { attempt: 1, delay_s: 0.1, error: { code: "timeout" } }),
      ev(4, "node.retrying", "left", { attempt: 2, delay_s: 0.2, error: { code: "timeout" } }),
      ev(5, "node.failed", "left", { error: { code: "timeout", message: "took too long", attempts: 3 } }, 900),
      ev(6, "run.failed", null, { error: { code: "timeout", message: "took too long", node: "left" } }),
    ];
    const state = applyEvents(initialRunState(["left", "right"]), events);
    expect(state.runStatus).toBe("failed");
    expect(state.error).toMatchObject({ code: "timeout", node: "left" });
    expect(state.nodes.left).toMatchObject({ status: "failed", attempts: 3, durationMs: 900 });
    expect(state.nodes.left.retries.map((r) => r.delayS)).toEqual([0.1, 0.2]);
    expect(state.nodes.right.status).toBe("pending");
  });

  it("waits on an approval, then resumes", () => {
    const events = [
      ev(1, "run.started"),
      ev(2, "node.started", "ok", { waiting: true, context: { amount: 5 } }),
      ev(3, "run.suspended", null, { waiting: { ok: { title: "OK?" } } }),
    ];
    let state = applyEvents(initialRunState(["ok", "after"]), events);
    expect(state.runStatus).toBe("suspended");
    expect(state.nodes.ok.status).toBe("waiting");
    expect(state.nodes.ok.context).toEqual({ amount: 5 });
    expect(state.waiting).toEqual({ ok: { title: "OK?" } });
    state = applyEvents(state, [
      ev(4, "run.resumed", null, { decisions: ["ok"] }),
      ev(5, "node.output", "ok", { output: { approved: true } }),
      ev(6, "node.started", "after"),
    ]);
    expect(state.runStatus).toBe("running");
    expect(state.waiting).toBeNull();
    expect(state.nodes.ok.status).toBe("completed");
    expect(state.nodes.after.status).toBe("running");
  });

  it("says when the run lost its worker, and ends the node whose checkpoint the recovery recorded", () => {
    // The worker died after n1's checkpoint and before its event: the recovery adds it.
    const state = applyEvents(initialRunState(["n1", "n2"]), [
      ev(1, "run.started"),
      ev(2, "node.started", "n1"),
      ev(3, "run.recovered", null, { lost: 1, limit: 5, reason: "its worker stopped renewing the lease" }),
      ev(4, "node.output", "n1", { output: { ok: 1 }, attempts: 1, recovered: true }, 250),
      ev(5, "run.resumed", null, { decisions: [] }),
      ev(6, "node.started", "n2"),
      ev(7, "node.output", "n2", { output: 2 }),
      ev(8, "run.completed", null, { output: 2 }),
    ]);
    expect(state.recovered).toEqual({ lost: 1, limit: 5, ts: T0 + 0.3 });
    expect(state.nodes.n1).toMatchObject({ status: "completed", output: { ok: 1 }, durationMs: 250, starts: 1 });
    expect(statusCounts(state)).toMatchObject({ completed: 2, cancelled: 0 });
    expect(applyEvents(initialRunState(["n1"]), [ev(1, "run.started")]).recovered).toBeNull();
  });

  it("applies a 10,000-event burst in one call quickly", () => {
    const ids = Array.from({ length: 300 }, (_, i) => `n${i}`);
    const events: RunEvent[] = [ev(1, "run.started")];
    for (let seq = 2; events.length < 10_000; seq += 1) {
      const id = ids[seq % ids.length];
      const type = seq % 3 === 0 ? "node.started" : seq % 3 === 1 ? "node.retrying" : "node.output";
      events.push(ev(seq, type, id, { attempt: 1, output: seq }));
    }
    const started = performance.now();
    const state = applyEvents(initialRunState(ids), events);
    expect(performance.now() - started).toBeLessThan(500);
    expect(state.lastSeq).toBe(10_000);
  });
});
