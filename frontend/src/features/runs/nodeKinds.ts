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

/** A decided approval that did not go through as approved by a person: rejected, or
 *  decided by its deadline. Its card, timeline bar and legend say so in the danger colour,
 *  not the green of any completed node. */
export type AdverseOutcome = "rejected" | "timed-out";

export function adverseOutcome(node: IrNode | undefined, status: string, output: unknown): AdverseOutcome | null {
  if (!node || status !== "completed") return null;
  const tone = approvalOutcome(node, output)?.tone;
  return tone === "rejected" || tone === "timed-out" ? tone : null;
}

/** How many completed nodes ended each adverse way (for the legend). */
export function adverseCounts(
  nodes: Readonly<Record<string, { status: string; output?: unknown }>>,
  irNodes: ReadonlyMap<string, IrNode>,
): Record<AdverseOutcome, number> {
  const counts: Record<AdverseOutcome, number> = { rejected: 0, "timed-out": 0 };
  for (const [id, state] of Object.entries(nodes)) {
    const outcome = adverseOutcome(irNodes.get(id), state.status, state.output);
    if (outcome) counts[outcome] += 1;
  }
  return counts;
}

/** An approval of the run that was rejected: which step, by whom (or its deadline), and the
 *  approver's comment, for the run page's banner. */
export interface RejectedApproval {
  nodeId: string;
  title: string;
  by: string | null;
  timedOut: boolean;
  comment: string;
}

export function rejectedApprovals(
  nodes: Readonly<Record<string, { status: string; output?: unknown }>>,
  irNodes: ReadonlyMap<string, IrNode>,
): RejectedApproval[] {
  const found: RejectedApproval[] = [];
  for (const [id, state] of Object.entries(nodes)) {
    const node = irNodes.get(id);
    if (!node || node.type !== "approval" || state.status !== "completed") continue;
    const output = state.output as { approved?: unknown; by?: unknown; timed_out?: unknown; comment?: unknown } | undefined;
    if (!output || output.approved !== false) continue;
    found.push({
      nodeId: id,
      title: node.title || id,
      by: typeof output.by === "string" && output.by ? output.by : null,
      timedOut: output.timed_out === true,
      comment: typeof output.comment === "string" ? output.comment.trim() : "",
    });
  }
  return found;
}

/** The banner's sentence for one rejected approval. */
export function rejectionSentence(rejection: RejectedApproval): string {
  const who = rejection.timedOut ? "when its deadline passed" : rejection.by ? `by ${rejection.by}` : "";
  return `${rejection.title} was rejected${who ? ` ${who}` : ""}`;
}
