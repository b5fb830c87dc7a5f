// The number of steps waiting for me, shown beside "Inbox" in the navigation; live.
import { useEffect, useState } from "react";
import { fetchInbox } from "./api";
import { subscribeInbox } from "./inboxSocket";
import "./inbox.css";

export function InboxCount() {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let alive = true;
    const load = () =>
      fetchInbox()
        .then((data) => alive && setCount(data.count))
        .catch(() => undefined);
    load();
    const unsubscribe = subscribeInbox(() => load());
    return () => {
      alive = false;
      unsubscribe();
    };
  }, []);
  if (!count) return null;
  return (
    <span className="inbox-count" data-testid="inbox-count" aria-label={`${count} waiting`}>
      {count > 99 ? "99+" : count}
    </span>
  );
}
