// A batch's runs as a table: one column per field of the run input, in the form's order, so
// the inputs read as rows of values rather than as JSON.
import type { RJSFSchema } from "@rjsf/utils";
import { fieldOrder } from "../../lib/jsonSchema";

/** At most this many fields get a column; the rest are named in the last one's tooltip. */
export const INPUT_COLUMNS = 4;

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

/** The input fields to show as columns: the schema's, in its order, else those the inputs
 *  have, in the order first seen; none when an input is not an object. */
export function inputColumns(schema: unknown, inputs: readonly unknown[]): string[] {
  if (inputs.some((input) => input !== undefined && !isObject(input))) return [];
  const keys: string[] = isObject(schema) && isObject(schema.properties) ? fieldOrder(schema as RJSFSchema) : [];
  for (const input of inputs) {
    if (!isObject(input)) continue;
    for (const key of Object.keys(input)) if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** A value as a cell shows it: text as it is, a number or yes/no plainly, a list or object
 *  as compact JSON, nothing as a dash. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null || value === "") return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
