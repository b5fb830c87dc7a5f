// One tool input in the inspector: a CEL expression box, helped by what the input's JSON
// Schema says: its values to pick from (enum, boolean), its default, a template for a list or
// object, and a one-click fix for plain text typed where an expression is read.
import type { Issue, JsonSchema } from "../../../graph";
import { chosen, inputShape, textFix } from "../inputShape";
import { CelInput, Field } from "./fields";
import { ReferenceFix } from "./ReferenceFix";

/** More values than this are offered in a list rather than as buttons. */
const MAX_CHOICE_BUTTONS = 8;

interface ToolInputFieldProps {
  name: string;
  /** The input's JSON Schema; undefined for an input the tool does not take. */
  schema: JsonSchema | undefined;
  required: boolean;
  value: string;
  issues: Issue[];
  nodeId: string;
  locals: readonly string[];
  disabled: boolean;
  onChange: (value: string) => void;
}

export function ToolInputField({ name, schema, required, value, issues: found, nodeId, locals, disabled, onChange }: ToolInputFieldProps) {
  const shape = inputShape(schema);
  // Under the field itself, "node X does not supply required input Y of tool Z" names what
  // the field already shows: it says only what is missing (the problems panel keeps it all).
  const issues = found.map((issue) => (issue.code === "missing_input" && !value.trim() ? { ...issue, message: "This input is required." } : issue));
  const fix = disabled ? null : textFix(value, shape, issues);
  const picked = chosen(value, shape);
  const placeholder = required ? "required" : shape.defaultCel ? `default: ${shape.defaultCel}` : "optional";
  const description = schema ? (schema.description as string | undefined) : "Not an input of this tool";
  // What a list's items or an object hold stays in sight with the field's problems too.
  const itemFields = shape.fields ? `${shape.typeLabel === "object" ? "Fields" : "Each item"}: ${shape.fields}.` : null;

  const assists = disabled ? null : (
    <>
      <ReferenceFix value={value} issues={issues} onChange={onChange} />
      {fix && <TextFixButton fix={fix} onChange={onChange} />}
      {shape.choices.length > 0 && shape.choices.length <= MAX_CHOICE_BUTTONS && (
        <div className="insp-assist" role="group" aria-label={`Values of ${name}`} data-testid="input-choices">
          {shape.choices.map((choice) => (
            <button key={choice.cel} type="button" className="insp-chip" aria-pressed={picked?.cel === choice.cel}
              onClick={() => onChange(picked?.cel === choice.cel ? "" : choice.cel)}>
              {choice.label}
            </button>
          ))}
        </div>
      )}
      {shape.choices.length > MAX_CHOICE_BUTTONS && (
        <div className="insp-assist" data-testid="input-choices">
          <select aria-label={`Values of ${name}`} value={picked?.cel ?? ""} onChange={(event) => onChange(event.target.value)}>
            <option value="">{picked ? "(clear)" : "Pick a value…"}</option>
            {shape.choices.map((choice) => <option key={choice.cel} value={choice.cel}>{choice.label}</option>)}
          </select>
        </div>
      )}
      {shape.template && value.trim() === "" && (
        <div className="insp-assist" data-testid="input-template">
          <button type="button" className="insp-chip" onClick={() => onChange(shape.template ?? "")}
            title={shape.template}>
            Start from a template
          </button>
        </div>
      )}
    </>
  );

  return (
    <Field
      label={name}
      path={`inputs.${name}`}
      issues={issues}
      required={required}
      hint={description}
      aside={shape.typeLabel ? <span className="insp-type">{shape.typeLabel}</span> : undefined}
      after={<>
        {itemFields && <div className="insp-hint" data-testid="input-fields">{itemFields}</div>}
        {assists}
      </>}
    >
      {(id) => (
        <CelInput id={id} value={value} nodeId={nodeId} locals={locals} invalid={issues.length > 0} disabled={disabled}
          multiline={!!shape.template} placeholder={placeholder} onChange={onChange} />
      )}
    </Field>
  );
}

/** "Use "billing" as text": writes the quoted literal in place of what was typed. */
function TextFixButton({ fix, onChange }: { fix: string; onChange: (value: string) => void }) {
  return (
    <div className="insp-assist" data-testid="input-text-fix">
      <button type="button" className="insp-chip" onClick={() => onChange(fix)}>
        Use <code>{fix}</code> as text
      </button>
    </div>
  );
}

/** The same quick fix for any expression field that may be text (a value, an output). */
export function TextFix({ value, issues, onChange }: { value: string; issues: Issue[]; onChange: (value: string) => void }) {
  const fix = textFix(value, inputShape(undefined), issues);
  return (
    <>
      <ReferenceFix value={value} issues={issues} onChange={onChange} />
      {fix && <TextFixButton fix={fix} onChange={onChange} />}
    </>
  );
}
