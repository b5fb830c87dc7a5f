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

/** The zoom a first view never goes below: a card's title (13px) reads at 10px. A flow too
 * big to show whole at it opens on its start at a readable zoom, the rest a pan away and the
 * minimap showing it, as n8n and Dify open a big workflow rather than shrink it unreadable. */
export const READABLE_ZOOM = 0.75;

/** An extent along one axis, in flow units. */
interface Span {
  start: number;
  end: number;
}

/** The cards' extents along one axis, merged where they overlap: a layout's columns (x) or
 * rows (y), in order. */
function bandsOf(boxes: readonly Box[], axis: "x" | "y"): Span[] {
  const size = axis === "x" ? "width" : "height";
  const spans = boxes.map((box) => ({ start: box[axis], end: box[axis] + box[size] })).sort((a, b) => a.start - b.start);
  const bands: Span[] = [];
  for (const span of spans) {
    const last = bands[bands.length - 1];
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else bands.push({ ...span });
  }
  return bands;
}

/** A card this far past the pane's edge is out of view: a drawn card may be a little
 * taller than the layout's box, and its edge should not peek in. */
const OUT_OF_VIEW_MARGIN = 4;

/** Kept, where the room allows, between the last whole card and the pane's far edge, in
 * screen pixels. */
const FAR_EDGE_CLEARANCE = 8;

/** A view's start along one axis may move up to this share of the padding towards the edge,
 * so that the last column it shows ends inside the pane (the next wholly past it). */
const START_GIVE = 0.5;

/** The zooms at which a view starting at the first band (`padding` pixels in, or up to
 * START_GIVE of it less) ends, `room` pixels on, in a gap between two bands (or past the
 * last): no card cut at the pane's edge. The band before the gap ends clear of the edge;
 * the one after starts past it. */
function wholeBandZooms(bands: readonly Span[], room: number, padding: number): Span[] {
  const origin = bands[0].start;
  const least = padding * (1 - START_GIVE);
  return bands.map((band, i) => {
    const next = bands[i + 1];
    return {
      start: next ? (room + OUT_OF_VIEW_MARGIN - padding) / (next.start - origin) : 0,
      end: (room - least) / Math.max(1, band.end - origin),
    };
  }).filter((zooms) => zooms.start <= zooms.end);
}

/** Where, in [padding * (1 - START_GIVE), padding], a view of `bands` at `zoom` starts so
 * that the band the pane's far edge would cut ends inside it instead (`padding` when no
 * band is cut, or moving the start that little cannot bring it in). */
function wholeBandStart(bands: readonly Span[], zoom: number, room: number, padding: number): number {
  const origin = bands[0].start;
  const limit = room - FAR_EDGE_CLEARANCE;
  const cut = bands.find((band) => padding + (band.end - origin) * zoom > limit && padding + (band.start - origin) * zoom < room);
  if (!cut) return padding;
  const least = padding * (1 - START_GIVE);
  const start = limit - (cut.end - origin) * zoom;
  if (start >= least) return start;
  // without the clearance, if that is what it takes
  return room - (cut.end - origin) * zoom >= least ? least : padding;
}

/** The least zoom in [low, high] inside one of `a`'s spans and one of `b`'s; null if none. */
function leastIn(a: readonly Span[], b: readonly Span[], low: number, high: number): number | null {
  let least: number | null = null;
  for (const p of a) {
    for (const q of b) {
      const zoom = Math.max(p.start, q.start, low);
      if (zoom <= Math.min(p.end, q.end, high) && (least === null || zoom < least)) least = zoom;
    }
  }
  return least;
}

/**
 * The zoom, from `minZoom` up to `maxZoom`, at which a view of `boxes` from their top left
 * corner cuts no card in half at the pane's right and bottom edges: the columns and rows it
 * shows are whole, the next ones wholly past the edge. The least such zoom (the most shown);
 * when no zoom keeps both edges clear, the right one (a flow runs left to right); when none
 * keeps that clear either, `minZoom`.
 */
export function wholeCardsZoom(boxes: readonly Box[], width: number, height: number, { minZoom = READABLE_ZOOM, maxZoom = 1, padding = 24 }: StartViewOptions = {}): number {
  if (boxes.length === 0) return maxZoom;
  const across = wholeBandZooms(bandsOf(boxes, "x"), width, padding);
  const down = wholeBandZooms(bandsOf(boxes, "y"), height, padding);
  const any = [{ start: 0, end: Infinity }];
  return leastIn(across, down, minZoom, maxZoom) ?? leastIn(across, any, minZoom, maxZoom) ?? minZoom;
}

/**
 * The viewport that shows `boxes` in a pane of `width` x `height`: fitted and centred when
 * that keeps the zoom at `minZoom` or more; otherwise at a readable zoom (`minZoom`, or a
 * little more so no card is cut in half at the pane's edge: wholeCardsZoom), from the
 * flow's left edge (where a flow begins, laid out left to right) and, if it is too tall as
 * well, its top.
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
  const zoom = fit >= minZoom ? fit : wholeCardsZoom(boxes, width, height, { minZoom, maxZoom: Math.max(minZoom, maxZoom), padding });
  const x = boundsWidth * zoom <= width - 2 * padding
    ? (width - boundsWidth * zoom) / 2 - minX * zoom
    : wholeBandStart(bandsOf(boxes, "x"), zoom, width, padding) - minX * zoom;
  const y = boundsHeight * zoom <= height - 2 * padding
    ? (height - boundsHeight * zoom) / 2 - minY * zoom
    : wholeBandStart(bandsOf(boxes, "y"), zoom, height, padding) - minY * zoom;
  return { x, y, zoom };
}

/**
 * The first view of a flow, the same in the designer and on the run page, and again when a
 * panel docks beside the graph or closes (the view made for the room the pane has): the
 * whole flow, fitted up to its cards' own size, when it shows at a readable zoom
 * (READABLE_ZOOM); else its start at a readable zoom with no card cut at the pane's edge
 * (startViewport), the person panning for the rest with the minimap's help.
 */
export function readableStartView(boxes: readonly Box[], width: number, height: number, options: Omit<StartViewOptions, "minZoom"> = {}): Viewport {
  return startViewport(boxes, width, height, { ...options, minZoom: READABLE_ZOOM });
}

/** A control drawn over a corner of the pane (the zoom buttons, the minimap): its size
 * measured from the corner, with the room kept around it. */
export interface Corner {
  width: number;
  height: number;
}

/** What lies over the graph's pane: the zoom buttons at its bottom left, always; the
 * minimap at its bottom right while part of the flow is out of view (showsMiniMap). */
export interface PaneOverlays {
  bottomLeft?: Corner;
  bottomRight?: Corner;
}

/** How a view shows `boxes`: the cards it cuts at the pane's edge, those it hides in part
 * under one of the pane's overlays (where a card looks hidden), both together (`spoiled`),
 * and the cards it shows whole and clear. */
export function viewQuality(boxes: readonly Box[], view: Viewport, width: number, height: number, overlays: PaneOverlays): { cut: number; covered: number; spoiled: number; whole: number } {
  const all = showsAll(boxes, view, width, height);
  const corners: { left: number; right: number; top: number }[] = [];
  if (overlays.bottomLeft) corners.push({ left: 0, right: overlays.bottomLeft.width, top: height - overlays.bottomLeft.height });
  // (the minimap only shows while part of the flow is out of view)
  if (overlays.bottomRight && showsMiniMap(boxes.length, !all)) {
    corners.push({ left: width - overlays.bottomRight.width, right: width, top: height - overlays.bottomRight.height });
  }
  let cut = 0;
  let covered = 0;
  let whole = 0;
  for (const box of boxes) {
    const left = box.x * view.zoom + view.x;
    const top = box.y * view.zoom + view.y;
    const right = left + box.width * view.zoom;
    const bottom = top + box.height * view.zoom;
    const out = right <= 0.5 - OUT_OF_VIEW_MARGIN || bottom <= 0.5 - OUT_OF_VIEW_MARGIN
      || left >= width + OUT_OF_VIEW_MARGIN - 0.5 || top >= height + OUT_OF_VIEW_MARGIN - 0.5;
    if (out) continue;
    // (a card drawn a little taller than its box must not reach the edge either)
    const inside = left >= -0.5 && top >= -0.5 && right <= width - OUT_OF_VIEW_MARGIN && bottom <= height - OUT_OF_VIEW_MARGIN;
    if (!inside) cut += 1;
    else if (corners.some((corner) => left < corner.right && right > corner.left && bottom > corner.top)) covered += 1;
    else whole += 1;
  }
  return { cut, covered, spoiled: cut + covered, whole };
}

/** Whether view quality `a` is better than `b`: fewer cards cut (the worst: half a card,
 * the rest out of reach until one pans), then fewer under an overlay, then more whole. */
function better(a: ReturnType<typeof viewQuality>, b: ReturnType<typeof viewQuality>): boolean {
  if (a.cut !== b.cut) return a.cut < b.cut;
  if (a.covered !== b.covered) return a.covered < b.covered;
  return a.whole > b.whole;
}

/** The zooms tried for a clear first view, from the first view's down to the readable one, are this far apart. */
const CLEAR_VIEW_STEP = 0.01;

/** The most a clear first view's start may lie from the pane's edge, in paddings: a start
 * that far in pushes the column (or row) the edge would cut wholly past it. */
const MOST_START = 3;

/** The offsets along one axis a clear first view may start at, at `zoom`: the flow's start
 * `padding` in, or up to START_GIVE of it less, or at `clear` (clear of an overlay), or
 * centred when the flow fits; or moved in (up to MOST_START paddings) just enough to push
 * a band the pane's far edge would cut wholly past it. */
function startOffsets(bands: readonly Span[], zoom: number, size: number, padding: number, clear: number | null): number[] {
  const origin = bands[0].start;
  const extent = bands[bands.length - 1].end - origin;
  if (extent * zoom <= size - 2 * padding) return [(size - extent * zoom) / 2 - origin * zoom];
  const starts = [padding, padding * (1 - START_GIVE), ...(clear === null ? [] : [clear])];
  for (const band of bands) {
    const start = size + OUT_OF_VIEW_MARGIN - (band.start - origin) * zoom;
    if (start > padding && start <= MOST_START * padding) starts.push(start);
  }
  return starts.map((start) => start - origin * zoom);
}

/**
 * The first view of `boxes` (readableStartView) with no card cut at the pane's edge nor
 * hidden under the controls drawn over its corners (`overlays`): when the first view spoils
 * a card (a flow too tall as well as too wide, whose bottom row no readable zoom shows whole
 * beside its columns; a card in the minimap's corner), the readable zoom up to the first
 * view's and the start (the flow's left and top, a little further in, or centred where it
 * fits) that cut fewest, then cover fewest, showing most cards whole, at the largest such
 * zoom.
 */
export function clearStartView(boxes: readonly Box[], width: number, height: number, overlays: PaneOverlays, options: Omit<StartViewOptions, "minZoom"> = {}): Viewport {
  const first = readableStartView(boxes, width, height, options);
  if (boxes.length === 0 || width <= 0 || height <= 0) return first;
  let best = { view: first, quality: viewQuality(boxes, first, width, height, overlays) };
  if (best.quality.spoiled === 0) return first;
  const { padding = 24 } = options;
  const across = bandsOf(boxes, "x");
  const down = bandsOf(boxes, "y");
  // No larger than the first view: that would show less of the flow (a long one's rows are
  // as wide as the pane at the first view's zoom, the person panning only down).
  for (let zoom = first.zoom; zoom >= READABLE_ZOOM - 1e-9; zoom -= CLEAR_VIEW_STEP) {
    for (const x of startOffsets(across, zoom, width, padding, overlays.bottomLeft?.width ?? null)) {
      for (const y of startOffsets(down, zoom, height, padding, null)) {
        const view = { x, y, zoom };
        const quality = viewQuality(boxes, view, width, height, overlays);
        if (better(quality, best.quality)) best = { view, quality };
      }
    }
  }
  return best.view;
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
 * or closed): when the whole flow was in view and no longer is, the flow's first view for
 * the room left (readableStartView), no larger than it was shown; otherwise null (the view
 * stays where the person left it).
 */
export function keepWholeFlow(
  boxes: readonly Box[],
  view: Viewport,
  before: { width: number; height: number },
  after: { width: number; height: number },
  options: Omit<StartViewOptions, "minZoom" | "maxZoom"> = {},
): Viewport | null {
  if (boxes.length === 0 || after.width <= 0 || after.height <= 0) return null;
  if (!showsAll(boxes, view, before.width, before.height) || showsAll(boxes, view, after.width, after.height)) return null;
  // A flow the person zoomed out to see whole is fitted as small as that, not below.
  if (view.zoom < READABLE_ZOOM) return startViewport(boxes, after.width, after.height, { ...options, minZoom: view.zoom, maxZoom: view.zoom });
  return readableStartView(boxes, after.width, after.height, { ...options, maxZoom: view.zoom });
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

/** Whether a card of `boxes` shown at `view` lies, wholly or in part, under a control of
 * `corner`'s size in the bottom right corner of a pane of `width` x `height` (the minimap). */
export function cornerCoversCard(boxes: readonly Box[], view: Viewport, width: number, height: number, corner: Corner): boolean {
  const left = width - corner.width;
  const top = height - corner.height;
  return boxes.some((box) => {
    const x = box.x * view.zoom + view.x;
    const y = box.y * view.zoom + view.y;
    return x + box.width * view.zoom > left && x < width && y + box.height * view.zoom > top && y < height;
  });
}

/**
 * Whether a graph of `count` nodes shows its minimap now (showsMiniMap), `covers` telling
 * whether the map would lie over a card: until the person first moves the view (`moved`),
 * a flow small enough to do without it keeps its first view clear (when no first view
 * leaves the map's corner empty, as a wide flow's lanes reaching the pane's bottom), the
 * map showing from their first pan or zoom; a big flow has it from the start.
 */
export function showsMiniMapNow(count: number, overflowing: boolean, moved: boolean, covers: () => boolean): boolean {
  if (!showsMiniMap(count, overflowing)) return false;
  return moved || count > MINIMAP_ALWAYS_ABOVE || !covers();
}

/** Whether no band is cut at either edge of `size` pixels when the view's offset is `at`. */
function cutsNone(bands: readonly Span[], at: number, zoom: number, size: number): boolean {
  return bands.every((band) => {
    const left = band.start * zoom + at;
    const right = band.end * zoom + at;
    // (half a pixel of slack for rounding)
    return right <= 0.5 - OUT_OF_VIEW_MARGIN || left >= size + OUT_OF_VIEW_MARGIN - 0.5 || (left >= -0.5 && right <= size + 0.5);
  });
}

/** One axis of panToShow and wholeCardsView: the offset nearest `offset` that shows
 * `target` whole in `size` pixels, starting the view at a band's start (`padding` in, or up
 * to START_GIVE of it less, or the bands that fit from it centred) where that leaves no
 * band cut at either edge. With `moveIn`,
 * null when `target` is in view already, and a target out of view is brought in anyway;
 * without, null when no band is cut or no such start keeps `target` in view. */
function alignedOffset(bands: readonly Span[], target: Span, offset: number, zoom: number, size: number, padding: number, moveIn: boolean): number | null {
  const fits = (at: number) => target.start * zoom + at >= 0 && target.end * zoom + at <= size;
  if (moveIn ? fits(offset) : cutsNone(bands, offset, zoom, size)) return null;
  const least = padding * (1 - START_GIVE);
  // The view starting at a band, `padding` (or `least`) in; or the bands from it that fit
  // the pane, centred in it.
  const centred = (i: number): number => {
    let j = i;
    while (j + 1 < bands.length && (bands[j + 1].end - bands[i].start) * zoom <= size - 2 * least) j += 1;
    return (size - (bands[j].end - bands[i].start) * zoom) / 2 - bands[i].start * zoom;
  };
  const candidates = bands
    .flatMap((band, i) => (moveIn && band.start > target.start ? [] : [padding - band.start * zoom, least - band.start * zoom, centred(i)]))
    .filter(fits);
  const nearest = (list: number[]) => list.reduce<number | null>((best, at) => (best === null || Math.abs(at - offset) < Math.abs(best - offset) ? at : best), null);
  const clean = nearest(candidates.filter((at) => cutsNone(bands, at, zoom, size)));
  if (!moveIn) return clean;
  return clean ?? nearest(candidates) ?? padding - target.start * zoom;
}

/**
 * `view` panned (its zoom kept) to show `target` whole in a pane of `width` x `height`, the
 * view starting at a column (and a row) of `boxes` so that, where it can, no card is cut in
 * half at the pane's edges; the same view when `target` is already wholly in it.
 */
export function panToShow(view: Viewport, boxes: readonly Box[], target: Box, width: number, height: number, padding = 24): Viewport {
  const x = alignedOffset(bandsOf(boxes, "x"), { start: target.x, end: target.x + target.width }, view.x, view.zoom, width, padding, true);
  const y = alignedOffset(bandsOf(boxes, "y"), { start: target.y, end: target.y + target.height }, view.y, view.zoom, height, padding, true);
  return x === null && y === null ? view : { zoom: view.zoom, x: x ?? view.x, y: y ?? view.y };
}

/**
 * `view` nudged (its zoom kept) so no card of `boxes` is cut in half at the pane's edges,
 * `keep` staying wholly in view: the view starts at a column (a row) instead; the same view
 * when nothing is cut, or no such start keeps `keep` in view.
 */
export function wholeCardsView(view: Viewport, boxes: readonly Box[], keep: Box, width: number, height: number, padding = 24): Viewport {
  const x = alignedOffset(bandsOf(boxes, "x"), { start: keep.x, end: keep.x + keep.width }, view.x, view.zoom, width, padding, false);
  const y = alignedOffset(bandsOf(boxes, "y"), { start: keep.y, end: keep.y + keep.height }, view.y, view.zoom, height, padding, false);
  return x === null && y === null ? view : { zoom: view.zoom, x: x ?? view.x, y: y ?? view.y };
}
