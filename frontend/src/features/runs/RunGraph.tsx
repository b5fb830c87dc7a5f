// The run's graph, read only: the version's nodes where the designer puts them (saved
// positions, else ELK), each showing its live status; edges into running nodes animate.
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  type Edge,
  type NodeMouseHandler,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useRef, useState } from "react";
import { irToGraph, layoutGraph, NODE_WIDTH, type FlowEdge, type FlowIR, type FlowNode } from "../../graph";
import { emptyNode, type NodeState } from "./runState";
import { RunNode, type RunFlowNode } from "./RunNode";
import "./runGraph.css";

const nodeTypes = { runNode: RunNode };
export const CARD_HEIGHT = 64;
const MAP_CARD_HEIGHT = 84;

interface Props {
  ir: FlowIR;
  nodes: Readonly<Record<string, NodeState>>;
  selected: string | null;
  onSelect(nodeId: string | null): void;
  now: number;
  onReady?(): void;
}

function useLayout(ir: FlowIR): { nodes: FlowNode[]; edges: FlowEdge[] } | null {
  const [laid, setLaid] = useState<{ nodes: FlowNode[]; edges: FlowEdge[] } | null>(null);
  useEffect(() => {
    let cancelled = false;
    const graph = irToGraph(ir);
    const sized = graph.nodes.map((node) => ({
      ...node,
      measured: { width: NODE_WIDTH, height: node.data.node.type === "map" ? MAP_CARD_HEIGHT : CARD_HEIGHT },
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

export function RunGraph({ ir, nodes: states, selected, onSelect, now, onReady }: Props) {
  const laid = useLayout(ir);
  const cache = useRef(new Map<string, RunFlowNode>());

  const flowNodes = useMemo(() => {
    if (!laid) return [];
    const next = new Map<string, RunFlowNode>();
    const result = laid.nodes.map((base) => {
      const state = states[base.id] ?? emptyNode(base.id);
      const isSelected = selected === base.id;
      const runningMs = state.status === "running" && state.startedAt !== null ? Math.max(0, now - state.startedAt * 1000) : null;
      const previous = cache.current.get(base.id);
      // Reuse the node object when nothing it shows changed, so memoised cards skip rendering.
      const reuse =
        previous &&
        previous.data.state === state &&
        previous.data.selected === isSelected &&
        (runningMs === null ? previous.data.runningMs === null : Math.abs((previous.data.runningMs ?? 0) - runningMs) < 100);
      const node: RunFlowNode = reuse
        ? previous
        : {
            id: base.id,
            type: "runNode",
            position: base.position,
            data: { node: base.data.node, state, selected: isSelected, runningMs },
            width: NODE_WIDTH,
            draggable: false,
            connectable: false,
            selectable: false,
          };
      next.set(base.id, node);
      return node;
    });
    cache.current = next;
    return result;
  }, [laid, states, selected, now]);

  const edges = useMemo<Edge[]>(() => {
    if (!laid) return [];
    return laid.edges.map((edge) => {
      const target = states[edge.target]?.status ?? "pending";
      const source = states[edge.source]?.status ?? "pending";
      const running = target === "running" || target === "waiting";
      const inactive = target === "skipped" || target === "cancelled" || source === "skipped";
      const done = source === "completed" && !inactive;
      return {
        ...edge,
        type: "default",
        animated: running,
        selectable: false,
        className: `${edge.className ?? ""} re${running ? " re-running" : ""}${inactive ? " re-inactive" : ""}${done ? " re-done" : ""}`,
        labelBgPadding: [6, 3] as [number, number],
        labelBgBorderRadius: 4,
      };
    });
  }, [laid, states]);

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
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }}
        minZoom={0.05}
        onlyRenderVisibleElements={laid.nodes.length > 150}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
        <Controls showInteractive={false} />
        {laid.nodes.length > 12 && <MiniMap pannable zoomable nodeStrokeWidth={3} nodeClassName={(n) => `mm-${(n as RunFlowNode).data.state.status}`} />}
      </ReactFlow>
    </div>
  );
}
