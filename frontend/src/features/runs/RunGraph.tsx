// The run's graph, read only: the version's nodes where the designer puts them (saved
// positions, else ELK), each showing its live status; edges into running nodes animate.
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  Position,
  ReactFlow,
  useReactFlow,
  useStore,
  type Edge,
  type NodeMouseHandler,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  armsOf,
  irToGraph,
  layoutGraph,
  NODE_WIDTH,
  SOURCE_HANDLE,
  TARGET_HANDLE,
  type FlowEdge,
  type FlowIR,
  type FlowNode,
} from "../../graph";
import { emptyNode, type NodeState } from "./runState";
import { RunNode, type RunFlowNode } from "./RunNode";
import "./runGraph.css";

const nodeTypes = { runNode: RunNode };
export const CARD_HEIGHT = 64;
const MAP_CARD_HEIGHT = 84;
/** Above this many nodes only what is on screen is drawn, and the view opens at a readable
 * zoom on the flow's first nodes instead of fitting all of them (the minimap shows the rest). */
const BIG_GRAPH = 60;
/** Fit the flow, but not below a zoom where cards can still be read (a long chain is
 * centred and panned instead). */
const FIT_VIEW = { padding: 0.15, minZoom: 0.5, maxZoom: 1.1 };

function cardHeight(node: FlowNode): number {
  return node.data.node.type === "map" ? MAP_CARD_HEIGHT : CARD_HEIGHT;
}

const HANDLE = 8;

/**
 * Where RunNode draws its handles (the target on the left, the sources or arms on the
 * right). Given up front, React Flow need not render every card once to measure them, so a
 * big flow only ever draws the cards on screen.
 */
function handlesOf(node: FlowNode): NonNullable<RunFlowNode["handles"]> {
  const height = cardHeight(node);
  const arms = armsOf(node.data.node);
  const sources = arms.length
    ? arms.map((arm, i) => ({ id: arm.arm, top: ((i + 1) / (arms.length + 1)) * height }))
    : [{ id: SOURCE_HANDLE, top: height / 2 }];
  return [
    { id: TARGET_HANDLE, type: "target", position: Position.Left, x: -HANDLE / 2, y: height / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
    ...sources.map(({ id, top }) => ({
      id, type: "source" as const, position: Position.Right, x: NODE_WIDTH - HANDLE / 2, y: top - HANDLE / 2, width: HANDLE, height: HANDLE,
    })),
  ];
}

interface Props {
  ir: FlowIR;
  nodes: Readonly<Record<string, NodeState>>;
  selected: string | null;
  onSelect(nodeId: string | null): void;
  now: number;
  /** The run has ended: a node still pending never ran. */
  finished?: boolean;
  onReady?(): void;
}

function useLayout(ir: FlowIR): { nodes: FlowNode[]; edges: FlowEdge[] } | null {
  const [laid, setLaid] = useState<{ nodes: FlowNode[]; edges: FlowEdge[] } | null>(null);
  useEffect(() => {
    let cancelled = false;
    const graph = irToGraph(ir);
    const sized = graph.nodes.map((node) => ({
      ...node,
      measured: { width: NODE_WIDTH, height: cardHeight(node) },
    }));
    layoutGraph(sized, graph.edges).then((nodes) => {
      if (!cancelled) setLaid({ nodes, edges: graph.edges });
    });
    return () => {
      cancelled = true;
    };
  }, [ir]);
  return laid;
}

/** The node details drawer's width (runs.css .node-drawer). */
const DRAWER_WIDTH = 400;

/** Pans a selected node out from under the details drawer, keeping the zoom. */
function KeepSelectedInView({ selected }: { selected: string | null }) {
  const flow = useReactFlow();
  const paneWidth = useStore((s) => s.width);
  useEffect(() => {
    if (!selected) return;
    const node = flow.getInternalNode(selected);
    if (!node) return;
    const { x, zoom } = flow.getViewport();
    const width = node.measured.width ?? NODE_WIDTH;
    const height = node.measured.height ?? CARD_HEIGHT;
    const left = node.internals.positionAbsolute.x * zoom + x;
    const right = left + width * zoom;
    if (left >= 16 && right <= paneWidth - DRAWER_WIDTH - 16) return;
    const visible = paneWidth - DRAWER_WIDTH;
    const centerX = node.internals.positionAbsolute.x + width / 2;
    const centerY = node.internals.positionAbsolute.y + height / 2;
    // setCenter centres in the whole pane; shift so it lands in the part the drawer leaves.
    flow.setCenter(centerX + (paneWidth / 2 - visible / 2) / zoom, centerY, { zoom, duration: 250 });
  }, [selected, flow, paneWidth]);
  return null;
}

export function RunGraph({ ir, nodes: states, selected, onSelect, now, finished = false, onReady }: Props) {
  const laid = useLayout(ir);
  const cache = useRef(new Map<string, RunFlowNode>());
  const handleCache = useRef(new WeakMap<FlowNode, NonNullable<RunFlowNode["handles"]>>());
  const handlesFor = (base: FlowNode) => {
    let found = handleCache.current.get(base);
    if (!found) {
      found = handlesOf(base);
      handleCache.current.set(base, found);
    }
    return found;
  };

  const flowNodes = useMemo(() => {
    if (!laid) return [];
    const next = new Map<string, RunFlowNode>();
    const result = laid.nodes.map((base) => {
      const state = states[base.id] ?? emptyNode(base.id);
      const isSelected = selected === base.id;
      const runningMs = state.status === "running" && state.startedAt !== null ? Math.max(0, now - state.startedAt * 1000) : null;
      const notRun = finished && state.status === "pending";
      const previous = cache.current.get(base.id);
      // Reuse the node object when nothing it shows changed, so memoised cards skip rendering.
      const reuse =
        previous &&
        previous.data.state === state &&
        previous.data.selected === isSelected &&
        previous.data.notRun === notRun &&
        (runningMs === null ? previous.data.runningMs === null : Math.abs((previous.data.runningMs ?? 0) - runningMs) < 100);
      const node: RunFlowNode = reuse
        ? previous
        : {
            id: base.id,
            type: "runNode",
            position: base.position,
            data: { node: base.data.node, state, selected: isSelected, runningMs, notRun },
            width: NODE_WIDTH,
            height: cardHeight(base),
            // Cards have a fixed size: given here, React Flow need not measure (and, with
            // only visible nodes drawn, remount) every card on every update.
            measured: { width: NODE_WIDTH, height: cardHeight(base) },
            handles: handlesFor(base),
            draggable: false,
            connectable: false,
            selectable: false,
          };
      next.set(base.id, node);
      return node;
    });
    cache.current = next;
    return result;
  }, [laid, states, selected, now, finished]);

  const edgeCache = useRef(new Map<string, { key: string; edge: Edge }>());
  const edges = useMemo<Edge[]>(() => {
    if (!laid) return [];
    const next = new Map<string, { key: string; edge: Edge }>();
    const result = laid.edges.map((edge) => {
      const target = states[edge.target]?.status ?? "pending";
      const source = states[edge.source]?.status ?? "pending";
      const key = `${source}>${target}`;
      const previous = edgeCache.current.get(edge.id);
      if (previous && previous.key === key) {
        next.set(edge.id, previous);
        return previous.edge;
      }
      const running = target === "running" || target === "waiting";
      const inactive = target === "skipped" || target === "cancelled" || source === "skipped";
      const done = source === "completed" && !inactive;
      const arm = edge.data?.kind === "arm" ? edge.data.arm : undefined;
      const styled: Edge = {
        ...edge,
        // The arm's name only ("then", "else", a case): the condition is the designer's.
        label: arm ? (arm.startsWith("case:") ? arm.slice(5) : arm) : edge.label,
        type: "default",
        animated: running,
        selectable: false,
        className: `${edge.className ?? ""} re${running ? " re-running" : ""}${inactive ? " re-inactive" : ""}${done ? " re-done" : ""}`,
        labelBgPadding: [6, 3] as [number, number],
        labelBgBorderRadius: 4,
      };
      next.set(edge.id, { key, edge: styled });
      return styled;
    });
    edgeCache.current = next;
    return result;
  }, [laid, states]);

  const big = (laid?.nodes.length ?? 0) > BIG_GRAPH;
  // A big flow opens at a readable zoom on its top-left corner, where it starts.
  const defaultViewport = useMemo(() => {
    if (!laid || !big) return undefined;
    const minX = Math.min(...laid.nodes.map((node) => node.position.x));
    const minY = Math.min(...laid.nodes.map((node) => node.position.y));
    const zoom = 0.8;
    return { x: 40 - minX * zoom, y: 56 - minY * zoom, zoom };
  }, [laid, big]);

  const readyCalled = useRef(false);
  useEffect(() => {
    if (laid && !readyCalled.current) {
      readyCalled.current = true;
      onReady?.();
    }
  }, [laid, onReady]);

  const onNodeClick: NodeMouseHandler = (_event, node) => onSelect(node.id === selected ? null : node.id);

  if (!laid) return <div className="run-graph-loading muted">Laying out the graph…</div>;
  return (
    <div className="run-graph" data-testid="run-graph" data-ready="true">
      <ReactFlow
        nodes={flowNodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodeClick={onNodeClick}
        onPaneClick={() => onSelect(null)}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        fitView={!big}
        fitViewOptions={FIT_VIEW}
        defaultViewport={defaultViewport}
        minZoom={0.05}
        onlyRenderVisibleElements={big}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
        <KeepSelectedInView selected={selected} />
        <Controls showInteractive={false} />
        {laid.nodes.length > 12 && !big && <MiniMap pannable zoomable nodeStrokeWidth={3} nodeClassName={(n) => `mm-${(n as RunFlowNode).data.state.status}`} />}
      </ReactFlow>
    </div>
  );
}
