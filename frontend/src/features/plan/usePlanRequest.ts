// One plan, from submission to its outcome: POST it to run in the background, follow its
// events over /ws/plans/<id>/ (a ResumingSocket), and when the socket cannot be used, poll
// the request every 500 ms instead. Ends with the request as stored (status, flow, version).
import { useCallback, useEffect, useReducer, useRef } from "react";
import { ResumingSocket, type SocketStatus } from "../../lib/socket";
import { getPlan, submitPlan, TERMINAL_STATUSES, type PlanRequest, type PlanSubmission } from "./api";
import {
  EMPTY_PROGRESS,
  FINAL_EVENTS,
  progressFromEvents,
  type PlanEvent,
  type PlanProgress,
} from "./planEvents";

export const POLL_MS = 500;

export type PlanPhase = "idle" | "submitting" | "planning" | "succeeded" | "failed";

export interface PlanState {
  phase: PlanPhase;
  planId: string | null;
  progress: PlanProgress;
  request: PlanRequest | null;
  /** The submission was refused (an ApiError) or the request could not be read. */
  error: unknown;
  transport: "socket" | "polling" | null;
  socketStatus: SocketStatus | null;
}

type Action =
  | { type: "submit" }
  | { type: "accepted"; request: PlanRequest }
  | { type: "events"; events: PlanEvent[] }
  | { type: "transport"; transport: "socket" | "polling" }
  | { type: "socket"; status: SocketStatus }
  | { type: "finished"; request: PlanRequest }
  | { type: "error"; error: unknown }
  | { type: "reset" };

const INITIAL: PlanState = {
  phase: "idle",
  planId: null,
  progress: EMPTY_PROGRESS,
  request: null,
  error: null,
  transport: null,
  socketStatus: null,
};

export function planReducer(state: PlanState, action: Action): PlanState {
  switch (action.type) {
    case "submit":
      return { ...INITIAL, phase: "submitting" };
    case "accepted":
      return {
        ...state,
        phase: "planning",
        planId: action.request.id,
        request: action.request,
        progress: progressFromEvents(action.request.events ?? [], state.progress),
      };
    case "events":
      return { ...state, progress: progressFromEvents(action.events, state.progress) };
    case "transport":
      return { ...state, transport: action.transport };
    case "socket":
      return { ...state, socketStatus: action.status };
    case "finished":
      return {
        ...state,
        phase: action.request.status === "succeeded" ? "succeeded" : "failed",
        request: action.request,
        progress: progressFromEvents(action.request.events ?? [], state.progress),
      };
    case "error":
      return { ...state, phase: "failed", error: action.error };
    case "reset":
      return INITIAL;
  }
}

export function usePlanRequest(): {
  state: PlanState;
  submit: (submission: PlanSubmission) => Promise<void>;
  resume: (planId: string) => Promise<void>;
  reset: () => void;
} {
  const [state, dispatch] = useReducer(planReducer, INITIAL);
  const socket = useRef<ResumingSocket | null>(null);
  const pollTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const active = useRef<string | null>(null); // the plan being followed; null once it is done

  const stop = useCallback(() => {
    active.current = null;
    socket.current?.close();
    socket.current = null;
    if (pollTimer.current) clearTimeout(pollTimer.current);
    pollTimer.current = null;
  }, []);

  useEffect(() => stop, [stop]);

  const finish = useCallback(
    (request: PlanRequest) => {
      if (active.current !== request.id) return;
      stop();
      dispatch({ type: "finished", request });
    },
    [stop],
  );

  /** Reads the request until it is finished: after the final event (the outcome is
   * committed before that event is sent, so one read is usually enough) or as the fallback. */
  const poll = useCallback(
    (planId: string) => {
      if (active.current !== planId || pollTimer.current) return;
      const tick = async () => {
        pollTimer.current = null;
        if (active.current !== planId) return;
        try {
          const request = await getPlan(planId);
          if (active.current !== planId) return;
          dispatch({ type: "events", events: request.events ?? [] });
          if (TERMINAL_STATUSES.has(request.status)) {
            finish(request);
            return;
          }
        } catch (error) {
          if (active.current !== planId) return;
          if (!(error instanceof TypeError)) {
            stop();
            dispatch({ type: "error", error });
            return;
          } // a network blip: try again
        }
        pollTimer.current = setTimeout(tick, POLL_MS);
      };
      pollTimer.current = setTimeout(tick, 0);
    },
    [finish, stop],
  );

  const follow = useCallback(
    (request: PlanRequest) => {
      const planId = request.id;
      active.current = planId;
      if (typeof WebSocket === "undefined") {
        dispatch({ type: "transport", transport: "polling" });
        poll(planId);
        return;
      }
      dispatch({ type: "transport", transport: "socket" });
      const fallBack = () => {
        if (active.current !== planId || pollTimer.current) return;
        dispatch({ type: "transport", transport: "polling" });
        poll(planId);
      };
      // A socket that has not opened within 3 s is as good as failed.
      const openTimer = setTimeout(fallBack, 3000);
      socket.current = new ResumingSocket({
        path: `/ws/plans/${planId}/`,
        after: 0,
        onEvent: (event) => {
          dispatch({ type: "events", events: [event as PlanEvent] });
          if (FINAL_EVENTS.has(event.type)) poll(planId);
        },
        onStatus: (status) => {
          dispatch({ type: "socket", status });
          if (status === "open") clearTimeout(openTimer);
          if (status === "offline" || status === "closed") {
            clearTimeout(openTimer);
            fallBack();
          }
        },
        isFinal: (event) => FINAL_EVENTS.has(event.type),
      });
    },
    [poll],
  );

  const submit = useCallback(
    async (submission: PlanSubmission) => {
      stop();
      dispatch({ type: "submit" });
      try {
        const request = await submitPlan(submission);
        dispatch({ type: "accepted", request });
        active.current = request.id;
        if (TERMINAL_STATUSES.has(request.status)) finish(request); // planned at once
        else follow(request);
      } catch (error) {
        dispatch({ type: "error", error });
      }
    },
    [finish, follow, stop],
  );

  /** Picks up a plan request made earlier (e.g. before a reload): shows where it stands and
   * follows it when it is still running. */
  const resume = useCallback(
    async (planId: string) => {
      stop();
      dispatch({ type: "submit" });
      try {
        const request = await getPlan(planId);
        dispatch({ type: "accepted", request });
        active.current = request.id;
        if (TERMINAL_STATUSES.has(request.status)) finish(request);
        else follow(request);
      } catch (error) {
        dispatch({ type: "error", error });
      }
    },
    [finish, follow, stop],
  );

  const reset = useCallback(() => {
    stop();
    dispatch({ type: "reset" });
  }, [stop]);

  return { state, submit, resume, reset };
}
