// Long flows folded into rows so they open readable; short ones left in one row.
import { describe, expect, it } from "vitest";
import { READABLE_ZOOM, startViewport, type Box } from "./viewport";
import { wrapIntoRows, type Link } from "./wrap";

/** A chain of `count` cards laid out left to right as the layered layout does. */
function chain(count: number, gap = 72): Map<string, Box> {
  return new Map(Array.from({ length: count }, (_, i) => [`s${i}`, { x: i * (240 + gap), y: 0, width: 240, height: 72 }] as const));
}

/** Each step after the one before. */
function links(count: number): Link[] {
  return Array.from({ length: count - 1 }, (_, i) => ({ source: `s${i}`, target: `s${i + 1}` }));
}

function placed(boxes: Map<string, Box>, positions: Map<string, { x: number; y: number }> | null): Box[] {
  return [...boxes].map(([id, box]) => ({ ...box, ...(positions?.get(id) ?? {}) }));
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

// The designer's canvas at 1400x900 beside the palette and under the toolbar.
const PANE = { width: 980, height: 740 };

describe("wrapIntoRows", () => {
  it("leaves a flow that fits at 100% in one row", () => {
    expect(wrapIntoRows(chain(2), links(2), PANE.width, PANE.height)).toBeNull();
    expect(wrapIntoRows(chain(3), links(3), PANE.width, PANE.height)).toBeNull();
  });

  it("leaves a flow that one row shows at a readable zoom as it is", () => {
    // four columns (a lookup, a branch, its arms and a step after one of them) fit at
    // about 0.77: rows would draw the branch's lines back across the canvas for little gain
    const boxes = chain(4, 60);
    const one = startViewport(placed(boxes, null), PANE.width, PANE.height, { minZoom: 0.1 });
    expect(one.zoom).toBeGreaterThanOrEqual(0.75);
    expect(one.zoom).toBeLessThan(1);
    expect(wrapIntoRows(boxes, links(4), PANE.width, PANE.height)).toBeNull();
    // the same with the rule off folds it
    expect(wrapIntoRows(boxes, links(4), PANE.width, PANE.height, { readableZoom: 1 })).not.toBeNull();
  });

  it("folds five steps into rows that show at 100%", () => {
    const boxes = chain(5);
    const before = startViewport(placed(boxes, null), PANE.width, PANE.height, { minZoom: 0.1 });
    expect(before.zoom).toBeLessThan(0.7);
    const positions = wrapIntoRows(boxes, links(5), PANE.width, PANE.height);
    expect(positions).not.toBeNull();
    const view = startViewport(placed(boxes, positions), PANE.width, PANE.height, { minZoom: 0.1 });
    expect(view.zoom).toBe(1);
    // reading order kept: a row left to right, the next row below it
    const at = (id: string) => positions!.get(id)!;
    expect(at("s1").x).toBeGreaterThan(at("s0").x);
    expect(at("s3").y).toBeGreaterThan(at("s2").y);
    expect(at("s3").x).toBe(at("s0").x);
  });

  it("shows twelve steps near 100%", () => {
    const boxes = chain(12);
    const positions = wrapIntoRows(boxes, links(12), PANE.width, PANE.height);
    const view = startViewport(placed(boxes, positions), PANE.width, PANE.height, { minZoom: 0.1 });
    expect(view.zoom).toBeGreaterThanOrEqual(0.9);
  });

  it("folds forty steps, too many to read whole, into rows as wide as the pane at a readable zoom", () => {
    const boxes = chain(40);
    const positions = wrapIntoRows(boxes, links(40), PANE.width, PANE.height)!;
    expect(positions).not.toBeNull();
    const cards = placed(boxes, positions);
    const width = Math.max(...cards.map((card) => card.x + card.width)) - Math.min(...cards.map((card) => card.x));
    // each row is shown whole across at the readable zoom: the person pans down only
    expect(width * READABLE_ZOOM).toBeLessThanOrEqual(PANE.width - 48);
    // and as many columns as that allows: one more would not fit
    expect((width + 312) * READABLE_ZOOM).toBeGreaterThan(PANE.width - 48);
    // the first view then shows its start at a readable zoom, no card cut at the edge
    const view = startViewport(cards, PANE.width, PANE.height);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(cards.every((card) => card.x * view.zoom + view.x >= 0 && (card.x + card.width) * view.zoom + view.x <= PANE.width)).toBe(true);
  });

  it("keeps a layer's nodes together and cards apart", () => {
    // a fork: one node, then three side by side in a column, then a chain of four
    const boxes = new Map<string, Box>([
      ["a", { x: 0, y: 104, width: 240, height: 72 }],
      ["b", { x: 312, y: 0, width: 240, height: 72 }],
      ["c", { x: 312, y: 104, width: 240, height: 72 }],
      ["d", { x: 312, y: 208, width: 240, height: 72 }],
      ...[...chain(4)].map(([id, box]) => [`t${id}`, { ...box, x: box.x + 624, y: 104 }] as const),
    ]);
    const forked: Link[] = [
      ...["b", "c", "d"].map((target) => ({ source: "a", target })),
      ...["b", "c", "d"].map((source) => ({ source, target: "ts0" })),
      ...links(4).map(({ source, target }) => ({ source: `t${source}`, target: `t${target}` })),
    ];
    const positions = wrapIntoRows(boxes, forked, PANE.width, PANE.height)!;
    expect(positions).not.toBeNull();
    expect(new Set(["b", "c", "d"].map((id) => positions.get(id)!.x)).size).toBe(1);
    const cards = placed(boxes, positions);
    for (let i = 0; i < cards.length; i += 1) {
      for (let j = i + 1; j < cards.length; j += 1) expect(overlap(cards[i], cards[j])).toBe(false);
    }
  });

  it("ends a row only where the edges going on leave from one or two steps", () => {
    // eight steps, the later ones reading the first three
    const boxes = chain(8);
    const reads: Link[] = [...links(8), ...[0, 1, 2].flatMap((from) => [4, 5, 6, 7].map((to) => ({ source: `s${from}`, target: `s${to}` })))];
    const positions = wrapIntoRows(boxes, reads, PANE.width, PANE.height)!;
    expect(positions).not.toBeNull();
    const rows = [...new Set([...positions.values()].map((p) => p.y))].sort((a, b) => a - b);
    expect(rows.length).toBeGreaterThan(1);
    for (const bottom of rows.slice(1)) {
      const sources = new Set(reads.filter((link) => positions.get(link.source)!.y < bottom && positions.get(link.target)!.y >= bottom).map((link) => link.source));
      expect(sources.size).toBeLessThanOrEqual(2);
    }
    // s2 and s3 (three steps' edges go on past them) never end a row
    for (const id of ["s2", "s3"]) {
      const next = positions.get(`s${Number(id.slice(1)) + 1}`)!;
      expect(next.y).toBe(positions.get(id)!.y);
    }
  });

  it("never ends a row between a branch and its arms", () => {
    // a check, then a branch whose two arms each lead to a step, in a pane too narrow for
    // the three columns at a readable zoom (the run page's graph beside its details panel)
    const boxes = new Map<string, Box>([
      ["check", { x: 0, y: 40, width: 296, height: 81 }],
      ["branch", { x: 370, y: 48, width: 264, height: 64 }],
      ["yes", { x: 708, y: 0, width: 264, height: 81 }],
      ["no", { x: 708, y: 110, width: 264, height: 81 }],
    ]);
    const arms: Link[] = [
      { source: "check", target: "branch" },
      { source: "branch", target: "yes", sourceHandle: "then" },
      { source: "branch", target: "no", sourceHandle: "else" },
    ];
    const positions = wrapIntoRows(boxes, arms, 726, 448, { padding: 56, readableZoom: 0.65 });
    // a row of its own for the arms would send both lines back across the first: none is made
    const moved = (id: string) => (positions?.get(id)?.x ?? boxes.get(id)!.x) - boxes.get(id)!.x;
    expect(moved("yes")).toBe(moved("branch"));
    expect(moved("no")).toBe(moved("branch"));
  });

  it("folds a long chain into rows of even length, no step left alone on a row", () => {
    // thirteen steps on the run page's graph at 1400 x 900: four rows of four held 4, 4, 4, 1
    const rowsOf = (positions: Map<string, { x: number; y: number }>) => {
      const counts = new Map<number, number>();
      for (const { y } of positions.values()) counts.set(y, (counts.get(y) ?? 0) + 1);
      return [...counts].sort(([a], [b]) => a - b).map(([, count]) => count);
    };
    for (const count of [7, 9, 13, 17]) {
      const positions = wrapIntoRows(chain(count), links(count), 1102, 438, { padding: 56 })!;
      expect(positions).not.toBeNull();
      const rows = rowsOf(positions);
      expect(rows.length).toBeGreaterThan(1);
      expect(Math.max(...rows) - Math.min(...rows), `${count}: ${rows}`).toBeLessThanOrEqual(1);
    }
  });

  it("folds seven steps in even rows where three columns still read, not 2, 2, 2, 1", () => {
    // a tall pane (the designer's canvas beside a panel; the run page's beside its node
    // panel) shows two columns largest, but four rows of two leave the last step alone
    const rowsOf = (positions: Map<string, { x: number; y: number }>) => {
      const counts = new Map<number, number>();
      for (const { y } of positions.values()) counts.set(y, (counts.get(y) ?? 0) + 1);
      return [...counts].sort(([a], [b]) => a - b).map(([, count]) => count);
    };
    for (const [width, height, padding] of [[800, 650, 24], [700, 650, 24], [900, 740, 56], [800, 438, 56]]) {
      const positions = wrapIntoRows(chain(7), links(7), width, height, { padding })!;
      expect(positions, `${width} x ${height}`).not.toBeNull();
      expect(rowsOf(positions), `${width} x ${height}`).toEqual([3, 2, 2]);
      // and the whole flow still shows at a readable zoom
      const view = startViewport(placed(chain(7), positions), width, height, { minZoom: 0.1, padding });
      expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM - 1e-9);
    }
  });

  it("keeps the fuller row first when two folds are as even", () => {
    // a check, a branch, and its one arm (a little narrower cards after the first), two
    // columns a row: the check and the branch, then the arm; not the check alone
    const boxes = new Map<string, Box>([
      ["check", { x: 0, y: 0, width: 296, height: 64 }],
      ["branch", { x: 370, y: 0, width: 264, height: 64 }],
      ["arm", { x: 708, y: 0, width: 264, height: 64 }],
    ]);
    const arms: Link[] = [{ source: "check", target: "branch" }, { source: "branch", target: "arm", sourceHandle: "then" }];
    const positions = wrapIntoRows(boxes, arms, 800, 438, { padding: 56, readableZoom: 1 })!;
    expect(positions).not.toBeNull();
    expect(positions.get("branch")!.y).toBe(positions.get("check")!.y);
    expect(positions.get("arm")!.y).toBeGreaterThan(positions.get("check")!.y);
  });

  it("evens the rows between the places a row may end", () => {
    // four steps, then three lanes of two (a row cannot end inside them), then two more: in
    // rows of three columns at most, 3, 1, 3, 2 became 2, 2, 3, 2
    const boxes = new Map<string, Box>([
      ...[...chain(4)].map(([id, box]) => [id, { ...box, y: 104 }] as const),
      ...[0, 1, 2].flatMap((lane) => [0, 1].map((step) => [`l${lane}${step}`, { x: (4 + step) * 312, y: lane * 104, width: 240, height: 72 }] as const)),
      ["p0", { x: 6 * 312, y: 104, width: 240, height: 72 }],
      ["p1", { x: 7 * 312, y: 104, width: 240, height: 72 }],
    ]);
    const fan: Link[] = [
      ...links(4),
      ...[0, 1, 2].flatMap((lane) => [{ source: "s3", target: `l${lane}0` }, { source: `l${lane}0`, target: `l${lane}1` }, { source: `l${lane}1`, target: "p0" }]),
      { source: "p0", target: "p1" },
    ];
    const positions = wrapIntoRows(boxes, fan, 872, 581)!;
    expect(positions).not.toBeNull();
    const y = (id: string) => positions.get(id)!.y;
    expect(y("s1")).toBe(y("s0"));
    expect(y("s2")).toBeGreaterThan(y("s1"));
    expect(y("s3")).toBe(y("s2"));
    expect(y("l00")).toBeGreaterThan(y("s3"));
    expect(positions.get("p0")!.x).toBeGreaterThan(positions.get("l01")!.x);
    expect(y("p1")).toBeGreaterThan(y("l20"));
  });
});
