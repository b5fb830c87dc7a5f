// When the app starts the layout engine's worker ahead of need: while the browser is idle on
// a page that draws no graph, so the next designer or run page finds it ready. A designer or
// run page opened first starts ELK itself when its graph needs it; starting it earlier there
// was measured to slow a big flow's own loading on a small machine (the worker's start-up
// competes for the cores), and a graph laid out before is drawn from the layout cache
// (graph/layoutCache.ts) without waiting for the worker at all.
import { useEffect } from "react";
import { useLocation } from "react-router-dom";
import { whenIdle } from "../lib/idle";

/** The designer (/flows/<id>, /flows/<id>/v/<n>) and a run (/runs/<id>) draw graphs. */
export function drawsGraph(pathname: string): boolean {
  return /^\/flows\/(?!new\/?$)[^/]+(\/v\/[^/]+)?\/?$/.test(pathname) || /^\/runs\/[^/]+\/?$/.test(pathname);
}

/** Warms the layout engine when idle on the first page that draws no graph. */
export function useWarmLayoutEngine(): void {
  const { pathname } = useLocation();
  const graphPage = drawsGraph(pathname);
  useEffect(() => {
    if (graphPage) return;
    return whenIdle(() => void import("../graph/elkEngine").then((engine) => engine.warmLayoutEngine()));
  }, [graphPage]);
}
