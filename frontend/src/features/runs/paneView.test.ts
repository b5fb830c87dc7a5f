import { describe, expect, it } from "vitest";
import { READABLE_ZOOM } from "../../graph";
import { clampPanelWidth, paneView, revealBox, runFold, runStartView, type Margin, type PaneSize } from "./paneView";

const even: Margin = { left: 16, right: 16, top: 16, bottom: 16 };

const wide = { width: 1100, height: 440 };
const narrow = { width: 700, height: 440 };
const card = (x: number, y = 0) => ({ x, y, width: 248, height: 64 });

describe("paneView", () => {
  it("refits a first view to the room the panel leaves", () => {
    const startView = (pane: { width: number }) => ({ x: 0, y: 0, zoom: pane.width / 1100 });
    const { viewport, revealed } = paneView({ current: { x: 0, y: 0, zoom: 1 }, previous: wide, pane: narrow, atStart: true, startView, picked: card(100, 100) });
    expect(viewport.zoom).toBeCloseTo(700 / 1100);
    expect(revealed).toBe(false);
  });

  it("keeps the middle of a view the person moved at the middle of the smaller pane", () => {
    const current = { x: -300, y: 20, zoom: 0.8 };
    const { viewport } = paneView({ current, previous: wide, pane: narrow, atStart: false, startView: () => ({ x: 0, y: 0, zoom: 1 }), picked: null });
    const middle = (view: typeof current, pane: typeof wide) => (pane.width / 2 - view.x) / view.zoom;
    expect(middle(viewport, narrow)).toBeCloseTo(middle(current, wide));
    expect(viewport.zoom).toBe(0.8);
  });

  it("brings a picked node the smaller pane hides back into it, at the same zoom", () => {
    const current = { x: 0, y: 0, zoom: 1 };
    // the card at 800..1048 fits the wide pane but not the narrow one
    const { viewport, revealed } = paneView({ current, previous: wide, pane: narrow, atStart: false, startView: () => current, picked: card(800) });
    expect(revealed).toBe(true);
    expect(viewport.zoom).toBe(1);
    const right = 1048 * viewport.zoom + viewport.x;
    expect(right).toBeLessThanOrEqual(narrow.width - 16);
    expect(800 * viewport.zoom + viewport.x).toBeGreaterThanOrEqual(16);
  });

  it("brings a picked card in with the cards beside it whole, none cut at the pane's edge", () => {
    const boxes = [...row(12).values()];
    const current = runStartView(boxes, narrow);
    const picked = boxes[9];
    const { viewport, revealed } = paneView({ current, previous: narrow, pane: narrow, atStart: false, startView: () => current, picked, boxes });
    expect(revealed).toBe(true);
    expect(viewport.zoom).toBe(current.zoom);
    for (const box of boxes) {
      const left = box.x * viewport.zoom + viewport.x;
      const right = left + box.width * viewport.zoom;
      expect(right <= 0 || left >= narrow.width || (left >= 0 && right <= narrow.width)).toBe(true);
    }
    const left = picked.x * viewport.zoom + viewport.x;
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left + picked.width * viewport.zoom).toBeLessThanOrEqual(narrow.width);
  });

  it("leaves the view alone when nothing changed size and the picked node shows", () => {
    const current = { x: 10, y: 10, zoom: 1 };
    const result = paneView({ current, previous: wide, pane: wide, atStart: false, startView: () => ({ x: 0, y: 0, zoom: 3 }), picked: card(100, 100) });
    expect(result).toEqual({ viewport: current, revealed: false });
  });

  it("does not refit on the first measure (the first view is set then)", () => {
    const current = { x: 5, y: 5, zoom: 1 };
    const { viewport } = paneView({ current, previous: null, pane: wide, atStart: true, startView: () => ({ x: 0, y: 0, zoom: 2 }), picked: null });
    expect(viewport).toBe(current);
  });
});

describe("revealBox", () => {
  it("pans left or right only as far as it takes", () => {
    expect(revealBox({ x: 0, y: 0, zoom: 1 }, card(-100, 100), wide, even).x).toBe(116);
    expect(revealBox({ x: 0, y: 0, zoom: 1 }, card(1000, 100), wide, even).x).toBe(1100 - 16 - 1248);
  });

  it("keeps a card clear of the zoom controls and the legend over the pane's left and top", () => {
    // a card at the pane's very left, under the controls, and one under the legend
    expect(revealBox({ x: 0, y: 0, zoom: 1 }, card(10, 300), wide).x).toBe(56 - 10);
    expect(revealBox({ x: 0, y: 0, zoom: 1 }, card(300, 20), wide).y).toBe(48 - 20);
  });

  it("keeps a card out of the minimap's corner, moving it left", () => {
    // the card's right end at 1000 of 1100, its bottom at 400 of 440: under the minimap
    const view = revealBox({ x: 0, y: 0, zoom: 1 }, card(752, 336), wide);
    expect(view.y).toBe(0);
    expect(752 + 248 + view.x).toBeLessThanOrEqual(1100 - 200);
  });

  it("shows a box bigger than the pane from its start", () => {
    expect(revealBox({ x: 0, y: 0, zoom: 4 }, card(100), narrow, even).x).toBe(16 - 400);
  });
});

describe("clampPanelWidth", () => {
  it("keeps the panel between its narrowest and what leaves the graph room", () => {
    expect(clampPanelWidth(100, 1200)).toBe(320);
    expect(clampPanelWidth(500, 1200)).toBe(500);
    expect(clampPanelWidth(1000, 1200)).toBe(720);
    expect(clampPanelWidth(700, 900)).toBe(540);
    expect(clampPanelWidth(700, 500)).toBe(320);
  });
});

/** A run of `count` steps one after the other, laid out in one row as ELK does (a card,
 * then 73 pixels to the next). */
function row(count: number) {
  return new Map(Array.from({ length: count }, (_, i) => [`step_${i + 1}`, card(i * 321, 40)] as const));
}
const links = (count: number) => Array.from({ length: count - 1 }, (_, i) => ({ source: `step_${i + 1}`, target: `step_${i + 2}` }));
/** The run page's graph at 1400 x 900: the whole card, then beside the 400-pixel panel. */
const card1400 = { width: 1126, height: 448 };
const besidePanel = { width: 726, height: 448 };

describe("runStartView", () => {
  it("opens a small flow at its cards' own size, not larger", () => {
    expect(runStartView([...row(3).values()], card1400).zoom).toBe(1);
  });

  it("keeps a small flow readable when the panel opens, the picked step in view", () => {
    const boxes = [...row(3).values()];
    const current = runStartView(boxes, card1400);
    const picked = row(3).get("step_2")!;
    const { viewport } = paneView({
      current, previous: card1400, pane: besidePanel, atStart: true, picked,
      startView: (size) => runStartView(boxes, size),
    });
    expect(viewport.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // every card whole in the room left, not one cut at its edge
    for (const box of boxes) {
      const left = box.x * viewport.zoom + viewport.x;
      expect(left).toBeGreaterThanOrEqual(0);
      expect(left + box.width * viewport.zoom).toBeLessThanOrEqual(besidePanel.width);
    }
    // and closing the panel shows it whole at its own size again
    expect(runStartView(boxes, card1400).zoom).toBe(1);
  });

  it("opens a long flow that cannot be folded on its start at a readable zoom, no card cut", () => {
    const boxes = [...row(8).values()];
    for (const pane of [card1400, besidePanel]) {
      const view = runStartView(boxes, pane);
      expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
      const first = boxes[0].x * view.zoom + view.x;
      expect(first).toBeGreaterThanOrEqual(0);
      for (const box of boxes) {
        const left = box.x * view.zoom + view.x;
        const right = left + box.width * view.zoom;
        expect(right <= pane.width || left >= pane.width).toBe(true);
      }
    }
  });
});

describe("runFold", () => {
  /** The rows a fold makes and the zoom its whole shows at in `pane`. */
  function folded(count: number, pane: PaneSize) {
    const boxes = row(count);
    const at = runFold(boxes, links(count), pane);
    const placed = [...boxes].map(([id, box]) => ({ ...box, ...(at?.get(id) ?? {}) }));
    return { rows: new Set(placed.map((box) => box.y)).size, zoom: fitZoom(placed, pane), positions: at };
  }
  /** The zoom that shows all of `boxes` in `pane`, 56 pixels clear around, up to 1. */
  function fitZoom(boxes: { x: number; y: number; width: number; height: number }[], pane: PaneSize) {
    const width = Math.max(...boxes.map((b) => b.x + b.width)) - Math.min(...boxes.map((b) => b.x));
    const height = Math.max(...boxes.map((b) => b.y + b.height)) - Math.min(...boxes.map((b) => b.y));
    return Math.min(1, (pane.width - 112) / width, (pane.height - 112) / height);
  }

  it("folds a long run again for the room the panel leaves, in more rows, larger", () => {
    const whole = folded(24, card1400);
    const narrow = folded(24, besidePanel);
    expect(narrow.rows).toBeGreaterThan(whole.rows);
    // too long to read whole in either: each row as wide as the pane shows at a readable zoom
    for (const [fold, pane] of [[whole, card1400], [narrow, besidePanel]] as const) {
      const placed = [...row(24)].map(([id, box]) => ({ ...box, ...(fold.positions?.get(id) ?? {}) }));
      const width = Math.max(...placed.map((b) => b.x + b.width)) - Math.min(...placed.map((b) => b.x));
      expect(width * READABLE_ZOOM).toBeLessThanOrEqual(pane.width - 112);
    }
  });

  it("folds a four-step run in two rows beside the panel, at its cards' size", () => {
    expect(folded(4, card1400).rows).toBe(1);
    const narrow = folded(4, besidePanel);
    expect(narrow.rows).toBe(2);
    expect(narrow.zoom).toBe(1);
  });
});
