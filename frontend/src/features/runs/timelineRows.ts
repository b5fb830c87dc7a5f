// The timeline's rows: the nodes that ran, in the order they started, with the nodes that
// were skipped (a branch not taken, a rejected approval) among them at the time they were
// skipped, so a step not taken reads as skipped rather than missing.
import type { NodeState, RunState } from "./runState";

export function timelineRows(state: Pick<RunState, "started" | "nodes">): NodeState[] {
  const started = new Set(state.started);
  const ran = state.started.map((id) => state.nodes[id]).filter(Boolean);
  const skipped = Object.values(state.nodes)
    .filter((node) => node.status === "skipped" && !started.has(node.id) && node.finishedAt !== null)
    .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
  if (!skipped.length) return ran;
  const rows: NodeState[] = [];
  let next = 0;
  for (const node of ran) {
    const at = node.startedAt ?? node.finishedAt ?? 0;
    while (next < skipped.length && (skipped[next].finishedAt ?? 0) < at) rows.push(skipped[next++]);
    rows.push(node);
  }
  while (next < skipped.length) rows.push(skipped[next++]);
  return rows;
}
