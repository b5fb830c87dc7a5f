// Reading and rewriting the names CEL expressions refer to, without a CEL runtime: a small
// tokenizer that knows string literals (so `"lookup.email"` is text, not a reference),
// member selection (`a.lookup` reads a field, not the node `lookup`), function calls and the
// variables comprehension macros bind (`list.map(r, r.url)`).
import type { IrNode } from "./types";

interface Token {
  kind: "ident" | "string" | "other";
  text: string;
  start: number;
  end: number;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_]/;
const KEYWORDS = new Set(["true", "false", "null", "in"]);
const MACROS = new Set(["all", "exists", "exists_one", "map", "filter"]);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i];
    if (ch === "/" && source[i + 1] === "/") {
      const stop = source.indexOf("\n", i);
      i = stop === -1 ? n : stop;
      continue;
    }
    // A string literal, with an optional r/b prefix (r"..", b'..', rb"..").
    const prefix = /^[rRbB]{0,2}/.exec(source.slice(i, i + 2))?.[0] ?? "";
    const quoteAt = i + prefix.length;
    const quote = source[quoteAt];
    if ((quote === '"' || quote === "'") && (prefix === "" || !IDENT_CHAR.test(source[i - 1] ?? ""))) {
      const raw = /r/i.test(prefix);
      const triple = source.startsWith(quote.repeat(3), quoteAt);
      const closing = triple ? quote.repeat(3) : quote;
      let j = quoteAt + closing.length;
      while (j < n) {
        if (!raw && source[j] === "\\") {
          j += 2;
          continue;
        }
        if (source.startsWith(closing, j)) {
          j += closing.length;
          break;
        }
        if (!triple && source[j] === "\n") break;
        j += 1;
      }
      tokens.push({ kind: "string", text: source.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (IDENT_START.test(ch)) {
      let j = i + 1;
      while (j < n && IDENT_CHAR.test(source[j])) j += 1;
      tokens.push({ kind: "ident", text: source.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (/\d/.test(ch)) {
      let j = i + 1;
      while (j < n && /[0-9a-fA-FxXuU.eE]/.test(source[j])) j += 1;
      tokens.push({ kind: "other", text: source.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (!/\s/.test(ch)) tokens.push({ kind: "other", text: ch, start: i, end: i + 1 });
    i += 1;
  }
  return tokens;
}

/** Identifier tokens that name a variable: not a field, not a function, not a keyword. */
function rootTokens(source: string): Token[] {
  const tokens = tokenize(source);
  const bound = new Set<string>();
  for (let k = 0; k + 4 < tokens.length; k += 1) {
    if (
      tokens[k].text === "." && MACROS.has(tokens[k + 1].text) && tokens[k + 2].text === "(" &&
      tokens[k + 3].kind === "ident" && tokens[k + 4].text === ","
    ) {
      bound.add(tokens[k + 3].text);
    }
  }
  return tokens.filter((token, k) => {
    if (token.kind !== "ident" || KEYWORDS.has(token.text) || bound.has(token.text)) return false;
    if (k > 0 && tokens[k - 1].text === ".") return false;
    if (tokens[k + 1]?.text === "(") return false;
    // A key in a map literal written without quotes is still a variable in CEL; keep it.
    return true;
  });
}

/** The root names an expression reads (`input`, node ids, ...). */
export function expressionNames(source: string): Set<string> {
  return new Set(rootTokens(source).map((token) => token.text));
}

/** The expression with every root name in `renames` replaced (strings left alone). */
export function renameInExpression(source: string, renames: ReadonlyMap<string, string>): string {
  const hits = rootTokens(source).filter((token) => renames.has(token.text));
  if (hits.length === 0) return source;
  let out = "";
  let at = 0;
  for (const token of hits) {
    out += source.slice(at, token.start) + renames.get(token.text);
    at = token.end;
  }
  return out + source.slice(at);
}

const TEMPLATE = /\{\{([\s\S]*?)\}\}/g;

/** The CEL expressions inside a `{{ ... }}` template. */
export function templateExpressions(template: string): string[] {
  return [...template.matchAll(TEMPLATE)].map((match) => match[1].trim());
}

function renameInTemplate(template: string, renames: ReadonlyMap<string, string>): string {
  return template.replace(TEMPLATE, (whole, inner: string) => {
    const renamed = renameInExpression(inner, renames);
    return renamed === inner ? whole : `{{${renamed}}}`;
  });
}

/** One expression of a node and the field path the validator uses for it. */
export interface ExpressionSite {
  field: string;
  source: string;
  locals: readonly string[];
}

const MAP_LOCALS = ["item", "index"] as const;

/** Every expression a node holds (mirrors flows/core/graph.py expression_sites). */
export function expressionSites(node: IrNode): ExpressionSite[] {
  const sites: ExpressionSite[] = [];
  const add = (field: string, source: unknown, locals: readonly string[] = []) => {
    if (typeof source === "string") sites.push({ field, source, locals });
  };
  add("when", node.when);
  switch (node.type) {
    case "tool":
      for (const [name, source] of Object.entries(node.inputs ?? {})) add(`inputs.${name}`, source);
      break;
    case "map":
      add("items", node.items);
      for (const [name, source] of Object.entries(node.inputs ?? {})) {
        add(`inputs.${name}`, source, MAP_LOCALS);
      }
      break;
    case "branch":
      add("condition", node.condition);
      break;
    case "switch":
      add("value", node.value);
      break;
    case "approval":
      for (const [name, source] of Object.entries(node.context ?? {})) add(`context.${name}`, source);
      break;
    case "value":
    case "output":
      if (typeof node.value === "string") add("value", node.value);
      else for (const [name, source] of Object.entries(node.value ?? {})) add(`value.${name}`, source);
      break;
    case "llm":
      templateExpressions(node.prompt ?? "").forEach((source, index) => add(`prompt[${index}]`, source));
      templateExpressions(node.system ?? "").forEach((source, index) => add(`system[${index}]`, source));
      break;
  }
  return sites;
}

const namesCache = new WeakMap<IrNode, Set<string>>();

/** Every root name a node's expressions read (locals excluded); cached per node object. */
export function nodeNames(node: IrNode): Set<string> {
  let names = namesCache.get(node);
  if (!names) {
    names = new Set<string>();
    for (const site of expressionSites(node)) {
      for (const name of expressionNames(site.source)) if (!site.locals.includes(name)) names.add(name);
    }
    namesCache.set(node, names);
  }
  return names;
}

/** Node ids (from `known`) that a node's expressions read. */
export function referencedIds(node: IrNode, known: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const name of nodeNames(node)) if (known.has(name)) found.add(name);
  return found;
}

function renameRecord(
  record: Record<string, string> | undefined,
  renames: ReadonlyMap<string, string>,
): Record<string, string> | undefined {
  if (!record) return record;
  return Object.fromEntries(
    Object.entries(record).map(([key, source]) => [key, renameInExpression(source, renames)]),
  );
}

function renameList(ids: string[] | undefined, renames: ReadonlyMap<string, string>) {
  return ids?.map((id) => renames.get(id) ?? id);
}

/**
 * The node with every reference in `renames` rewritten: expressions, `after` and arms.
 * Its own id is renamed too when it is in the map. Untouched fields keep their identity.
 */
export function renameReferences(node: IrNode, renames: ReadonlyMap<string, string>): IrNode {
  const out: Record<string, unknown> = { ...node };
  const set = (key: string, value: unknown) => {
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(out[key])) out[key] = value;
  };
  if (renames.has(node.id)) out.id = renames.get(node.id);
  if (typeof node.when === "string") set("when", renameInExpression(node.when, renames));
  set("after", renameList(node.after, renames));
  switch (node.type) {
    case "tool":
      set("inputs", renameRecord(node.inputs, renames));
      break;
    case "map":
      set("items", renameInExpression(node.items, renames));
      set("inputs", renameRecord(node.inputs, renames));
      break;
    case "branch":
      set("condition", renameInExpression(node.condition, renames));
      set("then", renameList(node.then, renames));
      set("else", renameList(node.else, renames));
      break;
    case "switch":
      set("value", renameInExpression(node.value, renames));
      set("cases", Object.fromEntries(
        Object.entries(node.cases ?? {}).map(([key, ids]) => [key, renameList(ids, renames)]),
      ));
      set("default", renameList(node.default, renames));
      break;
    case "approval":
      set("context", renameRecord(node.context, renames));
      break;
    case "value":
    case "output":
      set("value", typeof node.value === "string"
        ? renameInExpression(node.value, renames)
        : renameRecord(node.value, renames));
      break;
    case "llm":
      set("prompt", renameInTemplate(node.prompt ?? "", renames));
      if (typeof node.system === "string") set("system", renameInTemplate(node.system, renames));
      break;
  }
  const changed = Object.keys(out).some(
    (key) => out[key] !== (node as unknown as Record<string, unknown>)[key],
  );
  return changed ? (out as unknown as IrNode) : node;
}
