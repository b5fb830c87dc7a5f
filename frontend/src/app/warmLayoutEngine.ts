// When the app starts the layout engine's worker ahead of need. A page that draws a graph
// (the designer, a run) opened first starts it at once, while its code and its flow are
// still loading, so a small graph's layout does not wait ~0.5 s for the worker to load
// afterwards. Other pages start it while the browser is idle, so the next graph finds it ready.
import { useEffect } from "react";
import { useLocation } from "react-router-dom";
import { whenIdle } from "../lib/idle";

/** The designer (/flows/<id>, /flows/<id>/v/<n>) and a run (/runs/<id>) draw graphs. */
export function drawsGraph(pathname: string): boolean {
  return /^\/flows\/(?!new\/?$)[^/]+(\/v\/[^/]+)?\/?$/.test(pathname) || /^\/runs\/[^/]+\/?$/.test(pathname);
}

function warm(): void {
  void import("../graph/elkEngine").then((engine) => engine.warmLayoutEngine());
}

/** Warms the layout engine: at once on a page that draws a graph, when idle on others. */
export function useWarmLayoutEngine(): void {
  const { pathname } = useLocation();
  const graphPage = drawsGraph(pathname);
  useEffect(() => {
    if (!graphPage) return whenIdle(warm);
    warm();
  }, [graphPage]);
}
