// An approval's form, or the flow's run input, edited as fields (name, label, type, required,
// choices) or as its JSON Schema; a schema the fields cannot say opens in JSON.
import { useState } from "react";
import {
  FIELD_TYPES,
  fieldsToSchema,
  isFieldName,
  newFieldName,
  schemaToFields,
  type FieldType,
  type FormField,
} from "../formFields";
import { JsonInput } from "./fields";

/** What the fields are for: an approver's form, or the input a run starts with. */
type Purpose = "approval" | "input";

const WORDS: Record<Purpose, { empty: string; name: string; label: string; required: string }> = {
  approval: {
    empty: "No fields: the approver approves or rejects, with an optional comment.",
    name: "The name downstream steps read (step.data.<name>)",
    label: "Label the approver sees",
    required: "The approver must fill it in to approve",
  },
  input: {
    empty: "No fields: the flow takes no input. Add one for each value a run starts with.",
    name: "The name expressions read (input.<name>)",
    label: "Label on the run form",
    required: "A run cannot start without it",
  },
};

interface Props {
  id: string;
  value: unknown;
  onChange: (schema: unknown) => void;
  disabled?: boolean;
  purpose?: Purpose;
}

export function FormFieldsInput({ id, value, onChange, disabled, purpose = "approval" }: Props) {
  const fields = schemaToFields(value, purpose === "input");
  const [mode, setMode] = useState<"fields" | "json">(fields ? "fields" : "json");
  const shown = mode === "fields" && fields ? "fields" : "json";
  return (
    <div className="form-fields" data-testid="form-fields">
      <div className="segmented" role="radiogroup" aria-label="Form editor">
        <button type="button" role="radio" aria-checked={shown === "fields"} disabled={!fields}
          title={fields ? "Edit the form as a list of fields" : "This schema says more than fields can: edit it as JSON"}
          onClick={() => setMode("fields")} data-testid="form-mode-fields">Fields</button>
        <button type="button" role="radio" aria-checked={shown === "json"} onClick={() => setMode("json")} data-testid="form-mode-json">JSON</button>
      </div>
      {!fields && (
        // Said in the page, not only in the greyed button's tooltip: why the fields are not offered.
        <p className="insp-hint" data-testid="form-json-only">
          This schema says more than the fields can (a list of objects, a nested object…): edit it as JSON.
        </p>
      )}
      {shown === "json" || !fields ? (
        <JsonInput id={id} value={value} disabled={disabled} onChange={(v) => onChange(v ?? {})} />
      ) : (
        <FieldList id={id} fields={fields} disabled={disabled} words={WORDS[purpose]} onChange={(next) => onChange(fieldsToSchema(next, value))} />
      )}
    </div>
  );
}

function FieldList({ id, fields, onChange, disabled, words }: {
  id: string;
  fields: FormField[];
  words: (typeof WORDS)[Purpose];
  onChange: (fields: FormField[]) => void;
  disabled?: boolean;
}) {
  const [nameError, setNameError] = useState<{ name: string; text: string } | null>(null);
  const put = (index: number, patch: Partial<FormField>) =>
    onChange(fields.map((field, i) => (i === index ? { ...field, ...patch } : field)));
  const rename = (index: number, to: string) => {
    const from = fields[index].name;
    if (to === from) return setNameError(null);
    if (!isFieldName(to)) return setNameError({ name: from, text: "A name is letters, digits and _, not starting with a digit." });
    if (fields.some((field) => field.name === to)) return setNameError({ name: from, text: `There is already a field “${to}”.` });
    setNameError(null);
    put(index, { name: to });
  };
  return (
    <div className="ff-list">
      {fields.length === 0 && (
        <p className="insp-hint ff-empty">{words.empty}</p>
      )}
      {fields.map((field, index) => (
        <div className="ff-row" key={field.name} data-testid="form-field" data-name={field.name}>
          <div className="ff-line">
            <input
              id={index === 0 ? id : undefined}
              className="ff-name"
              defaultValue={field.name}
              aria-label="Field name"
              title={words.name}
              disabled={disabled}
              onBlur={(event) => {
                rename(index, event.target.value.trim());
                if (!isFieldName(event.target.value.trim())) event.target.value = field.name;
              }}
            />
            <select aria-label={`Type of ${field.name}`} value={field.type} disabled={disabled}
              onChange={(event) => put(index, { type: event.target.value as FieldType, extra: undefined })}>
              {FIELD_TYPES.map((option) => <option key={option.type} value={option.type}>{option.label}</option>)}
            </select>
            {!disabled && (
              <button type="button" className="btn ghost small icon-only" aria-label={`Remove ${field.name}`}
                onClick={() => onChange(fields.filter((_, i) => i !== index))}>×</button>
            )}
          </div>
          <div className="ff-line ff-line-2">
            <input className="ff-label" defaultValue={field.label} placeholder={words.label} aria-label={`Label of ${field.name}`}
              disabled={disabled} onBlur={(event) => event.target.value !== field.label && put(index, { label: event.target.value })} />
            <label className="ff-required" title={words.required}>
              <input type="checkbox" checked={field.required} disabled={disabled} aria-label={`${field.name} is required`}
                onChange={(event) => put(index, { required: event.target.checked })} /> required
            </label>
          </div>
          {field.type === "choice" && (
            <input className="ff-options" defaultValue={field.options.join(", ")} placeholder="Choices, separated by commas"
              aria-label={`Choices of ${field.name}`} disabled={disabled}
              onBlur={(event) => put(index, { options: event.target.value.split(",").map((s) => s.trim()).filter(Boolean) })} />
          )}
          {nameError?.name === field.name && <div className="insp-issue" role="alert">{nameError.text}</div>}
        </div>
      ))}
      {!disabled && (
        <button type="button" className="btn ghost small" data-testid="form-add-field"
          onClick={() => onChange([...fields, { name: newFieldName(fields), label: "", type: "string", required: false, options: [], description: "" }])}>
          + Add field
        </button>
      )}
    </div>
  );
}
