// The latest-version hints: remembered across page loads, bounded, and updated in place.
import { beforeEach, describe, expect, it } from "vitest";
import {
  forgetLatestVersionsInMemory,
  HINTS_KEPT,
  latestVersionHint,
  rememberLatestVersion,
  rememberLatestVersions,
} from "./latestVersion";

beforeEach(() => {
  localStorage.clear();
  forgetLatestVersionsInMemory();
});

describe("latest version hints", () => {
  it("knows nothing of a flow never seen", () => {
    expect(latestVersionHint(7)).toBeNull();
  });

  it("gives back the last number seen, after a page load too", () => {
    rememberLatestVersion(7, 2);
    rememberLatestVersion(7, 3);
    forgetLatestVersionsInMemory();
    expect(latestVersionHint(7)).toBe(3);
  });

  it("forgets a flow seen without versions", () => {
    rememberLatestVersion(7, 2);
    rememberLatestVersion(7, null);
    expect(latestVersionHint(7)).toBeNull();
  });

  it("keeps the most recently seen flows only", () => {
    rememberLatestVersions(Array.from({ length: HINTS_KEPT + 5 }, (_, i) => [i, 1] as const));
    expect(latestVersionHint(0)).toBeNull();
    expect(latestVersionHint(HINTS_KEPT + 4)).toBe(1);
    rememberLatestVersion(5, 2); // seen again: now the most recent
    rememberLatestVersions(Array.from({ length: HINTS_KEPT - 1 }, (_, i) => [1000 + i, 1] as const));
    expect(latestVersionHint(5)).toBe(2);
  });

  it("ignores unreadable storage", () => {
    localStorage.setItem("dynamicflow:latest-versions", "{not json");
    expect(latestVersionHint(1)).toBeNull();
    rememberLatestVersion(1, 4);
    expect(latestVersionHint(1)).toBe(4);
  });
});
