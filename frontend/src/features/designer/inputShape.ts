// What a tool input's JSON Schema asks for, read for the inspector: a short type label, the
// values it may take (enum, boolean) as CEL literals to pick from, its default, a template
// for a list or object to start from, and a one-click fix for plain text typed where an
// expression is read (`billing` instead of `"billing"`).
import type { Issue, JsonSchema } from "../../graph";

export interface InputChoice {
  /** What the button says: the value as a person reads it. */
  label: string;
  /** The CEL literal written into the field. */
  cel: string;
}

export interface InputShape {
  /** "string", "integer", "list of objects", "string or number"... ("" when the schema says nothing). */
  typeLabel: string;
  /** Whether a string is a value it may take (a quick fix may quote what was typed). */
  takesText: boolean;
  /** The values it may take, when the schema lists them (enum, const, boolean). */
  choices: InputChoice[];
  /** Its default as a CEL literal, used when the input is left empty. */
  defaultCel?: string;
  /** A CEL literal with the shape of a list of objects or an object, to start from. */
  template?: string;
  /** For a list of objects or an object: its fields ("sku, quantity; optional: price"). */
  fields?: string;
}

/** A JSON value as a CEL literal: JSON's strings, numbers, lists and maps are CEL too. */
export function celLiteral(value: unknown): string {
  return JSON.stringify(value) ?? "null";
}

/** A CEL literal spaced to be read and edited (`[{"sku": "", "quantity": 1}]`). */
function spacedLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spacedLiteral).join(", ")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value).map(([key, inner]) => `${celLiteral(key)}: ${spacedLiteral(inner)}`).join(", ")}}`;
  }
  return celLiteral(value);
}

function asSchema(value: unknown): JsonSchema | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as JsonSchema) : undefined;
}

/** The alternatives a schema allows (anyOf / oneOf), or the schema itself. */
function alternatives(schema: JsonSchema): JsonSchema[] {
  const options = (schema.anyOf ?? schema.oneOf) as unknown;
  if (!Array.isArray(options)) return [schema];
  return options.flatMap((option) => {
    const inner = asSchema(option);
    return inner ? alternatives(inner) : [];
  });
}

function types(schema: JsonSchema): string[] {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((type): type is string => typeof type === "string");
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map((value) => (value === null ? "null" : typeof value)))];
  if ("const" in schema) return [schema.const === null ? "null" : typeof schema.const];
  if (schema.properties) return ["object"];
  return [];
}

function objectFields(schema: JsonSchema): string {
  const properties = asSchema(schema.properties) ?? {};
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const names = Object.keys(properties);
  const needed = names.filter((name) => required.includes(name));
  const optional = names.filter((name) => !required.includes(name));
  if (!needed.length) return optional.join(", ");
  return optional.length ? `${needed.join(", ")}; optional: ${optional.join(", ")}` : needed.join(", ");
}

/** A placeholder value of the schema's type, for a template. */
function sample(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema) return null;
  if ("default" in schema && schema.default !== null) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const [kind] = alternatives(schema).filter((option) => !types(option).includes("null") || types(option).length > 1);
  const chosen = kind ?? schema;
  const type = types(chosen).find((name) => name !== "null");
  if (type === "object") {
    if (depth > 2) return {};
    const properties = asSchema(chosen.properties) ?? {};
    const required = Array.isArray(chosen.required) ? (chosen.required as string[]) : [];
    const keys = required.length ? required.filter((key) => key in properties) : Object.keys(properties);
    return Object.fromEntries(keys.map((key) => [key, sample(asSchema(properties[key]), depth + 1)]));
  }
  if (type === "array") return depth > 2 ? [] : [sample(asSchema(chosen.items), depth + 1)];
  if (type === "integer" || type === "number") return typeof chosen.minimum === "number" ? chosen.minimum : 0;
  if (type === "boolean") return false;
  if (type === "string") return "";
  return null;
}

/** What `schema` (one tool input's) asks for. */
export function inputShape(schema: JsonSchema | undefined): InputShape {
  if (!schema) return { typeLabel: "", takesText: true, choices: [] };
  const options = alternatives(schema);
  const nonNull = options.filter((option) => !(types(option).length === 1 && types(option)[0] === "null"));
  const allTypes = [...new Set(nonNull.flatMap(types))].filter((type) => type !== "null");
  const labels = nonNull.map((option) => {
    const [type] = types(option).filter((name) => name !== "null");
    if (type !== "array") return type ?? "";
    const item = asSchema(option.items);
    const itemType = item ? types(item).find((name) => name !== "null") : undefined;
    return itemType ? `list of ${itemType === "object" ? "objects" : `${itemType}s`}` : "list";
  });
  const typeLabel = [...new Set(labels.filter(Boolean))].join(" or ");

  const values: unknown[] = [];
  for (const option of nonNull) {
    if (Array.isArray(option.enum)) values.push(...option.enum.filter((value) => value !== null));
    else if ("const" in option && option.const !== null) values.push(option.const);
    else if (types(option).includes("boolean")) values.push(true, false);
  }
  const choices = [...new Map(values.map((value) => [celLiteral(value), value])).entries()].map(([cel, value]) => ({
    label: typeof value === "string" ? value : cel,
    cel,
  }));

  const shape: InputShape = {
    typeLabel,
    takesText: allTypes.length === 0 || allTypes.includes("string"),
    choices,
  };
  if ("default" in schema && schema.default !== null && schema.default !== undefined) shape.defaultCel = celLiteral(schema.default);

  const structured = nonNull.find((option) => {
    const type = types(option)[0];
    return type === "object" ? Object.keys(asSchema(option.properties) ?? {}).length > 0 : type === "array" && types(asSchema(option.items) ?? {})[0] === "object";
  });
  if (structured) {
    shape.template = spacedLiteral(sample(structured));
    const fieldsOf = types(structured)[0] === "array" ? asSchema(structured.items) : structured;
    if (fieldsOf) shape.fields = objectFields(fieldsOf);
  }
  return shape;
}

/** Issue codes that a bare word or phrase typed as plain text produces. */
const PLAIN_TEXT_CODES = new Set(["unknown_reference", "expression_error"]);

/**
 * The CEL string literal for what was typed, when it reads as plain text the validator could
 * not read as an expression (`billing`, `Hello there`) in an input that takes text; else null.
 */
export function textFix(value: string, shape: InputShape, issues: readonly Issue[]): string | null {
  const text = value.trim();
  if (!text || !shape.takesText) return null;
  if (/^["']/.test(text)) return null; // already a string literal (or meant to start one)
  if (!issues.some((issue) => PLAIN_TEXT_CODES.has(issue.code))) return null;
  const literal = celLiteral(text);
  // An input with listed values takes only those: quote what was typed when it is one.
  if (shape.choices.length && !shape.choices.some((choice) => choice.cel === literal)) return null;
  return literal;
}

/** The choice whose literal the field holds now, if any (`'billing'` is `"billing"` too). */
export function chosen(value: string, shape: InputShape): InputChoice | undefined {
  const text = value.trim();
  const single = /^'([^'\\]*)'$/.exec(text);
  const literal = single ? celLiteral(single[1]) : text;
  return shape.choices.find((choice) => choice.cel === literal);
}
