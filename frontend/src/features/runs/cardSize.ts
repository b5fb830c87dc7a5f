// A run card is sized for its title, which reads whole: on one line when it fits, else on
// two (set closer, in the same height: the layout of a long run keeps its rows), the card
// a little wider when that spares a third. Only a longer title is cut, at the end of the
// second line; the card's tooltip and the node's details show it all. The layout, the
// handles and the edge routes all use these sizes.
import type { IrNode } from "../../graph";
import { clampToLines } from "../../lib/clampTitle";
import { textWidth } from "./timelineLabels";

/** The widths a card may take (runGraph.css .rn is the narrowest): the narrowest that
 * holds the title in two lines; the widest when none does. */
export const CARD_WIDTHS = [248, 280, 312] as const;
export const CARD_HEIGHT = 64;
export const MAP_CARD_HEIGHT = 84;
export const MAX_TITLE_LINES = 2;
/** What a card's width leaves for its title: its borders (1 + 1), padding (10 + 12), icon
 * (34), status (22) and the two gaps between them (10 each), and 3 pixels for the canvas's
 * measure and the page's to differ by. */
export const TITLE_CHROME = 2 + 10 + 12 + 34 + 22 + 2 * 10 + 3;

export interface CardSize {
  width: number;
  height: number;
  /** The lines its title takes (MAX_TITLE_LINES at most: a longer one is cut). */
  lines: number;
}

/** The lines `text`'s words wrap into in `room` pixels, as the browser wraps them (a word
 * wider than the room on a line of its own). */
export function wrappedLines(text: string, room: number, measure: (text: string) => number): number {
  let lines = 0;
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const longer = line ? `${line} ${word}` : word;
    if (line && measure(longer) > room) {
      lines += 1;
      line = word;
    } else {
      line = longer;
    }
  }
  return Math.max(1, lines + (line ? 1 : 0));
}

/** The size of a card whose title is `title` (a map's card has its items' bar below). */
export function cardSizeFor(title: string, map: boolean, measure: (text: string) => number): CardSize {
  let width: number = CARD_WIDTHS[0];
  let lines = wrappedLines(title, width - TITLE_CHROME, measure);
  for (const wider of CARD_WIDTHS.slice(1)) {
    if (lines <= MAX_TITLE_LINES) break;
    width = wider;
    lines = wrappedLines(title, width - TITLE_CHROME, measure);
  }
  return { width, height: map ? MAP_CARD_HEIGHT : CARD_HEIGHT, lines: Math.min(lines, MAX_TITLE_LINES) };
}

let family: string | null = null;

/** The title's font: 600 13px in the page's (theme.css --font), as a canvas measures it. */
function measureTitle(text: string): number {
  if (family === null) {
    const root = typeof document === "undefined" ? null : document.documentElement;
    family = (root && getComputedStyle(root).getPropertyValue("--font").trim()) || "sans-serif";
  }
  return textWidth(text, `600 13px ${family}`);
}

const sizes = new Map<string, CardSize>();

/** The title as the card shows it: whole, or cut after its last whole word that fits the
 * card's lines, with an ellipsis (clampToLines). */
export function shownTitle(node: IrNode): string {
  const title = node.title || node.id;
  let shown = shownTitles.get(title);
  if (shown === undefined) {
    shown = clampToLines(title, cardSize(node).width - TITLE_CHROME, MAX_TITLE_LINES, measureTitle);
    shownTitles.set(title, shown);
  }
  return shown;
}

const shownTitles = new Map<string, string>();

/** The card's size for `node`, measured once per title and kind. */
export function cardSize(node: IrNode): CardSize {
  const title = node.title || node.id;
  const map = node.type === "map";
  const key = `${map ? "m" : "n"}:${title}`;
  let size = sizes.get(key);
  if (!size) {
    size = cardSizeFor(title, map, measureTitle);
    sizes.set(key, size);
  }
  return size;
}
