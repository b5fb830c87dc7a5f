// How the runs pages write times, durations and ids.
import { timeAgo } from "../../lib/timeAgo";
import { statusLabel } from "../../lib/runStatus";
import type { RunStatusName } from "./runApi";

/** 12 ms, 1.24 s, 2 m 05 s, 1 h 02 m. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(Math.floor(s % 60)).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} m`;
}

/** A timeline axis label: the ticks are round, so no trailing zeros (2 s, 2.5 s, 50 s,
 * 15 m, 2 h). */
export function formatTick(ms: number): string {
  if (ms >= 1000 && ms < 60_000) return `${Number((ms / 1000).toFixed(2))} s`;
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms < 3_600_000 && ms % 60_000 === 0) return `${ms / 60_000} m`;
  return formatDuration(ms);
}

/** Clock-friendly steps for spans of minutes and more: 15 m, not 16 m 40 s. */
const CLOCK_STEPS_MS = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]
  .map((s) => s * 1000);

/** The step between a timeline's ticks for a span of `spanMs`: about five ticks, each a
 * round 1, 2 or 5 times a power of ten below ten seconds, a clock's round step above. */
export function timelineStep(spanMs: number): number {
  const raw = spanMs / 5;
  if (raw > 10_000) return CLOCK_STEPS_MS.find((step) => step >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? raw;
}

/** How long ago, as every page writes it (lib/timeAgo); a dash when unknown. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  return timeAgo(iso, now) || "—";
}

export function formatTime(unixSeconds: number | null | undefined): string {
  if (unixSeconds === null || unixSeconds === undefined) return "—";
  const date = new Date(unixSeconds * 1000);
  timeFormat ??= new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  return `${timeFormat.format(date)}.${String(date.getMilliseconds()).padStart(3, "0")}`;
}

// Intl formatters are costly to create: one of each, made on first use.
let timeFormat: Intl.DateTimeFormat | null = null;
let dayFormat: Intl.DateTimeFormat | null = null;

/** "14:02:11" today, else "Nov 3, 14:02". */
export function formatDateTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (new Date(now).toDateString() === date.toDateString()) {
    timeFormat ??= new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
    return timeFormat.format(date);
  }
  dayFormat ??= new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
  return dayFormat.format(date);
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Milliseconds between two ISO times, or from `start` to now while running. */
export function elapsedMs(start: string | null | undefined, end: string | null | undefined, now = Date.now()): number | null {
  if (!start) return null;
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  return Number.isNaN(from) || Number.isNaN(to) ? null : Math.max(0, to - from);
}

/** A run's duration in a list: its own once it has ended; the time so far while it runs
 * or waits for an approval (the run page counts waiting time too), none before it starts. */
export function listedDurationMs(
  run: { duration_ms?: number | null; status: string; started_at?: string | null },
  now = Date.now(),
): number | null {
  if (run.duration_ms !== null && run.duration_ms !== undefined) return run.duration_ms;
  return run.status === "running" || run.status === "suspended" ? elapsedMs(run.started_at, null, now) : null;
}

/** The nodes that did not go through, in words ("1 failed · 2 cancelled"), or undefined. */
export function progressNote(
  counts: { failed: number; cancelled: number },
  adverse: { rejected: number; "timed-out": number } = { rejected: 0, "timed-out": 0 },
): string | undefined {
  // A rejected approval went through as a step, but not as hoped: named beside the failures.
  const parts = [
    counts.failed ? `${counts.failed} failed` : "",
    adverse.rejected ? `${adverse.rejected} rejected` : "",
    adverse["timed-out"] ? `${adverse["timed-out"]} timed out` : "",
    counts.cancelled ? `${counts.cancelled} cancelled` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : undefined;
}

/** How long a run may stay pending before the page says no worker has taken it. */
export const WORKER_GRACE_MS = 10_000;

/** The milliseconds a pending run has waited for a worker, once past the grace; else null.
 *  Only a run that never started counts (one pending again after an approval has events
 *  and was created long ago); a batch's runs wait for their turn on purpose. */
export function waitingForWorker(
  status: string,
  createdAt: string | null | undefined,
  { inBatch, started }: { inBatch: boolean; started: boolean },
  now = Date.now(),
): number | null {
  if (status !== "pending" || inBatch || started || !createdAt) return null;
  const waited = now - Date.parse(createdAt);
  return Number.isFinite(waited) && waited >= WORKER_GRACE_MS ? waited : null;
}

// Shared with the inbox's step page (lib/approvers.ts); kept importable from here.
export { decideHelp, whoCanDecide, type MissingApprovers } from "../../lib/approvers";

/** What the run page says of a run that lost its worker (its latest `run.recovered`). */
export function recoveryNote(recovered: { lost: number; limit: number | null; ts: number }): string {
  const lost = recovered.lost === 1 ? "Its worker stopped mid-run." : `It lost its worker ${recovered.lost} times.`;
  const limit = recovered.lost > 1 && recovered.limit !== null ? ` It fails if that happens ${recovered.limit} times.` : "";
  return `${lost} At ${formatTime(recovered.ts)} it was sent to a worker again, which goes on from its last checkpoints: no completed step runs again.${limit}`;
}

/** How long ago the worker executing a running run let its lease run out (it renews it
 * every half second while alive), or null while it keeps it. */
export function workerSilentMs(status: string, leaseExpiresAt: string | null | undefined, now = Date.now()): number | null {
  if (status !== "running" || !leaseExpiresAt) return null;
  const late = now - Date.parse(leaseExpiresAt);
  return Number.isFinite(late) && late > 0 ? late : null;
}

/** "group managers, ada" (an approval's assignees), or the owner when none are named. */
export function assigneeNames(assignees: unknown): string {
  const a = (assignees && typeof assignees === "object" ? assignees : {}) as { users?: unknown; groups?: unknown };
  const users = Array.isArray(a.users) ? a.users.map(String) : [];
  const groups = Array.isArray(a.groups) ? a.groups.map((g) => `group ${String(g)}`) : [];
  const names = [...groups, ...users];
  return names.length ? names.join(", ") : "the run's owner";
}

/** What a waiting run waits for, in one line for its row ("Approve the refund, by group
 * managers"), or null when no step is open. */
export function waitingLine(waiting: readonly { node_id: string; title?: string | null; assignees?: unknown; decided?: boolean }[] | null | undefined): string | null {
  const open = (waiting ?? []).filter((step) => !step.decided);
  if (!open.length) return null;
  const first = `${open[0].title || open[0].node_id}, by ${assigneeNames(open[0].assignees)}`;
  return open.length > 1 ? `Waiting for ${first} (and ${open.length - 1} more)` : `Waiting for ${first}`;
}

/** What the Result tab says while a run has no result, by the run's status. */
export function noResultText(status: string, hasOutputStep = true): string {
  // A flow without an output step has nothing to return: its `{}` would read as a bug.
  if (!hasOutputStep && status === "completed") return "This flow has no output step, so its result is empty: each step's output is on its node (select it in the graph).";
  if (status === "failed") return "No result: the run failed before it produced one (its error is above).";
  if (status === "cancelled") return "No result: the run was cancelled before it produced one.";
  if (status === "completed") return "No result.";
  return "The result appears when the run completes.";
}

/** A batch's badge: a finished batch some of whose runs failed is not a green "Completed"
 * (every run finished, not every run went well). */
export function batchBadge(status: string, byStatus: Readonly<Record<string, number>>, total: number): { status: string; tone?: string; label?: string } {
  const failed = byStatus.failed ?? 0;
  if (status !== "completed" || !failed) return { status };
  return { status, tone: "failed", label: failed === total ? `Finished · all ${failed} failed` : `Finished · ${failed} of ${total} failed` };
}

/** The batch bar's segments and counts, in order: completed runs whose approval was rejected
 *  are counted apart from those that went through (amber, not green). */
/**
 * The runs a batch's count lists when clicked (`key` a segment's key): as the counts reckon
 * them, "Completed" leaves out the runs whose approval was rejected, counted apart.
 */
export function batchSegmentFilter(key: string): { status: string; approval_rejected?: boolean } {
  if (key === "approval-rejected") return { status: "completed", approval_rejected: true };
  if (key === "completed") return { status: "completed", approval_rejected: false };
  return { status: key };
}

/** The runs list's status filters, as the batch page counts runs: "Completed" leaves out the
 *  runs whose approval was rejected, which have a filter of their own. */
export const RUN_STATUS_FILTERS = ["pending", "running", "suspended", "completed", "approval-rejected", "failed", "cancelled"] as const;

/** The runs list's filter for a status filter's key (a segment's on the batch page, a chip's
 *  on the runs list; none for every run): both pages filter alike, so their counts agree. */
export function runFilter(key: string | undefined): { status?: RunStatusName; approval_rejected?: boolean } {
  if (!key) return {};
  const { status, approval_rejected } = batchSegmentFilter(key);
  return { status: status as RunStatusName, approval_rejected };
}

/** A status filter's name: a status, or the completed runs whose approval was rejected. */
export function segmentLabel(key: string): string {
  return key === "approval-rejected" ? "Approval rejected" : statusLabel(key);
}

export function batchSegments(
  order: readonly string[], byStatus: Readonly<Record<string, number>>, approvalRejected: number,
): { key: string; status: string; count: number }[] {
  const segments: { key: string; status: string; count: number }[] = [];
  for (const status of order) {
    const count = byStatus[status] ?? 0;
    if (status === "completed" && approvalRejected > 0) {
      segments.push({ key: "completed", status, count: Math.max(count - approvalRejected, 0) });
      segments.push({ key: "approval-rejected", status, count: approvalRejected });
    } else {
      segments.push({ key: status, status, count });
    }
  }
  return segments;
}

/** The flow's latest version when it is newer than the run's and can run (a re-run then
 *  offers it: the run's own version may be the one whose failure it fixes), else null. */
export function newerVersion(
  runVersion: number,
  latest: { number: number; is_valid?: boolean } | null | undefined,
): number | null {
  return latest && latest.is_valid !== false && latest.number > runVersion ? latest.number : null;
}
