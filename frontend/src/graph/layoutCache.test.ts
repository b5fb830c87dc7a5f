// The layout cache: ELK's answer comes back for the same input only, and the cache stays bounded.
import { beforeEach, describe, expect, it } from "vitest";
import { cachedLayout, keepLayout, LAYOUTS_KEPT } from "./layoutCache";

const layout = (x: number) => ({
  positions: new Map([["a", { x, y: 2 }]]),
  routes: { e: { start: { x: 0, y: 0 }, end: { x: 1, y: 1 }, bends: [], source: { x: 0, y: 0 }, target: { x: 1, y: 1 } } },
});

beforeEach(() => localStorage.clear());

describe("the layout cache", () => {
  it("gives back what ELK answered for exactly the same input", () => {
    keepLayout('{"id":"root","children":[1]}', layout(5));
    const found = cachedLayout('{"id":"root","children":[1]}');
    expect(found?.positions.get("a")).toEqual({ x: 5, y: 2 });
    expect(found?.routes.e.end).toEqual({ x: 1, y: 1 });
  });

  it("knows nothing of another input", () => {
    keepLayout('{"id":"root","children":[1]}', layout(5));
    expect(cachedLayout('{"id":"root","children":[2]}')).toBeNull();
  });

  it("keeps the most recently used layouts and forgets the oldest", () => {
    for (let i = 0; i <= LAYOUTS_KEPT; i += 1) keepLayout(`graph ${i}`, layout(i));
    expect(cachedLayout("graph 0")).toBeNull();
    expect(cachedLayout(`graph ${LAYOUTS_KEPT}`)?.positions.get("a")?.x).toBe(LAYOUTS_KEPT);
    expect(Object.keys(localStorage).filter((key) => key.startsWith("dynamicflow:layout:"))).toHaveLength(LAYOUTS_KEPT + 1); // and the index
  });

  it("reads a damaged entry as not kept", () => {
    keepLayout("graph", layout(1));
    const key = Object.keys(localStorage).find((k) => k !== "dynamicflow:layout:index")!;
    localStorage.setItem(key, "{not json");
    expect(cachedLayout("graph")).toBeNull();
  });
});
