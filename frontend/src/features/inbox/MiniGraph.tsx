// Where a step sits in its flow: every node as a small box in layers, the step highlighted,
// each node coloured by its state in this run. Read only.
import { memo, useLayoutEffect, useRef, useState } from "react";
import type { GraphNode } from "./api";
import { layers } from "./format";
import { centredScroll } from "./miniScroll";

// Top to bottom: layers are rows, so a long flow fits the narrow side column. A box is as
// wide as the column lets the widest layer's boxes be (MIN_W to MAX_W): a step's title of a
// few words reads whole; a longer one is cut, whole on hover.
const MIN_W = 150;
const MAX_W = 320;
/** The label's average character at 11px, and the room left and right of it in a box. */
const CHAR = 6.4;
const LABEL_PADDING = 20;
const H = 34;
const GAP_X = 12;
const GAP_Y = 26;

/** The width of a box when `across` boxes stand side by side in `room` pixels. */
export function miniBoxWidth(room: number, across: number): number {
  if (room <= 0 || across <= 0) return MIN_W;
  return Math.max(MIN_W, Math.min(MAX_W, Math.floor((room - 8 - (across - 1) * GAP_X) / across)));
}

/** `title` as it fits a box `width` wide: whole, or cut with an ellipsis. */
export function miniLabel(title: string, width: number): string {
  const fits = Math.floor((width - LABEL_PADDING) / CHAR);
  return title.length > fits ? `${title.slice(0, fits - 1)}…` : title;
}

function MiniGraphView({ nodes, edges, current }: { nodes: GraphNode[]; edges: string[][]; current: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [room, setRoom] = useState(0);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setRoom(element.clientWidth);
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const placed = layers(nodes.map((n) => n.id), edges);
  const W = miniBoxWidth(room, Math.max(0, ...placed.map((p) => p.row)) + 1);
  const at = new Map(placed.map((p) => [p.id, p]));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const width = (Math.max(0, ...placed.map((p) => p.row)) + 1) * (W + GAP_X) - GAP_X + 8;
  const height = (Math.max(0, ...placed.map((p) => p.layer)) + 1) * (H + GAP_Y) - GAP_Y + 8;
  const x = (id: string) => 4 + (at.get(id)?.row ?? 0) * (W + GAP_X);
  const y = (id: string) => 4 + (at.get(id)?.layer ?? 0) * (H + GAP_Y);
  // The step to decide is scrolled into the middle of the box on opening.
  const currentX = x(current);
  const currentY = y(current);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    element.scrollTop = centredScroll(currentY, H, element.clientHeight, height);
    element.scrollLeft = centredScroll(currentX, W, element.clientWidth, width);
  }, [current, currentX, currentY, width, height, W]);
  return (
    <div className="mini-graph" data-testid="step-graph" ref={box}>
      <svg width={width} height={height} role="img" aria-label="Where this step sits in the flow">
        {edges.map(([from, to]) =>
          at.has(from) && at.has(to) ? (
            <path
              key={`${from}-${to}`}
              className="mini-edge"
              d={`M${x(from) + W / 2},${y(from) + H} C${x(from) + W / 2},${y(from) + H + GAP_Y / 2} ${x(to) + W / 2},${y(to) - GAP_Y / 2} ${x(to) + W / 2},${y(to)}`}
            />
          ) : null,
        )}
        {placed.map(({ id }) => {
          const node = byId.get(id)!;
          const cls = `mini-node ${node.status ?? "idle"}${node.outcome ? ` ${node.outcome}` : ""}${id === current ? " current" : ""}`;
          return (
            <g key={id} className={cls} transform={`translate(${x(id)},${y(id)})`}>
              <title>{`${node.title} (${node.type}) — ${node.outcome ? node.outcome.replace("-", " ") : node.status ?? "not run"}`}</title>
              <rect width={W} height={H} rx={7} />
              <text x={10} y={14} className="mini-type">{node.type}</text>
              <text x={10} y={27} className="mini-label">
                {miniLabel(node.title, W)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

export const MiniGraph = memo(MiniGraphView);
