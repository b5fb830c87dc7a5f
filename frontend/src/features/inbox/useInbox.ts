// My waiting steps, kept current: loaded once, then reloaded whenever the inbox websocket
// says a step joined or left (and every minute, so ages and deadlines stay fresh).
import { useCallback, useEffect, useState } from "react";
import { type Step, fetchInbox } from "./api";
import { subscribeInbox } from "./inboxSocket";

export interface InboxState {
  steps: Step[] | null;
  error: string | null;
  fresh: Set<string>;
  reload: () => void;
}

export function useInbox(): InboxState {
  const [steps, setSteps] = useState<Step[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());

  const reload = useCallback(() => {
    fetchInbox()
      .then((data) => {
        setSteps(data.results);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, []);

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

  return { steps, error, fresh, reload };
}
