import { describe, expect, it } from "vitest";
import { revealViewport, type Box } from "./revealView";

const card = (x: number, y = 0): Box => ({ minX: x, minY: y, maxX: x + 240, maxY: y + 100 });
const view = { x: 20, y: 100, zoom: 1 };
const inside = (box: Box, next: { x: number; zoom: number }, width: number, room: number) =>
  box.minX * next.zoom + next.x >= room - 0.01 && box.maxX * next.zoom + next.x <= width - room + 0.01;

describe("revealViewport", () => {
  it("does not move when the step and its neighbours are in view", () => {
    expect(revealViewport(view, 1000, 600, card(300), [card(0), card(600)])).toEqual(view);
  });

  it("pans only as far as brings the step under the inspector's column back, neighbours kept", () => {
    // a card at the right edge of a canvas the inspector narrowed to 800px
    const next = revealViewport(view, 800, 600, card(640), [card(340)]);
    expect(next).toEqual({ x: -120, y: 100, zoom: 1 }); // its right edge 40px inside, no more
    expect(inside(card(340), next, 800, 12)).toBe(true);
  });

  it("pans to show a neighbour the inspector covers, though the step itself is in view", () => {
    const next = revealViewport({ x: 100, y: 100, zoom: 1 }, 800, 600, card(0), [card(500)]);
    expect(next).toEqual({ x: 48, y: 100, zoom: 1 }); // the neighbour 12px inside the right edge
    expect(inside(card(0), next, 800, 40)).toBe(true);
  });

  it("zooms out a little when that brings every neighbour in, keeping the step in view", () => {
    const next = revealViewport(view, 800, 600, card(0), [card(300), card(560)]);
    expect(next.zoom).toBeCloseTo(748 / 800);
    for (const box of [card(0), card(300), card(560)]) expect(inside(box, next, 800, 12)).toBe(true);
  });

  it("keeps a readable zoom: no zooming out below it to bring far neighbours in", () => {
    // every neighbour would fit at 0.62, too small to read the cards at
    const next = revealViewport(view, 800, 600, card(0), [card(350), card(960)]);
    expect(next.zoom).toBe(1);
    expect(inside(card(0), next, 800, 40)).toBe(true);
    expect(inside(card(350), next, 800, 12)).toBe(true);
    // and from a view already zoomed out below it, no further
    const far = revealViewport({ x: 20, y: 100, zoom: 0.5 }, 800, 600, card(0), [card(1600)]);
    expect(far.zoom).toBe(0.5);
  });

  it("shows the nearest neighbours when not all fit, and never loses the step", () => {
    const next = revealViewport(view, 800, 600, card(2000), [card(0), card(1700)]);
    expect(next.zoom).toBe(1);
    expect(inside(card(2000), next, 800, 40)).toBe(true);
    expect(inside(card(1700), next, 800, 12)).toBe(true);
    expect(inside(card(0), next, 800, 0)).toBe(false);
  });
});
