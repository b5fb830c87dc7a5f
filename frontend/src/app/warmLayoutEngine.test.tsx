import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { drawsGraph, useWarmLayoutEngine } from "./warmLayoutEngine";

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

function Warm() {
  useWarmLayoutEngine();
  return null;
}

const warmStarted = () => performance.getEntriesByName("layout-engine:warm-start").length > 0;

describe("useWarmLayoutEngine", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("waits for the browser to be idle on a page that draws no graph", () => {
    const idle = vi.fn(() => 1);
    vi.stubGlobal("requestIdleCallback", idle);
    vi.stubGlobal("cancelIdleCallback", vi.fn());
    const page = render(<MemoryRouter initialEntries={["/tools"]}><Warm /></MemoryRouter>);
    expect(idle).toHaveBeenCalledTimes(1);
    expect(warmStarted()).toBe(false);
    page.unmount();
  });

  it("leaves a page that draws a graph to start the engine with its own fetch", () => {
    const idle = vi.fn(() => 1);
    vi.stubGlobal("requestIdleCallback", idle);
    render(<MemoryRouter initialEntries={["/flows/12"]}><Warm /></MemoryRouter>);
    expect(idle).not.toHaveBeenCalled();
    expect(warmStarted()).toBe(false);
  });
});
