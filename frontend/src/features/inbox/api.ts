// The inbox's calls: my waiting steps, one step, deciding it. Typed from the OpenAPI schema.
import { api, unwrap } from "../../lib/api";
import type { components } from "../../lib/api-schema";

export type Step = components["schemas"]["StepOutput"];
export type StepDetail = components["schemas"]["StepDetailOutput"];
export type Decision = components["schemas"]["DecisionOutput"];
export type GraphNode = components["schemas"]["GraphNodeOutput"];

export interface DecisionRequest {
  approved: boolean;
  data: Record<string, unknown>;
  comment: string;
  inputs?: Record<string, unknown> | null;
}

export type InboxPage = components["schemas"]["PaginatedStepOutputList"];

/** One page of my waiting steps, oldest first (those `search` finds, when given); `count`
 *  counts them all. */
export async function fetchInbox(page: { limit: number; offset: number; search?: string }): Promise<InboxPage> {
  const query = page.search ? page : { limit: page.limit, offset: page.offset };
  return unwrap(api.GET("/api/v1/approvals/", { params: { query } }));
}

export async function fetchStep(runId: string, nodeId: string): Promise<StepDetail> {
  return unwrap(
    api.GET("/api/v1/approvals/{run_id}/{node_id}/", {
      params: { path: { run_id: runId, node_id: nodeId } },
    }),
  );
}

export async function decideStep(
  runId: string,
  nodeId: string,
  body: DecisionRequest,
): Promise<StepDetail> {
  return unwrap(
    api.POST("/api/v1/approvals/{run_id}/{node_id}/", {
      params: { path: { run_id: runId, node_id: nodeId } },
      body: body as components["schemas"]["DecisionInput"],
    }),
  );
}
