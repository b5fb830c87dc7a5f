// The flows list's calls to the REST API: list, create, import, export, duplicate, delete.
import { api, requestJson, unwrap } from "../../lib/api";
import type { components } from "../../lib/api-schema";

export type FlowOutput = components["schemas"]["FlowOutput"];

export interface LastRun {
  id: string;
  status: string;
  created_at: string;
}

/** A flow as the list shows it; `last_run` arrives with the backend that adds it. */
export type FlowRow = FlowOutput & { last_run?: LastRun | null };

export interface FlowPage {
  count: number;
  results: FlowRow[];
}

export interface FlowQuery {
  search: string;
  owner: string; // a username, or "" for everyone
  limit: number;
  offset: number;
}

export type IrDocument = Record<string, unknown>;

export async function listFlows(query: FlowQuery, signal?: AbortSignal): Promise<FlowPage> {
  const page = await unwrap(
    api.GET("/api/v1/flows/", {
      params: {
        query: {
          limit: query.limit,
          offset: query.offset,
          ...(query.search ? { search: query.search } : {}),
          ...(query.owner ? { owner: query.owner } : {}),
        },
      },
      signal,
    }),
  );
  return { count: page.count, results: page.results as FlowRow[] };
}

export async function createFlow(body: {
  name: string;
  description?: string;
  ir?: IrDocument;
}): Promise<FlowOutput> {
  // A document read from a file or written here: the server parses and validates it.
  return unwrap(api.POST("/api/v1/flows/", { body: { ...body, ir: body.ir as components["schemas"]["IrFlow"] | undefined } }));
}

export async function deleteFlow(flowId: number): Promise<void> {
  await requestJson<void>("DELETE", `/api/v1/flows/${flowId}/`);
}

export async function latestIr(flow: FlowRow): Promise<IrDocument> {
  if (!flow.latest_version) throw new Error(`“${flow.name}” has no version yet.`);
  const version = await unwrap(
    api.GET("/api/v1/flows/{flow_id}/versions/{number}/", {
      params: { path: { flow_id: flow.id, number: flow.latest_version.number } },
    }),
  );
  return version.ir;
}
