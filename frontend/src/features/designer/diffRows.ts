// The flow-level changes of a diff as rows a person reads: `metadata` (prompt, planner,
// tags…) is one JSON object in the IR, shown as the keys that changed in it.
export interface FlowChangeRow {
  field: string;
  before: unknown;
  after: unknown;
}

/** Bookkeeping every save rewrites: not a change a person made. */
const BOOKKEEPING = new Set(["created_at"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function flowChangeRows(changes: Record<string, { before?: unknown; after?: unknown }>): FlowChangeRow[] {
  const rows: FlowChangeRow[] = [];
  for (const [field, change] of Object.entries(changes)) {
    const { before, after } = change;
    if (field === "metadata" && (isRecord(before) || before == null) && (isRecord(after) || after == null)) {
      const was = before ?? {};
      const now = after ?? {};
      for (const key of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
        if (!BOOKKEEPING.has(key) && JSON.stringify(was[key]) !== JSON.stringify(now[key])) {
          rows.push({ field: `metadata.${key}`, before: was[key], after: now[key] });
        }
      }
      continue;
    }
    rows.push({ field, before, after });
  }
  return rows;
}
