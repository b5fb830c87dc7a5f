// The runs list: filter by status, flow and time; statuses update live (polled every 2 s
// while a visible run is active); pages; each row opens its run. `?start=<flow>` opens the
// start dialog (the flows page and the designer link there).
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { formatAgo, formatDuration, listedDurationMs, RUN_STATUS_FILTERS, runFilter, segmentLabel, shortId, waitingLine } from "./format";
import { getFlow, listFlows, listRuns, type Flow, type Run } from "./runApi";
import { ACTIVE_RUN_STATUSES } from "./runState";
import { EmptyState } from "../../lib/EmptyState";
import { useDebounced } from "../../lib/useDebounced";
import { StartRunDialog } from "./StartRunDialog";
import { StatusBadge } from "./StatusIcon";
import { runStatusLook } from "../../lib/runStatus";
import "./runs.css";

const PAGE_SIZE = 25;
const WINDOWS: Record<string, { label: string; ms: number }> = {
  "1h": { label: "Last hour", ms: 3600e3 },
  "24h": { label: "Last 24 hours", ms: 86400e3 },
  "7d": { label: "Last 7 days", ms: 7 * 86400e3 },
  "30d": { label: "Last 30 days", ms: 30 * 86400e3 },
};

/** Flows whose name or description has `query` (the most recent when it is empty), asked of
 * the server a moment after the typing stops; null until the first answer. */
function useFlowSearch(query: string): { flows: Flow[]; count: number } | null {
  const [found, setFound] = useState<{ flows: Flow[]; count: number } | null>(null);
  const asked = useDebounced(query, 200);
  useEffect(() => {
    const controller = new AbortController();
    listFlows(asked, { signal: controller.signal }).then(setFound, () => undefined);
    return () => controller.abort();
  }, [asked]);
  return found;
}

function FlowPicker({ onPick, onClose }: { onPick(id: number): void; onClose(): void }) {
  const [query, setQuery] = useState("");
  const found = useFlowSearch(query);
  const shown = found?.flows ?? [];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="pick-flow-title" data-testid="pick-flow-dialog">
        <header className="dialog-header">
          <h2 id="pick-flow-title">Which flow?</h2>
          <button type="button" className="btn ghost icon" onClick={onClose} aria-label="Close">✕</button>
        </header>
        <input type="search" placeholder="Search flows" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus aria-label="Search flows" style={{ width: "100%" }} />
        <ul className="pick-list">
          {shown.map((flow) => (
            <li key={flow.id}>
              <button type="button" onClick={() => onPick(flow.id)} disabled={!flow.latest_version}>
                {/* Two flows may share a name: what each does and when it changed tell them apart. */}
                <span className="pick-flow-name">
                  <strong>{flow.name}</strong>
                  {flow.description && <span className="muted small pick-flow-description" data-testid="pick-description" title={flow.description}>{flow.description}</span>}
                </span>
                <span className="muted small pick-flow-version">
                  {flow.latest_version ? `v${flow.latest_version.number}` : "no version"}
                  {" · "}changed {formatAgo(flow.updated_at)}
                  {flow.latest_version?.is_valid === false && <span className="badge danger pick-invalid" data-testid="pick-invalid" title="Its latest version has problems: fix them in the designer to run it">has problems</span>}
                </span>
              </button>
            </li>
          ))}
          {found && !shown.length && <li className="muted small">{query ? "No flow matches." : "No flows yet."}</li>}
        </ul>
        {found && found.count > shown.length && (
          <p className="muted small" data-testid="pick-more">
            {query ? `The first ${shown.length} of ${found.count.toLocaleString()} matches:` : `The ${shown.length} most recently changed of ${found.count.toLocaleString()} flows:`} type to find another.
          </p>
        )}
      </div>
    </div>
  );
}

export default function RunsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  // A filter's key: a status, or "approval-rejected" (the completed runs counted apart).
  const status = params.get("status") ?? undefined;
  const flow = params.get("flow") ? Number(params.get("flow")) : undefined;
  const since = params.get("since") ?? "";
  const offset = Math.max(0, Number(params.get("offset") ?? 0) || 0);
  const start = params.get("start");

  const [runs, setRuns] = useState<Run[] | null>(null);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [flows, setFlows] = useState<Flow[]>([]);
  const [now, setNow] = useState(Date.now());

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    if (!("offset" in changes)) next.delete("offset");
    setParams(next);
  };

  const createdAfter = useMemo(
    () => (WINDOWS[since] ? new Date(Date.now() - WINDOWS[since].ms).toISOString() : undefined),
    // The window is taken when the filter changes, not on every poll.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [since, status, flow, offset],
  );

  // Only the latest request's answer is shown: a slow answer for the previous filters
  // (or an earlier poll) must not replace it.
  const latest = useRef(0);
  const load = useCallback(async () => {
    const request = ++latest.current;
    try {
      const page = await listRuns({ ...runFilter(status), flow, created_after: createdAfter, limit: PAGE_SIZE, offset });
      if (request !== latest.current) return;
      setRuns(page.results);
      setCount(page.count);
      setError(null);
      setNow(Date.now());
    } catch (err) {
      if (request === latest.current) setError(err instanceof Error ? err.message : String(err));
    }
  }, [status, flow, createdAfter, offset]);

  useEffect(() => {
    setRuns(null);
    load();
  }, [load]);

  const active = runs?.some((run) => ACTIVE_RUN_STATUSES.has(run.status)) ?? false;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, [active, load]);

  useEffect(() => {
    listFlows("", { limit: 200 }).then(({ flows }) => setFlows(flows), () => undefined);
  }, []);
  // The flow filtered on may be older than the flows listed: fetch it so the filter names it.
  useEffect(() => {
    if (flow === undefined || flows.some((f) => f.id === flow)) return;
    getFlow(flow).then((found) => setFlows((listed) => (listed.some((f) => f.id === found.id) ? listed : [...listed, found])), () => undefined);
  }, [flow, flows]);

  const flowName = flows.find((f) => f.id === flow)?.name;
  // Opened from another page (the designer's Run, a run's "Edit input…"): closing it goes back
  // there, not to this list the person never asked for.
  const location = useLocation();
  const cameFrom = (location.state as { returnTo?: string } | null)?.returnTo;
  const closeStart = () => (cameFrom && location.key !== "default" ? navigate(-1) : update({ start: null, version: null, from: null }));
  const startFlow = start && start !== "pick" ? Number(start) : null;

  return (
    <div className="page runs-page" data-testid="runs-page">
      <div className="page-header">
        <div>
          <h1>Runs</h1>
          <div className="muted runs-lead" title={flowName ? `Runs of ${flowName}` : undefined}>{flowName ? <>Runs of <strong>{flowName}</strong></> : "Every run you can see, newest first."}</div>
        </div>
        <div className="toolbar">
          <button type="button" className="btn primary" onClick={() => update({ start: flow ? String(flow) : "pick" })} data-testid="runs-start">
            ▶ Start run
          </button>
        </div>
      </div>

      <div className="filters card">
        <div className="status-chips" role="group" aria-label="Status">
          <button type="button" className={`chip${!status ? " on" : ""}`} onClick={() => update({ status: null })} data-testid="filter-status-all">All</button>
          {RUN_STATUS_FILTERS.map((s) => (
            <button key={s} type="button" className={`chip chip-${s}${status === s ? " on" : ""}`} onClick={() => update({ status: status === s ? null : s })} data-testid={`filter-status-${s}`} aria-pressed={status === s}>
              {segmentLabel(s)}
            </button>
          ))}
        </div>
        <span className="spacer" />
        {/* The two selects wrap together in a narrow window, not one left alone on a line. */}
        <div className="filter-fields">
        <label className="filter-field">
          <span className="muted small">Flow</span>
          {/* A set width, the chosen name cut short (whole in its title): the filters do not move. */}
          <select className="filter-flow" value={flow ?? ""} title={flowName ?? (flow ? `Flow #${flow}` : "All flows")} onChange={(e) => update({ flow: e.target.value || null })} data-testid="filter-flow">
            <option value="">All flows</option>
            {flows.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
            {flow && !flowName && <option value={flow}>Flow #{flow}</option>}
          </select>
        </label>
        <label className="filter-field">
          <span className="muted small">Created</span>
          <select value={since} onChange={(e) => update({ since: e.target.value || null })} data-testid="filter-since">
            <option value="">Any time</option>
            {Object.entries(WINDOWS).map(([key, w]) => <option key={key} value={key}>{w.label}</option>)}
          </select>
        </label>
        </div>
      </div>

      {error && <div className="alert error">Could not load runs: {error}</div>}
      <div className="card table-card">
        <table className="table runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th className="col-status">Status</th>
              <th>Run</th>
              <th>Flow</th>
              <th>Started</th>
              <th style={{ textAlign: "right" }}>Duration</th>
              <th className="col-secondary">By</th>
              <th className="col-secondary">Batch</th>
            </tr>
          </thead>
          <tbody>
            {runs?.map((run) => (
              <tr key={run.id} className="clickable" onClick={(e) => !(e.target as HTMLElement).closest("a") && navigate(`/runs/${run.id}`)} data-testid="run-row" data-run-id={run.id} data-status={run.status}>
                <td><StatusBadge status={run.status} {...runStatusLook(run.status, run.approval_rejected)} /></td>
                <td><Link to={`/runs/${run.id}`} className="mono">{shortId(run.id)}</Link></td>
                <td className="flow-col">
                  <div className="flow-line" title={run.flow_name}>
                    <span className="flow-cell">{run.flow_name}</span> <span className="muted small">v{run.version}</span>
                  </div>
                  {run.status === "failed" && errorLine(run.error) && (
                    <div className="run-row-error" data-testid="run-row-error" title={errorLine(run.error) ?? undefined}>{errorLine(run.error)}</div>
                  )}
                  {run.status === "suspended" && waitingLine(run.waiting) && (
                    <div className="run-row-waiting" data-testid="run-row-waiting" title={waitingLine(run.waiting) ?? undefined}>{waitingLine(run.waiting)}</div>
                  )}
                </td>
                <td className="nowrap" title={run.created_at}>{formatAgo(run.started_at ?? run.created_at, now)}</td>
                <td className="num nowrap">{formatDuration(listedDurationMs(run, now))}</td>
                <td className="muted col-secondary">{run.requested_by}</td>
                <td className="col-secondary">{run.batch ? <Link to={`/batches/${run.batch}`} className="small">#{(run.batch_index ?? 0) + 1}</Link> : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {runs && runs.length === 0 && (
          status || flow || since ? (
            <EmptyState icon="search" title="No runs match these filters" testId="runs-empty"
              actions={<button type="button" className="btn" onClick={() => update({ status: null, flow: null, since: null })}>Clear filters</button>}>
              Other runs may be on another status, flow or time.
            </EmptyState>
          ) : (
            <EmptyState icon="runs" title="No runs yet" testId="runs-empty"
              actions={<>
                <button type="button" className="btn primary" onClick={() => update({ start: "pick" })}>Run a flow…</button>
                <Link className="btn" to="/flows/new">Plan a new flow</Link>
              </>}>
              A run executes a flow with the input you give it; each one appears here, live.
            </EmptyState>
          )
        )}
        {!runs && !error && <div className="empty">Loading…</div>}
        {runs && count > 0 && (
          <div className="pager">
            <span className="muted small" data-testid="runs-range">
              {offset + 1}–{Math.min(offset + PAGE_SIZE, count)} of {count}
            </span>
            {active && <span className="live-note small"><span className="conn-dot" /> updating live</span>}
            <span className="spacer" />
            <button type="button" className="btn small" disabled={offset === 0} onClick={() => update({ offset: String(Math.max(0, offset - PAGE_SIZE)) })} data-testid="runs-prev">← Newer</button>
            <button type="button" className="btn small" disabled={offset + PAGE_SIZE >= count} onClick={() => update({ offset: String(offset + PAGE_SIZE) })} data-testid="runs-next">Older →</button>
          </div>
        )}
      </div>

      {start === "pick" && <FlowPicker onPick={(id) => update({ start: String(id) })} onClose={closeStart} />}
      {startFlow !== null && Number.isFinite(startFlow) && (
        <StartRunDialog
          flowId={startFlow}
          version={params.get("version") ? Number(params.get("version")) : null}
          fromRun={params.get("from")}
          onClose={closeStart}
        />
      )}
    </div>
  );
}

/** A failed run's error in one line for its row: where and what ("fetch_url: refusing to …"). */
function errorLine(error: unknown): string | null {
  if (!error || typeof error !== "object") return null;
  const { message, node } = error as { message?: unknown; node?: unknown };
  if (typeof message !== "string" || !message) return null;
  return typeof node === "string" && node ? `${node}: ${message}` : message;
}
