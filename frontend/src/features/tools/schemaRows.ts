// Flattens a JSON Schema into the rows a person reads: one per property, nested properties
// indented under their parent (objects, nullable objects, arrays of objects), each with its
// type in words, whether it is required, its description and its constraints.
import { noun } from "../../lib/plural";

export type JsonSchema = Record<string, unknown>;

export interface SchemaRow {
  path: string; // "user.email", "items[].sku"
  name: string;
  depth: number;
  type: string; // "string", "string | null", "array of object", "enum"
  required: boolean;
  description: string;
  enumValues: unknown[];
  constraints: string[];
}

const MAX_DEPTH = 6;

function isSchema(value: unknown): value is JsonSchema {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value);
}

/** Follows a local `$ref` (#/$defs/x, #/definitions/x) against the root schema. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; hops < 10 && typeof current.$ref === "string"; hops += 1) {
    const ref = current.$ref as string;
    if (!ref.startsWith("#/")) break;
    let target: unknown = root;
    for (const part of ref.slice(2).split("/")) {
      target = isSchema(target) ? target[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    }
    if (!isSchema(target)) break;
    const { $ref: _ignored, ...rest } = current;
    current = { ...target, ...rest };
  }
  return current;
}

function variants(schema: JsonSchema): JsonSchema[] | null {
  const list = schema.anyOf ?? schema.oneOf;
  return Array.isArray(list) ? list.filter(isSchema) : null;
}

function isNull(schema: JsonSchema): boolean {
  return schema.type === "null";
}

/** The type in words: "string", "integer | null", "array of string", "object". */
export function describeType(input: JsonSchema, root: JsonSchema, depth = 0): string {
  const schema = resolveRef(input, root);
  if (depth > MAX_DEPTH) return "…";
  const options = variants(schema);
  if (options) {
    const names = options.map((option) => describeType(option, root, depth + 1));
    return Array.from(new Set(names)).join(" | ") || "any";
  }
  if ("const" in schema) return `const ${JSON.stringify(schema.const)}`;
  const type = schema.type;
  if (Array.isArray(type)) return type.map(String).join(" | ");
  if (Array.isArray(schema.enum)) return typeof type === "string" ? `${type} (enum)` : "enum";
  if (type === "array") {
    const items = isSchema(schema.items) ? describeType(schema.items, root, depth + 1) : "any";
    return `array of ${items}`;
  }
  if (typeof type === "string") return type;
  if (isSchema(schema.properties)) return "object";
  return "any";
}

function constraintsOf(schema: JsonSchema): string[] {
  const out: string[] = [];
  const add = (key: string, words: (value: unknown) => string) => {
    if (schema[key] !== undefined) out.push(words(schema[key]));
  };
  add("format", (v) => `format ${String(v)}`);
  add("minLength", (v) => `≥ ${String(v)} chars`);
  add("maxLength", (v) => `≤ ${String(v)} chars`);
  add("minimum", (v) => `≥ ${String(v)}`);
  add("exclusiveMinimum", (v) => `> ${String(v)}`);
  add("maximum", (v) => `≤ ${String(v)}`);
  add("exclusiveMaximum", (v) => `< ${String(v)}`);
  add("minItems", (v) => `≥ ${String(v)} ${noun(Number(v), "item")}`);
  add("maxItems", (v) => `≤ ${String(v)} ${noun(Number(v), "item")}`);
  add("pattern", (v) => `pattern ${String(v)}`);
  add("default", (v) => `default ${JSON.stringify(v)}`);
  return out;
}

/** Merges the facets of a nullable union's non-null member, so `anyOf [{string, maxLength}, null]`
 * reads as one field with its constraints, and its object properties can be listed. */
function mainVariant(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const options = variants(schema);
  if (!options) return schema;
  const nonNull = options.map((option) => resolveRef(option, root)).filter((option) => !isNull(option));
  return nonNull.length === 1 ? { ...nonNull[0], ...withoutUnion(schema) } : schema;
}

function withoutUnion(schema: JsonSchema): JsonSchema {
  const { anyOf: _a, oneOf: _o, ...rest } = schema;
  return rest;
}

/** The object whose properties nest under a field: itself, its non-null variant, or its items. */
function nestedObject(schema: JsonSchema, root: JsonSchema): { object: JsonSchema; suffix: string } | null {
  const main = mainVariant(resolveRef(schema, root), root);
  if (isSchema(main.properties)) return { object: main, suffix: "" };
  if (main.type === "array" && isSchema(main.items)) {
    const items = mainVariant(resolveRef(main.items, root), root);
    if (isSchema(items.properties)) return { object: items, suffix: "[]" };
  }
  return null;
}

function rowsOf(object: JsonSchema, root: JsonSchema, prefix: string, depth: number): SchemaRow[] {
  if (depth > MAX_DEPTH || !isSchema(object.properties)) return [];
  const required = new Set(Array.isArray(object.required) ? object.required.map(String) : []);
  const names = Object.keys(object.properties);
  // Required fields first; otherwise the schema's own order (Postgres reorders JSON keys).
  names.sort((a, b) => Number(required.has(b)) - Number(required.has(a)));
  const rows: SchemaRow[] = [];
  for (const name of names) {
    const raw = (object.properties as Record<string, unknown>)[name];
    if (!isSchema(raw)) continue;
    const schema = resolveRef(raw, root);
    const main = mainVariant(schema, root);
    const path = prefix ? `${prefix}.${name}` : name;
    rows.push({
      path,
      name,
      depth,
      type: describeType(schema, root),
      required: required.has(name),
      description: typeof main.description === "string" ? main.description : "",
      enumValues: Array.isArray(main.enum) ? main.enum : [],
      constraints: constraintsOf(main),
    });
    const nested = nestedObject(schema, root);
    if (nested) rows.push(...rowsOf(nested.object, root, `${path}${nested.suffix}`, depth + 1));
  }
  return rows;
}

/** Every field of a schema, depth first. A schema that is not an object is one "value" row. */
export function schemaRows(schema: JsonSchema): SchemaRow[] {
  const root = resolveRef(schema, schema);
  const main = mainVariant(root, schema);
  if (isSchema(main.properties)) return rowsOf(main, schema, "", 0);
  if (Object.keys(root).length === 0) return [];
  return [
    {
      path: "",
      name: "(value)",
      depth: 0,
      type: describeType(root, schema),
      required: true,
      description: typeof root.description === "string" ? root.description : "",
      enumValues: Array.isArray(main.enum) ? main.enum : [],
      constraints: constraintsOf(main),
    },
  ];
}
