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
