// Orthogonal edge routes for cards that stay where they are: the designer's saved positions,
// which ELK's layered layout (it routes only the places it picks) cannot keep, and the fast
// layout of big graphs that ELK does not lay out at all. Each edge leaves its source's
// handle to the right and enters its target's from the left, with one vertical leg in the
// gap between them when that passes no card, else along a lane above or below the cards in
// the way; an edge back to the left goes around its ends the same way.
import type { EdgeRoute } from "./routes";
import type { Position } from "./types";
import type { Box } from "./viewport";

/** The horizontal leg out of a handle before the first corner, and into one after the last. */
export const ROUTE_STUB = 20;
/** How far a route keeps from the cards it passes. */
export const ROUTE_CLEARANCE = 10;
const CELL = 320;

export interface EdgeEnds {
  id: string;
  source: string;
  target: string;
  /** The source handle's point (right side) and the target handle's (left side). */
  from: Position;
  to: Position;
}

/** Cards bucketed on a grid, so a leg is checked against the cards near it only. */
class CardIndex {
  private cells = new Map<string, [string, Box][]>();

  constructor(boxes: ReadonlyMap<string, Box>) {
    for (const entry of boxes) {
      const [, box] = entry;
      for (const key of this.keys(box.x, box.y, box.x + box.width, box.y + box.height)) {
        const cell = this.cells.get(key);
        if (cell) cell.push(entry);
        else this.cells.set(key, [entry]);
      }
    }
  }

  private *keys(x1: number, y1: number, x2: number, y2: number): Iterable<string> {
    for (let cx = Math.floor(x1 / CELL); cx <= Math.floor(x2 / CELL); cx += 1) {
      for (let cy = Math.floor(y1 / CELL); cy <= Math.floor(y2 / CELL); cy += 1) yield `${cx},${cy}`;
    }
  }

  /** The cards (but `skip`) an axis-aligned leg passes through or comes closer to than the clearance. */
  blocked(a: Position, b: Position, skip: ReadonlySet<string>): Box | null {
    const pad = ROUTE_CLEARANCE - 1;
    const [x1, x2] = [Math.min(a.x, b.x), Math.max(a.x, b.x)];
    const [y1, y2] = [Math.min(a.y, b.y), Math.max(a.y, b.y)];
    for (const key of this.keys(x1 - pad, y1 - pad, x2 + pad, y2 + pad)) {
      for (const [id, box] of this.cells.get(key) ?? []) {
        if (skip.has(id)) continue;
        if (x1 < box.x + box.width + pad && x2 > box.x - pad && y1 < box.y + box.height + pad && y2 > box.y - pad) return box;
      }
    }
    return null;
  }

  /** The cards overlapping a rectangle. */
  within(x1: number, y1: number, x2: number, y2: number): Box[] {
    const found = new Set<Box>();
    for (const key of this.keys(x1, y1, x2, y2)) {
      for (const [, box] of this.cells.get(key) ?? []) {
        if (box.x < x2 && box.x + box.width > x1 && box.y < y2 && box.y + box.height > y1) found.add(box);
      }
    }
    return [...found];
  }
}

function clear(points: readonly Position[], index: CardIndex, skip: ReadonlySet<string>): boolean {
  for (let i = 1; i < points.length; i += 1) {
    if (index.blocked(points[i - 1], points[i], skip)) return false;
  }
  return true;
}

const byCloseness = (target: number) => (a: number, b: number) => Math.abs(a - target) - Math.abs(b - target);

/** How far apart two edges' runs along the same lane are drawn. */
export const LANE_SPACING = 10;

/** The horizontal runs along lanes that edges already routed take: a later edge runs
 * beside them, not on top (several edges into the next row of a folded flow would draw
 * as one line otherwise, and nobody could tell which goes where). */
class TakenLanes {
  private runs: { y: number; x1: number; x2: number; source: string }[] = [];

  /** Whether a run at `y` from `x1` to `x2` would lie on one another edge's run took. */
  crowded(y: number, x1: number, x2: number, source: string): boolean {
    const [left, right] = [Math.min(x1, x2), Math.max(x1, x2)];
    return this.runs.some((run) => run.source !== source && Math.abs(run.y - y) < LANE_SPACING && left < run.x2 && right > run.x1);
  }

  take(y: number, x1: number, x2: number, source: string): void {
    this.runs.push({ y, x1: Math.min(x1, x2), x2: Math.max(x1, x2), source });
  }
}

/** `y` and the levels beside it, nearest first, a lane's spacing apart. */
function besides(y: number): number[] {
  const levels = [y];
  for (let step = 1; step <= 4; step += 1) levels.push(y + step * LANE_SPACING, y - step * LANE_SPACING);
  return levels;
}

/** For a source, the top of the highest card its edges go to below it, and the bottom of the
 * lowest they go to above it. */
interface NearestRows {
  below: number;
  above: number;
}

function nearestRows(edges: readonly EdgeEnds[], boxes: ReadonlyMap<string, Box>): Map<string, NearestRows> {
  const rows = new Map<string, NearestRows>();
  for (const edge of edges) {
    const source = boxes.get(edge.source);
    const target = boxes.get(edge.target);
    if (!source || !target) continue;
    const row = rows.get(edge.source) ?? { below: Infinity, above: -Infinity };
    if (target.y >= source.y + source.height) row.below = Math.min(row.below, target.y);
    if (target.y + target.height <= source.y) row.above = Math.max(row.above, target.y + target.height);
    rows.set(edge.source, row);
  }
  return rows;
}

/** The corners of one edge's route. */
function bendsFor(edge: EdgeEnds, index: CardIndex, boxes: ReadonlyMap<string, Box>, taken: TakenLanes, nearestRow: ReadonlyMap<string, NearestRows>): Position[] {
  const { from, to } = edge;
  const ends = new Set([edge.source, edge.target]);
  const x1 = from.x + ROUTE_STUB;
  const x2 = to.x - ROUTE_STUB;
  const forward = x2 >= x1;
  if (forward) {
    if (Math.abs(from.y - to.y) < 1 && clear([from, to], index, ends)) return [];
    // One vertical leg, in the gap nearest the middle that no card is in the way of.
    const middle = (x1 + x2) / 2;
    const [top, bottom] = [Math.min(from.y, to.y), Math.max(from.y, to.y)];
    const columns = [middle, x1, x2];
    for (const box of index.within(x1, top - ROUTE_CLEARANCE, x2, bottom + ROUTE_CLEARANCE)) {
      columns.push(box.x - ROUTE_CLEARANCE, box.x + box.width + ROUTE_CLEARANCE);
    }
    for (const x of columns.filter((x) => x >= x1 && x <= x2).sort(byCloseness(middle))) {
      const bends = [{ x, y: from.y }, { x, y: to.y }];
      if (clear([from, ...bends, to], index, ends)) return bends;
    }
  }
  // A lane above or below what is in the way (the edge's own cards too, going back left).
  const source = boxes.get(edge.source);
  const target = boxes.get(edge.target);
  const [left, right] = [Math.min(x1, x2), Math.max(x1, x2)];
  const lanes: number[] = [];
  const around = [source, target, ...index.within(left, Math.min(from.y, to.y) - 400, right, Math.max(from.y, to.y) + 400)];
  for (const box of around) {
    if (box) lanes.push(box.y - ROUTE_CLEARANCE, box.y + box.height + ROUTE_CLEARANCE);
  }
  // Going back to a row below (or above), as in a flow folded into rows: along the gap just
  // before the nearest row the source's edges go to, so that edges from one step to several
  // lanes share one run and part only at their targets, and none winds between the cards.
  const toward = source && target ? nearestRow.get(edge.source) : undefined;
  const level = toward && target!.y >= source!.y + source!.height
    ? toward.below - ROUTE_CLEARANCE
    : toward && target!.y + target!.height <= source!.y
      ? toward.above + ROUTE_CLEARANCE
      : (from.y + to.y) / 2;
  const free = (bends: Position[]) =>
    // The stubs leave and enter the edge's own cards; the legs between pass every card by.
    clear([from, bends[0]], index, ends) && clear(bends, index, new Set()) && clear([bends[3], to], index, ends);
  let crowdedWay: Position[] | null = null;
  for (const lane of lanes.sort(byCloseness(level))) {
    for (const y of besides(lane)) {
      const bends = [{ x: x1, y: from.y }, { x: x1, y }, { x: x2, y }, { x: x2, y: to.y }];
      if (!free(bends)) continue;
      if (!taken.crowded(y, x1, x2, edge.source)) {
        taken.take(y, x1, x2, edge.source);
        return bends;
      }
      crowdedWay ??= bends;
    }
  }
  if (crowdedWay) return crowdedWay;
  // Nothing is clear: still square, down the middle (forward) or below both ends.
  if (forward) return [{ x: (x1 + x2) / 2, y: from.y }, { x: (x1 + x2) / 2, y: to.y }];
  const below = Math.max(source ? source.y + source.height : from.y, target ? target.y + target.height : to.y) + ROUTE_CLEARANCE;
  return [{ x: x1, y: from.y }, { x: x1, y: below }, { x: x2, y: below }, { x: x2, y: to.y }];
}

/** A route already drawn (the layout's, where the cards still are): its source and corners. */
export interface DrawnRoute {
  source: string;
  points: readonly Position[];
}

/**
 * A route for each edge between cards that keep their places (`boxes`, by node id), in the
 * shape `placeRoute` draws: square corners, legs clear of the cards wherever a clear way
 * is found among the gaps and lanes tried.
 */
export function orthogonalRoutes(
  edges: readonly EdgeEnds[],
  boxes: ReadonlyMap<string, Box>,
  drawn: readonly DrawnRoute[] = [],
): Record<string, EdgeRoute> {
  const index = new CardIndex(boxes);
  const taken = new TakenLanes();
  // The runs of the routes drawn already (the layout's): the new ones keep off them too.
  for (const { source, points } of drawn) {
    for (let i = 1; i < points.length; i += 1) {
      if (points[i - 1].y === points[i].y) taken.take(points[i].y, points[i - 1].x, points[i].x, source);
    }
  }
  const routes: Record<string, EdgeRoute> = {};
  const nearest = nearestRows(edges, boxes);
  for (const edge of edges) {
    const source = boxes.get(edge.source);
    const target = boxes.get(edge.target);
    if (!source || !target) continue;
    routes[edge.id] = {
      start: edge.from,
      end: edge.to,
      bends: bendsFor(edge, index, boxes, taken, nearest),
      source: { x: source.x, y: source.y },
      target: { x: target.x, y: target.y },
    };
  }
  return routes;
}

/** A card as far as its edges' ends go: where it is and where its handles are on it. */
export interface HandledCard {
  position: Position;
  handles?: readonly { id?: string | null; type: string; x: number; y: number; width?: number; height?: number }[];
}

/**
 * Where each edge leaves its source's handle (the handle's right side) and reaches its
 * target's (the left side), as React Flow draws them; edges whose cards or handles are
 * unknown are left out.
 */
export function handleEnds(
  edges: readonly { id: string; source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }[],
  cards: ReadonlyMap<string, HandledCard>,
): EdgeEnds[] {
  const ends: EdgeEnds[] = [];
  for (const edge of edges) {
    const source = cards.get(edge.source);
    const target = cards.get(edge.target);
    if (!source || !target) continue;
    const outs = (source.handles ?? []).filter((handle) => handle.type === "source");
    const ins = (target.handles ?? []).filter((handle) => handle.type === "target");
    const out = outs.find((handle) => handle.id === edge.sourceHandle) ?? outs[0];
    const into = ins.find((handle) => handle.id === edge.targetHandle) ?? ins[0];
    if (!out || !into) continue;
    ends.push({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      from: { x: source.position.x + out.x + (out.width ?? 0), y: source.position.y + out.y + (out.height ?? 0) / 2 },
      to: { x: target.position.x + into.x, y: target.position.y + into.y + (into.height ?? 0) / 2 },
    });
  }
  return ends;
}
