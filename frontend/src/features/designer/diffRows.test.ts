import { describe, expect, it } from "vitest";
import { flowChangeRows } from "./diffRows";

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
});
