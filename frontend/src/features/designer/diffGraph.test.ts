// The version diff's graph: drawn at once, with the quick layout standing in for ELK's
// until ELK has laid the combined graph out, and ELK's own places after that.
import { beforeEach, describe, expect, it } from "vitest";
import type { FlowIR, IrDiff } from "../../graph";
import onboarding from "../../../../docs/examples/onboarding.json";
import { diffGraph, diffGraphNow } from "./components/DiffView";

const before = onboarding as unknown as FlowIR;
const after: FlowIR = { ...before, nodes: before.nodes.filter((node) => node.id !== "report") };
const diff: IrDiff = { added: [], removed: ["report"], changed: {}, edges_added: [], edges_removed: [], flow_changes: {} };
const unplaced = (ir: FlowIR): FlowIR => ({ ...ir, nodes: ir.nodes.map(({ position: _position, ...node }) => node) });

describe("diffGraphNow", () => {
  beforeEach(() => localStorage.clear());

  it("keeps the saved places of a flow whose cards all have one, final at once", () => {
    // Each card at its column in the older version, so the removed one's ghost overlaps none.
    const column = new Map(before.nodes.map((node, i) => [node.id, i]));
    const place = (ir: FlowIR): FlowIR => ({ ...ir, nodes: ir.nodes.map((node) => ({ ...node, position: { x: 320 * column.get(node.id)!, y: 0 } })) });
    const now = diffGraphNow(place(before), place(after), diff);
    expect(now.final).toBe(true);
    expect(now.nodes.find((node) => node.id === "report")?.data.status).toBe("removed");
    expect(now.nodes.find((node) => node.id === "is_valid")?.position).toEqual({ x: 320, y: 0 });
  });

  it("draws unplaced cards left to right at once, not final, then gives ELK's places once known", async () => {
    const now = diffGraphNow(unplaced(before), unplaced(after), diff);
    expect(now.final).toBe(false);
    const x = new Map(now.nodes.map((node) => [node.id, node.position.x]));
    for (const edge of now.edges) expect(x.get(edge.source)!).toBeLessThan(x.get(edge.target)!);
    const laid = await diffGraph(unplaced(before), unplaced(after), diff);
    const again = diffGraphNow(unplaced(before), unplaced(after), diff);
    expect(again.final).toBe(true);
    expect(again.nodes.map((node) => node.position)).toEqual(laid.nodes.map((node) => node.position));
  }, 60_000);

  it("sets aside the reads the designer hides (shortcuts), unless the diff added them", () => {
    // report reads check_email, and waits for it through the branch too
    const same: IrDiff = { ...diff, removed: [] };
    const now = diffGraphNow(unplaced(before), unplaced(before), same);
    expect([...now.shortcuts]).toEqual(["data:check_email->report"]);
    expect(now.edges.map((edge) => edge.id)).toContain("data:check_email->report");
    const added = diffGraphNow(unplaced(before), unplaced(before), { ...same, edges_added: [["check_email", "report"]] });
    expect(added.shortcuts.size).toBe(0);
  });
});
