// The size the canvas gives each node card; layout and the card's CSS share these numbers.
import type { NodeHandle } from "@xyflow/react";
import { armsOf } from "./dependencies";
import type { IrNode, Position } from "./types";

export const NODE_WIDTH = 240;
export const HEADER_HEIGHT = 50;
export const ROW_HEIGHT = 22;
export const ARM_ROW_HEIGHT = 26;
export const BODY_PADDING = 10;
export const MAX_KEY_ROWS = 3;

/** What a card row's value is in the IR: a CEL expression, text (an approval's instructions),
 *  or text with `{{ }}` CEL parts (an LLM prompt). */
export type KeyRowKind = "cel" | "text" | "template";

/** Key inputs shown on a card: up to three `[label, value, kind]` rows. */
export function keyRows(node: IrNode): [string, string, KeyRowKind][] {
  const rows: [string, string, KeyRowKind][] = [];
  // A node just added may not have every field yet: its row shows empty.
  const row = (label: string, value: string | undefined, kind: KeyRowKind) => rows.push([label, typeof value === "string" ? value : "", kind]);
  const record = (values: Record<string, string> | undefined) => {
    for (const [key, value] of Object.entries(values ?? {})) row(key, value, "cel");
  };
  switch (node.type) {
    case "tool":
      record(node.inputs);
      break;
    case "map":
      row("for each", node.items, "cel");
      record(node.inputs);
      break;
    case "value":
    case "output":
      if (typeof node.value === "string") row("value", node.value, "cel");
      else record(node.value);
      break;
    case "approval":
      if (node.instructions) row("asks", node.instructions, "text");
      record(node.context);
      break;
    case "llm":
      row("prompt", node.prompt, "template");
      break;
    case "switch":
      row("on", node.value, "cel");
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

/** The card's border, and where designer.css puts the handles (centres, from the top left). */
const BORDER = 1.5;
const HANDLE = 10;
const HANDLE_TOP = 25;
const HANDLE_OUTSET = 6;

/**
 * Where each handle of a card is, so React Flow need not draw every node once to measure
 * them (a 500-node flow then draws only the cards in view). Must match designer.css.
 */
export function nodeHandles(node: IrNode): NodeHandle[] {
  const centreY = BORDER + HANDLE_TOP;
  const leftX = BORDER - HANDLE_OUTSET - HANDLE / 2;
  const rightX = NODE_WIDTH - BORDER + HANDLE_OUTSET - HANDLE / 2;
  const handles: NodeHandle[] = [
    { id: "in", type: "target", position: "left" as NodeHandle["position"], x: leftX, y: centreY - HANDLE / 2, width: HANDLE, height: HANDLE },
    { id: "out", type: "source", position: "right" as NodeHandle["position"], x: rightX, y: centreY - HANDLE / 2, width: HANDLE, height: HANDLE },
  ];
  const bodyTop = BORDER + HEADER_HEIGHT + 1 + BODY_PADDING + keyRows(node).length * ROW_HEIGHT;
  armsOf(node).forEach(({ arm }, index) => {
    const centre = bodyTop + index * ARM_ROW_HEIGHT + ARM_ROW_HEIGHT / 2;
    handles.push({ id: arm, type: "source", position: "right" as NodeHandle["position"], x: rightX, y: centre - HANDLE / 2, width: HANDLE, height: HANDLE });
  });
  return handles;
}

/** A card's box on the canvas (its width is NODE_WIDTH). */
export interface CardBox {
  x: number;
  y: number;
  height: number;
}

/**
 * The first place at or below `start` where a card of `height` overlaps none of `boxes`
 * (with `gap` around each): a block added by click never lands on top of another.
 */
export function firstFreeSpot(start: Position, boxes: readonly CardBox[], height: number, gap = 24): Position {
  let position = start;
  for (let tries = 0; tries < 200; tries += 1) {
    const hit = boxes.find((box) =>
      position.x < box.x + NODE_WIDTH + gap && box.x < position.x + NODE_WIDTH + gap &&
      position.y < box.y + box.height + gap && box.y < position.y + height + gap);
    if (!hit) return position;
    position = { x: position.x, y: hit.y + hit.height + gap };
  }
  return position;
}

/**
 * How far down to move a group of cards (pasted together, keeping their arrangement) so
 * that none overlaps any of `boxes` (with `gap` around each): 0 when the group is clear.
 */
export function groupClearance(group: readonly CardBox[], boxes: readonly CardBox[], gap = 24): number {
  let dy = 0;
  for (let tries = 0; tries < 200; tries += 1) {
    let lowest: number | null = null;
    for (const card of group) {
      const y = card.y + dy;
      for (const box of boxes) {
        const hits = card.x < box.x + NODE_WIDTH + gap && box.x < card.x + NODE_WIDTH + gap &&
          y < box.y + box.height + gap && box.y < y + card.height + gap;
        // The group must move until this card clears the box's bottom.
        if (hits) lowest = Math.max(lowest ?? -Infinity, box.y + box.height + gap - card.y);
      }
    }
    if (lowest === null) return dy;
    dy = lowest;
  }
  return dy;
}
