// A node or run status as an icon (spinner while running) and as a badge.
import { STATUS_LABELS } from "../../lib/runStatus";
import type { NodeStatus } from "./runState";
import "./statusIcon.css";

export { STATUS_LABELS };

const ICONS: Record<string, string> = {
  pending: "○",
  queued: "○",
  running: "",
  waiting: "‖",
  suspended: "‖",
  completed: "✓",
  failed: "✕",
  skipped: "↷",
  cancelled: "⊘",
  // A run that completed after an approval was rejected (lib/runStatus's tone).
  "approval-rejected": "!",
};

/** A completed approval that was rejected (or timed out) is not drawn as a success. */
const OUTCOME_ICONS: Record<string, string> = { rejected: "✕", "timed-out": "⏱" };

export function StatusIcon({ status, outcome }: { status: NodeStatus | string; outcome?: string }) {
  if (status === "running") return <span className="rs-spinner" aria-label="running" />;
  const icon = outcome ? OUTCOME_ICONS[outcome] : undefined;
  if (icon) {
    return (
      <span className={`rs-icon rs-outcome-${outcome}`} aria-label={`${status}, ${outcome}`} data-outcome={outcome}>
        {icon}
      </span>
    );
  }
  return (
    <span className={`rs-icon rs-${status}`} aria-label={status}>
      {ICONS[status] ?? "•"}
    </span>
  );
}

/** `tone` draws the badge as another status would (a finished batch with failures as a
 * failure), while `data-status` keeps the status itself. */
export function StatusBadge({ status, testId, label, tone }: { status: string; testId?: string; label?: string; tone?: string }) {
  return (
    <span className={`badge rs-badge ${tone ?? status}`} data-testid={testId} data-status={status}>
      <StatusIcon status={tone ?? status} />
      {label ?? STATUS_LABELS[status] ?? status}
    </span>
  );
}
