// What happened at one node: status, timings, worker, attempts with their retry delays,
// error, inputs and output.
import type { IrNode } from "../../graph";
import { formatDuration, formatTime } from "./format";
import { JsonView } from "./JsonView";
import type { NodeAttempt } from "./runApi";
import type { NodeState } from "./runState";
import { kindStyle, NodeTypeIcon } from "../../lib/NodeTypeIcon";
import { approvalOutcome, nodeIdLine } from "./nodeKinds";
import { Link } from "react-router-dom";
import { StatusBadge } from "./StatusIcon";
import { useEffect } from "react";

/**
 * Escape closes the panel, as a side panel does in n8n or Dify; not while the key is meant for
 * something else: a field being typed in, or a dialog open over the page (which closes itself).
 */
export function escapeClosesPanel(event: KeyboardEvent): boolean {
  if (event.key !== "Escape" || event.defaultPrevented) return false;
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest("input, textarea, select, [contenteditable=true]")) return false;
  return !document.querySelector("[role=dialog]");
}

function assigneeNames(assignees: unknown): string {
  const a = (assignees ?? {}) as { users?: string[]; groups?: string[] };
  const parts = [...(a.users ?? []), ...(a.groups ?? []).map((g) => `group ${g}`)];
  return parts.length ? parts.join(", ") : "the run's owner";
}

interface Props {
  irNode: IrNode;
  state: NodeState;
  record: NodeAttempt | undefined;
  runId: string;
  /** Its inputs, output and error are not shown to this person (an approver sees the steps up to theirs). */
  withheld?: boolean;
  now: number;
  onClose(): void;
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="np-section" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function errorText(error: unknown): { code?: string; message: string } | null {
  if (!error) return null;
  if (typeof error === "string") return { message: error };
  const e = error as { code?: string; message?: string };
  return { code: e.code, message: e.message ?? JSON.stringify(error) };
}

/** Why a node shows no output: "yet" only while it may still produce one. */
export function noOutputText(status: string): string {
  switch (status) {
    case "completed": return "null";
    case "failed": return "None: it failed (its error is above).";
    case "skipped": return "None: it was skipped.";
    case "cancelled": return "None: it was cancelled.";
    case "waiting": return "None until it is decided.";
    default: return "No output yet.";
  }
}

export function NodePanel({ irNode, state, record, runId, withheld = false, now, onClose }: Props) {
  const error = errorText(state.error ?? record?.error);
  const running = state.status === "running";
  const duration = running && state.startedAt !== null ? now - state.startedAt * 1000 : state.durationMs ?? record?.duration_ms ?? null;
  const outcome = state.status === "completed" ? approvalOutcome(irNode, state.output ?? record?.output) : null;
  const inputs = state.inputs !== undefined ? state.inputs : record?.inputs;
  const output = state.output !== undefined ? state.output : record?.output;
  const attempts = Math.max(state.attempts, record?.attempt ?? 0);
  // A map's count is its tool calls over every item (two items, two calls), not retries.
  const isMap = irNode.type === "map";
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => escapeClosesPanel(event) && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="node-panel" data-testid="node-panel" data-node-id={irNode.id}>
      <header className="np-header">
        <div className="np-icon" aria-hidden style={kindStyle(irNode.type)}><NodeTypeIcon type={irNode.type} /></div>
        <div className="np-heading">
          <h2>{irNode.title || irNode.id}</h2>
          <div className="muted small mono">{nodeIdLine(irNode)}</div>
        </div>
        <button type="button" className="btn ghost icon" onClick={onClose} aria-label="Close node details" data-testid="node-panel-close">✕</button>
      </header>
      <div className="np-status">
        <StatusBadge status={state.status} testId="node-panel-status" />
        {state.skipReason && <span className="muted small">{state.skipReason}</span>}
        {outcome && <span className={`rn-outcome rn-outcome-${outcome.tone}`} data-testid="node-panel-outcome">{outcome.label}</span>}
      </div>
      {state.status === "waiting" && (
        <div className="alert np-waiting" data-testid="node-panel-waiting">
          Waiting for a decision by <strong>{assigneeNames(state.assignees ?? (irNode.type === "approval" ? irNode.assignees : undefined))}</strong>.{" "}
          <Link to={`/inbox/${runId}/${irNode.id}`}>Open the step →</Link>
        </div>
      )}
      <dl className="np-facts">
        <dt>Started</dt><dd>{formatTime(state.startedAt)}</dd>
        <dt>Finished</dt><dd>{formatTime(state.finishedAt)}</dd>
        <dt>Duration</dt><dd>{state.status === "pending" ? "—" : formatDuration(duration)}</dd>
        <dt>{isMap ? "Tool calls" : "Attempts"}</dt><dd data-testid="node-panel-attempts">{attempts || "—"}</dd>
        {state.items && (<><dt>Items</dt><dd>{state.items.done} / {state.items.total}</dd></>)}
        <dt>Worker</dt><dd className="mono small np-worker" title={record?.worker}>{record?.worker || "—"}</dd>
      </dl>
      {error && (
        <Section title="Error" testId="node-panel-error">
          <div className="alert error np-error">
            {error.code && <strong className="mono">{error.code}</strong>} {withheld ? "" : error.message}
          </div>
        </Section>
      )}
      {(state.retries.length > 0 || (!isMap && attempts > 1)) && (
        <Section title="Attempts" testId="node-panel-retries">
          <ol className="np-attempts">
            {state.retries.map((retry) => (
              <li key={retry.attempt}>
                <span className="np-attempt-n">#{retry.attempt}</span>
                <span className="np-attempt-err">{retry.error?.code ?? "error"}{retry.error?.message ? `: ${retry.error.message}` : ""}</span>
                <span className="muted small">{retry.delayS !== null ? `retried after ${formatDuration(retry.delayS * 1000)}` : "retried"}</span>
              </li>
            ))}
            {!isMap && attempts > state.retries.length && (
              <li>
                <span className="np-attempt-n">#{attempts}</span>
                <span className="np-attempt-err">{state.status === "failed" ? `${error?.code ?? "failed"}` : state.status}</span>
                <span className="muted small">{state.status === "failed" ? "gave up" : ""}</span>
              </li>
            )}
          </ol>
        </Section>
      )}
      {state.context !== undefined && (
        <Section title="Shown to the approver"><JsonView value={state.context} /></Section>
      )}
      {withheld ? (
        <div className="alert np-withheld" data-testid="node-panel-withheld">
          This step does not lead to yours: what it read and produced is shown to the run's owner, not to you.
        </div>
      ) : (<>
        <Section title="Inputs" testId="node-panel-inputs"><JsonView value={inputs ?? undefined} empty="No inputs recorded." /></Section>
        <Section title="Output" testId="node-panel-output">
          <JsonView value={output ?? undefined} empty={noOutputText(state.status)} />
        </Section>
      </>)}
    </div>
  );
}
