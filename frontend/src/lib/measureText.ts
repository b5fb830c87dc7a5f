// The width of a card's title as the page draws it (600 13px in the theme's --font),
// measured on a canvas: the run page sizes its cards by it, and both graphs cut a title
// too long for its card after a whole word (clampTitle.ts).

let context: CanvasRenderingContext2D | null | undefined;
let family: string | null = null;

/** The width in pixels of `text` set as a card's title. */
export function measureCardTitle(text: string): number {
  if (context === undefined) {
    try {
      context = typeof document === "undefined" ? null : document.createElement("canvas").getContext("2d");
    } catch {
      context = null;
    }
  }
  if (!context) return text.length * 6.6; // no canvas (tests): about 13px text's average
  if (family === null) family = getComputedStyle(document.documentElement).getPropertyValue("--font").trim() || "sans-serif";
  context.font = `600 13px ${family}`;
  return Math.ceil(context.measureText(text).width);
}
