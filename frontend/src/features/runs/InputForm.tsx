// The run input form, generated from the flow's input_schema with react-jsonschema-form:
// defaults, required fields, enums, nested objects and arrays, and errors next to each
// field. Buttons are the app's own; the rest of the look comes from inputForm.css.
import Form from "@rjsf/core";
import type { IconButtonProps, RJSFSchema, TitleFieldProps } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import type { ReactNode } from "react";
import { fieldOrder, isFewChoices, keyTitle, plainErrors, withoutEcho, withRequiredLists } from "../../lib/jsonSchema";
import "./inputForm.css";

function makeButton(label: string, className: string) {
  return function Button(props: IconButtonProps) {
    const { icon: _icon, iconType: _iconType, uiSchema: _uiSchema, registry: _registry, className: extra, ...rest } = props;
    return (
      <button type="button" {...rest} className={`btn small ${className} ${extra ?? ""}`}>
        {label}
      </button>
    );
  };
}

const ButtonTemplates = {
  AddButton: makeButton("+ Add item", "ghost rf-add"),
  RemoveButton: makeButton("Remove", "ghost rf-remove"),
  MoveUpButton: makeButton("↑", "ghost rf-move"),
  MoveDownButton: makeButton("↓", "ghost rf-move"),
  CopyButton: makeButton("Copy", "ghost rf-copy"),
};

function isNullSchema(schema: unknown): boolean {
  return !!schema && typeof schema === "object" && (schema as RJSFSchema).type === "null";
}

/**
 * An optional value written as "a number or null" (`anyOf: [{type: number}, {type: null}]`,
 * or `type: ["number", "null"]`, as pydantic writes `float | None`) is one field of that
 * type left empty when unset, not a choice between "option 1" and "option 2".
 */
export function withoutNull(schema: RJSFSchema): RJSFSchema {
  let result = schema;
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = result[key];
    if (!Array.isArray(options) || options.length !== 2) continue;
    const kept = options.filter((option) => !isNullSchema(option));
    if (kept.length !== 1 || typeof kept[0] !== "object") continue;
    const { [key]: _options, ...rest } = result;
    const inner = kept[0] as RJSFSchema;
    result = { ...inner, ...rest, title: rest.title ?? inner.title, description: rest.description ?? inner.description };
  }
  if (Array.isArray(result.type) && result.type.includes("null")) {
    const types = result.type.filter((type) => type !== "null");
    if (types.length === 1) result = { ...result, type: types[0] };
  }
  if (result === schema) return schema;
  if (result.default === null) {
    const { default: _default, ...rest } = result;
    result = rest;
  }
  for (const key of ["title", "description"] as const) {
    if (result[key] === undefined) {
      const { [key]: _unset, ...rest } = result;
      result = rest;
    }
  }
  return result;
}

/**
 * The heading of one element of a list: "Item 2", where the form library writes its list's
 * title and number ("Items-2", with a "required" star an element cannot have). Other
 * headings stay as they are.
 */
export function itemTitle(id: string, title: string): string | null {
  const index = id.match(/_(\d+)__title$/);
  if (!index) return null;
  const number = Number(index[1]) + 1;
  return title.endsWith(`-${number}`) ? `Item ${number}` : null;
}

function TitleFieldTemplate({ id, title, required, optionalDataControl }: TitleFieldProps) {
  const item = itemTitle(id, title);
  return (
    <legend id={id}>
      {item ?? title}
      {required && !item && <span className="required">*</span>}
      {optionalDataControl}
    </legend>
  );
}

/** Field titles default to a readable form of the key ("customer_email" -> "Customer email"). */
function titled(schema: RJSFSchema): RJSFSchema {
  if (!schema || typeof schema !== "object") return schema;
  const copy: RJSFSchema = withoutNull({ ...schema });
  if (copy.properties) {
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([key, value]) => {
        if (typeof value !== "object") return [key, value];
        const child = titled(value as RJSFSchema);
        if (!child.title) child.title = keyTitle(key);
        return [key, withoutEcho(child)];
      }),
    );
  }
  if (copy.items && typeof copy.items === "object" && !Array.isArray(copy.items)) {
    copy.items = titled(copy.items as RJSFSchema);
  }
  return copy;
}

export function formSchema(inputSchema: unknown): RJSFSchema {
  const schema = (inputSchema && typeof inputSchema === "object" ? inputSchema : { type: "object" }) as RJSFSchema;
  return withRequiredLists(titled({ type: "object", ...schema, title: undefined, description: undefined }));
}

type UiSchema = Record<string, unknown>;

/** Free text that may run to paragraphs (a body, a message): an address, a URL or a
 * subject line stays one line. */
export function isLongText(schema: RJSFSchema | undefined): boolean {
  return schema?.type === "string" && !schema.format && !schema.enum && (schema.maxLength ?? 0) > LONG_TEXT;
}

/** Longer than a URL may be. */
const LONG_TEXT = 2048;

/** The field order (`fieldOrder`) and widgets: long free text as a text area, a few
 * choices as checkboxes. */
export function uiSchemaFor(schema: RJSFSchema): UiSchema {
  const keys = Object.keys(schema.properties ?? {});
  const ui: UiSchema = keys.length ? { "ui:order": fieldOrder(schema) } : {};
  for (const key of keys) {
    const child = schema.properties?.[key] as RJSFSchema | undefined;
    if (child?.type === "object" && child.properties) ui[key] = uiSchemaFor(child);
    if (isLongText(child)) ui[key] = { "ui:widget": "textarea" };
    if (isFewChoices(child)) ui[key] = { "ui:widget": "checkboxes" };
  }
  return ui;
}

export function hasFields(schema: RJSFSchema): boolean {
  return !!schema.properties && Object.keys(schema.properties).length > 0;
}

interface Props {
  schema: RJSFSchema;
  formData: unknown;
  onChange(data: unknown): void;
  onSubmit(data: Record<string, unknown>): void;
  disabled?: boolean;
  children: ReactNode;
  /** Server-side field errors, by top-level field. */
  extraErrors?: Record<string, string[]>;
}

export function InputForm({ schema, formData, onChange, onSubmit, disabled, children, extraErrors }: Props) {
  const errorSchema = extraErrors
    ? Object.fromEntries(Object.entries(extraErrors).map(([key, messages]) => [key, { __errors: messages }]))
    : undefined;
  return (
    <Form
      className="run-form"
      schema={schema}
      uiSchema={uiSchemaFor(schema)}
      validator={validator}
      formData={formData}
      onChange={(event) => onChange(event.formData)}
      onSubmit={(event) => onSubmit((event.formData ?? {}) as Record<string, unknown>)}
      showErrorList={false}
      onError={() => undefined /* shown beside each field; not logged to the console */}
      noHtml5Validate
      focusOnFirstError
      transformErrors={(errors) => plainErrors(errors, formData)}
      extraErrors={errorSchema as never}
      disabled={disabled}
      templates={{ ButtonTemplates, TitleFieldTemplate }}
      idPrefix="run-input"
    >
      {children}
    </Form>
  );
}
