// A freshly laid-out flow folded into rows that fit the canvas (graph/wrap.ts), so it opens
// readable instead of one long row shrunk to fit.
import { NODE_WIDTH, nodeHeight, wrapIntoRows, type FlowEdge, type FlowNode } from "../../graph";

/** The zoom the designer opens a flow at, at least, when the whole flow fits at it. */
export const DESIGNER_MIN_START_ZOOM = 0.5;

/** A flow shown at 80% or more stays at 80% or more when a panel (refine, settings,
 * versions) docks beside the canvas, unless it still fits whole there at that zoom: below
 * it a card's inputs (11px code) no longer read. It then shows its start, the rest a pan
 * away (the minimap shows it), as the run page keeps a small flow beside its details panel. */
export const DESIGNER_READABLE = { keepReadableZoom: 0.8, wholeFlowZoom: 0.8 } as const;

/** `nodes` (all laid out by the automatic layout) folded into rows for a canvas of
 * `width` x `height`; the same nodes when one row shows them as well (or too many of
 * `edges` would cross between rows). */
export function readableLayout(nodes: readonly FlowNode[], edges: readonly FlowEdge[], width: number, height: number): FlowNode[] {
  const boxes = new Map(nodes.map((node) => [node.id, { ...node.position, width: NODE_WIDTH, height: nodeHeight(node.data.node) }]));
  const folded = wrapIntoRows(boxes, edges, width, height);
  if (!folded) return [...nodes];
  return nodes.map((node) => ({ ...node, position: folded.get(node.id) ?? node.position }));
}
