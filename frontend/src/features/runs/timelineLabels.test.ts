import { describe, expect, it } from "vitest";
import { LABEL_GAP, labelColumnWidth, placeLabel, scrollToRow, tickStep } from "./timelineLabels";

/** The label's box on the track for a placement, as Timeline draws it. */
function box(track: number, left: number, width: number, label: number) {
  const { placement, maxWidth } = placeLabel(track, left, width, label);
  const shown = Math.min(label, maxWidth);
  const start = placement === "after" ? left + width + LABEL_GAP : placement === "before" ? left - LABEL_GAP - shown : left + width - LABEL_GAP - shown;
  return { placement, start, end: start + shown, shown };
}

describe("placeLabel", () => {
  it("puts the duration after the bar when it fits, else before, else inside", () => {
    expect(placeLabel(500, 10, 40, 40).placement).toBe("after");
    expect(placeLabel(500, 440, 40, 40).placement).toBe("before");
    expect(placeLabel(500, 5, 480, 40).placement).toBe("inside");
  });

  it("never draws a label over its bar or out of the track, however short, long or narrow", () => {
    for (const track of [120, 300, 480, 900]) {
      for (const label of [24, 40, 90]) {
        for (let left = 0; left <= track; left += track / 20) {
          for (const width of [0.5, 3, 20, track / 3, track - left]) {
            if (left + width > track) continue;
            const at = box(track, left, width, label);
            expect(at.start).toBeGreaterThanOrEqual(-1e-6);
            expect(at.end).toBeLessThanOrEqual(track + 1e-6);
            if (at.placement !== "inside") {
              const clear = at.end <= left + 1e-6 || at.start >= left + width - 1e-6;
              expect(clear, JSON.stringify({ track, label, left, width, at })).toBe(true);
            } else {
              expect(at.start).toBeGreaterThanOrEqual(left);
              expect(at.shown).toBe(label);
            }
          }
        }
      }
    }
  });

  it("cuts a label short only when it fits nowhere whole", () => {
    // a 120 px track whose bar fills the middle: 30 px either side for a 50 px label
    const place = placeLabel(120, 35, 50, 50);
    expect(place.maxWidth).toBeLessThan(50);
    expect(placeLabel(480, 35, 50, 50).maxWidth).toBeGreaterThanOrEqual(50);
  });
});

describe("tickStep", () => {
  it("keeps the round step when the labels have room", () => {
    expect(tickStep(100, 480, 40)).toBe(20);
    expect(tickStep(3_000, 480, 40)).toBe(1_000);
  });

  it("makes the step coarser on a narrow track, to the next round step, until labels fit", () => {
    const step = tickStep(100, 150, 40);
    expect([50, 100]).toContain(step);
    expect((step / 100) * 150).toBeGreaterThanOrEqual(1.5 * 40 + 8);
    expect(tickStep(10 * 60_000, 160, 40) % 60_000).toBe(0); // still a clock's round step
  });

  it("leaves ticks 1.5 labels apart on any width", () => {
    for (const span of [3, 40, 656, 1_250, 9_000, 95_000, 4_000_000]) {
      for (const track of [200, 320, 480, 800]) {
        const step = tickStep(span, track, 44);
        if (step < span) expect((step / span) * track).toBeGreaterThanOrEqual(1.5 * 44 + 8);
      }
    }
  });
});

describe("scrollToRow", () => {
  it("leaves a row already in the box where it is", () => {
    expect(scrollToRow(3, 28, 0, 308)).toBeNull();
    expect(scrollToRow(20, 28, 300, 308)).toBeNull();
  });

  it("centres a row below or above the box in it", () => {
    expect(scrollToRow(20, 28, 0, 308)).toBe(20 * 28 + 14 - 154);
    expect(scrollToRow(2, 28, 400, 308)).toBe(0);
  });
});

describe("labelColumnWidth", () => {
  const seven = (text: string) => text.length * 7;

  it("keeps the usual column for short names", () => {
    expect(labelColumnWidth(["check", "notify"], seven)).toBe(256);
  });

  it("widens the column to the longest name, whole", () => {
    const long = "Validate the customer's email address";
    const width = labelColumnWidth(["check", long], seven);
    expect(width).toBeGreaterThan(256);
    expect(width).toBeGreaterThanOrEqual(long.length * 7 + 12 + 10 + 15 + 6);
  });

  it("stops widening at its widest", () => {
    expect(labelColumnWidth(["x".repeat(200)], seven)).toBe(400);
  });
});
