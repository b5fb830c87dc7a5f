// The run's events, one line each and live: when on the run's clock, what happened, to which
// node. The latest are shown (older ones a page at a time); a node's name selects it.
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { describeEvent, filterEvents, formatOffset } from "./eventLog";
import { formatTime } from "./format";
import type { RunEvent } from "./runState";
import "./eventLog.css";

const PAGE = 200;

interface Props {
  log: readonly RunEvent[];
  t0: number | null;
  title(nodeId: string): string;
  selected: string | null;
  onSelect(nodeId: string): void;
}

const Line = memo(function Line({ event, t0, title, onSelect }: {
  event: RunEvent; t0: number | null; title(nodeId: string): string; onSelect(nodeId: string): void;
}) {
  const line = describeEvent(event, title);
  const nodeId = event.node_id ?? null;
  return (
    <li className={`ev ev-${line.tone}`} data-testid={`run-event-${event.seq}`} data-type={event.type}>
      <span className="ev-when" title={formatTime(event.ts)}>{formatOffset(event.ts, t0)}</span>
      <span className="ev-label">{line.label}</span>
      <span className="ev-node">
        {nodeId && (
          <button type="button" className="link-button" onClick={() => onSelect(nodeId)} title={nodeId}>
            {title(nodeId)}
          </button>
        )}
      </span>
      <span className="ev-detail" title={line.detail}>{line.detail}</span>
    </li>
  );
});

export function EventLog({ log, t0, title, selected, onSelect }: Props) {
  const [problemsOnly, setProblemsOnly] = useState(false);
  const [onlySelected, setOnlySelected] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const nodeId = onlySelected ? selected : null;
  const events = useMemo(() => filterEvents(log, { problemsOnly, nodeId }), [log, problemsOnly, nodeId]);
  const visible = events.length > shown ? events.slice(events.length - shown) : events;
  const hidden = events.length - visible.length;

  // Follow new events while the list is scrolled to its end.
  const list = useRef<HTMLOListElement>(null);
  const atEnd = useRef(true);
  useEffect(() => {
    const el = list.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [visible.length, visible[visible.length - 1]?.seq]);

  return (
    <div className="event-log" data-testid="run-events">
      <div className="ev-filters">
        <label><input type="checkbox" checked={problemsOnly} onChange={(e) => setProblemsOnly(e.target.checked)} data-testid="run-events-problems" /> Problems only</label>
        <label className={selected ? undefined : "muted"}>
          <input type="checkbox" checked={onlySelected && !!selected} disabled={!selected} onChange={(e) => setOnlySelected(e.target.checked)} data-testid="run-events-selected" />
          {" "}{selected ? <>Only <b>{title(selected)}</b></> : "Only the selected node"}
        </label>
        <span className="muted small ev-count">{events.length === log.length ? `${log.length} events` : `${events.length} of ${log.length} events`}</span>
      </div>
      {hidden > 0 && (
        <button type="button" className="btn small ghost ev-more" onClick={() => setShown((n) => n + PAGE)} data-testid="run-events-more">
          Show {Math.min(PAGE, hidden)} earlier ({hidden} not shown)
        </button>
      )}
      {visible.length === 0 ? (
        <p className="muted small ev-empty" data-testid="run-events-empty">
          {log.length === 0 ? "No events yet: they appear here as the run goes." : "No event matches."}
        </p>
      ) : (
        <ol
          className="ev-list"
          ref={list}
          onScroll={(e) => {
            const el = e.currentTarget;
            atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
          }}
        >
          {visible.map((event) => <Line key={event.seq} event={event} t0={t0} title={title} onSelect={onSelect} />)}
        </ol>
      )}
    </div>
  );
}
