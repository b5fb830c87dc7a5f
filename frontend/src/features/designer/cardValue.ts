// How a value reads on a node card: text as text (a CEL string literal without its quotes, an
// approval's instructions), text with `{{ }}` parts as text with those parts marked, and
// anything else as the CEL expression it is.
import type { KeyRowKind } from "../../graph";
import { templateOf, templateParts } from "./textTemplate";

/** A run of a card value: text as written, or an expression. */
export interface CardValuePiece {
  text: string;
  expression: boolean;
}

export interface CardValue {
  /** The whole value is one expression (shown as code), not text. */
  expression: boolean;
  pieces: CardValuePiece[];
}

function templatePieces(template: string): CardValuePiece[] {
  return templateParts(template).flatMap((part): CardValuePiece[] => {
    if (part.kind === "text") return [{ text: part.text, expression: false }];
    if (part.source === "") return [{ text: template.slice(part.start, part.end), expression: false }];
    return [{ text: part.source, expression: true }];
  });
}

export function cardValue(value: string, kind: KeyRowKind): CardValue {
  if (kind === "text") return { expression: false, pieces: [{ text: value, expression: false }] };
  const template = kind === "template" ? value : templateOf(value);
  if (template === null) return { expression: true, pieces: [{ text: value, expression: true }] };
  return { expression: false, pieces: templatePieces(template) };
}
