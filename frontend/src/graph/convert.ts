// IR <-> React Flow: one node per IR node, edges from the dependencies (data references,
// `after`, arms). The graph is a view: graphToIr writes positions back and nothing else.
import type { Edge, Node } from "@xyflow/react";
import { dependencies, orderedThrough, type Dependency, type EdgeKind } from "./dependencies";
import { NODE_WIDTH, nodeHandles, nodeHeight } from "./geometry";
import type { FlowIR, IrNode, Position } from "./types";

export interface FlowNodeData extends Record<string, unknown> {
  node: IrNode;
  /** Whether the IR holds a position for the node (else layout places it). */
  placed: boolean;
  /** A view's mark for the node: a diff status ("added", "changed", "removed") or a run status. */
  status?: string;
}

export interface FlowEdgeData extends Record<string, unknown> {
  kind: EdgeKind;
  arm?: string;
}

export type FlowNode = Node<FlowNodeData, "flowNode">;
export type FlowEdge = Edge<FlowEdgeData>;

export const SOURCE_HANDLE = "out";
export const TARGET_HANDLE = "in";

/** The label of an arm edge: "then", "else", the case key or "default". The branch's
 * condition is on its card: on the edge it ran over the nodes beside it. */
export function armLabel(arm: string): string {
  const label = arm.startsWith("case:") ? arm.slice(5) : arm;
  // A long case key is on its card's row in full; on the edge, between two columns of
  // cards, it would run over both.
  return label.length > MAX_ARM_LABEL ? `${label.slice(0, MAX_ARM_LABEL - 1)}…` : label;
}

/** The longest arm label drawn on an edge, in characters. */
export const MAX_ARM_LABEL = 12;

export function edgeId(kind: EdgeKind, from: string, to: string, arm?: string): string {
  return arm ? `${kind}:${from}:${arm}->${to}` : `${kind}:${from}->${to}`;
}

const EDGE_PRIORITY: Record<EdgeKind, number> = { arm: 0, after: 1, data: 2 };

/** The edges of the flow: arms, then one edge per remaining pair (`after` over data), but
 * not an `after` alone that other dependencies imply. */
export function irEdges(ir: FlowIR): FlowEdge[] {
  const deps = dependencies(ir);
  const pair = (from: string, to: string) => `${from}\u0000${to}`;
  const armed = new Set(deps.filter((dep) => dep.kind === "arm").map((dep) => pair(dep.from, dep.to)));
  const hasData = new Set(deps.filter((dep) => dep.kind === "data").map((dep) => pair(dep.from, dep.to)));
  const kept = new Map<string, Dependency>();
  const arms: Dependency[] = [];
  for (const dep of deps) {
    if (dep.kind === "arm") {
      arms.push(dep);
      continue;
    }
    const key = pair(dep.from, dep.to);
    if (armed.has(key)) continue;
    const current = kept.get(key);
    if (!current || EDGE_PRIORITY[dep.kind] < EDGE_PRIORITY[current.kind]) kept.set(key, dep);
  }
  // An `after` that a chain of other dependencies already implies is not drawn: such edges
  // (planners write them) would only loop around the cards of that chain.
  const drawn = [...kept.values()].filter((dep) => dep.kind !== "after" || hasData.has(pair(dep.from, dep.to)) || orderedThrough(ir, dep.from, dep.to) === null);
  return [...arms, ...drawn].map((dep) => {
    const edge: FlowEdge = {
      id: edgeId(dep.kind, dep.from, dep.to, dep.arm),
      source: dep.from,
      target: dep.to,
      sourceHandle: dep.kind === "arm" ? dep.arm! : SOURCE_HANDLE,
      targetHandle: TARGET_HANDLE,
      data: { kind: dep.kind, arm: dep.arm },
      className: `edge-${dep.kind}`,
      deletable: dep.kind !== "data",
    };
    if (dep.kind === "arm") edge.label = armLabel(dep.arm!);
    return edge;
  });
}

const nodeCache = new WeakMap<IrNode, FlowNode>();

/** The React Flow node for an IR node: the same object again for the same IR node. */
export function irNodeToFlowNode(node: IrNode): FlowNode {
  const cached = nodeCache.get(node);
  if (cached) return cached;
  const flowNode: FlowNode = {
    id: node.id,
    type: "flowNode",
    position: node.position ? { x: node.position.x, y: node.position.y } : { x: 0, y: 0 },
    data: { node, placed: !!node.position },
    width: NODE_WIDTH,
    initialHeight: nodeHeight(node),
    handles: nodeHandles(node),
  };
  nodeCache.set(node, flowNode);
  return flowNode;
}

/** The graph of an IR document. */
export function irToGraph(ir: FlowIR): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return { nodes: ir.nodes.map(irNodeToFlowNode), edges: irEdges(ir) };
}

function samePosition(a: Position | null | undefined, b: Position): boolean {
  return !!a && a.x === b.x && a.y === b.y;
}

/**
 * The IR with each node's `position` taken from the graph; every other field, the node
 * order and nodes missing from the graph stay as they are in `baseIr`.
 */
export function graphToIr(nodes: readonly Pick<FlowNode, "id" | "position">[], _edges: readonly unknown[], baseIr: FlowIR): FlowIR {
  const positions = new Map(nodes.map((node) => [node.id, node.position]));
  let changed = false;
  const irNodes = baseIr.nodes.map((node) => {
    const found = positions.get(node.id);
    if (!found) return node;
    const position = { x: Math.round(found.x), y: Math.round(found.y) };
    if (samePosition(node.position, position)) return node;
    changed = true;
    return { ...node, position } as IrNode;
  });
  return changed ? { ...baseIr, nodes: irNodes } : baseIr;
}
