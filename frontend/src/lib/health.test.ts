import { describe, expect, it } from "vitest";
import { HEALTH_BADGE, healthOf, problemsSummary, validLabel } from "./health";

describe("healthOf", () => {
  it("is red with errors, amber with warnings only, green with neither", () => {
    expect(healthOf(2, 1)).toBe("bad");
    expect(healthOf(0, 1)).toBe("warned");
    expect(healthOf(0, 0)).toBe("good");
    expect(HEALTH_BADGE[healthOf(0, 3)]).toBe("warn");
  });
});

describe("problemsSummary", () => {
  it("says the counts", () => {
    expect(problemsSummary(0, 0)).toBe("No problems: the flow is valid");
    expect(problemsSummary(0, 2)).toBe("2 warnings: it runs, but see the warnings");
    expect(problemsSummary(1, 1)).toBe("1 error, 1 warning: it cannot run yet");
    expect(problemsSummary(3, 0)).toBe("3 errors: it cannot run yet");
  });
});

describe("validLabel", () => {
  it("counts the warnings of a valid flow, as the designer's badge and the flows list say it", () => {
    expect(validLabel(0)).toBe("Valid");
    expect(validLabel(1)).toBe("Valid · 1 warning");
    expect(validLabel(3)).toBe("Valid · 3 warnings");
  });
});
