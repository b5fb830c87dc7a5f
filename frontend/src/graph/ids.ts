// Node ids: fresh snake_case ids, renaming a node everywhere it is referenced, and the
// renaming that pasting needs (pasted ids must not clash; references among them follow).
import { renameReferences } from "./expressions";
import { NODE_ID_PATTERN, RESERVED_IDS, type FlowIR, type IrNode } from "./types";

/** `base` turned into a valid id: lower snake_case, not reserved, at most 64 characters. */
export function toNodeId(base: string): string {
  let id = base
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/_+/g, "_");
  if (!id || /^[0-9]/.test(id)) id = `n_${id}`;
  if (RESERVED_IDS.has(id)) id = `${id}_step`;
  return id.slice(0, 64);
}

/** A valid id based on `base` that is not in `taken`: `base`, `base_2`, `base_3`, ... */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const clean = toNodeId(base);
  if (!taken.has(clean)) return clean;
  const stem = clean.replace(/_\d+$/, "") || "n";
  for (let n = 2; ; n += 1) {
    const suffix = `_${n}`;
    const candidate = stem.slice(0, 64 - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

export function isValidNodeId(id: string): boolean {
  return NODE_ID_PATTERN.test(id) && !RESERVED_IDS.has(id);
}

/** The flow with node `from` renamed to `to`, and every reference to it rewritten. */
export function renameNode(ir: FlowIR, from: string, to: string): FlowIR {
  if (from === to) return ir;
  const renames = new Map([[from, to]]);
  return { ...ir, nodes: ir.nodes.map((node) => renameReferences(node, renames)) };
}

/**
 * Nodes to paste beside `existingIds`: each id that clashes gets a fresh one, and the
 * references among the pasted nodes (expressions, `after`, arms) follow the new ids.
 * References to nodes outside the pasted set are left as they are.
 */
export function renameForPaste(
  nodes: readonly IrNode[],
  existingIds: Iterable<string>,
): { nodes: IrNode[]; renames: Map<string, string> } {
  const taken = new Set(existingIds);
  const renames = new Map<string, string>();
  for (const node of nodes) {
    const fresh = uniqueId(node.id, taken);
    taken.add(fresh);
    if (fresh !== node.id) renames.set(node.id, fresh);
  }
  return { nodes: nodes.map((node) => renameReferences(node, renames)), renames };
}
