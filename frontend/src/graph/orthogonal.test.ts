// Routes for cards that keep their places: square corners, clear of every card they pass.
import { describe, expect, it } from "vitest";
import { handleEnds, irToGraph, LANE_SPACING, orthogonalRoutes, placeRoute, ROUTE_STUB, type Box, type EdgeEnds, type Position } from "./index";

const W = 200;
const H = 60;

function cards(places: Record<string, [number, number]>): Map<string, Box> {
  return new Map(Object.entries(places).map(([id, [x, y]]) => [id, { x, y, width: W, height: H }]));
}

function edge(boxes: Map<string, Box>, source: string, target: string): EdgeEnds {
  const s = boxes.get(source)!;
  const t = boxes.get(target)!;
  return { id: `${source}->${target}`, source, target, from: { x: s.x + W + 4, y: s.y + H / 2 }, to: { x: t.x - 4, y: t.y + H / 2 } };
}

/** The drawn polyline (as the edge draws it where the cards are). */
function polyline(boxes: Map<string, Box>, e: EdgeEnds, routes: ReturnType<typeof orthogonalRoutes>): Position[] {
  const points = placeRoute(routes[e.id], boxes.get(e.source)!, boxes.get(e.target)!, e.from, e.to);
  expect(points).not.toBeNull();
  return points!;
}

function crossings(boxes: Map<string, Box>, e: EdgeEnds, points: Position[]): string[] {
  const hit: string[] = [];
  for (const [id, box] of boxes) {
    if (id === e.source || id === e.target) continue;
    for (let i = 1; i < points.length; i += 1) {
      const [a, b] = [points[i - 1], points[i]];
      if (Math.min(a.x, b.x) < box.x + box.width && Math.max(a.x, b.x) > box.x && Math.min(a.y, b.y) < box.y + box.height && Math.max(a.y, b.y) > box.y) hit.push(id);
    }
  }
  return hit;
}

const square = (points: Position[]) => points.every((p, i) => i === 0 || p.x === points[i - 1].x || p.y === points[i - 1].y);

describe("orthogonal routes between cards where they were saved", () => {
  it("goes straight between level cards and turns once in the gap otherwise", () => {
    const boxes = cards({ a: [0, 0], b: [300, 0], c: [300, 150] });
    const straight = edge(boxes, "a", "b");
    const down = edge(boxes, "a", "c");
    const routes = orthogonalRoutes([straight, down], boxes);
    expect(routes[straight.id].bends).toEqual([]);
    const points = polyline(boxes, down, routes);
    expect(points).toHaveLength(4);
    expect(square(points)).toBe(true);
    expect(points[1].x).toBeGreaterThan(204);
    expect(points[1].x).toBeLessThan(296);
  });

  it("takes a step's edges to lanes on the next row along the gap under it, as one run", () => {
    // a flow folded into rows: a step at a row's end, then three lanes starting the next row
    const boxes = cards({ s: [300, 0], l0: [0, 140], l1: [0, 240], l2: [0, 340], m1: [300, 240] });
    const fan = ["l0", "l1", "l2"].map((target) => edge(boxes, "s", target));
    const routes = orthogonalRoutes(fan, boxes);
    const runs = fan.map((e) => {
      const points = polyline(boxes, e, routes);
      expect(square(points)).toBe(true);
      expect(crossings(boxes, e, points)).toEqual([]);
      // the run back left is the one horizontal leg between the two ends' sides
      return points.find((p, i) => i > 0 && p.y === points[i - 1].y && p.x < points[i - 1].x)!.y;
    });
    // each goes back left in the gap between the rows, all at one height
    expect(new Set(runs).size).toBe(1);
    expect(runs[0]).toBeGreaterThan(H);
    expect(runs[0]).toBeLessThan(140);
  });

  it("takes an edge to the next row under the whole row, not between its lanes", () => {
    // the step after three lanes, level with the middle one, then the next row's first step
    const boxes = cards({ l0: [0, 0], l1: [0, 100], l2: [0, 200], p0: [300, 100], p1: [0, 340] });
    const down = edge(boxes, "p0", "p1");
    const points = polyline(boxes, down, orthogonalRoutes([down], boxes));
    expect(square(points)).toBe(true);
    expect(crossings(boxes, down, points)).toEqual([]);
    const run = points.find((p, i) => i > 0 && p.y === points[i - 1].y && p.x < points[i - 1].x)!.y;
    expect(run).toBeGreaterThan(200 + H);
    expect(run).toBeLessThan(340);
  });

  it("goes around a card that sits between the two it joins", () => {
    // a -> c skips b, which stands in the way on the same row
    const boxes = cards({ a: [0, 0], b: [300, 0], c: [600, 0] });
    const skip = edge(boxes, "a", "c");
    const points = polyline(boxes, skip, orthogonalRoutes([skip], boxes));
    expect(square(points)).toBe(true);
    expect(crossings(boxes, skip, points)).toEqual([]);
  });

  it("takes an edge back to the left around its own cards", () => {
    const boxes = cards({ a: [600, 0], b: [0, 20], other: [300, 100] });
    const back = edge(boxes, "a", "b");
    const points = polyline(boxes, back, orthogonalRoutes([back], boxes));
    expect(square(points)).toBe(true);
    expect(points[1].x).toBe(back.from.x + ROUTE_STUB);
    expect(points[points.length - 2].x).toBe(back.to.x - ROUTE_STUB);
    expect(crossings(boxes, back, points)).toEqual([]);
    // and through neither of its own cards between the stubs
    const own = cards({ a: [600, 0], b: [0, 20] });
    const middle = points.slice(1, -1);
    for (const box of own.values()) {
      expect(middle.some((p, i) => i > 0 && Math.min(p.y, middle[i - 1].y) < box.y + H && Math.max(p.y, middle[i - 1].y) > box.y
        && Math.min(p.x, middle[i - 1].x) < box.x + W && Math.max(p.x, middle[i - 1].x) > box.x)).toBe(false);
    }
  });

  it("runs edges from different cards along a lane side by side, not on top of each other", () => {
    // a row folded under another: two edges from its end back to the next row
    const boxes = cards({ s1: [600, 0], s2: [900, 0], t1: [0, 200], t2: [300, 200] });
    const edges = [edge(boxes, "s1", "t1"), edge(boxes, "s2", "t2")];
    const routes = orthogonalRoutes(edges, boxes);
    const runs = edges.flatMap((e) => {
      const points = polyline(boxes, e, routes);
      expect(crossings(boxes, e, points)).toEqual([]);
      return points.slice(1).flatMap((p, i) => (p.y === points[i].y ? [{ source: e.source, y: p.y, x1: Math.min(p.x, points[i].x), x2: Math.max(p.x, points[i].x) }] : []));
    });
    for (const a of runs) {
      for (const b of runs) {
        if (a.source === b.source || a.x2 <= b.x1 || b.x2 <= a.x1) continue;
        expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(LANE_SPACING);
      }
    }
    // and keep off a route drawn already
    const alone = polyline(boxes, edges[0], orthogonalRoutes([edges[0]], boxes));
    const lane = alone[2].y;
    const drawn = [{ source: "elsewhere", points: [{ x: -100, y: lane }, { x: 1200, y: lane }] }];
    const points = polyline(boxes, edges[0], orthogonalRoutes([edges[0]], boxes, drawn));
    expect(points.some((p, i) => i > 0 && p.y === points[i - 1].y && Math.abs(p.y - lane) < LANE_SPACING)).toBe(false);
  });

  it("routes a thousand-card graph quickly, every edge square", () => {
    const places: Record<string, [number, number]> = {};
    for (let i = 0; i < 1000; i += 1) places[`n${i}`] = [Math.floor(i / 10) * 320, (i % 10) * 100];
    const boxes = cards(places);
    const edges = Array.from({ length: 990 }, (_, i) => edge(boxes, `n${i}`, `n${i + 10}`));
    const started = performance.now();
    const routes = orthogonalRoutes(edges, boxes);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(Object.keys(routes)).toHaveLength(990);
    expect(edges.every((e) => square(polyline(boxes, e, routes)))).toBe(true);
  });
});

describe("edge ends at the drawn handles", () => {
  it("leaves the source's arm handle on its right side and enters the target's on its left", () => {
    const graph = irToGraph({
      name: "f",
      nodes: [
        { id: "check", type: "branch", condition: "input.ok", then: ["yes"], else: ["no"] },
        { id: "yes", type: "value", value: "1", after: ["check"] },
        { id: "no", type: "value", value: "2", after: ["check"] },
      ],
    } as never);
    const at: Record<string, Position> = { check: { x: 0, y: 0 }, yes: { x: 400, y: -100 }, no: { x: 400, y: 300 } };
    const cardsById = new Map(graph.nodes.map((n) => [n.id, { position: at[n.id], handles: n.handles }]));
    const ends = handleEnds(graph.edges, cardsById);
    expect(ends).toHaveLength(graph.edges.length);
    const check = graph.nodes.find((n) => n.id === "check")!;
    const arm = (id: string) => check.handles!.find((h) => h.id === id)!;
    for (const end of ends) {
      const edge = graph.edges.find((e) => e.id === end.id)!;
      const out = arm(edge.sourceHandle!);
      expect(end.from).toEqual({ x: out.x + out.width!, y: out.y + out.height! / 2 });
      const into = graph.nodes.find((n) => n.id === edge.target)!.handles!.find((h) => h.type === "target")!;
      expect(end.to).toEqual({ x: at[edge.target].x + into.x, y: at[edge.target].y + into.y + into.height! / 2 });
    }
    // The two arms leave at different heights.
    expect(new Set(ends.map((end) => end.from.y)).size).toBe(2);
  });

  it("leaves out an edge whose card is not placed", () => {
    expect(handleEnds([{ id: "a->b", source: "a", target: "b" }], new Map())).toEqual([]);
  });
});
