// The runs feature's calls to the API, typed from the OpenAPI schema.
import { api, requestJson, unwrap } from "../../lib/api";
import type { components } from "../../lib/api-schema";
import type { FlowIR } from "../../graph";
import type { RunEvent } from "./runState";

type Schemas = components["schemas"];
export type Run = Schemas["RunOutput"];
export type RunDetail = Schemas["RunDetailOutput"];
export type NodeAttempt = Schemas["NodeAttemptOutput"];
export type Batch = Schemas["BatchOutput"];
export type BatchDetail = Schemas["BatchDetailOutput"];
export type Flow = Schemas["FlowOutput"];
export type VersionDetail = Omit<Schemas["VersionDetailOutput"], "ir"> & { ir: FlowIR };
export type RunStatusName = Schemas["RunStatusEnum"];
export type RunAccess = Schemas["RunAccessOutput"];

/** Whether the person sees the run read only: an approver of one of its steps, not its owner. */
export function isReadOnly(run: Pick<Run, "access">): boolean {
  return run.access?.role === "approver";
}

/** Whether a node's inputs, output and error are withheld from the person (they see the
 * nodes up to their step). */
export function isWithheld(run: Pick<Run, "access">, nodeId: string): boolean {
  const shown = run.access?.shown_nodes;
  return !!shown && !shown.includes(nodeId);
}

export interface RunFilters {
  status?: RunStatusName;
  flow?: number;
  created_after?: string;
  batch?: string;
  /** true: only runs with a rejected approval; false: only runs without one. */
  approval_rejected?: boolean;
  limit: number;
  offset: number;
}

export function listRuns(filters: RunFilters) {
  return unwrap(api.GET("/api/v1/runs/", { params: { query: filters } }));
}

/** The run with its node attempts. */
export function getRun(runId: string): Promise<RunDetail> {
  return unwrap(api.GET("/api/v1/runs/{run_id}/", { params: { path: { run_id: runId } } }));
}

/** The run alone (no node attempts): quick to load even for a run of many nodes. */
export function getRunSummary(runId: string): Promise<Run> {
  return unwrap(
    api.GET("/api/v1/runs/{run_id}/", { params: { path: { run_id: runId }, query: { nodes: false } } }),
  ) as Promise<Run>;
}

/** Every stored event after `after`, page by page. */
export async function getEvents(runId: string, after = 0): Promise<{ events: RunEvent[]; status: string }> {
  const events: RunEvent[] = [];
  let status = "";
  for (;;) {
    const page = await unwrap(
      api.GET("/api/v1/runs/{run_id}/events/", {
        params: { path: { run_id: runId }, query: { after, limit: 5000 } },
      }),
    );
    status = page.status;
    events.push(...(page.events as RunEvent[]));
    if (page.events.length < 5000) return { events, status };
    after = page.after;
  }
}

export function cancelRun(runId: string) {
  return unwrap(api.POST("/api/v1/runs/{run_id}/cancel/", { params: { path: { run_id: runId } } }));
}

/** Start a run; `rerunOf` names the run of the same flow it repeats (its page links back). */
export function createRun(flowVersion: number, input: Record<string, unknown>, rerunOf?: string): Promise<RunDetail> {
  const body = { flow_version: flowVersion, input, ...(rerunOf ? { rerun_of: rerunOf } : {}) };
  return unwrap(api.POST("/api/v1/runs/", { body }));
}

export function createBatch(flowVersion: number, inputs: Record<string, unknown>[], concurrency: number): Promise<Batch> {
  return unwrap(api.POST("/api/v1/runs/batch/", { body: { flow_version: flowVersion, inputs, concurrency } }));
}

/** A batch and its progress; `runs: false` leaves out its runs (read them a page at a time
 * with `listRuns({ batch })`: a batch may hold 10,000). */
export function getBatch(batchId: string, { runs = true }: { runs?: boolean } = {}): Promise<BatchDetail> {
  return unwrap(
    api.GET("/api/v1/runs/batch/{batch_id}/", { params: { path: { batch_id: batchId }, query: runs ? {} : { runs: false } } }),
  );
}

export function cancelBatch(batchId: string) {
  return unwrap(api.POST("/api/v1/runs/batch/{batch_id}/cancel/", { params: { path: { batch_id: batchId } } }));
}

export function getFlow(flowId: number): Promise<Flow> {
  return unwrap(api.GET("/api/v1/flows/{flow_id}/", { params: { path: { flow_id: flowId } } }));
}

/** The most recently changed flows, or those whose name or description has `search`: a
 * person may have thousands, so pickers ask the server rather than filter one page. */
export async function listFlows(
  search = "",
  { signal, limit = FLOW_CHOICES }: { signal?: AbortSignal; limit?: number } = {},
): Promise<{ flows: Flow[]; count: number }> {
  const query = { limit, ...(search.trim() ? { search: search.trim() } : {}) };
  const page = await unwrap(api.GET("/api/v1/flows/", { params: { query }, signal }));
  return { flows: page.results, count: page.count };
}

/** How many flows a picker lists at once. */
export const FLOW_CHOICES = 50;

const versionCache = new Map<string, Promise<VersionDetail>>();

/** The version a run executes, read through the run: whoever may see the run may read it
 * (an approver of one of its steps too, who may not open the flow). Fetched once per version. */
export function getRunVersion(runId: string, versionId: number): Promise<VersionDetail> {
  const key = `id:${versionId}`;
  let found = versionCache.get(key);
  if (!found) {
    found = requestJson<VersionDetail>("GET", `/api/v1/runs/${runId}/version/`);
    found.catch(() => versionCache.delete(key));
    versionCache.set(key, found);
  }
  return found;
}

/** A flow version with its IR (versions never change, so each is fetched once). */
export function getVersion(flowId: number, number: number): Promise<VersionDetail> {
  const key = `${flowId}:${number}`;
  let found = versionCache.get(key);
  if (!found) {
    found = requestJson<VersionDetail>("GET", `/api/v1/flows/${flowId}/versions/${number}/`);
    found.catch(() => versionCache.delete(key));
    versionCache.set(key, found);
  }
  return found;
}

/** Start a run of version `number` of flow `flowId` (a re-run on a newer version). */
export function createRunOfVersion(flowId: number, number: number, input: Record<string, unknown>, rerunOf?: string): Promise<RunDetail> {
  const body = { flow: flowId, version: number, input, ...(rerunOf ? { rerun_of: rerunOf } : {}) };
  return unwrap(api.POST("/api/v1/runs/", { body }));
}
