// Opening a flow: the version is fetched beside the flow when its number is known or
// guessed right, after it only when the guess was wrong.
import { beforeEach, describe, expect, it } from "vitest";
import { forgetLatestVersionsInMemory, latestVersionHint } from "../../lib/latestVersion";
import type { Flow, VersionDetail } from "./api";
import { openFlow, type OpenFlowDeps } from "./openFlow";

/** Fake fetches that log when each starts and let the test answer them. */
function fakeServer(latest: number | null, hint: number | null) {
  const log: string[] = [];
  const pending: Array<() => void> = [];
  const later = <T,>(value: () => T): Promise<T> => new Promise((resolve, reject) => pending.push(() => {
    try {
      resolve(value());
    } catch (error) {
      reject(error as Error);
    }
  }));
  const deps: OpenFlowDeps = {
    fetchFlow: (id) => {
      log.push(`flow ${id}`);
      return later(() => ({ id, name: "F", latest_version: latest === null ? null : { number: latest } }) as unknown as Flow);
    },
    fetchVersion: (_id, number) => {
      log.push(`version ${number}`);
      return later(() => {
        if (latest === null || number > latest) throw new Error(`no version ${number}`);
        return { number, ir: { name: "F", nodes: [] } } as unknown as VersionDetail;
      });
    },
    hint: () => hint,
  };
  /** Answers every request started so far, then lets the awaiting code run. */
  const answerAll = async () => {
    while (pending.length) pending.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { deps, log, answerAll };
}

beforeEach(() => {
  localStorage.clear();
  forgetLatestVersionsInMemory();
});

describe("openFlow", () => {
  it("fetches the version in the address beside the flow", async () => {
    const server = fakeServer(3, null);
    const opened = openFlow(1, 2, server.deps);
    expect(server.log).toEqual(["version 2", "flow 1"]);
    await server.answerAll();
    expect((await opened).version?.number).toBe(2);
  });

  it("fetches the latest version beside the flow when the guess is right", async () => {
    const server = fakeServer(3, 3);
    const opened = openFlow(1, null, server.deps);
    expect(server.log).toEqual(["version 3", "flow 1"]);
    await server.answerAll();
    const { number, version } = await opened;
    expect([number, version?.number]).toEqual([3, 3]);
    expect(server.log).toHaveLength(2);
  });

  it("fetches the right version after the flow when the guess was wrong, and remembers it", async () => {
    const server = fakeServer(5, 4);
    const opened = openFlow(1, null, server.deps);
    await server.answerAll();
    await server.answerAll();
    expect((await opened).version?.number).toBe(5);
    expect(server.log).toEqual(["version 4", "flow 1", "version 5"]);
    expect(latestVersionHint(1)).toBe(5);
  });

  it("guesses version 1 when nothing is remembered, beside the flow", async () => {
    const server = fakeServer(1, null);
    const opened = openFlow(1, null, server.deps);
    expect(server.log).toEqual(["version 1", "flow 1"]);
    await server.answerAll();
    expect((await opened).version?.number).toBe(1);
    expect(server.log).toHaveLength(2);
  });

  it("ignores a wrong guess that fails (a version that does not exist)", async () => {
    const server = fakeServer(2, 9);
    const opened = openFlow(1, null, server.deps);
    await server.answerAll();
    await server.answerAll();
    expect((await opened).number).toBe(2);
  });

  it("opens a flow without versions empty, and fails when the version asked for is missing", async () => {
    const empty = fakeServer(null, null);
    const opened = openFlow(1, null, empty.deps);
    await empty.answerAll();
    expect(await opened).toMatchObject({ number: null, version: null });
    const missing = fakeServer(2, null);
    const refused = expect(openFlow(1, 7, missing.deps)).rejects.toThrow("no version 7");
    await missing.answerAll();
    await refused;
  });
});
