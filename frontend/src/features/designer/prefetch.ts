// The designer's data fetched as soon as its address is known: on a first open the router
// starts the flow, its version and the tool catalogue (app/App.tsx) while the designer's
// own code, the biggest part of the app, is still loading and starting (about a third of a
// second on a small machine), instead of after. Light on purpose: this module and what it
// imports load with the app's first page.
import { fetchCategories, fetchTools, type Category, type Tool } from "./api";
import { openFlow, type OpenedFlow } from "./openFlow";

let catalogue: Promise<[Tool[], Category[]]> | null = null;

/** The tool catalogue and its categories, fetched once a page load (again after a failure). */
export function loadCatalogue(): Promise<[Tool[], Category[]]> {
  catalogue ??= Promise.all([fetchTools(), fetchCategories()]).catch((error: unknown) => {
    catalogue = null;
    throw error;
  });
  return catalogue;
}

let designerLoaded = false;
let pending: { key: string; opened: Promise<OpenedFlow> } | null = null;

function keyOf(flowId: number, requested: number | null): string {
  return `${flowId}/${requested ?? "latest"}`;
}

/** Called by the designer's code when it has loaded: from then on it fetches for itself as
 * it mounts, and an early fetch would only be a second one (after a save, say). */
export function designerCodeLoaded(): void {
  designerLoaded = true;
}

/** Starts fetching what the designer at /flows/`flowId`[/v/`version`] opens, unless the
 * designer's code is already here (it then starts as soon as the router renders it). */
export function prefetchDesigner(flowId: string | undefined, version: string | undefined): void {
  if (designerLoaded) return;
  const id = Number(flowId);
  const requested = version === undefined ? null : Number(version);
  if (!Number.isInteger(id) || (requested !== null && !Number.isInteger(requested))) return;
  const opened = openFlow(id, requested);
  opened.catch(() => undefined); // the designer reports it when it takes this
  pending = { key: keyOf(id, requested), opened };
  void loadCatalogue().catch(() => undefined);
}

/** The fetch prefetchDesigner started for this flow and version, once; null otherwise. */
export function takePrefetched(flowId: number, requested: number | null): Promise<OpenedFlow> | null {
  if (!pending || pending.key !== keyOf(flowId, requested)) return null;
  const { opened } = pending;
  pending = null;
  return opened;
}
