import { describe, expect, it } from "vitest";
import {
  EMPTY_PROGRESS,
  failureOf,
  isFinished,
  outcomeTone,
  progressFromEvents,
  reducePlanEvent,
  type PlanEvent,
} from "./planEvents";

const started: PlanEvent = {
  seq: 1,
  type: "plan.started",
  elapsed_ms: 1.4,
  data: {
    prompt: "validate the email, then send a welcome email",
    planner: "openai",
    model: "gpt-4o-mini",
    tools: { method: "retrieval", total: 47, kept: ["validate_email", "send_welcome_email"] },
  },
};
const invalid: PlanEvent = {
  seq: 2,
  type: "plan.attempt",
  data: {
    attempt: 1,
    outcome: "invalid",
    latency_ms: 812.5,
    usage: { prompt_tokens: 900, completion_tokens: 120, total_tokens: 1020 },
    errors: [
      { code: "unknown_reference", message: "`send.to` reads `lookup`, which is not a node.", node: "send", field: "inputs.to", hint: "Add the node." },
    ],
  },
};
const repaired: PlanEvent = {
  seq: 3,
  type: "plan.attempt",
  data: { attempt: 2, outcome: "valid", latency_ms: 640, usage: { prompt_tokens: 1100, completion_tokens: 140 } },
};
const validated: PlanEvent = {
  seq: 4,
  type: "plan.validated",
  elapsed_ms: 1500,
  data: { nodes: 2, cache_hit: false, sources: { validate_email: "validate the email", junk: 3 } },
};
const completed: PlanEvent = {
  seq: 5,
  type: "plan.completed",
  data: { attempts: 2, cache_hit: false, latency_ms: 1502.2, usage: { total_tokens: 2260 } },
};

describe("reducePlanEvent", () => {
  it("follows a plan through a repair to completion", () => {
    const progress = progressFromEvents([started, invalid, repaired, validated, completed]);
    expect(progress.started).toMatchObject({ planner: "openai", model: "gpt-4o-mini", toolsTotal: 47, toolsMethod: "retrieval" });
    expect(progress.started?.toolsKept).toEqual(["validate_email", "send_welcome_email"]);
    expect(progress.attempts.map((a) => [a.number, a.outcome, a.repair, a.tokens])).toEqual([
      [1, "invalid", 0, 1020],
      [2, "valid", 1, 1240],
    ]);
    expect(progress.attempts[0].issues).toEqual([
      { code: "unknown_reference", message: "`send.to` reads `lookup`, which is not a node.", node: "send", field: "inputs.to", hint: "Add the node.", step: undefined },
    ]);
    expect(progress.validated).toEqual({ nodes: 2, cacheHit: false, sources: { validate_email: "validate the email" }, atMs: 1500 });
    expect(progress.completed).toEqual({ attempts: 2, latencyMs: 1502.2, tokens: 2260, cacheHit: false });
    expect(progress.lastSeq).toBe(5);
    expect(isFinished(progress)).toBe(true);
  });

  it("ignores an event it has already seen and events out of order are sorted", () => {
    const once = reducePlanEvent(reducePlanEvent(EMPTY_PROGRESS, started), invalid);
    expect(reducePlanEvent(once, invalid)).toBe(once);
    expect(reducePlanEvent(once, { ...started, data: { planner: "other" } })).toBe(once);
    const shuffled = progressFromEvents([repaired, started, invalid]);
    expect(shuffled.attempts.map((a) => a.number)).toEqual([1, 2]);
    expect(isFinished(shuffled)).toBe(false);
  });

  it("numbers repairs by the refused drafts before them, not by transport retries", () => {
    const attempt = (seq: number, outcome: string) => ({ seq, type: "plan.attempt", data: { attempt: seq, outcome } });
    const progress = progressFromEvents([
      attempt(1, "rate_limited"),
      attempt(2, "invalid"),
      attempt(3, "timeout"),
      attempt(4, "malformed"),
      attempt(5, "valid"),
    ]);
    expect(progress.attempts.map((a) => a.repair)).toEqual([0, 0, 1, 1, 2]);
  });

  it("skips tokens and unknown events but advances the seq", () => {
    const progress = reducePlanEvent(EMPTY_PROGRESS, { seq: 1, type: "plan.token", data: { text: "{" } });
    expect(progress).toEqual({ ...EMPTY_PROGRESS, lastSeq: 1 });
  });
});

describe("failures", () => {
  it("reads an unmapped step with its candidates", () => {
    const progress = progressFromEvents([
      started,
      {
        seq: 2,
        type: "plan.failed",
        data: {
          code: "unmapped_step",
          message: "Could not map step 1 ('teleport the cat') to a tool.",
          step: "teleport the cat",
          details: { candidates: [{ tool: "fetch_url", score: 0.4 }, "send_email"] },
          attempts: 1,
        },
      },
    ]);
    expect(progress.failure).toEqual({
      code: "unmapped_step",
      message: "Could not map step 1 ('teleport the cat') to a tool.",
      step: "teleport the cat",
      candidates: [{ tool: "fetch_url", score: 0.4 }, { tool: "send_email", score: null }],
      issues: [],
    });
    expect(isFinished(progress)).toBe(true);
  });

  it("reads the validator's issues of a plan that never validated", () => {
    const failure = failureOf({
      code: "invalid_plan",
      message: "No valid plan after 3 attempts.",
      details: [{ code: "cycle", message: "a -> b -> a", node: "a" }],
    });
    expect(failure.issues).toEqual([{ code: "cycle", message: "a -> b -> a", node: "a", field: undefined, hint: undefined, step: undefined }]);
  });

  it("reads an internal failure recorded as {error: {code, message}}", () => {
    expect(failureOf({ error: { code: "internal_error", message: "worker lost" } })).toMatchObject({
      code: "internal_error",
      message: "worker lost",
      step: null,
    });
  });

  it("colours transport retries apart from refused drafts", () => {
    expect(outcomeTone("valid")).toBe("ok");
    expect(outcomeTone("invalid")).toBe("danger");
    expect(outcomeTone("rate_limited")).toBe("warn");
  });
});
