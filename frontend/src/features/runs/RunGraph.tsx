// The run's graph, read only: the version's nodes where the designer puts them (saved
// positions, else ELK), each showing its live status; edges into running nodes animate.
// It draws at once (the layered layout, or ELK's kept from before) and eases into ELK's
// layout when its worker answers, as the designer does; as there, the cards are placed by
// the lines that say the order, a read a longer path already implies (a shortcut) is
// drawn only while one of its ends is picked or pointed at, and a long flow never laid out
// by hand is folded into rows that fit the pane. The node details panel sits beside the
// graph; the view follows the room it leaves (FollowPane), the long flow folded again for
// it, and a small flow kept at a readable zoom.
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
  type ReactFlowInstance,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import {
  armsOf,
  irToGraph,
  layoutGraph,
  SOURCE_HANDLE,
  TARGET_HANDLE,
  edgeRoutes,
  immediateLayout,
  animatePositions,
  EASE_MS,
  viewEase,
  orthogonalRoutes,
  positionsDiffer,
  routesClearOfCards,
  shortcutClass,
  shortcutEdgeIds,
  showsAll,
  showsMiniMapNow,
  cornerCoversCard,
  MINIMAP_ALWAYS_ABOVE,
  withoutShortcuts,
  type EdgeEnds,
  type EdgeRoute,
  type FlowEdge,
  type FlowIR,
  type FlowNode,
  type Position as Place,
} from "../../graph";
import { EdgeRoutesContext, edgeTypes } from "../../lib/RoutedEdge";
import { emptyNode, type NodeState } from "./runState";
import { RunNode, type RunFlowNode } from "./RunNode";
import { CARD_HEIGHT, CARD_WIDTHS, cardSize } from "./cardSize";
import { adverseOutcome } from "./nodeKinds";
import { MINIMAP_CORNER, paneView, revealBox, runFold, runStartView, type PaneSize } from "./paneView";
import "./runGraph.css";

function paneOf(element: HTMLElement): PaneSize {
  return { width: element.clientWidth, height: element.clientHeight };
}

const nodeTypes = { runNode: RunNode };
export { CARD_HEIGHT } from "./cardSize";
/** Above this many nodes only what is on screen is drawn, and the view opens at a readable
 * zoom on the flow's first nodes instead of fitting all of them (the minimap shows the rest). */
const BIG_GRAPH = MINIMAP_ALWAYS_ABOVE;

/** A card's size (cardSize.ts): sized for its title; a map's has its items' bar. */
function cardWidth(node: FlowNode): number {
  return cardSize(node.data.node).width;
}

function cardHeight(node: FlowNode): number {
  return cardSize(node.data.node).height;
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
      id, type: "source" as const, position: Position.Right, x: cardWidth(node) - HANDLE / 2, y: top - HANDLE / 2, width: HANDLE, height: HANDLE,
    })),
  ];
}

/** Where each edge leaves its source's handle and reaches its target's, as React Flow
 * draws them (a handle's outer side). */
function edgeEnds(edges: readonly FlowEdge[], nodes: ReadonlyMap<string, FlowNode>): EdgeEnds[] {
  const ends: EdgeEnds[] = [];
  for (const edge of edges) {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) continue;
    const handle = handlesOf(source).find((h) => h.type === "source" && h.id === (edge.sourceHandle ?? SOURCE_HANDLE))
      ?? handlesOf(source).find((h) => h.type === "source")!;
    ends.push({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      from: { x: source.position.x + handle.x + handle.width!, y: source.position.y + handle.y + handle.height! / 2 },
      to: { x: target.position.x - HANDLE / 2, y: target.position.y + cardHeight(target) / 2 },
    });
  }
  return ends;
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

interface Laid {
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** The ids of the edges drawn only while one of their ends is picked or pointed at. */
  shortcuts: ReadonlySet<string>;
  routes: Record<string, EdgeRoute>;
  /** Laid out for good: ELK's places and routes (or the layered layout's, above ELK's size),
   * not the stand-in drawn while ELK's worker starts nor a frame of the move into ELK's. */
  settled: boolean;
}

/** The routes that fit the cards where `nodes` puts them: `laidRoutes` (ELK's) where they
 * still fit, square routes around the cards for the rest. */
function fittedRoutes(nodes: readonly FlowNode[], edges: readonly FlowEdge[], laidRoutes: Record<string, EdgeRoute>): Record<string, EdgeRoute> {
  const boxes = new Map(nodes.map((node) => [node.id, { ...node.position, width: cardWidth(node), height: cardHeight(node) }]));
  // Saved positions (the designer's) need not be where the run's layout puts the cards,
  // and a big graph has no ELK routes: those edges are routed around the cards where
  // they are.
  const clear = routesClearOfCards(laidRoutes, edges, boxes);
  const unrouted = edges.filter((edge) => !clear[edge.id]);
  const placed = new Map(nodes.map((node) => [node.id, node]));
  return { ...orthogonalRoutes(edgeEnds(unrouted, placed), boxes), ...clear };
}

/** The run's cards laid out in one long row (ELK's layout, or the layered one drawn while
 * ELK's worker starts), before they are folded into rows for a pane. */
interface Unfolded {
  /** The run's cards as the layout is asked for them (sizes and handles, no positions). */
  sized: FlowNode[];
  nodes: FlowNode[];
  edges: FlowEdge[];
  shortcuts: ReadonlySet<string>;
  /** The edges that place the cards (the shortcuts left out). */
  spine: FlowEdge[];
  /** The layout's own routes, for the cards where it put them. */
  routes: Record<string, EdgeRoute>;
  settled: boolean;
}

/**
 * `nodes` folded into rows that fit a pane of `pane`'s size (runFold), as the designer
 * opens a flow never laid out by hand. Saved positions (the designer's) stay.
 */
function foldIntoRows(nodes: FlowNode[], links: readonly FlowEdge[], pane: PaneSize): FlowNode[] {
  if (nodes.some((node) => node.data.placed)) return nodes;
  const boxes = new Map(nodes.map((node) => [node.id, { ...node.position, width: cardWidth(node), height: cardHeight(node) }]));
  const folded = runFold(boxes, links, pane);
  return folded ? nodes.map((node) => ({ ...node, position: folded.get(node.id) ?? node.position })) : nodes;
}

/** The folds of a layout already computed, by pane size: the view and the cards ask for the
 * same one, and a panel dragged back and forth finds each again. */
const folds = new WeakMap<Unfolded, Map<string, FlowNode[]>>();

function foldedFor(base: Unfolded, pane: PaneSize): FlowNode[] {
  let bySize = folds.get(base);
  if (!bySize) {
    bySize = new Map();
    folds.set(base, bySize);
  }
  const key = `${pane.width}x${pane.height}`;
  let found = bySize.get(key);
  if (!found) {
    found = foldIntoRows(base.nodes, base.spine, pane);
    bySize.set(key, found);
  }
  return found;
}

/** What is drawn at once: ELK's layout when this browser kept it, the layered layout
 * otherwise (saved positions in either case). */
function drawAtOnce(ir: FlowIR): Unfolded {
  const graph = irToGraph(ir);
  // The run's cards, with the run's sizes and handles, so the routes fit what is drawn.
  const sized = graph.nodes.map((node) => ({
    ...node,
    measured: { width: cardWidth(node), height: cardHeight(node) },
    handles: handlesOf(node),
  }));
  const shortcuts = shortcutEdgeIds(graph.edges);
  const spine = withoutShortcuts(graph.edges, shortcuts);
  const now = immediateLayout(sized, spine);
  return { sized, nodes: now.nodes, edges: graph.edges, shortcuts, spine, routes: now.routes ?? {}, settled: now.final && now.routes !== undefined };
}

/**
 * The graph's layout, folded into rows for `pane`: drawn at once (drawAtOnce), then, when
 * ELK's worker answers, the cards ease into ELK's places (plain square edges while they
 * move) and take its routes. `onArrive` is told ELK's nodes as they start moving, so the
 * view can move with them. `foldedAt` gives the cards' places for a pane of another size.
 */
function useLayout(ir: FlowIR, pane: PaneSize, onArrive: (nodes: FlowNode[]) => void): { laid: Laid; foldedAt(size: PaneSize): FlowNode[] } {
  const first = useMemo(() => drawAtOnce(ir), [ir]);
  const [elk, setElk] = useState<{ first: Unfolded; base: Unfolded } | null>(null);
  const [moving, setMoving] = useState<{ first: Unfolded; nodes: FlowNode[] } | null>(null);
  const arrive = useRef(onArrive);
  arrive.current = onArrive;
  const paneNow = useRef(pane);
  paneNow.current = pane;
  useEffect(() => {
    if (first.settled) return;
    let cancelled = false;
    let stop = () => {};
    const { sized, spine } = first;
    void Promise.all([layoutGraph(sized, spine), edgeRoutes(sized, spine)]).then(([elkNodes, elkRoutes]) => {
      if (cancelled) return;
      const base: Unfolded = { ...first, nodes: elkNodes, routes: elkRoutes, settled: true };
      const fromNodes = foldedFor(first, paneNow.current);
      const toNodes = foldedFor(base, paneNow.current);
      const from = Object.fromEntries(fromNodes.map((node) => [node.id, node.position]));
      const to = Object.fromEntries(toNodes.map((node) => [node.id, node.position]));
      if (!positionsDiffer(from, to)) return setElk({ first, base });
      arrive.current(toNodes);
      stop = animatePositions(from, to, (positions, done) => {
        if (cancelled) return;
        if (done) {
          setMoving(null);
          return setElk({ first, base });
        }
        setMoving({ first, nodes: fromNodes.map((node) => ({ ...node, position: positions[node.id] ?? node.position })) });
      });
    }, () => {
      // No answer from ELK: what is drawn stays, as laid out as it will be.
      if (!cancelled) setElk({ first, base: { ...first, settled: true } });
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [first]);
  const base = elk && elk.first === first ? elk.base : first;
  const nodes = foldedFor(base, pane);
  // Folded again for another pane (the panel opened or closed): the cards ease into their
  // new rows as the view eases to them, from wherever a move still under way has them.
  const [refolding, setRefolding] = useState<{ base: Unfolded; nodes: FlowNode[] } | null>(null);
  const shown = useRef<{ base: Unfolded; nodes: FlowNode[] } | null>(null);
  const midway = useRef<Record<string, Place> | null>(null);
  useEffect(() => {
    const was = shown.current;
    shown.current = { base, nodes };
    if (!was || was.base !== base) {
      midway.current = null;
      return;
    }
    if (was.nodes === nodes) return;
    const from = midway.current ?? Object.fromEntries(was.nodes.map((node) => [node.id, node.position]));
    const to = Object.fromEntries(nodes.map((node) => [node.id, node.position]));
    if (!positionsDiffer(from, to)) return;
    let cancelled = false;
    const stop = animatePositions(from, to, (positions, done) => {
      if (cancelled) return;
      midway.current = done ? null : positions;
      setRefolding(done ? null : { base, nodes: nodes.map((node) => ({ ...node, position: positions[node.id] ?? node.position })) });
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [base, nodes]);
  const laid = useMemo<Laid>(() => {
    if (moving && moving.first === first) return { nodes: moving.nodes, edges: base.edges, shortcuts: base.shortcuts, routes: {}, settled: false };
    if (refolding && refolding.base === base) return { nodes: refolding.nodes, edges: base.edges, shortcuts: base.shortcuts, routes: {}, settled: base.settled };
    return { nodes, edges: base.edges, shortcuts: base.shortcuts, routes: fittedRoutes(nodes, base.edges, base.routes), settled: base.settled };
  }, [moving, refolding, first, base, nodes]);
  const foldedAt = useCallback((size: PaneSize) => foldedFor(base, size), [base]);
  return { laid, foldedAt };
}

/** The first view of cards at `nodes` in a pane of `pane`'s size (runStartView). */
function startView(nodes: readonly FlowNode[], pane: PaneSize) {
  const boxes = nodes.map((node) => ({ ...node.position, width: cardWidth(node), height: cardHeight(node) }));
  return runStartView(boxes, pane);
}

/**
 * The view follows the pane: when the node details panel opens, closes or is resized
 * beside the graph, a first view is refitted to the room left, the flow folded again for
 * it (a view the person moved keeps its middle, and its cards), and a picked node out of
 * view is panned into it, zoom kept; closing the panel brings the first view back.
 */
function FollowPane({ selected, nodes, foldedAt, atStart }: { selected: string | null; nodes: readonly FlowNode[]; foldedAt(size: PaneSize): FlowNode[]; atStart: RefObject<boolean> }) {
  const flow = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const measured = useRef<PaneSize | null>(null);
  const laidNodes = useRef(nodes);
  laidNodes.current = nodes;
  const fold = useRef(foldedAt);
  fold.current = foldedAt;
  useEffect(() => {
    if (!width || !height) return;
    const pane = { width, height };
    const previous = measured.current;
    measured.current = pane;
    // A first view shows the flow folded for this pane (the cards move there too, with
    // LaidOutGraph's own measure of the pane); another keeps the cards where they are.
    const fromStart = atStart.current;
    const placed = fromStart ? fold.current(pane).find((node) => node.id === selected) : undefined;
    const node = !placed && selected ? flow.getInternalNode(selected) : undefined;
    const picked = placed
      ? { ...placed.position, width: cardWidth(placed), height: cardHeight(placed) }
      : node
        ? { ...node.internals.positionAbsolute, width: node.measured.width ?? CARD_WIDTHS[0], height: node.measured.height ?? CARD_HEIGHT }
        : null;
    const current = flow.getViewport();
    const shown = fromStart ? fold.current(pane) : laidNodes.current;
    const { viewport } = paneView({
      current, previous, pane, atStart: fromStart, picked,
      boxes: shown.map((card) => ({ ...card.position, width: cardWidth(card), height: cardHeight(card) })),
      startView: (size) => startView(fold.current(size), size),
    });
    if (viewport !== current) void flow.setViewport(viewport, viewEase(200));
  }, [selected, width, height, flow, atStart]);
  return null;
}

/** The minimap helps find what is off screen: with the whole flow in view it would only
 * cover the cards in its corner, so it shows (as in the designer) once part is out of view,
 * and always on a big flow, but not over a card of the first view until the person moves it
 * (showsMiniMapNow). Its cards in their status's colours. */
function RunMiniMap({ nodes, moved }: { nodes: readonly FlowNode[]; moved: boolean }) {
  const boxes = useMemo(() => nodes.map((node) => ({ ...node.position, width: cardWidth(node), height: cardHeight(node) })), [nodes]);
  const shows = useStore((state) => {
    const [x, y, zoom] = state.transform;
    const view = { x, y, zoom };
    const overflowing = state.width > 0 && !showsAll(boxes, view, state.width, state.height);
    return showsMiniMapNow(nodes.length, overflowing, moved, () => cornerCoversCard(boxes, view, state.width, state.height, MINIMAP_CORNER));
  });
  if (!shows) return null;
  return (
    <MiniMap pannable zoomable ariaLabel="Map of the run's graph" nodeStrokeWidth={3} nodeClassName={(n) => {
      const { node, state } = (n as RunFlowNode).data;
      return `mm-${adverseOutcome(node, state.status, state.output) ?? state.status}`;
    }} style={{ width: 168, height: 112 }} />
  );
}

/**
 * The graph's box, measured before the first paint: the graph is laid out (folded into
 * rows) for the room it has, then drawn in it.
 */
export function RunGraph(props: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [pane, setPane] = useState<PaneSize | null>(null);
  const [ready, setReady] = useState(false);
  useLayoutEffect(() => {
    if (box.current) setPane(paneOf(box.current));
  }, []);
  const { onReady } = props;
  const onSettled = useCallback(() => {
    setReady(true);
    onReady?.();
  }, [onReady]);
  return (
    <div className="run-graph" data-testid="run-graph" data-drawn={pane ? "true" : "false"} data-ready={ready ? "true" : "false"} ref={box}>
      {pane && <LaidOutGraph {...props} pane={pane} box={box} onReady={onSettled} />}
    </div>
  );
}

function LaidOutGraph({ ir, nodes: states, selected, onSelect, now, finished = false, onReady, pane, box }: Props & { pane: PaneSize; box: RefObject<HTMLDivElement | null> }) {
  const instance = useRef<ReactFlowInstance<RunFlowNode, Edge> | null>(null);
  // The view is the first one (the flow fitted, or its start) until the person moves it:
  // it follows the cards into ELK's places, and is refitted when the pane changes size (a
  // picked node panned into view then), only while it is.
  const atStart = useRef(true);
  /** The person has panned or zoomed: the minimap may lie over cards from then on. */
  const [moved, setMoved] = useState(false);
  const fold = useRef<(size: PaneSize) => FlowNode[]>(() => []);
  const picked = useRef(selected);
  picked.current = selected;
  /** The first view of cards at `nodes`, with the step a link names (its details open) in it. */
  const firstView = useCallback((nodes: readonly FlowNode[], element: HTMLElement) => {
    const pane = paneOf(element);
    const view = startView(nodes, pane);
    const node = picked.current ? nodes.find((candidate) => candidate.id === picked.current) : undefined;
    return node ? revealBox(view, { ...node.position, width: cardWidth(node), height: cardHeight(node) }, pane) : view;
  }, []);
  const onArrive = useCallback((nodes: FlowNode[]) => {
    const element = box.current;
    if (!atStart.current || !instance.current || !element) return;
    void instance.current.setViewport(firstView(nodes, element), viewEase(EASE_MS));
  }, [firstView]);
  // The pane the cards are folded for: the graph's box, followed while the view is the
  // first one (the panel opening refolds the flow for the room left, closing it unfolds).
  const [foldPane, setFoldPane] = useState(pane);
  useEffect(() => {
    const element = box.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (!atStart.current) return;
      const size = paneOf(element);
      if (size.width > 0 && size.height > 0) {
        setFoldPane((was) => (was.width === size.width && was.height === size.height ? was : size));
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [box]);
  const { laid, foldedAt } = useLayout(ir, foldPane, onArrive);
  fold.current = foldedAt;
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
        previous.position === base.position &&
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
            width: cardWidth(base),
            height: cardHeight(base),
            // Cards have a fixed size: given here, React Flow need not measure (and, with
            // only visible nodes drawn, remount) every card on every update.
            measured: { width: cardWidth(base), height: cardHeight(base) },
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

  // The picked and the pointed-at cards: their lines stand out, and the shortcuts among them show.
  const [hovered, setHovered] = useState<string | null>(null);
  const lit = useMemo(() => new Set([selected, hovered].filter((id): id is string => id !== null)), [selected, hovered]);
  const edgeCache = useRef(new Map<string, { key: string; edge: Edge }>());
  const edges = useMemo<Edge[]>(() => {
    const next = new Map<string, { key: string; edge: Edge }>();
    const result = laid.edges.map((edge) => {
      const target = states[edge.target]?.status ?? "pending";
      const source = states[edge.source]?.status ?? "pending";
      const shown = shortcutClass(edge, laid.shortcuts, lit);
      const key = `${source}>${target}>${shown}`;
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
        type: "routed",
        animated: running,
        selectable: false,
        className: `${edge.className ?? ""} re${running ? " re-running" : ""}${inactive ? " re-inactive" : ""}${done ? " re-done" : ""}${shown ? ` ${shown}` : ""}`,
        labelBgPadding: [6, 3] as [number, number],
        labelBgBorderRadius: 4,
      };
      next.set(edge.id, { key, edge: styled });
      return styled;
    });
    edgeCache.current = next;
    return result;
  }, [laid, states, lit]);

  const big = laid.nodes.length > BIG_GRAPH;
  // The flow fitted while it stays readable; a long or big one opens on its first steps.
  const onInit = useCallback((flow: ReactFlowInstance<RunFlowNode, Edge>) => {
    instance.current = flow;
    const element = box.current;
    if (element) void flow.setViewport(firstView(laid.nodes, element));
    // Only the first view is set here: later layouts move it through onArrive.
  }, []);
  // A pan or zoom by the person (setViewport's come without an event). Not a move's start:
  // pressing on a card to pick it starts one that moves nothing.
  const personMoved = useCallback(() => setMoved(true), []);
  const onMove = useCallback((event: MouseEvent | TouchEvent | null) => {
    if (!event) return;
    atStart.current = false;
    setMoved(true);
  }, []);

  // Drawn (data-drawn) from the first render; ready (data-ready, onReady) once laid out for good.
  const readyCalled = useRef(false);
  useEffect(() => {
    performance.mark("dynamicflow:run-graph-drawn");
  }, []);
  useEffect(() => {
    if (laid.settled && !readyCalled.current) {
      readyCalled.current = true;
      onReady?.();
    }
  }, [laid.settled, onReady]);

  // React Flow takes a new handler in an effect, after the render: a click just after the
  // panel closed could reach the one before and close it again. The ref is the render's own.
  const onNodeClick: NodeMouseHandler = useCallback(
    (_event, node) => onSelect(node.id === picked.current ? null : node.id),
    [onSelect],
  );
  const onNodeMouseEnter: NodeMouseHandler = useCallback((_event, node) => setHovered(node.id), []);
  const onNodeMouseLeave = useCallback(() => setHovered(null), []);

  return (
    <>
      <EdgeRoutesContext.Provider value={laid.routes}>
      <ReactFlow
        nodes={flowNodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onInit={onInit}
        onMove={onMove}
        onNodeClick={onNodeClick}
        onNodeMouseEnter={onNodeMouseEnter}
        onNodeMouseLeave={onNodeMouseLeave}
        onPaneClick={() => onSelect(null)}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        minZoom={0.05}
        onlyRenderVisibleElements={big}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
        <FollowPane selected={selected} nodes={laid.nodes} foldedAt={foldedAt} atStart={atStart} />
        {/* (the buttons' zoom comes without an event: a move of the person's all the same) */}
        <Controls showInteractive={false} onZoomIn={personMoved} onZoomOut={personMoved} onFitView={personMoved} />
        <RunMiniMap nodes={laid.nodes} moved={moved} />
      </ReactFlow>
      </EdgeRoutesContext.Provider>
    </>
  );
}
