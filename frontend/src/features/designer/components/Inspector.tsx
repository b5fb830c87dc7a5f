// The inspector: every field of the selected node (docs/ir.md), with the validator's
// issues under each; the flow's own fields when they are asked for (the toolbar's Settings,
// or a problem of the flow itself). With neither, the page does not show it.
import { CodeText } from "../../../lib/CodeText";
import { FormFieldsInput } from "./FormFieldsInput";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import {
  downstreamIds,
  isValidNodeId,
  type FlowIR,
  type IrNode,
  type Issue,
  type JsonSchema,
} from "../../../graph";
import { fetchGroupNames, type Tool } from "../api";
import { groupList, groupSuggestions, missingGroups, replaceGroup } from "../groupNames";
import { NODE_KINDS } from "../nodeKinds";
import { designer, issueNode, useDesigner } from "../store";
import { CelInput, ExprMapInput, Field, IdListInput, JsonInput, issuesAt } from "./fields";
import { openPlaceholder } from "../textTemplate";
import { Icon } from "./Icon";
import { ReferenceFix } from "./ReferenceFix";
import { TextFix, ToolInputField } from "./ToolInputField";

type AnyNode = IrNode & Record<string, unknown>;

/** The node with `key` set, or removed when `value` is undefined or "". */
function withField(node: IrNode, key: string, value: unknown): IrNode {
  const next = { ...node } as AnyNode;
  if (value === undefined || value === "") delete next[key];
  else next[key] = value;
  return next as IrNode;
}

function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function Inspector() {
  const selection = useDesigner((state) => state.selection);
  const ir = useDesigner((state) => state.ir);
  const focus = useDesigner((state) => state.focus);
  const panel = useRef<HTMLDivElement>(null);
  const node = selection.length === 1 ? ir.nodes.find((n) => n.id === selection[0]) : undefined;

  // Focus the field a problem points at (after the inspector rendered that node).
  useEffect(() => {
    if (!focus || !panel.current) return;
    const root = panel.current;
    requestAnimationFrame(() => {
      let path = focus.field ?? "";
      let target: Element | null = null;
      while (path && !target) {
        target = root.querySelector(`[data-field="${CSS.escape(path)}"]`);
        path = path.replace(/(\.[^.[\]]*|\[\d+\])$/, "");
        if (!/[.[]/.test(path) && !target) {
          target = root.querySelector(`[data-field="${CSS.escape(path)}"]`);
          break;
        }
      }
      const element = target ?? root.querySelector("[data-field]");
      element?.scrollIntoView({ block: "nearest" });
      const input = element?.querySelector<HTMLElement>("textarea, input, select");
      input?.focus();
    });
  }, [focus]);

  return (
    <aside className="designer-inspector" aria-label="Inspector" data-testid="inspector" ref={panel}>
      {selection.length > 1 ? (
        <MultiSelection count={selection.length} />
      ) : node ? (
        <NodeInspector key={node.id} node={node} />
      ) : (
        <FlowPanel />
      )}
    </aside>
  );
}

function MultiSelection({ count }: { count: number }) {
  return (
    <div className="insp-section">
      <h2 className="insp-title">{count} nodes selected</h2>
      <p className="insp-hint">Drag to move them together, Ctrl+C to copy, Delete to remove.</p>
      <button type="button" className="btn danger small" onClick={() => designer.deleteNodes(useDesigner.getState().selection)}>
        <Icon name="trash" size={14} /> Delete {count} nodes
      </button>
    </div>
  );
}

function useNodeIssues(nodeId: string): Issue[] {
  const issues = useDesigner((state) => state.issues);
  const validatedIr = useDesigner((state) => state.validatedIr);
  return useMemo(
    () => (validatedIr ? issues.filter((issue) => issueNode(issue, validatedIr) === nodeId) : []),
    [issues, validatedIr, nodeId],
  );
}

function useNodeWarnings(nodeId: string): Issue[] {
  const warnings = useDesigner((state) => state.warnings);
  const validatedIr = useDesigner((state) => state.validatedIr);
  return useMemo(
    () => (validatedIr ? warnings.filter((warning) => issueNode(warning, validatedIr) === nodeId) : []),
    [warnings, validatedIr, nodeId],
  );
}

function NodeInspector({ node }: { node: IrNode }) {
  const ir = useDesigner((state) => state.ir);
  const tools = useDesigner((state) => state.tools);
  const canEdit = useDesigner((state) => state.canEdit);
  const issues = useNodeIssues(node.id);
  const kind = NODE_KINDS[node.type];
  const update = (change: (n: IrNode) => IrNode, key?: string) => designer.updateNode(node.id, change, key && `${node.id}.${key}`);
  const set = (key: string, value: unknown, coalesce = true) => update((n) => withField(n, key, value), coalesce ? key : undefined);
  const others = ir.nodes.map((n) => n.id).filter((id) => id !== node.id);
  const below = useMemo(() => downstreamIds(ir, node.id), [ir, node.id]);
  const canWaitFor = others.filter((id) => !below.has(id));
  const at = (path: string) => issuesAt(issues, path);
  const disabled = !canEdit;

  const body = (
    <>
      <section className="insp-section">
        <IdField node={node} issues={at("id")} disabled={disabled} />
        <Field label="Title" path="title" issues={at("title")} hint="A label for people; the id stays the name expressions use.">
          {(id) => <input id={id} type="text" value={node.title ?? ""} disabled={disabled} onChange={(e) => set("title", e.target.value)} />}
        </Field>
      </section>
      <TypeFields node={node} tools={tools} ir={ir} at={at} set={set} update={update} canWaitFor={canWaitFor} disabled={disabled} />
      <section className="insp-section">
        <h3 className="insp-section-title">Runs when</h3>
        <Field label="Guard (when)" path="when" issues={at("when")} hint="A boolean CEL expression; false skips the node."
          after={disabled ? null : <ReferenceFix value={node.when ?? ""} issues={at("when")} onChange={(v) => set("when", v)} />}>
          {(id) => <CelInput id={id} value={node.when ?? ""} nodeId={node.id} invalid={at("when").length > 0} disabled={disabled} placeholder="e.g. check.valid" onChange={(v) => set("when", v)} />}
        </Field>
        <Field label="Runs after" path="after" issues={at("after")} hint="Ordering only: no data flows along these edges.">
          {(id) => <IdListInput id={id} value={node.after ?? []} options={canWaitFor} disabled={disabled} onChange={(v) => set("after", v.length ? v : undefined, false)} />}
        </Field>
        <Field label="Trigger" path="trigger" issues={at("trigger")} hint={node.trigger === "any" ? "Runs when at least one dependency completed." : "Runs only when every dependency completed."}>
          {(id) => (
            <select id={id} value={node.trigger ?? "all"} disabled={disabled} onChange={(e) => set("trigger", e.target.value === "all" ? undefined : e.target.value, false)}>
              <option value="all">all: every dependency completed</option>
              <option value="any">any: at least one completed (merge arms)</option>
            </select>
          )}
        </Field>
      </section>
    </>
  );
  const known = [...BASE_FIELDS, ...TYPE_FIELDS[node.type]];
  const rest = issues.filter((issue) => !known.some((path) => issuesAt([issue], path).length));

  return (
    <div className="insp-node">
      <header className="insp-header" style={{ "--kind": `var(${kind.colour})` } as React.CSSProperties}>
        <span className="insp-icon"><Icon name={node.type} /></span>
        <div>
          <div className="insp-title">{node.title || node.id}</div>
          <div className="insp-sub">{kind.label} · {kind.description}</div>
        </div>
        {canEdit && (
          <button type="button" className="btn ghost small icon-only insp-delete" aria-label={`Delete ${node.id}`} title="Delete node (Del)" onClick={() => designer.deleteNodes([node.id])}>
            <Icon name="trash" size={15} />
          </button>
        )}
      </header>
      {rest.length > 0 && (
        <div className="insp-section insp-other-issues" data-field="">
          {rest.map((issue, index) => (
            <div className="insp-issue" key={index}><span className="insp-issue-code">{issue.code}</span> <CodeText text={issue.message} />
              {issue.hint && <div className="insp-issue-hint"><CodeText text={issue.hint} /></div>}</div>
          ))}
        </div>
      )}
      {body}
    </div>
  );
}

/** The fields the inspector shows per type; issues elsewhere are listed at the top. */
const BASE_FIELDS = ["id", "title", "when", "after", "trigger"];
const TYPE_FIELDS: Record<IrNode["type"], string[]> = {
  tool: ["tool", "inputs", "timeout_s", "retry"],
  map: ["items", "tool", "inputs", "concurrency", "max_items", "timeout_s", "retry"],
  branch: ["condition", "then", "else"],
  switch: ["value", "cases", "default"],
  approval: ["instructions", "context", "form_schema", "assignees", "timeout_s", "on_timeout", "on_reject"],
  value: ["value"],
  output: ["value"],
  llm: ["prompt", "system", "output_schema", "model", "timeout_s", "retry"],
};

function IdField({ node, issues, disabled }: { node: IrNode; issues: Issue[]; disabled: boolean }) {
  const [draft, setDraft] = useState(node.id);
  const taken = useDesigner((state) => state.ir.nodes.some((n) => n.id === draft && n !== node));
  useEffect(() => setDraft(node.id), [node.id]);
  const problem = draft === node.id ? null : !isValidNodeId(draft) ? "Use lower snake_case: a-z, 0-9 and _, not starting with a digit, not a reserved word." : taken ? "Another node already has this id." : null;
  const commit = () => {
    if (draft !== node.id && !problem) designer.renameNode(node.id, draft);
    else setDraft(node.id);
  };
  return (
    <Field label="Id" path="id" issues={issues} required hint="Renaming updates every expression that reads it.">
      {(id) => (
        <>
          <input
            id={id}
            type="text"
            className="mono"
            value={draft}
            disabled={disabled}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === "Enter") commit();
              if (e.key === "Escape") setDraft(node.id);
            }}
          />
          {problem && <div className="insp-issue">{problem}</div>}
        </>
      )}
    </Field>
  );
}

interface TypeFieldsProps {
  node: IrNode;
  tools: Record<string, Tool>;
  ir: FlowIR;
  at: (path: string) => Issue[];
  set: (key: string, value: unknown, coalesce?: boolean) => void;
  update: (change: (n: IrNode) => IrNode, key?: string) => void;
  canWaitFor: string[];
  disabled: boolean;
}

function TypeFields(props: TypeFieldsProps) {
  const { node } = props;
  switch (node.type) {
    case "tool":
      return <ToolFields {...props} />;
    case "map":
      return <ToolFields {...props} />;
    case "branch":
      return <BranchFields {...props} />;
    case "switch":
      return <SwitchFields {...props} />;
    case "approval":
      return <ApprovalFields {...props} />;
    case "value":
    case "output":
      return <ValueFields {...props} />;
    case "llm":
      return <LlmFields {...props} />;
  }
}

function schemaProps(schema: unknown): { props: Record<string, JsonSchema>; required: string[] } {
  const s = (schema ?? {}) as JsonSchema;
  return {
    props: (s.properties as Record<string, JsonSchema> | undefined) ?? {},
    required: Array.isArray(s.required) ? (s.required as string[]) : [],
  };
}

function ToolFields({ node, tools, at, set, update, disabled }: TypeFieldsProps) {
  if (node.type !== "tool" && node.type !== "map") return null;
  const tool = tools[node.tool];
  const { props, required } = schemaProps(tool?.input_schema);
  const inputs = node.inputs ?? {};
  const names = [...Object.keys(props).sort((a, b) => Number(required.includes(b)) - Number(required.includes(a))), ...Object.keys(inputs).filter((name) => !(name in props))];
  const toolIds = Object.keys(tools).sort();
  const locals = node.type === "map" ? ["item", "index"] : [];
  const setInput = (name: string, value: string) => update((n) => {
    const current = { ...((n as AnyNode).inputs as Record<string, string> | undefined) };
    if (value === "") delete current[name];
    else current[name] = value;
    return { ...n, inputs: current } as IrNode;
  }, `inputs.${name}`);
  return (
    <>
      <section className="insp-section">
        <h3 className="insp-section-title">{node.type === "map" ? "For each item" : "Tool"}</h3>
        {node.type === "map" && (
          <Field label="Items" path="items" issues={at("items")} required hint="A CEL expression that yields a list."
            after={disabled ? null : <ReferenceFix value={node.items} issues={at("items")} onChange={(v) => set("items", v)} />}>
            {(id) => <CelInput id={id} value={node.items} nodeId={node.id} invalid={at("items").length > 0} disabled={disabled} onChange={(v) => set("items", v)} />}
          </Field>
        )}
        <Field label="Tool" path="tool" issues={at("tool")} required hint={tool?.description}>
          {(id) => (
            <select id={id} value={node.tool} disabled={disabled} onChange={(e) => set("tool", e.target.value, false)}>
              {!tools[node.tool] && <option value={node.tool}>{node.tool || "choose a tool…"}</option>}
              {toolIds.map((toolId) => <option key={toolId} value={toolId}>{tools[toolId].name} ({toolId})</option>)}
            </select>
          )}
        </Field>
      </section>
      <section className="insp-section">
        <h3 className="insp-section-title">Inputs</h3>
        {names.length === 0 && <p className="insp-hint">{tool ? "This tool takes no inputs." : "Choose a tool to see its inputs."}</p>}
        {names.map((name) => (
          <ToolInputField key={name} name={name} schema={props[name]} required={required.includes(name)} value={inputs[name] ?? ""}
            issues={at(`inputs.${name}`)} nodeId={node.id} locals={locals} disabled={disabled} onChange={(v) => setInput(name, v)} />
        ))}
      </section>
      <section className="insp-section">
        <h3 className="insp-section-title">Execution</h3>
        {node.type === "map" && (
          <div className="insp-grid">
            <Field label="Concurrency" path="concurrency" issues={at("concurrency")}>
              {(id) => <input id={id} type="number" min={1} max={256} value={node.concurrency ?? ""} placeholder="4" disabled={disabled} onChange={(e) => set("concurrency", numberOrUndefined(e.target.value))} />}
            </Field>
            <Field label="Max items" path="max_items" issues={at("max_items")}>
              {(id) => <input id={id} type="number" min={1} value={node.max_items ?? ""} placeholder="1000" disabled={disabled} onChange={(e) => set("max_items", numberOrUndefined(e.target.value))} />}
            </Field>
          </div>
        )}
        <TimeoutRetry node={node} at={at} set={set} disabled={disabled} />
      </section>
    </>
  );
}

function TimeoutRetry({ node, at, set, disabled }: Pick<TypeFieldsProps, "node" | "at" | "set" | "disabled">) {
  if (node.type !== "tool" && node.type !== "map" && node.type !== "llm") return null;
  const retry = node.retry ?? null;
  const setRetry = (key: string, text: string) => set("retry", { ...(retry ?? {}), [key]: numberOrUndefined(text) });
  return (
    <>
      <Field label="Timeout (s)" path="timeout_s" issues={at("timeout_s")} hint="Replaces the tool's own timeout.">
        {(id) => <input id={id} type="number" min={0} value={node.timeout_s ?? ""} disabled={disabled} onChange={(e) => set("timeout_s", numberOrUndefined(e.target.value))} />}
      </Field>
      <Field label="Retry" path="retry" issues={at("retry")} aside={
        <label className="insp-toggle">
          <input type="checkbox" checked={!!retry} disabled={disabled} onChange={(e) => set("retry", e.target.checked ? { max_attempts: 3, backoff_s: 0.5 } : undefined, false)} /> override
        </label>
      }>
        {(id) => retry ? (
          <div className="insp-grid" id={id}>
            {(["max_attempts", "backoff_s", "multiplier", "max_backoff_s"] as const).map((key) => (
              <label key={key} className="insp-mini">
                <span>{key.replace(/_/g, " ")}</span>
                <input type="number" min={0} step="any" value={retry[key] ?? ""} disabled={disabled} onChange={(e) => setRetry(key, e.target.value)} />
              </label>
            ))}
          </div>
        ) : <div className="insp-hint" id={id}>Uses the tool's retry policy.</div>}
      </Field>
    </>
  );
}

function BranchFields({ node, at, set, disabled }: TypeFieldsProps) {
  if (node.type !== "branch") return null;
  return (
    <section className="insp-section">
      <h3 className="insp-section-title">Condition</h3>
      <Field label="If" path="condition" issues={at("condition")} required hint="Must evaluate to a boolean."
        after={disabled ? null : <ReferenceFix value={node.condition} issues={at("condition")} onChange={(v) => set("condition", v)} />}>
        {(id) => <CelInput id={id} value={node.condition} nodeId={node.id} invalid={at("condition").length > 0} disabled={disabled} onChange={(v) => set("condition", v)} />}
      </Field>
      <Field label="Then" path="then" issues={at("then")} hint="Nodes that run when the condition is true.">
        {(id) => <IdListInput id={id} value={node.then ?? []} options={allBut(node.id)} disabled={disabled} onChange={(v) => set("then", v, false)} />}
      </Field>
      <Field label="Else" path="else" issues={at("else")} hint="Nodes that run when it is false.">
        {(id) => <IdListInput id={id} value={node.else ?? []} options={allBut(node.id)} disabled={disabled} onChange={(v) => set("else", v, false)} />}
      </Field>
    </section>
  );
}

function allBut(nodeId: string): string[] {
  const { ir } = useDesigner.getState();
  return ir.nodes.map((n) => n.id).filter((id) => id !== nodeId);
}

function SwitchFields({ node, at, set, update, disabled }: TypeFieldsProps) {
  if (node.type !== "switch") return null;
  const options = allBut(node.id);
  const cases = Object.entries(node.cases ?? {});
  const setCases = (next: Record<string, string[]>) => update((n) => ({ ...n, cases: next }) as IrNode);
  return (
    <section className="insp-section">
      <h3 className="insp-section-title">Route</h3>
      <Field label="Value" path="value" issues={at("value")} required hint="Turned into a string and compared with each case."
        after={disabled ? null : <ReferenceFix value={node.value} issues={at("value")} onChange={(v) => set("value", v)} />}>
        {(id) => <CelInput id={id} value={node.value} nodeId={node.id} invalid={at("value").length > 0} disabled={disabled} onChange={(v) => set("value", v)} />}
      </Field>
      <Field label="Cases" path="cases" issues={at("cases")}>
        {() => (
          <div className="switch-cases">
            {cases.map(([key, targets]) => (
              <div className="switch-case" key={key}>
                <input
                  defaultValue={key}
                  aria-label={`Case ${key}`}
                  disabled={disabled}
                  onBlur={(e) => {
                    const to = e.target.value;
                    if (to && to !== key && !(to in node.cases)) setCases(Object.fromEntries(cases.map(([k, v]) => [k === key ? to : k, v])));
                  }}
                />
                <IdListInput id={`case-${key}`} value={targets} options={options} disabled={disabled} onChange={(v) => setCases({ ...node.cases, [key]: v })} />
                {!disabled && cases.length > 1 && (
                  <button type="button" className="btn ghost small icon-only" aria-label={`Remove case ${key}`}
                    onClick={() => setCases(Object.fromEntries(cases.filter(([k]) => k !== key)))}>×</button>
                )}
              </div>
            ))}
            {!disabled && (
              <button type="button" className="btn ghost small" onClick={() => {
                let n = cases.length + 1;
                while (`case_${n}` in node.cases) n += 1;
                setCases({ ...node.cases, [`case_${n}`]: [] });
              }}>+ Add case</button>
            )}
          </div>
        )}
      </Field>
      <Field label="Default" path="default" issues={at("default")} hint="Runs when no case matches.">
        {(id) => <IdListInput id={id} value={node.default ?? []} options={options} disabled={disabled} onChange={(v) => set("default", v, false)} />}
      </Field>
    </section>
  );
}

/** The groups that exist, once fetched (null until then, or if they cannot be). */
function useGroupNames(): string[] | null {
  const [names, setNames] = useState<string[] | null>(null);
  useEffect(() => {
    let alive = true;
    fetchGroupNames().then((found) => alive && setNames(found), () => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return names;
}

/** An approval's groups: a comma list that suggests the existing groups as one types, and
 * offers them in place of a group that does not exist. */
function GroupsField({ groups, issues, warnings, disabled, onChange }: {
  groups: string[];
  issues: Issue[];
  warnings: Issue[];
  disabled: boolean;
  onChange(groups: string[]): void;
}) {
  const existing = useGroupNames();
  const saved = groups.join(", ");
  const [text, setText] = useState(saved);
  useEffect(() => setText(saved), [saved]);
  const listId = `group-names-${useId()}`;
  const suggestions = existing ? groupSuggestions(text, existing) : [];
  const missing = missingGroups(groups, existing);
  const offer = (existing ?? []).filter((name) => !groups.includes(name)).slice(0, 8);
  const after = !disabled && missing.length > 0 && offer.length > 0 ? (
    <div className="insp-group-offer" data-testid="group-offer">
      {missing.map((name) => (
        <div key={name} className="insp-group-offer-row">
          <span>Instead of <code>{name}</code>:</span>
          {offer.map((group) => (
            <button key={group} type="button" className="insp-chip" data-group={group}
              onClick={() => onChange(replaceGroup(groups, name, group))}>
              {group}
            </button>
          ))}
        </div>
      ))}
    </div>
  ) : null;
  return (
    <Field label="Groups" path="assignees.groups" issues={issues} warnings={warnings} after={after}>
      {(id) => (
        <>
          <input id={id} type="text" placeholder={existing?.[0] ?? "managers"} value={text} disabled={disabled} list={listId}
            autoComplete="off" onChange={(e) => setText(e.target.value)}
            onBlur={(e) => {
              const next = groupList(e.target.value);
              if (next.join(", ") !== saved) onChange(next);
            }} />
          <datalist id={listId} data-testid="group-suggestions">
            {suggestions.map((value) => <option key={value} value={value} />)}
          </datalist>
        </>
      )}
    </Field>
  );
}

function ApprovalFields({ node, at, set, update, disabled }: TypeFieldsProps) {
  if (node.type !== "approval") return null;
  const assignees = node.assignees ?? {};
  const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);
  const warnings = useNodeWarnings(node.id);
  const warnAt = (path: string) => issuesAt(warnings, path);
  return (
    <>
      <section className="insp-section">
        <h3 className="insp-section-title">Ask</h3>
        <Field label="Instructions" path="instructions" issues={at("instructions")}>
          {(id) => <textarea id={id} rows={3} value={node.instructions ?? ""} disabled={disabled} onChange={(e) => set("instructions", e.target.value)} />}
        </Field>
        <Field label="Context shown to the approver" path="context" issues={at("context")}>
          {() => <ExprMapInput value={node.context ?? {}} nodeId={node.id} path="context" issues={at("context")} disabled={disabled}
            onChange={(v) => update((n) => withField(n, "context", Object.keys(v).length ? v : undefined), "context")} />}
        </Field>
        <Field label="Form" path="form_schema" issues={at("form_schema")} required hint="What the approver fills in; the inbox builds the form from it, and later steps read it as data.<name>.">
          {(id) => <FormFieldsInput id={id} value={node.form_schema} disabled={disabled} onChange={(v) => set("form_schema", v)} />}
        </Field>
      </section>
      <section className="insp-section">
        <h3 className="insp-section-title">Who and how long</h3>
        <div className="insp-grid">
          <Field label="Users" path="assignees.users" issues={at("assignees.users")} warnings={warnAt("assignees.users")}>
            {(id) => <input id={id} type="text" placeholder="alice, bob" defaultValue={(assignees.users ?? []).join(", ")} disabled={disabled}
              onBlur={(e) => set("assignees", { ...assignees, users: list(e.target.value) }, false)} />}
          </Field>
          <GroupsField groups={assignees.groups ?? []} issues={at("assignees.groups")} warnings={warnAt("assignees.groups")} disabled={disabled}
            onChange={(groups) => set("assignees", { ...assignees, groups }, false)} />
        </div>
        <div className="insp-grid">
          <Field label="Timeout (s)" path="timeout_s" issues={at("timeout_s")}>
            {(id) => <input id={id} type="number" min={0} value={node.timeout_s ?? ""} disabled={disabled} onChange={(e) => set("timeout_s", numberOrUndefined(e.target.value))} />}
          </Field>
          <Field label="On timeout" path="on_timeout" issues={at("on_timeout")}>
            {(id) => (
              <select id={id} value={node.on_timeout ?? "fail"} disabled={disabled} onChange={(e) => set("on_timeout", e.target.value, false)}>
                <option value="fail">fail the run</option>
                <option value="approve">approve</option>
                <option value="reject">reject</option>
              </select>
            )}
          </Field>
        </div>
        <Field label="On reject" path="on_reject" issues={at("on_reject")}>
          {(id) => (
            <select id={id} value={node.on_reject ?? "skip"} disabled={disabled} onChange={(e) => set("on_reject", e.target.value, false)}>
              <option value="skip">skip what follows</option>
              <option value="continue">continue (they read .approved)</option>
              <option value="fail">fail the run</option>
            </select>
          )}
        </Field>
      </section>
    </>
  );
}

function ValueFields({ node, at, set, update, disabled }: TypeFieldsProps) {
  if (node.type !== "value" && node.type !== "output") return null;
  const single = typeof node.value === "string";
  return (
    <section className="insp-section">
      <h3 className="insp-section-title">{node.type === "output" ? "Result" : "Value"}</h3>
      <div className="segmented" role="radiogroup" aria-label="Value shape">
        <button type="button" role="radio" aria-checked={single} disabled={disabled}
          onClick={() => !single && set("value", Object.values(node.value as Record<string, string>)[0] ?? "null", false)}>One expression</button>
        <button type="button" role="radio" aria-checked={!single} disabled={disabled}
          onClick={() => single && set("value", { value: node.value as string }, false)}>Named fields</button>
      </div>
      {single ? (
        <Field label="Expression" path="value" issues={at("value")} required
          after={disabled ? null : <TextFix value={node.value as string} issues={at("value")} onChange={(v) => set("value", v)} />}>
          {(id) => <CelInput id={id} value={node.value as string} nodeId={node.id} multiline invalid={at("value").length > 0} disabled={disabled} onChange={(v) => set("value", v)} />}
        </Field>
      ) : (
        <Field label="Fields" path="value" issues={at("value")}>
          {() => <ExprMapInput value={node.value as Record<string, string>} nodeId={node.id} path="value" keyLabel="field" issues={at("value")} disabled={disabled}
            onChange={(v) => update((n) => ({ ...n, value: v }) as IrNode, "value")} />}
        </Field>
      )}
    </section>
  );
}

function LlmFields({ node, at, set, disabled }: TypeFieldsProps) {
  if (node.type !== "llm") return null;
  return (
    <>
      <section className="insp-section">
        <h3 className="insp-section-title">Prompt</h3>
        <Field label="Prompt" path="prompt" issues={at("prompt")} required hint="{{ expression }} placeholders are CEL: {{ input.name }}, {{ lookup.email }}.">
          {(id) => <CelInput id={id} value={node.prompt} nodeId={node.id} multiline prose completeIn={openPlaceholder} invalid={at("prompt").length > 0} disabled={disabled} onChange={(v) => set("prompt", v)} />}
        </Field>
        <Field label="System" path="system" issues={at("system")}>
          {(id) => <CelInput id={id} value={node.system ?? ""} nodeId={node.id} multiline prose completeIn={openPlaceholder} disabled={disabled} onChange={(v) => set("system", v)} />}
        </Field>
        <Field label="Output schema" path="output_schema" issues={at("output_schema")} hint="Optional JSON Schema; without it the output is {text}.">
          {(id) => <JsonInput id={id} value={node.output_schema} rows={4} disabled={disabled} onChange={(v) => set("output_schema", v)} />}
        </Field>
        <Field label="Model" path="model" issues={at("model")} hint="Replaces the configured model for this node.">
          {(id) => <input id={id} type="text" value={node.model ?? ""} disabled={disabled} onChange={(e) => set("model", e.target.value)} />}
        </Field>
      </section>
      <section className="insp-section">
        <h3 className="insp-section-title">Execution</h3>
        <TimeoutRetry node={node} at={at} set={set} disabled={disabled} />
      </section>
    </>
  );
}

function FlowPanel() {
  const ir = useDesigner((state) => state.ir);
  const issues = useDesigner((state) => state.issues);
  const validatedIr = useDesigner((state) => state.validatedIr);
  const canEdit = useDesigner((state) => state.canEdit);
  const flowIssues = validatedIr ? issues.filter((issue) => !issueNode(issue, validatedIr)) : [];
  const set = (key: string, value: unknown, coalesce = true) => designer.updateFlow((current) => {
    const next = { ...current } as FlowIR & Record<string, unknown>;
    if (value === undefined || value === "") delete next[key];
    else next[key] = value;
    return next;
  }, coalesce ? `flow.${key}` : undefined);
  const at = (path: string) => issuesAt(flowIssues, path);
  const disabled = !canEdit;
  return (
    <div className="insp-node">
      <header className="insp-header" style={{ "--kind": "var(--accent)" } as React.CSSProperties}>
        <span className="insp-icon"><Icon name="layout" /></span>
        <div>
          <div className="insp-title">Flow settings</div>
          <div className="insp-sub">The name, description and run input of the whole flow</div>
        </div>
        <button type="button" className="btn ghost icon-only insp-close" aria-label="Close the flow settings" data-testid="flow-settings-close" onClick={() => designer.setSettingsOpen(false)}>
          <Icon name="close" size={15} />
        </button>
      </header>
      <section className="insp-section">
        <Field label="Name" path="name" issues={at("name")} required>
          {(id) => <input id={id} type="text" value={ir.name} disabled={disabled} onChange={(e) => set("name", e.target.value)} />}
        </Field>
        <Field label="Description" path="description" issues={at("description")}>
          {(id) => <textarea id={id} rows={3} value={ir.description ?? ""} disabled={disabled} onChange={(e) => set("description", e.target.value)} />}
        </Field>
        <Field label="Run input" path="input_schema" issues={at("input_schema")} hint="The fields a run starts with (its form is built from them); expressions read them as input.<name>.">
          {(id) => <FormFieldsInput id={id} purpose="input" value={ir.input_schema ?? { type: "object" }} disabled={disabled} onChange={(v) => set("input_schema", v ?? { type: "object" })} />}
        </Field>
        <div className="insp-grid">
          <Field label="Max steps" path="max_steps" issues={at("max_steps")}>
            {(id) => <input id={id} type="number" min={1} max={10000} value={ir.max_steps ?? ""} placeholder="100" disabled={disabled} onChange={(e) => set("max_steps", numberOrUndefined(e.target.value))} />}
          </Field>
          <Field label="Run timeout (s)" path="timeout_s" issues={at("timeout_s")}>
            {(id) => <input id={id} type="number" min={0} value={ir.timeout_s ?? ""} disabled={disabled} onChange={(e) => set("timeout_s", numberOrUndefined(e.target.value))} />}
          </Field>
        </div>
      </section>
      {flowIssues.filter((issue) => !["name", "description", "input_schema", "max_steps", "timeout_s"].some((p) => at(p).includes(issue))).length > 0 && (
        <section className="insp-section">
          {flowIssues.map((issue, index) => (
            <div className="insp-issue" key={index}><span className="insp-issue-code">{issue.code}</span> <CodeText text={issue.message} /></div>
          ))}
        </section>
      )}
      <section className="insp-section insp-stats">
        <div><strong>{ir.nodes.length}</strong><span>nodes</span></div>
        <div><strong>{(ir.joins ?? []).length}</strong><span>joins</span></div>
        <div><strong>{validatedIr ? issues.length : "…"}</strong><span>problems</span></div>
      </section>
    </div>
  );
}
