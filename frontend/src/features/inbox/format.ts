// Pure helpers for the inbox: how long a step has waited, how long is left, a small
// layered layout of the flow around a step, and how a step's context reads (fields, tables).

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

export type Scalar = string | number | boolean | null;

export function isScalar(value: unknown): value is Scalar {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/** An object an approver reads as fields (total: 900), not as JSON: every value a scalar or
 *  a short list of scalars. Deeper values stay JSON. */
export function asFields(value: unknown): [string, Scalar | Scalar[]][] | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  if (!entries.length || entries.length > 40) return null;
  const flat = entries.every(([, v]) => isScalar(v) || (Array.isArray(v) && v.length <= 20 && v.every(isScalar)));
  return flat ? (entries as [string, Scalar | Scalar[]][]) : null;
}

export interface RecordTableData {
  columns: string[];
  rows: Record<string, Scalar | Scalar[]>[];
}

/** A list of flat records (a map's results, order lines) read as a table: columns in the
 *  order fields first appear, at most 12 of them and 100 rows; anything else is null. */
export function asTable(value: unknown): RecordTableData | null {
  if (!Array.isArray(value) || !value.length || value.length > 100) return null;
  const columns: string[] = [];
  const rows: Record<string, Scalar | Scalar[]>[] = [];
  for (const item of value) {
    const fields = asFields(item);
    if (!fields) return null;
    for (const [name] of fields) if (!columns.includes(name)) columns.push(name);
    rows.push(Object.fromEntries(fields));
  }
  return columns.length <= 12 ? { columns, rows } : null;
}

export type FieldValue = Scalar | Scalar[] | RecordTableData;

export function isTable(value: FieldValue): value is RecordTableData {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An object read as fields, where a field may also be a list of flat records (an order's
 *  lines) shown as a table; anything deeper stays JSON (null). */
export function asFieldsWithTables(value: unknown): [string, FieldValue][] | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const flat = asFields(value);
  if (flat) return flat;
  const entries = Object.entries(value);
  if (!entries.length || entries.length > 40) return null;
  const fields: [string, FieldValue][] = [];
  for (const [name, v] of entries) {
    const scalarOnly = asFields({ [name]: v });
    if (scalarOnly) {
      fields.push(scalarOnly[0]);
      continue;
    }
    const table = asTable(v);
    if (!table) return null;
    fields.push([name, table]);
  }
  return fields;
}

export interface StepOutcomeFacts {
  status: string;
  run_status?: string | null;
  timed_out?: boolean;
  on_timeout?: string;
  decided_by?: string;
  decided_at?: string | null;
}

export interface StepOutcome {
  /** The badge beside the title, in the run page's words ("Waiting", not "pending"). */
  label: string;
  tone: "waiting" | "ok" | "danger" | "neutral";
  /** What happened to the step, for someone who may no longer decide it. */
  text: string;
}

const ENDED_RUN = new Set(["cancelled", "failed", "completed"]);

/** What became of a step: decided, timed out, or closed because its run ended first. */
export function stepOutcome(step: StepOutcomeFacts, now: number = Date.now()): StepOutcome {
  const when = step.decided_at ? `, ${age(step.decided_at, now)}` : "";
  const runEnded = !!step.run_status && ENDED_RUN.has(step.run_status);
  if (step.status === "pending") {
    if (runEnded) {
      return { label: "Not needed", tone: "neutral", text: `The run is ${step.run_status}; nothing waits on this step.` };
    }
    return { label: "Waiting", tone: "waiting", text: "You have answered; the step waits for the other assignees." };
  }
  if (step.status === "closed") {
    // The run ended (cancelled, or failed elsewhere) before anyone decided.
    const why = runEnded ? `The run was ${step.run_status}` : "The run ended";
    return { label: "Not needed", tone: "neutral", text: `${why} before anyone decided${when}; nothing waits on this step.` };
  }
  if (step.timed_out || step.status === "expired") {
    return {
      label: step.status === "expired" ? "Expired" : step.status === "approved" ? "Approved" : "Rejected",
      tone: step.status === "approved" ? "ok" : "danger",
      text: `Nobody decided before the deadline${when}; its timeout policy (${step.on_timeout ?? "fail"}) applied.`,
    };
  }
  const approved = step.status === "approved";
  const by = step.decided_by ? `Decided by ${step.decided_by}` : "Decided";
  return { label: approved ? "Approved" : "Rejected", tone: approved ? "ok" : "danger", text: `${by}${when}.` };
}

/** A run of characters without a space this long (a URL, an id, a token) is kept whole:
 * on one line, cut with an ellipsis when wider than its box, the full value on hover. */
export const LONG_TOKEN = 24;

export interface TextPart {
  text: string;
  /** An unbroken run of LONG_TOKEN characters or more. */
  long: boolean;
}

/** `text` as words and spaces (wrapped at word boundaries) and long unbroken tokens. */
export function splitLongTokens(text: string, longest = LONG_TOKEN): TextPart[] {
  const parts: TextPart[] = [];
  let plain = "";
  for (const piece of text.split(/(\s+)/)) {
    if (piece.length >= longest && !/\s/.test(piece)) {
      if (plain) parts.push({ text: plain, long: false });
      parts.push({ text: piece, long: true });
      plain = "";
    } else {
      plain += piece;
    }
  }
  if (plain) parts.push({ text: plain, long: false });
  return parts;
}

/** The label of the decision's own comment box: "Comment", unless the step's form already
 *  has a field of that name (two boxes labelled "Comment", one above the other, left the
 *  approver guessing which one the run reads). */
export function decisionCommentLabel(formSchema: unknown): string {
  const properties = (formSchema as { properties?: Record<string, { title?: unknown }> } | null)?.properties;
  const named = Object.entries(properties ?? {}).some(([key, field]) =>
    [key, typeof field?.title === "string" ? field.title : ""].some((name) => name.trim().toLowerCase() === "comment"));
  return named ? "Comment on your decision (shown in its history)" : "Comment";
}

/** The context entries worth a row: a run started with no input has `input: {}`, which
 * tells the approver nothing, so empty objects, empty lists and nulls are left out. */
export function contextEntries(context: Record<string, unknown>): [string, unknown][] {
  return Object.entries(context).filter(([, value]) => {
    if (value == null) return false;
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === "object") return Object.keys(value as object).length > 0;
    return true;
  });
}
