// Folding a long left-to-right layout into rows, as text wraps: a chain of five 240-pixel
// cards is wider than the designer's canvas at 100%, and fitting it in one row shrinks the
// cards until they cannot be read. Rows of whole columns (a layer's nodes stay together),
// each starting at the left, stacked top to bottom, as many as make the flow readable. A
// row ends only where the lines going on to the next leave from one or two steps: more
// would draw a knot of lines between the rows.
import type { Position } from "./types";
import { READABLE_ZOOM, type Box } from "./viewport";

export interface WrapOptions {
  /** Space between two rows (the edge from a row's end to the next row's start runs there). */
  rowGap?: number;
  /** Kept clear around the flow, in screen pixels. */
  padding?: number;
  /** The zoom a flow is never shown above, so no fold is worth more than reaching it. */
  maxZoom?: number;
  /** Fold only when that shows the flow this many times larger than one row would. */
  minGain?: number;
  /** One row shown at this zoom or more is left as it is: its cards read well, and rows
   * would draw a branching flow's lines back and forth across the canvas. */
  readableZoom?: number;
  /** A row may end only where the edges crossing to the columns after it leave from at
   * most this many steps. */
  maxCrossing?: number;
}

export interface Link {
  source: string;
  target: string;
  /** The source's handle: a branch's or a switch's arm. */
  sourceHandle?: string | null;
}

interface Column {
  left: number;
  right: number;
  ids: string[];
}

/** The nodes grouped in columns: boxes whose horizontal extents overlap, left to right. */
function columnsOf(boxes: ReadonlyMap<string, Box>): Column[] {
  const sorted = [...boxes].sort(([, a], [, b]) => a.x - b.x);
  const columns: Column[] = [];
  for (const [id, box] of sorted) {
    const last = columns[columns.length - 1];
    if (last && box.x < last.right) {
      last.right = Math.max(last.right, box.x + box.width);
      last.ids.push(id);
    } else {
      columns.push({ left: box.x, right: box.x + box.width, ids: [id] });
    }
  }
  return columns;
}

interface Fold {
  rows: Column[][];
  width: number;
  height: number;
}

/** Where fold's rows start and end: for each end of a row (after column e), the fewest rows
 * and the least raggedness of the columns up to it, over each allowed start. */
function balancedRows(columns: readonly Column[], cuts: readonly boolean[], maxWidth: number): Column[][] {
  const n = columns.length;
  const endsAt = (i: number) => i === n - 1 || cuts[i];
  // Room is counted in columns (a column's width and the gap after it, on average): cards of
  // a few pixels' difference in width do not make one fold more even than another, and of
  // two as even the one with fuller rows first is kept, as text is set.
  const pitch = Math.max(1, (columns[n - 1].right - columns[0].left) / n);
  // best[j]: the columns before j in rows; from[j]: where the last of those rows starts
  const best: { rows: number; cost: number }[] = [{ rows: 0, cost: 0 }];
  const from: number[] = [0];
  for (let j = 1; j <= n; j += 1) best.push({ rows: Infinity, cost: Infinity });
  for (let start = 0; start < n; start += 1) {
    if (best[start].rows === Infinity) continue;
    let ended = false;
    for (let end = start; end < n; end += 1) {
      const width = columns[end].right - columns[start].left;
      // (a row wider than the room only when no cut comes sooner)
      if (width > maxWidth && ended) break;
      if (!endsAt(end)) continue;
      ended = true;
      const room = Number.isFinite(maxWidth) ? Math.round(Math.max(0, maxWidth - width) / pitch) : 0;
      const rows = best[start].rows + 1;
      const cost = best[start].cost + room * room;
      const known = best[end + 1];
      if (rows < known.rows || (rows === known.rows && cost <= known.cost + 1e-6)) {
        best[end + 1] = { rows, cost };
        from[end + 1] = start;
      }
    }
  }
  const rows: Column[][] = [];
  for (let end = n; end > 0; end = from[end]) rows.unshift(columns.slice(from[end], end));
  return rows;
}

/** Rows no wider than `maxWidth`, each ending at an allowed cut (`cuts[i]`: a row may end
 * after column i); a row is wider only when no allowed cut comes sooner. As few rows as
 * that allows, as even in width as they can be (the least sum of squared room left, as
 * text is set without a ragged edge): not three full rows and a fourth of one step. */
function fold(columns: readonly Column[], cuts: readonly boolean[], maxWidth: number, boxes: ReadonlyMap<string, Box>, rowGap: number): Fold {
  const rows = balancedRows(columns, cuts, maxWidth);
  let width = 0;
  let height = 0;
  for (const row of rows) {
    width = Math.max(width, row[row.length - 1].right - row[0].left);
    const { top, bottom } = verticalExtent(row, boxes);
    height += bottom - top;
  }
  return { rows, width, height: height + rowGap * (rows.length - 1) };
}

/** Whether a row may end after each column: the edges crossing from it to the next leave
 * from few steps (edges from one step draw as one line until they part), and not from two
 * arms of one branch or switch (its arms part at the card: cut there, they would draw a
 * knot of lines back across the row, each to its own step on the next). */
function allowedCuts(columns: readonly Column[], links: readonly Link[], maxCrossing: number): boolean[] {
  const columnOf = new Map<string, number>();
  columns.forEach((column, i) => column.ids.forEach((id) => columnOf.set(id, i)));
  const sources = columns.map(() => new Map<string, Set<string>>());
  for (const link of links) {
    const from = columnOf.get(link.source);
    const to = columnOf.get(link.target);
    if (from === undefined || to === undefined) continue;
    for (let i = Math.min(from, to); i < Math.max(from, to); i += 1) {
      const arms = sources[i].get(link.source) ?? new Set<string>();
      arms.add(link.sourceHandle ?? "");
      sources[i].set(link.source, arms);
    }
  }
  return sources.map((crossing) => crossing.size <= maxCrossing && [...crossing.values()].every((arms) => arms.size === 1));
}

function verticalExtent(row: readonly Column[], boxes: ReadonlyMap<string, Box>): { top: number; bottom: number } {
  let top = Infinity;
  let bottom = -Infinity;
  for (const column of row) {
    for (const id of column.ids) {
      const box = boxes.get(id)!;
      top = Math.min(top, box.y);
      bottom = Math.max(bottom, box.y + box.height);
    }
  }
  return { top, bottom };
}

/** A fold whose shortest row holds this share of the longest's columns, or less, leaves a
 * row nearly empty (2, 2, 2, 1): an even fold is taken instead when one shows the whole
 * flow at a readable zoom. */
const LONE_ROW = 0.5;

/** The shortest row's share of the longest, in columns: 0.5 for 2, 2, 2, 1; 2/3 for 3, 2, 2. */
function evenness(laid: Fold): number {
  const lengths = laid.rows.map((row) => row.length);
  return Math.min(...lengths) / Math.max(...lengths);
}

/**
 * The positions that fold the laid-out `boxes` into rows for a pane of `width` x `height`:
 * the number of columns a row holds is the one that lets the whole flow be shown largest
 * (fewer rows when that is as large); for a flow no fold shows whole at `readableZoom`, the
 * most the pane's width holds at that zoom. Null when one row is best (or nothing to fold).
 */
export function wrapIntoRows(
  boxes: ReadonlyMap<string, Box>,
  links: readonly Link[],
  width: number,
  height: number,
  {
    rowGap = 88,
    padding = 24,
    maxZoom = 1,
    minGain = 1.15,
    maxCrossing = 2,
    readableZoom = READABLE_ZOOM,
  }: WrapOptions = {},
): Map<string, Position> | null {
  const columns = columnsOf(boxes);
  if (columns.length < 2 || width <= 2 * padding || height <= 2 * padding) return null;
  const zoomOf = (laid: Fold) => Math.min(maxZoom, (width - 2 * padding) / laid.width, (height - 2 * padding) / laid.height);
  const cuts = allowedCuts(columns, links, maxCrossing);
  const single = fold(columns, cuts, Infinity, boxes, rowGap);
  let best = single;
  let bestZoom = zoomOf(single);
  if (bestZoom >= Math.min(readableZoom, maxZoom)) return null;
  // Each width a row could be (up to each column from the first), widest first.
  const folds: Fold[] = [];
  for (let last = columns.length - 2; last >= 0; last -= 1) {
    const laid = fold(columns, cuts, columns[last].right - columns[0].left, boxes, rowGap);
    folds.push(laid);
    const zoom = zoomOf(laid);
    // Another row only for a visibly larger view: rows cost the reader a jump back left.
    if (zoom > bestZoom * 1.02) {
      best = laid;
      bestZoom = zoom;
    }
  }
  const readable = Math.min(readableZoom, maxZoom);
  if (bestZoom >= readable && evenness(best) <= LONE_ROW) {
    // A step (or half a row) left alone on the last row: a fold of even rows instead, a
    // little smaller but still readable (seven steps in 3, 2, 2 rather than 2, 2, 2, 1),
    // the largest such.
    for (const laid of folds) {
      const zoom = zoomOf(laid);
      if (laid.rows.length < 2 || evenness(laid) <= LONE_ROW || zoom < readable) continue;
      if (evenness(best) <= LONE_ROW || zoom > bestZoom) {
        best = laid;
        bestZoom = zoom;
      }
    }
  }
  if (bestZoom < readable) {
    // Too long to show whole at a readable zoom: it is shown at one from its start, so its
    // rows are as wide as the pane shows at that zoom (the fewest such rows), as text wraps
    // at the page's width, and the person pans down only, not across and back.
    const room = (width - 2 * padding) / readable;
    const fitting = folds.filter((laid) => laid.width <= room && laid.rows.length > 1);
    const narrowest = folds.reduce<Fold | null>((least, laid) => (!least || laid.width < least.width ? laid : least), null);
    best = fitting.reduce<Fold | null>((fewest, laid) => (!fewest || laid.rows.length < fewest.rows.length ? laid : fewest), null) ?? narrowest ?? single;
    if (best.rows.length === 1) return null;
  } else if (best.rows.length === 1 || bestZoom < zoomOf(single) * minGain) return null;
  const left = columns[0].left;
  const positions = new Map<string, Position>();
  let y = verticalExtent(best.rows[0], boxes).top;
  for (const row of best.rows) {
    const { top, bottom } = verticalExtent(row, boxes);
    const dx = left - row[0].left;
    const dy = y - top;
    for (const column of row) {
      for (const id of column.ids) {
        const box = boxes.get(id)!;
        positions.set(id, { x: Math.round(box.x + dx), y: Math.round(box.y + dy) });
      }
    }
    y += bottom - top + rowGap;
  }
  return positions;
}
