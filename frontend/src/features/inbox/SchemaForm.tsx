// A form generated from a JSON Schema (react-jsonschema-form), in the app's style, without
// its own submit button: the step page validates it when the approver approves.
import Form from "@rjsf/core";
import type { IconButtonProps, RJSFSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { forwardRef } from "react";
import { fieldOrder, isFewChoices, plainErrors, withKeyTitles, withRequiredLists } from "../../lib/jsonSchema";

interface Props {
  schema: unknown;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  disabled?: boolean;
  testId: string;
}

function button(label: string, className: string) {
  return function Button(props: IconButtonProps) {
    const { icon: _i, iconType: _t, uiSchema: _u, registry: _r, className: extra, ...rest } = props;
    return (
      <button type="button" {...rest} className={`btn small ghost ${className} ${extra ?? ""}`}>
        {label}
      </button>
    );
  };
}

const ButtonTemplates = {
  AddButton: button("+ Add", ""),
  RemoveButton: button("Remove", ""),
  MoveUpButton: button("↑", ""),
  MoveDownButton: button("↓", ""),
  CopyButton: button("Copy", ""),
};

/** `anyOf: [X, {type: "null"}]` (an optional value) is shown as X, not as a choice. */
function simplify(schema: RJSFSchema): RJSFSchema {
  if (!schema || typeof schema !== "object") return schema;
  const options = schema.anyOf as RJSFSchema[] | undefined;
  if (options && options.length === 2 && options.some((o) => o && o.type === "null")) {
    const { anyOf: _drop, ...rest } = schema;
    return simplify({ ...rest, ...(options.find((o) => o.type !== "null") as RJSFSchema) });
  }
  if (schema.properties) {
    return {
      ...schema,
      properties: Object.fromEntries(
        Object.entries(schema.properties).map(([k, v]) => [k, typeof v === "object" ? simplify(v as RJSFSchema) : v]),
      ),
    };
  }
  return schema;
}

function asSchema(schema: unknown): RJSFSchema {
  const base = (schema && typeof schema === "object" ? schema : { type: "object" }) as RJSFSchema;
  return withKeyTitles(withRequiredLists(simplify({ ...base, title: undefined, description: undefined })));
}

/** The decision form's layout: fields in the order every form uses (`fieldOrder`), a few
 *  fixed choices as checkboxes. */
export function decisionUiSchema(schema: RJSFSchema): Record<string, unknown> {
  const ui: Record<string, unknown> = { "ui:submitButtonOptions": { norender: true }, "ui:order": [...fieldOrder(schema), "*"] };
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (typeof child === "object" && isFewChoices(child as RJSFSchema)) ui[key] = { "ui:widget": "checkboxes" };
  }
  return ui;
}

export const SchemaForm = forwardRef<Form, Props>(function SchemaForm(
  { schema, value, onChange, disabled, testId },
  ref,
) {
  const shaped = asSchema(schema);
  return (
    <div className="step-form" data-testid={testId}>
      <Form
        ref={ref}
        schema={shaped}
        templates={{ ButtonTemplates }}
        formData={value}
        validator={validator}
        disabled={disabled}
        showErrorList={false}
        onError={() => undefined /* shown beside each field; not logged to the console */}
        noHtml5Validate
        liveValidate={false}
        transformErrors={(errors) => plainErrors(errors, value)}
        onChange={(event) => onChange((event.formData ?? {}) as Record<string, unknown>)}
        uiSchema={decisionUiSchema(shaped)}
      />
    </div>
  );
});
