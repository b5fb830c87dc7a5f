// Who waits for whom: data references, `after` lists and branch/switch arms, as
// docs/ir.md defines them. Cycle checks and upstream lookups for the editor.
import { referencedIds } from "./expressions";
import type { FlowIR, IrNode } from "./types";

export type EdgeKind = "data" | "after" | "arm";

export interface Dependency {
  from: string;
  to: string;
  kind: EdgeKind;
  /** For arms: "then", "else", "case:<key>" or "default". */
  arm?: string;
}

/** The arms of a branch or switch node, in order, with their target ids. */
export function armsOf(node: IrNode): { arm: string; targets: string[] }[] {
  if (node.type === "branch") {
    return [
      { arm: "then", targets: node.then ?? [] },
      { arm: "else", targets: node.else ?? [] },
    ];
  }
  if (node.type === "switch") {
    return [
      ...Object.entries(node.cases ?? {}).map(([key, targets]) => ({ arm: `case:${key}`, targets })),
      { arm: "default", targets: node.default ?? [] },
    ];
  }
  return [];
}

const cache = new WeakMap<FlowIR, Dependency[]>();

/** Every dependency of the flow (only between existing nodes), in IR order; cached per IR. */
export function dependencies(ir: FlowIR): Dependency[] {
  let found = cache.get(ir);
  if (!found) {
    found = computeDependencies(ir);
    cache.set(ir, found);
  }
  return found;
}

function computeDependencies(ir: FlowIR): Dependency[] {
  const ids = new Set(ir.nodes.map((node) => node.id));
  const deps: Dependency[] = [];
  for (const node of ir.nodes) {
    for (const ref of referencedIds(node, ids)) deps.push({ from: ref, to: node.id, kind: "data" });
    for (const before of node.after ?? []) {
      if (ids.has(before)) deps.push({ from: before, to: node.id, kind: "after" });
    }
    for (const { arm, targets } of armsOf(node)) {
      for (const target of targets) {
        if (ids.has(target)) deps.push({ from: node.id, to: target, kind: "arm", arm });
      }
    }
  }
  return deps;
}

/** node id -> ids it depends on. */
export function dependencyMap(ir: FlowIR): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>(ir.nodes.map((node) => [node.id, new Set()]));
  for (const dep of dependencies(ir)) map.get(dep.to)?.add(dep.from);
  return map;
}

function reachable(start: string, next: Map<string, Set<string>>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(next.get(start) ?? [])];
  while (stack.length) {
    const current = stack.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    for (const more of next.get(current) ?? []) stack.push(more);
  }
  return seen;
}

/** Every node `nodeId` waits for, directly or not. */
export function upstreamIds(ir: FlowIR, nodeId: string): Set<string> {
  return reachable(nodeId, dependencyMap(ir));
}

/** Every node that waits for `nodeId`, directly or not. */
export function downstreamIds(ir: FlowIR, nodeId: string): Set<string> {
  const dependents = new Map<string, Set<string>>(ir.nodes.map((node) => [node.id, new Set()]));
  for (const dep of dependencies(ir)) dependents.get(dep.from)?.add(dep.to);
  return reachable(nodeId, dependents);
}

/** Would making `to` wait for `from` close a cycle (a self-loop included)? */
export function wouldCreateCycle(ir: FlowIR, from: string, to: string): boolean {
  if (from === to) return true;
  return upstreamIds(ir, from).has(to);
}

/**
 * A node through which `to` already waits for `from`, when its `after: [from]` would add
 * nothing: a chain of other dependencies leads from `from` to `to`, and `to` and every node
 * on that chain wait for all their dependencies (`trigger: "all"`), so `to` cannot start
 * before `from` completed, nor run when `from` was skipped. Null when the edge matters (no
 * such chain, or an `any` trigger that could start `to` first).
 */
export function orderedThrough(ir: FlowIR, from: string, to: string): string | null {
  const { next, waitsForAny } = orderGraph(ir);
  if (from === to || waitsForAny.has(to)) return null;
  // Depth-first from `from` through nodes that wait for all, remembering the first step;
  // the direct edge `from` -> `to` itself does not count.
  const seen = new Set<string>();
  const stack = (next.get(from) ?? []).filter((id) => id !== to && !waitsForAny.has(id)).map((id) => [id, id] as const);
  while (stack.length) {
    const [current, first] = stack.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    for (const after of next.get(current) ?? []) {
      if (after === to) return first;
      if (!waitsForAny.has(after)) stack.push([after, first]);
    }
  }
  return null;
}

const orderCache = new WeakMap<FlowIR, { next: Map<string, string[]>; waitsForAny: Set<string> }>();

/** Each node's dependents, and the nodes with `trigger: "any"`; cached per IR. */
function orderGraph(ir: FlowIR): { next: Map<string, string[]>; waitsForAny: Set<string> } {
  let found = orderCache.get(ir);
  if (!found) {
    const next = new Map<string, string[]>();
    for (const dep of dependencies(ir)) {
      const list = next.get(dep.from);
      if (list) list.push(dep.to);
      else next.set(dep.from, [dep.to]);
    }
    found = { next, waitsForAny: new Set(ir.nodes.filter((node) => node.trigger === "any").map((node) => node.id)) };
    orderCache.set(ir, found);
  }
  return found;
}
