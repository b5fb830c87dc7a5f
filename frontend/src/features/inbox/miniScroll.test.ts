import { describe, expect, it } from "vitest";
import { centredScroll } from "./miniScroll";

describe("centredScroll", () => {
  it("centres a step far down a long graph in its box", () => {
    // a step at 700..734 in a 320-high box over a 1400-high graph
    expect(centredScroll(700, 34, 320, 1400)).toBe(700 + 17 - 160);
  });

  it("does not scroll past either end", () => {
    expect(centredScroll(10, 34, 320, 1400)).toBe(0);
    expect(centredScroll(1380, 34, 320, 1400)).toBe(1080);
  });

  it("does not scroll a graph that fits its box", () => {
    expect(centredScroll(200, 34, 320, 300)).toBe(0);
  });

  it("does not scroll to a step that shows unscrolled, which would cut the first step", () => {
    // the fourth of six steps (each 34 high, 26 apart) in a 320-high box over 364: centred,
    // the first step would be cut at the box's top
    expect(centredScroll(4 + 3 * 60, 34, 320, 364)).toBe(0);
    expect(centredScroll(4 + 5 * 60, 34, 320, 364)).toBe(44); // the last one: scrolled to
  });
});
