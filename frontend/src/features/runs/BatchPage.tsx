// A batch: its progress bar, counts by status and its runs, updated every second until it
// finishes; cancel stops its queued runs and asks the active ones to stop.
import { useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError } from "../../lib/api";
import { NotFound } from "../../lib/NotFound";
import { countOf } from "../../lib/plural";
import { formatAgo, formatDuration, elapsedMs, shortId } from "./format";
import { cancelBatch, getBatch, listRuns, type BatchDetail, type Run } from "./runApi";
import { StatusBadge } from "./StatusIcon";
import "./runs.css";

const ORDER = ["completed", "failed", "cancelled", "running", "pending", "suspended"];

const BATCH_NOT_FOUND = "This batch does not exist, or you may not see it.";

export default function BatchPage() {
  const { batchId = "" } = useParams();
  const [batch, setBatch] = useState<BatchDetail | null>(null);
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [detail, page] = await Promise.all([
        getBatch(batchId),
        listRuns({ batch: batchId, limit: 1000, offset: 0 }),
      ]);
      setBatch(detail);
      setRuns([...page.results].sort((a, b) => (a.batch_index ?? 0) - (b.batch_index ?? 0)));
      setError(null);
    } catch (err) {
      // A batch id that is no batch (or not one this person may see) is answered 404 or 400.
      const missing = err instanceof ApiError && (err.status === 404 || err.status === 400);
      setError(missing ? BATCH_NOT_FOUND : err instanceof Error ? err.message : String(err));
    }
  }, [batchId]);

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

  if (!batch) {
    if (error === BATCH_NOT_FOUND) {
      return <NotFound title="Batch not found" message={BATCH_NOT_FOUND} back={{ to: "/runs", label: "All runs" }} testId="batch-not-found" />;
    }
    return <div className="page">{error ? <div className="alert error">Could not load the batch: {error}</div> : <div className="page-loading">Loading batch…</div>}</div>;
  }
  const { progress } = batch;
  const percent = Math.round(progress.fraction * 100);
  const duration = elapsedMs(batch.created_at, batch.finished_at);
  const sample = runs?.[0] ?? null;
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
            <StatusBadge status={batch.status} testId="batch-status" />
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
          {ORDER.map((s) => {
            const n = progress.by_status[s] ?? 0;
            return n ? <span key={s} className={`bp-seg bp-${s}`} style={{ width: `${(n / Math.max(progress.total, 1)) * 100}%` }} title={`${s}: ${n}`} /> : null;
          })}
        </div>
        <div className="bp-counts">
          {ORDER.map((s) => (
            <span key={s} className={`bp-count${progress.by_status[s] ? "" : " zero"}`} data-testid={`batch-count-${s}`}>
              <span className={`legend-dot ld-${s} bp-${s}`} /> {s} <b>{progress.by_status[s] ?? 0}</b>
            </span>
          ))}
        </div>
      </div>

      <div className="card table-card">
        <table className="table batch-table" data-testid="batch-runs">
          <thead>
            <tr><th style={{ width: 56 }}>#</th><th style={{ width: 150 }}>Status</th><th>Input</th><th style={{ textAlign: "right" }}>Duration</th><th>Run</th></tr>
          </thead>
          <tbody>
            {(runs ?? batch.runs.map((r) => ({ ...r, batch_index: r.index }) as unknown as Run)).map((run) => (
              <tr key={run.id} data-testid="batch-run-row" data-status={run.status}>
                <td className="muted">{(run.batch_index ?? 0) + 1}</td>
                <td><StatusBadge status={run.status} /></td>
                <td className="batch-input mono" title={run.input !== undefined ? JSON.stringify(run.input) : ""}>
                  {run.input !== undefined ? JSON.stringify(run.input) : ""}
                  {run.status === "failed" && run.error ? (
                    <div className="batch-error">{String((run.error as { message?: string }).message ?? "")}</div>
                  ) : null}
                </td>
                <td className="num">{run.duration_ms !== undefined ? formatDuration(run.duration_ms) : ""}</td>
                <td><Link to={`/runs/${run.id}`} className="mono">{shortId(run.id)}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
