import { describe, expect, it } from "vitest";
import { timeAgo } from "./timeAgo";

const NOW = Date.parse("2026-05-10T12:00:00Z");

describe("timeAgo", () => {
  it("says just now for the last seconds and for a clock slightly ahead", () => {
    expect(timeAgo("2026-05-10T11:59:58Z", NOW)).toBe("just now");
    expect(timeAgo("2026-05-10T12:00:03Z", NOW)).toBe("just now");
  });

  it("uses the largest unit that fits, written the same everywhere", () => {
    expect(timeAgo("2026-05-10T11:59:30Z", NOW)).toBe("30 s ago");
    expect(timeAgo("2026-05-10T11:55:00Z", NOW)).toBe("5 min ago");
    expect(timeAgo("2026-05-10T09:00:00Z", NOW)).toBe("3 h ago");
    expect(timeAgo("2026-05-09T10:00:00Z", NOW)).toBe("yesterday");
    expect(timeAgo("2026-05-07T12:00:00Z", NOW)).toBe("3 days ago");
  });

  it("gives the date after a week, with the year when it is another year's", () => {
    expect(timeAgo("2026-04-01T12:00:00Z", NOW)).toMatch(/Apr/);
    expect(timeAgo("2026-04-01T12:00:00Z", NOW)).not.toMatch(/2026/);
    expect(timeAgo("2025-05-01T12:00:00Z", NOW)).toMatch(/2025/);
  });

  it("is empty for a time it cannot read", () => {
    expect(timeAgo("soon", NOW)).toBe("");
    expect(timeAgo(null, NOW)).toBe("");
  });
});
