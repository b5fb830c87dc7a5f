// Edge routes: the path through ELK's bends, the fallback when a route went stale, and the
// first view of a long flow.
import { describe, expect, it } from "vitest";
import {
  edgeRoutes,
  irToGraph,
  layoutGraph,
  midpoint,
  nodeHeight,
  placeRoute,
  roundedPath,
  routedPath,
  routesClearOfCards,
  simplify,
  startViewport,
  NODE_WIDTH,
  type EdgeRoute,
  type FlowIR,
  type Position,
} from "./index";

// A then arm that goes two columns on, past the arm's first step.
const ORDER = {
  ir_version: "1.0",
  name: "Order",
  nodes: [
    { id: "validate_order", type: "tool", tool: "validate_order", inputs: { order_id: "input.order_id" } },
    { id: "check_inventory", type: "tool", tool: "check_inventory", after: ["validate_order"], inputs: { items: "input.items" } },
    { id: "if_in_stock", type: "branch", condition: "check_inventory.in_stock", then: ["charge", "ship", "email_receipt"], else: ["email_customer"] },
    { id: "charge", type: "tool", tool: "process_payment", after: ["if_in_stock"], inputs: { amount: "validate_order.subtotal" } },
    { id: "ship", type: "tool", tool: "create_shipment", after: ["charge"], inputs: { order_id: "validate_order.order_id" } },
    { id: "email_receipt", type: "tool", tool: "send_email", after: ["ship"], inputs: { to: "input.to" } },
    { id: "email_customer", type: "tool", tool: "send_email", after: ["if_in_stock"], inputs: { to: "input.to" } },
  ],
} as unknown as FlowIR;

const ROUTE: EdgeRoute = {
  start: { x: 241, y: 26 },
  end: { x: 599, y: 126 },
  bends: [{ x: 300, y: 26 }, { x: 300, y: 126 }],
  source: { x: 0, y: 0 },
  target: { x: 600, y: 100 },
};
const FROM = { x: 249.5, y: 26 };
const TO = { x: 590.5, y: 126 };

describe("roundedPath", () => {
  it("draws a straight line for two points", () => {
    expect(roundedPath([{ x: 0, y: 0 }, { x: 100, y: 0 }])).toBe("M0,0 L100,0");
  });

  it("rounds each corner with a quadratic curve no wider than half a leg", () => {
    const path = roundedPath([{ x: 0, y: 0 }, { x: 50, y: 0 }, { x: 50, y: 10 }, { x: 100, y: 10 }], 8);
    expect(path).toBe("M0,0 L45,0 Q50,0 50,5 L50,5 Q50,10 55,10 L100,10");
  });

  it("drops repeated and collinear points", () => {
    expect(simplify([{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 10, y: 0 }, { x: 20, y: 0 }])).toEqual([{ x: 0, y: 0 }, { x: 20, y: 0 }]);
  });

  it("puts the label halfway along the path", () => {
    expect(midpoint([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 30 }])).toEqual({ x: 10, y: 10 });
  });
});

describe("placeRoute", () => {
  it("runs from the handle through the bends to the handle", () => {
    expect(placeRoute(ROUTE, ROUTE.source, ROUTE.target, FROM, TO)).toEqual([FROM, ...ROUTE.bends, TO]);
  });

  it("moves with the whole graph", () => {
    const shift = (p: Position) => ({ x: p.x + 40, y: p.y - 10 });
    const points = placeRoute(ROUTE, shift(ROUTE.source), shift(ROUTE.target), shift(FROM), shift(TO));
    expect(points).toEqual([FROM, ...ROUTE.bends, TO].map(shift));
  });

  it("is stale once an end was moved by hand: the default curve is drawn instead", () => {
    const moved = { x: 600, y: 180 };
    expect(placeRoute(ROUTE, ROUTE.source, moved, FROM, { x: TO.x, y: TO.y + 80 })).toBeNull();
    expect(routedPath(ROUTE, ROUTE.source, moved, FROM, { x: TO.x, y: TO.y + 80 })).toBeNull();
  });

  it("is stale when the handle is not level with the route's port", () => {
    expect(placeRoute(ROUTE, ROUTE.source, ROUTE.target, { x: FROM.x, y: FROM.y + 20 }, TO)).toBeNull();
  });

  it("draws nothing routed without a route or a node", () => {
    expect(routedPath(undefined, ROUTE.source, ROUTE.target, FROM, TO)).toBeNull();
    expect(routedPath(ROUTE, undefined, ROUTE.target, FROM, TO)).toBeNull();
    expect(routedPath(ROUTE, ROUTE.source, ROUTE.target, FROM, TO)?.path).toMatch(/^M249.5,26 L292,26 Q300,26 300,34 /);
  });
});

describe("routesClearOfCards", () => {
  const edge = { id: "e", source: "a", target: "b" };
  const box = (x: number, y: number) => ({ x, y, width: 240, height: 60 });

  it("keeps a route whose ends are where the layout put them and nothing is in the way", () => {
    const boxes = new Map([["a", box(0, 0)], ["b", box(600, 100)], ["c", box(300, 300)]]);
    expect(routesClearOfCards({ e: ROUTE }, [edge], boxes)).toEqual({ e: ROUTE });
  });

  it("drops a route once a card was moved onto it, or an end moved away", () => {
    const blocked = new Map([["a", box(0, 0)], ["b", box(600, 100)], ["c", box(260, 50)]]);
    expect(routesClearOfCards({ e: ROUTE }, [edge], blocked)).toEqual({});
    const moved = new Map([["a", box(0, 0)], ["b", box(600, 300)]]);
    expect(routesClearOfCards({ e: ROUTE }, [edge], moved)).toEqual({});
  });
});

describe("edgeRoutes", () => {
  /** Whether the segment a-b passes through the box (shrunk by a pixel). */
  const crosses = (a: Position, b: Position, box: { x: number; y: number; w: number; h: number }) => {
    const [x0, x1] = [Math.min(a.x, b.x), Math.max(a.x, b.x)];
    const [y0, y1] = [Math.min(a.y, b.y), Math.max(a.y, b.y)];
    return x0 < box.x + box.w - 1 && x1 > box.x + 1 && y0 < box.y + box.h - 1 && y1 > box.y + 1;
  };

  it("routes every edge of a branch flow around the cards it does not join", async () => {
    const { nodes, edges } = irToGraph(ORDER);
    const laid = await layoutGraph(nodes, edges, { engine: "elk" });
    const routes = await edgeRoutes(nodes, edges);
    const at = new Map(laid.map((node) => [node.id, node]));
    for (const edge of edges) {
      const route = routes[edge.id];
      expect(route, edge.id).toBeDefined();
      const source = at.get(edge.source)!;
      const target = at.get(edge.target)!;
      // The route fits the laid-out positions (same layout, same numbers).
      const handleY = (nodeId: string, handle: string) => {
        const node = at.get(nodeId)!;
        const found = node.handles!.find((h) => h.id === handle)!;
        return node.position.y + found.y + found.height! / 2;
      };
      const from = { x: source.position.x + NODE_WIDTH + 9.5, y: handleY(edge.source, edge.sourceHandle!) };
      const to = { x: target.position.x - 9.5, y: handleY(edge.target, "in") };
      const points = placeRoute(route, source.position, target.position, from, to);
      expect(points, edge.id).not.toBeNull();
      for (const node of laid) {
        if (node.id === edge.source || node.id === edge.target) continue;
        const box = { x: node.position.x, y: node.position.y, w: NODE_WIDTH, h: nodeHeight(node.data.node) };
        for (let i = 1; i < points!.length; i += 1) {
          expect(crosses(points![i - 1], points![i], box), `${edge.id} through ${node.id}`).toBe(false);
        }
      }
    }
  }, 60_000);

  it("keeps the then arm's target above the else arm's (arm ports at their rows)", async () => {
    const { nodes, edges } = irToGraph(ORDER);
    const laid = await layoutGraph(nodes, edges, { engine: "elk" });
    const y = new Map(laid.map((node) => [node.id, node.position.y]));
    expect(y.get("charge")!).toBeLessThan(y.get("email_customer")!);
  }, 60_000);
});

describe("startViewport", () => {
  const card = (x: number) => ({ x, y: 0, width: 240, height: 60 });

  it("fits and centres a flow that is readable whole", () => {
    const view = startViewport([card(0), card(300)], 1000, 600);
    expect(view.zoom).toBe(1);
    expect(view.x).toBeCloseTo((1000 - 540) / 2);
  });

  it("opens a long flow at a readable zoom on its first step", () => {
    const chain = Array.from({ length: 12 }, (_, i) => card(100 + i * 312));
    const view = startViewport(chain, 1000, 600, { minZoom: 0.65 });
    expect(view.zoom).toBe(0.65);
    expect(view.x + 100 * view.zoom).toBe(24); // the first card at the left padding
  });
});
