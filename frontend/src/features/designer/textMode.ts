// A text input's two ways of being edited, as in n8n's Fixed / Expression: Text keeps what is
// typed as text (stored as a CEL string literal, so the IR stays CEL) and Expression is the
// CEL box. Which one a field opens in follows from what it holds.
import type { InputShape } from "./inputShape";

export type InputMode = "text" | "expression";

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

/** Whether an input is text to type (a string with no listed values): it gets the switch. */
export function offersTextMode(shape: InputShape): boolean {
  return shape.typeLabel.split(" or ").includes("string") && shape.choices.length === 0;
}

/** The mode a field opens in: Text for a plain string literal or, in a text input, nothing yet. */
export function initialMode(value: string, shape: InputShape): InputMode {
  if (!offersTextMode(shape)) return "expression";
  return value.trim() === "" || textOf(value) !== null ? "text" : "expression";
}

/** What a field holds once switched to Text: its text as it was, or what was typed, quoted. */
export function toTextMode(value: string): string {
  if (value.trim() === "" || textOf(value) !== null) return value;
  return textLiteral(value.trim());
}

const REFERENCE = /^([A-Za-z_]\w*)(\.[A-Za-z_]\w*|\[\d+\])*$/;

/**
 * Whether text typed in Text mode reads as a reference to something the flow has
 * (`input.email`, `check.valid`), which the person likely meant as an expression.
 */
export function readsAsReference(text: string, roots: readonly string[]): boolean {
  const match = REFERENCE.exec(text.trim());
  return !!match && text.includes(".") && roots.includes(match[1]);
}
