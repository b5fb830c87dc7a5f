// Automatic layout: ELK's layered algorithm, left to right. Nodes that already have a
// saved position keep it unless a full re-layout is asked for; new nodes are laid out with
// the rest and moved clear of the saved ones.
import type { ElkNode } from "elkjs/lib/elk-api";
import type { FlowEdge, FlowNode } from "./convert";
import { elk, LAYOUT_OPTIONS, stopWarmUp } from "./elkEngine";
import { NODE_WIDTH, nodeHeight } from "./geometry";
import { layeredLayout } from "./layered";
import { cachedLayout, keepLayout } from "./layoutCache";
import type { EdgeRoute } from "./routes";
import type { Position } from "./types";

/** Above this many nodes the built-in layered layout replaces ELK (seconds -> milliseconds). */
export const ELK_MAX_NODES = 120;

/** Told how many nodes the graph about to be drawn has: one that ELK will not lay out stops
 * a layout worker that is only warming up, so its start-up does not slow that drawing. */
export function graphArriving(nodeCount: number): void {
  if (nodeCount > ELK_MAX_NODES) stopWarmUp();
}

export interface LayoutOptions {
  /** Lay out every node, saved positions included. */
  force?: boolean;
  /** "auto" (default): ELK up to ELK_MAX_NODES nodes, the fast layered layout above. */
  engine?: "auto" | "elk" | "layered";
}

function sizeOf(node: FlowNode): { width: number; height: number } {
  return {
    width: node.measured?.width ?? NODE_WIDTH,
    height: node.measured?.height ?? nodeHeight(node.data.node),
  };
}

/** The nodes with positions: ELK's for unplaced nodes (or all with `force`), saved otherwise. */
export async function layoutGraph(
  nodes: readonly FlowNode[],
  edges: readonly FlowEdge[],
  options: LayoutOptions = {},
): Promise<FlowNode[]> {
  const needs = options.force ? nodes : nodes.filter((node) => !node.data.placed);
  if (needs.length === 0) return [...nodes];
  const laid = usesElk(nodes, options) ? await elkPositions(nodes, edges) : layeredPositions(nodes, edges);
  return placeLaid(nodes, laid, options.force ?? false);
}

/** What can be drawn at once: `final` when it is the layout layoutGraph would give. */
export interface ImmediateLayout {
  nodes: FlowNode[];
  final: boolean;
  /** edgeRoutes' answer when it is at hand without ELK's worker (kept from an earlier run,
   * or none for a graph too big for ELK); undefined when only the worker can give it. */
  routes?: Record<string, EdgeRoute>;
}

/**
 * The layout to draw without waiting for ELK's worker (which takes a second or more to
 * start on a first open): ELK's own answer when this tab or browser has it, the layered
 * layout when the graph is too big for ELK anyway, and otherwise the layered layout as a
 * stand-in (`final` false) until layoutGraph's answer replaces it.
 */
export function immediateLayout(
  nodes: readonly FlowNode[],
  edges: readonly FlowEdge[],
  options: LayoutOptions = {},
): ImmediateLayout {
  const needs = options.force ? nodes : nodes.filter((node) => !node.data.placed);
  const big = nodes.length === 0 || nodes.length > ELK_MAX_NODES;
  const known = big ? null : knownElkLayout(nodes, edges);
  const routes = big ? {} : known?.routes;
  if (needs.length === 0) return { nodes: [...nodes], final: true, routes };
  const force = options.force ?? false;
  if (!usesElk(nodes, options)) return { nodes: placeLaid(nodes, layeredPositions(nodes, edges), force), final: true, routes };
  if (known) return { nodes: placeLaid(nodes, known.positions, force), final: true, routes };
  return { nodes: placeLaid(nodes, layeredPositions(nodes, edges), force), final: false };
}

function usesElk(nodes: readonly FlowNode[], options: LayoutOptions): boolean {
  const engine = options.engine ?? "auto";
  return engine === "elk" || (engine === "auto" && nodes.length <= ELK_MAX_NODES);
}

/** The nodes at `laid`; with some nodes saved (and no `force`), the others go to their right. */
function placeLaid(nodes: readonly FlowNode[], laid: Map<string, Position>, force: boolean): FlowNode[] {
  const placed = nodes.filter((node) => node.data.placed);
  if (force || placed.length === 0) {
    return nodes.map((node) => withPosition(node, laid.get(node.id)!));
  }
  // Some nodes keep their place: put the new ones to the right of everything saved.
  const right = Math.max(...placed.map((node) => node.position.x + sizeOf(node).width));
  const top = Math.min(...placed.map((node) => node.position.y));
  const fresh = nodes.filter((node) => !node.data.placed).map((node) => laid.get(node.id)!);
  const minX = Math.min(...fresh.map((p) => p.x));
  const minY = Math.min(...fresh.map((p) => p.y));
  return nodes.map((node) => {
    if (node.data.placed) return node;
    const p = laid.get(node.id)!;
    return withPosition(node, { x: right + 72 + (p.x - minX), y: top + (p.y - minY) });
  });
}

function withPosition(node: FlowNode, position: { x: number; y: number }): FlowNode {
  return { ...node, position: { x: Math.round(position.x), y: Math.round(position.y) } };
}

/** ELK's id for one of a node's handles. */
function portId(nodeId: string, handle: string): string {
  return `${nodeId}\u0000${handle}`;
}

/**
 * A node as ELK sees it: each handle a port fixed where the card draws it (the input on
 * the left, the output or a branch's then/else and a switch's cases on the right, at their
 * rows). The layout then puts each arm's target level with its row instead of crossing the
 * arms over, and the edge routes start and end exactly at the handles.
 */
export function elkNode(node: FlowNode): ElkNode {
  const size = sizeOf(node);
  const handles = (node.handles ?? []).filter((handle) => handle.id);
  if (handles.length === 0) return { id: node.id, ...size };
  const ordered = [...handles].sort((a, b) => a.y - b.y);
  return {
    id: node.id,
    ...size,
    layoutOptions: { "elk.portConstraints": "FIXED_POS" },
    ports: ordered.map((handle) => {
      const source = handle.type === "source";
      return {
        id: portId(node.id, handle.id!),
        x: source ? size.width : -1,
        y: Math.min(size.height - 1, handle.y + (handle.height ?? 0) / 2 - 0.5),
        width: 1,
        height: 1,
        layoutOptions: { "elk.port.side": source ? "EAST" : "WEST" },
      };
    }),
  };
}

interface ElkResult {
  positions: Map<string, Position>;
  routes: Record<string, EdgeRoute>;
}

/** The last few ELK runs by their input: a layout and the routes of the same graph (asked
 * for together on load) cost one run. Across page loads, layoutCache.ts keeps them. */
const elkRuns = new Map<string, Promise<ElkResult>>();
/** The same runs' answers once they have come, for a caller that cannot wait. */
const elkAnswers = new Map<string, ElkResult>();
const ELK_RUNS_KEPT = 8;

/** ELK's layout of this graph if this tab or browser already has it; null otherwise. */
function knownElkLayout(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): ElkResult | null {
  const key = JSON.stringify(elkGraph(nodes, edges));
  return elkAnswers.get(key) ?? cachedLayout(key);
}

function elkLayout(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): Promise<ElkResult> {
  const graph = elkGraph(nodes, edges);
  const key = JSON.stringify(graph);
  const known = elkRuns.get(key);
  if (known) return known;
  // Laid out before in this browser: ELK's own answer, without waiting for its worker.
  const cached = cachedLayout(key);
  const run = cached
    ? Promise.resolve(cached)
    : runElk(graph).then((result) => {
        keepLayout(key, result);
        return result;
      });
  elkRuns.set(key, run);
  run.then(
    (result) => {
      elkAnswers.set(key, result);
      if (elkAnswers.size > ELK_RUNS_KEPT) elkAnswers.delete(elkAnswers.keys().next().value!);
    },
    () => elkRuns.delete(key),
  );
  if (elkRuns.size > ELK_RUNS_KEPT) elkRuns.delete(elkRuns.keys().next().value!);
  return run;
}

function elkGraph(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): ElkNode {
  const ids = new Set(nodes.map((node) => node.id));
  const children = nodes.map(elkNode);
  const ports = new Set(children.flatMap((child) => (child.ports ?? []).map((port) => port.id)));
  const end = (nodeId: string, handle: string | null | undefined, fallback: string) => {
    const port = portId(nodeId, handle ?? fallback);
    return ports.has(port) ? port : nodeId;
  };
  const graph: ElkNode = {
    id: "root",
    layoutOptions: LAYOUT_OPTIONS,
    children,
    edges: edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge) => ({
        id: edge.id,
        sources: [end(edge.source, edge.sourceHandle, "out")],
        targets: [end(edge.target, edge.targetHandle, "in")],
      })),
  };
  return graph;
}

async function runElk(graph: ElkNode): Promise<ElkResult> {
  // ELK writes its results into the graph it is given: lay out a copy.
  const result = await (await elk()).layout(structuredClone(graph));
  const positions = new Map((result.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
  const routes: Record<string, EdgeRoute> = {};
  const owner = (end: string) => end.split("\u0000")[0];
  for (const laid of result.edges ?? []) {
    const section = laid.sections?.length === 1 ? laid.sections[0] : undefined;
    const source = positions.get(owner(laid.sources[0]));
    const target = positions.get(owner(laid.targets[0]));
    if (!section || !source || !target) continue;
    routes[laid.id] = {
      start: section.startPoint,
      end: section.endPoint,
      bends: section.bendPoints ?? [],
      source,
      target,
    };
  }
  return { positions, routes };
}

async function elkPositions(nodes: readonly FlowNode[], edges: readonly FlowEdge[]) {
  return (await elkLayout(nodes, edges)).positions;
}

/**
 * ELK's orthogonal route for each edge, as if every node were laid out afresh: right for
 * nodes where a layout put them (placeRoute checks that), none above ELK_MAX_NODES.
 */
export async function edgeRoutes(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): Promise<Record<string, EdgeRoute>> {
  if (nodes.length === 0 || nodes.length > ELK_MAX_NODES) return {};
  return (await elkLayout(nodes, edges)).routes;
}

function layeredPositions(nodes: readonly FlowNode[], edges: readonly FlowEdge[]) {
  return layeredLayout(nodes.map((node) => ({ id: node.id, ...sizeOf(node) })), edges);
}
