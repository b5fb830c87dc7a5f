// The editing canvas: the IR drawn as a React Flow graph, laid out automatically, with
// connect/disconnect rules, drops from the palette and positions written back on drag.
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  NODE_WIDTH,
  immediateLayout,
  irToGraph,
  layoutGraph,
  handleEnds,
  nodeHeight,
  orthogonalRoutes,
  routesClearOfCards,
  clearStartView,
  keepWholeFlow,
  panToShow,
  cornerCoversCard,
  showsAll,
  showsMiniMapNow,
  shortcutEdgeIds,
  withoutShortcuts,
  type FlowEdge,
  type FlowIR,
  type FlowNode,
  type NodeType,
  type Position,
  revealViewport,
  type Box,
  type Viewport,
  viewEase,
} from "../../../graph";
import { EdgeRoutesContext, edgeTypes, useEdgeRoutes } from "../../../lib/RoutedEdge";
import { REFINE_MS, useLayoutRefinement } from "../hooks/useLayoutRefinement";
import { NODE_KINDS } from "../nodeKinds";
import { readableLayout } from "../readableLayout";
import { designer, useDesigner } from "../store";
import { FlowNodeCard } from "./FlowNodeCard";

export const nodeTypes = { flowNode: FlowNodeCard };
export const PALETTE_MIME = "application/x-dynamicflow-node";
const BIG_FLOW = 200;

export interface PaletteDrop {
  type: NodeType;
  tool?: string;
}

/** A connection dragged from a node's output and let go on empty canvas. */
export interface LooseConnection {
  source: string;
  handle: string | null;
  /** Where it was let go: on the screen (for the picker) and on the canvas (the new node). */
  screen: Position;
  position: Position;
}

interface CanvasProps {
  onDropNode: (drop: PaletteDrop, position: Position) => void;
  onLooseConnection?: (connection: LooseConnection) => void;
  onReady?: () => void;
  /** The canvas moved its view for a step picked as the inspector docked beside it, from
   * `before` to `after`: the page puts `before` back when the inspector closes. */
  onDockedForPick?: (before: Viewport, after: Viewport) => void;
  /** Cards the person dragged and let go (their ids), where they now are. */
  onDragEnd?: (ids: string[]) => void;
}

function minimapColour(node: FlowNode): string {
  return `var(${NODE_KINDS[node.data.node.type].colour})`;
}

/** The canvas's zoom buttons (28 x 80, 15 pixels from its bottom left corner) and its
 * minimap (168 x 112, 15 from the bottom right, hidden on a canvas of 640 pixels or less:
 * designer.css), with 8 pixels of room around them. */
const ZOOM_BUTTONS_CORNER = { width: 51, height: 103 };
const MINIMAP_CORNER = { width: 191, height: 135 };

/** The view a canvas of `width` x `height` chooses for the cards in `boxes`: the whole flow
 * when it fits at a readable zoom, else its start at that zoom, no card cut at the canvas's
 * edge nor, as far as that can be, under the zoom buttons or the minimap (the person pans
 * for the rest). */
export function canvasStartView(boxes: readonly Box[], width: number, height: number, folded = false): Viewport {
  const overlays = { bottomLeft: ZOOM_BUTTONS_CORNER, bottomRight: width > 640 ? MINIMAP_CORNER : undefined };
  const plain = clearStartView(boxes, width, height, overlays);
  if (!folded || boxes.length === 0) return plain;
  // A flow folded into rows: the line from a row's end to the next row's start runs a little
  // past the cards on either side; keep room for it (unless that loses the whole flow).
  const left = Math.min(...boxes.map((card) => card.x));
  const right = Math.max(...boxes.map((card) => card.x + card.width));
  const top = boxes[0].y;
  const roomy = [...boxes, { x: left - RETURN_LINE_ROOM, y: top, width: 1, height: 1 }, { x: right + RETURN_LINE_ROOM - 1, y: top, width: 1, height: 1 }];
  const view = clearStartView(roomy, width, height, overlays);
  return showsAll(boxes, plain, width, height) && !showsAll(boxes, view, width, height) ? plain : view;
}

/** How far past the cards, in flow units, the line between two folded rows runs. */
const RETURN_LINE_ROOM = 40;

/** The first view, computed from the laid-out positions before any node is drawn (so a big
 * flow draws only what is in view). */
function firstView(nodes: readonly FlowNode[], width: number, height: number, folded = false): Viewport {
  return canvasStartView(nodes.map(cardBox), width, height, folded);
}

/** Whether `arranged` (readableLayout's answer for `laid`) folded the flow into rows. */
function foldedRows(laid: readonly FlowNode[], arranged: readonly FlowNode[]): boolean {
  return arranged.some((node, i) => node !== laid[i]);
}

function cardBox(node: FlowNode): Box {
  return { ...node.position, width: NODE_WIDTH, height: nodeHeight(node.data.node) };
}

function sameView(a: Viewport, b: Viewport): boolean {
  return Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1 && Math.abs(a.zoom - b.zoom) < 1e-3;
}

export function Canvas({ onDropNode, onLooseConnection, onReady, onDockedForPick, onDragEnd }: CanvasProps) {
  const dockedForPick = useRef(onDockedForPick);
  dockedForPick.current = onDockedForPick;
  const dragEnd = useRef(onDragEnd);
  dragEnd.current = onDragEnd;
  const ir = useDesigner((state) => state.ir);
  const layoutPositions = useDesigner((state) => state.layoutPositions);
  const selection = useDesigner((state) => state.selection);
  const layoutRequest = useDesigner((state) => state.layoutRequest);
  const canEdit = useDesigner((state) => state.canEdit);
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const graph = useMemo(() => irToGraph(ir), [ir]);
  // The cards are placed by the lines that say the order; a read that a longer path already
  // implies (a shortcut) is drawn only while one of its ends is picked or pointed at.
  const shortcuts = useMemo(() => shortcutEdgeIds(graph.edges), [graph]);
  const spine = useMemo(() => withoutShortcuts(graph.edges, shortcuts), [graph, shortcuts]);
  const [hovered, setHovered] = useState<string | null>(null);
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  const [edges, setEdges] = useState<FlowEdge[]>([]);
  const fitted = useRef(false);
  /** The first view, shown again when the canvas changes size until the person pans,
   * zooms or clicks on it, or the flow changes: the page around the canvas may still be
   * settling (the inspector's width) when it is first computed. */
  const startNodes = useRef<FlowNode[] | null>(null);
  /** Whether the view is still one the canvas chose (a first view, or one made for a
   * docked panel): until the person pans or zooms, or the flow changes, a panel docking
   * beside the canvas or closing makes the first view again for the room it leaves. */
  const chosenView = useRef(false);
  const measuredOnce = useRef(false);
  /** The person has panned or zoomed: the minimap may lie over cards from then on. */
  const [viewMoved, setViewMoved] = useState(false);
  /** The view before a panel docked beside the canvas made it narrower (and the canvas's
   * size then), and the view set for the room left: shown again when the panel closes. */
  const docked = useRef<{ size: { width: number; height: number }; view: Viewport; set: Viewport } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const laidRoutes = useEdgeRoutes(graph.nodes, spine);
  const unplaced = graph.nodes.filter((node) => !node.data.placed && !layoutPositions[node.id]);
  /** Every node has a place to be drawn at (maybe the quick layout's, until ELK's comes). */
  const ready = unplaced.length === 0;
  const { refining, moving, refine, cancel: cancelRefinement } = useLayoutRefinement();
  const laying = useRef(false);
  laying.current = refining || moving;
  /** The automatic layout before it was folded into rows for the canvas, and the flow it
   * was laid out for: while that flow is on screen, no card placed by hand, a panel docking
   * beside the canvas or closing folds it again for the room left (as text rewraps), as the
   * run page does beside its node panel. */
  const unfolded = useRef<{ ir: FlowIR; nodes: FlowNode[]; links: FlowEdge[] } | null>(null);
  /** Whether the layout on screen is folded into rows (its first view keeps room beside
   * the cards for the lines between rows). */
  const folded = useRef(false);
  // The layout's routes that still fit where the cards are (saved, or laid out on load);
  // the other edges (cards moved by hand, or saved where the layout would not put them) get
  // square routes around the cards where they are, as on the run page. The cards' places
  // in the store change when a drag ends, so a drag itself recomputes nothing: the moving
  // card's edges draw as plain square steps (RoutedEdge) until it is let go.
  const routes = useMemo(() => {
    if (moving) return {}; // cards ease into ELK's layout: plain steps until they stop
    const placed = new Map(graph.nodes.flatMap((node) => {
      const position = node.data.placed ? node.position : layoutPositions[node.id];
      return position ? [[node.id, { position, handles: node.handles }] as const] : [];
    }));
    const boxes = new Map(graph.nodes.flatMap((node) => {
      const card = placed.get(node.id);
      return card ? [[node.id, { ...card.position, width: NODE_WIDTH, height: nodeHeight(node.data.node) }] as const] : [];
    }));
    const clear = routesClearOfCards(laidRoutes, graph.edges, boxes);
    const unrouted = graph.edges.filter((edge) => !clear[edge.id]);
    const drawn = graph.edges.flatMap((edge) => {
      const route = clear[edge.id];
      const at = boxes.get(edge.source);
      if (!route || !at) return [];
      const [dx, dy] = [at.x - route.source.x, at.y - route.source.y];
      const points = [route.start, ...route.bends, route.end].map((point) => ({ x: point.x + dx, y: point.y + dy }));
      return [{ source: edge.source, points }];
    });
    return { ...orthogonalRoutes(handleEnds(unrouted, placed), boxes, drawn), ...clear };
  }, [laidRoutes, graph, layoutPositions, moving]);

  // Lay out the nodes that have no position yet (on load, or pasted without one): drawn at
  // once, with ELK's layout when this browser has it, else the quick layered one until
  // ELK's worker answers (useLayoutRefinement eases the cards into ELK's places then).
  useEffect(() => {
    if (ready) return;
    const withLaid = graph.nodes.map((node) => {
      const laid = layoutPositions[node.id];
      return laid && !node.data.placed ? { ...node, position: laid, data: { ...node.data, placed: true } } : node;
    });
    performance.mark("designer:layout-start");
    // A flow laid out for the first time is folded into rows that fit the canvas; nodes
    // added to a flow already on screen go where the layout puts them beside the others.
    const element = box.current;
    const fresh = !fitted.current && element && withLaid.every((node) => !node.data.placed);
    const laidFor = useDesigner.getState().ir;
    const arrange = fresh ? (laid: FlowNode[]) => {
      unfolded.current = { ir: laidFor, nodes: laid, links: spine };
      const arranged = readableLayout(laid, spine, element.clientWidth, element.clientHeight);
      folded.current = foldedRows(laid, arranged);
      return arranged;
    } : undefined;
    const quick = immediateLayout(withLaid, spine);
    const now = arrange ? { ...quick, nodes: arrange(quick.nodes) } : quick;
    const positions: Record<string, Position> = { ...layoutPositions };
    const added: Box[] = [];
    for (const node of now.nodes) {
      if (node.data.placed) continue;
      positions[node.id] = node.position;
      added.push({ ...node.position, width: NODE_WIDTH, height: nodeHeight(node.data.node) });
    }
    designer.setLayoutPositions(positions);
    // Nodes that arrive after the first view (a refinement accepted) are brought into view.
    if (fitted.current && element) {
      docked.current = null; // the view from before a panel opened would not show them
      const current = flow.getViewport();
      const view = revealViewport(current, added, element.clientWidth, element.clientHeight);
      if (view !== current) void flow.setViewport(view, viewEase(300));
    }
    if (now.final) {
      performance.mark("designer:layout-end");
      return;
    }
    refine(withLaid, spine, (laid) => {
      performance.mark("designer:layout-end");
      // The first view follows the cards to ELK's places unless the person moved it.
      const element = box.current;
      if (!startNodes.current || !element) return;
      startNodes.current = laid;
      void flow.setViewport(firstView(laid, element.clientWidth, element.clientHeight, folded.current), viewEase(REFINE_MS));
    }, arrange);
  }, [graph, spine, layoutPositions, ready, refine, flow]);

  // A requested re-layout moves every node and saves the positions (one undo step).
  useEffect(() => {
    if (layoutRequest === 0) return;
    cancelRefinement(); // the person asked for the full layout: it replaces any on its way
    let cancelled = false;
    const current = useDesigner.getState();
    const { nodes: all, edges } = irToGraph(current.ir);
    const links = withoutShortcuts(edges);
    void layoutGraph(all, links, { force: true }).then((answer) => {
      if (cancelled) return;
      const element = box.current;
      const laid = element ? readableLayout(answer, links, element.clientWidth, element.clientHeight) : answer;
      folded.current = foldedRows(answer, laid);
      designer.applyLayout(Object.fromEntries(laid.map((node) => [node.id, node.position])));
      startNodes.current = laid;
      chosenView.current = true;
      if (element) void flow.setViewport(firstView(laid, element.clientWidth, element.clientHeight, folded.current), viewEase(300));
    });
    return () => {
      cancelled = true;
    };
  }, [layoutRequest, flow, cancelRefinement]);

  // Rebuild the drawn nodes from the IR, keeping what React Flow knows (size, selection).
  useEffect(() => {
    if (!ready) return;
    const chosen = new Set(useDesigner.getState().selection);
    if (fitted.current) {
      startNodes.current = null; // the flow changed: the view stays where it is
      chosenView.current = false;
      docked.current = null;
    } else if (box.current && graph.nodes.length) {
      fitted.current = true;
      const placed = graph.nodes.map((base) => (base.data.placed ? base : { ...base, position: layoutPositions[base.id] }));
      startNodes.current = placed;
      chosenView.current = true;
      void flow.setViewport(firstView(placed, box.current.clientWidth, box.current.clientHeight, folded.current));
      performance.mark("designer:drawn");
      onReady?.();
    }
    setNodes((previous) => {
      const before = new Map(previous.map((node) => [node.id, node]));
      return graph.nodes.map((base) => {
        const position = base.data.placed ? base.position : layoutPositions[base.id];
        const old = before.get(base.id);
        const selected = chosen.has(base.id);
        if (old && old.data === base.data && old.position.x === position.x && old.position.y === position.y && !!old.selected === selected) {
          return old;
        }
        return { ...base, position, selected, measured: old?.measured };
      });
    });
    setEdges((previous) => {
      const before = new Map(previous.map((edge) => [edge.id, edge]));
      return graph.edges.map((base) => {
        const edge = shortcuts.has(base.id) ? { ...base, className: `${base.className ?? ""} edge-shortcut` } : base;
        const old = before.get(edge.id);
        return old?.selected ? { ...edge, selected: true } : edge;
      });
    });
  }, [graph, shortcuts, layoutPositions, ready, flow, onReady]);

  // The lines of the picked or pointed-at cards stand out (and the shortcuts among them show).
  const shownEdges = useMemo(() => {
    const lit = new Set(selection);
    if (hovered) lit.add(hovered);
    if (lit.size === 0) return edges;
    return edges.map((edge) => (lit.has(edge.source) || lit.has(edge.target) ? { ...edge, className: `${edge.className ?? ""} edge-lit` } : edge));
  }, [edges, selection, hovered]);
  const onNodeMouseEnter = useCallback((_: unknown, node: FlowNode) => setHovered(node.id), []);
  const onNodeMouseLeave = useCallback(() => setHovered(null), []);

  // Selection made outside the canvas (problems panel, paste) shows on the canvas.
  useEffect(() => {
    const chosen = new Set(selection);
    setNodes((previous) => {
      let changed = false;
      const next = previous.map((node) => {
        const selected = chosen.has(node.id);
        if (!!node.selected === selected) return node;
        changed = true;
        return { ...node, selected };
      });
      return changed ? next : previous;
    });
  }, [selection]);

  // A canvas that changes size (a panel docked beside it, or closed) shows its first view
  // again for the room it has, when it showed the first view or the whole flow: the whole
  // flow when it still reads, else its start with no card cut at the edge; a selected step
  // (the inspector just opened for it) is kept in view. A view the person moved stays.
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let size = { width: element.clientWidth, height: element.clientHeight };
    /** The layout folded for a canvas of `size`, when the flow is still the one laid out
     * (no card placed by hand), `shown` whole, and that fold moves a card; else null. */
    const refoldFor = (size: { width: number; height: number }, shown: boolean): FlowNode[] | null => {
      const base = unfolded.current;
      if (!base || !shown || laying.current || base.ir !== useDesigner.getState().ir) return null;
      const refolded = readableLayout(base.nodes, base.links, size.width, size.height);
      const layout = useDesigner.getState().layoutPositions;
      const moves = refolded.some((node) => {
        const at = layout[node.id];
        return !at || Math.abs(at.x - node.position.x) > 0.5 || Math.abs(at.y - node.position.y) > 0.5;
      });
      return moves ? refolded : null;
    };
    const observer = new ResizeObserver(() => {
      const now = { width: element.clientWidth, height: element.clientHeight };
      if (now.width === size.width && now.height === size.height) return;
      const before = size;
      size = now;
      if (!now.width || !now.height) return;
      const current = flow.getViewport();
      const placed = startNodes.current;
      // The panel closed and nobody moved the view it made room with: the view from before.
      const undocked = docked.current;
      docked.current = null;
      if (!placed && undocked && undocked.size.width === now.width && undocked.size.height === now.height && sameView(undocked.set, current)) {
        void flow.setViewport(undocked.view, viewEase(200));
        return;
      }
      const [selected, ...more] = useDesigner.getState().selection;
      const pickedId = selected && !more.length ? selected : null;
      // A flow shown whole (or in the view the canvas chose) that the layout placed: folded
      // again for the room it has now, and its first view made for that.
      const refolded = refoldFor(now, placed !== null || chosenView.current || showsAll((placed ?? flow.getNodes()).map(cardBox), current, before.width, before.height));
      if (refolded) {
        const layout = useDesigner.getState().layoutPositions;
        designer.setLayoutPositions({ ...layout, ...Object.fromEntries(refolded.map((node) => [node.id, node.position])) });
        docked.current = null;
        startNodes.current = placed ? refolded : null;
        folded.current = foldedRows(unfolded.current?.nodes ?? [], refolded);
        const cards = refolded.map(cardBox);
        let view = canvasStartView(cards, now.width, now.height, folded.current);
        const pickedNode = pickedId ? refolded.find((node) => node.id === pickedId) : undefined;
        if (pickedNode) view = panToShow(view, cards, cardBox(pickedNode), now.width, now.height);
        if (pickedNode) dockedForPick.current?.(current, view);
        chosenView.current = true;
        void flow.setViewport(view);
        return;
      }
      const boxes = (placed ?? flow.getNodes()).map(cardBox);
      let view = placed !== null || chosenView.current ? canvasStartView(boxes, now.width, now.height, folded.current) : keepWholeFlow(boxes, current, before, now);
      const picked = pickedId ? flow.getNode(pickedId) : undefined;
      // (A view the person or an edit moved is left to the page, which reveals the step.)
      if (picked && view) view = panToShow(view, boxes, cardBox(picked), now.width, now.height);
      if (!view || sameView(view, current)) return;
      if (!placed) docked.current = { size: before, view: current, set: view };
      if (picked) dockedForPick.current?.(current, view);
      chosenView.current = true;
      // At once when a step was picked: the page then keeps its neighbours in view from here.
      void flow.setViewport(view, placed || picked ? undefined : viewEase(200));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [flow]);

  const onMoveStart = useCallback((event: MouseEvent | TouchEvent | null) => {
    if (!event) return;
    setViewMoved(true);
    startNodes.current = null; // the person moved the view: keep theirs
    chosenView.current = false;
    docked.current = null;
  }, []);
  const personMoved = useCallback(() => setViewMoved(true), []);
  const onPointerDown = useCallback(() => {
    startNodes.current = null; // the person is working on the canvas: nothing moves under them
  }, []);

  // The minimap helps find what is off screen: with the whole flow in view it only covers
  // the cards in its corner, so it shows once part of the flow is out of view; nor over a
  // card of the first view, until the person pans or zooms (showsMiniMapNow).
  const cardBoxes = useMemo(() => nodes.map((node) => ({ ...node.position, width: NODE_WIDTH, height: nodeHeight(node.data.node) })), [nodes]);
  const showsMap = useStore((state) => {
    const [x, y, zoom] = state.transform;
    const view = { x, y, zoom };
    const overflowing = state.width > 0 && !showsAll(cardBoxes, view, state.width, state.height);
    return showsMiniMapNow(cardBoxes.length, overflowing, viewMoved, () => state.width > 640 && cornerCoversCard(cardBoxes, view, state.width, state.height, MINIMAP_CORNER));
  });

  const drawn = nodes.length > 0;
  useEffect(() => {
    if (drawn) performance.mark("designer:committed");
  }, [drawn]);

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    if (!measuredOnce.current && changes.some((change) => change.type === "dimensions")) {
      measuredOnce.current = true;
      performance.mark("designer:measured");
    }
    setNodes((current) => applyNodeChanges(changes.filter((change) => change.type !== "remove"), current));
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    setEdges((current) => applyEdgeChanges(changes.filter((change) => change.type !== "remove"), current));
  }, []);

  const onSelectionChange = useCallback(({ nodes: picked, edges: pickedEdges }: OnSelectionChangeParams<FlowNode, FlowEdge>) => {
    designer.select(picked.map((node) => node.id), pickedEdges.map((edge) => edge.id));
  }, []);

  // A card picked up before ELK's layout came: the person's arrangement stays.
  const onNodeDragStart = useCallback(() => cancelRefinement(), [cancelRefinement]);

  const onNodeDragStop = useCallback((_: unknown, _node: FlowNode, dragged: FlowNode[]) => {
    designer.moveNodes(Object.fromEntries(dragged.map((node) => [node.id, node.position])));
    dragEnd.current?.(dragged.map((node) => node.id));
  }, []);

  const isValidConnection: IsValidConnection<FlowEdge> = useCallback(
    (connection) => designer.connectionProblem(connection.source, connection.target, connection.sourceHandle) === null,
    [],
  );

  const onConnect = useCallback((connection: Connection) => {
    const problem = designer.connect(connection.source, connection.target, connection.sourceHandle);
    if (problem) designer.toast(problem, "error");
  }, []);

  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (!state.isValid && state.fromNode && !state.toNode && state.fromHandle?.type === "source" && onLooseConnection) {
      // Let go on empty canvas: offer the steps that can follow here (as n8n and Dify do).
      const point = "changedTouches" in event ? event.changedTouches[0] : event;
      if (!point) return;
      const screen = { x: point.clientX, y: point.clientY };
      const at = flow.screenToFlowPosition(screen);
      onLooseConnection({
        source: state.fromNode.id,
        handle: state.fromHandle.id ?? null,
        screen,
        position: { x: Math.round(at.x), y: Math.round(at.y - 25) },
      });
      return;
    }
    if (state.isValid || !state.fromNode || !state.toNode || state.fromNode.id === undefined) return;
    const [source, target] = state.fromHandle?.type === "target"
      ? [state.toNode.id, state.fromNode.id]
      : [state.fromNode.id, state.toNode.id];
    const problem = designer.connectionProblem(source, target, state.fromHandle?.type === "source" ? state.fromHandle.id : null);
    if (problem) designer.toast(problem, "error");
  }, [flow, onLooseConnection]);

  const onDragOver = useCallback((event: React.DragEvent) => {
    if (event.dataTransfer.types.includes(PALETTE_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback((event: React.DragEvent) => {
    const raw = event.dataTransfer.getData(PALETTE_MIME);
    if (!raw) return;
    event.preventDefault();
    const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    onDropNode(JSON.parse(raw) as PaletteDrop, { x: Math.round(position.x - NODE_WIDTH / 2), y: Math.round(position.y - 25) });
  }, [flow, onDropNode]);

  return (
    <div className="designer-canvas" ref={box} onPointerDownCapture={onPointerDown} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas" data-drawn={ready ? "true" : "false"} data-ready={ready && !refining ? "true" : "false"}>
      <EdgeRoutesContext.Provider value={routes}>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodeMouseEnter={onNodeMouseEnter}
        onNodeMouseLeave={onNodeMouseLeave}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onSelectionChange={onSelectionChange}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onMoveStart={onMoveStart}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        nodesConnectable={canEdit}
        nodesDraggable={canEdit}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Shift", "Meta", "Control"]}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={nodes.length > BIG_FLOW}
        defaultEdgeOptions={{ type: "routed" }}
        proOptions={{ hideAttribution: true }}
        aria-label="Flow graph"
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1.2} />
        {showsMap && <MiniMap<FlowNode> pannable zoomable ariaLabel="Map of the flow" nodeColor={minimapColour} nodeStrokeWidth={0} className="designer-minimap" style={{ width: 168, height: 112 }} />}
        {/* (the buttons' zoom comes without an event: a move of the person's all the same) */}
        <Controls showInteractive={false} onZoomIn={personMoved} onZoomOut={personMoved} onFitView={personMoved} />
      </ReactFlow>
      </EdgeRoutesContext.Provider>
      {!ready && (
        // ELK's worker takes a moment to start: say so rather than show an empty canvas.
        <div className="canvas-laying-out" role="status" data-testid="canvas-laying-out">Laying out the graph…</div>
      )}
    </div>
  );
}
