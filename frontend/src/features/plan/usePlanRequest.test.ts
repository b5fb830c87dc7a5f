import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PlanRequest } from "./api";
import { usePlanRequest } from "./usePlanRequest";

const PLAN_ID = "7f1c2f2e-0000-4000-8000-000000000001";

function request(overrides: Partial<PlanRequest>): PlanRequest {
  return {
    id: PLAN_ID,
    status: "pending",
    prompt: "validate the email",
    planner: "offline",
    tools: [],
    flow: null,
    resulting_version: null,
    events: [],
    created_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

const EVENTS = [
  { seq: 1, type: "plan.started", data: { planner: "offline", tools: { method: "all", total: 2, kept: [] } } },
  { seq: 2, type: "plan.attempt", data: { attempt: 1, outcome: "valid", latency_ms: 3 } },
  { seq: 3, type: "plan.validated", data: { nodes: 1, cache_hit: false } },
  { seq: 4, type: "plan.completed", data: { attempts: 1, latency_ms: 5 } },
];

/** A WebSocket double: every instance is kept so a test can play the server's part. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  url: string;
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: ((close: { code: number }) => void) | null = null;
  constructor(url: string) {
    this.url = url;
    FakeSocket.instances.push(this);
  }
  close() {}
  send(event: object) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
}

let responses: Array<{ status: number; body: unknown }>;
let calls: Array<{ method: string; url: string; body?: unknown }>;

beforeEach(() => {
  FakeSocket.instances = [];
  calls = [];
  responses = [];
  vi.stubGlobal("WebSocket", FakeSocket);
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ method: init.method ?? "GET", url, body: init.body ? JSON.parse(String(init.body)) : undefined });
      const next = responses.shift() ?? { status: 500, body: { error: { code: "x", message: "no response scripted" } } };
      return new Response(JSON.stringify(next.body), { status: next.status });
    }),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("usePlanRequest", () => {
  it("posts a background plan, follows its socket and reads the outcome", async () => {
    responses.push({ status: 202, body: request({}) });
    responses.push({ status: 200, body: request({ status: "succeeded", flow: 9, resulting_version: 1, events: EVENTS }) });
    const { result } = renderHook(() => usePlanRequest());

    await act(() => result.current.submit({ prompt: "validate the email", tools: ["validate_email"], planner: "offline" }));
    expect(calls[0]).toEqual({
      method: "POST",
      url: "/api/v1/plan/",
      body: { prompt: "validate the email", background: true, tools: ["validate_email"], planner: "offline" },
    });
    expect(result.current.state.phase).toBe("planning");
    const socket = FakeSocket.instances[0];
    expect(socket.url).toMatch(new RegExp(`/ws/plans/${PLAN_ID}/\\?after=0$`));

    act(() => {
      socket.onopen?.();
      EVENTS.slice(0, 2).forEach((event) => socket.send(event));
    });
    expect(result.current.state.progress.attempts).toHaveLength(1);
    expect(result.current.state.phase).toBe("planning");

    act(() => EVENTS.slice(2).forEach((event) => socket.send(event)));
    await waitFor(() => expect(result.current.state.phase).toBe("succeeded"));
    expect(result.current.state.request?.flow).toBe(9);
    expect(calls[1]).toMatchObject({ method: "GET", url: `/api/v1/plan/${PLAN_ID}/` });
  });

  it("polls the request when the socket cannot connect", async () => {
    responses.push({ status: 202, body: request({}) });
    responses.push({ status: 200, body: request({ status: "running", events: EVENTS.slice(0, 1) }) });
    responses.push({
      status: 200,
      body: request({
        status: "failed",
        error: "Could not map step 1",
        events: [
          EVENTS[0],
          { seq: 2, type: "plan.failed", data: { code: "unmapped_step", message: "Could not map step 1", step: "teleport the cat" } },
        ],
      }),
    });
    const { result } = renderHook(() => usePlanRequest());
    await act(() => result.current.submit({ prompt: "teleport the cat" }));
    act(() => FakeSocket.instances[0].onclose?.({ code: 1006 }));
    expect(result.current.state.transport).toBe("polling");

    await waitFor(() => expect(result.current.state.phase).toBe("failed"), { timeout: 3000 });
    expect(calls.filter((call) => call.method === "GET")).toHaveLength(2);
    expect(result.current.state.progress.failure).toMatchObject({ code: "unmapped_step", step: "teleport the cat" });
    expect(result.current.state.progress.started?.planner).toBe("offline");
  });

  it("keeps a refused submission's error", async () => {
    responses.push({ status: 400, body: { error: { code: "planner_unavailable", message: "openai is not configured", details: {} } } });
    const { result } = renderHook(() => usePlanRequest());
    await act(() => result.current.submit({ prompt: "x", planner: "openai" }));
    expect(result.current.state.phase).toBe("failed");
    expect((result.current.state.error as Error).message).toBe("openai is not configured");
    expect(FakeSocket.instances).toHaveLength(0);
  });

  it("finishes at once when the server planned synchronously", async () => {
    responses.push({ status: 201, body: request({ status: "succeeded", flow: 3, resulting_version: 2, events: EVENTS }) });
    const { result } = renderHook(() => usePlanRequest());
    await act(() => result.current.submit({ prompt: "validate the email" }));
    expect(result.current.state.phase).toBe("succeeded");
    expect(result.current.state.progress.completed).not.toBeNull();
    expect(FakeSocket.instances).toHaveLength(0);
  });
});
