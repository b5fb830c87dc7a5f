// The version history: open a version, restore an old one as a new version, and compare
// any two versions in the visual diff.
import { useEffect, useRef, useState } from "react";
import { ApiError } from "../../../lib/api";
import { rememberLatestVersion } from "../../../lib/latestVersion";
import type { FlowIR, IrDiff } from "../../../graph";
import { countOf } from "../../../lib/plural";
import { fetchDiff, fetchVersion, fetchVersions, saveVersion, type VersionSummary } from "../api";
import { designer, useDesigner } from "../store";
import { DiffView } from "./DiffView";
import { Icon } from "./Icon";
import { timeAgo } from "../../../lib/timeAgo";

interface VersionsDrawerProps {
  flowId: number;
  current: number | null;
  onClose: () => void;
  onOpen: (number: number) => void;
  refreshKey: number;
}


interface Comparison {
  from: number;
  to: number;
  before: FlowIR;
  after: FlowIR;
  diff: IrDiff;
}

export function VersionsDrawer({ flowId, current, onClose, onOpen, refreshKey }: VersionsDrawerProps) {
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [busy, setBusy] = useState(false);
  // Compare is disabled while the diff loads, which drops its focus: closing the diff
  // puts the focus back on it by hand.
  const compareButton = useRef<HTMLButtonElement>(null);
  const canEdit = useDesigner((state) => state.canEdit);

  useEffect(() => {
    let cancelled = false;
    fetchVersions(flowId)
      .then((list) => {
        if (cancelled) return;
        setVersions(list);
        const newest = list[0]?.number ?? null;
        const target = current ?? newest;
        setTo(target);
        setFrom(list.find((v) => target !== null && v.number < target)?.number ?? list[1]?.number ?? null);
      })
      .catch((exc: Error) => setError(exc.message));
    return () => {
      cancelled = true;
    };
  }, [flowId, current, refreshKey]);

  const compare = async () => {
    if (from === null || to === null) return;
    setBusy(true);
    setError(null);
    try {
      const [older, newer] = from < to ? [from, to] : [to, from];
      const [diff, before, after] = await Promise.all([
        fetchDiff(flowId, older, newer),
        fetchVersion(flowId, older),
        fetchVersion(flowId, newer),
      ]);
      setComparison({ from: older, to: newer, before: before.ir, after: after.ir, diff });
    } catch (exc) {
      setError((exc as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const restore = async (number: number) => {
    if (useDesigner.getState().dirty && !window.confirm("Restoring saves a new version and drops your unsaved changes. Continue?")) return;
    setBusy(true);
    try {
      const version = await fetchVersion(flowId, number);
      const saved = await saveVersion(flowId, version.ir);
      rememberLatestVersion(flowId, saved.number);
      designer.toast(`Version ${number} restored as version ${saved.number}.`, "success");
      const { flowName, canEdit: editable } = useDesigner.getState();
      designer.load({ flowId, flowName, canEdit: editable, version: saved.number, ir: version.ir });
      onOpen(saved.number);
    } catch (exc) {
      setError(exc instanceof ApiError ? exc.message : (exc as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <aside className="versions-drawer" aria-label="Versions" data-testid="versions-drawer">
        <header className="drawer-head">
          <Icon name="history" />
          <h2>Versions</h2>
          <span className="spacer" />
          <button type="button" className="btn ghost icon" aria-label="Close versions" onClick={onClose}><Icon name="close" /></button>
        </header>
        {error && <div className="alert error">{error}</div>}
        {versions && versions.length > 1 && (
          <div className="compare-box">
            <div className="compare-row">
              <label>
                <span>From</span>
                <select value={from ?? ""} onChange={(e) => setFrom(Number(e.target.value))} data-testid="diff-from">
                  {versions.map((v) => <option key={v.number} value={v.number}>v{v.number}</option>)}
                </select>
              </label>
              <span className="compare-arrow">→</span>
              <label>
                <span>To</span>
                <select value={to ?? ""} onChange={(e) => setTo(Number(e.target.value))} data-testid="diff-to">
                  {versions.map((v) => <option key={v.number} value={v.number}>v{v.number}</option>)}
                </select>
              </label>
              <button ref={compareButton} type="button" className="btn small primary" disabled={busy || from === null || to === null || from === to} onClick={() => void compare()} data-testid="diff-compare">
                <Icon name="diff" size={14} /> Compare
              </button>
            </div>
          </div>
        )}
        <ol className="version-list">
          {versions === null && <li className="muted">Loading…</li>}
          {versions?.length === 0 && <li className="muted">No versions yet: save to create the first.</li>}
          {versions?.map((version, index) => (
            <li key={version.number} className={`version-item${version.number === current ? " current" : ""}`} data-testid="version-item">
              <div className="version-main">
                <span className="version-number">v{version.number}</span>
                <span className={`badge ${version.is_valid ? "ok" : "danger"}`}>{version.is_valid ? "valid" : countOf(version.validation_errors.length, "problem")}</span>
                {index === 0 && <span className="badge info">latest</span>}
                {version.number === current && <span className="badge">open</span>}
              </div>
              <div className="version-meta muted small">
                {version.source} · {version.author} · {timeAgo(version.created_at)}
              </div>
              <div className="version-actions">
                {version.number !== current && (
                  <button type="button" className="btn small" onClick={() => onOpen(version.number)}>Open</button>
                )}
                {canEdit && index > 0 && (
                  <button type="button" className="btn small ghost" disabled={busy} onClick={() => void restore(version.number)} data-testid={`restore-${version.number}`}>
                    Restore as new
                  </button>
                )}
              </div>
            </li>
          ))}
        </ol>
      </aside>
      {comparison && (
        <DiffView
          title={`Version ${comparison.from} → ${comparison.to}`}
          before={comparison.before}
          after={comparison.after}
          diff={comparison.diff}
          onClose={() => {
            setComparison(null);
            requestAnimationFrame(() => compareButton.current?.focus());
          }}
        />
      )}
    </>
  );
}
