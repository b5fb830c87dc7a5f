// A text input's two ways of being edited, as in n8n's Fixed / Expression: Text keeps what is
// typed as text (stored as a CEL string literal, or a concatenation for `{{ }}` parts, so the
// IR stays CEL; see textTemplate) and Expression is the CEL box. Which one a field opens in
// follows from what it holds.
import type { InputShape } from "./inputShape";
import { textLiteral, textOf } from "./celString";
import { templateOf } from "./textTemplate";

export { textLiteral, textOf };

export type InputMode = "text" | "expression";

/** Whether an input is text to type (a string with no listed values): it gets the switch. */
export function offersTextMode(shape: InputShape): boolean {
  return shape.typeLabel.split(" or ").includes("string") && shape.choices.length === 0;
}

/** The mode a field opens in: Text for text (with `{{ }}` parts or none) or, in a text input,
 *  nothing yet. */
export function initialMode(value: string, shape: InputShape): InputMode {
  if (!offersTextMode(shape)) return "expression";
  return value.trim() === "" || templateOf(value) !== null ? "text" : "expression";
}

/** What a field holds once switched to Text: its text as it was, or what was typed, quoted. */
export function toTextMode(value: string): string {
  if (value.trim() === "" || templateOf(value) !== null) return value;
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
