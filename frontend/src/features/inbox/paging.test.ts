import { describe, expect, it } from "vitest";
import type { Step } from "./api";
import { MAX_PAGE } from "../../lib/allPages";
import { hasMore, mergePage, reloadLimit, shownText } from "./paging";

const step = (id: string) => ({ id }) as Step;

describe("reloadLimit", () => {
  it("reads at least a page, every row on screen, and never past the API's ceiling", () => {
    expect(reloadLimit(0, 0, 50)).toBe(50);
    expect(reloadLimit(130, 200, 50)).toBe(130);
    expect(reloadLimit(5000, 9000, 50)).toBe(MAX_PAGE);
  });

  it("reads a page more when every step was on screen, so new ones appear", () => {
    expect(reloadLimit(120, 120, 50)).toBe(170);
    expect(reloadLimit(3, 3, 50)).toBe(53);
  });
});

describe("mergePage", () => {
  it("appends the next page without repeating a step already loaded", () => {
    const merged = mergePage([step("a"), step("b")], [step("b"), step("c")]);
    expect(merged.map((s) => s.id)).toEqual(["a", "b", "c"]);
  });
});

describe("hasMore", () => {
  it("is true until every counted step is loaded", () => {
    expect(hasMore(50, 120)).toBe(true);
    expect(hasMore(120, 120)).toBe(false);
    expect(hasMore(0, 0)).toBe(false);
  });
});

describe("shownText", () => {
  it("says how many are shown while more wait, else how many wait", () => {
    expect(shownText(50, 120)).toBe("50 of 120 steps shown");
    expect(shownText(1, 1)).toBe("1 step waiting");
    expect(shownText(120, 120)).toBe("120 steps waiting");
  });
});
