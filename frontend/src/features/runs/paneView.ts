// Where the run graph's view goes when its pane changes size (the node details panel opens
// beside it, closes, or is resized) or a node is picked: the graph keeps using the room
// the panel leaves, as n8n's and Dify's canvases do beside their panels.
import { clearStartView, panToShow, READABLE_ZOOM, wrapIntoRows, type Box, type Link, type Position, type Viewport } from "../../graph";

export interface PaneSize {
  width: number;
  height: number;
}

export interface PaneViewInput {
  /** The view now (React Flow's transform). */
  current: Viewport;
  /** The pane's size the view was set for; null before it was first measured. */
  previous: PaneSize | null;
  pane: PaneSize;
  /** The view is still the first one (neither the person nor a picked node moved it). */
  atStart: boolean;
  /** The first view for a pane of a given size (the whole flow, or its start). */
  startView(pane: PaneSize): Viewport;
  /** The picked node's box, in flow coordinates; null when none is picked. */
  picked: Box | null;
  /** Every card's box where the view shows it: a picked card brought into view is shown
   * with its neighbours whole, not cut at the pane's edge (panToShow). */
  boxes?: readonly Box[];
  /** Kept clear between a revealed node and the pane's edges, in screen pixels. */
  margin?: Margin;
}

/** Room kept clear at each edge of the pane: where the zoom controls (bottom left) and the
 * legend (top left) lie over the graph, a card brought into view is not put under them. */
export interface Margin {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const PANE_MARGIN: Margin = { left: 56, right: 16, top: 48, bottom: 16 };

/** The pane's bottom right corner the minimap (168 x 112, 15 from the edges) takes, with a
 * little room around it: a card brought into view is not put under it. */
export const MINIMAP_CORNER = { width: 200, height: 140 };

export interface PaneView {
  viewport: Viewport;
  /** The picked node was out of view and the view moved to it: no longer the first view. */
  revealed: boolean;
}

/**
 * The view after a resize, a pick, or both. A first view is shown again at the new size
 * (the flow refitted to the room it now has); a view the person moved keeps what was at
 * the middle of the pane there. Then a picked node not wholly in view is brought in,
 * at the same zoom, with as little panning as does it.
 */
export function paneView({ current, previous, pane, atStart, startView, picked, boxes, margin = PANE_MARGIN }: PaneViewInput): PaneView {
  let viewport = current;
  const resized = previous !== null && (previous.width !== pane.width || previous.height !== pane.height);
  if (resized) {
    viewport = atStart
      ? startView(pane)
      : { ...current, x: current.x + (pane.width - previous.width) / 2, y: current.y + (pane.height - previous.height) / 2 };
  }
  if (!picked || pane.width <= 0 || pane.height <= 0) return { viewport, revealed: false };
  const aligned = boxes ? panToShow(viewport, boxes, picked, pane.width, pane.height, START_PADDING) : viewport;
  const moved = revealBox(aligned, picked, pane, margin);
  return { viewport: moved, revealed: moved.x !== viewport.x || moved.y !== viewport.y };
}

/** `viewport` panned (zoom kept) just enough to show `box` whole, `margin` clear of the
 * pane's edges; the same viewport when it already does. A box bigger than the room left
 * is shown from its top left. */
export function revealBox(viewport: Viewport, box: Box, pane: PaneSize, margin: Margin = PANE_MARGIN): Viewport {
  const { zoom } = viewport;
  const shift = (start: number, size: number, room: number, before: number, after: number, offset: number): number => {
    const from = start * zoom + offset;
    const to = from + size * zoom;
    if (from >= before && to <= room - after) return offset;
    if (size * zoom > room - before - after || from < before) return before - start * zoom;
    return room - after - (start + size) * zoom;
  };
  let x = shift(box.x, box.width, pane.width, margin.left, margin.right, viewport.x);
  let y = shift(box.y, box.height, pane.height, margin.top, margin.bottom, viewport.y);
  // Out of the minimap's corner: leftwards when the card fits there, else upwards.
  const right = (box.x + box.width) * zoom + x;
  const bottom = (box.y + box.height) * zoom + y;
  const cornerLeft = pane.width - MINIMAP_CORNER.width;
  const cornerTop = pane.height - MINIMAP_CORNER.height;
  if (right > cornerLeft && bottom > cornerTop) {
    if (box.width * zoom <= cornerLeft - margin.left) x -= right - cornerLeft;
    else if (box.height * zoom <= cornerTop - margin.top) y -= bottom - cornerTop;
  }
  return x === viewport.x && y === viewport.y ? viewport : { x, y, zoom };
}

/** The node details panel's width: what the person dragged it to, kept between `min` and
 * what leaves the graph `minGraph` pixels of a `room`-wide card (never under `min`). */
export function clampPanelWidth(width: number, room: number, { min = 320, max = 720, minGraph = 360 } = {}): number {
  const widest = Math.max(min, Math.min(max, room - minGraph));
  return Math.round(Math.min(widest, Math.max(min, width)));
}

/** The run graph's first view fits the flow up to this zoom: a small flow at its cards'
 * own size, not blown up. */
export const MAX_START_ZOOM = 1;
/** Kept clear around the first view, in screen pixels: the zoom controls at the bottom left
 * stand within it, so no card starts under them. */
export const START_PADDING = 56;

/**
 * The run graph's first view of cards at `boxes` in a pane of `pane`'s size, the designer's
 * (clearStartView): the whole flow while it reads, else its first steps at a readable zoom,
 * no card cut at the pane's edge nor, where that can be, under the minimap; made again for
 * the room left when the node details panel opens beside the graph, and for the whole card
 * when it closes.
 */
export function runStartView(boxes: readonly Box[], pane: PaneSize): Viewport {
  // (the zoom buttons stand in the padding)
  return clearStartView(boxes, pane.width, pane.height, { bottomRight: MINIMAP_CORNER }, { maxZoom: MAX_START_ZOOM, padding: START_PADDING });
}

/**
 * Where a long flow's cards go, folded into rows for a pane of `pane`'s size (graph/wrap.ts):
 * a run-on flow of twenty steps reads in a few rows instead of one long strip shrunk to
 * fit. Folded again for the room left when the node details panel opens, and back when it
 * closes, as text rewraps. Null when one row is best.
 */
export function runFold(boxes: ReadonlyMap<string, Box>, links: readonly Link[], pane: PaneSize): Map<string, Position> | null {
  return wrapIntoRows(boxes, links, pane.width, pane.height, { padding: START_PADDING, maxZoom: MAX_START_ZOOM, readableZoom: READABLE_ZOOM });
}
