// Everything the run page shows, loaded and kept live: the run, its version's IR, and the
// node states reduced from its events (stored ones first, then the websocket's). Live
// events are queued and applied once per animation frame, so a burst costs one render.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../../lib/api";
import { ResumingSocket, type SocketStatus, type StreamEvent } from "../../lib/socket";
import { getEvents, getRun, getRunSummary, getRunVersion, type NodeAttempt, type Run, type VersionDetail } from "./runApi";
import {
  applyEvents,
  FINISHED_RUN_STATUSES,
  hasGap,
  initialRunState,
  type RunEvent,
  type RunState,
  type RunStatus,
} from "./runState";

/** What a missing run (or one the person may not see) says, whatever the API's words. */
export const NOT_FOUND = "This run does not exist, or you may not see it.";

/** At most this many queued events are applied in one frame (the rest in the next ones). */
const EVENTS_PER_FRAME = 20_000;
const FINAL_EVENTS = new Set(["run.completed", "run.failed", "run.cancelled"]);

export interface RunTestHooks {
  /** Feed events as if the socket had sent them. */
  inject(events: RunEvent[]): void;
  state(): RunState | null;
}

declare global {
  interface Window {
    __dynamicflowSocket?: ResumingSocket | null;
    __dynamicflowRun?: RunTestHooks;
  }
}

export interface RunView {
  run: Run | null;
  /** The stored node attempts (inputs, outputs, workers), loaded after the page shows. */
  attempts: NodeAttempt[] | null;
  version: VersionDetail | null;
  state: RunState | null;
  socket: SocketStatus | "idle";
  /** The socket dropped at least once since the page opened. */
  everOffline: boolean;
  error: string | null;
  refreshRun(): void;
}

export function useRunView(runId: string): RunView {
  const [run, setRun] = useState<Run | null>(null);
  const [attempts, setAttempts] = useState<NodeAttempt[] | null>(null);
  const [version, setVersion] = useState<VersionDetail | null>(null);
  const [state, setState] = useState<RunState | null>(null);
  const [socket, setSocket] = useState<SocketStatus | "idle">("idle");
  const [everOffline, setEverOffline] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const queue = useRef<RunEvent[]>([]);
  const frame = useRef<number | null>(null);
  const stateRef = useRef<RunState | null>(null);
  stateRef.current = state;

  const flush = useCallback(() => {
    frame.current = null;
    if (!queue.current.length) return;
    let batch = queue.current;
    if (batch.length > EVENTS_PER_FRAME) {
      queue.current = batch.slice(EVENTS_PER_FRAME);
      batch = batch.slice(0, EVENTS_PER_FRAME);
      frame.current = requestAnimationFrame(flush);
    } else {
      queue.current = [];
    }
    setState((current) => (current ? applyEvents(current, batch) : current));
  }, []);

  const enqueue = useCallback(
    (events: readonly RunEvent[]) => {
      for (const event of events) queue.current.push(event);
      if (frame.current === null) frame.current = requestAnimationFrame(flush);
    },
    [flush],
  );

  const refreshRun = useCallback(() => {
    getRun(runId).then((detail) => {
      setRun(detail);
      setAttempts(detail.nodes);
    }, () => undefined);
  }, [runId]);

  // Load the run, its stored events and its version's IR.
  useEffect(() => {
    let cancelled = false;
    setRun(null);
    setAttempts(null);
    setVersion(null);
    setState(null);
    setError(null);
    queue.current = [];
    (async () => {
      // The run's summary first (its version's IR needs it), the events meanwhile; the node
      // attempts (which grow with the flow) only after the page shows.
      const events = getEvents(runId);
      events.catch(() => undefined); // the summary's refusal is the one reported
      const detail = await getRunSummary(runId);
      const [ver, stored] = await Promise.all([getRunVersion(runId, detail.flow_version), events]);
      if (cancelled) return;
      const ids = (ver.ir.nodes ?? []).map((node) => node.id);
      setRun(detail);
      setVersion(ver);
      setState(applyEvents(initialRunState(ids, detail.status as RunStatus), stored.events));
    })().catch((err: unknown) => {
      if (cancelled) return;
      const missing = err instanceof ApiError && err.status === 404;
      setError(missing ? NOT_FOUND : err instanceof Error ? err.message : String(err));
    });
    return () => {
      cancelled = true;
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [runId]);

  const loaded = state !== null;
  const finished = state !== null && FINISHED_RUN_STATUSES.has(state.runStatus);

  // Follow the live stream once loaded, from the last stored event on.
  useEffect(() => {
    if (!loaded || finished) return;
    const resumeAt = stateRef.current?.lastSeq ?? 0;
    let dropped = false;
    const ws = new ResumingSocket({
      path: `/ws/runs/${runId}/`,
      after: resumeAt,
      onEvent: (event: StreamEvent) => {
        const received = event as unknown as RunEvent & { data_omitted?: boolean };
        // Too big for the socket (a large node output): read it, and what follows, from the API.
        if (received.data_omitted) getEvents(runId, received.seq - 1).then((page) => enqueue(page.events), () => enqueue([received]));
        else enqueue([received]);
      },
      onStatus: (status) => {
        // Between a drop and the next open the page stays "offline": the retry's
        // "connecting" is still a reconnect, not a fresh start.
        if (status === "offline") dropped = true;
        if (status === "open") dropped = false;
        setSocket(dropped && status === "connecting" ? "offline" : status);
        if (status === "offline") setEverOffline(true);
      },
      isFinal: (event) => FINAL_EVENTS.has(event.type),
    });
    window.__dynamicflowSocket = ws;
    return () => {
      ws.close();
      if (window.__dynamicflowSocket === ws) window.__dynamicflowSocket = null;
    };
    // The socket lives from load until the run finishes; not per state change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, finished, runId, enqueue]);

  // Events held behind a gap: fetch the missing ones from the events API.
  const gap = state !== null && hasGap(state);
  const lastSeq = state?.lastSeq ?? 0;
  useEffect(() => {
    if (!gap) return;
    const timer = setTimeout(() => {
      getEvents(runId, lastSeq).then((page) => enqueue(page.events), () => undefined);
    }, 400);
    return () => clearTimeout(timer);
  }, [gap, lastSeq, runId, enqueue]);

  // The run's stored record (result, error, attempts, workers) again when its status moves.
  const runStatus = state?.runStatus;
  useEffect(() => {
    if (runStatus && run && runStatus !== run.status) refreshRun();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runStatus]);

  // A running run's worker renews its lease twice a second: read the run again when the lease
  // it showed runs out (every 5 s while it stays out), to tell a stopped worker from a stale
  // copy of the run.
  const lease = run?.lease_expires_at ?? null;
  useEffect(() => {
    if (runStatus !== "running" || !lease) return;
    const due = Date.parse(lease) - Date.now();
    const timer = setTimeout(() => {
      getRunSummary(runId).then(setRun, () => undefined);
    }, Math.max(due + 1000, 5000));
    return () => clearTimeout(timer);
  }, [runStatus, lease, run, runId]);

  useEffect(() => {
    window.__dynamicflowRun = { inject: enqueue, state: () => stateRef.current };
    return () => {
      delete window.__dynamicflowRun;
    };
  }, [enqueue]);

  // The node attempts, once the page has been drawn (they grow with the flow and are only
  // needed for node details).
  useEffect(() => {
    if (!loaded) return;
    const timer = setTimeout(refreshRun, 400);
    return () => clearTimeout(timer);
  }, [loaded, refreshRun]);

  return { run, attempts, version, state, socket, everOffline, error, refreshRun };
}

/** The current time, ticking while `active` (for running durations). */
export function useNow(active: boolean, everyMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    // At once too: the time kept from before (the page loading) would show a running
    // duration as 0 until the first tick.
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
  return now;
}
