// A value as one short line of JSON: for summaries of values that may be huge.

/**
 * Compact JSON of `value`, cut at about `max` characters with an ellipsis. Walks only as
 * far as it writes, so a node output of a hundred thousand items costs no more than a small one.
 */
export function shortJson(value: unknown, max = 90): string {
  let out = "";
  const write = (text: string): boolean => {
    out += text;
    return out.length <= max;
  };
  const walk = (v: unknown): boolean => {
    if (v === null || v === undefined) return write("null");
    if (typeof v === "string") return write(JSON.stringify(v.length > max ? v.slice(0, max) : v));
    if (typeof v !== "object") return write(String(v));
    if (Array.isArray(v)) {
      if (!write("[")) return false;
      for (let i = 0; i < v.length; i++) {
        if (i && !write(",")) return false;
        if (!walk(v[i])) return false;
      }
      return write("]");
    }
    if (!write("{")) return false;
    let first = true;
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
      if (!first && !write(",")) return false;
      first = false;
      if (!write(`${JSON.stringify(key)}:`) || !walk(item)) return false;
    }
    return write("}");
  };
  return walk(value) ? out : `${out.slice(0, max)}…`;
}
