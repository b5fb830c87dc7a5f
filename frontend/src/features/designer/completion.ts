// Completion for CEL fields: upstream node ids, `input`, and the fields of each one's
// output (from the tools' output schemas) or of the run input (the flow's input_schema).
import { downstreamIds, upstreamIds, type FlowIR, type IrNode, type JsonSchema } from "../../graph";
import type { Tool } from "./api";

export interface Suggestion {
  label: string;
  detail: string;
}

export interface Completion {
  /** Where the replaced text starts (the text up to the cursor is replaced). */
  from: number;
  items: Suggestion[];
}

const OBJECT = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: "object", properties });

/** What a node's output looks like, as far as the editor knows. */
export function outputSchema(node: IrNode, tools: Record<string, Tool>): JsonSchema | null {
  switch (node.type) {
    case "tool":
      return (tools[node.tool]?.output_schema as JsonSchema | undefined) ?? null;
    case "map":
      return { type: "array", items: tools[node.tool]?.output_schema ?? {} };
    case "branch":
      return OBJECT({ value: { type: "boolean" }, taken: { type: "string" } });
    case "switch":
      return OBJECT({ value: {}, case: { type: "string" } });
    case "approval":
      return OBJECT({ approved: { type: "boolean" }, data: node.form_schema ?? {}, comment: { type: "string" }, by: { type: "string" } });
    case "value":
    case "output":
      return typeof node.value === "string" ? null : OBJECT(Object.fromEntries(Object.keys(node.value ?? {}).map((key) => [key, {}])));
    case "llm":
      return node.output_schema ?? OBJECT({ text: { type: "string" } });
  }
}

function typeName(schema: unknown): string {
  if (!schema || typeof schema !== "object") return "";
  const type = (schema as JsonSchema).type;
  if (Array.isArray(type)) return type.join(" | ");
  return typeof type === "string" ? type : "";
}

function properties(schema: JsonSchema | null | undefined): Record<string, JsonSchema> {
  const props = schema?.properties;
  return props && typeof props === "object" ? (props as Record<string, JsonSchema>) : {};
}

function insideString(text: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quote) {
      if (ch === "\\") i += 1;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    }
  }
  return quote !== null;
}

const TOKEN = /([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]*)*)$/;

/** Node ids a node may read: everything except itself and what waits for it (a cycle). */
export function readableIds(ir: FlowIR, nodeId: string | null): { id: string; upstream: boolean }[] {
  if (!nodeId) return [];
  const below = downstreamIds(ir, nodeId);
  const above = upstreamIds(ir, nodeId);
  return ir.nodes
    .filter((node) => node.id !== nodeId && !below.has(node.id))
    .map((node) => ({ id: node.id, upstream: above.has(node.id) }))
    .sort((a, b) => Number(b.upstream) - Number(a.upstream));
}

export function complete(
  ir: FlowIR,
  tools: Record<string, Tool>,
  nodeId: string | null,
  textBeforeCursor: string,
  locals: readonly string[] = [],
  explicit = false,
): Completion | null {
  if (insideString(textBeforeCursor)) return null;
  const match = TOKEN.exec(textBeforeCursor);
  const start = match ? match.index : textBeforeCursor.length;
  if (match && start > 0 && /[.\w]/.test(textBeforeCursor[start - 1])) return null;
  if (!match && !explicit && textBeforeCursor.trim() !== "") return null;
  if (!match && /[.\w]$/.test(textBeforeCursor)) return null;
  const [, root, rest] = match ?? ["", "", ""];
  const nodes = new Map(ir.nodes.map((node) => [node.id, node]));
  if (!rest) {
    const items: Suggestion[] = [
      ...locals.map((name) => ({ label: name, detail: name === "item" ? "current item" : "item position" })),
      { label: "input", detail: "run input" },
      ...readableIds(ir, nodeId).map(({ id, upstream }) => {
        const node = nodes.get(id)!;
        const what = node.type === "tool" || node.type === "map" ? tools[node.tool]?.name ?? node.tool : node.type;
        return { label: id, detail: upstream ? `${what} · upstream` : what };
      }),
    ].filter((item) => item.label.startsWith(root) && (item.label !== root || !root));
    return items.length ? { from: start, items: items.slice(0, 50) } : null;
  }
  const parts = rest.slice(1).split(".");
  const prefix = parts.pop() ?? "";
  let schema: JsonSchema | null;
  if (root === "input") schema = ir.input_schema ?? null;
  else if (nodes.has(root) && root !== nodeId) schema = outputSchema(nodes.get(root)!, tools);
  else return null;
  for (const part of parts) schema = properties(schema)[part] ?? null;
  const items = Object.entries(properties(schema))
    .filter(([name]) => name.startsWith(prefix) && name !== prefix)
    .map(([name, sub]) => ({ label: name, detail: typeName(sub) }));
  return items.length ? { from: textBeforeCursor.length - prefix.length, items } : null;
}
