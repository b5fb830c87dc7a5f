import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useNow } from "./useRunView";

describe("useNow", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads the clock as soon as it becomes active, not only at its first tick", () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    const { result, rerender } = renderHook(({ active }) => useNow(active, 1000), { initialProps: { active: false } });
    expect(result.current).toBe(1_000_000);
    // the page loaded 5 s later: the clock moved while nothing ticked
    vi.setSystemTime(1_005_000);
    rerender({ active: true });
    expect(result.current).toBe(1_005_000);
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(result.current).toBe(1_006_000);
  });
});
