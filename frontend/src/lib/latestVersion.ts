// The number of each flow's latest version as this browser last saw it (on the flows list,
// after planning, in the designer). The designer opened at /flows/<id> fetches that version
// beside the flow itself instead of after it; the flow's answer says whether the guess was
// right (else the right version is fetched then). Kept in memory and in localStorage.
const KEY = "dynamicflow:latest-versions";
/** Flows remembered (the most recently seen): a few kilobytes. */
export const HINTS_KEPT = 200;

let hints: Map<number, number> | null = null;

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

function load(): Map<number, number> {
  if (hints) return hints;
  hints = new Map();
  try {
    const stored = JSON.parse(storage()?.getItem(KEY) ?? "[]") as unknown;
    if (Array.isArray(stored)) {
      for (const entry of stored) {
        if (Array.isArray(entry) && Number.isInteger(entry[0]) && Number.isInteger(entry[1])) hints.set(entry[0], entry[1]);
      }
    }
  } catch {
    // unreadable: start afresh
  }
  return hints;
}

/** Remembers that flow `flowId`'s latest version is `number` (null: it has none). */
export function rememberLatestVersion(flowId: number, number: number | null | undefined): void {
  rememberLatestVersions([[flowId, number]]);
}

/** Several at once (a page of the flows list): one write to storage. */
export function rememberLatestVersions(entries: Iterable<readonly [number, number | null | undefined]>): void {
  const known = load();
  let changed = false;
  for (const [flowId, number] of entries) {
    if (known.get(flowId) === number) continue;
    known.delete(flowId); // re-inserted last: the most recently seen
    if (typeof number === "number") known.set(flowId, number);
    changed = true;
  }
  if (!changed) return;
  while (known.size > HINTS_KEPT) known.delete(known.keys().next().value!);
  try {
    storage()?.setItem(KEY, JSON.stringify([...known]));
  } catch {
    // over the storage quota: kept in memory only
  }
}

/** The latest version of `flowId` this browser last saw, if any. */
export function latestVersionHint(flowId: number): number | null {
  return load().get(flowId) ?? null;
}

/** Forgets what is in memory (tests: as a new page load would). */
export function forgetLatestVersionsInMemory(): void {
  hints = null;
}
