import { describe, expect, it } from "vitest";
import { relativeTime } from "./format";

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
