// Where the canvas goes when a step is selected (and the inspector takes its column): the
// step must be in view, its neighbours should be, and the view moves as little as that needs.
import type { Viewport } from "@xyflow/react";
import { READABLE_ZOOM } from "../../graph";

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
/** To bring the neighbours in, the view zooms out to no less than this share of its zoom,
 *  and not below the smallest zoom whose cards (their inputs' text) can still be read. */
const MAX_ZOOM_OUT = 0.6;

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

function union(a: Box, b: Box): Box {
  return { minX: Math.min(a.minX, b.minX), minY: Math.min(a.minY, b.minY), maxX: Math.max(a.maxX, b.maxX), maxY: Math.max(a.maxY, b.maxY) };
}

function centreDistance(a: Box, b: Box): number {
  return Math.hypot((a.minX + a.maxX - b.minX - b.maxX) / 2, (a.minY + a.maxY - b.minY - b.maxY) / 2);
}

/**
 * One axis: the offset nearest `offset` that shows `want` (flow units) `room` pixels inside
 * the canvas, then `must` `margin` pixels inside (the selected card comes first).
 */
function axis(offset: number, zoom: number, size: number, margin: number, must: [number, number], want: [number, number]): number {
  // The offsets that keep [low, high] `room` pixels inside both edges (swapped when wider).
  const range = ([low, high]: [number, number], room: number): [number, number] => {
    const a = room - low * zoom;
    const b = size - room - high * zoom;
    return [Math.min(a, b), Math.max(a, b)];
  };
  const [wantLo, wantHi] = range(want, Math.min(margin, NEIGHBOUR_MARGIN));
  const [mustLo, mustHi] = range(must, margin);
  return clamp(clamp(offset, wantLo, wantHi), mustLo, mustHi);
}

/**
 * The viewport that shows `must` (the selected card) and as many of `neighbours` (the cards
 * wired to it), nearest first, as fit on a canvas of `width` x `height`, moved as little as
 * possible from `viewport`: it pans, and zooms out only as far as that brings them in and
 * the cards stay readable.
 */
export function revealViewport(viewport: Viewport, width: number, height: number, must: Box, neighbours: Box[], margin = REVEAL_MARGIN): Viewport {
  let { zoom, x, y } = viewport;
  // Room for the step's margin at one edge and a neighbour's at the other.
  const room = margin + Math.min(margin, NEIGHBOUR_MARGIN);
  const fitsAt = (box: Box) => Math.min((width - room) / (box.maxX - box.minX), (height - room) / (box.maxY - box.minY));
  const all = neighbours.reduce(union, must);
  const fitting = fitsAt(all);
  // It zooms out only when that brings every neighbour in at a zoom the cards still read at;
  // else it keeps the zoom and pans to the nearest ones (a step wired across a long flow
  // would otherwise shrink it out of reading whenever its inspector opens).
  if (fitting < zoom && fitting >= Math.max(zoom * MAX_ZOOM_OUT, Math.min(zoom, READABLE_ZOOM))) {
    // Zoom about the selected card, so it stays where the person clicked it.
    x += ((must.minX + must.maxX) / 2) * (zoom - fitting);
    y += ((must.minY + must.maxY) / 2) * (zoom - fitting);
    zoom = fitting;
  }
  // The nearest neighbours first, as many as fit beside it.
  let want = must;
  for (const box of [...neighbours].sort((a, b) => centreDistance(a, must) - centreDistance(b, must))) {
    const grown = union(want, box);
    if (fitsAt(grown) >= zoom) want = grown;
  }
  return {
    x: axis(x, zoom, width, margin, [must.minX, must.maxX], [want.minX, want.maxX]),
    y: axis(y, zoom, height, margin, [must.minY, must.maxY], [want.minY, want.maxY]),
    zoom,
  };
}
