import { describe, expect, it } from "vitest";
import type { NodeState } from "./runState";
import { timelineRows } from "./timelineRows";

function node(id: string, status: NodeState["status"], startedAt: number | null, finishedAt: number | null): NodeState {
  return { id, status, startedAt, finishedAt, durationMs: null, error: null, attempts: 1, retries: [], items: null, skipReason: null, starts: 1 };
}

describe("timelineRows", () => {
  it("puts the skipped steps among those that ran, at the time they were skipped", () => {
    const nodes = {
      a: node("a", "completed", 1, 2),
      b: node("b", "skipped", null, 2.5),
      c: node("c", "completed", 3, 4),
      d: node("d", "skipped", null, 5),
      e: node("e", "pending", null, null),
    };
    expect(timelineRows({ started: ["a", "c"], nodes }).map((n) => n.id)).toEqual(["a", "b", "c", "d"]);
  });
  it("keeps the started order when nothing was skipped", () => {
    const nodes = { a: node("a", "completed", 1, 2), c: node("c", "running", 0.5, null) };
    expect(timelineRows({ started: ["a", "c"], nodes }).map((n) => n.id)).toEqual(["a", "c"]);
  });
});
