// The first view of a graph: the whole flow when it fits at a readable zoom, else its start.
import type { Position } from "./types";

export interface Box extends Position {
  width: number;
  height: number;
}

export interface Viewport extends Position {
  zoom: number;
}

export interface StartViewOptions {
  /** Below this zoom card text cannot be read: the view stops shrinking and shows the start. */
  minZoom?: number;
  maxZoom?: number;
  padding?: number;
}

/** Zoom at which a long flow stops shrinking to fit and opens on its first steps instead. */
export const READABLE_ZOOM = 0.65;

/**
 * The viewport that shows `boxes` in a pane of `width` x `height`: fitted and centred when
 * that keeps the zoom at `minZoom` or more; otherwise at `minZoom`, from the flow's left edge
 * (where a flow begins, laid out left to right) and, if it is too tall as well, its top.
 */
export function startViewport(boxes: readonly Box[], width: number, height: number, options: StartViewOptions = {}): Viewport {
  const { minZoom = READABLE_ZOOM, maxZoom = 1, padding = 24 } = options;
  if (boxes.length === 0) return { x: 0, y: 0, zoom: 1 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const box of boxes) {
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.width);
    maxY = Math.max(maxY, box.y + box.height);
  }
  const boundsWidth = Math.max(1, maxX - minX);
  const boundsHeight = Math.max(1, maxY - minY);
  const fit = Math.min((width - 2 * padding) / boundsWidth, (height - 2 * padding) / boundsHeight, maxZoom);
  const zoom = Math.max(fit, minZoom);
  const x = boundsWidth * zoom <= width - 2 * padding
    ? (width - boundsWidth * zoom) / 2 - minX * zoom
    : padding - minX * zoom;
  const y = boundsHeight * zoom <= height - 2 * padding
    ? (height - boundsHeight * zoom) / 2 - minY * zoom
    : padding - minY * zoom;
  return { x, y, zoom };
}

/** How a flow shown at a readable zoom stays readable when its pane narrows (a panel opens
 * beside it): see readableStartView. */
export interface ReadableViewOptions extends StartViewOptions {
  /** A flow shown at this zoom or more is not shrunk below it... */
  keepReadableZoom: number;
  /** ...unless it still fits whole at this zoom or more: a card cut at the pane's edge reads
   * as broken, a slightly smaller one does not. */
  wholeFlowZoom: number;
}

/**
 * The first view of `boxes` in a pane of `width` x `height` that replaces a view at
 * `shownZoom` (the pane changed size: a panel opened beside the graph, or closed). The flow
 * is fitted (startViewport) unless that would shrink a flow shown at a readable zoom
 * (`keepReadableZoom` or more) to less than `wholeFlowZoom`: then it stays at a readable
 * zoom, showing its start (where a flow laid out left to right begins), and the minimap
 * what is past the pane's edge, as n8n's and Dify's canvases keep their zoom beside a
 * panel. Without `shownZoom` (a first view), the flow is fitted.
 */
export function readableStartView(boxes: readonly Box[], width: number, height: number, shownZoom: number | undefined, options: ReadableViewOptions): Viewport {
  const { keepReadableZoom, wholeFlowZoom, ...fit } = options;
  const fitted = startViewport(boxes, width, height, fit);
  if (shownZoom === undefined || shownZoom < keepReadableZoom || fitted.zoom >= wholeFlowZoom) return fitted;
  return startViewport(boxes, width, height, { ...fit, minZoom: Math.max(fit.minZoom ?? READABLE_ZOOM, keepReadableZoom) });
}

/**
 * The viewport that brings `boxes` (nodes just added, somewhere off screen) into a pane of
 * `width` x `height` while keeping what is shown now: the current view and the boxes
 * together, zoomed out only as far as `minZoom`; when even that cannot hold both, the
 * boxes centred at the current zoom. The same viewport when the boxes are already in view.
 */
export function revealViewport(current: Viewport, boxes: readonly Box[], width: number, height: number, options: { minZoom?: number; padding?: number } = {}): Viewport {
  const { minZoom = READABLE_ZOOM, padding = 40 } = options;
  if (boxes.length === 0 || width <= 0 || height <= 0) return current;
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  const view = { x: -current.x / current.zoom, y: -current.y / current.zoom, width: width / current.zoom, height: height / current.zoom };
  const inside = left >= view.x && top >= view.y && right <= view.x + view.width && bottom <= view.y + view.height;
  if (inside) return current;
  const minX = Math.min(left, view.x);
  const minY = Math.min(top, view.y);
  const maxX = Math.max(right, view.x + view.width);
  const maxY = Math.max(bottom, view.y + view.height);
  const fit = Math.min(current.zoom, (width - 2 * padding) / (maxX - minX), (height - 2 * padding) / (maxY - minY));
  if (fit >= minZoom) {
    return { zoom: fit, x: (width - (maxX - minX) * fit) / 2 - minX * fit, y: (height - (maxY - minY) * fit) / 2 - minY * fit };
  }
  const zoom = Math.min(current.zoom, (width - 2 * padding) / (right - left), (height - 2 * padding) / (bottom - top));
  return { zoom, x: width / 2 - ((left + right) / 2) * zoom, y: height / 2 - ((top + bottom) / 2) * zoom };
}

/** Whether every box is inside a pane of `width` x `height` at `view` (a pixel of slack). */
export function showsAll(boxes: readonly Box[], view: Viewport, width: number, height: number): boolean {
  return boxes.every((box) => {
    const left = box.x * view.zoom + view.x;
    const top = box.y * view.zoom + view.y;
    return left >= -1 && top >= -1 && left + box.width * view.zoom <= width + 1 && top + box.height * view.zoom <= height + 1;
  });
}

/**
 * The view for a pane that changed size from `before` to `after` (a panel docked beside it,
 * or closed): when the whole flow was in view and no longer is, the flow fitted again, no
 * larger than it was (and, given `readable`, no smaller than a readable zoom it was shown
 * at: readableStartView); otherwise null (the view stays where the person left it).
 */
export function keepWholeFlow(
  boxes: readonly Box[],
  view: Viewport,
  before: { width: number; height: number },
  after: { width: number; height: number },
  minZoom = READABLE_ZOOM,
  readable?: Pick<ReadableViewOptions, "keepReadableZoom" | "wholeFlowZoom">,
): Viewport | null {
  if (boxes.length === 0 || after.width <= 0 || after.height <= 0) return null;
  if (!showsAll(boxes, view, before.width, before.height) || showsAll(boxes, view, after.width, after.height)) return null;
  const fit = { maxZoom: view.zoom, minZoom: Math.min(minZoom, view.zoom) };
  if (readable) return readableStartView(boxes, after.width, after.height, view.zoom, { ...fit, ...readable });
  return startViewport(boxes, after.width, after.height, fit);
}

/** A flow of more than this many nodes always has its minimap (the designer's and the run
 * page's): its cards are small or partly off screen, and the map is how one finds a step. */
export const MINIMAP_ALWAYS_ABOVE = 60;

/**
 * Whether a graph of `count` nodes shows its minimap: a big one always; a smaller one only
 * while part of it is out of view (`overflowing`), as with all of it in view the map would
 * only cover the cards in its corner.
 */
export function showsMiniMap(count: number, overflowing: boolean): boolean {
  return count > MINIMAP_ALWAYS_ABOVE || overflowing;
}
