// A batch: its progress bar, counts by status and its runs a page at a time (a batch may
// hold 10,000), filtered by status, updated every second until it finishes; cancel stops
// its queued runs and asks the active ones to stop.
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { ApiError } from "../../lib/api";
import { NotFound } from "../../lib/NotFound";
import { countOf } from "../../lib/plural";
import { runStatusLook, statusLabel } from "../../lib/runStatus";
import { batchBadge, batchSegments, formatAgo, runFilter, segmentLabel, formatDuration, elapsedMs, shortId } from "./format";
import { inputInFormOrder } from "../../lib/jsonSchema";
import { cancelBatch, getBatch, getVersion, listRuns, type BatchDetail, type Run } from "./runApi";
import { StatusBadge } from "./StatusIcon";
import { cellText, INPUT_COLUMNS, inputColumns } from "./batchTable";
import "./runs.css";

const ORDER = ["completed", "failed", "cancelled", "running", "pending", "suspended"];

/** The runs a segment counts, as a filter names them: "completed runs", "runs with a
 *  rejected approval". */
function segmentNoun(key: string): string {
  return key === "approval-rejected" ? "runs with a rejected approval" : `${statusLabel(key).toLowerCase()} runs`;
}

const BATCH_NOT_FOUND = "This batch does not exist, or you may not see it.";

/** Runs shown at once. */
export const BATCH_PAGE = 100;

export default function BatchPage() {
  const { batchId = "" } = useParams();
  const [batch, setBatch] = useState<BatchDetail | null>(null);
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [shownCount, setShownCount] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [params, setParams] = useSearchParams();
  // A segment's key: a status, or "approval-rejected" (completed runs counted apart).
  const status = params.get("status") ?? undefined;
  const offset = Math.max(0, Number(params.get("offset") ?? 0) || 0);
  const show = (changes: { status?: string | null; offset?: number }) => {
    const next = new URLSearchParams(params);
    if ("status" in changes) {
      if (changes.status) next.set("status", changes.status);
      else next.delete("status");
      next.delete("offset");
    }
    if (changes.offset !== undefined) {
      if (changes.offset > 0) next.set("offset", String(changes.offset));
      else next.delete("offset");
    }
    setParams(next, { replace: true });
  };

  // Any run of it names the flow: the first one shown, kept when a filter shows none.
  const [named, setNamed] = useState<Run | null>(null);
  useEffect(() => {
    if (runs?.length) setNamed(runs[0]);
  }, [runs]);
  // Opened on a filter that shows none (a link to its failed runs, when none failed), the
  // page still names its flow: from any one run of the batch.
  useEffect(() => {
    if (named || !runs || runs.length || !status) return;
    let live = true;
    listRuns({ batch: batchId, limit: 1, offset: 0 })
      .then((page) => { if (live && page.results[0]) setNamed(page.results[0]); })
      .catch(() => undefined); // the page then reads without the flow's name
    return () => { live = false; };
  }, [named, runs, status, batchId]);
  // Only the latest request's answer is shown (a slow poll must not undo a page change).
  const latest = useRef(0);
  const load = useCallback(async () => {
    const request = ++latest.current;
    try {
      const [detail, page] = await Promise.all([
        getBatch(batchId, { runs: false }),
        listRuns({ batch: batchId, ...runFilter(status), limit: BATCH_PAGE, offset }),
      ]);
      if (request !== latest.current) return;
      setBatch(detail);
      setRuns(page.results);
      setShownCount(page.count);
      setError(null);
    } catch (err) {
      if (request !== latest.current) return;
      // A batch id that is no batch (or not one this person may see) is answered 404 or 400.
      const missing = err instanceof ApiError && (err.status === 404 || err.status === 400);
      setError(missing ? BATCH_NOT_FOUND : err instanceof Error ? err.message : String(err));
    }
  }, [batchId, status, offset]);

  useEffect(() => {
    load();
  }, [load]);

  const running = batch?.status === "running";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(load, 1000);
    return () => clearInterval(timer);
  }, [running, load]);

  const cancel = async () => {
    setBusy(true);
    try {
      await cancelBatch(batchId);
      await load();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  // Each run's input reads in its form's order, as on the run page (the database keeps the
  // fields sorted: "body, email, total, subject" for a form of email, total, subject, body).
  const first = runs?.[0] ?? named;
  const [inputSchema, setInputSchema] = useState<unknown>(null);
  useEffect(() => {
    if (!first?.flow || !first.version) return;
    let live = true;
    getVersion(first.flow, first.version)
      .then((version) => live && setInputSchema(version.ir.input_schema ?? null))
      .catch(() => undefined); // the inputs then read in the stored order
    return () => { live = false; };
  }, [first?.flow, first?.version]);

  if (!batch) {
    if (error === BATCH_NOT_FOUND) {
      return <NotFound title="Batch not found" message={BATCH_NOT_FOUND} back={{ to: "/runs", label: "All runs" }} testId="batch-not-found" />;
    }
    return <div className="page">{error ? <div className="alert error">Could not load the batch: {error}</div> : <div className="page-loading">Loading batch…</div>}</div>;
  }
  const { progress } = batch;
  // The runs' inputs as columns, one per field in the form's order (JSON when not objects).
  const columns = inputColumns(inputSchema, (runs ?? []).map((run) => run.input));
  const shownColumns = columns.slice(0, INPUT_COLUMNS);
  const hiddenColumns = columns.slice(INPUT_COLUMNS);
  const segments = batchSegments(ORDER, progress.by_status, progress.approval_rejected ?? 0);
  const percent = Math.round(progress.fraction * 100);
  const duration = elapsedMs(batch.created_at, batch.finished_at);
  const sample = runs?.[0] ?? named;
  return (
    <div className="page batch-page" data-testid="batch-page" data-status={batch.status}>
      <div className="page-header">
        <div>
          <nav className="crumbs" aria-label="Breadcrumb">
            <Link to="/runs">Runs</Link>
            {sample && (<><span aria-hidden>/</span><Link to={`/runs?flow=${sample.flow}`}>{sample.flow_name}</Link></>)}
          </nav>
          <div className="title-row">
            <h1>Batch <span className="mono run-id">{shortId(batch.id)}</span></h1>
            <StatusBadge {...batchBadge(batch.status, batch.progress.by_status, batch.total ?? 0)} testId="batch-status" />
          </div>
          <div className="muted small">
            {countOf(batch.total ?? 0, "run")}{sample ? <> of {sample.flow_name} v{sample.version}</> : null} · at most {batch.concurrency} at once · started {formatAgo(batch.created_at)}
          </div>
        </div>
        <div className="toolbar">
          {running && (
            <button type="button" className="btn danger" onClick={cancel} disabled={busy} data-testid="batch-cancel">Cancel batch</button>
          )}
        </div>
      </div>
      {error && <div className="alert error">{error}</div>}

      <div className="card batch-progress">
        <div className="bp-head">
          <div>
            <div className="bp-figure" data-testid="batch-done">{progress.done} <span className="muted">/ {progress.total}</span></div>
            <div className="muted small">runs finished</div>
          </div>
          <div className="bp-percent" data-testid="batch-percent">{percent}%</div>
          <div className="bp-duration">
            <div className="bp-figure">{formatDuration(duration)}</div>
            <div className="muted small">{batch.finished_at ? "took" : "so far"}</div>
          </div>
        </div>
        <div className="bp-bar" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done} data-testid="batch-progress">
          {segments.map(({ key, count: n }) => (
            n ? <span key={key} className={`bp-seg bp-${key}`} style={{ width: `${(n / Math.max(progress.total, 1)) * 100}%` }} title={`${segmentLabel(key)}: ${n}`} /> : null
          ))}
        </div>
        <div className="bp-counts">
          {segments.map(({ key, count: n }) => (
            <button
              type="button"
              key={key}
              className={`bp-count${n ? "" : " zero"}${status === key ? " on" : ""}${key === "approval-rejected" ? " bp-count-note" : ""}`}
              aria-pressed={status === key}
              title={status === key ? "Show every run" : `Show only the ${segmentNoun(key)}`}
              onClick={() => show({ status: status === key ? null : key })}
              data-testid={`batch-count-${key}`}
            >
              <span className={`legend-dot ld-${key} bp-${key}`} /> {segmentLabel(key)} <b>{n}</b>
            </button>
          ))}
        </div>
      </div>

      <div className="card table-card">
        <table className="table batch-table" data-testid="batch-runs">
          <thead>
            <tr>
              <th style={{ width: 56 }}>#</th><th style={{ width: 150 }}>Status</th>
              {columns.length
                ? shownColumns.map((key, i) => (
                  <th key={key} className="batch-input-col" data-testid="batch-input-column"
                    title={i === shownColumns.length - 1 && hiddenColumns.length ? `Also: ${hiddenColumns.join(", ")}` : undefined}>
                    {key}{i === shownColumns.length - 1 && hiddenColumns.length ? <span className="muted"> +{hiddenColumns.length}</span> : null}
                  </th>
                ))
                : <th>Input</th>}
              <th style={{ textAlign: "right" }}>Duration</th><th>Run</th>
            </tr>
          </thead>
          <tbody>
            {(runs ?? []).map((run) => (
              <tr key={run.id} data-testid="batch-run-row" data-status={run.status}>
                <td className="muted">{(run.batch_index ?? 0) + 1}</td>
                <td><StatusBadge status={run.status} {...runStatusLook(run.status, run.approval_rejected)} /></td>
                {columns.length ? shownColumns.map((key, i) => {
                  const text = cellText((run.input as Record<string, unknown> | undefined)?.[key]);
                  return (
                    <td key={key} className="batch-input-cell" title={text} data-testid="batch-run-input-cell" data-field={key}>
                      {text}
                      {i === 0 && run.status === "failed" && run.error ? (
                        <div className="batch-error">{String((run.error as { message?: string }).message ?? "")}</div>
                      ) : null}
                    </td>
                  );
                }) : (
                  <td className="batch-input mono" title={run.input !== undefined ? JSON.stringify(inputInFormOrder(run.input, inputSchema)) : ""} data-testid="batch-run-input">
                    {run.input !== undefined ? JSON.stringify(inputInFormOrder(run.input, inputSchema)) : ""}
                    {run.status === "failed" && run.error ? (
                      <div className="batch-error">{String((run.error as { message?: string }).message ?? "")}</div>
                    ) : null}
                  </td>
                )}
                <td className="num">{run.duration_ms !== undefined ? formatDuration(run.duration_ms) : ""}</td>
                <td><Link to={`/runs/${run.id}`} className="mono">{shortId(run.id)}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
        {!runs && <div className="empty">Loading…</div>}
        {runs && !runs.length && <div className="empty muted" data-testid="batch-runs-empty">{status ? `No ${segmentNoun(status)} in this batch.` : "No runs."}</div>}
        {runs && shownCount > BATCH_PAGE && (
          <div className="pager">
            <span className="muted small" data-testid="batch-range">
              {offset + 1}–{Math.min(offset + BATCH_PAGE, shownCount)} of {status ? `${shownCount.toLocaleString()} ${segmentNoun(status)}` : countOf(shownCount, "run")}
            </span>
            <span className="spacer" />
            <button type="button" className="btn small" disabled={offset === 0} onClick={() => show({ offset: Math.max(0, offset - BATCH_PAGE) })} data-testid="batch-prev">← Previous</button>
            <button type="button" className="btn small" disabled={offset + BATCH_PAGE >= shownCount} onClick={() => show({ offset: offset + BATCH_PAGE })} data-testid="batch-next">Next →</button>
          </div>
        )}
      </div>
    </div>
  );
}
