import { describe, expect, it } from "vitest";
import { assigneeNames, batchBadge, batchSegmentFilter, batchSegments, RUN_STATUS_FILTERS, runFilter, segmentLabel, decideHelp, elapsedMs, formatAgo, formatDuration, formatTick, listedDurationMs, timelineStep, noResultText, progressNote, recoveryNote, waitingForWorker, whoCanDecide, waitingLine, workerSilentMs, newerVersion } from "./format";

describe("formatDuration", () => {
  it("writes ms, seconds, minutes and hours", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(12.4)).toBe("12 ms");
    expect(formatDuration(1240)).toBe("1.24 s");
    expect(formatDuration(42_400)).toBe("42.4 s");
    expect(formatDuration(125_000)).toBe("2 m 05 s");
    expect(formatDuration(3_720_000)).toBe("1 h 02 m");
  });
});

describe("formatAgo and elapsedMs", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  it("says how long ago", () => {
    expect(formatAgo("2026-01-01T11:59:58Z", now)).toBe("just now");
    expect(formatAgo("2026-01-01T11:59:30Z", now)).toBe("30 s ago");
    expect(formatAgo("2026-01-01T11:57:00Z", now)).toBe("3 min ago");
    expect(formatAgo("2026-01-01T09:00:00Z", now)).toBe("3 h ago");
    expect(formatAgo(null, now)).toBe("—");
  });
  it("measures to the end, or to now while running", () => {
    expect(elapsedMs("2026-01-01T11:59:00Z", "2026-01-01T11:59:02Z", now)).toBe(2000);
    expect(elapsedMs("2026-01-01T11:59:00Z", null, now)).toBe(60_000);
    expect(elapsedMs(null, null, now)).toBeNull();
  });
});

describe("the nodes' progress note", () => {
  it("names the nodes that did not go through, and nothing when all did", () => {
    expect(progressNote({ failed: 0, cancelled: 0 })).toBeUndefined();
    expect(progressNote({ failed: 1, cancelled: 0 })).toBe("1 failed");
    expect(progressNote({ failed: 0, cancelled: 0 }, { rejected: 1, "timed-out": 1 })).toBe("1 rejected · 1 timed out");
    expect(progressNote({ failed: 1, cancelled: 2 })).toBe("1 failed · 2 cancelled");
  });
});

describe("a run no worker has taken", () => {
  const created = "2026-01-10T12:00:00Z";
  const at = (seconds: number) => Date.parse(created) + seconds * 1000;

  const fresh = { inBatch: false, started: false };

  it("is said once it has been pending past the grace, and only while pending", () => {
    expect(waitingForWorker("pending", created, fresh, at(3))).toBeNull();
    expect(waitingForWorker("pending", created, fresh, at(12))).toBe(12_000);
    expect(waitingForWorker("running", created, fresh, at(60))).toBeNull();
  });

  it("leaves a batch's queued runs and a run pending again after an approval alone", () => {
    expect(waitingForWorker("pending", created, { inBatch: true, started: false }, at(60))).toBeNull();
    expect(waitingForWorker("pending", created, { inBatch: false, started: true }, at(60))).toBeNull();
  });
});

describe("who can decide a step nobody can", () => {
  const none = { groups: [], users: [] };
  it("tells staff which groups and accounts do not exist, and that only staff can decide", () => {
    expect(whoCanDecide({ groups: ["finance"], users: [] }, true)).toBe("The group “finance” does not exist, so only staff can decide it.");
    expect(whoCanDecide({ groups: ["a", "b"], users: [] }, true)).toBe("The groups “a”, “b” do not exist, so only staff can decide it.");
    expect(whoCanDecide({ groups: ["a"], users: ["bob"] }, true)).toBe("The group “a” does not exist; “bob” has no active account, so only staff can decide it.");
    expect(whoCanDecide(none, true)).toMatch(/no active user is among its approvers, so only staff can/);
  });
  it("never tells anyone else that a group or an account does not exist: it may be hidden", () => {
    const text = whoCanDecide({ groups: ["finance"], users: ["bob"] }, false);
    expect(text).toBe("No one you know of can decide it: the group “finance” does not exist or is not one you may see, and “bob” has no active account or is not someone you may see. If none of them can, only staff can.");
    expect(whoCanDecide({ groups: ["a", "b"], users: [] }, false)).toContain("the groups “a”, “b” do not exist or are not ones you may see");
  });
  it("links staff to the admin page that fixes it, and tells anyone else to ask", () => {
    expect(decideHelp({ groups: ["finance"], users: [] }, true)).toEqual({ adminPath: "auth/group/add/", label: "Create the group in Admin →" });
    expect(decideHelp({ groups: [], users: ["bob"] }, true)).toMatchObject({ adminPath: "auth/user/" });
    expect(decideHelp(none, true)).toMatchObject({ adminPath: "auth/group/" });
    expect(decideHelp({ groups: ["finance"], users: [] }, false)).toEqual({ ask: "Ask an admin who should decide it." });
  });
});

describe("a run's duration in the runs list", () => {
  const started = "2026-01-01T10:00:00Z";
  const now = Date.parse("2026-01-01T10:00:42Z");
  it("counts the time so far while the run runs or waits for an approval", () => {
    expect(listedDurationMs({ status: "suspended", started_at: started, duration_ms: null }, now)).toBe(42_000);
    expect(listedDurationMs({ status: "running", started_at: started, duration_ms: null }, now)).toBe(42_000);
  });
  it("shows an ended run's own duration and none for a run not started", () => {
    expect(listedDurationMs({ status: "completed", started_at: started, duration_ms: 1234 }, now)).toBe(1234);
    expect(listedDurationMs({ status: "pending", started_at: null, duration_ms: null }, now)).toBeNull();
  });
});

describe("a run that lost its worker", () => {
  const ts = 1_700_000_000;
  it("says the worker stopped and that completed steps do not run again", () => {
    const note = recoveryNote({ lost: 1, limit: 5, ts });
    expect(note).toMatch(/^Its worker stopped mid-run\. At \S+ it was sent to a worker again, which goes on from its last checkpoints: no completed step runs again\.$/);
  });
  it("counts the losses and names the limit once there were several", () => {
    expect(recoveryNote({ lost: 3, limit: 5, ts })).toMatch(/^It lost its worker 3 times\..* It fails if that happens 5 times\.$/);
  });
});

describe("timeline axis labels", () => {
  it("writes round ticks without trailing zeros", () => {
    expect([0, 500, 1000, 2500, 50_000, 100_000].map(formatTick)).toEqual(["0 ms", "500 ms", "1 s", "2.5 s", "50 s", "1 m 40 s"]);
  });

  it("writes whole minutes and hours as such", () => {
    expect([900_000, 1_800_000, 3_600_000, 7_200_000, 5_400_000].map(formatTick)).toEqual(["15 m", "30 m", "1 h", "2 h", "1 h 30 m"]);
  });

  it("steps by round numbers below ten seconds and by a clock's steps above", () => {
    expect(timelineStep(100)).toBe(20);
    expect(timelineStep(3_000)).toBe(1_000);
    expect(timelineStep(50_000)).toBe(10_000);
    // 54 minutes: quarter hours, not 16 m 40 s
    expect(timelineStep(54 * 60_000)).toBe(15 * 60_000);
    expect(timelineStep(3 * 60_000)).toBe(60_000);
    expect(timelineStep(10 * 3_600_000)).toBe(2 * 3_600_000);
    expect(timelineStep(30 * 86_400_000)).toBe(6 * 86_400_000);
  });
});

describe("a running run whose worker went quiet", () => {
  const lease = "2026-01-01T10:00:30Z";
  const at = (s: number) => Date.parse("2026-01-01T10:00:00Z") + s * 1000;
  it("says nothing while the worker keeps its lease", () => {
    expect(workerSilentMs("running", lease, at(29))).toBeNull();
  });
  it("counts from when the lease ran out", () => {
    expect(workerSilentMs("running", lease, at(42))).toBe(12_000);
  });
  it("says nothing of a run no worker holds", () => {
    expect(workerSilentMs("suspended", lease, at(42))).toBeNull();
    expect(workerSilentMs("running", null, at(42))).toBeNull();
  });
});

describe("what a waiting run waits for, in its row", () => {
  it("names the open step and who decides it", () => {
    const step = { node_id: "approve", title: "Approve the refund", assignees: { users: ["ada"], groups: ["managers"] }, decided: false };
    expect(waitingLine([step])).toBe("Waiting for Approve the refund, by group managers, ada");
    expect(waitingLine([{ ...step, title: null, assignees: {} }])).toBe("Waiting for approve, by the run's owner");
    expect(waitingLine([step, { ...step, node_id: "second" }])).toBe("Waiting for Approve the refund, by group managers, ada (and 1 more)");
  });

  it("says nothing once every step is decided, or of no steps", () => {
    expect(waitingLine([{ node_id: "a", decided: true }])).toBeNull();
    expect(waitingLine([])).toBeNull();
    expect(waitingLine(undefined)).toBeNull();
    expect(assigneeNames(null)).toBe("the run's owner");
  });
});

describe("the Result tab of a run without a result", () => {
  it("says why, by the run's status", () => {
    expect(noResultText("failed")).toMatch(/failed before it produced one/);
    expect(noResultText("cancelled")).toMatch(/cancelled before it produced one/);
    expect(noResultText("running")).toBe("The result appears when the run completes.");
    expect(noResultText("suspended")).toBe("The result appears when the run completes.");
    expect(noResultText("completed")).toBe("No result.");
  });
});

describe("batchBadge", () => {
  it("does not call a finished batch with failed runs a green success", () => {
    expect(batchBadge("completed", { completed: 3, failed: 0 }, 3)).toEqual({ status: "completed" });
    expect(batchBadge("completed", { completed: 1, failed: 2 }, 3)).toEqual({ status: "completed", tone: "failed", label: "Finished · 2 of 3 failed" });
    expect(batchBadge("completed", { failed: 3 }, 3)).toEqual({ status: "completed", tone: "failed", label: "Finished · all 3 failed" });
    expect(batchBadge("running", { failed: 1 }, 3)).toEqual({ status: "running" });
  });
});

describe("noResultText", () => {
  it("says why a flow without an output step has an empty result", () => {
    expect(noResultText("completed", false)).toContain("no output step");
    expect(noResultText("completed")).toBe("No result.");
    expect(noResultText("failed", false)).toContain("failed");
  });
});

describe("batchSegments", () => {
  it("counts the completed runs whose approval was rejected apart", () => {
    expect(batchSegments(["completed", "failed"], { completed: 5, failed: 1 }, 2)).toEqual([
      { key: "completed", status: "completed", count: 3 },
      { key: "approval-rejected", status: "completed", count: 2 },
      { key: "failed", status: "failed", count: 1 },
    ]);
    expect(batchSegments(["completed"], { completed: 5 }, 0)).toEqual([{ key: "completed", status: "completed", count: 5 }]);
  });
});

describe("the runs list's status filters", () => {
  it("count as the batch page does: completed apart from a rejected approval, which has its own", () => {
    expect(RUN_STATUS_FILTERS).toContain("approval-rejected");
    expect(RUN_STATUS_FILTERS.indexOf("approval-rejected")).toBe(RUN_STATUS_FILTERS.indexOf("completed") + 1);
    expect(runFilter("completed")).toEqual({ status: "completed", approval_rejected: false });
    expect(runFilter("approval-rejected")).toEqual({ status: "completed", approval_rejected: true });
    expect(runFilter("failed")).toEqual({ status: "failed", approval_rejected: undefined });
    expect(runFilter(undefined)).toEqual({});
    expect(RUN_STATUS_FILTERS.map(segmentLabel)).toEqual(["Pending", "Running", "Waiting", "Completed", "Approval rejected", "Failed", "Cancelled"]);
  });
});

describe("batchSegmentFilter", () => {
  it("lists the runs its count counts: completed leaves out those with a rejected approval", () => {
    expect(batchSegmentFilter("completed")).toEqual({ status: "completed", approval_rejected: false });
    expect(batchSegmentFilter("approval-rejected")).toEqual({ status: "completed", approval_rejected: true });
    expect(batchSegmentFilter("failed")).toEqual({ status: "failed" });
  });
});

describe("newerVersion", () => {
  it("is the latest version when it is newer than the run's and valid", () => {
    expect(newerVersion(2, { number: 3, is_valid: true })).toBe(3);
  });

  it("is null for the run's own version, an older one, a draft with problems or none", () => {
    expect(newerVersion(3, { number: 3, is_valid: true })).toBeNull();
    expect(newerVersion(3, { number: 2, is_valid: true })).toBeNull();
    expect(newerVersion(2, { number: 3, is_valid: false })).toBeNull();
    expect(newerVersion(2, null)).toBeNull();
  });
});
