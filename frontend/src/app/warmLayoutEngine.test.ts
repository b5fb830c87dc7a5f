import { describe, expect, it } from "vitest";
import { drawsGraph } from "./warmLayoutEngine";

describe("drawsGraph", () => {
  it("knows the designer and the run page", () => {
    expect(drawsGraph("/flows/8f2c")).toBe(true);
    expect(drawsGraph("/flows/8f2c/v/3")).toBe(true);
    expect(drawsGraph("/runs/41")).toBe(true);
  });

  it("leaves the lists, the planner and the other pages to warm the engine", () => {
    for (const path of ["/flows", "/flows/", "/flows/new", "/runs", "/inbox", "/inbox/4/check", "/tools", "/batches/2"]) {
      expect(drawsGraph(path), path).toBe(false);
    }
  });
});
