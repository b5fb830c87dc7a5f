import { describe, expect, it } from "vitest";
import { irEdges } from "./convert";
import { shortcutClass, shortcutEdgeIds, withoutShortcuts } from "./shortcuts";
import type { FlowIR } from "./types";

const tool = (id: string, inputs: Record<string, string>, after: string[] = []) => ({ id, type: "tool", tool: "t", inputs, after });

describe("shortcutEdgeIds", () => {
  it("finds the reads of an early step by steps that already wait for it through others", () => {
    // a -> b -> c -> d in order; c and d read a, d reads b
    const ir = {
      name: "run-on",
      nodes: [
        tool("a", { x: "input.x" }),
        tool("b", { x: "a.y" }),
        tool("c", { x: "a.y" }, ["b"]),
        tool("d", { x: "a.y + b.y" }, ["c"]),
      ],
    } as unknown as FlowIR;
    const edges = irEdges(ir);
    expect([...shortcutEdgeIds(edges)].sort()).toEqual(["data:a->c", "data:a->d", "data:b->d"]);
    expect(withoutShortcuts(edges).map((edge) => edge.id)).toEqual(["data:a->b", "after:b->c", "after:c->d"]);
  });

  it("keeps a read that is the only way between two steps, and every arm and order line", () => {
    const ir = {
      name: "branching",
      nodes: [
        tool("check", { x: "input.x" }),
        { id: "ok", type: "branch", condition: "check.valid", then: ["greet"], else: ["report"] },
        tool("greet", { x: "input.x" }),
        tool("report", { x: "check.reason" }),
      ],
    } as unknown as FlowIR;
    // report reads check, and also waits for it through the branch: a shortcut
    expect([...shortcutEdgeIds(irEdges(ir))]).toEqual(["data:check->report"]);
    const parallel = { name: "p", nodes: [tool("a", {}), tool("b", { x: "a.y" }), tool("c", { x: "a.y" })] } as unknown as FlowIR;
    expect(shortcutEdgeIds(irEdges(parallel)).size).toBe(0);
  });

  it("ends on a cycle, and leaves it connected", () => {
    const edges = [
      { id: "data:a->b", source: "a", target: "b", data: { kind: "data" } },
      { id: "data:b->a", source: "b", target: "a", data: { kind: "data" } },
      { id: "data:b->c", source: "b", target: "c", data: { kind: "data" } },
      { id: "data:a->c", source: "a", target: "c", data: { kind: "data" } },
    ];
    expect([...shortcutEdgeIds(edges)]).toEqual(["data:b->c"]);
  });
});

describe("shortcutClass", () => {
  const shortcuts = new Set(["data:a->c"]);
  const shortcut = { id: "data:a->c", source: "a", target: "c" };
  const line = { id: "after:b->c", source: "b", target: "c" };

  it("hides a shortcut until one of its ends is lit, and lights any line of a lit step", () => {
    expect(shortcutClass(shortcut, shortcuts, new Set())).toBe("edge-shortcut");
    expect(shortcutClass(shortcut, shortcuts, new Set(["c"]))).toBe("edge-shortcut edge-lit");
    expect(shortcutClass(shortcut, shortcuts, new Set(["a"]))).toBe("edge-shortcut edge-lit");
    expect(shortcutClass(shortcut, shortcuts, new Set(["b"]))).toBe("edge-shortcut");
    expect(shortcutClass(line, shortcuts, new Set())).toBe("");
    expect(shortcutClass(line, shortcuts, new Set(["b"]))).toBe("edge-lit");
  });
});
