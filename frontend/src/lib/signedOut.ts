// Whether the API has told us the session ended, so the shell can offer a way back in
// (a sign-in in a new tab keeps any unsaved work on this page) instead of each page saying
// "reload". Any later successful call means the person has signed in again.
import { useSyncExternalStore } from "react";

let signedOut = false;
const listeners = new Set<() => void>();

function set(value: boolean): void {
  if (signedOut === value) return;
  signedOut = value;
  for (const listener of [...listeners]) listener();
}

export function reportSignedOut(): void {
  set(true);
}

export function reportSignedIn(): void {
  set(false);
}

export function isSignedOut(): boolean {
  return signedOut;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSignedOut(): boolean {
  return useSyncExternalStore(subscribe, isSignedOut);
}

/** The sign-in page, coming back to `path` afterwards. */
export function signInUrl(path: string): string {
  return `/login/?next=${encodeURIComponent(path)}`;
}
