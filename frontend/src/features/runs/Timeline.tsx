// The waterfall: one bar per node that ran, from its start to its end, on the run's clock,
// so parallel work lines up and the slow node stands out. Retries are ticks on the bar.
// Its labels (durations, the axis's ticks) are placed in pixels so that none overlaps.
import { memo, useEffect, useMemo, useRef, useState } from "react";
import type { IrNode } from "../../graph";
import { formatDuration, formatTick } from "./format";
import { LABEL_GAP, labelColumnWidth, placeLabel, scrollToRow, textWidth, tickStep } from "./timelineLabels";
import type { NodeState, RunState } from "./runState";
import { adverseOutcome, approvalOutcome } from "./nodeKinds";
import { StatusIcon } from "./StatusIcon";
import { timelineRows } from "./timelineRows";
import "./timeline.css";

interface Props {
  state: RunState;
  irNodes: ReadonlyMap<string, IrNode>;
  now: number; // ms
  selected: string | null;
  onSelect(nodeId: string): void;
}

const ROW_HEIGHT = 28;
const VISIBLE_ROWS = 11;
const OVERSCAN = 6;

/** Until the track is measured (a first render), it is taken to be this wide. */
const DEFAULT_TRACK = 480;

const Row = memo(function Row({ node, irNode, title, t0, span, end, selected, onSelect, track, font }: {
  node: NodeState; irNode: IrNode | undefined; title: string; t0: number; span: number; end: number; selected: boolean; onSelect(id: string): void;
  /** The track's width in px, and the labels' font, to place the duration by. */
  track: number; font: string;
}) {
  if (node.status === "skipped") {
    // Not taken: a muted row with a mark where it was skipped, and why on hover.
    const at = (((node.finishedAt ?? t0) - t0) / span) * 100;
    return (
      <button
        type="button"
        className={`tl-row tl-row-skipped${selected ? " tl-selected" : ""}`}
        onClick={() => onSelect(node.id)}
        data-testid={`timeline-row-${node.id}`}
        data-status="skipped"
        title={node.skipReason ? `Skipped: ${node.skipReason}` : "Skipped"}
      >
        <span className="tl-label"><StatusIcon status="skipped" /><span className="tl-title">{title}</span></span>
        <span className="tl-track">
          <span className="tl-skip-mark" style={{ left: `${Math.min(at, 100)}%` }} />
          <span className="tl-skipped" data-testid={`timeline-skipped-${node.id}`} style={at > 60 ? { right: `calc(${100 - at}% + ${LABEL_GAP + 4}px)` } : { left: `calc(${at}% + ${LABEL_GAP + 4}px)` }}>Skipped</span>
        </span>
      </button>
    );
  }
  const outcome = irNode && node.status === "completed" ? approvalOutcome(irNode, node.output) : null;
  const adverse = adverseOutcome(irNode, node.status, node.output);
  const start = node.startedAt ?? t0;
  const stop = node.finishedAt ?? end;
  const left = ((start - t0) / span) * 100;
  const width = Math.max(((stop - start) / span) * 100, 0.4);
  const duration = node.status === "running" ? (end - start) * 1000 : node.durationMs ?? (stop - start) * 1000;
  const label = `${formatDuration(duration)}${node.items ? ` · ${node.items.done}/${node.items.total}` : ""}`;
  // The duration goes after the bar, else before it, else inside it, where it fits whole.
  const { placement, maxWidth } = placeLabel(track, (left / 100) * track, (width / 100) * track, textWidth(label, font));
  return (
    <button
      type="button"
      className={`tl-row${selected ? " tl-selected" : ""}`}
      onClick={() => onSelect(node.id)}
      data-testid={`timeline-row-${node.id}`}
      data-status={node.status}
      data-outcome={adverse ?? undefined}
    >
      <span className="tl-label"><StatusIcon status={node.status} outcome={outcome?.tone} /><span className="tl-title" title={title}>{title}</span></span>
      <span className="tl-track">
        <span className={`tl-bar tl-${node.status}${adverse ? ` tl-${adverse}` : ""}`} data-testid={`timeline-bar-${node.id}`} style={{ left: `${left}%`, width: `${width}%` }}>
          {node.retries.map((retry) => (
            <span key={retry.attempt} className="tl-retry" style={{ left: `${((retry.ts - start) / Math.max(stop - start, 1e-6)) * 100}%` }} title={`retry after attempt ${retry.attempt}`} />
          ))}
        </span>
        <span
          className={`tl-duration${placement === "inside" ? " tl-inside" : ""}`}
          data-placement={placement}
          title={label}
          style={{
            maxWidth,
            ...(placement === "after"
              ? { left: `calc(${left + width}% + ${LABEL_GAP}px)` }
              : placement === "inside"
                ? { right: `calc(${100 - left - width}% + ${LABEL_GAP}px)` }
                : { right: `calc(${100 - left}% + ${LABEL_GAP}px)` }),
          }}
        >
          {label}
        </span>
      </span>
    </button>
  );
});

export function Timeline({ state, irNodes, now, selected, onSelect }: Props) {
  const rows = useMemo(() => timelineRows(state), [state]);
  // Only the rows in view are drawn (a flow can have hundreds of nodes).
  const [scrollTop, setScrollTop] = useState(0);
  // The track's width and the labels' font: the labels are placed by them.
  const axisTrack = useRef<HTMLSpanElement>(null);
  const [track, setTrack] = useState(DEFAULT_TRACK);
  const [font, setFont] = useState("600 11px sans-serif");
  const shown = rows.length > 0 && state.startedAt !== null;
  useEffect(() => {
    const element = axisTrack.current;
    if (!element) return;
    setFont(`600 11px ${getComputedStyle(element).fontFamily}`);
    const measure = () => element.clientWidth > 0 && setTrack(element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [shown]);
  // A step picked elsewhere (its card, a link) brings its row into the rows' box, which
  // scrolls on its own: the page itself does not move.
  const rowsBox = useRef<HTMLDivElement>(null);
  const rowIds = useRef<string[]>([]);
  rowIds.current = rows.map((node) => node.id);
  useEffect(() => {
    const element = rowsBox.current;
    const index = selected ? rowIds.current.indexOf(selected) : -1;
    if (!element || index < 0) return;
    const next = scrollToRow(index, ROW_HEIGHT, element.scrollTop, element.clientHeight);
    if (next !== null) element.scrollTop = next;
  }, [selected, shown]);
  // The names' column as wide as the longest name needs (up to half the timeline): a name
  // of a few words reads whole beside its bar.
  const family = font.replace(/^600 11px /, "");
  const labels = useMemo(
    () => labelColumnWidth(rows.map((node) => irNodes.get(node.id)?.title || node.id), (text) => textWidth(text, `12px ${family}`)),
    [rows, irNodes, family],
  );
  if (!shown || state.startedAt === null) {
    return <div className="empty small" data-testid="timeline-empty">No node has started yet.</div>;
  }
  const t0 = state.startedAt;
  const running = rows.some((node) => node.status === "running" || node.status === "waiting");
  const lastEnd = Math.max(...rows.map((node) => node.finishedAt ?? node.startedAt ?? t0));
  const end = state.finishedAt ?? (running ? Math.max(now / 1000, lastEnd) : lastEnd);
  const span = Math.max(end - t0, 0.001);
  // Never finer than 1 ms (the labels are whole milliseconds, finer steps would repeat them),
  // and coarse enough that the labels have room between them.
  const widest = Math.max(textWidth(formatTick(span * 1000), font), textWidth("000 ms", font));
  const step = tickStep(span * 1000, track, widest);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, first + VISIBLE_ROWS + OVERSCAN * 2);
  const ticks: number[] = [];
  for (let t = 0; t <= span * 1000 + 1e-6; t += step) ticks.push(t);
  return (
    <div className="timeline" data-testid="timeline" style={{ "--tl-label": `${labels}px` } as React.CSSProperties}>
      <div className="tl-axis">
        <span className="tl-label" />
        <span className="tl-track" ref={axisTrack}>
          {ticks.map((t) => (
            // A label that would cross the track's end ends at its tick instead.
            <span key={t} className={`tl-tick${(t / (span * 1000)) * track + widest / 2 > track ? " tl-tick-end" : ""}`} style={{ left: `${(t / (span * 1000)) * 100}%` }}>
              {formatTick(t)}
            </span>
          ))}
        </span>
      </div>
      <div className="tl-rows" ref={rowsBox} data-testid="timeline-rows" style={{ maxHeight: ROW_HEIGHT * VISIBLE_ROWS }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: first * ROW_HEIGHT }} />
        {rows.slice(first, last).map((node) => (
          <Row
            key={node.id}
            node={node}
            irNode={irNodes.get(node.id)}
            title={irNodes.get(node.id)?.title || node.id}
            t0={t0}
            span={span}
            end={end}
            selected={selected === node.id}
            onSelect={onSelect}
            track={track}
            font={font}
          />
        ))}
        <div style={{ height: (rows.length - last) * ROW_HEIGHT }} />
      </div>
    </div>
  );
}
