// JSON Schema forms read as the server reads them: a required list asks for at least one item
// (flows.core.json_schemas.with_required_lists), and errors say what to do in plain words.
import type { RJSFSchema, RJSFValidationError } from "@rjsf/utils";
import { countOf } from "./plural";

/**
 * `schema` with each required list that sets no `minItems` asking for one item, in every
 * object that lists properties (nested ones and list items too). `required` alone only asks
 * for the key, so an empty list would pass; whoever marks a list required means "give one".
 */
export function withRequiredLists(schema: RJSFSchema): RJSFSchema {
  if (!schema || typeof schema !== "object") return schema;
  let result = schema;
  if (schema.properties) {
    const required = new Set(schema.required ?? []);
    const properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => {
        if (!value || typeof value !== "object") return [key, value];
        let child = withRequiredLists(value as RJSFSchema);
        if (required.has(key) && child.type === "array" && child.minItems === undefined) child = { ...child, minItems: 1 };
        return [key, child];
      }),
    );
    result = { ...result, properties };
  }
  if (schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
    result = { ...result, items: withRequiredLists(schema.items as RJSFSchema) };
  }
  return result;
}

/** A field's title when its schema gives none: its key in words ("customer_email" ->
 * "Customer email"), in every object that lists properties. */
export function withKeyTitles(schema: RJSFSchema): RJSFSchema {
  if (!schema || typeof schema !== "object") return schema;
  let result = schema;
  if (schema.properties) {
    const properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => {
        if (!value || typeof value !== "object") return [key, value];
        const child = withKeyTitles(value as RJSFSchema);
        return [key, withoutEcho(child.title ? child : { ...child, title: keyTitle(key) })];
      }),
    );
    result = { ...result, properties };
  }
  if (schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
    result = { ...result, items: withKeyTitles(schema.items as RJSFSchema) };
  }
  return result;
}

/** Whether a description only says the title again ("Order id." under "Order id"), which a
 * form would show twice for nothing. */
export function echoesTitle(description: unknown, title: unknown): boolean {
  const plain = (text: unknown) => String(text ?? "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  return typeof description === "string" && plain(description) !== "" && plain(description) === plain(title);
}

/** The field's schema without a description that only repeats its title. */
export function withoutEcho(schema: RJSFSchema): RJSFSchema {
  if (!echoesTitle(schema.description, schema.title)) return schema;
  const { description: _echo, ...rest } = schema;
  return rest;
}

/** Words a label writes in capitals: "URL", "Order ID", not "Url", "Order id". */
const INITIALISMS = new Set(["api", "cc", "bcc", "csv", "id", "ids", "ip", "json", "sku", "skus", "sms", "url", "urls", "uuid", "vat"]);

export function keyTitle(key: string): string {
  const words = key.split("_").filter(Boolean).map((word) => {
    const lower = word.toLowerCase();
    if (!INITIALISMS.has(lower) || word !== lower) return word;
    return lower.endsWith("s") && lower.length > 3 ? `${lower.slice(0, -1).toUpperCase()}s` : lower.toUpperCase();
  });
  return words.join(" ").replace(/^./, (c) => c.toUpperCase());
}

/** The value at a form library error's `property` (".lines.0.sku"), or undefined. */
function valueAt(data: unknown, property: string | undefined): unknown {
  let value = data;
  for (const key of (property ?? "").split(".").filter(Boolean)) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Messages a person can act on, for the errors the form library words for developers. With
 * the form's data, an empty list item (a required list starts with one to fill in) reads
 * "Fill this in, or remove the item" rather than "must be string".
 */
export function plainErrors(errors: RJSFValidationError[], data?: unknown): RJSFValidationError[] {
  return errors.map((error) => {
    if (error.name === "type" && data !== undefined && /\.\d+$/.test(error.property ?? "")) {
      const value = valueAt(data, error.property);
      if (value === undefined || value === null || value === "") return { ...error, message: "Fill this in, or remove the item." };
    }
    if (error.name === "required") return { ...error, message: "This field is required." };
    if (error.name === "enum") return { ...error, message: "Pick one of the listed values." };
    if (error.name === "minItems") {
      const limit = Number((error.params as { limit?: number } | undefined)?.limit ?? 1);
      return { ...error, message: `Give at least ${countOf(limit, "item")}.` };
    }
    const message = plainMessage(error);
    return message ? { ...error, message, stack: `${error.property ?? ""} ${message}`.trim() } : error;
  });
}

/** What each `format` asks for, in the words of a form's hint. */
const FORMAT_WORDS: Record<string, string> = {
  email: "Enter an email address.",
  "idn-email": "Enter an email address.",
  date: "Enter a date (YYYY-MM-DD).",
  "date-time": "Enter a date and time.",
  time: "Enter a time (HH:MM).",
  uri: "Enter a web address, such as https://example.com.",
  url: "Enter a web address, such as https://example.com.",
  "uri-reference": "Enter a web address or a path.",
  uuid: "Enter a UUID, such as 123e4567-e89b-12d3-a456-426614174000.",
  ipv4: "Enter an IPv4 address, such as 192.168.0.1.",
  ipv6: "Enter an IPv6 address, such as 2001:db8::1.",
  hostname: "Enter a host name, such as example.com.",
  regex: "Enter a valid regular expression.",
};

const TYPE_WORDS: Record<string, string> = {
  integer: "Enter a whole number.",
  number: "Enter a number.",
  string: "Enter text.",
  boolean: "Choose yes or no.",
  array: "Give a list.",
  object: "Fill in the fields.",
};

/** A validator's message ("must match format \"email\"", "must be >= 0") in plain words, or
 *  null for one kept as it is. */
function plainMessage(error: RJSFValidationError): string | null {
  const params = (error.params ?? {}) as Record<string, unknown>;
  const limit = params.limit as number | string | undefined;
  switch (error.name) {
    case "format": {
      const format = String(params.format ?? "");
      return FORMAT_WORDS[format] ?? `Enter a valid ${format || "value"}.`;
    }
    case "minimum": return `Must be ${limit} or more.`;
    case "maximum": return `Must be ${limit} or less.`;
    case "exclusiveMinimum": return `Must be more than ${limit}.`;
    case "exclusiveMaximum": return `Must be less than ${limit}.`;
    case "multipleOf": return `Must be a multiple of ${String(params.multipleOf)}.`;
    case "minLength": return Number(limit) <= 1 ? "Fill this in." : `Use at least ${Number(limit)} characters.`;
    case "maxLength": return `Use at most ${countOf(Number(limit), "character")}.`;
    case "maxItems": return `Give at most ${countOf(Number(limit), "item")}.`;
    case "uniqueItems": return "Give each item once.";
    case "pattern": return "This is not in the form asked for.";
    case "const": return `Must be ${JSON.stringify(params.allowedValue)}.`;
    case "type": {
      const type = String(params.type ?? "").split(",")[0];
      return TYPE_WORDS[type] ?? null;
    }
    default: return null;
  }
}

/**
 * The order a form shows an object's fields in: the author's. The server gives a schema's
 * properties in the order its author listed them (Postgres jsonb would sort them; the
 * server records the order when it stores a flow and restores it when it reads one,
 * flows/schema_order.py). A schema that says its order itself (`x-order`, or `ui:order` as
 * react-jsonschema-form names it) is shown in that order; fields it leaves out follow.
 */
export function fieldOrder(schema: RJSFSchema): string[] {
  const keys = Object.keys(schema.properties ?? {});
  const record = schema as Record<string, unknown>;
  const said = [record["x-order"], record["ui:order"]].find(Array.isArray) as unknown[] | undefined;
  if (!said) return keys;
  const listed = [...new Set(said)].filter((key): key is string => typeof key === "string" && keys.includes(key));
  return [...listed, ...keys.filter((key) => !listed.includes(key))];
}

/** At most this many choices show as checkboxes; more stay a list to pick from. */
const CHECKBOX_CHOICES = 12;

/** A list of distinct values from a few fixed choices ("flags": any of three): ticked as
 *  checkboxes, not picked with ctrl-click in a multiple select. */
export function isFewChoices(schema: RJSFSchema | undefined): boolean {
  const items = schema?.items as RJSFSchema | undefined;
  return (
    schema?.type === "array" && !!schema.uniqueItems && !!items && typeof items === "object" &&
    Array.isArray(items.enum) && items.enum.length <= CHECKBOX_CHOICES
  );
}

/** A run's input with its fields in the form's order (the database keeps them sorted, as
 * jsonb does: shortest key first), those the form does not name after them. */
export function inputInFormOrder(input: unknown, schema: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input) || !schema || typeof schema !== "object") return input ?? {};
  const values = input as Record<string, unknown>;
  const order = fieldOrder(schema as RJSFSchema).filter((key) => key in values);
  return Object.fromEntries([...order, ...Object.keys(values).filter((key) => !order.includes(key))].map((key) => [key, values[key]]));
}
