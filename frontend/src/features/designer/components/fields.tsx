// Inspector fields: each shows its label, the validator's issues for its path, and edits
// one part of the IR. CEL fields complete node ids and output fields as you type.
import { CodeText } from "../../../lib/CodeText";
import { useEffect, useId, useRef, useState } from "react";
import type { Issue } from "../../../graph";
import { complete, type Completion } from "../completion";
import { typedBraces } from "../textTemplate";
import { useDesigner } from "../store";

export interface FieldProps {
  label: string;
  /** The validator's field path this control edits (for issues and focusing). */
  path: string;
  issues?: Issue[];
  /** Shown under the field like issues, in the warning colour: the flow still runs. */
  warnings?: Issue[];
  required?: boolean;
  hint?: string;
  children: (id: string) => React.ReactNode;
  aside?: React.ReactNode;
  /** Shown under the warnings: what the person can do about them. */
  after?: React.ReactNode;
  /** The hint stays under the issues too (they only say the field is empty). */
  hintBesideIssues?: boolean;
}

export function Field({ label, path, issues = [], warnings = [], required, hint, children, aside, after, hintBesideIssues }: FieldProps) {
  const id = useId();
  return (
    <div className={`insp-field${issues.length ? " has-issues" : ""}`} data-field={path}>
      <div className="insp-label-row">
        <label htmlFor={id} className="insp-label">
          {label}
          {required && <span className="insp-required" title="Required">*</span>}
        </label>
        {aside}
      </div>
      {children(id)}
      {hint && ((!issues.length && !warnings.length) || hintBesideIssues) && <div className="insp-hint">{hint}</div>}
      {issues.map((issue, index) => (
        <div className="insp-issue" key={index} role="alert">
          <span className="insp-issue-code">{issue.code}</span> <CodeText text={issue.message} />
          {issue.hint && <div className="insp-issue-hint"><CodeText text={issue.hint} /></div>}
        </div>
      ))}
      {warnings.map((warning, index) => (
        <div className="insp-issue warning" key={`w${index}`} role="status" data-testid="field-warning">
          <span className="insp-issue-code">{warning.code}</span> <CodeText text={warning.message} />
          {warning.hint && <div className="insp-issue-hint"><CodeText text={warning.hint} /></div>}
        </div>
      ))}
      {after}
    </div>
  );
}

/** Issues whose field is `path` or lies under it (`inputs` covers `inputs.email`). */
export function issuesAt(issues: Issue[], path: string): Issue[] {
  return issues.filter((issue) => {
    const field = issue.field ?? "";
    return field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);
  });
}

interface CelInputProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  nodeId: string | null;
  locals?: readonly string[];
  placeholder?: string;
  multiline?: boolean;
  invalid?: boolean;
  disabled?: boolean;
  /** Where in the text before the cursor completion applies (the CEL typed so far and where it
   *  starts); null where it does not. By default the whole box is CEL. */
  completeIn?: (textBeforeCursor: string) => { from: number; source: string } | null;
  /** Text with `{{ }}` parts rather than CEL: proportional type, spelling checked, `{{` closed. */
  prose?: boolean;
}

/** Values a new step starts with only to be valid (nodeKinds.newNode): a literal that says
 *  nothing yet, replaced as a whole when the person starts typing. */
const STAND_INS = new Set(["true", "false", "null", "[]", "{}"]);

export function isStandIn(value: string): boolean {
  return STAND_INS.has(value.trim());
}

/** The whole box is CEL. */
const WHOLE_BOX = (textBeforeCursor: string) => ({ from: 0, source: textBeforeCursor });

/** A CEL expression box with completion (Ctrl+Space opens it anywhere). */
export function CelInput({ id, value, onChange, nodeId, locals = [], placeholder, multiline, invalid, disabled, completeIn = WHOLE_BOX, prose }: CelInputProps) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const selectedOnFocus = useRef(false);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();

  const refresh = (explicit = false) => {
    const element = ref.current;
    if (!element) return;
    const state = useDesigner.getState();
    const scope = completeIn(element.value.slice(0, element.selectionStart ?? element.value.length));
    const found = scope && complete(state.ir, state.tools, nodeId, scope.source, locals, explicit);
    setCompletion(found ? { ...found, from: found.from + (scope?.from ?? 0) } : null);
    setActive(0);
  };

  const accept = (label: string) => {
    const element = ref.current;
    if (!element || !completion) return;
    const cursor = element.selectionStart ?? element.value.length;
    const next = element.value.slice(0, completion.from) + label + element.value.slice(cursor);
    onChange(next);
    setCompletion(null);
    const at = completion.from + label.length;
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(at, at);
    });
  };

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.style.height = "auto";
    element.style.height = `${Math.min(element.scrollHeight + 2, multiline ? 220 : 120)}px`;
  }, [value, multiline]);

  const onKeyDown = (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === " " && event.ctrlKey) {
      event.preventDefault();
      refresh(true);
      return;
    }
    if (!completion) {
      if (event.key === "Enter" && !multiline && !event.shiftKey) event.preventDefault();
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((active + 1) % completion.items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((active - 1 + completion.items.length) % completion.items.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      accept(completion.items[active].label);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      setCompletion(null);
    }
  };

  return (
    <div className="cel-input">
      <textarea
        ref={ref}
        id={id}
        rows={1}
        className={`${prose ? "plain-text" : "cel-text"}${invalid ? " invalid" : ""}`}
        value={value}
        placeholder={placeholder}
        spellCheck={!!prose}
        autoComplete="off"
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-autocomplete="list"
        aria-controls={completion ? listId : undefined}
        // Text stays a text box (its completion is only inside `{{ }}`); CEL is a combobox.
        aria-expanded={prose ? undefined : !!completion}
        role={prose ? undefined : "combobox"}
        onChange={(event) => {
          const element = event.target;
          const closed = prose ? typedBraces(value, element.value, element.selectionStart ?? element.value.length) : null;
          if (closed) {
            // The box and its caret are set here, as the key is handled: React then finds
            // the box already holding the new value and leaves the caret where it is (set a
            // frame later, a fast typist's next key landed at the end of the text).
            element.value = closed.text;
            element.setSelectionRange(closed.cursor, closed.cursor);
          }
          onChange(closed ? closed.text : element.value);
          requestAnimationFrame(() => refresh());
        }}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          if (value === "") refresh();
          else if (!prose && isStandIn(value)) {
            // A new step's stand-in (a branch's `true`, a value's `null`) is there to be
            // replaced: typing takes its place rather than running on from it ("truecheck").
            const element = event.currentTarget;
            element.select();
            selectedOnFocus.current = true;
          }
        }}
        onMouseUp={(event) => {
          // The click that focused the box would put the caret where it landed, undoing that.
          if (selectedOnFocus.current) event.preventDefault();
          selectedOnFocus.current = false;
        }}
        onBlur={() => setCompletion(null)}
        onClick={() => completion && refresh()}
      />
      {completion && (
        <ul className="cel-suggestions" id={listId} role="listbox">
          {completion.items.slice(0, 12).map((item, index) => (
            <li
              key={item.label}
              role="option"
              aria-selected={index === active}
              className={index === active ? "active" : ""}
              onMouseDown={(event) => {
                event.preventDefault();
                accept(item.label);
              }}
              onMouseEnter={() => setActive(index)}
            >
              <span className="cel-s-label">{item.label}</span>
              <span className="cel-s-detail" title={item.detail}>{item.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A JSON value edited as text; applied when it parses, the parse error shown otherwise. */
export function JsonInput({ id, value, onChange, rows = 6, disabled }: {
  id: string;
  value: unknown;
  onChange: (value: unknown) => void;
  rows?: number;
  disabled?: boolean;
}) {
  const pretty = value === undefined || value === null ? "" : JSON.stringify(value, null, 2);
  const [text, setText] = useState(pretty);
  const [error, setError] = useState<string | null>(null);
  const lastApplied = useRef(pretty);
  useEffect(() => {
    if (pretty !== lastApplied.current) {
      setText(pretty);
      setError(null);
      lastApplied.current = pretty;
    }
  }, [pretty]);
  return (
    <>
      <textarea
        id={id}
        className={`json-text${error ? " invalid" : ""}`}
        rows={rows}
        value={text}
        spellCheck={false}
        disabled={disabled}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value.trim() === "") {
            setError(null);
            lastApplied.current = "";
            onChange(undefined);
            return;
          }
          try {
            const parsed = JSON.parse(event.target.value) as unknown;
            setError(null);
            lastApplied.current = JSON.stringify(parsed, null, 2);
            onChange(parsed);
          } catch (exc) {
            setError((exc as Error).message);
          }
        }}
      />
      {error && <div className="insp-issue">Not valid JSON yet: {error}</div>}
    </>
  );
}

/** A list of node ids (after, arms) as removable chips and a picker for more. */
export function IdListInput({ id, value, options, onChange, disabled }: {
  id: string;
  value: string[];
  options: string[];
  onChange: (value: string[]) => void;
  disabled?: boolean;
}) {
  const available = options.filter((option) => !value.includes(option));
  return (
    <div className="id-list">
      {value.map((entry) => (
        <span className="id-chip" key={entry}>
          <code>{entry}</code>
          {!disabled && (
            <button type="button" aria-label={`Remove ${entry}`} onClick={() => onChange(value.filter((other) => other !== entry))}>×</button>
          )}
        </span>
      ))}
      {!disabled && available.length > 0 && (
        <select
          id={id}
          className="id-add"
          value=""
          onChange={(event) => event.target.value && onChange([...value, event.target.value])}
        >
          <option value="">+ add…</option>
          {available.map((option) => <option key={option} value={option}>{option}</option>)}
        </select>
      )}
      {value.length === 0 && (disabled || available.length === 0) && <span className="insp-hint">none</span>}
    </div>
  );
}

/** The width of a map's name column, in characters: its longest name, within reason. */
function keyChars(keys: string[]): number {
  return Math.min(18, Math.max(6, ...keys.map((key) => key.length)));
}

/** Names longer than this leave the expression beside them too narrow in the inspector
 * (`validate_email` broke as `validate_e` / `mail`): each expression goes under its name. */
export const SIDE_BY_SIDE_KEY_CHARS = 12;

/** Whether a map with these names shows each expression under its name, not beside it. */
export function stackedMap(keys: string[]): boolean {
  return keys.some((key) => key.length > SIDE_BY_SIDE_KEY_CHARS);
}

/** A map of names to CEL expressions (approval context, value fields, switch cases...). */
export function ExprMapInput({ value, onChange, nodeId, path, issues, keyLabel = "name", disabled }: {
  value: Record<string, string>;
  onChange: (value: Record<string, string>) => void;
  nodeId: string;
  path: string;
  issues: Issue[];
  keyLabel?: string;
  disabled?: boolean;
}) {
  const entries = Object.entries(value);
  const rename = (from: string, to: string) => {
    if (!to || (to !== from && to in value)) return;
    onChange(Object.fromEntries(entries.map(([key, source]) => [key === from ? to : key, source])));
  };
  const stacked = stackedMap(entries.map(([key]) => key));
  return (
    <div className={`expr-map${stacked ? " stacked" : ""}`} style={{ "--key-chars": keyChars(entries.map(([key]) => key)) } as React.CSSProperties}>
      {/* What each box holds: a row of `input` beside (or above) `input` read as the same
          thing twice. Stacked, each name is the caption of the expression under it. */}
      {entries.length > 0 && (
        <div className="expr-map-head" aria-hidden data-testid="expr-map-head">
          {stacked ? <span>{keyLabel[0].toUpperCase() + keyLabel.slice(1)}, with its expression under it</span>
            : <><span>{keyLabel[0].toUpperCase() + keyLabel.slice(1)}</span><span>Expression</span></>}
        </div>
      )}
      {entries.map(([key, source]) => (
        <div className="expr-map-row" key={key} data-field={`${path}.${key}`}>
          <input
            className="expr-map-key"
            defaultValue={key}
            title={key}
            aria-label={`${keyLabel} of ${key}`}
            disabled={disabled}
            onBlur={(event) => rename(key, event.target.value.trim())}
          />
          <CelInput
            id={`${path}.${key}`}
            value={source}
            nodeId={nodeId}
            disabled={disabled}
            invalid={issuesAt(issues, `${path}.${key}`).length > 0}
            onChange={(next) => onChange({ ...value, [key]: next })}
          />
          {!disabled && (
            <button type="button" className="btn ghost small icon-only" aria-label={`Remove ${key}`}
              onClick={() => onChange(Object.fromEntries(entries.filter(([other]) => other !== key)))}>×</button>
          )}
          {issuesAt(issues, `${path}.${key}`).map((issue, index) => (
            <div className="insp-issue expr-map-issue" key={index}><CodeText text={issue.message} /></div>
          ))}
        </div>
      ))}
      {!disabled && (
        <button
          type="button"
          className="btn ghost small"
          onClick={() => {
            let n = entries.length + 1;
            while (`${keyLabel}_${n}` in value) n += 1;
            onChange({ ...value, [`${keyLabel}_${n}`]: "null" });
          }}
        >+ Add {keyLabel}</button>
      )}
    </div>
  );
}
