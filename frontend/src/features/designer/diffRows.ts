// The flow-level changes of a diff as rows a person reads: `metadata` (prompt, planner,
// tags…) is one JSON object in the IR, shown as the keys that changed in it; the run input
// (`input_schema`) as the fields added, removed or changed ("input.name: string, required"),
// not as two blobs of JSON Schema.
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

/** One run-input field in words: "string, required · The address to check." */
export function describeInputField(schema: unknown, required: boolean): string {
  const field = isRecord(schema) ? schema : {};
  const type = Array.isArray(field.enum)
    ? `one of ${field.enum.map((v) => JSON.stringify(v)).join(", ")}`
    : typeof field.type === "string" ? field.type === "array" && isRecord(field.items) && typeof field.items.type === "string"
      ? `list of ${field.items.type}` : field.type
      : "any value";
  const parts = [type, required ? "required" : "optional"];
  if (field.default !== undefined) parts.push(`default ${JSON.stringify(field.default)}`);
  const words = typeof field.description === "string" && field.description ? ` · ${field.description}` : "";
  return parts.join(", ") + words;
}

function inputSchemaRows(before: Record<string, unknown>, after: Record<string, unknown>): FlowChangeRow[] {
  const rows: FlowChangeRow[] = [];
  const props = (schema: Record<string, unknown>) => (isRecord(schema.properties) ? schema.properties : {});
  const required = (schema: Record<string, unknown>) =>
    new Set(Array.isArray(schema.required) ? schema.required.filter((n): n is string => typeof n === "string") : []);
  const [wasProps, nowProps] = [props(before), props(after)];
  const [wasRequired, nowRequired] = [required(before), required(after)];
  for (const name of [...new Set([...Object.keys(wasProps), ...Object.keys(nowProps)])].sort()) {
    const was = name in wasProps ? describeInputField(wasProps[name], wasRequired.has(name)) : undefined;
    const now = name in nowProps ? describeInputField(nowProps[name], nowRequired.has(name)) : undefined;
    if (was !== now) rows.push({ field: `input.${name}`, before: was, after: now });
  }
  // anything else in the schema (a title, additionalProperties…) key by key
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (key === "properties" || key === "required") continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      rows.push({ field: `input_schema.${key}`, before: before[key], after: after[key] });
    }
  }
  return rows;
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
    if (field === "input_schema" && (isRecord(before) || before == null) && (isRecord(after) || after == null)) {
      rows.push(...inputSchemaRows(before ?? {}, after ?? {}));
      continue;
    }
    rows.push({ field, before, after });
  }
  return rows;
}

function isEmpty(value: unknown): boolean {
  return value == null || (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
}

/** A node field that did not really change: a move, or "nothing" written another way
 *  (`after: []` in one version, no `after` in the next). */
export function isNoiseChange(field: string, before: unknown, after: unknown): boolean {
  return field === "position" || (isEmpty(before) && isEmpty(after));
}
