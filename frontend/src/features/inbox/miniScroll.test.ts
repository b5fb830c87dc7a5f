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
});
