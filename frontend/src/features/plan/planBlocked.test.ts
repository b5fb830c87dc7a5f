import { describe, expect, it } from "vitest";
import { planBlockedReason } from "./planBlocked";

describe("planBlockedReason", () => {
  it("says to describe the flow while the prompt is empty or blank", () => {
    expect(planBlockedReason("", false)).toMatch(/Describe what the flow should do/);
    expect(planBlockedReason("  \n ", false)).toMatch(/pick an example/);
  });

  it("gives none once there is a prompt, nor while planning (the button says Planning…)", () => {
    expect(planBlockedReason("send a welcome email", false)).toBeNull();
    expect(planBlockedReason("", true)).toBeNull();
  });
});
