// Edge routes from the layout: ELK's orthogonal bend points, drawn as a path with rounded
// corners while both ends of the edge are still where the layout put them.
import type { Position } from "./types";
import type { Box } from "./viewport";

export interface EdgeRoute {
  /** Where the route leaves the source and reaches the target (the ports), layout coordinates. */
  start: Position;
  end: Position;
  /** The corners in between, layout coordinates. */
  bends: Position[];
  /** The top left corners the layout gave the source and target nodes. */
  source: Position;
  target: Position;
}

export interface RoutedPath {
  path: string;
  labelX: number;
  labelY: number;
}

/** How far a drawn handle may sit from the route's end before the route counts as stale. */
const TOLERANCE = 2;
export const CORNER_RADIUS = 8;

/**
 * The route moved to where the nodes are now, or null when it no longer fits: one end was
 * moved by hand since the layout (the bends would cut across the canvas), or a handle is
 * not level with the port the route was computed for.
 */
export function placeRoute(
  route: EdgeRoute,
  sourceNode: Position,
  targetNode: Position,
  from: Position,
  to: Position,
): Position[] | null {
  const dx = sourceNode.x - route.source.x;
  const dy = sourceNode.y - route.source.y;
  if (Math.abs(targetNode.x - route.target.x - dx) > TOLERANCE) return null;
  if (Math.abs(targetNode.y - route.target.y - dy) > TOLERANCE) return null;
  if (Math.abs(route.start.y + dy - from.y) > TOLERANCE || Math.abs(route.end.y + dy - to.y) > TOLERANCE) return null;
  // The handles sit a little outside the card; the first and last bends must still lie
  // between them, else the path would double back.
  const bends = route.bends.map((point) => ({ x: point.x + dx, y: point.y + dy }));
  if (bends.length && (bends[0].x < from.x || bends[bends.length - 1].x > to.x)) return null;
  const points = [from, ...bends, to];
  // Keep the legs at the handles horizontal, whatever rounding moved.
  if (bends.length) {
    points[1] = { x: points[1].x, y: from.y };
    points[points.length - 2] = { x: points[points.length - 2].x, y: to.y };
  }
  return points;
}

/** Drops repeated points and points in the middle of a straight run. */
export function simplify(points: readonly Position[]): Position[] {
  const out: Position[] = [];
  for (const point of points) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.x - point.x) < 0.5 && Math.abs(last.y - point.y) < 0.5) continue;
    const before = out[out.length - 2];
    if (before && last && collinear(before, last, point)) out[out.length - 1] = point;
    else out.push(point);
  }
  return out;
}

function collinear(a: Position, b: Position, c: Position): boolean {
  return Math.abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) < 0.5;
}

const fmt = (value: number) => String(Math.round(value * 10) / 10);

/** An SVG path through the points, each corner rounded by up to `radius`. */
export function roundedPath(input: readonly Position[], radius = CORNER_RADIUS): string {
  const points = simplify(input);
  if (points.length === 0) return "";
  let path = `M${fmt(points[0].x)},${fmt(points[0].y)}`;
  for (let i = 1; i < points.length - 1; i += 1) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const inLength = Math.hypot(b.x - a.x, b.y - a.y);
    const outLength = Math.hypot(c.x - b.x, c.y - b.y);
    const r = Math.min(radius, inLength / 2, outLength / 2);
    const enter = { x: b.x - ((b.x - a.x) / inLength) * r, y: b.y - ((b.y - a.y) / inLength) * r };
    const leave = { x: b.x + ((c.x - b.x) / outLength) * r, y: b.y + ((c.y - b.y) / outLength) * r };
    path += ` L${fmt(enter.x)},${fmt(enter.y)} Q${fmt(b.x)},${fmt(b.y)} ${fmt(leave.x)},${fmt(leave.y)}`;
  }
  const last = points[points.length - 1];
  if (points.length > 1) path += ` L${fmt(last.x)},${fmt(last.y)}`;
  return path;
}

/** The point halfway along the polyline (where an edge's label goes). */
export function midpoint(points: readonly Position[]): Position {
  const lengths = points.slice(1).map((point, i) => Math.hypot(point.x - points[i].x, point.y - points[i].y));
  let left = lengths.reduce((sum, length) => sum + length, 0) / 2;
  for (let i = 0; i < lengths.length; i += 1) {
    if (left <= lengths[i] && lengths[i] > 0) {
      const t = left / lengths[i];
      return { x: points[i].x + (points[i + 1].x - points[i].x) * t, y: points[i].y + (points[i + 1].y - points[i].y) * t };
    }
    left -= lengths[i];
  }
  return points[points.length - 1] ?? { x: 0, y: 0 };
}

/** The drawn path of a routed edge, or null when the default curve should be drawn instead. */
export function routedPath(
  route: EdgeRoute | undefined,
  sourceNode: Position | undefined,
  targetNode: Position | undefined,
  from: Position,
  to: Position,
): RoutedPath | null {
  if (!route || !sourceNode || !targetNode) return null;
  const points = placeRoute(route, sourceNode, targetNode, from, to);
  if (!points) return null;
  const label = midpoint(simplify(points));
  return { path: roundedPath(points), labelX: label.x, labelY: label.y };
}

/** Whether the axis-aligned segment a-b enters the box (its border excluded). */
function segmentCrosses(a: Position, b: Position, box: Box): boolean {
  return Math.min(a.x, b.x) < box.x + box.width - 1 && Math.max(a.x, b.x) > box.x + 1 &&
    Math.min(a.y, b.y) < box.y + box.height - 1 && Math.max(a.y, b.y) > box.y + 1;
}

/**
 * The routes that still fit the cards where they are now: both ends where the layout put
 * them (up to a shift of the two together) and no other card in the way. A card moved by
 * hand since the layout, or a layout of a changed graph that moved the cards between,
 * leaves an edge to the default curve rather than drawn through a card.
 */
export function routesClearOfCards(
  routes: Readonly<Record<string, EdgeRoute>>,
  edges: readonly { id: string; source: string; target: string }[],
  boxes: ReadonlyMap<string, Box>,
): Record<string, EdgeRoute> {
  const clear: Record<string, EdgeRoute> = {};
  for (const edge of edges) {
    const route = routes[edge.id];
    const source = boxes.get(edge.source);
    const target = boxes.get(edge.target);
    if (!route || !source || !target) continue;
    const dx = source.x - route.source.x;
    const dy = source.y - route.source.y;
    if (Math.abs(target.x - route.target.x - dx) > TOLERANCE || Math.abs(target.y - route.target.y - dy) > TOLERANCE) continue;
    const points = [route.start, ...route.bends, route.end].map((point) => ({ x: point.x + dx, y: point.y + dy }));
    let blocked = false;
    for (const [id, box] of boxes) {
      if (id === edge.source || id === edge.target) continue;
      if (points.some((point, i) => i > 0 && segmentCrosses(points[i - 1], point, box))) {
        blocked = true;
        break;
      }
    }
    if (!blocked) clear[edge.id] = route;
  }
  return clear;
}
