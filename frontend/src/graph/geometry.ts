// The size the canvas gives each node card; layout and the card's CSS share these numbers.
import { armsOf } from "./dependencies";
import type { IrNode } from "./types";

export const NODE_WIDTH = 240;
export const HEADER_HEIGHT = 50;
export const ROW_HEIGHT = 22;
export const ARM_ROW_HEIGHT = 26;
export const BODY_PADDING = 10;
export const MAX_KEY_ROWS = 3;

/** Key inputs shown on a card: up to three `[label, expression]` rows. */
export function keyRows(node: IrNode): [string, string][] {
  const rows: [string, string][] = [];
  const record = (values: Record<string, string> | undefined) => {
    for (const [key, value] of Object.entries(values ?? {})) rows.push([key, value]);
  };
  switch (node.type) {
    case "tool":
      record(node.inputs);
      break;
    case "map":
      rows.push(["items", node.items]);
      record(node.inputs);
      break;
    case "value":
    case "output":
      if (typeof node.value === "string") rows.push(["value", node.value]);
      else record(node.value);
      break;
    case "approval":
      if (node.instructions) rows.push(["asks", node.instructions]);
      record(node.context);
      break;
    case "llm":
      rows.push(["prompt", node.prompt]);
      break;
    case "switch":
      rows.push(["on", node.value]);
      break;
    case "branch":
      break;
  }
  return rows.slice(0, MAX_KEY_ROWS);
}

export function nodeHeight(node: IrNode): number {
  const rows = keyRows(node).length;
  const arms = armsOf(node).length;
  const body = rows * ROW_HEIGHT + arms * ARM_ROW_HEIGHT;
  return HEADER_HEIGHT + (body ? body + BODY_PADDING * 2 : 0);
}
