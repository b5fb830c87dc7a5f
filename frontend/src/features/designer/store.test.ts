// The designer store: undo/redo, coalesced typing, connect rules, deletes and paste.
import { beforeEach, describe, expect, it } from "vitest";
import { nodeHeight, type FlowIR, type IrNode } from "../../graph";
import { copiedNodes } from "./hooks/useHotkeys";
import { designer, HISTORY_LIMIT, useDesigner } from "./store";

const FLOW: FlowIR = {
  name: "Onboard",
  nodes: [
    { id: "check", type: "tool", tool: "validate_email", inputs: { email: "input.email" } },
    { id: "is_valid", type: "branch", condition: "check.valid", then: ["welcome"], else: [] },
    { id: "welcome", type: "tool", tool: "send_welcome_email", inputs: { email: "input.email", name: "check.email" } },
    { id: "done", type: "output", value: "welcome != null", after: ["welcome"] },
  ],
};

const ir = () => useDesigner.getState().ir;
const node = (id: string) => ir().nodes.find((n) => n.id === id);

beforeEach(() => {
  designer.load({ flowId: 1, flowName: "Onboard", canEdit: true, version: 1, ir: FLOW });
});

describe("history", () => {
  it("undoes and redoes at least 100 steps", () => {
    for (let i = 0; i < 120; i += 1) {
      designer.updateNode("done", (n) => ({ ...n, title: `t${i}` }) as IrNode);
    }
    expect(node("done")?.title).toBe("t119");
    expect(useDesigner.getState().dirty).toBe(true);
    for (let i = 0; i < 119; i += 1) designer.undo();
    expect(node("done")?.title).toBe("t0");
    designer.undo();
    expect(node("done")?.title).toBeUndefined();
    expect(ir()).toBe(FLOW);
    expect(useDesigner.getState().dirty).toBe(false);
    for (let i = 0; i < 120; i += 1) designer.redo();
    expect(node("done")?.title).toBe("t119");
    expect(HISTORY_LIMIT).toBeGreaterThanOrEqual(100);
  });

  it("merges keystrokes in one field into one step", () => {
    for (const text of ["c", "ch", "che", "chec"]) designer.updateNode("done", (n) => ({ ...n, when: text }) as IrNode, "done.when");
    designer.updateNode("done", (n) => ({ ...n, title: "x" }) as IrNode, "done.title");
    designer.undo();
    expect(node("done")?.when).toBe("chec");
    designer.undo();
    expect(node("done")?.when).toBeUndefined();
  });
});

describe("unsaved changes", () => {
  it("are none once an edit brings the flow back to what was saved", () => {
    designer.updateNode("done", (n) => ({ ...n, title: "Done" }) as IrNode, "done.title");
    expect(useDesigner.getState().dirty).toBe(true);
    // the title typed away, then the field left as it was saved (no title)
    designer.updateNode("done", (n) => {
      const { title: _title, ...rest } = n;
      return rest as IrNode;
    }, "done.title");
    expect(ir()).not.toBe(FLOW);
    expect(useDesigner.getState().dirty).toBe(false);
  });

  it("are none when a cleared field is typed again as it was saved", () => {
    designer.load({ flowId: 1, flowName: "Onboard", canEdit: true, version: 1, ir: { ...FLOW, nodes: FLOW.nodes.map((n) => (n.id === "done" ? ({ title: "Done", ...n }) as IrNode : n)) } });
    designer.updateNode("done", (n) => {
      const { title: _title, ...rest } = n;
      return rest as IrNode;
    }, "done.title");
    expect(useDesigner.getState().dirty).toBe(true);
    designer.updateNode("done", (n) => ({ ...n, title: "Done" }) as IrNode, "done.title");
    expect(Object.keys(node("done")!).at(-1)).toBe("title");
    expect(useDesigner.getState().dirty).toBe(false);
  });

  it("are some when a value differs, however deep", () => {
    designer.updateNode("welcome", (n) => ({ ...n, inputs: { email: "input.email", name: "check.name" } }) as IrNode);
    expect(useDesigner.getState().dirty).toBe(true);
  });
});

describe("connect and disconnect", () => {
  it("adds `after` and arm memberships, and refuses cycles, self-loops and orders already implied", () => {
    // `done` runs after `welcome`, which reads `check`: done already runs after check
    expect(designer.connect("check", "done")).toBe("done already runs after check, through welcome.");
    expect(node("done")?.after).toEqual(["welcome"]);
    designer.updateNode("done", (n) => ({ ...n, after: [], value: "1" }) as IrNode);
    expect(designer.connect("check", "done")).toBeNull();
    expect(node("done")?.after).toEqual(["check"]);
    expect(designer.connect("done", "check")).toMatch(/cycle/);
    expect(designer.connect("welcome", "welcome")).toMatch(/itself/);
    expect(designer.connect("is_valid", "done", "else")).toBeNull();
    expect(node("is_valid")).toMatchObject({ then: ["welcome"], else: ["done"] });
    // moving a node to another arm takes it off the first
    expect(designer.connect("is_valid", "done", "then")).toBeNull();
    expect(node("is_valid")).toMatchObject({ then: ["welcome", "done"], else: [] });
  });

  it("deletes after and arm edges but explains data edges", () => {
    const message = designer.deleteEdges([
      { source: "welcome", target: "done", data: { kind: "after" } },
      { source: "is_valid", target: "welcome", data: { kind: "arm", arm: "then" } },
      { source: "check", target: "welcome", data: { kind: "data" } },
    ]);
    expect(node("done")?.after).toEqual([]);
    expect(node("is_valid")).toMatchObject({ then: [] });
    expect(message).toMatch(/welcome reads check/);
    designer.undo();
    expect(node("done")?.after).toEqual(["welcome"]);
  });

  it("takes an arm's line away with the `after` of the same pair drawn under it", () => {
    // Given a step on the branch's then arm that also says it runs after the branch (as
    // planners write it): one line is drawn, the arm's
    designer.updateNode("welcome", (n) => ({ ...n, after: ["is_valid"] }) as IrNode);

    // When that line is deleted
    designer.deleteEdges([{ source: "is_valid", target: "welcome", data: { kind: "arm", arm: "then" } }]);

    // Then the step no longer runs after the branch at all, not whatever its condition
    expect(node("is_valid")).toMatchObject({ then: [] });
    expect(node("welcome")?.after).toEqual([]);
  });
});

describe("delete and paste", () => {
  it("deletes nodes and drops them from after lists and arms", () => {
    designer.deleteNodes(["welcome"]);
    expect(node("welcome")).toBeUndefined();
    expect(node("done")?.after).toEqual([]);
    expect(node("is_valid")).toMatchObject({ then: [] });
  });

  it("pastes with ids renamed and references rewritten", () => {
    const copied = FLOW.nodes.filter((n) => n.id === "check" || n.id === "welcome");
    const ids = designer.paste(JSON.parse(JSON.stringify(copied)) as IrNode[]);
    expect(ids).toEqual(["check_2", "welcome_2"]);
    expect(node("welcome_2")).toMatchObject({ inputs: { name: "check_2.email" } });
    expect(useDesigner.getState().selection).toEqual(["check_2", "welcome_2"]);
    expect(ir().nodes).toHaveLength(6);
    designer.undo();
    expect(ir().nodes).toHaveLength(4);
  });

  it("pastes a copy beside its original clear of every card, not on top of one", () => {
    // Given cards drawn where the automatic layout put them (no saved positions)
    designer.setLayoutPositions({ check: { x: 0, y: 0 }, is_valid: { x: 312, y: 0 }, welcome: { x: 624, y: 0 }, done: { x: 0, y: 160 } });
    designer.select(["check"]);
    const copied = JSON.parse(copiedNodes()!) as { nodes: IrNode[] };
    expect(copied.nodes[0].position).toEqual({ x: 0, y: 0 });

    // When it is pasted into the same flow
    const [id] = designer.paste(copied.nodes);

    // Then the copy is below the cards it would have covered (the original and "done")
    const at = node(id)!.position!;
    expect(at.x).toBe(48);
    const height = nodeHeight(node("done")!);
    expect(at.y).toBeGreaterThanOrEqual(160 + height + 24);
  });

  it("renames a node everywhere", () => {
    designer.renameNode("check", "verify");
    expect(node("welcome")).toMatchObject({ inputs: { name: "verify.email" } });
    expect(node("is_valid")).toMatchObject({ condition: "verify.valid" });
  });
});

describe("the layout saved with a version", () => {
  const laid = { check: { x: 0, y: 0 }, is_valid: { x: 0, y: 200 }, welcome: { x: 0, y: 400 }, done: { x: 0, y: 600 } };

  it("is left out when nobody placed a step: the flow is laid out for the canvas that opens it", () => {
    // Given the automatic layout folded for a narrow canvas (the inspector docked beside it)
    designer.setLayoutPositions(laid);
    designer.updateNode("done", (n) => ({ ...n, title: "Done" }) as IrNode, "done.title");

    // When the flow is saved, then no node carries the fold as its place
    expect(designer.irForSave().nodes.every((n) => n.position === undefined)).toBe(true);
  });

  it("is left out when the only placed step is one the palette put beside the selected one", () => {
    designer.setLayoutPositions(laid);
    designer.addNodeAfter({ id: "note", type: "value", value: "1", position: { x: 312, y: 400 } } as IrNode, "welcome");
    const saved = designer.irForSave();
    expect(saved.nodes.map((n) => n.id)).toContain("note");
    expect(saved.nodes.every((n) => n.position === undefined)).toBe(true);
  });

  it("keeps the places of a flow saved with them", () => {
    const placed = { ...FLOW, nodes: FLOW.nodes.map((n, i) => ({ ...n, position: { x: 320 * i, y: 0 } }) as IrNode) };
    designer.load({ flowId: 1, flowName: "Onboard", canEdit: true, version: 2, ir: placed });
    designer.updateNode("done", (n) => ({ ...n, title: "Done" }) as IrNode, "done.title");
    expect(designer.irForSave().nodes.map((n) => n.position)).toEqual(placed.nodes.map((n) => n.position));
  });

  it("completes an arrangement made by hand with the layout's places for the other steps", () => {
    // Given one card dragged by hand among cards the layout placed
    designer.setLayoutPositions(laid);
    designer.moveNodes({ welcome: { x: 500, y: 40 } });

    // When the flow is saved, then every step keeps the place it is drawn at
    const saved = Object.fromEntries(designer.irForSave().nodes.map((n) => [n.id, n.position]));
    expect(saved).toEqual({ ...laid, welcome: { x: 500, y: 40 } });
  });
});

describe("the side panel", () => {
  it("shows a node's inspector, not the flow settings, when a problem of that node is focused", () => {
    designer.setSettingsOpen(true);
    designer.focusField("is_valid", "condition");
    expect(useDesigner.getState().settingsOpen).toBe(false);
    expect(useDesigner.getState().selection).toEqual(["is_valid"]);
    designer.focusField(null, "input_schema");
    expect(useDesigner.getState().settingsOpen).toBe(true);
    expect(useDesigner.getState().selection).toEqual([]);
  });
});

describe("adding a step after the selected one", () => {
  const fresh = (id: string): IrNode => ({ id, type: "value", value: "null", position: { x: 0, y: 0 } });

  it("runs it after the step, selects it, and undoes both in one step", () => {
    designer.addNodeAfter(fresh("next"), "welcome");
    expect(node("next")?.after).toEqual(["welcome"]);
    expect(useDesigner.getState().selection).toEqual(["next"]);
    designer.undo();
    expect(node("next")).toBeUndefined();
    expect(ir()).toBe(FLOW);
  });

  it("hangs it from the handle it was dragged from, when there is one", () => {
    designer.addNodeAfter(fresh("also"), "is_valid", "then");
    const branch = node("is_valid");
    expect(branch?.type === "branch" && branch.then).toEqual(["welcome", "also"]);
    designer.addNodeAfter(fresh("after_all"), "is_valid", "out");
    expect(node("after_all")?.after).toEqual(["is_valid"]);
  });

  it("puts it on a branch's first empty arm", () => {
    designer.addNodeAfter(fresh("otherwise"), "is_valid");
    const branch = node("is_valid");
    expect(branch?.type === "branch" && branch.else).toEqual(["otherwise"]);
    expect(branch?.type === "branch" && branch.then).toEqual(["welcome"]);
    expect(node("otherwise")?.after).toBeUndefined();
  });
});
