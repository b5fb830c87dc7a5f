// What the refine panel offers to click: instructions written for the flow on screen, in the
// forms every planner understands (the offline one included), and the instructions this
// person last previewed on this flow.
import type { FlowIR, IrNode } from "../../graph";

/** Up to three instructions for `ir`: an approval before its second tool step (its first
 * when it has one), retries for its first, an email at the end. None that the flow already
 * has. */
export function refineSuggestions(ir: FlowIR): string[] {
  const tools = ir.nodes.filter((node): node is Extract<IrNode, { type: "tool" }> => node.type === "tool");
  const suggestions: string[] = [];
  // The step after the first check (a flow's first step usually looks, the next ones act).
  const acting = tools[1] ?? tools[0];
  if (acting && !ir.nodes.some((node) => node.type === "approval")) suggestions.push(`Ask managers to approve ${acting.id}`);
  const first = tools.find((node) => !node.retry);
  if (first) suggestions.push(`Retry ${first.id} 3 times`);
  if (!tools.some((node) => node.tool === "send_email")) suggestions.push("Also email the customer");
  return suggestions.slice(0, 3);
}

/** The instructions kept per flow (a draft's under "draft"), newest first. */
export const RECENT_KEPT = 5;

function key(flowId: number | null): string {
  return `dynamicflow:refine:${flowId ?? "draft"}`;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** The instructions last previewed on the flow, newest first. */
export function recentRefinements(flowId: number | null): string[] {
  try {
    const stored: unknown = JSON.parse(storage()?.getItem(key(flowId)) ?? "[]");
    return Array.isArray(stored) ? stored.filter((item): item is string => typeof item === "string").slice(0, RECENT_KEPT) : [];
  } catch {
    return [];
  }
}

/** Keeps `instruction` first among the flow's recent ones (once); the list kept. */
export function rememberRefinement(flowId: number | null, instruction: string): string[] {
  const text = instruction.trim();
  const recent = [text, ...recentRefinements(flowId).filter((item) => item.toLowerCase() !== text.toLowerCase())].slice(0, RECENT_KEPT);
  try {
    storage()?.setItem(key(flowId), JSON.stringify(recent));
  } catch {
    // storage full or refused: the list lives for this visit only
  }
  return recent;
}
