// The IR <-> graph layer: conversion, round trips, dependencies, ids and layout.
import { beforeEach, describe, expect, it } from "vitest";
import {
  armLabel,
  MAX_ARM_LABEL,
  edgeRoutes,
  downstreamIds,
  firstFreeSpot,
  groupClearance,
  expressionNames,
  graphToIr,
  immediateLayout,
  irToGraph,
  keyRows,
  layoutGraph,
  orderedThrough,
  renameForPaste,
  renameInExpression,
  renameNode,
  uniqueId,
  upstreamIds,
  wouldCreateCycle,
  type FlowIR,
  type IrNode,
} from "./index";
import { ELK_MAX_NODES } from "./layout";

import onboarding from "../../../docs/examples/onboarding.json";
import refundApproval from "../../../docs/examples/refund_approval.json";
import expenseApproval from "../../../tests/core/fixtures/expense_approval.json";

const FILES: Record<string, unknown> = {
  "docs/examples/onboarding.json": onboarding,
  "docs/examples/refund_approval.json": refundApproval,
  "tests/core/fixtures/expense_approval.json": expenseApproval,
};
const EXAMPLES = Object.keys(FILES);

/** A fresh deep copy of an example flow. */
function load(path: string): FlowIR {
  return JSON.parse(JSON.stringify(FILES[path])) as FlowIR;
}

function stripPositions(ir: FlowIR): FlowIR {
  return {
    ...ir,
    nodes: ir.nodes.map((node) => {
      const copy = { ...node };
      delete copy.position;
      return copy;
    }),
  };
}

/** A random but reproducible flow with arms, `after` edges and some positions. */
function generatedFlow(size: number, seed: number): FlowIR {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const nodes: IrNode[] = [];
  for (let i = 0; i < size; i += 1) {
    const id = `n${i}`;
    const earlier = i > 0 ? `n${Math.floor(random() * i)}` : null;
    const position = random() < 0.5 ? { x: i * 10, y: Math.round(random() * 500) } : undefined;
    const kind = random();
    if (i > 0 && i < size - 2 && kind < 0.15) {
      nodes.push({ id, type: "branch", condition: `${earlier}.ok == true`, then: [`n${i + 1}`], else: [`n${i + 2}`], position });
    } else if (i > 0 && i < size - 2 && kind < 0.25) {
      nodes.push({ id, type: "switch", value: `${earlier}.kind`, cases: { a: [`n${i + 1}`] }, default: [`n${i + 2}`] });
    } else if (kind < 0.6 && earlier) {
      nodes.push({ id, type: "tool", tool: "t", inputs: { x: `${earlier}.value + "n0.text"` }, after: i > 2 ? [`n${i - 2}`] : [], position });
    } else {
      nodes.push({ id, type: "value", value: { v: earlier ? `size(${earlier})` : "input.x" }, title: `Step ${i}` });
    }
  }
  return { name: `generated ${seed}`, input_schema: { type: "object" }, nodes, max_steps: 1000 };
}

describe("expressions", () => {
  it("finds root names, not fields, functions, strings or macro variables", () => {
    expect(expressionNames('lookup.email + " <" + check.reason + ">"')).toEqual(new Set(["lookup", "check"]));
    expect(expressionNames('lookup["x"] + a.lookup')).toEqual(new Set(["lookup", "a"]));
    expect(expressionNames('"pay.ok and lookup" + \'scan\'')).toEqual(new Set());
    expect(expressionNames("size(scan) > 0 && input.receipts.map(r, r.url) != null")).toEqual(new Set(["scan", "input"]));
    expect(expressionNames("x != null ? x : (y == true)")).toEqual(new Set(["x", "y"]));
    expect(expressionNames('r"raw \\ lookup" + b\'bytes\' + """triple "lookup" """ + z')).toEqual(new Set(["z"]));
  });

  it("renames root names only", () => {
    const renames = new Map([["lookup", "find_user"]]);
    expect(renameInExpression('lookup.email + "lookup" + x.lookup + lookup["k"]', renames)).toBe(
      'find_user.email + "lookup" + x.lookup + find_user["k"]',
    );
  });
});

describe("irToGraph / graphToIr", () => {
  it.each(EXAMPLES)("round-trips %s exactly apart from positions", (path) => {
    const ir = load(path);
    const { nodes, edges } = irToGraph(ir);
    expect(nodes.map((node) => node.id)).toEqual(ir.nodes.map((node) => node.id));
    const moved = nodes.map((node, index) => ({ ...node, position: { x: index * 300, y: 40 } }));
    const back = graphToIr(moved, edges, ir);
    expect(back.nodes.map((node) => node.position)).toEqual(moved.map((node) => node.position));
    expect(stripPositions(back)).toEqual(stripPositions(ir));
    expect(JSON.parse(JSON.stringify(back))).toEqual(back);
  });

  it("draws data, after and labelled arm edges for the expense flow", () => {
    const { edges } = irToGraph(load("tests/core/fixtures/expense_approval.json"));
    const byId = new Map(edges.map((edge) => [edge.id, edge]));
    expect(byId.get("data:lookup->pay")?.data?.kind).toBe("data");
    expect(byId.get("after:pay->notify")?.data?.kind).toBe("after");
    expect(byId.get("arm:is_large:then->manager_ok")?.label).toBe("then");
    expect(byId.get("arm:is_large:else->auto_ok")?.label).toBe("else");
    expect(byId.get("arm:is_large:else->auto_ok")?.sourceHandle).toBe("else");
    // an identifier inside a string literal is not a dependency
    expect(edges.some((edge) => edge.source === "input")).toBe(false);
    expect(byId.has("data:scan->total")).toBe(true);
    expect(byId.get("after:pay->notify")?.deletable).toBe(true);
    expect(byId.get("data:lookup->pay")?.deletable).toBe(false);
  });

  it("labels switch arms with their case key or default", () => {
    const ir: FlowIR = {
      name: "s",
      nodes: [
        { id: "route", type: "switch", value: "input.c", cases: { EUR: ["a"] }, default: ["b"] },
        { id: "a", type: "value", value: "1" },
        { id: "b", type: "value", value: "route.case" },
      ],
    };
    const labels = Object.fromEntries(irToGraph(ir).edges.map((edge) => [edge.id, edge.label]));
    expect(labels).toEqual({ "arm:route:case:EUR->a": "EUR", "arm:route:default->b": "default" });
  });

  it.each([1, 2, 3, 4, 5])("round-trips generated flow %i with positions", (seed) => {
    const ir = generatedFlow(60, seed);
    const { nodes, edges } = irToGraph(ir);
    expect(edges.some((edge) => edge.data?.kind === "arm")).toBe(true);
    expect(edges.some((edge) => edge.data?.kind === "after")).toBe(true);
    // unchanged positions give back the very same document
    const same = graphToIr(nodes.map((node) => ({ ...node })), edges, ir);
    expect(stripPositions(same)).toEqual(stripPositions(ir));
    for (const [index, node] of same.nodes.entries()) {
      if (ir.nodes[index].position) expect(node.position).toEqual(ir.nodes[index].position);
    }
    const moved = graphToIr(nodes.map((node) => ({ ...node, position: { x: 1.4, y: 2.6 } })), edges, ir);
    expect(moved.nodes.every((node) => node.position?.x === 1 && node.position?.y === 3)).toBe(true);
    expect(stripPositions(moved)).toEqual(stripPositions(ir));
  });
});

describe("dependencies", () => {
  const ir = load("tests/core/fixtures/expense_approval.json");

  it("knows what is upstream and downstream", () => {
    expect(upstreamIds(ir, "pay")).toEqual(new Set(["lookup", "decision", "auto_ok", "manager_ok", "is_large", "scan"]));
    expect(downstreamIds(ir, "pay").has("notify")).toBe(true);
  });

  it("detects cycles and self-loops", () => {
    expect(wouldCreateCycle(ir, "pay", "lookup")).toBe(true);
    expect(wouldCreateCycle(ir, "notify", "is_large")).toBe(true);
    expect(wouldCreateCycle(ir, "pay", "pay")).toBe(true);
    expect(wouldCreateCycle(ir, "lookup", "scan")).toBe(false);
    expect(wouldCreateCycle(ir, "lookup", "notify")).toBe(false);
  });
});

describe("armLabel", () => {
  it("names the arm, and shortens a long case key the card shows in full", () => {
    expect(armLabel("then")).toBe("then");
    expect(armLabel("case:billing")).toBe("billing");
    expect(armLabel("case:shipping_and_delivery_problems")).toBe("shipping_an…");
    expect(armLabel("case:shipping_and_delivery_problems")).toHaveLength(MAX_ARM_LABEL);
  });
});

describe("orderedThrough", () => {
  // The planner's "validate and check the stock at once, then pay, then send the receipt":
  // `receipt` also lists `validate` and `stock` in its `after`, which `pay` already implies.
  const parallel: FlowIR = {
    name: "Order",
    nodes: [
      { id: "validate", type: "tool", tool: "validate_order", inputs: {} },
      { id: "stock", type: "tool", tool: "check_inventory", inputs: {} },
      { id: "pay", type: "tool", tool: "process_payment", after: ["stock"], inputs: { amount: "validate.total" } },
      { id: "receipt", type: "tool", tool: "send_email", after: ["validate", "stock"], inputs: { body: "pay.status" } },
    ],
  };

  it("names the step through which an `after` is already implied", () => {
    expect(orderedThrough(parallel, "validate", "receipt")).toBe("pay");
    expect(orderedThrough(parallel, "stock", "receipt")).toBe("pay");
    expect(orderedThrough(parallel, "stock", "pay")).toBeNull(); // the only link between them
    expect(orderedThrough(parallel, "validate", "stock")).toBeNull();
  });

  it("keeps an `after` whose chain passes a node that waits for any, or ends at one", () => {
    const anyOnTheWay = { ...parallel, nodes: parallel.nodes.map((node) => (node.id === "pay" ? { ...node, trigger: "any" as const } : node)) };
    expect(orderedThrough(anyOnTheWay, "validate", "receipt")).toBeNull();
    const anyAtTheEnd = { ...parallel, nodes: parallel.nodes.map((node) => (node.id === "receipt" ? { ...node, trigger: "any" as const } : node)) };
    expect(orderedThrough(anyAtTheEnd, "validate", "receipt")).toBeNull();
  });

  it("leaves out of the drawn graph only the implied `after` edges", () => {
    const ids = irToGraph(parallel).edges.map((edge) => edge.id).sort();
    expect(ids).toEqual(["after:stock->pay", "data:pay->receipt", "data:validate->pay"]);
    // a data link between the same two steps is drawn: it says what the step reads
    const reads = { ...parallel, nodes: parallel.nodes.map((node) => (node.id === "receipt" ? { ...node, inputs: { body: "pay.status", to: "validate.email" } } : node)) };
    expect(irToGraph(reads).edges.map((edge) => edge.id)).toContain("after:validate->receipt");
  });
});

describe("ids", () => {
  it("makes unique snake_case ids", () => {
    expect(uniqueId("Send Email", new Set())).toBe("send_email");
    expect(uniqueId("send_email", new Set(["send_email", "send_email_2"]))).toBe("send_email_3");
    expect(uniqueId("input", new Set())).toBe("input_step");
    expect(uniqueId("9lives", new Set())).toBe("n_9lives");
  });

  it("renames a node and every reference to it", () => {
    const ir = renameNode(load("tests/core/fixtures/expense_approval.json"), "lookup", "employee");
    const byId = new Map(ir.nodes.map((node) => [node.id, node]));
    expect(byId.has("employee")).toBe(true);
    expect(byId.get("pay")).toMatchObject({ inputs: { account: "employee.iban" } });
    expect(byId.get("summary")).toMatchObject({ prompt: expect.stringContaining("{{ employee.name }}") });
    expect(byId.get("manager_ok")).toMatchObject({ context: { employee: "employee.name" } });
    const pay = renameNode(ir, "pay", "payment").nodes.find((node) => node.id === "notify");
    expect(pay?.after).toEqual(["payment"]);
    const arms = renameNode(ir, "auto_ok", "auto").nodes.find((node) => node.id === "is_large");
    expect(arms).toMatchObject({ then: ["manager_ok"], else: ["auto"] });
  });

  it("renames pasted nodes and the references among them", () => {
    const nodes: IrNode[] = [
      { id: "lookup", type: "tool", tool: "t", inputs: { q: "input.q" } },
      { id: "check", type: "branch", condition: 'lookup.ok && other.x == "lookup"', then: ["lookup"], after: ["lookup", "other"] },
    ];
    const { nodes: pasted, renames } = renameForPaste(nodes, ["lookup", "check", "other"]);
    expect(renames).toEqual(new Map([["lookup", "lookup_2"], ["check", "check_2"]]));
    expect(pasted[0].id).toBe("lookup_2");
    expect(pasted[1]).toMatchObject({
      id: "check_2",
      condition: 'lookup_2.ok && other.x == "lookup"',
      then: ["lookup_2"],
      after: ["lookup_2", "other"],
    });
    const fresh = renameForPaste(nodes, ["x"]);
    expect(fresh.nodes).toEqual(nodes);
  });
});

describe("layoutGraph", () => {
  const overlaps = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

  it.each([
    ["elk", 80],
    ["layered", 80],
    ["layered", 500],
  ] as const)("%s places %i nodes without overlaps, left to right", async (engine, size) => {
    const ir = stripPositions(generatedFlow(size, 7));
    const { nodes, edges } = irToGraph(ir);
    const laid = await layoutGraph(nodes, edges, { engine });
    const boxes = laid.map((node) => ({ x: node.position.x, y: node.position.y, w: node.width ?? 240, h: node.initialHeight ?? 50 }));
    const clashes: string[] = [];
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) if (overlaps(boxes[i], boxes[j])) clashes.push(`${i}/${j}`);
    }
    expect(clashes).toEqual([]);
    const x = new Map(laid.map((node) => [node.id, node.position.x]));
    for (const edge of edges) expect(x.get(edge.source)!).toBeLessThan(x.get(edge.target)!);
  }, 60_000);

  it("lays a branch's then target level with its then row, above the else target", async () => {
    // As the planner writes "look up the user; if found welcome them, otherwise email ops":
    // the welcome step also reads the lookup directly, and without ports ELK sorted it
    // below the else target, the two arms crossing.
    const ir = {
      ir_version: "1",
      name: "Lookup",
      nodes: [
        { id: "lookup_user", type: "tool", tool: "lookup_user", inputs: { email: "input.email" } },
        { id: "if_found", type: "branch", condition: "lookup_user.found", then: ["send_welcome_email"], else: ["send_email"] },
        { id: "send_welcome_email", type: "tool", tool: "send_welcome_email", after: ["if_found"],
          inputs: { name: "lookup_user.user.name", email: "lookup_user.user.email" } },
        { id: "send_email", type: "tool", tool: "send_email", after: ["if_found"],
          inputs: { to: "\"ops@example.com\"", body: "input.body", subject: "input.subject" } },
      ],
    } as unknown as FlowIR;
    const { nodes, edges } = irToGraph(ir);
    const laid = await layoutGraph(nodes, edges, { engine: "elk" });
    const y = new Map(laid.map((node) => [node.id, node.position.y]));
    expect(y.get("send_welcome_email")!).toBeLessThan(y.get("send_email")!);
  }, 60_000);

  it("keeps saved positions unless forced", async () => {
    const ir = load("docs/examples/onboarding.json");
    ir.nodes[0].position = { x: 1000, y: 1000 };
    const { nodes, edges } = irToGraph(ir);
    const laid = await layoutGraph(nodes, edges);
    expect(laid[0].position).toEqual({ x: 1000, y: 1000 });
    expect(laid.slice(1).every((node) => node.position.x >= 1000 + 240)).toBe(true);
    const forced = await layoutGraph(nodes, edges, { force: true });
    expect(forced[0].position).not.toEqual({ x: 1000, y: 1000 });
  }, 60_000);
});

describe("immediateLayout", () => {
  beforeEach(() => localStorage.clear());

  it("draws a graph ELK has not laid out yet with the layered layout, marked not final", () => {
    const { nodes, edges } = irToGraph(stripPositions(generatedFlow(12, 3)));
    const now = immediateLayout(nodes, edges);
    expect(now.final).toBe(false);
    expect(now.routes).toBeUndefined(); // only ELK's worker can route it
    const x = new Map(now.nodes.map((node) => [node.id, node.position.x]));
    for (const edge of edges) expect(x.get(edge.source)!).toBeLessThan(x.get(edge.target)!);
  });

  it("gives ELK's own answer, final, once ELK has laid the graph out", async () => {
    const { nodes, edges } = irToGraph(stripPositions(generatedFlow(12, 5)));
    const elk = await layoutGraph(nodes, edges);
    const now = immediateLayout(nodes, edges);
    expect(now.final).toBe(true);
    expect(now.nodes.map((node) => node.position)).toEqual(elk.map((node) => node.position));
    expect(now.routes).toEqual(await edgeRoutes(nodes, edges));
  }, 60_000);

  it("gives ELK's routes for a placed graph ELK has routed before, and none before that", async () => {
    const ir = stripPositions(generatedFlow(8, 3));
    ir.nodes.forEach((node, i) => (node.position = { x: 320 * i, y: 0 }));
    const { nodes, edges } = irToGraph(ir);
    expect(immediateLayout(nodes, edges).routes).toBeUndefined();
    const routes = await edgeRoutes(nodes, edges);
    expect(Object.keys(routes).length).toBeGreaterThan(0);
    expect(immediateLayout(nodes, edges)).toMatchObject({ final: true, routes });
  }, 60_000);

  it("is final at once for a graph too big for ELK, and for one whose nodes are all placed", () => {
    const big = irToGraph(stripPositions(generatedFlow(ELK_MAX_NODES + 10, 2)));
    expect(immediateLayout(big.nodes, big.edges)).toMatchObject({ final: true, routes: {} });
    const ir = load("docs/examples/onboarding.json");
    ir.nodes.forEach((node, i) => (node.position = { x: 300 * i, y: 0 }));
    const placed = irToGraph(ir);
    const now = immediateLayout(placed.nodes, placed.edges);
    expect(now.final).toBe(true);
    expect(now.nodes[1].position).toEqual({ x: 300, y: 0 });
  });
});

describe("groupClearance", () => {
  const card = (x: number, y: number, height = 100) => ({ x, y, height });

  it("is 0 for a group clear of every card", () => {
    expect(groupClearance([card(0, 0)], [card(600, 0)])).toBe(0);
  });

  it("moves the whole group below the cards any of its members would cover", () => {
    const group = [card(48, 48), card(360, 48)];
    const dy = groupClearance(group, [card(0, 0), card(312, 0, 180), card(0, 124)]);
    expect(dy).toBe(124 + 100 + 24 - 48);
  });
});

describe("firstFreeSpot", () => {
  it("keeps a free place as it is", () => {
    expect(firstFreeSpot({ x: 0, y: 0 }, [{ x: 600, y: 0, height: 100 }], 100)).toEqual({ x: 0, y: 0 });
  });

  it("moves below a card it would cover, however tall the card", () => {
    const tall = { x: 20, y: -40, height: 180 };
    expect(firstFreeSpot({ x: 0, y: 0 }, [tall], 100)).toEqual({ x: 0, y: 164 });
  });

  it("moves past a column of cards", () => {
    const column = [{ x: 0, y: 0, height: 100 }, { x: 0, y: 124, height: 100 }];
    expect(firstFreeSpot({ x: 0, y: 10 }, column, 100)).toEqual({ x: 0, y: 248 });
  });
});

describe("keyRows", () => {
  it("names a map's list 'for each', apart from a tool input called items", () => {
    const map = { id: "m", type: "map", tool: "check_inventory", items: "input.orders", inputs: { items: "item" } } as unknown as IrNode;
    expect(keyRows(map)).toEqual([["for each", "input.orders", "cel"], ["items", "item", "cel"]]);
  });

  it("says which rows hold text: an approval's instructions, an LLM prompt's template", () => {
    const approval = { id: "ok", type: "approval", instructions: "Approve it", context: { asks: "input.x" } } as unknown as IrNode;
    expect(keyRows(approval)).toEqual([["asks", "Approve it", "text"], ["asks", "input.x", "cel"]]);
    const llm = { id: "sum", type: "llm", prompt: "Sum up {{ input.x }}" } as unknown as IrNode;
    expect(keyRows(llm)).toEqual([["prompt", "Sum up {{ input.x }}", "template"]]);
    // a step just added, with no prompt yet, shows an empty row
    expect(keyRows({ id: "new", type: "llm" } as unknown as IrNode)).toEqual([["prompt", "", "template"]]);
  });
});
