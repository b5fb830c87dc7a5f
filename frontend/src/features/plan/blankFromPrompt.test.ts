import { describe, expect, it } from "vitest";
import { draftFromPrompt, nameFromPrompt } from "./blankFromPrompt";

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

describe("draftFromPrompt", () => {
  it("is a one-step flow named from the prompt and described by it, saved by no one yet", () => {
    const prompt = "Fly a drone over the roof. Then email the photos.";
    expect(draftFromPrompt(prompt)).toEqual({
      ir_version: "1.0",
      name: "Fly a drone over the roof",
      description: prompt,
      input_schema: { type: "object" },
      nodes: [{ id: "result", type: "output", title: "Result", value: "input" }],
      metadata: { planner: "editor", prompt },
    });
  });
});
