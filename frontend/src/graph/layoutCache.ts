// ELK's answers kept across page loads: opening or reloading a flow laid out before draws it
// at once, with exactly the layout ELK gave, instead of waiting ~0.5 s for ELK's worker to
// start. The key is the whole input ELK was given (sizes, ports, edges, options) plus the
// ELK build, so any change to the graph or to ELK asks ELK again.
import elkWorkerUrl from "elkjs/lib/elk-worker.min.js?url";
import type { EdgeRoute } from "./routes";
import type { Position } from "./types";

export interface CachedLayout {
  positions: Map<string, Position>;
  routes: Record<string, EdgeRoute>;
}

const PREFIX = "dynamicflow:layout:";
const INDEX = `${PREFIX}index`;
/** Layouts kept (the most recently used): a 120-node layout is a few tens of kilobytes. */
export const LAYOUTS_KEPT = 16;

/** cyrb53: a fast 53-bit string hash; collisions are checked against the stored input. */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

interface Stored {
  input: string;
  positions: Array<[string, Position]>;
  routes: Record<string, EdgeRoute>;
}

function withBuild(input: string): string {
  return `${elkWorkerUrl}\n${input}`;
}

/** The layout ELK gave for exactly this input, if this browser kept it. */
export function cachedLayout(input: string): CachedLayout | null {
  const store = storage();
  if (!store) return null;
  const full = withBuild(input);
  const key = PREFIX + hash(full);
  try {
    const text = store.getItem(key);
    if (!text) return null;
    const stored = JSON.parse(text) as Stored;
    if (stored.input !== full) return null;
    touch(store, key);
    return { positions: new Map(stored.positions), routes: stored.routes };
  } catch {
    return null; // unreadable: ELK lays it out again and the entry is replaced
  }
}

/** Keeps ELK's layout of this input, dropping the least recently used beyond LAYOUTS_KEPT. */
export function keepLayout(input: string, layout: CachedLayout): void {
  const store = storage();
  if (!store) return;
  const full = withBuild(input);
  const key = PREFIX + hash(full);
  const stored: Stored = { input: full, positions: [...layout.positions], routes: layout.routes };
  try {
    store.setItem(key, JSON.stringify(stored));
    touch(store, key);
  } catch {
    // over the storage quota: the layout is simply not kept
  }
}

/** Moves `key` to the end of the index and removes entries beyond LAYOUTS_KEPT. */
function touch(store: Storage, key: string): void {
  let index: string[];
  try {
    index = (JSON.parse(store.getItem(INDEX) ?? "[]") as string[]).filter((known) => known !== key);
  } catch {
    index = [];
  }
  index.push(key);
  while (index.length > LAYOUTS_KEPT) store.removeItem(index.shift()!);
  store.setItem(INDEX, JSON.stringify(index));
}
