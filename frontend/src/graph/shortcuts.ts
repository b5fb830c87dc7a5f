// Data lines that repeat what a longer path already shows: in a run-on flow where many later
// steps read one early step, every such read draws a line back across the flow, and the
// rows a long flow folds into fill with them. A step that reads a node it already waits for
// through other steps is drawn on that path; the direct line is a shortcut, laid out as if
// absent and shown only when one of its ends is picked (as n8n, whose lines are the order
// alone, shows where an expression reads from on demand).

export interface ShortcutCandidate {
  id: string;
  source: string;
  target: string;
  data?: { kind?: string };
}

/** The ids of the data edges whose target is reached from their source by another path.
 * Each one found is set aside before the next is looked at, so that in a cycle two edges
 * cannot each count the other's path and both go. */
export function shortcutEdgeIds(edges: readonly ShortcutCandidate[]): Set<string> {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.source === edge.target) continue;
    const list = next.get(edge.source);
    if (list) list.push(edge.target);
    else next.set(edge.source, [edge.target]);
  }
  const found = new Set<string>();
  for (const edge of edges) {
    if (edge.data?.kind !== "data" || edge.source === edge.target) continue;
    if (!reachesAround(next, edge.source, edge.target)) continue;
    found.add(edge.id);
    const targets = next.get(edge.source)!;
    targets.splice(targets.indexOf(edge.target), 1);
  }
  return found;
}

/** Whether `to` is reached from `from` through at least one step in between. */
function reachesAround(next: ReadonlyMap<string, string[]>, from: string, to: string): boolean {
  const seen = new Set<string>([from]);
  const stack = (next.get(from) ?? []).filter((id) => id !== to);
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const after of next.get(id) ?? []) if (!seen.has(after)) stack.push(after);
  }
  return false;
}

/** The edges without the shortcuts: what the layout places the cards by. */
export function withoutShortcuts<E extends ShortcutCandidate>(edges: readonly E[], shortcuts: ReadonlySet<string> = shortcutEdgeIds(edges)): E[] {
  return shortcuts.size ? edges.filter((edge) => !shortcuts.has(edge.id)) : [...edges];
}

/** The class an edge is drawn with where shortcuts hide (the designer, the run page, the
 * version diff, so that the three agree): `edge-shortcut` (hidden) for a shortcut, and
 * `edge-lit` for any edge with an end among `lit` (the picked or pointed-at steps), which
 * shows a shortcut. Empty when neither. */
export function shortcutClass(edge: ShortcutCandidate, shortcuts: ReadonlySet<string>, lit: ReadonlySet<string>): string {
  const names: string[] = [];
  if (shortcuts.has(edge.id)) names.push("edge-shortcut");
  if (lit.has(edge.source) || lit.has(edge.target)) names.push("edge-lit");
  return names.join(" ");
}
