// A websocket that resumes: it remembers the last event seq it saw and, when the connection
// drops, reconnects with `?after=<seq>` (with backoff), so a stream misses no event and
// repeats none. Used for run events and plan progress.
export type SocketStatus = "connecting" | "open" | "offline" | "closed";

export interface StreamEvent {
  seq: number;
  type: string;
  [key: string]: unknown;
}

export interface ResumingSocketOptions {
  path: string; // e.g. /ws/runs/<id>/
  after?: number;
  onEvent: (event: StreamEvent) => void;
  onStatus?: (status: SocketStatus) => void;
  /** Close codes after which reconnecting is pointless (not allowed, no such object). */
  finalCodes?: number[];
  /** Stop once this returns true for an event (e.g. the run finished). */
  isFinal?: (event: StreamEvent) => boolean;
}

export class ResumingSocket {
  private ws: WebSocket | null = null;
  private lastSeq: number;
  private attempts = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly options: ResumingSocketOptions;

  constructor(options: ResumingSocketOptions) {
    this.options = options;
    this.lastSeq = options.after ?? 0;
    this.connect();
  }

  get seq(): number {
    return this.lastSeq;
  }

  /** Drops the connection as a network failure would; the socket reconnects by itself. */
  drop(): void {
    this.ws?.close(4000, "dropped");
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000, "closed");
    this.options.onStatus?.("closed");
  }

  private url(): string {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${window.location.host}${this.options.path}?after=${this.lastSeq}`;
  }

  private connect(): void {
    if (this.stopped) return;
    this.options.onStatus?.("connecting");
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      this.options.onStatus?.("open");
    };
    ws.onmessage = (message) => {
      let event: StreamEvent;
      try {
        event = JSON.parse(String(message.data)) as StreamEvent;
      } catch {
        return;
      }
      if (typeof event.seq === "number") {
        if (event.seq <= this.lastSeq) return; // already seen
        this.lastSeq = event.seq;
      }
      this.options.onEvent(event);
      if (this.options.isFinal?.(event)) {
        this.stopped = true;
        ws.close(1000, "finished");
        this.options.onStatus?.("closed");
      }
    };
    ws.onclose = (close) => {
      if (this.ws !== ws || this.stopped) return;
      if ((this.options.finalCodes ?? [4401, 4403, 4404]).includes(close.code)) {
        this.stopped = true;
        this.options.onStatus?.("closed");
        return;
      }
      this.options.onStatus?.("offline");
      const delay = Math.min(250 * 2 ** this.attempts, 5000);
      this.attempts += 1;
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }
}
