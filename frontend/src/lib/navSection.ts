// Which navigation entry a page belongs to, when its address alone says otherwise: a run an
// approver opens from their inbox lives under /runs, yet is part of the inbox for them.
import { useEffect, useSyncExternalStore } from "react";

let claimed: string | null = null;
const listeners = new Set<() => void>();

function setClaimed(section: string | null): void {
  claimed = section;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The entry (its path, e.g. "/inbox") the page on show has claimed, or null. */
export function useClaimedNavSection(): string | null {
  return useSyncExternalStore(subscribe, () => claimed, () => null);
}

/** Claims `section` for the navigation while the calling page is shown (null: none). */
export function useNavSection(section: string | null): void {
  useEffect(() => {
    if (section === null) return;
    setClaimed(section);
    return () => setClaimed(null);
  }, [section]);
}
