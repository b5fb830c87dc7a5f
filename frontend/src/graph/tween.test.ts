// Easing between two layouts: starts where the quick layout put each card, ends on ELK's.
import { afterEach, describe, expect, it } from "vitest";
import { animatePositions, EASE_MS, easeInOut, positionsDiffer, tweenPositions, viewEase } from "./tween";

describe("tweenPositions", () => {
  const from = { a: { x: 0, y: 0 }, b: { x: 100, y: 50 } };
  const to = { a: { x: 200, y: 40 }, b: { x: 100, y: 150 } };

  it("starts at the first layout and ends exactly on the second", () => {
    expect(tweenPositions(from, to, 0)).toEqual(from);
    expect(tweenPositions(from, to, 1)).toEqual(to);
  });

  it("is half way at the middle and never overshoots", () => {
    expect(tweenPositions(from, to, 0.5)).toEqual({ a: { x: 100, y: 20 }, b: { x: 100, y: 100 } });
    for (let t = 0; t <= 1; t += 0.05) {
      const x = tweenPositions(from, to, t).a.x;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(200);
    }
  });

  it("puts a node only the second layout has at its target, and drops one it lacks", () => {
    const moved = tweenPositions({ gone: { x: 1, y: 1 } }, { fresh: { x: 9, y: 9 } }, 0.3);
    expect(moved).toEqual({ fresh: { x: 9, y: 9 } });
  });

  it("clamps t outside 0..1", () => {
    expect(easeInOut(-1)).toBe(0);
    expect(easeInOut(2)).toBe(1);
  });
});

describe("positionsDiffer", () => {
  it("is false for the same places (under a pixel apart) and true otherwise", () => {
    expect(positionsDiffer({ a: { x: 1, y: 1 } }, { a: { x: 1.4, y: 1 } })).toBe(false);
    expect(positionsDiffer({ a: { x: 1, y: 1 } }, { a: { x: 3, y: 1 } })).toBe(true);
    expect(positionsDiffer({ a: { x: 1, y: 1 } }, { a: { x: 1, y: 1 }, b: { x: 0, y: 0 } })).toBe(true);
  });
});

describe("animatePositions", () => {
  const from = { a: { x: 0, y: 0 } };
  const to = { a: { x: 300, y: 100 } };

  /** Frames run by hand, at the times given. */
  function frames() {
    const queue: Array<(now: number) => void> = [];
    return {
      schedule: (step: (now: number) => void) => void queue.push(step),
      run: (time: number) => queue.shift()?.(time),
      pending: () => queue.length,
    };
  }

  it("moves the cards frame by frame and ends exactly on the new layout, done", () => {
    const clock = frames();
    const seen: Array<{ x: number; done: boolean }> = [];
    animatePositions(from, to, (positions, done) => seen.push({ x: positions.a.x, done }), {
      duration: 200, schedule: clock.schedule, now: () => 1000,
    });
    clock.run(1100);
    clock.run(1250);
    expect(seen).toEqual([{ x: 150, done: false }, { x: 300, done: true }]);
    expect(clock.pending()).toBe(0);
  });

  it("stops where it is when told to", () => {
    const clock = frames();
    const seen: boolean[] = [];
    const stop = animatePositions(from, to, (_positions, done) => seen.push(done), {
      duration: 200, schedule: clock.schedule, now: () => 0,
    });
    clock.run(50);
    stop();
    clock.run(100);
    expect(seen).toEqual([false]);
  });

  it("jumps straight to the new layout with no duration", () => {
    const seen: unknown[] = [];
    animatePositions(from, to, (positions, done) => seen.push([positions, done]), { duration: 0 });
    expect(seen).toEqual([[to, true]]);
  });
});

describe("viewEase", () => {
  // jsdom has no matchMedia: each test gives the page the person's preference.
  const prefer = (reduce: boolean) =>
    Object.defineProperty(window, "matchMedia", {
      configurable: true,
      value: (query: string) => ({ matches: reduce && query === "(prefers-reduced-motion: reduce)", media: query }),
    });

  afterEach(() => {
    Reflect.deleteProperty(window, "matchMedia");
  });

  it("eases the view over the time asked", () => {
    prefer(false);
    expect(viewEase(200)).toEqual({ duration: 200 });
    expect(viewEase()).toEqual({ duration: EASE_MS });
  });

  it("moves it in one step for a person who prefers less motion", () => {
    prefer(true);
    expect(viewEase(200)).toBeUndefined();
  });
});
