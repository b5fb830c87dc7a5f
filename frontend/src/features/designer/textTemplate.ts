// Text with `{{ expr }}` parts, as n8n writes it (`Hello {{ customer.name }}!`), kept in the IR
// as the CEL concatenation it stands for (`"Hello " + string(customer.name) + "!"`), so the IR
// stays pure CEL and Text mode can read a value back only when writing it again gives exactly
// what the IR holds.
import { textLiteral, textOf } from "./celString";

/** One piece of a template: text as typed, or the CEL expression inside `{{ }}`. */
export type TemplatePart = { kind: "text"; text: string } | { kind: "expression"; source: string; start: number; end: number };

const PLACEHOLDER = /\{\{([\s\S]*?)\}\}/g;

/** The pieces of `template`, in order; `start`/`end` locate a placeholder, braces included. */
export function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const start = match.index ?? 0;
    if (start > at) parts.push({ kind: "text", text: template.slice(at, start) });
    parts.push({ kind: "expression", source: match[1].trim(), start, end: start + match[0].length });
    at = start + match[0].length;
  }
  if (at < template.length) parts.push({ kind: "text", text: template.slice(at) });
  return parts;
}

/** Whether `template` holds a `{{ }}` part with something in it (else it is one string literal). */
export function hasPlaceholders(template: string): boolean {
  return filledPlaceholders(template).length > 0;
}

/**
 * The CEL expression `template` stands for: a plain literal for text alone, else the text
 * pieces as literals and each `{{ expr }}` as `string(expr)`, joined by `+`. An empty
 * placeholder (`{{ }}`) stays text: it stands for nothing yet.
 */
export function celOfTemplate(template: string): string {
  if (template === "") return "";
  const pieces: string[] = [];
  let text = "";
  for (const part of templateParts(template)) {
    if (part.kind === "expression" && part.source !== "") {
      if (text) pieces.push(textLiteral(text));
      text = "";
      pieces.push(`string(${part.source})`);
    } else {
      text += part.kind === "text" ? part.text : template.slice(part.start, part.end);
    }
  }
  if (text || pieces.length === 0) pieces.push(textLiteral(text));
  return pieces.join(" + ");
}

/** `source` cut at its top-level `+` signs (not inside strings or brackets); null if unbalanced. */
function topLevelTerms(source: string): string[] | null {
  const terms: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== ch) j += source[j] === "\\" ? 2 : 1;
      if (j >= source.length) return null;
      i = j;
    } else if ("([{".includes(ch)) {
      depth += 1;
    } else if (")]}".includes(ch)) {
      depth -= 1;
      if (depth < 0) return null;
    } else if (ch === "+" && depth === 0) {
      terms.push(source.slice(from, i).trim());
      from = i + 1;
    }
  }
  if (depth !== 0) return null;
  terms.push(source.slice(from).trim());
  return terms;
}

const STRING_CALL = /^string\(([\s\S]+)\)$/;

/**
 * The template a CEL value reads as, when it has the shape Text mode writes (string literals
 * and `string(…)` calls joined by `+`) and writing the template again gives back exactly
 * `expression`; null otherwise. A plain literal reads as its text.
 */
export function templateOf(expression: string): string | null {
  const plain = textOf(expression);
  if (plain !== null) return hasPlaceholders(plain) ? null : plain;
  const terms = topLevelTerms(expression);
  if (!terms || terms.length === 0) return null;
  let template = "";
  for (const term of terms) {
    const text = textOf(term);
    const call = STRING_CALL.exec(term);
    if (text !== null) template += text;
    else if (call && topLevelTerms(call[1]) !== null && !call[1].includes("}}")) template += `{{ ${call[1].trim()} }}`;
    else return null;
  }
  return celOfTemplate(template) === expression ? template : null;
}

export type Placeholder = Extract<TemplatePart, { kind: "expression" }>;

/** The `{{ }}` parts that hold an expression, in order: what the CEL value computes. */
export function filledPlaceholders(template: string): Placeholder[] {
  return templateParts(template).filter((part): part is Placeholder => part.kind === "expression" && part.source !== "");
}

/**
 * Which `{{ }}` part of `template` an issue about its CEL value is about: the part holding the
 * column a syntax error names, else the one holding a name the message quotes; -1 for none.
 * The index counts filled placeholders only.
 */
export function partOfIssue(template: string, message: string): number {
  const placeholders = filledPlaceholders(template);
  const cel = celOfTemplate(template);
  const column = /at column (\d+)/.exec(message);
  if (column) {
    let searchFrom = 0;
    const offset = Number(column[1]) - 1;
    for (let index = 0; index < placeholders.length; index += 1) {
      const call = `string(${placeholders[index].source})`;
      const at = cel.indexOf(call, searchFrom);
      if (at !== -1 && offset >= at && offset < at + call.length) return index;
      if (at !== -1) searchFrom = at + call.length;
    }
  }
  const quoted = [...message.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
  for (const snippet of quoted) {
    const holders = placeholders.flatMap((part, index) => (part.source.includes(snippet) ? [index] : []));
    if (holders.length === 1) return holders[0];
  }
  return -1;
}

/** Where completion applies in Text mode: the expression typed so far in an open `{{`. */
export function openPlaceholder(textBeforeCursor: string): { from: number; source: string } | null {
  const open = textBeforeCursor.lastIndexOf("{{");
  if (open === -1 || textBeforeCursor.indexOf("}}", open) !== -1) return null;
  const from = open + 2;
  return { from, source: textBeforeCursor.slice(from) };
}

/** What typing `next` (cursor at `cursor`) over `previous` makes of a placeholder's braces,
 *  as n8n's editor does, or null when it leaves the text as typed:
 *  - `{{` just typed, with no `}}` after it, opens a placeholder: `{{ | }}` (a space typed
 *    next is the one already there);
 *  - the second `}` typed to close a placeholder whose `}}` was already put there when it
 *    opened steps over that `}}` instead of leaving one more behind: typing `{{ x }}` in
 *    full gives `{{ x }}`, not `{{ x }} }}`. */
export function typedBraces(previous: string, next: string, cursor: number): { text: string; cursor: number } | null {
  const before = next.slice(0, cursor);
  const after = next.slice(cursor);
  if (before.endsWith("{{") && !after.trimStart().startsWith("}}")) {
    return { text: `${before}  }}${after}`, cursor: cursor + 1 };
  }
  const typedOne = next.length === previous.length + 1 && previous === before.slice(0, -1) + after;
  // The space typed after `{{` in a placeholder just opened is the one already there.
  if (typedOne && before.endsWith("{{  ") && /^ \}\}/.test(after)) {
    return { text: before.slice(0, -1) + after, cursor: cursor - 1 };
  }
  const closing = after.match(/^[ \t]*\}\}/);
  if (typedOne && before.endsWith("}}") && closing && openPlaceholder(before.slice(0, -2)) !== null) {
    return { text: before + after.slice(closing[0].length), cursor };
  }
  return null;
}
