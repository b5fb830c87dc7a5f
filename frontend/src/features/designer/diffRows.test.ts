import { describe, expect, it } from "vitest";
import { describeInputField, flowChangeRows, isNoiseChange } from "./diffRows";

describe("flowChangeRows", () => {
  it("shows only the metadata keys a person changed (not its timestamp)", () => {
    const rows = flowChangeRows({
      name: { before: "A", after: "B" },
      metadata: {
        before: { prompt: "send it", planner: "offline", tags: [], created_at: "2026-12-01T04:03" },
        after: { prompt: "send it", planner: "refine", created_at: "2026-12-01T04:07" },
      },
    });
    expect(rows).toEqual([
      { field: "name", before: "A", after: "B" },
      { field: "metadata.planner", before: "offline", after: "refine" },
      { field: "metadata.tags", before: [], after: undefined },
    ]);
  });

  it("keeps a metadata change that is no object as it is", () => {
    expect(flowChangeRows({ metadata: { before: "x", after: { a: 1 } } })).toEqual([
      { field: "metadata", before: "x", after: { a: 1 } },
    ]);
  });

  it("shows a run-input change as the fields that changed, in words", () => {
    const email = { type: "string", description: "The address to check." };
    const rows = flowChangeRows({
      input_schema: {
        before: { type: "object", required: ["email", "total"], properties: { email, total: { type: "number" }, note: { type: "string" } } },
        after: {
          type: "object", required: ["email", "total", "name"],
          properties: { email, total: { type: "number", default: 0 }, name: { type: "string" } },
        },
      },
    });
    expect(rows).toEqual([
      { field: "input.name", before: undefined, after: "string, required" },
      { field: "input.note", before: "string, optional", after: undefined },
      { field: "input.total", before: "number, required", after: "number, required, default 0" },
    ]);
  });

  it("says a list, a choice and a description", () => {
    expect(describeInputField({ type: "array", items: { type: "number" } }, false)).toBe("list of number, optional");
    expect(describeInputField({ enum: ["slow", "fast"] }, true)).toBe('one of "slow", "fast", required');
    expect(describeInputField({ type: "string", description: "Who asks." }, true)).toBe("string, required · Who asks.");
  });
});

describe("isNoiseChange", () => {
  it("treats a move and 'nothing' written two ways as no change", () => {
    expect(isNoiseChange("position", { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(true);
    expect(isNoiseChange("after", [], null)).toBe(true);
    expect(isNoiseChange("after", [], undefined)).toBe(true);
    expect(isNoiseChange("inputs", {}, null)).toBe(true);
  });

  it("keeps every real change", () => {
    expect(isNoiseChange("after", [], ["check"])).toBe(false);
    expect(isNoiseChange("else", ["send_email_2"], [])).toBe(false);
    expect(isNoiseChange("value", null, "input.x")).toBe(false);
    expect(isNoiseChange("value", 0, null)).toBe(false);
  });
});
