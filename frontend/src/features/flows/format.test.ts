import { describe, expect, it } from "vitest";
import { extraDescription, relativeTime } from "./format";

const NOW = Date.parse("2026-05-10T12:00:00Z");

describe("relativeTime", () => {
  it("says just now for the last seconds", () => {
    expect(relativeTime("2026-05-10T11:59:30Z", NOW)).toBe("just now");
  });
  it("uses the largest unit that fits", () => {
    expect(relativeTime("2026-05-10T11:55:00Z", NOW)).toBe("5 min. ago");
    expect(relativeTime("2026-05-10T09:00:00Z", NOW)).toBe("3 hr. ago");
    expect(relativeTime("2026-05-07T12:00:00Z", NOW)).toBe("3 days ago");
    expect(relativeTime("2025-05-01T12:00:00Z", NOW)).toBe("last yr.");
  });
  it("is empty for a date it cannot read", () => {
    expect(relativeTime("soon", NOW)).toBe("");
  });
});

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
