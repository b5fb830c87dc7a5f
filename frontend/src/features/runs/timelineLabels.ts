// Where the run timeline puts its labels so that none overlaps another or a bar, whatever
// the width of its track and however short or many the nodes: worked out in pixels from
// the track's measured width and each label's measured width (the percentages alone cannot
// tell whether a label fits).
import { timelineStep } from "./format";

/** Room between a bar and its duration, and a label's padding when drawn inside its bar. */
export const LABEL_GAP = 6;
export const INSIDE_PADDING = 5;

export type Placement = "after" | "before" | "inside";

export interface LabelPlace {
  placement: Placement;
  /** The most the label may take (px): it is cut short (whole in its title) beyond that. */
  maxWidth: number;
}

/**
 * Where a bar's duration label goes on a track `track` px wide, the bar `left` px from its
 * start and `width` px wide, the label `label` px wide: after the bar when it fits there,
 * else before it, else inside it when the bar is wide enough, else on the roomier side, cut
 * to the room there. Never over the bar unless inside it, never out of the track.
 */
export function placeLabel(track: number, left: number, width: number, label: number): LabelPlace {
  const after = track - (left + width) - LABEL_GAP;
  const before = left - LABEL_GAP;
  const inside = width - 2 * LABEL_GAP;
  if (label <= after) return { placement: "after", maxWidth: after };
  if (label <= before) return { placement: "before", maxWidth: before };
  if (label + 2 * INSIDE_PADDING <= inside) return { placement: "inside", maxWidth: inside };
  return after >= before ? { placement: "after", maxWidth: Math.max(after, 0) } : { placement: "before", maxWidth: Math.max(before, 0) };
}

/**
 * The step between the axis's ticks: timelineStep's round one, made coarser (the next round
 * step, and so on) until neighbouring labels `label` px wide have room between them on a
 * track `track` px wide, the last one drawn ending at its tick.
 */
export function tickStep(spanMs: number, track: number, label: number): number {
  let step = Math.max(1, timelineStep(spanMs));
  if (track <= 0) return step;
  // A centred label beside one that ends at its tick needs one and a half widths.
  const room = 1.5 * label + 8;
  for (let i = 0; i < 40 && (step / spanMs) * track < room && step < spanMs; i += 1) {
    step = Math.max(step + 1, timelineStep(step * 5 * 1.0001));
  }
  return step;
}

let context: CanvasRenderingContext2D | null | undefined;

/** A label's width in px in `font` (a CSS font); an estimate where there is no canvas. */
export function textWidth(text: string, font: string): number {
  if (context === undefined) {
    try {
      context = typeof document === "undefined" ? null : document.createElement("canvas").getContext("2d");
    } catch {
      context = null;
    }
  }
  if (!context) return text.length * 6.6;
  context.font = font;
  return Math.ceil(context.measureText(text).width);
}

/** Where the timeline's rows scroll to so that row `index` (of `rowHeight` pixels) shows in
 * a box `view` pixels high now scrolled to `scrollTop`: null when it already shows whole,
 * else the offset that puts it in the middle (never below 0). */
export function scrollToRow(index: number, rowHeight: number, scrollTop: number, view: number): number | null {
  const top = index * rowHeight;
  if (top >= scrollTop && top + rowHeight <= scrollTop + view) return null;
  return Math.max(0, Math.round(top + rowHeight / 2 - view / 2));
}

/** The room a timeline row gives its step's name besides the name itself: the row's padding
 * (12 + 10), the status icon (15) and the gap after it (6), and 2 pixels to spare. */
const LABEL_CHROME = 12 + 10 + 15 + 6 + 2;

/** The width of the timeline's name column: the longest of `titles` whole (measured with
 * `measure`), between `min` (the column's width for short names) and `max`; the page keeps
 * it to half the timeline at most, for the bars (timeline.css). */
export function labelColumnWidth(titles: readonly string[], measure: (text: string) => number, { min = 256, max = 400 } = {}): number {
  const widest = titles.reduce((most, title) => Math.max(most, measure(title)), 0);
  return Math.round(Math.min(max, Math.max(min, Math.ceil(widest) + LABEL_CHROME)));
}

