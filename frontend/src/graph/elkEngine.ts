// The one ELK of the app session: its web worker takes about a second to load and start,
// so every layout (designer, run page, diff) shares one, and the app warms it while the
// browser is idle on other pages (app/warmLayoutEngine.ts) so the next graph finds it ready.
import ElkApi, { type ELK, type ElkNode } from "elkjs/lib/elk-api";
import elkWorkerUrl from "elkjs/lib/elk-worker.min.js?url";

/** The options of every layout the app asks ELK for (layout.ts). */
export const LAYOUT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.spacing.nodeNode": "32",
  "elk.layered.spacing.nodeNodeBetweenLayers": "72",
  "elk.spacing.edgeNode": "24",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.crossingMinimization.thoroughness": "4",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.edgeRouting": "ORTHOGONAL",
  // The corners keep clear of the handles, which stand a few pixels out of the cards.
  "elk.layered.spacing.edgeNodeBetweenLayers": "20",
  "elk.separateConnectedComponents": "true",
  "elk.spacing.componentComponent": "60",
};

let instance: Promise<ELK> | null = null;
let warmed: Promise<void> | null = null;
/** Whether a real layout has asked for the engine (then it is never stopped). */
let laidOut = false;
/** Whether the warm-up has finished: an idle warm worker costs nothing and is kept. */
let warmDone = false;

function start(): Promise<ELK> {
  instance ??= typeof Worker !== "undefined"
    ? Promise.resolve(new ElkApi({ workerUrl: elkWorkerUrl }))
    : import("elkjs/lib/elk.bundled.js").then((module) => new module.default());
  return instance;
}

/** ELK in a web worker in the browser (the page stays responsive); in-process elsewhere. */
export function elk(): Promise<ELK> {
  laidOut = true;
  return start();
}

/** A small graph with the options and fixed ports real layouts use (a chain that forks and
 * joins): laying it out loads the worker's script and runs, once, the code a real layout
 * runs, so the first real one costs only its own work. */
function warmUpGraph(): ElkNode {
  const port = (node: string, side: "EAST" | "WEST", y: number) => ({
    id: `${node}.${side}`, x: side === "EAST" ? 200 : -1, y, width: 1, height: 1,
    layoutOptions: { "elk.port.side": side },
  });
  const names = ["a", "b", "c", "d", "e", "f"];
  const children = names.map((id) => ({
    id, width: 200, height: 60,
    layoutOptions: { "elk.portConstraints": "FIXED_POS" },
    ports: [port(id, "WEST", 30), port(id, "EAST", 30)],
  }));
  const links = [["a", "b"], ["a", "c"], ["b", "d"], ["c", "d"], ["d", "e"], ["a", "f"]];
  const edges = links.map(([from, to]) => ({ id: `${from}-${to}`, sources: [`${from}.EAST`], targets: [`${to}.WEST`] }));
  return { id: "warm-up", layoutOptions: LAYOUT_OPTIONS, children, edges };
}

/** Starts the shared ELK and lays out a tiny graph once; later calls return the same promise.
 * A failure is left for the real layout to report. */
export function warmLayoutEngine(): Promise<void> {
  if (!warmed) {
    performance.mark("layout-engine:warm-start");
    warmed = start()
      .then((engine) => engine.layout(warmUpGraph()))
      .then(() => {
        warmDone = true;
        performance.mark("layout-engine:warm-end");
      }, () => undefined);
  }
  return warmed;
}

/**
 * Stops the worker while it is still warming up and nothing else has used it: the graph
 * that arrived is drawn without ELK (too big for it), so the worker's start-up gives its
 * core back to that drawing. The next layout that needs ELK starts a new one. Returns
 * whether it stopped one.
 */
export function stopWarmUp(): boolean {
  if (laidOut || warmDone || !instance) return false;
  const stopping = instance;
  instance = null;
  warmed = null;
  // In-process ELK (tests, no Worker) has no worker to stop: it is simply dropped.
  if (typeof Worker !== "undefined") void stopping.then((engine) => engine.terminateWorker());
  performance.mark("layout-engine:warm-stopped");
  return true;
}
