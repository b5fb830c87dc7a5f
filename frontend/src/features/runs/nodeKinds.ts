// How each node type is shown: its icon and its subtitle (the tool, or the type).
import type { IrNode } from "../../graph";

export const TYPE_ICONS: Record<string, string> = {
  tool: "⚙",
  map: "▤",
  branch: "◇",
  switch: "◈",
  approval: "⚑",
  value: "=",
  output: "⇥",
  llm: "✦",
};

export function nodeSubtitle(node: IrNode): string {
  if (node.type === "tool" || node.type === "map") return node.tool;
  if (node.type === "llm") return node.model ? `llm · ${node.model}` : "llm";
  return node.type;
}
