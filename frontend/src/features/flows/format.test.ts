import { describe, expect, it } from "vitest";
import { extraDescription } from "./format";

describe("extraDescription", () => {
  it("drops a description that only repeats the name", () => {
    expect(extraDescription("Fetch the page and summarize it", "Fetch the page and summarize it")).toBe("");
    expect(extraDescription(
      "When a new order arrives, check stock; if in stock charge the card and email…",
      "When a new order arrives, check stock; if in stock charge the card and email a receipt",
    )).toBe("");
  });

  it("keeps a description that says more than the name", () => {
    expect(extraDescription("Refund", "Refund a damaged parcel after a manager approves it"))
      .toBe("Refund a damaged parcel after a manager approves it");
    expect(extraDescription("Orders…", "Check stock for new orders")).toBe("Check stock for new orders");
    expect(extraDescription("Orders", "")).toBe("");
  });
});
