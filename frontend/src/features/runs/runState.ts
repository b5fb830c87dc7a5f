// The run view's state, reduced from the run's events: one pure function, no React.
// Events are applied strictly in seq order: a duplicate (seq already applied or already
// held) is dropped, and an event that arrives ahead of a gap is held until the gap is
// filled, so any delivery order gives the same state as the stored sequence.

export type NodeStatus =
  | "pending"
  | "running"
  | "completed"
  | "failed"
  | "skipped"
  | "waiting"
  | "cancelled";

export type RunStatus = "pending" | "running" | "suspended" | "completed" | "failed" | "cancelled";

export const NODE_STATUSES: readonly NodeStatus[] = [
  "pending", "running", "waiting", "completed", "failed", "skipped", "cancelled",
];

export const ACTIVE_RUN_STATUSES: ReadonlySet<string> = new Set(["pending", "running"]);
export const FINISHED_RUN_STATUSES: ReadonlySet<string> = new Set(["completed", "failed", "cancelled"]);

/** One event as the events API and the websocket send it. */
export interface RunEvent {
  seq: number;
  type: string;
  ts: number; // unix seconds
  node_id?: string | null;
  data?: unknown;
  elapsed_ms?: number | null;
  duration_ms?: number | null;
  run_id?: string;
  /** The values in `data` are withheld from this reader (an approver, past their step). */
  data_withheld?: boolean;
}

export interface ErrorInfo {
  code?: string;
  message?: string;
  attempts?: number;
  details?: unknown;
  node?: string;
  [key: string]: unknown;
}

export interface RetryInfo {
  attempt: number;
  delayS: number | null;
  error: ErrorInfo | null;
  ts: number;
}

export interface NodeState {
  id: string;
  status: NodeStatus;
  startedAt: number | null; // unix seconds
  finishedAt: number | null;
  durationMs: number | null;
  inputs?: unknown;
  output?: unknown;
  error: ErrorInfo | null;
  attempts: number;
  retries: RetryInfo[];
  /** Map nodes: how many items, and how many are done (all of them once the node ends). */
  items: { total: number; done: number } | null;
  skipReason: string | null;
  context?: unknown;
  /** An approval node: who may decide it ({users, groups}). */
  assignees?: unknown;
  /** How many times the node started (more than once after a worker restart). */
  starts: number;
}

export interface RunState {
  runStatus: RunStatus;
  /** The highest seq applied; everything up to it has been applied, in order. */
  lastSeq: number;
  /** Events received ahead of a gap, by seq. */
  held: ReadonlyMap<number, RunEvent>;
  nodes: Readonly<Record<string, NodeState>>;
  /** Node ids in the order they first started (the timeline's rows). */
  started: readonly string[];
  startedAt: number | null;
  finishedAt: number | null;
  result: unknown;
  error: ErrorInfo | null;
  waiting: Record<string, unknown> | null;
  /** How many events have been applied (for the page's counters). */
  applied: number;
  /** The run lost its worker and another took it over from its checkpoints (the latest
   * `run.recovered`): how many times so far, the most allowed, and when. */
  recovered: { lost: number; limit: number | null; ts: number } | null;
  /** Every applied event, in seq order (the page's event log). */
  log: readonly RunEvent[];
}

export function emptyNode(id: string): NodeState {
  return {
    id,
    status: "pending",
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: null,
    attempts: 0,
    retries: [],
    items: null,
    skipReason: null,
    starts: 0,
  };
}

/** The state before any event: every node of the flow pending. */
export function initialRunState(nodeIds: readonly string[], runStatus: RunStatus = "pending"): RunState {
  const nodes: Record<string, NodeState> = {};
  for (const id of nodeIds) nodes[id] = emptyNode(id);
  return {
    runStatus,
    lastSeq: 0,
    held: new Map(),
    nodes,
    started: [],
    startedAt: null,
    finishedAt: null,
    result: null,
    error: null,
    waiting: null,
    applied: 0,
    recovered: null,
    log: [],
  };
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asError(value: unknown): ErrorInfo | null {
  if (!value) return null;
  if (typeof value === "string") return { message: value };
  return record(value) as ErrorInfo;
}

/**
 * Applies events within one batch: copies the node map and each touched node once, so a
 * burst of thousands of events costs one copy per node, and untouched nodes keep their
 * identity (memoised node components do not re-render).
 */
class Draft {
  private nodes: Record<string, NodeState> | null = null;
  private readonly touched = new Set<string>();
  private started: string[] | null = null;
  readonly next: RunState;

  constructor(private readonly base: RunState) {
    this.next = { ...base };
  }

  node(id: string): NodeState {
    if (!this.nodes) this.nodes = { ...this.base.nodes };
    let node = this.nodes[id];
    if (!this.touched.has(id)) {
      node = node ? { ...node, retries: node.retries } : emptyNode(id);
      this.nodes[id] = node;
      this.touched.add(id);
    }
    return node;
  }

  markStarted(id: string): void {
    const list = this.started ?? this.base.started;
    if (list.includes(id)) return;
    if (!this.started) this.started = [...this.base.started];
    this.started.push(id);
  }

  /** Every node still running (or waiting) when the run ends was stopped. */
  stopUnfinished(statuses: readonly NodeStatus[], ts: number): void {
    for (const [id, node] of Object.entries(this.nodes ?? this.base.nodes)) {
      if (!statuses.includes(node.status)) continue;
      const draft = this.node(id);
      draft.status = "cancelled";
      if (draft.startedAt !== null && draft.finishedAt === null) draft.finishedAt = ts;
    }
  }

  finish(lastSeq: number, held: Map<number, RunEvent>, applied: RunEvent[]): RunState {
    const next = this.next;
    next.lastSeq = lastSeq;
    next.held = held;
    next.applied = this.base.applied + applied.length;
    // One copy of the log per batch, not per event.
    if (applied.length) next.log = this.base.log.concat(applied);
    if (this.nodes) next.nodes = this.nodes;
    if (this.started) next.started = this.started;
    return next;
  }
}

function applyOne(draft: Draft, event: RunEvent): void {
  const data = record(event.data);
  const run = draft.next;
  const nodeId = event.node_id ?? null;
  switch (event.type) {
    case "run.started":
      run.runStatus = "running";
      if (run.startedAt === null) run.startedAt = event.ts;
      return;
    case "run.resumed":
      run.runStatus = "running";
      run.waiting = null;
      if (run.startedAt === null) run.startedAt = event.ts;
      return;
    case "run.recovered":
      run.recovered = {
        lost: typeof data.lost === "number" ? data.lost : (run.recovered?.lost ?? 0) + 1,
        limit: typeof data.limit === "number" ? data.limit : null,
        ts: event.ts,
      };
      return;
    case "run.suspended":
      run.runStatus = "suspended";
      run.waiting = record(data.waiting);
      return;
    case "run.completed":
      run.runStatus = "completed";
      run.result = data.output ?? null;
      run.finishedAt = event.ts;
      run.waiting = null;
      draft.stopUnfinished(["running"], event.ts);
      return;
    case "run.failed":
      run.runStatus = "failed";
      run.error = asError(data.error);
      run.finishedAt = event.ts;
      run.waiting = null;
      draft.stopUnfinished(["running", "waiting"], event.ts);
      return;
    case "run.cancelled":
      run.runStatus = "cancelled";
      run.finishedAt = event.ts;
      run.waiting = null;
      draft.stopUnfinished(["running", "waiting", "pending"], event.ts);
      return;
  }
  if (!nodeId) return;
  if (run.startedAt === null) run.startedAt = event.ts;
  const node = draft.node(nodeId);
  switch (event.type) {
    case "node.started": {
      node.status = data.waiting ? "waiting" : "running";
      node.startedAt = event.ts;
      node.finishedAt = null;
      node.durationMs = null;
      node.starts += 1;
      node.attempts = Math.max(node.attempts, 1);
      if ("inputs" in data) node.inputs = data.inputs;
      if ("context" in data) node.context = data.context;
      if ("assignees" in data) node.assignees = data.assignees;
      if ("prompt" in data) node.inputs = { prompt: data.prompt };
      if (typeof data.items === "number") node.items = { total: data.items, done: 0 };
      draft.markStarted(nodeId);
      return;
    }
    case "node.retrying": {
      const attempt = typeof data.attempt === "number" ? data.attempt : node.retries.length + 1;
      node.retries = [
        ...node.retries,
        {
          attempt,
          delayS: typeof data.delay_s === "number" ? data.delay_s : null,
          error: asError(data.error),
          ts: event.ts,
        },
      ];
      node.attempts = Math.max(node.attempts, attempt + 1);
      if (node.status === "pending") node.status = "running";
      return;
    }
    case "node.output": {
      node.status = "completed";
      node.output = data.output;
      node.error = null;
      if (typeof data.attempts === "number") node.attempts = data.attempts;
      else node.attempts = Math.max(node.attempts, 1);
      finishNode(node, event);
      if (node.items) node.items = { ...node.items, done: node.items.total };
      draft.markStarted(nodeId);
      return;
    }
    case "node.failed": {
      node.status = "failed";
      node.error = asError(data.error);
      if (typeof node.error?.attempts === "number") node.attempts = node.error.attempts;
      else node.attempts = Math.max(node.attempts, 1);
      finishNode(node, event);
      draft.markStarted(nodeId);
      return;
    }
    case "node.skipped":
      node.status = "skipped";
      node.skipReason = typeof data.reason === "string" ? data.reason : null;
      node.finishedAt = event.ts;
      return;
  }
}

function finishNode(node: NodeState, event: RunEvent): void {
  node.finishedAt = event.ts;
  node.durationMs = event.duration_ms ?? (node.startedAt !== null ? (event.ts - node.startedAt) * 1000 : null);
  if (node.startedAt === null) {
    node.startedAt = node.durationMs !== null ? event.ts - node.durationMs / 1000 : event.ts;
  }
}

/** The state after `events` (any order, duplicates allowed). Returns `state` itself when
 * nothing new arrived. */
export function applyEvents(state: RunState, events: readonly RunEvent[]): RunState {
  let held: Map<number, RunEvent> | null = null;
  for (const event of events) {
    if (typeof event?.seq !== "number" || event.seq <= state.lastSeq) continue;
    if ((held ?? state.held).has(event.seq)) continue;
    if (!held) held = new Map(state.held);
    held.set(event.seq, event);
  }
  if (!held) return state;
  let seq = state.lastSeq;
  if (!held.has(seq + 1)) return { ...state, held };
  const draft = new Draft(state);
  const applied: RunEvent[] = [];
  for (let event = held.get(seq + 1); event; event = held.get(seq + 1)) {
    held.delete(seq + 1);
    seq += 1;
    applyOne(draft, event);
    applied.push(event);
  }
  return draft.finish(seq, held, applied);
}

/** Whether events are held back by a missing seq (the page then fetches the gap). */
export function hasGap(state: RunState): boolean {
  return state.held.size > 0;
}

/** Counts of nodes by status. */
export function statusCounts(state: RunState): Record<NodeStatus, number> {
  const counts = Object.fromEntries(NODE_STATUSES.map((s) => [s, 0])) as Record<NodeStatus, number>;
  for (const node of Object.values(state.nodes)) counts[node.status] += 1;
  return counts;
}
