// A visual diff: the newer graph with added nodes green, changed amber and removed ones
// ghosted red, and the field-by-field changes beside it. Used for versions and refinement.
import { ReactFlow, ReactFlowProvider, Background, BackgroundVariant, Controls, MiniMap, getViewportForBounds, useReactFlow, useStore } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  EASE_MS,
  viewEase,
  NODE_WIDTH,
  animatePositions,
  handleEnds,
  immediateLayout,
  irToGraph,
  layoutGraph,
  positionsDiffer,
  nodeHeight,
  orthogonalRoutes,
  shortcutClass,
  shortcutEdgeIds,
  withoutShortcuts,
  type EdgeRoute,
  type FlowEdge,
  type FlowIR,
  type FlowNode,
  type IrDiff,
} from "../../../graph";
import { EdgeRoutesContext, edgeTypes } from "../../../lib/RoutedEdge";
import { flowChangeRows, isNoiseChange } from "../diffRows";
import { nodeTypes } from "./Canvas";
import { Icon } from "./Icon";

interface DiffViewProps {
  title: string;
  subtitle?: string;
  before: FlowIR;
  after: FlowIR;
  diff: IrDiff;
  onClose: () => void;
  actions?: React.ReactNode;
}

function short(value: unknown): string {
  if (value === undefined) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

type Change = { before: unknown; after: unknown };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

/** A field's change, split per key when both sides are objects (inputs.name, not inputs). */
export function fieldChanges(field: string, change: Change): [string, Change][] {
  if (!isPlainObject(change.before) || !isPlainObject(change.after)) return [[field, change]];
  const before = change.before;
  const after = change.after;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => [`${field}.${key}`, { before: before[key], after: after[key] }]);
}

function minimapColour(node: FlowNode): string {
  const status = node.data.status;
  return status === "added" ? "var(--ok)" : status === "changed" ? "var(--warn)" : status === "removed" ? "var(--danger)" : "var(--border-strong)";
}

function overlapping(nodes: FlowNode[]): boolean {
  for (let i = 0; i < nodes.length; i += 1) {
    for (let j = i + 1; j < nodes.length; j += 1) {
      const a = nodes[i].position;
      const b = nodes[j].position;
      if (Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < nodeHeight(nodes[i].data.node)) return true;
    }
  }
  return false;
}

interface Combined {
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** The edges drawn only while one of their ends is pointed at, as in the designer: reads a
   * longer path of the newer flow already implies, unless the diff added them. */
  shortcuts: ReadonlySet<string>;
  /** The saved positions will not do (some missing, or cards on top of each other). */
  relayout: boolean;
}

/** The newer flow plus ghosts of the removed nodes, each marked, at their saved places. */
function combinedGraph(before: FlowIR, after: FlowIR, diff: IrDiff): Combined {
  const removed = new Set(diff.removed);
  const added = new Set(diff.added.map((node) => node.id));
  const changed = new Set(Object.keys(diff.changed));
  const ghosts = before.nodes.filter((node) => removed.has(node.id));
  const combined: FlowIR = { ...after, nodes: [...after.nodes, ...ghosts] };
  const graph = irToGraph(combined);
  const status = (id: string) => (removed.has(id) ? "removed" : added.has(id) ? "added" : changed.has(id) ? "changed" : "same");
  const nodes: FlowNode[] = graph.nodes.map((node) => ({ ...node, data: { ...node.data, status: status(node.id) }, draggable: false, connectable: false }));
  const addedEdges = new Set(diff.edges_added.map(([from, to]) => `${from}\u0000${to}`));
  const edges: FlowEdge[] = graph.edges.map((edge) => {
    const key = `${edge.source}\u0000${edge.target}`;
    const extra = removed.has(edge.source) || removed.has(edge.target) ? " diff-edge-removed" : addedEdges.has(key) ? " diff-edge-added" : "";
    return { ...edge, className: `${edge.className ?? ""}${extra}` };
  });
  const present = new Set(edges.map((edge) => `${edge.source}\u0000${edge.target}`));
  const ids = new Set(nodes.map((node) => node.id));
  for (const [from, to] of diff.edges_removed) {
    if (!present.has(`${from}\u0000${to}`) && ids.has(from) && ids.has(to)) {
      edges.push({ id: `removed:${from}->${to}`, source: from, target: to, sourceHandle: "out", targetHandle: "in", className: "edge-after diff-edge-removed", data: { kind: "after" } });
    }
  }
  const kept = edges.filter((edge) => !edge.className?.includes("diff-edge-removed"));
  const shortcuts = new Set([...shortcutEdgeIds(kept)].filter((id) => !edges.find((edge) => edge.id === id)?.className?.includes("diff-edge-added")));
  const allPlaced = nodes.every((node) => node.data.placed);
  return { nodes, edges, shortcuts, relayout: !allPlaced || overlapping(nodes) };
}

/** The combined graph laid out for good (ELK's layout when the saved places will not do). */
export async function diffGraph(before: FlowIR, after: FlowIR, diff: IrDiff): Promise<{ nodes: FlowNode[]; edges: FlowEdge[]; shortcuts: ReadonlySet<string> }> {
  const { nodes, edges, shortcuts, relayout } = combinedGraph(before, after, diff);
  return { nodes: relayout ? await layoutGraph(nodes, withoutShortcuts(edges, shortcuts), { force: true }) : nodes, edges, shortcuts };
}

/**
 * The combined graph as it can be drawn at once: `final` unless it waits for ELK's layout
 * (the layered layout stands in meanwhile; diffGraph gives ELK's).
 */
export function diffGraphNow(before: FlowIR, after: FlowIR, diff: IrDiff): { nodes: FlowNode[]; edges: FlowEdge[]; shortcuts: ReadonlySet<string>; final: boolean } {
  const { nodes, edges, shortcuts, relayout } = combinedGraph(before, after, diff);
  if (!relayout) return { nodes, edges, shortcuts, final: true };
  const now = immediateLayout(nodes, withoutShortcuts(edges, shortcuts), { force: true });
  return { nodes: now.nodes, edges, shortcuts, final: now.final };
}

function boundsOf(nodes: readonly FlowNode[]) {
  const left = Math.min(...nodes.map((node) => node.position.x));
  const top = Math.min(...nodes.map((node) => node.position.y));
  const right = Math.max(...nodes.map((node) => node.position.x + NODE_WIDTH));
  const bottom = Math.max(...nodes.map((node) => node.position.y + nodeHeight(node.data.node)));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** Square routes around the cards where the diff draws them, as the designer's canvas has. */
function squareRoutes(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): Record<string, EdgeRoute> {
  const boxes = new Map(nodes.map((node) => [node.id, { ...node.position, width: NODE_WIDTH, height: nodeHeight(node.data.node) }]));
  return orthogonalRoutes(handleEnds(edges, new Map(nodes.map((node) => [node.id, node]))), boxes);
}

const FIT = { padding: 0.15, maxZoom: 1, minZoom: 0.1 };

/** Drawn at once (diffGraphNow); when the layout waits for ELK, the cards then ease into
 * ELK's places, the view fitting them as they go, as on the designer's canvas. */
function DiffCanvas({ before, after, diff }: Pick<DiffViewProps, "before" | "after" | "diff">) {
  const first = useMemo(() => diffGraphNow(before, after, diff), [before, after, diff]);
  const [later, setLater] = useState<{ first: typeof first; nodes: FlowNode[]; settled: boolean } | null>(null);
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const pane = useRef({ width: 0, height: 0 });
  pane.current = { width: paneWidth, height: paneHeight };
  useEffect(() => {
    if (first.final) return;
    let cancelled = false;
    let stop = () => {};
    void layoutGraph(first.nodes, withoutShortcuts(first.edges, first.shortcuts), { force: true }).then((laid) => {
      if (cancelled) return;
      const from = Object.fromEntries(first.nodes.map((node) => [node.id, node.position]));
      const to = Object.fromEntries(laid.map((node) => [node.id, node.position]));
      if (!positionsDiffer(from, to)) return setLater({ first, nodes: laid, settled: true });
      const { width, height } = pane.current;
      if (width && height) {
        const bounds = boundsOf(laid);
        void flow.setViewport(getViewportForBounds(bounds, width, height, FIT.minZoom, FIT.maxZoom, FIT.padding), viewEase(EASE_MS));
      }
      stop = animatePositions(from, to, (positions, done) => {
        if (cancelled) return;
        const nodes = done ? laid : first.nodes.map((node) => ({ ...node, position: positions[node.id] ?? node.position }));
        setLater({ first, nodes, settled: done });
      });
    }, () => !cancelled && setLater({ first, nodes: first.nodes, settled: true }));
    return () => {
      cancelled = true;
      stop();
    };
  }, [first, flow]);
  const current = later && later.first === first ? later : { nodes: first.nodes, settled: first.final };
  // As in the designer: a shortcut shows while one of its ends is pointed at.
  const [hovered, setHovered] = useState<string | null>(null);
  const edges = useMemo(() => {
    const lit = new Set(hovered ? [hovered] : []);
    return first.edges.map((edge) => {
      const shown = shortcutClass(edge, first.shortcuts, lit);
      return shown ? { ...edge, className: `${edge.className ?? ""} ${shown}` } : edge;
    });
  }, [first, hovered]);
  const onNodeMouseEnter = useCallback((_: unknown, node: FlowNode) => setHovered(node.id), []);
  const onNodeMouseLeave = useCallback(() => setHovered(null), []);
  const graph = { nodes: current.nodes, edges };
  // Plain square steps while the cards move; routes around them once they stop.
  const routes = useMemo(() => (current.settled ? squareRoutes(current.nodes, first.edges) : {}), [current.settled, current.nodes, first.edges]);
  return (
    <EdgeRoutesContext.Provider value={routes}>
    <ReactFlow<FlowNode, FlowEdge>
      data-testid="diff-graph"
      data-drawn="true"
      data-ready={current.settled ? "true" : "false"}
      nodes={graph.nodes}
      edges={graph.edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      defaultEdgeOptions={{ type: "routed" }}
      onNodeMouseEnter={onNodeMouseEnter}
      onNodeMouseLeave={onNodeMouseLeave}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      fitView
      fitViewOptions={{ padding: FIT.padding, maxZoom: FIT.maxZoom }}
      minZoom={0.1}
      proOptions={{ hideAttribution: true }}
      onlyRenderVisibleElements={graph.nodes.length > 200}
    >
      <Background variant={BackgroundVariant.Dots} gap={18} size={1.2} />
      <MiniMap<FlowNode> pannable zoomable nodeColor={minimapColour} nodeStrokeWidth={0} className="designer-minimap" style={{ width: 168, height: 112 }} />
      <Controls showInteractive={false} />
    </ReactFlow>
    </EdgeRoutesContext.Provider>
  );
}

/** The diff without moves or empty values written two ways: a node that only changed
 *  `position`, or went from `after: []` to no `after`, did not change. */
export function withoutMoves(diff: IrDiff): IrDiff {
  const changed: IrDiff["changed"] = {};
  for (const [id, fields] of Object.entries(diff.changed)) {
    const rest = Object.fromEntries(Object.entries(fields).filter(([field, change]) => !isNoiseChange(field, change.before, change.after)));
    if (Object.keys(rest).length) changed[id] = rest;
  }
  return { ...diff, changed };
}

export function DiffView({ title, subtitle, before, after, diff: raw, onClose, actions }: DiffViewProps) {
  const diff = useMemo(() => withoutMoves(raw), [raw]);
  const changedEntries = Object.entries(diff.changed);
  const flowEntries = flowChangeRows(diff.flow_changes as Record<string, { before?: unknown; after?: unknown }>);
  const nothing = !diff.added.length && !diff.removed.length && !changedEntries.length && !flowEntries.length;
  const summary = useMemo(() => [
    diff.added.length && `${diff.added.length} added`,
    diff.removed.length && `${diff.removed.length} removed`,
    changedEntries.length && `${changedEntries.length} changed`,
  ].filter(Boolean).join(" · ") || "no node changes", [diff, changedEntries.length]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  // A keyboard user lands in the dialog, and back on what opened it when it closes.
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButton.current?.focus();
    return () => opener?.focus();
  }, []);

  return (
    <div className="diff-backdrop" role="dialog" aria-modal="true" aria-label={title}>
      <div className="diff-panel" data-testid="diff-view">
        <header className="diff-header">
          <div>
            <h2>{title}</h2>
            <div className="muted small">{subtitle ? `${subtitle} · ` : ""}{summary}</div>
          </div>
          <div className="diff-legend" aria-hidden>
            <span className="legend added">added</span>
            <span className="legend changed">changed</span>
            <span className="legend removed">removed</span>
          </div>
          <span className="spacer" />
          {actions}
          <button ref={closeButton} type="button" className="btn ghost icon" aria-label="Close" onClick={onClose} data-testid="diff-close"><Icon name="close" /></button>
        </header>
        <div className="diff-body">
          <div className="diff-canvas">
            <ReactFlowProvider>
              <DiffCanvas before={before} after={after} diff={diff} />
            </ReactFlowProvider>
          </div>
          <aside className="diff-changes" aria-label="Changes">
            {nothing && <p className="muted">The two documents are the same.</p>}
            {flowEntries.length > 0 && (
              <section>
                <h3>Flow</h3>
                {flowEntries.map((change) => (
                  <div className="diff-field" key={change.field} data-testid="diff-flow-change">
                    <div className="diff-field-name">{change.field}</div>
                    {change.before !== undefined && <div className="diff-before"><code>{short(change.before)}</code></div>}
                    {change.after !== undefined && <div className="diff-after"><code>{short(change.after)}</code></div>}
                  </div>
                ))}
              </section>
            )}
            {diff.added.length > 0 && (
              <section>
                <h3>Added</h3>
                {diff.added.map((node) => (
                  <div className="diff-node added" key={node.id} data-testid="diff-added">
                    <code>{node.id}</code> <span className="muted small">{node.type}{"tool" in node && node.tool ? ` · ${node.tool}` : ""}</span>
                  </div>
                ))}
              </section>
            )}
            {diff.removed.length > 0 && (
              <section>
                <h3>Removed</h3>
                {diff.removed.map((id) => (
                  <div className="diff-node removed" key={id} data-testid="diff-removed"><code>{id}</code></div>
                ))}
              </section>
            )}
            {changedEntries.length > 0 && (
              <section>
                <h3>Changed</h3>
                {changedEntries.map(([id, fields]) => (
                  <div className="diff-node changed" key={id} data-testid="diff-changed" data-node={id}>
                    <code>{id}</code>
                    {Object.entries(fields).flatMap(([field, change]) => fieldChanges(field, change)).map(([field, change]) => (
                      <div className="diff-field" key={field}>
                        <div className="diff-field-name">{field}</div>
                        <div className="diff-before"><code>{short(change.before)}</code></div>
                        <div className="diff-after"><code>{short(change.after)}</code></div>
                      </div>
                    ))}
                  </div>
                ))}
              </section>
            )}
            {(diff.edges_added.length > 0 || diff.edges_removed.length > 0) && (
              <section>
                <h3>Dependencies</h3>
                {diff.edges_added.map(([from, to]) => <div className="diff-edge added" key={`a${from}${to}`}>+ <code>{from}</code> → <code>{to}</code></div>)}
                {diff.edges_removed.map(([from, to]) => <div className="diff-edge removed" key={`r${from}${to}`}>− <code>{from}</code> → <code>{to}</code></div>)}
              </section>
            )}
          </aside>
        </div>
      </div>
    </div>
  );
}
