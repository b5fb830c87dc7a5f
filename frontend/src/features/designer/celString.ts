// CEL string literals read as the text they stand for, and text written as one.
/** A single-quoted CEL string with nothing to unescape (`'billing'`). */
const PLAIN_SINGLE_QUOTED = /^'([^'\\\n\r]*)'$/;

/** The CEL string literal that stands for `text` (JSON's quoting is CEL's too). */
export function textLiteral(text: string): string {
  return JSON.stringify(text);
}

/**
 * The text `expression` stands for when it is nothing but one plain string literal (`"Hi"`,
 * `'Hi'`); null for anything else (a reference, a sum, a number, an empty field). Only a
 * literal written back exactly as it was read counts, so opening a field in Text mode never
 * rewrites what it holds.
 */
export function textOf(expression: string): string | null {
  const source = expression.trim();
  const single = PLAIN_SINGLE_QUOTED.exec(source);
  if (single) return single[1];
  if (!source.startsWith('"') || source.includes("\\/")) return null; // JSON's `\/` is not CEL
  try {
    const parsed: unknown = JSON.parse(source);
    return typeof parsed === "string" && textLiteral(parsed) === source ? parsed : null;
  } catch {
    return null;
  }
}
