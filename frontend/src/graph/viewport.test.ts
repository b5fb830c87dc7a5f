// Bringing nodes added off screen into view without losing what the person was looking at.
import { describe, expect, it } from "vitest";
import { clearStartView, cornerCoversCard, keepWholeFlow, panToShow, READABLE_ZOOM, readableStartView, revealViewport, showsAll, showsMiniMap, showsMiniMapNow, startViewport, wholeCardsView, wholeCardsZoom, type Box, type Viewport, viewQuality } from "./viewport";

const card = (x: number, y: number): Box => ({ x, y, width: 240, height: 80 });

/** Whether the box is inside the pane at this viewport. */
function shows(view: Viewport, box: Box, width: number, height: number): boolean {
  const left = box.x * view.zoom + view.x;
  const top = box.y * view.zoom + view.y;
  return left >= 0 && top >= 0 && left + box.width * view.zoom <= width && top + box.height * view.zoom <= height;
}

describe("revealViewport", () => {
  const current = { x: 0, y: 0, zoom: 1 };

  it("leaves the view alone when the new nodes are in it", () => {
    expect(revealViewport(current, [card(100, 100)], 1000, 600)).toBe(current);
  });

  it("zooms out just enough to show the old view and the new nodes together", () => {
    const added = card(900, 200);
    const view = revealViewport(current, [added], 1000, 600);
    expect(view.zoom).toBeLessThan(1);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(shows(view, added, 1000, 600)).toBe(true);
    expect(shows(view, card(0, 0), 1000, 600)).toBe(true); // what was on screen stays
  });

  it("centres the new nodes at the current zoom when both would not fit readably", () => {
    const added = card(6000, 3000);
    const view = revealViewport(current, [added], 1000, 600);
    expect(view.zoom).toBe(1);
    expect(shows(view, added, 1000, 600)).toBe(true);
  });

  it("never zooms in", () => {
    const zoomedOut = { x: 0, y: 0, zoom: 0.5 };
    const view = revealViewport(zoomedOut, [card(2100, 100)], 1000, 600, { minZoom: 0.3 });
    expect(view.zoom).toBeLessThanOrEqual(0.5);
  });
});

describe("keepWholeFlow", () => {
  const flow = [card(0, 0), card(300, 0), card(600, 0)];
  const view = { x: 40, y: 100, zoom: 1 };

  it("fits a flow that was wholly in view into the narrower pane", () => {
    const next = keepWholeFlow(flow, view, { width: 960, height: 700 }, { width: 720, height: 700 });
    expect(next).not.toBeNull();
    expect(next!.zoom).toBeLessThan(1);
    expect(showsAll(flow, next!, 720, 700)).toBe(true);
  });

  it("leaves the view alone when the flow still fits, or was not wholly shown before", () => {
    expect(keepWholeFlow(flow, view, { width: 960, height: 700 }, { width: 900, height: 700 })).toBeNull();
    const zoomedIn = { x: -200, y: 0, zoom: 2 };
    expect(keepWholeFlow(flow, zoomedIn, { width: 960, height: 700 }, { width: 640, height: 700 })).toBeNull();
  });

  it("never zooms in past where the person had it", () => {
    const small = { x: 10, y: 10, zoom: 0.4 };
    const next = keepWholeFlow([card(0, 0), card(2200, 0)], small, { width: 1000, height: 700 }, { width: 900, height: 700 });
    expect(next!.zoom).toBeLessThanOrEqual(0.4);
  });

  it("shows a whole flow's start at a readable zoom when it no longer reads whole", () => {
    const flow = grid(4);
    const view = startViewport(flow, 1300, 700);
    expect(view.zoom).toBe(1);
    const next = keepWholeFlow(flow, view, { width: 1300, height: 700 }, { width: 600, height: 700 })!;
    expect(next.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(shows(next, flow[0], 600, 700)).toBe(true);
    expect(noneCut(flow, next, 600, 700)).toBe(true);
  });
});

/** Whether no card is cut by the pane's edges: each wholly inside it or wholly outside. */
function noneCut(boxes: readonly Box[], view: Viewport, width: number, height: number): boolean {
  return boxes.every((box) => {
    const left = box.x * view.zoom + view.x;
    const top = box.y * view.zoom + view.y;
    const right = left + box.width * view.zoom;
    const bottom = top + box.height * view.zoom;
    const outside = right <= 0 || left >= width || bottom <= 0 || top >= height;
    return outside || (left >= 0 && top >= 0 && right <= width && bottom <= height);
  });
}

/** A flow laid out in `columns` columns of `rows` cards, 315 apart across and 120 down. */
function grid(columns: number, rows = 1): Box[] {
  return Array.from({ length: columns * rows }, (_, i) => card((i % columns) * 315, Math.floor(i / columns) * 120));
}

describe("readableStartView", () => {
  // A three-column flow (a branch's two arms at the right), 870 wide: the designer's canvas
  // at 1400 x 900 is 984 wide, 672 beside a docked panel.
  const small = [card(0, 80), card(315, 80), card(630, 0), card(630, 160)];

  it("shows a small flow whole at its size, and whole beside a panel while it reads", () => {
    expect(readableStartView(small, 984, 740).zoom).toBe(1);
    const beside = readableStartView(small, 672, 740);
    expect(beside.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(showsAll(small, beside, 672, 740)).toBe(true);
  });

  it("opens a long flow on its start at a readable zoom, cutting no card at the edge", () => {
    const long = grid(12);
    for (const width of [984, 672, 520]) {
      const view = readableStartView(long, width, 740);
      expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
      expect(view.zoom).toBeLessThanOrEqual(1);
      expect(shows(view, long[0], width, 740)).toBe(true); // its first step in view
      expect(noneCut(long, view, width, 740)).toBe(true);
    }
  });

  it("cuts no row in half at the bottom of a flow too tall as well as too wide", () => {
    const tall = grid(6, 9);
    const view = readableStartView(tall, 984, 500);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(noneCut(tall, view, 984, 500)).toBe(true);
  });
});

describe("wholeCardsZoom", () => {
  it("is the least readable zoom that ends the view between two columns", () => {
    const long = grid(12);
    // at 0.75, 984 pixels end inside the fourth card (24 + 945 * 0.75 = 733 + 240 * 0.75)
    expect(noneCut(long, { x: 24, y: 24, zoom: READABLE_ZOOM }, 984, 740)).toBe(false);
    const zoom = wholeCardsZoom(long, 984, 740);
    expect(zoom).toBeGreaterThan(READABLE_ZOOM);
    expect(noneCut(long, { x: 24, y: 24, zoom }, 984, 740)).toBe(true);
  });

  it("falls back to the least zoom when a card is wider than the pane", () => {
    expect(wholeCardsZoom([card(0, 0), card(300, 0)], 100, 740)).toBe(READABLE_ZOOM);
  });
});

describe("panToShow", () => {
  const long = grid(12);

  it("leaves the view when the card is in it", () => {
    const view = { x: 24, y: 24, zoom: 0.8 };
    expect(panToShow(view, long, long[1], 984, 740)).toBe(view);
  });

  it("brings a card in at the same zoom, starting the view at a column", () => {
    const view = readableStartView(long, 984, 740);
    const next = panToShow(view, long, long[7], 984, 740);
    expect(next.zoom).toBe(view.zoom);
    expect(shows(next, long[7], 984, 740)).toBe(true);
    expect(noneCut(long, next, 984, 740)).toBe(true);
  });
});

describe("wholeCardsView", () => {
  const long = grid(12);

  it("moves a view that cuts cards at its edges to start at a column, the kept card in view", () => {
    const cutting = { x: -400, y: 24, zoom: 0.8 };
    expect(noneCut(long, cutting, 760, 740)).toBe(false);
    const next = wholeCardsView(cutting, long, long[3], 760, 740);
    expect(next.zoom).toBe(0.8);
    expect(noneCut(long, next, 760, 740)).toBe(true);
    expect(shows(next, long[3], 760, 740)).toBe(true);
  });

  it("leaves a view that cuts nothing", () => {
    const view = readableStartView(long, 984, 740);
    expect(wholeCardsView(view, long, long[0], 984, 740)).toBe(view);
  });
});

describe("showsMiniMap", () => {
  it("always shows the minimap of a graph of more than 60 nodes, else only while it overflows", () => {
    expect(showsMiniMap(61, false)).toBe(true);
    expect(showsMiniMap(200, true)).toBe(true);
    expect(showsMiniMap(60, false)).toBe(false);
    expect(showsMiniMap(12, true)).toBe(true);
  });
});

describe("clearStartView", () => {
  // The designer's zoom buttons and minimap, with the room kept around them.
  const overlays = { bottomLeft: { width: 51, height: 103 }, bottomRight: { width: 191, height: 135 } };
  /** A start step, then `lanes` parallel lanes of `depth` steps (folded under it, as the
   * designer folds a wide flow into rows), the cards 95 tall, 124 apart down. */
  function lanes(count: number, depth: number): Box[] {
    const boxes: Box[] = [{ x: 0, y: 0, width: 240, height: 95 }];
    for (let lane = 0; lane < count; lane += 1) {
      for (let step = 0; step < depth; step += 1) boxes.push({ x: step * 314, y: 180 + lane * 124, width: 240, height: 95 });
    }
    return boxes;
  }

  it("shows whole the bottom row that the readable first view cuts (a flow too tall as well as too wide)", () => {
    // Four lanes of six in the canvas of a 1280 x 720 window: no readable zoom shows whole
    // both the columns from the left and the rows from the top.
    const flow = lanes(4, 6);
    expect(noneCut(flow, readableStartView(flow, 872, 581), 872, 581)).toBe(false);
    const view = clearStartView(flow, 872, 581, overlays);
    expect(noneCut(flow, view, 872, 581)).toBe(true);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(shows(view, flow[0], 872, 581)).toBe(true); // opened on its start
  });

  it("puts no card under the zoom buttons, and fewer under the minimap", () => {
    // Five lanes of five in the canvas of a 1400 x 900 window
    const flow = lanes(5, 5);
    const first = viewQuality(flow, readableStartView(flow, 984, 761), 984, 761, overlays);
    expect(first.spoiled).toBeGreaterThan(0);
    const view = clearStartView(flow, 984, 761, overlays);
    expect(viewQuality(flow, view, 984, 761, overlays).spoiled).toBeLessThan(first.spoiled);
    expect(viewQuality(flow, view, 984, 761, { bottomLeft: overlays.bottomLeft }).spoiled).toBe(0);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
  });

  it("keeps the readable first view when it spoils no card", () => {
    const small = [card(0, 80), card(315, 80), card(630, 0), card(630, 160)];
    expect(clearStartView(small, 984, 740, overlays)).toEqual(readableStartView(small, 984, 740));
    const long = grid(12);
    const view = readableStartView(long, 984, 740);
    expect(viewQuality(long, view, 984, 740, overlays).spoiled).toBe(0);
    expect(clearStartView(long, 984, 740, overlays)).toEqual(view);
  });
});

describe("showsMiniMapNow", () => {
  const corner = { width: 191, height: 135 };
  // four lanes of six steps at 1280 x 720: the first view's bottom row reaches the corner
  const lanes = Array.from({ length: 4 }, (_, row) => Array.from({ length: 6 }, (_, column) => ({ x: 13 + column * 314, y: 192 + row * 124, width: 240, height: 95 }))).flat();
  const view = { x: 50, y: 2, zoom: 0.86 };

  it("tells a card under the corner from cards clear of it", () => {
    expect(cornerCoversCard(lanes, view, 872, 581, corner)).toBe(true);
    expect(cornerCoversCard(lanes.slice(0, 12), view, 872, 581, corner)).toBe(false);
  });

  it("keeps the map off a card of the first view until the person moves it", () => {
    const covers = () => cornerCoversCard(lanes, view, 872, 581, corner);
    expect(showsMiniMapNow(lanes.length, true, false, covers)).toBe(false);
    expect(showsMiniMapNow(lanes.length, true, true, covers)).toBe(true);
    // clear of the cards, it shows from the start; with all of the flow in view, never
    expect(showsMiniMapNow(lanes.length, true, false, () => false)).toBe(true);
    expect(showsMiniMapNow(lanes.length, false, true, covers)).toBe(false);
  });

  it("shows a big flow's map from the start", () => {
    expect(showsMiniMapNow(61, false, false, () => true)).toBe(true);
  });
});
