// Where the canvas goes when a step is selected (and the inspector takes its column): the
// step must be in view, its neighbours should be, and the view moves as little as that needs.
import type { Viewport } from "@xyflow/react";

/** A box in flow coordinates. */
export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Room kept between the revealed card and the canvas's edge, in pixels. */
export const REVEAL_MARGIN = 40;
/** A neighbour wholly on the canvas is in view: it needs only this much room. */
const NEIGHBOUR_MARGIN = 12;
/** The view zooms out at most this much to bring the neighbours in (more would be a jump). */
const MAX_ZOOM_OUT = 0.8;

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/**
 * One axis: the offset nearest `offset` that shows `must` (flow units) at least `margin`
 * pixels inside the canvas, and as much of `want` as fits.
 */
function axis(offset: number, zoom: number, size: number, margin: number, must: [number, number], want: [number, number]): number {
  // The offsets that keep [low, high] `room` pixels inside both edges (lo > hi: it is wider).
  const range = (low: number, high: number, room: number): [number, number] => [room - low * zoom, size - room - high * zoom];
  const [mustLo, mustHi] = range(...must, margin);
  if (mustLo > mustHi) return (mustLo + mustHi) / 2; // larger than the canvas: centred
  const [wantLo, wantHi] = range(...want, Math.min(margin, NEIGHBOUR_MARGIN));
  // The neighbours fit: show them all. They do not: fill the canvas with them, where the
  // step stays in view.
  const lo = Math.max(mustLo, Math.min(wantLo, wantHi));
  const hi = Math.min(mustHi, Math.max(wantLo, wantHi));
  return lo <= hi ? clamp(offset, lo, hi) : clamp(offset, mustLo, mustHi);
}

/**
 * The viewport that shows `must` (the selected card) and, as far as they fit, `want` (it
 * and its neighbours) on a canvas of `width` x `height`, moved as little as possible from
 * `viewport`. It zooms out only a little, and only when that brings every neighbour in.
 */
export function revealViewport(viewport: Viewport, width: number, height: number, must: Box, want: Box, margin = REVEAL_MARGIN): Viewport {
  let { zoom, x, y } = viewport;
  const room = 2 * Math.min(margin, NEIGHBOUR_MARGIN);
  const fitting = Math.min((width - room) / (want.maxX - want.minX), (height - room) / (want.maxY - want.minY));
  if (fitting < zoom && fitting >= zoom * MAX_ZOOM_OUT) {
    // Zoom about the selected card, so it stays where the person clicked it.
    const cx = (must.minX + must.maxX) / 2;
    const cy = (must.minY + must.maxY) / 2;
    x += cx * (zoom - fitting);
    y += cy * (zoom - fitting);
    zoom = fitting;
  }
  return {
    x: axis(x, zoom, width, margin, [must.minX, must.maxX], [want.minX, want.maxX]),
    y: axis(y, zoom, height, margin, [must.minY, must.maxY], [want.minY, want.maxY]),
    zoom,
  };
}
