// The designer's calls to the REST API: the flow, its versions, the tool catalogue,
// validation, saving, diffs and refinement.
import { allPages } from "../../lib/allPages";
import { api, requestJson, unwrap } from "../../lib/api";
import type { components } from "../../lib/api-schema";
import type { FlowIR, IrDiff, IrNode, Issue } from "../../graph";

/** An IR as the API documents it (its own JSON Schema); the designer's FlowIR is the same
 *  document as the graph code reads it, so one is given as the other. */
type IrBody = components["schemas"]["IrFlow"];

export type Flow = components["schemas"]["FlowOutput"];
export type Tool = components["schemas"]["ToolOutput"];
export type Category = components["schemas"]["CategoryOutput"];
export type VersionSummary = components["schemas"]["VersionOutput"];
export type VersionDetail = Omit<components["schemas"]["VersionDetailOutput"], "ir"> & { ir: FlowIR };

export async function fetchFlow(flowId: number): Promise<Flow> {
  return unwrap(api.GET("/api/v1/flows/{flow_id}/", { params: { path: { flow_id: flowId } } }));
}

export async function fetchVersion(flowId: number, number: number): Promise<VersionDetail> {
  const version = await unwrap(api.GET("/api/v1/flows/{flow_id}/versions/{number}/", {
    params: { path: { flow_id: flowId, number } },
  }));
  return version as unknown as VersionDetail;
}

export async function fetchVersions(flowId: number): Promise<VersionSummary[]> {
  const page = await unwrap(api.GET("/api/v1/flows/{flow_id}/versions/", {
    params: { path: { flow_id: flowId }, query: { limit: 1000 } },
  }));
  return page.results;
}

export function fetchTools(): Promise<Tool[]> {
  return allPages((offset, limit) => unwrap(api.GET("/api/v1/tools/", { params: { query: { limit, offset } } })));
}

let groupNames: Promise<string[]> | null = null;

/** The names of the groups that exist (fetched once a page load; again after a failure). */
export function fetchGroupNames(): Promise<string[]> {
  groupNames ??= unwrap(api.GET("/api/v1/groups/", { params: { query: { limit: 1000 } } }))
    .then((page) => page.results.map((group) => group.name))
    .catch((error: unknown) => {
      groupNames = null;
      throw error;
    });
  return groupNames;
}

export async function fetchCategories(): Promise<Category[]> {
  const page = await unwrap(api.GET("/api/v1/categories/", { params: { query: { limit: 1000 } } }));
  return page.results;
}

export async function validateIr(ir: FlowIR, signal?: AbortSignal): Promise<{ valid: boolean; errors: Issue[]; warnings: Issue[] }> {
  return unwrap(api.POST("/api/v1/validate/", { body: { ir: ir as unknown as Record<string, unknown> }, signal }));
}

export async function saveVersion(flowId: number, ir: FlowIR, parent?: number | null): Promise<VersionSummary> {
  return unwrap(api.POST("/api/v1/flows/{flow_id}/versions/", {
    params: { path: { flow_id: flowId } },
    body: {
      ir: ir as unknown as IrBody,
      source: "editor",
      ...(parent ? { parent } : {}),
    },
  }));
}

/** Makes a flow of a draft, with `ir` as its version 1. */
export async function createFlow(ir: FlowIR): Promise<{ flowId: number; flowName: string; version: VersionSummary }> {
  const name = ir.name.trim() || "Untitled flow";
  const flow = await unwrap(api.POST("/api/v1/flows/", {
    body: { name, description: ir.description ?? "", ir: ir as unknown as IrBody },
  }));
  const [version] = await fetchVersions(flow.id);
  return { flowId: flow.id, flowName: flow.name, version };
}

type RawDiff = Omit<IrDiff, "changed" | "added"> & {
  added: unknown[];
  changed: { id: string; changes: IrDiff["changed"][string] }[] | IrDiff["changed"];
};

/** The diff with `changed` as a map (the API answers a list of {id, changes}). */
export function normaliseDiff(raw: RawDiff): IrDiff {
  const changed = Array.isArray(raw.changed)
    ? Object.fromEntries(raw.changed.map((entry) => [entry.id, entry.changes]))
    : raw.changed ?? {};
  return {
    added: (raw.added ?? []) as IrNode[],
    removed: raw.removed ?? [],
    changed,
    edges_added: raw.edges_added ?? [],
    edges_removed: raw.edges_removed ?? [],
    flow_changes: raw.flow_changes ?? {},
  };
}

export async function fetchDiff(flowId: number, from: number, to: number): Promise<IrDiff> {
  const raw = await unwrap(api.GET("/api/v1/flows/{flow_id}/versions/{number}/diff/", {
    params: { path: { flow_id: flowId, number: from }, query: { other: to } },
  }));
  return normaliseDiff(raw as unknown as RawDiff);
}

export interface RefineResult {
  status: "succeeded" | "failed";
  operations: unknown[];
  ir: FlowIR | null;
  diff: IrDiff | null;
  error: string | null;
}

export async function refineIr(ir: FlowIR, instruction: string, planner?: string): Promise<RefineResult> {
  const raw = await requestJson<Omit<RefineResult, "diff"> & { diff: RawDiff | null }>(
    "POST",
    "/api/v1/refine/",
    { ir, instruction, ...(planner ? { planner } : {}) },
  );
  return { ...raw, diff: raw.diff ? normaliseDiff(raw.diff) : null };
}
