// One node of the run graph: its type, title, live status, duration and, for a map, items.
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { armsOf, SOURCE_HANDLE, TARGET_HANDLE, type IrNode } from "../../graph";
import { noun } from "../../lib/plural";
import { formatDuration } from "./format";
import type { NodeState } from "./runState";
import { kindStyle, NodeTypeIcon } from "../../lib/NodeTypeIcon";
import { adverseOutcome, approvalOutcome, nodeSubtitle } from "./nodeKinds";
import { StatusIcon } from "./StatusIcon";
import { cardSize, shownTitle } from "./cardSize";

export interface RunNodeData extends Record<string, unknown> {
  node: IrNode;
  state: NodeState;
  selected: boolean;
  /** For a running node: ms since it started (updated by the page's clock). */
  runningMs: number | null;
  /** The run ended before this node started. */
  notRun?: boolean;
}

export type RunFlowNode = Node<RunNodeData, "runNode">;

function RunNodeCard({ data }: NodeProps<RunFlowNode>) {
  const { node, state, selected, runningMs, notRun } = data;
  const arms = armsOf(node);
  const duration = state.status === "running" ? runningMs : state.durationMs;
  const items = state.items;
  const outcome = state.status === "completed" ? approvalOutcome(node, state.output) : null;
  const adverse = adverseOutcome(node, state.status, state.output);
  const title = node.title || node.id;
  // Sized for its title (the layout gives it this size too): a long one wraps, not cut.
  const size = cardSize(node);
  return (
    <div
      className={`rn rn-${state.status} rn-type-${node.type}${adverse ? ` rn-${adverse}` : ""}${selected ? " rn-selected" : ""}${notRun ? " rn-not-run" : ""}${size.lines > 1 ? " rn-wrapped" : ""}`}
      style={{ width: size.width, height: size.height }}
      data-node-id={node.id}
      data-status={state.status}
      data-outcome={adverse ?? undefined}
      data-testid={`run-node-${node.id}`}
      data-not-run={notRun ? "true" : undefined}
      title={`${title}: ${outcome ? outcome.label : notRun ? "not run (the run ended before it)" : state.status}`}
    >
      <Handle type="target" id={TARGET_HANDLE} position={Position.Left} isConnectable={false} />
      <div className="rn-icon" aria-hidden style={kindStyle(node.type)}><NodeTypeIcon type={node.type} size={18} /></div>
      <div className="rn-body">
        <div className="rn-title" data-testid={`run-node-title-${node.id}`} title={title}>{shownTitle(node)}</div>
        <div className="rn-sub">
          {outcome ? (
            <span className={`rn-outcome rn-outcome-${outcome.tone}`} data-testid={`run-node-outcome-${node.id}`} title={outcome.label}>{outcome.word}</span>
          ) : (
            <span className="rn-kind" title={nodeSubtitle(node)}>{nodeSubtitle(node)}</span>
          )}
          {notRun && <span className="rn-time rn-not-run-label">not run</span>}
          {state.status === "cancelled" && <span className="rn-time rn-cancelled-label">cancelled</span>}
          {duration !== null && duration !== undefined && state.status !== "pending" && state.status !== "cancelled" && (
            <span className="rn-time">{formatDuration(duration)}</span>
          )}
          {(node.type === "map" ? state.retries.length > 0 : state.attempts > 1) && (
            <span className="rn-attempts" title="attempts">×{state.attempts}</span>
          )}
        </div>
        {items && (
          <div className="rn-items" data-testid={`run-node-items-${node.id}`}>
            <div className="rn-items-bar">
              <span style={{ width: `${items.total ? (items.done / items.total) * 100 : 100}%` }} />
            </div>
            <span>{items.done}/{items.total} {noun(items.total, "item")}</span>
          </div>
        )}
      </div>
      <div className="rn-status">
        <StatusIcon status={state.status} outcome={outcome?.tone} />
      </div>
      {arms.length === 0 ? (
        <Handle type="source" id={SOURCE_HANDLE} position={Position.Right} isConnectable={false} />
      ) : (
        arms.map((arm, i) => (
          <Handle
            key={arm.arm}
            type="source"
            id={arm.arm}
            position={Position.Right}
            isConnectable={false}
            style={{ top: `${((i + 1) / (arms.length + 1)) * 100}%` }}
          />
        ))
      )}
    </div>
  );
}

export const RunNode = memo(RunNodeCard);
