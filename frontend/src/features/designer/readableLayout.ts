// A freshly laid-out flow folded into rows that fit the canvas (graph/wrap.ts), so it opens
// readable instead of one long row shrunk to fit.
import { NODE_WIDTH, nodeHeight, wrapIntoRows, type FlowEdge, type FlowNode } from "../../graph";

/** `nodes` (all laid out by the automatic layout) folded into rows for a canvas of
 * `width` x `height`; the same nodes when one row shows them as well (or too many of
 * `edges` would cross between rows). */
export function readableLayout(nodes: readonly FlowNode[], edges: readonly FlowEdge[], width: number, height: number): FlowNode[] {
  const boxes = new Map(nodes.map((node) => [node.id, { ...node.position, width: NODE_WIDTH, height: nodeHeight(node.data.node) }]));
  const folded = wrapIntoRows(boxes, edges, width, height);
  if (!folded) return [...nodes];
  return nodes.map((node) => ({ ...node, position: folded.get(node.id) ?? node.position }));
}
