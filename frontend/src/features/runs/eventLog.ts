// The run's event log in words: what each stored event says, one line each, and which
// of them a person looking for a problem wants to see.
import { assigneeNames, formatDuration } from "./format";
import { shortJson } from "./shortJson";
import type { RunEvent } from "./runState";

export type EventTone = "ok" | "fail" | "warn" | "info" | "muted";

export interface EventLine {
  label: string;
  detail: string;
  tone: EventTone;
}

/** The events someone looking for what went wrong wants to see. */
const PROBLEM_TYPES = new Set(["node.failed", "node.retrying", "run.failed", "run.recovered", "run.cancelled"]);

const LABELS: Record<string, string> = {
  "run.started": "Run started",
  "run.suspended": "Run waiting",
  "run.resumed": "Run resumed",
  "run.recovered": "Run recovered",
  "run.completed": "Run completed",
  "run.failed": "Run failed",
  "run.cancelled": "Run cancelled",
  "node.started": "Started",
  "node.output": "Completed",
  "node.failed": "Failed",
  "node.retrying": "Retrying",
  "node.skipped": "Skipped",
};

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function errorText(value: unknown): string {
  if (typeof value === "string") return value;
  const error = record(value);
  const code = typeof error.code === "string" ? error.code : "";
  const message = typeof error.message === "string" ? error.message : "";
  return code && message ? `${code}: ${message}` : code || message || "error";
}

function attemptsNote(attempts: unknown): string {
  return typeof attempts === "number" && attempts > 1 ? ` after ${attempts} attempts` : "";
}

/** An approval step's output: who decided what, with their comment. */
function decisionLine(output: Record<string, unknown>): EventLine {
  const comment = typeof output.comment === "string" && output.comment ? ` — “${output.comment}”` : "";
  if (output.timed_out === true) {
    return { label: output.approved ? "Approved" : "Rejected", detail: `no decision before the deadline${comment}`, tone: "warn" };
  }
  const by = typeof output.by === "string" && output.by ? ` by ${output.by}` : "";
  return output.approved
    ? { label: "Approved", detail: `approved${by}${comment}`, tone: "ok" }
    : { label: "Rejected", detail: `rejected${by}${comment}`, tone: "warn" };
}

function isDecision(output: unknown): output is Record<string, unknown> {
  const o = record(output);
  return typeof o.approved === "boolean" && "by" in o && "timed_out" in o;
}

/** One event in words; `title` names a node as the page does. */
export function describeEvent(event: RunEvent, title: (nodeId: string) => string = (id) => id): EventLine {
  const data = record(event.data);
  const label = LABELS[event.type] ?? event.type;
  switch (event.type) {
    case "run.started":
      return { label, detail: "input" in data ? `input ${shortJson(data.input)}` : "", tone: "info" };
    case "run.suspended": {
      const waiting = Object.entries(record(data.waiting));
      const steps = waiting.map(([id, w]) => `${title(id)} (${assigneeNames(record(w).assignees)})`);
      return { label, detail: steps.length ? `waiting for a decision on ${steps.join(", ")}` : "", tone: "warn" };
    }
    case "run.resumed": {
      const decided = Array.isArray(data.decisions) ? data.decisions.map((id) => title(String(id))) : [];
      return { label, detail: decided.length ? `after the decision on ${decided.join(", ")}` : "", tone: "info" };
    }
    case "run.recovered":
      return { label, detail: "its worker stopped; another went on from the last checkpoints", tone: "warn" };
    case "run.completed":
      return { label, detail: "output" in data ? `result ${shortJson(data.output)}` : "", tone: "ok" };
    case "run.failed": {
      const node = typeof record(data.error).node === "string" ? `${title(String(record(data.error).node))}: ` : "";
      return { label, detail: `${node}${errorText(data.error)}`, tone: "fail" };
    }
    case "run.cancelled":
      return { label, detail: typeof data.reason === "string" ? data.reason : "", tone: "muted" };
    case "node.started":
      if (data.waiting) return { label: "Waiting", detail: `for a decision by ${assigneeNames(data.assignees)}`, tone: "warn" };
      if (typeof data.items === "number") return { label, detail: `${data.items} item${data.items === 1 ? "" : "s"}`, tone: "info" };
      return { label, detail: "inputs" in data ? `inputs ${shortJson(data.inputs)}` : "", tone: "info" };
    case "node.output": {
      if (isDecision(data.output)) return decisionLine(data.output);
      const took = typeof event.duration_ms === "number" ? `${formatDuration(event.duration_ms)}${attemptsNote(data.attempts)} · ` : "";
      // An approver reads what happened past their step, not its values.
      const value = event.data_withheld ? "output not shown to you" : shortJson(data.output);
      return { label, detail: `${took}${value}`, tone: "ok" };
    }
    case "node.failed":
      return { label, detail: `${errorText(data.error)}${attemptsNote(record(data.error).attempts)}`, tone: "fail" };
    case "node.retrying": {
      const attempt = typeof data.attempt === "number" ? `attempt ${data.attempt} failed` : "an attempt failed";
      const delay = typeof data.delay_s === "number" ? `; again in ${formatDuration(data.delay_s * 1000)}` : "";
      return { label, detail: `${attempt} (${errorText(data.error)})${delay}`, tone: "warn" };
    }
    case "node.skipped":
      return { label, detail: typeof data.reason === "string" ? data.reason : "", tone: "muted" };
    default:
      return { label, detail: shortJson(event.data ?? null), tone: "info" };
  }
}

export function isProblem(event: RunEvent): boolean {
  return PROBLEM_TYPES.has(event.type);
}

/** The events to list: all, or only the problems, or only one node's. */
export function filterEvents(
  log: readonly RunEvent[],
  { problemsOnly = false, nodeId = null }: { problemsOnly?: boolean; nodeId?: string | null } = {},
): readonly RunEvent[] {
  if (!problemsOnly && !nodeId) return log;
  return log.filter((event) => (!problemsOnly || isProblem(event)) && (!nodeId || event.node_id === nodeId));
}

/** "+0 ms", "+1.24 s", "+2 m 05 s": when the event happened on the run's clock. */
export function formatOffset(ts: number, t0: number | null): string {
  if (t0 === null) return "";
  return `+${formatDuration(Math.max(0, (ts - t0) * 1000))}`;
}
