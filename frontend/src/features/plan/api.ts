// The plan API as the New flow page uses it: submit a background plan, read the request.
import { requestJson } from "../../lib/api";
import type { components } from "../../lib/api-schema";
import type { PlanEvent } from "./planEvents";

export type Tool = components["schemas"]["ToolOutput"];
export type Category = components["schemas"]["CategoryOutput"];

/** A plan request (GET /api/v1/plan/{id}/); the generated types lag `background` and
 * the pending/running statuses, so it is typed here. */
export interface PlanRequest {
  id: string;
  status: "pending" | "running" | "succeeded" | "failed" | string;
  prompt: string;
  planner: string;
  model?: string;
  tools: string[];
  flow: number | null;
  resulting_version: number | null;
  attempts?: number;
  latency_ms?: number | null;
  cache_hit?: boolean;
  error?: string;
  /** How it was planned, though nothing failed (`llm_unavailable`: planned offline). */
  warnings?: PlanWarning[];
  events: PlanEvent[];
  created_at: string;
  finished_at?: string | null;
}

export type PlanWarning = components["schemas"]["PlanWarningOutput"];

export interface PlanSubmission {
  prompt: string;
  tools?: string[];
  planner?: string;
}

export const TERMINAL_STATUSES = new Set(["succeeded", "failed"]);

export function submitPlan(submission: PlanSubmission): Promise<PlanRequest> {
  const body: Record<string, unknown> = { prompt: submission.prompt, background: true };
  if (submission.tools?.length) body.tools = submission.tools;
  if (submission.planner) body.planner = submission.planner;
  return requestJson<PlanRequest>("POST", "/api/v1/plan/", body);
}

export function getPlan(planId: string): Promise<PlanRequest> {
  return requestJson<PlanRequest>("GET", `/api/v1/plan/${planId}/`);
}

export async function loadTools(): Promise<{ tools: Tool[]; categories: Category[] }> {
  const [tools, categories] = await Promise.all([
    requestJson<{ results: Tool[] }>("GET", "/api/v1/tools/?limit=1000"),
    requestJson<{ results: Category[] }>("GET", "/api/v1/categories/?limit=1000"),
  ]);
  return { tools: tools.results, categories: categories.results };
}
