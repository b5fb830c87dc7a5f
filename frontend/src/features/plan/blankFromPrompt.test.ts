import { describe, expect, it } from "vitest";
import { nameFromPrompt } from "./blankFromPrompt";

describe("nameFromPrompt", () => {
  it("takes the first sentence, capitalised, without its full stop", () => {
    expect(nameFromPrompt("  fly a drone to the roof.  Then print a part.")).toBe("Fly a drone to the roof");
  });

  it("cuts a long prompt at a word and says it was cut", () => {
    const name = nameFromPrompt("Every month generate the expense report for each department and ask the finance director to approve it");
    expect(name.length).toBeLessThanOrEqual(61);
    expect(name.endsWith("…")).toBe(true);
    expect(name).toBe("Every month generate the expense report for each department…");
  });

  it("names an empty prompt", () => {
    expect(nameFromPrompt("   ")).toBe("Untitled flow");
  });
});
