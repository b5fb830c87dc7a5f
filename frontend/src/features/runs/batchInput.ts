// Batch inputs from what a person pastes or uploads: a JSON list of objects, JSON lines,
// or CSV with a header row (cells typed after the flow's input_schema).
import type { RJSFValidationError } from "@rjsf/utils";
import type { JsonSchema } from "../../graph";
import { plainErrors } from "../../lib/jsonSchema";

export class BatchInputError extends Error {}

/** Splits CSV text into rows of cells (RFC 4180: quoted cells, "" escapes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"' && cell === "") {
      quoted = true;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else {
      cell += ch;
    }
  }
  if (quoted) throw new BatchInputError("CSV: a quoted cell is not closed");
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ""));
}

function propertyType(schema: JsonSchema | undefined, key: string): string | undefined {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const type = properties[key]?.type;
  return Array.isArray(type) ? (type.find((t) => t !== "null") as string | undefined) : (type as string | undefined);
}

/** What the batch form says under a CSV header with no rows yet: a column of a list or an
 * object takes JSON in its cell, which a person would not guess from its name alone. */
export function csvHint(header: readonly string[], schema?: JsonSchema): string {
  const json = header.filter((key) => ["array", "object"].includes(propertyType(schema, key) ?? ""));
  const base = "Add one line of values per run under the header row.";
  if (!json.length) return base;
  const names = json.map((key) => `“${key}”`);
  const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  const columns = names.length === 1 ? `The ${listed} column takes JSON in its cell` : `The ${listed} columns take JSON in their cells`;
  return `${base} ${columns}, quoted as CSV quotes text ("[{""sku"": ""A-1""}]"), or paste JSON lines instead: one object per run.`;
}

function typedCell(raw: string, type: string | undefined, where: string): unknown {
  const value = raw.trim();
  switch (type) {
    case "integer":
    case "number": {
      if (value === "") return undefined;
      const n = Number(value);
      if (!Number.isFinite(n) || (type === "integer" && !Number.isInteger(n))) {
        throw new BatchInputError(`${where}: "${raw}" is not ${type === "integer" ? "an integer" : "a number"}`);
      }
      return n;
    }
    case "boolean":
      if (value === "") return undefined;
      if (/^(true|yes|1)$/i.test(value)) return true;
      if (/^(false|no|0)$/i.test(value)) return false;
      throw new BatchInputError(`${where}: "${raw}" is not true or false`);
    case "object":
    case "array":
      if (value === "") return undefined;
      try {
        return JSON.parse(value);
      } catch {
        throw new BatchInputError(`${where}: "${raw}" is not JSON`);
      }
    default:
      // Left out as the other types are: a default applies, and a required one is reported
      // missing before the batch starts, rather than each run failing on "".
      return value === "" ? undefined : raw;
  }
}

/** One input per CSV data row; empty cells are left out (so defaults apply). */
export function inputsFromCsv(text: string, schema?: JsonSchema): Record<string, unknown>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new BatchInputError("CSV: no header row");
  const keys = header.map((key) => key.trim());
  if (keys.some((key) => !key)) throw new BatchInputError("CSV: a column has no name");
  return rows.map((cells, r) => {
    if (cells.length > keys.length) throw new BatchInputError(`row ${r + 2}: more cells than columns`);
    const input: Record<string, unknown> = {};
    keys.forEach((key, c) => {
      const value = typedCell(cells[c] ?? "", propertyType(schema, key), `row ${r + 2}, ${key}`);
      if (value !== undefined) input[key] = value;
    });
    return input;
  });
}

function asInputs(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new BatchInputError("JSON: expected a list of input objects");
  value.forEach((item, i) => {
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      throw new BatchInputError(`JSON: item ${i + 1} is not an object`);
    }
  });
  return value as Record<string, unknown>[];
}

/** A JSON list, JSON lines, or CSV (the first non-blank character decides). */
export function parseBatchInputs(text: string, schema?: JsonSchema): Record<string, unknown>[] {
  const trimmed = text.trim();
  if (!trimmed) throw new BatchInputError("no inputs");
  let inputs: Record<string, unknown>[];
  if (trimmed.startsWith("[")) {
    try {
      inputs = asInputs(JSON.parse(trimmed));
    } catch (error) {
      if (error instanceof BatchInputError) throw error;
      throw new BatchInputError(`JSON: ${(error as Error).message}`);
    }
  } else if (trimmed.startsWith("{")) {
    inputs = trimmed.split(/\r?\n/).filter((line) => line.trim()).map((line, i) => {
      try {
        return asInputs([JSON.parse(line)])[0];
      } catch {
        throw new BatchInputError(`JSON lines: line ${i + 1} is not a JSON object`);
      }
    });
  } else {
    inputs = inputsFromCsv(trimmed, schema);
  }
  if (!inputs.length) throw new BatchInputError("no inputs");
  return inputs;
}

/** The part of a schema error a batch message needs (rjsf's RJSFValidationError). */
export interface InputError {
  name?: string;
  property?: string;
  message?: string;
  params?: { missingProperty?: string; [key: string]: unknown };
  stack?: string;
}

/** What a pasted value of the wrong type should have been, as a cell or a JSON value. */
const PASTED_TYPE_WORDS: Record<string, string> = {
  integer: "should be a whole number",
  number: "should be a number",
  string: "should be text",
  boolean: "should be true or false",
  array: "should be a list (a JSON list in a CSV cell)",
  object: "should be an object (JSON in a CSV cell)",
  null: "should be empty",
};

/** One problem of a pasted input in plain words, after the key it is about. */
function pastedProblem(error: InputError, input: unknown): string {
  const params = error.params ?? {};
  if (error.name === "type") {
    const type = String(params.type ?? "").split(",")[0];
    if (PASTED_TYPE_WORDS[type]) return PASTED_TYPE_WORDS[type];
  }
  if (error.name === "enum" && Array.isArray(params.allowedValues)) {
    return `should be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(", ")}`;
  }
  const [plain] = plainErrors([{ ...error, stack: error.stack ?? "" } as RJSFValidationError], input);
  const words = (plain.message ?? "").replace(/\.$/, "");
  for (const [form, pasted] of FORM_TO_PASTED) {
    if (form.test(words)) return words.replace(form, pasted);
  }
  return words.charAt(0).toLowerCase() + words.slice(1);
}

/** A form's hint ("Enter an email address.") said of a value already pasted. */
const FORM_TO_PASTED: [RegExp, string][] = [
  [/^Fill this in.*$/, "should not be empty"],
  [/^Enter (a|an) /, "should be $1 "],
  [/^Enter /, "should be "],
  [/^Use /, "should use "],
  [/^Give /, "should have "],
  [/^This is /, "is "],
];

/**
 * One input's problems in plain words, in the words of what was pasted: the keys as written
 * in the JSON or the CSV header ("subject"), not the form's labels ("Subject"), and at most
 * two of them. The validator's wording ("must be number") is for developers; a person reads
 * `"total" should be a number`.
 */
export function inputProblems(errors: readonly InputError[], input?: unknown): string {
  const described = errors.map((error) => {
    const path = (error.property ?? "").replace(/^\./, "");
    if (error.name === "required") return `"${path || error.params?.missingProperty}" is missing`;
    if (!path && error.name === "type") return "should be an object of the flow's input fields, such as {\"name\": \"…\"}";
    const problem = pastedProblem(error, input);
    return path ? `"${path}" ${problem}` : problem;
  });
  const shown = [...new Set(described)];
  const more = shown.length > 2 ? ` (and ${shown.length - 2} more)` : "";
  return shown.slice(0, 2).join("; ") + more;
}
