// A run's or node's status in the words every page uses: a suspended run is "Waiting" on the
// runs list, the run page, its filters and a flow's last run alike.
export const STATUS_LABELS: Record<string, string> = {
  pending: "Pending",
  running: "Running",
  waiting: "Waiting",
  suspended: "Waiting",
  completed: "Completed",
  failed: "Failed",
  skipped: "Skipped",
  cancelled: "Cancelled",
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** The tone (badge class) of a completed run with a rejected approval: amber, not green. */
export const APPROVAL_REJECTED_TONE = "approval-rejected";

export const APPROVAL_REJECTED_LABEL = "Completed · approval rejected";

/** How a run's status reads and is coloured everywhere: a run that completed after one of its
 *  approvals was rejected did not go through as planned, so it does not read as a plain
 *  success. `tone` is the badge's class; the status itself stays `status`. */
export function runStatusLook(status: string, approvalRejected?: boolean | null): { label: string; tone: string } {
  if (status === "completed" && approvalRejected) return { label: APPROVAL_REJECTED_LABEL, tone: APPROVAL_REJECTED_TONE };
  return { label: statusLabel(status), tone: status };
}
