// The planner's notes (what the request said that the graph does not do) show under Problems.
import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { afterEach, describe, expect, it } from "vitest";
import type { FlowIR, Issue } from "../../../graph";
import { designer, useDesigner } from "../store";
import { plannerNotes, ProblemsPanel } from "./ProblemsPanel";

afterEach(cleanup);

const FLOW: FlowIR = {
  ir_version: "1.0",
  name: "Morning summary",
  description: "",
  input_schema: { type: "object" },
  nodes: [{ id: "fetch", type: "tool", tool: "fetch_url", inputs: { url: '"https://x.io"' } }],
};

describe("planner notes", () => {
  it("shows each note of the plan under the problems", () => {
    const note = "“every morning” is when it should run: start it on that schedule from outside.";
    designer.load({ flowId: 1, flowName: "Morning summary", canEdit: true, version: 1, ir: { ...FLOW, metadata: { notes: [note] } } });
    render(<MemoryRouter><ProblemsPanel /></MemoryRouter>);
    expect(screen.getByTestId("planner-notes").textContent).toContain("every morning");
  });

  it("shows nothing for a flow without notes, or with notes that are not text", () => {
    designer.load({ flowId: 1, flowName: "Morning summary", canEdit: true, version: 1, ir: FLOW });
    render(<MemoryRouter><ProblemsPanel /></MemoryRouter>);
    expect(screen.queryByTestId("planner-notes")).toBeNull();
    expect(plannerNotes({ ...FLOW, metadata: { notes: [3, "", "kept"] } })).toEqual(["kept"]);
    expect(plannerNotes({ ...FLOW, metadata: { notes: "not a list" } })).toEqual([]);
  });
});

describe("the problems count", () => {
  it("says how many warnings a valid flow has beside its 0 problems", () => {
    designer.load({ flowId: 1, flowName: "Morning summary", canEdit: true, version: 1, ir: FLOW });
    const warning: Issue = { code: "unknown_group", message: "names a group that does not exist", node: "fetch", field: null, hint: null };
    designer.setIssues([], useDesigner.getState().ir, [warning]);
    render(<MemoryRouter><ProblemsPanel /></MemoryRouter>);
    expect(screen.getByTestId("problems-count").textContent).toBe("0");
    expect(screen.getByTestId("problems-warnings").textContent).toBe("1 warning");
  });

  it("shows no warnings badge when there are none", () => {
    designer.load({ flowId: 1, flowName: "Morning summary", canEdit: true, version: 1, ir: FLOW });
    designer.setIssues([], useDesigner.getState().ir);
    render(<MemoryRouter><ProblemsPanel /></MemoryRouter>);
    expect(screen.queryByTestId("problems-warnings")).toBeNull();
  });
});
