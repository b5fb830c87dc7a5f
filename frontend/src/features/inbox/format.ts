// Pure helpers for the inbox: how long a step has waited, how long is left, and a small
// layered layout of the flow around a step.

const UNITS: [number, string][] = [
  [86400, "d"],
  [3600, "h"],
  [60, "min"],
];

/** "3 d", "5 h", "12 min", "now" — the largest unit that fits. */
export function span(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  for (const [size, unit] of UNITS) {
    if (s >= size) return `${Math.floor(s / size)} ${unit}`;
  }
  return s < 30 ? "now" : `${s} s`;
}

export function age(createdAt: string, now: number = Date.now()): string {
  const seconds = (now - Date.parse(createdAt)) / 1000;
  const text = span(seconds);
  return text === "now" ? "just now" : `${text} ago`;
}

export interface DeadlineInfo {
  text: string;
  tone: "" | "warn" | "danger";
}

/** "in 5 h" (warn under an hour), "overdue" (danger), "none". */
export function deadline(at: string | null | undefined, now: number = Date.now()): DeadlineInfo {
  if (!at) return { text: "none", tone: "" };
  const seconds = (Date.parse(at) - now) / 1000;
  if (seconds <= 0) return { text: "overdue", tone: "danger" };
  return { text: `in ${span(seconds) === "now" ? "moments" : span(seconds)}`, tone: seconds < 3600 ? "warn" : "" };
}

export interface Placed {
  id: string;
  layer: number;
  row: number;
}

/** Layers by longest path from the sources (edges are [from, to]); rows in input order. */
export function layers(ids: string[], edges: string[][]): Placed[] {
  const deps = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [from, to] of edges) deps.get(to)?.push(from);
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // a cycle: cannot happen in a valid flow; do not loop
    seen.add(id);
    const d = Math.max(-1, ...(deps.get(id) ?? []).filter((x) => deps.has(x)).map((x) => visit(x, seen))) + 1;
    depth.set(id, d);
    return d;
  };
  const rows = new Map<number, number>();
  return ids.map((id) => {
    const layer = visit(id, new Set());
    const row = rows.get(layer) ?? 0;
    rows.set(layer, row + 1);
    return { id, layer, row };
  });
}

/** The assignees as one line: "bob, carol · group managers". */
export function assigneeText(assignees: { users: string[]; groups: string[] }): string {
  const parts = [];
  if (assignees.users.length) parts.push(assignees.users.join(", "));
  if (assignees.groups.length) parts.push(`group ${assignees.groups.join(", ")}`);
  return parts.join(" · ") || "the run's owner";
}
