// One tool input in the inspector, helped by what the input's JSON Schema says: its values
// to pick from (enum, boolean), its default, a template for a list or object. A text input
// has two modes, as n8n's Fixed / Expression: Text takes what is typed as text, with
// `{{ expr }}` parts (stored as a CEL string literal or concatenation), and Expression is the
// CEL box, with a one-click fix for plain text typed where an expression is read.
import { useState } from "react";
import type { Issue, JsonSchema } from "../../../graph";
import { chosen, inputShape, textFix, type InputShape } from "../inputShape";
import { useDesigner } from "../store";
import { initialMode, offersTextMode, readsAsReference, textOf, toTextMode, type InputMode } from "../textMode";
import { celOfTemplate, filledPlaceholders, openPlaceholder, partOfIssue, templateOf } from "../textTemplate";
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
  const switchable = offersTextMode(shape);
  const [preferred, setPreferred] = useState<InputMode>(() => initialMode(value, shape));
  // What was last typed in Text mode stays as typed (`{{x}}`, a part not closed yet) while it
  // is what the IR holds; otherwise the text is read from the IR. Text mode shows only what
  // it can: an undo or a rename that leaves an expression here shows it as one.
  const [draft, setDraft] = useState<string | null>(null);
  const typed = draft !== null && celOfTemplate(draft) === value ? draft : null;
  const text = value.trim() === "" ? "" : typed ?? templateOf(value);
  const mode: InputMode = switchable && preferred === "text" && text !== null ? "text" : "expression";
  const nodes = useDesigner((state) => state.ir.nodes);
  // Under the field itself, "node X does not supply required input Y of tool Z" and how to
  // supply it name what the field already shows: it says only what is missing, and what the
  // input is for stays under it (the problems panel keeps the validator's words).
  const onlyMissing = found.length > 0 && !value.trim() && found.every((issue) => issue.code === "missing_input");
  const stated = onlyMissing ? found.map((issue) => ({ ...issue, message: "This input is required.", hint: null })) : found;
  // In Text mode an issue about a `{{ }}` part says which part it is about.
  const placeholders = mode === "text" && text ? filledPlaceholders(text) : [];
  const pointed = placeholders.length ? stated.map((issue) => partOfIssue(text ?? "", issue.message)) : [];
  const issues = stated.map((issue, index) => (pointed[index] >= 0
    ? { ...issue, message: `In \`{{ ${placeholders[pointed[index]].source} }}\`: ${issue.message}` }
    : issue));
  const fix = disabled || mode === "text" ? null : textFix(value, shape, issues);
  const picked = chosen(value, shape);
  const description = schema ? (schema.description as string | undefined) : "Not an input of this tool";
  // What a list's items or an object hold stays in sight with the field's problems too.
  const itemFields = shape.fields ? `${shape.typeLabel === "object" ? "Fields" : "Each item"}: ${shape.fields}.` : null;
  const roots = ["input", ...locals, ...nodes.map((node) => node.id).filter((id) => id !== nodeId)];
  const meantAsExpression = mode === "text" && !disabled && text !== null && readsAsReference(text, roots) ? text : null;

  const switchTo = (next: InputMode) => {
    setPreferred(next);
    if (next === "text" && text === null) onChange(toTextMode(value));
  };

  const assists = disabled ? null : (
    <>
      {mode === "expression" && <ReferenceFix value={value} issues={issues} onChange={onChange} />}
      {placeholders.length > 0 && (
        <ReferenceFix value={value} issues={issues} onChange={(fixed) => {
          setDraft(null);
          onChange(fixed);
        }} shown={(fixed) => templateOf(fixed) ?? fixed} />
      )}
      {fix && (
        <TextFixButton fix={fix} onChange={(quoted) => {
          onChange(quoted);
          if (switchable) setPreferred("text");
        }} />
      )}
      {meantAsExpression && (
        <div className="insp-assist" data-testid="input-expression-fix">
          <button type="button" className="insp-chip" onClick={() => {
            setPreferred("expression");
            onChange(meantAsExpression);
          }}>
            Use <code>{meantAsExpression}</code> as an expression
          </button>
        </div>
      )}
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
      {shape.template && mode === "expression" && value.trim() === "" && (
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
      hintBesideIssues={onlyMissing}
      aside={(shape.typeLabel || switchable) ? (
        <span className="insp-aside">
          {shape.typeLabel && <span className="insp-type">{shape.typeLabel}</span>}
          {switchable && <ModeSwitch name={name} mode={mode} disabled={disabled} onChange={switchTo} />}
        </span>
      ) : undefined}
      after={<>
        {placeholders.length > 0 && <TemplateParts sources={placeholders.map((part) => part.source)} invalid={new Set(pointed)} />}
        {itemFields && <div className="insp-hint" data-testid="input-fields">{itemFields}</div>}
        {assists}
      </>}
    >
      {(id) => mode === "text" ? (
        <CelInput id={id} value={text ?? ""} nodeId={nodeId} locals={locals} invalid={issues.length > 0} disabled={disabled}
          prose multiline completeIn={openPlaceholder} placeholder={placeholderOf(shape, required, "text")}
          onChange={(next) => {
            setDraft(next);
            onChange(celOfTemplate(next));
          }} />
      ) : (
        <CelInput id={id} value={value} nodeId={nodeId} locals={locals} invalid={issues.length > 0} disabled={disabled}
          multiline={!!shape.template} placeholder={placeholderOf(shape, required, "expression")} onChange={onChange} />
      )}
    </Field>
  );
}

/** What an empty field says: that it is needed, or what it falls back to. */
function placeholderOf(shape: InputShape, required: boolean, mode: InputMode): string {
  if (required) return mode === "text" ? "required: type the text, {{ }} for a value" : "required";
  if (!shape.defaultCel) return mode === "text" ? "optional: type the text, {{ }} for a value" : "optional";
  return `default: ${mode === "text" ? textOf(shape.defaultCel) ?? shape.defaultCel : shape.defaultCel}`;
}

/** The expressions a text computes, each marked when an issue is about it. */
function TemplateParts({ sources, invalid }: { sources: string[]; invalid: ReadonlySet<number> }) {
  return (
    <div className="insp-parts" data-testid="template-parts">
      <span className="insp-parts-label">Values</span>
      {sources.map((source, index) => (
        <code key={index} className={`insp-part${invalid.has(index) ? " invalid" : ""}`} data-testid="template-part"
          data-invalid={invalid.has(index) ? "true" : undefined} title={`string(${source})`}>{source}</code>
      ))}
    </div>
  );
}

/** Text | Expression: how the input is given. */
function ModeSwitch({ name, mode, disabled, onChange }: { name: string; mode: InputMode; disabled: boolean; onChange: (mode: InputMode) => void }) {
  return (
    <span className="segmented mode-switch" role="radiogroup" aria-label={`How ${name} is given`} data-testid="input-mode">
      <button type="button" role="radio" aria-checked={mode === "text"} disabled={disabled}
        title="Text, as typed" onClick={() => mode !== "text" && onChange("text")}>Text</button>
      <button type="button" role="radio" aria-checked={mode === "expression"} disabled={disabled}
        title="A CEL expression over the run input and earlier steps" onClick={() => mode !== "expression" && onChange("expression")}>Expression</button>
    </span>
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
