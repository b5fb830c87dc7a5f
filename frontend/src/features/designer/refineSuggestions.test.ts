import { beforeEach, describe, expect, it } from "vitest";
import type { FlowIR } from "../../graph";
import { recentRefinements, RECENT_KEPT, refineSuggestions, rememberRefinement } from "./refineSuggestions";

const welcome: FlowIR = {
  ir_version: "1.0",
  name: "Welcome",
  input_schema: { type: "object" },
  nodes: [
    { id: "check", type: "tool", tool: "validate_email", inputs: { email: "input.email" } },
    { id: "is_valid", type: "branch", condition: "check.valid", then: ["greet"], else: [] },
    { id: "greet", type: "tool", tool: "send_welcome_email", inputs: {} },
  ],
};

describe("refineSuggestions", () => {
  it("writes instructions for the flow's own steps", () => {
    expect(refineSuggestions(welcome)).toEqual(["Ask managers to approve greet", "Retry check 3 times", "Also email the customer"]);
  });

  it("offers nothing the flow already has", () => {
    const done: FlowIR = {
      ...welcome,
      nodes: [
        { id: "check", type: "tool", tool: "validate_email", retry: { max_attempts: 3 } },
        { id: "ok", type: "approval", title: "OK?", after: ["check"] } as FlowIR["nodes"][number],
        { id: "mail", type: "tool", tool: "send_email", retry: { max_attempts: 2 }, after: ["ok"] },
      ],
    };
    expect(refineSuggestions(done)).toEqual([]);
  });

  it("offers the email alone for a flow of no tool steps", () => {
    expect(refineSuggestions({ ...welcome, nodes: [{ id: "v", type: "value", value: "1" }] })).toEqual(["Also email the customer"]);
  });
});

describe("recent refinements", () => {
  beforeEach(() => localStorage.clear());

  it("keeps the last few previewed on each flow, newest first, each once", () => {
    rememberRefinement(7, "retry check 3 times");
    rememberRefinement(7, "also email the customer");
    rememberRefinement(7, "Retry check 3 times");
    expect(recentRefinements(7)).toEqual(["Retry check 3 times", "also email the customer"]);
    expect(recentRefinements(8)).toEqual([]);
    for (let i = 0; i < 10; i += 1) rememberRefinement(null, `remove step_${i}`);
    expect(recentRefinements(null)).toHaveLength(RECENT_KEPT);
    expect(recentRefinements(null)[0]).toBe("remove step_9");
  });

  it("reads nothing from a stored value it did not write", () => {
    localStorage.setItem("dynamicflow:refine:3", "{not json");
    expect(recentRefinements(3)).toEqual([]);
  });
});
