// The waterfall: one bar per node that ran, from its start to its end, on the run's clock,
// so parallel work lines up and the slow node stands out. Retries are ticks on the bar.
import { memo, useMemo, useState } from "react";
import type { IrNode } from "../../graph";
import { formatDuration, formatTick, timelineStep } from "./format";
import type { NodeState, RunState } from "./runState";
import { adverseOutcome, approvalOutcome } from "./nodeKinds";
import { StatusIcon } from "./StatusIcon";
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

const Row = memo(function Row({ node, irNode, title, t0, span, end, selected, onSelect }: {
  node: NodeState; irNode: IrNode | undefined; title: string; t0: number; span: number; end: number; selected: boolean; onSelect(id: string): void;
}) {
  const outcome = irNode && node.status === "completed" ? approvalOutcome(irNode, node.output) : null;
  const adverse = adverseOutcome(irNode, node.status, node.output);
  const start = node.startedAt ?? t0;
  const stop = node.finishedAt ?? end;
  const left = ((start - t0) / span) * 100;
  const width = Math.max(((stop - start) / span) * 100, 0.4);
  const duration = node.status === "running" ? (end - start) * 1000 : node.durationMs ?? (stop - start) * 1000;
  const label = `${formatDuration(duration)}${node.items ? ` · ${node.items.done}/${node.items.total}` : ""}`;
  // The duration goes after the bar, else inside it (a bar near the end wide enough for the
  // label: about 1.4% of the track a character), else before it.
  const placement = left + width <= 82 ? "after" : width > Math.max(14, label.length * 1.4 + 2) ? "inside" : "before";
  return (
    <button
      type="button"
      className={`tl-row${selected ? " tl-selected" : ""}`}
      onClick={() => onSelect(node.id)}
      data-testid={`timeline-row-${node.id}`}
      data-status={node.status}
      data-outcome={adverse ?? undefined}
    >
      <span className="tl-label"><StatusIcon status={node.status} outcome={outcome?.tone} /><span className="tl-title">{title}</span></span>
      <span className="tl-track">
        <span className={`tl-bar tl-${node.status}${adverse ? ` tl-${adverse}` : ""}`} data-testid={`timeline-bar-${node.id}`} style={{ left: `${left}%`, width: `${width}%` }}>
          {node.retries.map((retry) => (
            <span key={retry.attempt} className="tl-retry" style={{ left: `${((retry.ts - start) / Math.max(stop - start, 1e-6)) * 100}%` }} title={`retry after attempt ${retry.attempt}`} />
          ))}
        </span>
        <span
          className={`tl-duration${placement === "inside" ? " tl-inside" : ""}`}
          style={
            placement === "after"
              ? { left: `calc(${left + width}% + 6px)` }
              : placement === "inside"
                ? { right: `calc(${100 - left - width}% + 6px)` }
                : { right: `calc(${100 - left}% + 6px)` }
          }
        >
          {label}
        </span>
      </span>
    </button>
  );
});

export function Timeline({ state, irNodes, now, selected, onSelect }: Props) {
  const rows = useMemo(() => state.started.map((id) => state.nodes[id]).filter(Boolean), [state.started, state.nodes]);
  // Only the rows in view are drawn (a flow can have hundreds of nodes).
  const [scrollTop, setScrollTop] = useState(0);
  if (!rows.length || state.startedAt === null) {
    return <div className="empty small" data-testid="timeline-empty">No node has started yet.</div>;
  }
  const t0 = state.startedAt;
  const running = rows.some((node) => node.status === "running" || node.status === "waiting");
  const lastEnd = Math.max(...rows.map((node) => node.finishedAt ?? node.startedAt ?? t0));
  const end = state.finishedAt ?? (running ? Math.max(now / 1000, lastEnd) : lastEnd);
  const span = Math.max(end - t0, 0.001);
  // Never finer than 1 ms: the labels are whole milliseconds, so finer steps would repeat them.
  const step = Math.max(1, timelineStep(span * 1000));
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, first + VISIBLE_ROWS + OVERSCAN * 2);
  const ticks: number[] = [];
  for (let t = 0; t <= span * 1000 + 1e-6; t += step) ticks.push(t);
  return (
    <div className="timeline" data-testid="timeline">
      <div className="tl-axis">
        <span className="tl-label" />
        <span className="tl-track">
          {ticks.map((t) => (
            <span key={t} className={`tl-tick${t / (span * 1000) > 0.9 ? " tl-tick-end" : ""}`} style={{ left: `${(t / (span * 1000)) * 100}%` }}>
              {formatTick(t)}
            </span>
          ))}
        </span>
      </div>
      <div className="tl-rows" style={{ maxHeight: ROW_HEIGHT * VISIBLE_ROWS }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
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
          />
        ))}
        <div style={{ height: (rows.length - last) * ROW_HEIGHT }} />
      </div>
    </div>
  );
}
