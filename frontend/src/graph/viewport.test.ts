// Bringing nodes added off screen into view without losing what the person was looking at.
import { describe, expect, it } from "vitest";
import { keepWholeFlow, readableStartView, revealViewport, showsAll, showsMiniMap, startViewport, type Box, type Viewport } from "./viewport";

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
    const added = card(1100, 200);
    const view = revealViewport(current, [added], 1000, 600);
    expect(view.zoom).toBeLessThan(1);
    expect(view.zoom).toBeGreaterThan(0.65);
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
    const next = keepWholeFlow(flow, view, { width: 960, height: 700 }, { width: 640, height: 700 }, 0.5);
    expect(next).not.toBeNull();
    expect(next!.zoom).toBeLessThan(1);
    expect(showsAll(flow, next!, 640, 700)).toBe(true);
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
});

describe("readableStartView", () => {
  // A three-column flow (a branch's two arms at the right), 870 wide: the designer's canvas
  // at 1400 x 900 is 984 wide, 672 beside a docked panel.
  const small = [card(0, 80), card(315, 80), card(630, 0), card(630, 160)];
  const options = { minZoom: 0.5, keepReadableZoom: 0.85, wholeFlowZoom: 0.8 };

  it("keeps a small flow shown at its size readable when a panel narrows the pane", () => {
    const shown = readableStartView(small, 984, 740, undefined, options);
    expect(shown.zoom).toBe(1);
    // fitting it into the room left would shrink it to about 70%
    expect(startViewport(small, 672, 740, { minZoom: 0.5 }).zoom).toBeLessThan(0.75);
    const beside = readableStartView(small, 672, 740, shown.zoom, options);
    expect(beside.zoom).toBeGreaterThanOrEqual(0.85);
    // its start in view, clear of the pane's left edge, and the flow centred top to bottom
    expect(shows(beside, small[0], 672, 740)).toBe(true);
    expect(shows(beside, small[1], 672, 740)).toBe(true);
    expect(beside.x).toBeGreaterThan(0);
  });

  it("shows a flow whole when it still fits at a readable zoom, or was shown small", () => {
    const two = [card(0, 0), card(315, 0)];
    expect(readableStartView(two, 672, 740, 1, options)).toEqual(startViewport(two, 672, 740, { minZoom: 0.5 }));
    const shrunk = readableStartView(small, 672, 740, 0.6, options);
    expect(showsAll(small, shrunk, 672, 740)).toBe(true);
  });

  it("keeps a whole flow seen at a readable zoom readable in keepWholeFlow too", () => {
    const view = startViewport(small, 984, 740, { minZoom: 0.5 });
    const next = keepWholeFlow(small, view, { width: 984, height: 740 }, { width: 672, height: 740 }, 0.5, options);
    expect(next!.zoom).toBeGreaterThanOrEqual(0.85);
    expect(next!.zoom).toBeLessThanOrEqual(view.zoom);
    expect(shows(next!, small[0], 672, 740)).toBe(true);
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
