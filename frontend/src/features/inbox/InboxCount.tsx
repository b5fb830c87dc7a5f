// The number of steps waiting for me, shown beside "Inbox" in the navigation; live, and
// fetched again on every move between pages (a dropped websocket may have missed a change).
import { useEffect, useState } from "react";
import { useLocation } from "react-router-dom";
import { fetchInbox } from "./api";
import { subscribeInbox } from "./inboxSocket";
import "./inbox.css";

export function InboxCount() {
  const [count, setCount] = useState(0);
  const { pathname } = useLocation();
  useEffect(() => {
    let alive = true;
    const load = () =>
      fetchInbox({ limit: 1, offset: 0 }) // only the count is read
        .then((data) => alive && setCount(data.count))
        .catch(() => undefined);
    load();
    const unsubscribe = subscribeInbox(() => load());
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [pathname]);
  if (!count) return null;
  return (
    <span className="inbox-count" data-testid="inbox-count" aria-label={`${count} waiting`}>
      {count > 99 ? "99+" : count}
    </span>
  );
}
