// An approval's form as a list of fields (name, label, type, required, choices) and back to
// the JSON Schema the inbox builds its form from. A schema this list cannot say (nested
// objects, lists, formats…) is left to the JSON editor: `schemaToFields` answers null.
export type FieldType = "string" | "number" | "integer" | "boolean" | "choice";

export interface FormField {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  /** For a choice: the allowed values. */
  options: string[];
  description: string;
  /** Constraints kept as they are (minLength, format, default…), when the caller keeps them. */
  extra?: Schema;
}

type Schema = Record<string, unknown>;

const SIMPLE_KEYS = new Set(["type", "title", "description", "enum"]);
/** What a run input's field may say beyond its type, kept untouched by the field editor. */
const CONSTRAINT_KEYS = new Set([
  "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
  "exclusiveMaximum", "multipleOf", "default", "examples",
]);

export const FIELD_TYPES: { type: FieldType; label: string }[] = [
  { type: "string", label: "Text" },
  { type: "number", label: "Number" },
  { type: "integer", label: "Whole number" },
  { type: "boolean", label: "Yes / no" },
  { type: "choice", label: "Choice" },
];

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldOf(name: string, property: unknown, required: boolean, keepConstraints: boolean): FormField | null {
  if (!isObject(property)) return null;
  const allowed = (key: string) => SIMPLE_KEYS.has(key) || (keepConstraints && CONSTRAINT_KEYS.has(key));
  if (Object.keys(property).some((key) => !allowed(key))) return null;
  const { type, title, description, enum: choices } = property;
  if (title !== undefined && typeof title !== "string") return null;
  if (description !== undefined && typeof description !== "string") return null;
  const extra = Object.fromEntries(Object.entries(property).filter(([key]) => CONSTRAINT_KEYS.has(key)));
  const base = {
    name, label: title ?? "", required, description: description ?? "", options: [] as string[],
    ...(Object.keys(extra).length ? { extra } : {}),
  };
  if (choices !== undefined) {
    if (type !== "string" || !Array.isArray(choices) || !choices.every((c) => typeof c === "string")) return null;
    return { ...base, type: "choice", options: choices as string[] };
  }
  if (type === "string" || type === "number" || type === "integer" || type === "boolean") return { ...base, type };
  return null;
}

/** The schema's fields, in order; null when the schema says more than fields can. With
 *  `keepConstraints` (a run input), a field's constraints (minLength, format, default…) are
 *  no reason to refuse: they are kept as they are. */
export function schemaToFields(schema: unknown, keepConstraints = false): FormField[] | null {
  if (schema === undefined || schema === null) return [];
  if (!isObject(schema)) return null;
  if (schema.type !== undefined && schema.type !== "object") return null;
  if (Object.keys(schema).some((key) => !["type", "properties", "required", "title", "description"].includes(key))) return null;
  const properties = schema.properties ?? {};
  if (!isObject(properties)) return null;
  const required = schema.required ?? [];
  if (!Array.isArray(required)) return null;
  const fields: FormField[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const field = fieldOf(name, property, required.includes(name), keepConstraints);
    if (!field) return null;
    fields.push(field);
  }
  return fields;
}

/** The JSON Schema of these fields (an object; `required` only when some are). */
export function fieldsToSchema(fields: FormField[], previous?: unknown): Schema {
  const keep = isObject(previous)
    ? Object.fromEntries(Object.entries(previous).filter(([key]) => key === "title" || key === "description"))
    : {};
  const properties: Schema = {};
  for (const field of fields) {
    const property: Schema = field.type === "choice"
      ? { type: "string", enum: field.options }
      : { type: field.type };
    if (field.label.trim()) property.title = field.label.trim();
    if (field.description.trim()) property.description = field.description.trim();
    properties[field.name] = { ...property, ...(field.extra ?? {}) };
  }
  const required = fields.filter((field) => field.required).map((field) => field.name);
  return { ...keep, type: "object", properties, ...(required.length ? { required } : {}) };
}

/** A new field's name: field_1, field_2… the first one not taken. */
export function newFieldName(fields: FormField[]): string {
  let n = fields.length + 1;
  while (fields.some((field) => field.name === `field_${n}`)) n += 1;
  return `field_${n}`;
}

/** A name a form field may have: a CEL identifier (downstream reads `step.data.<name>`). */
export function isFieldName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
