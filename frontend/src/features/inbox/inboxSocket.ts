// One websocket to /ws/inbox/ shared by the page and the navigation count: it tells us when
// a step joins or leaves my inbox, and reconnects (with backoff) when the connection drops.
export interface InboxMessage {
  type: "inbox.changed" | "inbox.ready";
  event?: "opened" | "answered" | "decided" | "escalated" | "closed";
  step?: string;
  run_id?: string;
  node_id?: string;
  title?: string;
  status?: string;
}

type Listener = (message: InboxMessage) => void;

const listeners = new Set<Listener>();
let socket: WebSocket | null = null;
let attempts = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

function url(): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}/ws/inbox/`;
}

function connect(): void {
  if (socket || listeners.size === 0 || typeof WebSocket === "undefined") return;
  const ws = new WebSocket(url());
  socket = ws;
  ws.onopen = () => {
    attempts = 0;
  };
  ws.onmessage = (frame) => {
    let message: InboxMessage;
    try {
      message = JSON.parse(String(frame.data)) as InboxMessage;
    } catch {
      return;
    }
    // "ready" after a reconnect: something may have changed while we were away.
    for (const listener of [...listeners]) listener(message);
  };
  ws.onclose = (event) => {
    if (socket === ws) socket = null;
    if (listeners.size === 0 || event.code === 4401) return;
    attempts += 1;
    const delay = Math.min(1000 * 2 ** Math.min(attempts - 1, 5), 30000);
    timer = setTimeout(() => {
      timer = null;
      connect();
    }, delay);
  };
}

/** Calls `listener` for every inbox message until the returned function is called. */
export function subscribeInbox(listener: Listener): () => void {
  listeners.add(listener);
  connect();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      if (timer) clearTimeout(timer);
      timer = null;
      socket?.close(1000, "no listeners");
      socket = null;
    }
  };
}
