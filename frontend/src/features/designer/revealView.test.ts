import { describe, expect, it } from "vitest";
import { revealViewport, type Box } from "./revealView";

const card = (x: number, y = 0): Box => ({ minX: x, minY: y, maxX: x + 240, maxY: y + 100 });
const around = (...boxes: Box[]): Box => ({
  minX: Math.min(...boxes.map((b) => b.minX)),
  minY: Math.min(...boxes.map((b) => b.minY)),
  maxX: Math.max(...boxes.map((b) => b.maxX)),
  maxY: Math.max(...boxes.map((b) => b.maxY)),
});
const view = { x: 20, y: 100, zoom: 1 };

describe("revealViewport", () => {
  it("does not move when the step and its neighbours are in view", () => {
    expect(revealViewport(view, 1000, 600, card(300), around(card(0), card(300), card(600)))).toEqual(view);
  });

  it("pans only as far as brings the step under the inspector's column back, neighbours kept", () => {
    // a card at the right edge of a canvas the inspector narrowed to 800px
    const next = revealViewport(view, 800, 600, card(640), around(card(340), card(640)));
    expect(next).toEqual({ x: -120, y: 100, zoom: 1 }); // its right edge 40px inside, no more
    // its upstream neighbour stays whole at the left
    expect(340 + next.x).toBeGreaterThanOrEqual(40);
  });

  it("pans to show the neighbours too, not only the step", () => {
    // the upstream neighbour is cut off at the left; the step itself is in view
    const next = revealViewport({ x: -200, y: 100, zoom: 1 }, 900, 600, card(400), around(card(100), card(400)));
    expect(next.x).toBe(-88); // the neighbour 12px inside the edge
  });

  it("zooms out a little when that brings every neighbour in, keeping the step in view", () => {
    const next = revealViewport(view, 800, 600, card(350), around(card(0), card(350), card(700)));
    expect(next.zoom).toBeCloseTo(776 / 940);
    for (const x of [0, 700]) {
      expect(x * next.zoom + next.x).toBeGreaterThanOrEqual(11.9);
      expect((x + 240) * next.zoom + next.x).toBeLessThanOrEqual(788.1);
    }
  });

  it("does not zoom far out for distant neighbours: the step stays in view, the canvas filled", () => {
    const next = revealViewport(view, 800, 600, card(2000), around(card(0), card(2000)));
    expect(next.zoom).toBe(1);
    expect(2000 + next.x).toBeGreaterThanOrEqual(40);
    expect(2240 + next.x).toBeLessThanOrEqual(760);
    expect(next.x).toBe(-1480); // the least move that shows it
  });
});
