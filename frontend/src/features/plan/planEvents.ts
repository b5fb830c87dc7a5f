// Plan progress as the page shows it, reduced from the plan events
// (plan.started, plan.attempt, plan.validated, plan.completed, plan.failed: docs/planner.md).
// Pure: the same events give the same progress, whatever order or repetition they arrive in.

export interface PlanEvent {
  seq: number;
  type: string;
  ts?: number;
  data?: unknown;
  elapsed_ms?: number | null;
  duration_ms?: number | null;
}

export interface PlanIssue {
  code: string;
  message: string;
  node?: string;
  field?: string;
  hint?: string;
  step?: string;
}

export interface AttemptView {
  number: number;
  outcome: string; // valid, invalid, malformed, refused, rate_limited, server_error, timeout, ...
  latencyMs: number | null;
  tokens: number;
  issues: PlanIssue[];
  retryAfterS: number | null;
  responseFormat: string | null;
  /** The how-manyth repair this attempt is (1, 2, ...): earlier drafts were refused and came
   * back with the issues. 0 when no draft has been refused before it. */
  repair: number;
}

export interface Candidate {
  tool: string;
  score: number | null;
}

export interface PlanFailure {
  code: string;
  message: string;
  step: string | null;
  candidates: Candidate[];
  issues: PlanIssue[];
}

export interface PlanProgress {
  lastSeq: number;
  started: {
    planner: string;
    model: string | null;
    toolsKept: string[];
    toolsTotal: number | null;
    toolsMethod: string | null;
    atMs: number | null;
  } | null;
  attempts: AttemptView[];
  validated: { nodes: number; cacheHit: boolean; sources: Record<string, string>; atMs: number | null } | null;
  completed: { attempts: number; latencyMs: number | null; tokens: number; cacheHit: boolean } | null;
  failure: PlanFailure | null;
}

export const EMPTY_PROGRESS: PlanProgress = {
  lastSeq: 0,
  started: null,
  attempts: [],
  validated: null,
  completed: null,
  failure: null,
};

export const FINAL_EVENTS = new Set(["plan.completed", "plan.failed"]);

type Data = Record<string, unknown>;

function asData(value: unknown): Data {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Data) : {};
}

function str(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function tokensOf(usage: unknown): number {
  const data = asData(usage);
  return num(data.total_tokens) ?? (num(data.prompt_tokens) ?? 0) + (num(data.completion_tokens) ?? 0);
}

export function toIssue(value: unknown): PlanIssue {
  if (typeof value === "string") return { code: "error", message: value };
  const data = asData(value);
  return {
    code: str(data.code) ?? "error",
    message: str(data.message) ?? str(data.code) ?? "Unknown problem",
    node: str(data.node) ?? undefined,
    field: str(data.field) ?? undefined,
    hint: str(data.hint) ?? undefined,
    step: str(data.step) ?? undefined,
  };
}

function candidatesOf(details: unknown): Candidate[] {
  const list = asData(details).candidates;
  if (!Array.isArray(list)) return [];
  return list
    .map((item) =>
      typeof item === "string" ? { tool: item, score: null } : { tool: str(asData(item).tool) ?? "", score: num(asData(item).score) },
    )
    .filter((item) => item.tool);
}

/** The failure a plan.failed event describes; also accepts `{error: {code, message}}`. */
export function failureOf(data: Data): PlanFailure {
  const inner = asData(data.error);
  const source = Object.keys(inner).length ? inner : data;
  const details = source.details ?? data.details;
  const issues = Array.isArray(details) ? details.map(toIssue) : Array.isArray(asData(details).errors) ? (asData(details).errors as unknown[]).map(toIssue) : [];
  return {
    code: str(source.code) ?? "failed",
    message: str(source.message) ?? (typeof data.error === "string" ? data.error : "Planning failed."),
    step: str(source.step) ?? str(data.step),
    candidates: candidatesOf(details),
    issues,
  };
}

function applyEvent(progress: PlanProgress, event: PlanEvent): PlanProgress {
  const data = asData(event.data);
  const atMs = num(event.elapsed_ms);
  switch (event.type) {
    case "plan.started": {
      const tools = asData(data.tools);
      return {
        ...progress,
        started: {
          planner: str(data.planner) ?? "planner",
          model: str(data.model),
          toolsKept: Array.isArray(tools.kept) ? tools.kept.map(String) : [],
          toolsTotal: num(tools.total),
          toolsMethod: str(tools.method),
          atMs,
        },
      };
    }
    case "plan.attempt": {
      const number = num(data.attempt) ?? progress.attempts.length + 1;
      const previous = progress.attempts.filter((attempt) => attempt.number !== number);
      const attempt: AttemptView = {
        number,
        outcome: str(data.outcome) ?? "unknown",
        latencyMs: num(data.latency_ms) ?? num(event.duration_ms),
        tokens: tokensOf(data.usage),
        issues: Array.isArray(data.errors) ? data.errors.map(toIssue) : [],
        retryAfterS: num(data.retry_after_s),
        responseFormat: str(data.response_format),
        repair: previous.filter((earlier) => earlier.number < number && isRefusedDraft(earlier.outcome)).length,
      };
      return { ...progress, attempts: [...previous, attempt].sort((a, b) => a.number - b.number) };
    }
    case "plan.validated": {
      const sources = asData(data.sources);
      return {
        ...progress,
        validated: {
          nodes: num(data.nodes) ?? 0,
          cacheHit: data.cache_hit === true,
          sources: Object.fromEntries(
            Object.entries(sources).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
          ),
          atMs,
        },
      };
    }
    case "plan.completed":
      return {
        ...progress,
        completed: {
          attempts: num(data.attempts) ?? progress.attempts.length,
          latencyMs: num(data.latency_ms) ?? num(event.duration_ms) ?? atMs,
          tokens: tokensOf(data.usage),
          cacheHit: data.cache_hit === true,
        },
      };
    case "plan.failed":
      return { ...progress, failure: failureOf(data) };
    default:
      return progress; // plan.token and anything newer: nothing to show
  }
}

/** Adds one event; an event already seen (by seq) changes nothing. */
export function reducePlanEvent(progress: PlanProgress, event: PlanEvent): PlanProgress {
  if (typeof event.seq === "number" && event.seq <= progress.lastSeq) return progress;
  const next = applyEvent(progress, event);
  return { ...next, lastSeq: typeof event.seq === "number" ? event.seq : progress.lastSeq };
}

/** Progress from a list of events in any order (e.g. a plan request's stored `events`). */
export function progressFromEvents(events: PlanEvent[], start: PlanProgress = EMPTY_PROGRESS): PlanProgress {
  return [...events].sort((a, b) => a.seq - b.seq).reduce(reducePlanEvent, start);
}

export function isFinished(progress: PlanProgress): boolean {
  return progress.completed !== null || progress.failure !== null;
}

const OUTCOME_WORDS: Record<string, string> = {
  valid: "Valid draft",
  invalid: "Draft refused",
  malformed: "Not valid JSON",
  refused: "The model refused",
  rate_limited: "Rate limited",
  server_error: "Server error",
  timeout: "Timed out",
  connection_error: "Connection failed",
  format_unsupported: "Response format not supported",
};

export function outcomeWords(outcome: string): string {
  return OUTCOME_WORDS[outcome] ?? outcome.replace(/_/g, " ");
}

/** A draft came back but was not usable: it goes back to the planner with the issues. */
export function isRefusedDraft(outcome: string): boolean {
  return outcome === "invalid" || outcome === "malformed";
}

/** How the timeline marks an attempt: a good draft, a draft to repair, or a transport retry. */
export function outcomeTone(outcome: string): "ok" | "danger" | "warn" {
  if (outcome === "valid") return "ok";
  if (outcome === "invalid" || outcome === "malformed" || outcome === "refused") return "danger";
  return "warn";
}
