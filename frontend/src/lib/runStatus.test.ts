import { describe, expect, it } from "vitest";
import { runStatusLook } from "./runStatus";

describe("runStatusLook", () => {
  it("reads a completed run whose approval was rejected as such, in amber", () => {
    expect(runStatusLook("completed", true)).toEqual({ label: "Completed · approval rejected", tone: "approval-rejected" });
  });
  it("leaves other runs as their status", () => {
    expect(runStatusLook("completed", false)).toEqual({ label: "Completed", tone: "completed" });
    expect(runStatusLook("suspended")).toEqual({ label: "Waiting", tone: "suspended" });
    // a failed run says failed, whatever its approvals did
    expect(runStatusLook("failed", true)).toEqual({ label: "Failed", tone: "failed" });
  });
});
