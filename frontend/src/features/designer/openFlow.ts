// What the designer needs to open a flow: the flow and the version to edit, fetched side by
// side. The version is the one in the address or, at /flows/<id>, the latest this browser
// last saw (lib/latestVersion), else version 1 (every flow fresh from planning has only
// that one); the flow's answer says whether the guess was right, and only a wrong guess
// costs a second round trip.
import { latestVersionHint, rememberLatestVersion } from "../../lib/latestVersion";
import { fetchFlow, fetchVersion, type Flow, type VersionDetail } from "./api";

export interface OpenedFlow {
  flow: Flow;
  /** The version being edited (null: the flow has none yet). */
  number: number | null;
  version: VersionDetail | null;
}

export interface OpenFlowDeps {
  fetchFlow: (flowId: number) => Promise<Flow>;
  fetchVersion: (flowId: number, number: number) => Promise<VersionDetail>;
  hint: (flowId: number) => number | null;
}

/** The guess with nothing remembered: a flow's first version. */
const FIRST_VERSION = 1;

const DEFAULT_DEPS: OpenFlowDeps = { fetchFlow, fetchVersion, hint: latestVersionHint };

/** The flow and version `requested` (null: its latest). Errors of the flow's fetch, or of
 * the version asked for, are thrown; a wrong guess's error is not. */
export async function openFlow(flowId: number, requested: number | null, deps: OpenFlowDeps = DEFAULT_DEPS): Promise<OpenedFlow> {
  const guess = requested ?? deps.hint(flowId) ?? FIRST_VERSION;
  const early = deps.fetchVersion(flowId, guess);
  // Awaited below only if it is the one wanted; until then a refusal is not unhandled.
  early.catch(() => undefined);
  const flow = await deps.fetchFlow(flowId);
  rememberLatestVersion(flowId, flow.latest_version?.number);
  const number = requested ?? flow.latest_version?.number ?? null;
  if (number === null) return { flow, number, version: null };
  const version = number === guess ? await early : await deps.fetchVersion(flowId, number);
  return { flow, number, version };
}
