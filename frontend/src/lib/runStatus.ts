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
