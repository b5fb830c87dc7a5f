// The shared layout engine: a warm-up that a big graph makes useless is stopped while it
// runs; an engine a real layout uses, or one already warm, is kept.
import { beforeEach, describe, expect, it, vi } from "vitest";

type Engine = typeof import("./elkEngine");
let engine: Engine;

beforeEach(async () => {
  vi.resetModules(); // a fresh engine per test
  engine = await import("./elkEngine");
});

describe("stopWarmUp", () => {
  it("stops an engine that has only been warming up, and a later layout starts a new one", async () => {
    void engine.warmLayoutEngine();
    expect(engine.stopWarmUp()).toBe(true);
    expect(engine.stopWarmUp()).toBe(false); // nothing left to stop
    const laid = await (await engine.elk()).layout({ id: "root", children: [{ id: "a", width: 10, height: 10 }] });
    expect(laid.children?.[0].id).toBe("a");
  });

  it("keeps an engine a real layout has asked for", async () => {
    void engine.warmLayoutEngine();
    await engine.elk();
    expect(engine.stopWarmUp()).toBe(false);
  });

  it("keeps an engine that has finished warming up: idle, it costs nothing", async () => {
    await engine.warmLayoutEngine();
    expect(engine.stopWarmUp()).toBe(false);
  });

  it("has nothing to stop before anything started", () => {
    expect(engine.stopWarmUp()).toBe(false);
  });
});
