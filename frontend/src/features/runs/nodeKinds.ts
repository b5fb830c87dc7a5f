// How a node is described on the run page: its subtitle (the tool, or the type) and an
// approval's outcome. Its icon and colour are lib/NodeTypeIcon's, the same as the designer's.
import type { IrNode } from "../../graph";

export function nodeSubtitle(node: IrNode): string {
  if (node.type === "tool" || node.type === "map") return node.tool;
  if (node.type === "llm") return node.model ? `llm · ${node.model}` : "llm";
  return node.type;
}

/** The node panel's line under the title: the id, then what the node runs unless that only
 * repeats the id (a planned step is often named after its tool). */
export function nodeIdLine(node: IrNode): string {
  const subtitle = nodeSubtitle(node);
  return subtitle === node.id ? node.id : `${node.id} · ${subtitle}`;
}

export interface ApprovalOutcome {
  tone: "approved" | "rejected" | "timed-out";
  /** One word for the node's card. */
  word: string;
  /** The whole outcome, with who decided. */
  label: string;
}

/** A decided approval's outcome, from its output ({approved, by, timed_out}): a person
 *  reading the graph sees "Rejected by ada", not only that the step is done. */
export function approvalOutcome(node: IrNode, output: unknown): ApprovalOutcome | null {
  if (node.type !== "approval" || !output || typeof output !== "object") return null;
  const decided = output as { approved?: unknown; by?: unknown; timed_out?: unknown };
  if (typeof decided.approved !== "boolean") return null;
  const by = typeof decided.by === "string" && decided.by ? ` by ${decided.by}` : "";
  if (decided.timed_out === true) {
    return { tone: "timed-out", word: "Timed out", label: `Timed out · ${decided.approved ? "approved" : "rejected"}` };
  }
  return decided.approved
    ? { tone: "approved", word: "Approved", label: `Approved${by}` }
    : { tone: "rejected", word: "Rejected", label: `Rejected${by}` };
}
