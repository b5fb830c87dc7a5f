// One run, live: its graph with node states, the timeline, node details, the run's input,
// result and error; cancel, re-run, and the approvals it waits for.
import { useCallback, useEffect, useMemo, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import type { IrNode } from "../../graph";
import { ApiError } from "../../lib/api";
import { inputInFormOrder } from "../../lib/jsonSchema";
import { NotFound } from "../../lib/NotFound";
import { stepInDesigner } from "../../lib/stepLink";
import { CodeText } from "../../lib/CodeText";
import { countOf } from "../../lib/plural";
import { readSession } from "../../lib/session";
import { useNavSection } from "../../lib/navSection";
import { assigneeNames, formatDateTime, formatDuration, noResultText, progressNote, newerVersion, recoveryNote, shortId, waitingForWorker, workerSilentMs, decideHelp, whoCanDecide, type MissingApprovers } from "./format";
import { JsonView } from "./JsonView";
import { NodePanel } from "./NodePanel";
import { NodeDrawer } from "./NodeDrawer";
import { cancelRun, createRun, createRunOfVersion, getFlow, isReadOnly, isWithheld, type NodeAttempt } from "./runApi";
import { RunGraph } from "./RunGraph";
import { FINISHED_RUN_STATUSES, statusCounts } from "./runState";
import { adverseCounts, rejectedApprovals, rejectionSentence, type AdverseOutcome } from "./nodeKinds";
import { runStatusLook } from "../../lib/runStatus";
import { STATUS_LABELS, StatusBadge } from "./StatusIcon";
import { Timeline } from "./Timeline";
import { EventLog } from "./EventLog";
import { NOT_FOUND, useNow, useRunView } from "./useRunView";
import "./runs.css";
import { PageSkeleton } from "../../lib/PageSkeleton";

function Connection({ status, finished }: { status: string; finished: boolean }) {
  if (finished || status === "idle" || status === "closed") return null;
  const label = status === "open" ? "Live" : status === "offline" ? "Offline — reconnecting…" : "Connecting…";
  return (
    <span className={`conn conn-${status}`} data-testid="run-connection" data-state={status} role="status">
      <span className="conn-dot" aria-hidden />
      {label}
    </span>
  );
}

const session = readSession();

function NobodyCanDecide({ missing, staff, adminUrl }: { missing: MissingApprovers; staff: boolean; adminUrl: string }) {
  const help = decideHelp(missing, staff);
  return (
    <>
      {whoCanDecide(missing, staff)}{" "}
      {"ask" in help ? help.ask : <a href={`${adminUrl}${help.adminPath}`}>{help.label}</a>}
    </>
  );
}

/** The graph's legend: the statuses, and (when some approval ended so) the rejected and
 * timed-out ones apart from the completed ones, in the danger colour their cards have. */
function legendItems(counts: ReturnType<typeof statusCounts>, adverse: Record<AdverseOutcome, number>) {
  const items: { key: string; label: string; count: number }[] = [
    { key: "running", label: "Running", count: counts.running },
    { key: "completed", label: "Completed", count: counts.completed - adverse.rejected - adverse["timed-out"] },
    { key: "failed", label: "Failed", count: counts.failed },
  ];
  if (adverse.rejected) items.push({ key: "rejected", label: "Rejected", count: adverse.rejected });
  if (adverse["timed-out"]) items.push({ key: "timed-out", label: "Timed out", count: adverse["timed-out"] });
  items.push({ key: "waiting", label: "Waiting", count: counts.waiting }, { key: "skipped", label: "Skipped", count: counts.skipped });
  if (counts.cancelled) items.push({ key: "cancelled", label: "Cancelled", count: counts.cancelled });
  return items;
}

function Fact({ label, children, testId, note, title }: { label: string; children: React.ReactNode; testId?: string; note?: string; title?: string }) {
  return (
    <div className="fact">
      <div className="fact-label">{label}</div>
      <div className="fact-value" data-testid={testId} title={title}>{children}</div>
      {note && <div className="fact-note" data-testid={testId && `${testId}-note`}>{note}</div>}
    </div>
  );
}

export default function RunPage() {
  const { runId = "" } = useParams();
  const navigate = useNavigate();
  const view = useRunView(runId);
  const { run, version, state } = view;
  // A link may name the step to show (`?node=`, as the inbox's "Open run" does): its details
  // open with the page, its card in view.
  const [searchParams, setSearchParams] = useSearchParams();
  const [selected, setSelected] = useState<string | null>(() => searchParams.get("node"));
  // The address follows the step shown, so a reload or a copied link opens the same one.
  const linkedNode = searchParams.get("node");
  useEffect(() => {
    if (linkedNode === selected) return;
    setSearchParams((previous) => {
      const next = new URLSearchParams(previous);
      if (selected) next.set("node", selected);
      else next.delete("node");
      return next;
    }, { replace: true });
  }, [selected, linkedNode, setSearchParams]);
  const [sideTab, setSideTab] = useState<"input" | "result">("result");
  const [lowerTab, setLowerTab] = useState<"timeline" | "events">("timeline");
  const [busy, setBusy] = useState<"cancel" | "rerun" | null>(null);
  // Cancelling cannot be undone (a waiting approval is dropped too): the first click asks.
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [actionNote, setActionNote] = useState<string | null>(null);

  const runStatus = state?.runStatus ?? run?.status ?? "pending";
  const finished = FINISHED_RUN_STATUSES.has(runStatus);
  // The flow's newest version once the run has ended: a re-run may be wanted on the version
  // that fixed what this one ran into, rather than on the run's own.
  const [latest, setLatest] = useState<{ number: number; is_valid?: boolean } | null>(null);
  const flowOfRun = run && !isReadOnly(run) ? run.flow : null;
  useEffect(() => {
    if (!finished || flowOfRun === null) return;
    let cancelled = false;
    getFlow(flowOfRun).then((flow) => !cancelled && setLatest(flow.latest_version ?? null), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [finished, flowOfRun]);
  // A waiting run's duration goes on too (its outcome's will include the wait), more slowly.
  const now = useNow(!!state && !finished, runStatus === "suspended" ? 1000 : 250);

  const irNodes = useMemo(() => new Map<string, IrNode>((version?.ir.nodes ?? []).map((n) => [n.id, n])), [version]);
  const records = useMemo(() => {
    const map = new Map<string, NodeAttempt>();
    for (const record of view.attempts ?? []) map.set(record.node_id, record);
    return map;
  }, [view.attempts]);

  const { refreshRun } = view;
  const select = useCallback((nodeId: string | null) => {
    setSelected(nodeId);
    if (nodeId) refreshRun();
  }, [refreshRun]);
  const nodeTitle = useCallback((nodeId: string) => irNodes.get(nodeId)?.title || nodeId, [irNodes]);

  // A selected node that finishes: fetch its stored record (worker, timings).
  const selectedStatus = selected ? state?.nodes[selected]?.status : undefined;
  useEffect(() => {
    if (selectedStatus && selectedStatus !== "running" && selectedStatus !== "pending") refreshRun();
  }, [selectedStatus, refreshRun]);

  const onReady = useCallback(() => {
    performance.mark("dynamicflow:run-page-ready");
    document.documentElement.dataset.runReady = "true";
  }, []);
  useEffect(() => () => {
    delete document.documentElement.dataset.runReady;
  }, []);

  useEffect(() => {
    if (run && state) document.title = `${run.flow_name} · run ${shortId(run.id)} · ${runStatus}`;
  }, [run, state, runStatus]);
  // An approver reaches someone else's run from their inbox (the breadcrumb says so): the
  // navigation marks the inbox, not the runs list, which does not list this run for them.
  useNavSection(run && isReadOnly(run) ? "/inbox" : null);

  if (view.error === NOT_FOUND) {
    return <NotFound title="Run not found" message={NOT_FOUND} back={{ to: "/runs", label: "All runs" }} testId="run-error-load" />;
  }
  if (view.error) {
    return (
      <div className="page">
        <div className="alert error" data-testid="run-error-load">Could not load the run: {view.error}</div>
        <Link to="/runs">← All runs</Link>
      </div>
    );
  }
  if (!run || !version || !state) return <PageSkeleton kind="run" label="Loading the run…" />;

  const counts = statusCounts(state);
  const adverse = adverseCounts(state.nodes, irNodes);
  // Read from the steps as they end (live), and from the API for a run loaded finished.
  const rejections = runStatus === "completed" ? rejectedApprovals(state.nodes, irNodes) : [];
  const look = runStatusLook(runStatus, rejections.length > 0 || run.approval_rejected);
  const started = state.lastSeq > 0 || !!run.started_at;
  const unclaimedMs = waitingForWorker(runStatus, run.created_at, { inBatch: !!run.batch, started }, now);
  const silentMs = workerSilentMs(run.status, run.lease_expires_at, now);
  const total = Object.keys(state.nodes).length;
  const done = counts.completed + counts.failed + counts.skipped + counts.cancelled;
  const durationMs = finished && run.duration_ms !== null
    ? run.duration_ms
    : state.startedAt !== null
      ? ((state.finishedAt ?? (finished ? state.startedAt : now / 1000)) - state.startedAt) * 1000
      : null;
  const result = finished ? (run.result ?? state.result) : state.result;
  const runError = state.error ?? (run.error as typeof state.error);
  const waiting = run.waiting.filter((w) => !w.decided && runStatus === "suspended");
  const selectedNode = selected ? irNodes.get(selected) : undefined;
  const failedNode = runError?.node ? irNodes.get(String(runError.node)) : undefined;
  const readOnly = isReadOnly(run);
  const hasOutputStep = (version.ir.nodes ?? []).some((n) => n.type === "output");
  // The approval steps that are theirs: the steps the nodes they are shown lead to.
  const approverSteps = (run.access?.shown_nodes ?? [])
    .filter((id) => irNodes.get(id)?.type === "approval")
    .map((id) => irNodes.get(id)?.title || id)
    .join(", ") || "a step";

  const doCancel = async () => {
    setConfirmingCancel(false);
    setBusy("cancel");
    setActionError(null);
    setActionNote(null);
    try {
      await cancelRun(run.id);
      refreshRun();
    } catch (err) {
      if (err instanceof ApiError && err.code === "run_finished") {
        // It ended between the page drawing the button and the click: nothing went wrong.
        const status = String(err.details.status ?? "");
        setActionNote(`The run had already ended${status ? ` (${(STATUS_LABELS[status] ?? status).toLowerCase()})` : ""}: there was nothing left to cancel.`);
        refreshRun();
      } else {
        setActionError(err instanceof ApiError ? err.message : String(err));
      }
    } finally {
      setBusy(null);
    }
  };
  const newer = newerVersion(run.version, latest);
  /** The same input again, on the run's version or (`onVersion`) a newer one of its flow. */
  const doRerun = async (onVersion?: number) => {
    setBusy("rerun");
    setActionError(null);
    setActionNote(null);
    try {
      const input = (run.input ?? {}) as Record<string, unknown>;
      const created = onVersion === undefined
        ? await createRun(run.flow_version, input, run.id)
        : await createRunOfVersion(run.flow, onVersion, input, run.id);
      navigate(`/runs/${created.id}`);
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="page run-page" data-testid="run-page" data-run-status={runStatus}>
      <div className="page-header">
        <div>
          {readOnly ? (
            // Not their run: its list, flow and batch are not theirs to open.
            <nav className="crumbs" aria-label="Breadcrumb">
              <Link to="/inbox">Inbox</Link>
              <span aria-hidden>/</span>
              <span>{run.flow_name}</span>
            </nav>
          ) : (
            <nav className="crumbs" aria-label="Breadcrumb">
              <Link to="/runs">Runs</Link>
              <span aria-hidden>/</span>
              <Link to={`/runs?flow=${run.flow}`}>{run.flow_name}</Link>
              {run.batch && (<><span aria-hidden>/</span><Link to={`/batches/${run.batch}`}>batch #{(run.batch_index ?? 0) + 1}</Link></>)}
            </nav>
          )}
          <div className="title-row">
            <h1>Run <span className="mono run-id">{shortId(run.id)}</span></h1>
            <StatusBadge status={runStatus} testId="run-status" label={look.label} tone={look.tone} />
            <Connection status={view.socket} finished={finished} />
          </div>
          {newer !== null && !readOnly && (
            <p className="newer-version" data-testid="run-newer-version">
              <span className="muted">This run used v{run.version}; the flow is now at v{newer}.</span>
              <button type="button" className="btn small" onClick={() => void doRerun(newer)} disabled={busy !== null} data-testid="run-rerun-latest">
                ↻ Re-run on v{newer}
              </button>
            </p>
          )}
          {run.rerun_of && !readOnly && (
            <p className="muted rerun-of" data-testid="run-rerun-of">
              Re-run of <Link to={`/runs/${run.rerun_of}`}>run <span className="mono">{shortId(run.rerun_of)}</span></Link>
            </p>
          )}
        </div>
        {readOnly ? (
          <div className="toolbar">
            <span className="badge read-only-badge" data-testid="run-read-only" title="You see this run because you decide one of its steps">
              Read only
            </span>
          </div>
        ) : (
        <div className="toolbar">
          {/* While the cancel is being confirmed, the question takes the other buttons' place. */}
          {!(confirmingCancel && !finished) && (<>
            <Link className="btn" to={`/flows/${run.flow}/v/${run.version}`} data-testid="run-open-designer">
              Open v{run.version} in designer
            </Link>
            <Link className="btn" to={`/runs?start=${run.flow}&version=${run.version}&from=${run.id}`} state={{ returnTo: `/runs/${run.id}` }} data-testid="run-edit-input">
              Edit input…
            </Link>
            <button type="button" className="btn" onClick={() => void doRerun()} disabled={busy !== null} data-testid="run-rerun"
              title={`Run v${run.version} again with the same input`}>
              ↻ Re-run
            </button>
          </>)}
          {!finished && !confirmingCancel && (
            <button type="button" className="btn danger" onClick={() => setConfirmingCancel(true)} disabled={busy !== null || !!run.cancel_requested} data-testid="run-cancel">
              {run.cancel_requested ? "Cancelling…" : "Cancel run"}
            </button>
          )}
          {!finished && confirmingCancel && (
            <span className="cancel-confirm" role="group" aria-label="Cancel the run?" data-testid="run-cancel-ask">
              <span className="muted small">{waiting.length ? "Cancel it, and the approval it waits for?" : "Stop it where it is?"}</span>
              <button type="button" className="btn danger" onClick={doCancel} disabled={busy !== null} data-testid="run-cancel-confirm" autoFocus>
                Yes, cancel
              </button>
              <button type="button" className="btn" onClick={() => setConfirmingCancel(false)} data-testid="run-cancel-keep">
                Keep it
              </button>
            </span>
          )}
        </div>
        )}
      </div>

      {readOnly && (
        <div className="alert read-only-note" role="status" data-testid="run-approver-note">
          <span>
            You see this run because you decide <strong>{approverSteps}</strong> in it. It is read only, and it
            shows what the steps that lead to yours read and produced; the values of the other steps, and the
            run's result, stay with its owner, <strong>{run.requested_by}</strong>.
          </span>
        </div>
      )}

      {actionError && (
        <div className="alert error alert-dismissible" role="alert" data-testid="run-action-error">
          <span>{actionError}</span>
          <button type="button" className="btn ghost icon small" onClick={() => setActionError(null)} aria-label="Dismiss">✕</button>
        </div>
      )}
      {actionNote && (
        <div className="alert alert-dismissible" role="status" data-testid="run-action-note">
          <span>{actionNote}</span>
          <button type="button" className="btn ghost icon small" onClick={() => setActionNote(null)} aria-label="Dismiss">✕</button>
        </div>
      )}
      {view.socket === "offline" && !finished && (
        <div className="alert offline-banner" data-testid="run-offline" role="status">
          The live connection dropped. Reconnecting — no step will be missed.
        </div>
      )}
      {unclaimedMs !== null && (
        <div className="alert" data-testid="run-no-worker" role="status">
          <strong>No worker has started this run yet</strong> ({formatDuration(unclaimedMs)} so far). It starts as
          soon as one is free; if it stays pending, check that a worker is running (<code>make run</code> starts one).
        </div>
      )}
      {silentMs !== null && !finished && (
        <div className="alert" data-testid="run-worker-silent" role="status">
          <strong>Its worker has not reported for {formatDuration(silentMs)}.</strong> If it stopped, the run is sent
          to another worker, which goes on from its last checkpoints (<code>make run</code> starts a stopped worker again).
        </div>
      )}
      {state.recovered && (
        <div className="alert" data-testid="run-recovered" role="status">
          {recoveryNote(state.recovered)}
        </div>
      )}
      {waiting.map((w) => (
        <div key={w.node_id} className="alert approval-banner" data-testid={`run-waiting-${w.node_id}`}>
          <span className="rs-icon rs-waiting" aria-hidden>‖</span>
          <div>
            <strong>{w.title || w.node_id}</strong> is waiting for approval by <strong>{assigneeNames(w.assignees)}</strong>.
            {w.approvers === 0 && (
              <div className="muted small" data-testid="run-waiting-nobody">
                <NobodyCanDecide missing={{ groups: w.missing_groups ?? [], users: w.missing_users ?? [] }} staff={session.isStaff} adminUrl={session.adminUrl} />
              </div>
            )}
          </div>
          {w.can_decide !== false
            ? <Link className="btn small primary" to={`/inbox/${run.id}/${w.node_id}`} data-testid="run-open-inbox">Decide →</Link>
            : <span className="muted small" data-testid="run-not-yours">Not yours to decide</span>}
        </div>
      ))}

      {rejections.map((rejection) => (
        <div key={rejection.nodeId} className="alert rejection-banner" role="status" data-testid={`run-rejected-${rejection.nodeId}`}>
          <span className="rs-icon rs-approval-rejected" aria-hidden>!</span>
          <div className="rejection-text">
            <div>
              <strong data-testid="run-rejected-sentence">{rejectionSentence(rejection)}</strong>
              <span className="muted"> — the run completed without its approval.</span>
            </div>
            {rejection.comment && (
              <blockquote className="rejection-comment" data-testid="run-rejected-comment">“{rejection.comment}”</blockquote>
            )}
          </div>
          <button type="button" className="btn small" onClick={() => select(rejection.nodeId)} data-testid="run-rejected-node">
            Show step
          </button>
        </div>
      ))}

      {runError && (
        <div className="alert failure-banner" data-testid="run-error" role="alert">
          <span className="rs-icon rs-failed" aria-hidden>✕</span>
          <div className="failure-text">
            <div>
              <strong>{failedNode ? `${failedNode.title || failedNode.id} failed` : runStatus === "cancelled" ? "The run was cancelled" : "The run failed"}</strong>
              <span className="mono failure-code">{runError.code ?? "error"}</span>
            </div>
            <div className="failure-message">
              {runError.withheld
                ? <span className="muted">Its details are not shown to you: the step does not lead to yours.</span>
                : <CodeText text={String(runError.message ?? "")} />}
            </div>
          </div>
          {failedNode && (
            <div className="failure-actions">
              <button type="button" className="btn small" onClick={() => select(failedNode.id)} data-testid="run-error-node">
                Show node
              </button>
              {!readOnly && (
                <Link className="btn small" data-testid="run-error-fix"
                  to={stepInDesigner(run.flow, run.version, { node: failedNode.id, field: typeof runError.field === "string" ? runError.field : null })}
                  title={`Open v${run.version} in the designer on ${failedNode.title || failedNode.id}`}>
                  Fix in designer
                </Link>
              )}
            </div>
          )}
        </div>
      )}

      <div className="facts card">
        <Fact label="Flow" testId="run-flow-name" title={`${run.flow_name} v${run.version}`}>
          {readOnly ? run.flow_name : <Link to={`/flows/${run.flow}/v/${run.version}`}>{run.flow_name}</Link>} <span className="muted">v{run.version}</span>
        </Fact>
        <Fact label="Started">{formatDateTime(run.started_at ?? run.created_at)}</Fact>
        <Fact label="Duration" testId="run-duration">{formatDuration(durationMs)}</Fact>
        {/* "3/3" alone would read as all went well when a failure or a cancel stopped them:
            the bar fills with the nodes that went through, the note names the others. */}
        <Fact label="Nodes" testId="run-node-progress" note={progressNote(counts, adverse)}>
          <span className="node-progress">
            <span className="np-bar"><span style={{ width: `${total ? ((counts.completed + counts.skipped) / total) * 100 : 0}%` }} /></span>
            {done}/{total}
          </span>
        </Fact>
        <Fact label="Requested by">{run.requested_by}</Fact>
        <Fact label="Events"><span data-testid="run-event-count">{state.lastSeq}</span></Fact>
      </div>

      <div className="card graph-card">
        <div className="graph-pane">
          <RunGraph ir={version.ir} nodes={state.nodes} selected={selected} onSelect={select} now={now} finished={finished} onReady={onReady} />
          <div className="legend" aria-label="Legend" data-testid="run-legend">
            {legendItems(counts, adverse).map(({ key, label, count }) => (
              <span key={key} className="legend-item" data-testid={`legend-${key}`}><span className={`legend-dot ld-${key}`} />{label} {count ? <b>{count}</b> : null}</span>
            ))}
          </div>
        </div>
        {selectedNode && (
          <NodeDrawer>
            <NodePanel
              irNode={selectedNode}
              state={state.nodes[selectedNode.id]}
              record={records.get(selectedNode.id)}
              runId={run.id}
              withheld={isWithheld(run, selectedNode.id)}
              now={now}
              onClose={() => setSelected(null)}
            />
          </NodeDrawer>
        )}
      </div>

      <div className="run-lower">
        <div className="card timeline-card">
          <div className="card-title lower-tabs">
            <div className="tabs" role="tablist">
              <button type="button" role="tab" aria-selected={lowerTab === "timeline"} onClick={() => setLowerTab("timeline")} data-testid="tab-timeline">Timeline</button>
              <button type="button" role="tab" aria-selected={lowerTab === "events"} onClick={() => setLowerTab("events")} data-testid="tab-events">
                Events <span className="tab-count">{state.log.length}</span>
              </button>
            </div>
            {lowerTab === "timeline" && <span className="muted small">{state.started.length} of {countOf(total, "node")} started</span>}
          </div>
          {lowerTab === "timeline"
            ? <Timeline state={state} irNodes={irNodes} now={now} selected={selected} onSelect={select} />
            : <EventLog log={state.log} t0={state.startedAt ?? state.log[0]?.ts ?? null} title={nodeTitle} selected={selected} onSelect={select} />}
        </div>
        <div className="card run-io">
          <div className="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={sideTab === "result"} onClick={() => setSideTab("result")} data-testid="tab-result">Result</button>
            <button type="button" role="tab" aria-selected={sideTab === "input"} onClick={() => setSideTab("input")} data-testid="tab-input">Input</button>
          </div>
          <div className="run-io-body" role="tabpanel">
            {sideTab === "result" ? (
              readOnly
                ? <div className="empty small" data-testid="run-result-withheld">The result is shown to the run's owner, not to you.</div>
                : <JsonView value={hasOutputStep ? (result ?? undefined) : undefined} testId="run-result" empty={noResultText(runStatus, hasOutputStep)} />
            ) : (
              <JsonView value={inputInFormOrder(run.input, version.ir.input_schema)} testId="run-input" />
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
