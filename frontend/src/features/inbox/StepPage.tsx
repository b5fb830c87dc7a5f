// One approval step: what it asks (instructions, context), where it sits in the flow, the
// form built from its JSON Schema (and, before a tool call, the inputs the run is about to
// send, which the approver may edit), approve or reject with a comment, and the history.
import type Form from "@rjsf/core";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError } from "../../lib/api";
import { NotFound } from "../../lib/NotFound";
import { PageSkeleton } from "../../lib/PageSkeleton";
import { type StepDetail, decideStep, fetchStep } from "./api";
import { age, asFieldsWithTables, assigneeText, asTable, contextEntries, deadline, decisionCommentLabel, isScalar, isTable, type RecordTableData, type Scalar, stepOutcome } from "./format";
import { subscribeInbox } from "./inboxSocket";
import { MiniGraph } from "./MiniGraph";
import { SchemaForm } from "./SchemaForm";
import { WrappedText } from "./WrappedText";
import { keyTitle } from "../../lib/jsonSchema";
import { countOf } from "../../lib/plural";
import { decideHelp, whoCanDecide, type MissingApprovers } from "../../lib/approvers";
import { readSession } from "../../lib/session";
import "./inbox.css";

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

function ScalarText({ value }: { value: Scalar | Scalar[] }) {
  if (Array.isArray(value)) {
    if (!value.length) return <span className="muted">none</span>;
    // Text items may hold commas themselves ("This is terrible, I hate it"): one per line.
    if (value.some((v) => typeof v === "string")) {
      return (
        <ul className="step-list">
          {value.map((v, i) => <li key={i}><ScalarText value={v} /></li>)}
        </ul>
      );
    }
    return <>{value.map((v) => (v === null ? "—" : String(v))).join(", ")}</>;
  }
  if (value === null || value === "") return <span className="muted">—</span>;
  if (typeof value === "boolean") return <>{value ? "yes" : "no"}</>;
  if (typeof value === "string") return <WrappedText text={value} />;
  return <>{String(value)}</>;
}

/** A number or a short word (a SKU, "WIDGET-1") stays on one line in a table cell; words
 * ("Standard widget") wrap, so that an order line's six columns fit the card. */
function shortCell(value: unknown): boolean {
  return typeof value === "number" || (typeof value === "string" && value.length <= 16 && !/\s/.test(value));
}

/** A list of records (one per ticket, per order line) as a table: a row each, a column per field. */
function RecordTable({ table }: { table: RecordTableData }) {
  return (
    <div className="step-records-wrap">
      <table className="step-records" data-testid="step-records">
        <thead>
          <tr>
            <th scope="col" className="step-records-index">#</th>
            {table.columns.map((column) => <th key={column} scope="col">{column.replace(/_/g, " ")}</th>)}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              <td className="step-records-index">{i + 1}</td>
              {table.columns.map((column) => (
                <td key={column} data-field={column} className={shortCell(row[column]) ? "nowrap" : undefined}>
                  {column in row ? <ScalarText value={row[column]} /> : <span className="muted">—</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How deep objects inside objects still read as fields (a looked-up user inside a tool's
 *  result); anything deeper is JSON. */
const NESTED_FIELDS_DEPTH = 3;

function ContextValue({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (isScalar(value)) return <ScalarText value={value} />;
  if (Array.isArray(value) && value.every(isScalar) && value.length <= 50) return <ScalarText value={value} />;
  const table = asTable(value);
  if (table) return <RecordTable table={table} />;
  const fields = asFieldsWithTables(value);
  if (!fields) {
    const entries = isPlainObject(value) ? Object.entries(value) : [];
    if (!entries.length || entries.length > 40 || depth >= NESTED_FIELDS_DEPTH) return <pre className="json">{show(value)}</pre>;
    return (
      <dl className="step-fields">
        {entries.map(([name, v]) => (
          <div key={name} className="step-field" data-field={name}>
            <dt>{keyTitle(name)}</dt>
            <dd><ContextValue value={v} depth={depth + 1} /></dd>
          </div>
        ))}
      </dl>
    );
  }
  return (
    <dl className="step-fields">
      {fields.map(([name, v]) => (
        <div key={name} className="step-field" data-field={name}>
          <dt>{keyTitle(name)}</dt>
          <dd>{isTable(v) ? <RecordTable table={v} /> : <ScalarText value={v} />}</dd>
        </div>
      ))}
    </dl>
  );
}

function ContextTable({ context }: { context: Json }) {
  const entries = contextEntries(context);
  if (!entries.length) return <p className="muted">No context was given for this step.</p>;
  return (
    <dl className="step-context" data-testid="step-context">
      {entries.map(([key, value]) => (
        <div key={key} className="step-context-row">
          <dt>{keyTitle(key)}</dt>
          <dd><ContextValue value={value} /></dd>
        </div>
      ))}
    </dl>
  );
}

function History({ step }: { step: StepDetail }) {
  const closed = step.status === "closed";
  if (!step.decisions.length && !step.timed_out && !closed) return <p className="muted">No decision yet.</p>;
  return (
    <ol className="step-history" data-testid="step-history">
      {step.decisions.map((d) => (
        <li key={`${d.by}-${d.at}`}>
          <span className={`badge ${d.approved ? "ok" : "danger"}`}>{d.approved ? "Approved" : "Rejected"}</span>{" "}
          <strong>{d.by}</strong> <time className="muted small" dateTime={d.at} title={new Date(d.at).toLocaleString()} data-testid="step-history-when">{age(d.at)}</time>
          {d.comment && <blockquote>{d.comment}</blockquote>}
          {Object.keys((d.data as Json) ?? {}).length > 0 && <div className="step-history-data"><ContextValue value={d.data} /></div>}
        </li>
      ))}
      {step.timed_out && (
        <li>
          <span className="badge warn">Timed out</span> the deadline passed: <strong>{step.on_timeout}</strong> applied
        </li>
      )}
      {closed && (
        <li data-testid="step-history-closed">
          <span className="badge">Closed</span> the run ended before anyone decided{" "}
          {step.decided_at && <time className="muted small" dateTime={step.decided_at} title={new Date(step.decided_at).toLocaleString()}>{age(step.decided_at)}</time>}
        </li>
      )}
    </ol>
  );
}

const session = readSession();

/** Under "Assigned to" when nobody it names can decide it: why, that staff can, and (for
 *  staff) where to fix it, as the run page says it. */
function NobodyElseDecides({ missing }: { missing: MissingApprovers }) {
  const help = decideHelp(missing, session.isStaff);
  return (
    <div className="muted small step-nobody" data-testid="step-nobody">
      {whoCanDecide(missing, session.isStaff)}{" "}
      {"ask" in help ? help.ask : <a href={`${session.adminUrl}${help.adminPath}`}>{help.label}</a>}
    </div>
  );
}

export default function StepPage() {
  const { runId = "", nodeId = "" } = useParams();
  const [step, setStep] = useState<StepDetail | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [data, setData] = useState<Json>({});
  const [inputs, setInputs] = useState<Json | null>(null);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  // "done": a rejection went through, which is not a success to paint green.
  const [message, setMessage] = useState<{ kind: "error" | "success" | "done"; text: string } | null>(null);
  const formRef = useRef<Form>(null);
  const inputsRef = useRef<Form>(null);

  const load = useCallback(
    (first: boolean) =>
      fetchStep(runId, nodeId)
        .then((detail) => {
          setStep(detail);
          if (first) setInputs((detail.review?.proposed as Json | undefined) ?? null);
        })
        .catch((e: ApiError) => setLoadError(e)),
    [runId, nodeId],
  );

  useEffect(() => {
    load(true);
    // Someone else deciding (or an escalation) changes what this page may do.
    return subscribeInbox((m) => {
      if (m.type === "inbox.changed" && m.run_id === runId && m.node_id === nodeId) load(false);
    });
  }, [load, runId, nodeId]);

  async function decide(approved: boolean) {
    if (!step) return;
    if (approved) {
      const formOk = formRef.current ? formRef.current.validateForm() : true;
      const inputsOk = inputsRef.current ? inputsRef.current.validateForm() : true;
      if (!formOk || !inputsOk) {
        setMessage({ kind: "error", text: "Some fields need attention before you approve." });
        return;
      }
    }
    setBusy(true);
    setMessage(null);
    try {
      const edited = step.review && approved && show(inputs) !== show(step.review.proposed) ? inputs : null;
      const detail = await decideStep(runId, nodeId, { approved, data: approved ? data : {}, comment, inputs: edited });
      setStep(detail);
      setMessage({
        kind: approved ? "success" : "done",
        text:
          detail.status === "pending"
            ? `Your ${approved ? "approval" : "rejection"} is recorded; the step waits for ${countOf(detail.quorum - detail.approvals, "more approval", "more approvals")}.`
            : `Step ${detail.status}. The run continues.`,
      });
    } catch (e) {
      const error = e as ApiError;
      setMessage({ kind: "error", text: error.message });
      if (error.status === 409) load(false);
    } finally {
      setBusy(false);
    }
  }

  if (loadError?.status === 404) {
    return <NotFound title="Step not found" message="There is no approval step here that you may see: it may not exist, or it is not assigned to you or your groups." back={{ to: "/inbox", label: "Inbox" }} />;
  }
  if (loadError) {
    return (
      <div className="page">
        <h1>Could not load the step</h1>
        <p className="muted">{loadError.message}</p>
        <Link to="/inbox" className="btn">← Inbox</Link>
      </div>
    );
  }
  if (!step) return <PageSkeleton kind="step" label="Loading the step…" />;
  const due = deadline(step.deadline);
  const outcome = stepOutcome(step);
  const review = step.review;

  return (
    <div className="page step-page" data-testid="step-page">
      <div className="page-header">
        <div>
          <div className="muted small step-crumbs">
            <Link to="/inbox">Inbox</Link> / {step.flow}
          </div>
          <h1>
            {step.title} <span className={`badge step-badge ${outcome.tone}`} data-testid="step-status" data-status={step.status}><span className={`step-status-icon si-${outcome.tone}`} aria-hidden data-testid="step-status-icon" />{outcome.label}</span>
          </h1>
        </div>
        {step.can_view_run && <Link to={`/runs/${step.run}?node=${encodeURIComponent(step.node_id)}`} className="btn" data-testid="step-open-run">Open run</Link>}
      </div>

      <div className="step-layout">
        <div className="step-main">
          <section className="card">
            <div className="card-body">
              <h2 className="step-h">What to decide</h2>
              {step.instructions ? <p className="step-instructions">{step.instructions}</p> : <p className="muted">No instructions.</p>}
              <ContextTable context={(step.context ?? {}) as Json} />
            </div>
          </section>

          {review && (
            <section className="card" data-testid="step-review">
              <div className="card-body">
                <h2 className="step-h">Before it calls <code>{review.tool}</code></h2>
                <p className="muted small">
                  The run sends these inputs to <strong>{review.node}</strong> once approved. You may change them within the tool's input schema.
                </p>
                <div className="step-compare">
                  <div>
                    <h3>Proposed</h3>
                    <pre className="json" data-testid="review-proposed">{show(review.proposed)}</pre>
                  </div>
                  <div>
                    <h3>{step.status === "pending" ? "To send" : "Approved"}</h3>
                    {step.can_decide ? (
                      <SchemaForm ref={inputsRef} schema={review.input_schema} value={inputs ?? {}} onChange={setInputs} testId="review-inputs" />
                    ) : (
                      <pre className="json" data-testid="review-approved">{review.approved == null ? "—" : show(review.approved)}</pre>
                    )}
                  </div>
                </div>
              </div>
            </section>
          )}

          {step.can_decide ? (
            <section className="card">
              <div className="card-body">
                <h2 className="step-h">Your decision</h2>
                <SchemaForm ref={formRef} schema={step.form_schema} value={data} onChange={setData} testId="step-form" />
                <label className="field">
                  <span>{decisionCommentLabel(step.form_schema)}</span>
                  <textarea
                    className="step-comment"
                    value={comment}
                    maxLength={4000}
                    onChange={(e) => setComment(e.target.value)}
                    placeholder="Why (optional)"
                    data-testid="step-comment"
                  />
                </label>
                {message && <div className={`alert ${message.kind}`} role="status">{message.text}</div>}
                <div className="step-actions">
                  <button type="button" className="btn primary" disabled={busy} onClick={() => decide(true)} data-testid="approve">
                    ✓ Approve
                  </button>
                  <button type="button" className="btn danger" disabled={busy} onClick={() => decide(false)} data-testid="reject">
                    ✕ Reject
                  </button>
                </div>
              </div>
            </section>
          ) : (
            <section className="card">
              <div className="card-body">
                {message && (
                  <div className={`alert ${message.kind} step-message`} role="status" data-testid="step-message">
                    <span>{message.text}</span>
                    {message.kind !== "error" && step.status !== "pending" && step.can_view_run && (
                      <Link to={`/runs/${step.run}`} className="btn small" data-testid="step-watch-run">Watch the run →</Link>
                    )}
                  </div>
                )}
                <p className="muted" data-testid="step-closed">{outcome.text}</p>
              </div>
            </section>
          )}
        </div>

        <aside className="step-side">
          <section className="card">
            <div className="card-body">
              <dl className="step-facts">
                <dt>Flow</dt><dd>{step.flow}</dd>
                <dt>Run</dt><dd>{step.can_view_run ? <Link to={`/runs/${step.run}`} className="mono">{step.run.slice(0, 8)}</Link> : <span className="mono">{step.run.slice(0, 8)}</span>} <span className="muted small">by {step.requested_by}</span></dd>
                <dt>Assigned to</dt>
                <dd>
                  {assigneeText(step.assignees)}
                  {step.status === "pending" && step.approvers === 0 && (
                    <NobodyElseDecides missing={{ groups: step.missing_groups, users: step.missing_users }} />
                  )}
                </dd>
                <dt>{step.status === "pending" ? "Waiting" : "Opened"}</dt><dd title={new Date(step.created_at).toLocaleString()}>{age(step.created_at)}</dd>
                <dt>Deadline</dt>
                {/* A step no longer waiting has no deadline left to run out. */}
                <dd data-testid="step-deadline">{step.status !== "pending" ? "—" : step.deadline ? <span className={`badge ${due.tone}`}>{due.text}</span> : "none"}{step.status === "pending" && step.deadline && <span className="muted small"> then {step.on_timeout}</span>}</dd>
                {step.quorum > 1 && (<><dt>Quorum</dt><dd>{step.approvals} of {step.quorum} approvals</dd></>)}
              </dl>
            </div>
          </section>
          <section className="card">
            <div className="card-body">
              <h2 className="step-h">In the flow</h2>
              <MiniGraph nodes={step.graph.nodes} edges={step.graph.edges} current={step.node_id} />
            </div>
          </section>
          <section className="card">
            <div className="card-body">
              <h2 className="step-h">History</h2>
              <History step={step} />
            </div>
          </section>
        </aside>
      </div>
    </div>
  );
}
