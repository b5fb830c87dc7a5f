// My waiting steps, a page at a time, kept current: the first page is loaded at once and
// `loadMore` appends the next; whenever the inbox websocket says a step joined or left (and
// every minute, so ages and deadlines stay fresh) every step loaded so far is read again, in
// one request, so live updates reach the rows further down too.
import { useCallback, useEffect, useRef, useState } from "react";
import { type Step, fetchInbox } from "./api";
import { subscribeInbox } from "./inboxSocket";
import { mergePage, reloadLimit } from "./paging";

export const INBOX_PAGE = 50;

export interface InboxState {
  steps: Step[] | null;
  /** How many steps wait for me, all of them (more than `steps` holds until all are loaded). */
  count: number;
  error: string | null;
  fresh: Set<string>;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/** `search`: only the steps with each of its words (the API's `search`); a change reloads. */
export function useInbox(search = ""): InboxState {
  const [steps, setSteps] = useState<Step[] | null>(null);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [loadingMore, setLoadingMore] = useState(false);
  // How many rows are on screen: a reload reads as many again (read in callbacks, not state).
  const shown = useRef(0);
  const counted = useRef(0);
  // A reload answered after a later one started is stale: only the latest is applied.
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    fetchInbox({ limit: reloadLimit(shown.current, counted.current, INBOX_PAGE), offset: 0, search })
      .then((page) => {
        if (mine !== generation.current) return;
        shown.current = page.results.length;
        counted.current = page.count;
        setSteps(page.results);
        setCount(page.count);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, [search]);

  const loadMore = useCallback(() => {
    if (loadingMore) return;
    setLoadingMore(true);
    const mine = generation.current;
    fetchInbox({ limit: INBOX_PAGE, offset: shown.current, search })
      .then((page) => {
        if (mine !== generation.current) return; // a reload replaced the list meanwhile
        setSteps((old) => {
          const merged = mergePage(old ?? [], page.results);
          shown.current = merged.length;
          return merged;
        });
        counted.current = page.count;
        setCount(page.count);
        setError(null);
      })
      .catch((e: Error) => setError(e.message))
      .finally(() => setLoadingMore(false));
  }, [loadingMore, search]);

  useEffect(() => {
    reload();
    const unsubscribe = subscribeInbox((message) => {
      if (message.type === "inbox.changed" && message.event === "opened" && message.step) {
        const id = message.step;
        setFresh((old) => new Set(old).add(id));
      }
      reload();
    });
    const timer = setInterval(reload, 60000);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [reload]);

  return { steps, count, error, fresh, loadingMore, loadMore, reload };
}
