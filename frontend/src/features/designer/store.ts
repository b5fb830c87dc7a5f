// The designer's one store: the IR being edited (with undo/redo through zundo), the
// selection, validation results, the catalogue and the page's transient UI state.
// Every IR edit goes through `edit`, so history, dirtiness and coalescing live in one place.
import { temporal } from "zundo";
import { create } from "zustand";
import {
  armsOf,
  graphToIr,
  groupClearance,
  nodeHeight,
  renameForPaste,
  renameNode,
  orderedThrough,
  wouldCreateCycle,
  type FlowEdgeData,
  type FlowIR,
  type IrNode,
  type Issue,
  type Position,
} from "../../graph";
import type { Tool } from "./api";

export const HISTORY_LIMIT = 200;
/** Keystrokes in one field within this window are one undo step. */
const COALESCE_MS = 1200;

export interface Toast {
  id: number;
  message: string;
  kind: "info" | "error" | "success";
}

export interface FieldFocus {
  node: string | null;
  field: string | null;
  nonce: number;
}

export interface DesignerState {
  flowId: number | null;
  flowName: string;
  canEdit: boolean;
  /** The version the editor started from (or last saved). */
  version: number | null;
  ir: FlowIR;
  savedIr: FlowIR | null;
  dirty: boolean;
  selection: string[];
  selectedEdges: string[];
  issues: Issue[];
  /** What runs but may not finish as meant (an approval naming a group that does not
   * exist): shown on the field, not counted as problems. */
  warnings: Issue[];
  issueCounts: Record<string, number>;
  /** The IR the issues belong to (null before the first answer). */
  validatedIr: FlowIR | null;
  /** Why the last check of the flow got no answer (signed out, server down); null once one
   * comes. The problems panel says so instead of "checking" forever. */
  validationFailure: string | null;
  /** Bumped to check the same IR again (after a failure). */
  validationRetry: number;
  /** Positions the automatic layout gave nodes that have none saved. */
  layoutPositions: Record<string, Position>;
  /** Whether the cards' places are the person's: a saved arrangement opened, or a card
   * dragged. Until then every place is the automatic layout's (a step added from the
   * palette is put beside the others by it), made for the canvas it is drawn on: folded
   * into rows for a width a docked inspector narrows. None is saved then, and the flow is
   * laid out again for the canvas that opens it (and the run page's). */
  arranged: boolean;
  tools: Record<string, Tool>;
  focus: FieldFocus | null;
  /** The flow's own settings are open in the inspector (it shows only with a selection
   * otherwise, so the canvas has the width). */
  settingsOpen: boolean;
  toast: Toast | null;
  layoutRequest: number;
}

const EMPTY_IR: FlowIR = { name: "", nodes: [] };

const initial: DesignerState = {
  flowId: null,
  flowName: "",
  canEdit: true,
  version: null,
  ir: EMPTY_IR,
  savedIr: null,
  dirty: false,
  selection: [],
  selectedEdges: [],
  issues: [],
  warnings: [],
  issueCounts: {},
  validatedIr: null,
  validationFailure: null,
  validationRetry: 0,
  layoutPositions: {},
  arranged: false,
  tools: {},
  focus: null,
  settingsOpen: false,
  toast: null,
  layoutRequest: 0,
};

let lastEditKey: string | null = null;
let lastEditAt = 0;
let toastIds = 0;

export const useDesigner = create<DesignerState>()(
  temporal(() => initial, {
    limit: HISTORY_LIMIT,
    partialize: (state) => ({ ir: state.ir }),
    equality: (a, b) => a.ir === b.ir,
  }),
);

const history = () => useDesigner.temporal.getState();
const get = () => useDesigner.getState();
const set = (patch: Partial<DesignerState>) => useDesigner.setState(patch);

function countIssues(issues: Issue[], ir: FlowIR): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const issue of issues) {
    const node = issueNode(issue, ir);
    if (node) counts[node] = (counts[node] ?? 0) + 1;
  }
  return counts;
}

/** The node an issue is about: its `node`, or the node at `nodes[i]` in a schema issue. */
export function issueNode(issue: Issue, ir: FlowIR): string | null {
  if (issue.node) return issue.node;
  const match = /^nodes\[(\d+)\]/.exec(issue.field ?? "");
  return match ? (ir.nodes[Number(match[1])]?.id ?? null) : null;
}

/** The saved IR as JSON, kept per saved IR so an edit compares against it cheaply. */
const savedJson = new WeakMap<FlowIR, string>();

/** JSON with every object's keys in order: a field cleared and typed again comes back last
 * among its node's keys, and is still the same flow. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item);
}

/** Whether `ir` differs from `saved`: an edit that brings the flow back to what was saved
 * (a field typed over with what it held, a step removed then added again) leaves nothing to
 * save, and saving it would make a version the same as the last. */
export function differsFromSaved(ir: FlowIR, saved: FlowIR | null): boolean {
  if (ir === saved) return false;
  if (saved === null) return true;
  let json = savedJson.get(saved);
  if (json === undefined) {
    json = sortedJson(saved);
    savedJson.set(saved, json);
  }
  return sortedJson(ir) !== json;
}

/** Replace the IR (one undo step, or merged with the previous one for the same `key`). */
export function edit(change: (ir: FlowIR) => FlowIR, key?: string) {
  const state = get();
  const next = change(state.ir);
  if (next === state.ir) return;
  const now = Date.now();
  const coalesce = key !== undefined && key === lastEditKey && now - lastEditAt < COALESCE_MS;
  lastEditKey = key ?? null;
  lastEditAt = now;
  if (coalesce) history().pause();
  const ids = new Set(next.nodes.map((node) => node.id));
  set({
    ir: next,
    dirty: differsFromSaved(next, state.savedIr),
    selection: state.selection.filter((id) => ids.has(id)),
  });
  if (coalesce) history().resume();
}

function updateNodes(ir: FlowIR, change: (node: IrNode) => IrNode): FlowIR {
  let changed = false;
  const nodes = ir.nodes.map((node) => {
    const next = change(node);
    if (next !== node) changed = true;
    return next;
  });
  return changed ? { ...ir, nodes } : ir;
}

export const designer = {
  /** Start editing `ir` (a loaded version, or with no `flowId` an unsaved draft): history
   *  cleared, nothing dirty (an untouched draft is left without asking and leaves nothing). */
  load(args: { flowId: number | null; flowName: string; canEdit: boolean; version: number | null; ir: FlowIR; tools?: Tool[] }) {
    lastEditKey = null;
    set({
      ...initial,
      tools: args.tools ? Object.fromEntries(args.tools.map((tool) => [tool.id, tool])) : get().tools,
      flowId: args.flowId,
      flowName: args.flowName,
      canEdit: args.canEdit,
      version: args.version,
      ir: args.ir,
      savedIr: args.ir,
      arranged: hasPositions(args.ir),
    });
    history().clear();
  },

  setTools(tools: Tool[]) {
    set({ tools: Object.fromEntries(tools.map((tool) => [tool.id, tool])) });
  },

  /** The IR as it will be saved: a flow arranged by hand with layout positions written into
   * the nodes that have none, so it opens as it was left; one nobody arranged without any
   * (see `arranged`), or it would open folded for a docked inspector on every wider canvas,
   * and so on the run page. */
  irForSave(): FlowIR {
    const { ir, layoutPositions, arranged } = get();
    if (!arranged) return withoutPositions(ir);
    const laid = ir.nodes
      .filter((node) => !node.position && layoutPositions[node.id])
      .map((node) => ({ id: node.id, position: layoutPositions[node.id] }));
    return graphToIr(laid, [], ir);
  },

  markSaved(version: number, ir: FlowIR) {
    const state = get();
    // The saved document may carry layout positions the editor IR lacks: keep editing
    // the editor's IR, but consider it clean.
    set({ version, savedIr: state.ir, dirty: false, ir: ir === state.ir ? ir : state.ir });
  },

  /** The draft became a flow, saved as its version `version`. */
  markCreated(flowId: number, flowName: string, version: number, ir: FlowIR) {
    set({ flowId, flowName });
    designer.markSaved(version, ir);
  },

  setFlowName(flowName: string) {
    set({ flowName });
  },

  setIssues(issues: Issue[], forIr: FlowIR, warnings: Issue[] = []) {
    set({ issues, warnings, validatedIr: forIr, issueCounts: countIssues(issues, forIr), validationFailure: null });
  },

  /** The check of the flow got no answer: why, in words for the problems panel. */
  validationFailed(message: string) {
    set({ validationFailure: message });
  },

  /** Checks the flow again (after a failure). */
  retryValidation() {
    set({ validationRetry: get().validationRetry + 1 });
  },

  setLayoutPositions(positions: Record<string, Position>) {
    set({ layoutPositions: positions });
  },

  requestLayout() {
    set({ layoutRequest: get().layoutRequest + 1 });
  },

  /** Positions from a full re-layout: saved into the IR (one undo step). */
  applyLayout(positions: Record<string, Position>) {
    edit((ir) => updateNodes(ir, (node) => {
      const position = positions[node.id];
      if (!position || (node.position?.x === position.x && node.position?.y === position.y)) return node;
      return { ...node, position } as IrNode;
    }));
  },

  moveNodes(positions: Record<string, Position>) {
    set({ arranged: true });
    edit((ir) => updateNodes(ir, (node) => {
      const found = positions[node.id];
      if (!found) return node;
      const position = { x: Math.round(found.x), y: Math.round(found.y) };
      if (node.position?.x === position.x && node.position?.y === position.y) return node;
      return { ...node, position } as IrNode;
    }));
  },

  select(ids: string[], edges: string[] = []) {
    const state = get();
    if (sameList(state.selection, ids) && sameList(state.selectedEdges, edges)) return;
    set({ selection: ids, selectedEdges: edges, ...(ids.length ? { settingsOpen: false } : {}) });
  },

  focusField(node: string | null, field: string | null) {
    set({
      focus: { node, field, nonce: Date.now() },
      selection: node ? [node] : [],
      selectedEdges: [],
      // a node's problem is fixed in its inspector, one of the flow itself in the settings
      settingsOpen: !node,
    });
  },

  setSettingsOpen(open: boolean) {
    set({ settingsOpen: open, ...(open ? { selection: [], selectedEdges: [] } : {}) });
  },

  toast(message: string, kind: Toast["kind"] = "info") {
    toastIds += 1;
    set({ toast: { id: toastIds, message, kind } });
  },

  clearToast(id: number) {
    if (get().toast?.id === id) set({ toast: null });
  },

  addNode(node: IrNode) {
    edit((ir) => ({ ...ir, nodes: [...ir.nodes, node] }));
    set({ selection: [node.id], selectedEdges: [] });
  },

  /** Add `node` to run after `source`, connected and selected: one undo step. `handle` is
   * the source handle it hangs from (an arm, or "out"); without one, a branch's or switch's
   * first arm with no step yet (else its first arm). */
  addNodeAfter(node: IrNode, source: string, handle?: string | null) {
    const from = get().ir.nodes.find((candidate) => candidate.id === source);
    if (!from) return designer.addNode(node);
    const arm = handle === undefined ? followingArm(from) : handle && handle !== "out" ? handle : null;
    const added = arm ? node : ({ ...node, after: [...(node.after ?? []), source] } as IrNode);
    edit((ir) => ({
      ...ir,
      nodes: [...ir.nodes.map((existing) => (arm && existing.id === source ? setArm(existing, arm, node.id) : existing)), added],
    }));
    set({ selection: [node.id], selectedEdges: [] });
  },

  /** Change one node; `key` merges keystrokes in one field into one undo step. */
  updateNode(id: string, change: (node: IrNode) => IrNode, key?: string) {
    edit((ir) => updateNodes(ir, (node) => (node.id === id ? change(node) : node)), key);
  },

  renameNode(from: string, to: string) {
    edit((ir) => renameNode(ir, from, to));
    set({ selection: get().selection.map((id) => (id === from ? to : id)) });
  },

  updateFlow(change: (ir: FlowIR) => FlowIR, key?: string) {
    edit(change, key);
  },

  /** Delete nodes, and drop them from every `after` list and arm. */
  deleteNodes(ids: string[]) {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    const keep = (list: string[] | undefined) => list?.filter((id) => !gone.has(id));
    edit((ir) => ({
      ...ir,
      nodes: ir.nodes.filter((node) => !gone.has(node.id)).map((node) => {
        const touches = (list: string[] | undefined) => list?.some((id) => gone.has(id));
        const armHit = armsOf(node).some((arm) => touches(arm.targets));
        if (!touches(node.after) && !armHit) return node;
        const next = { ...node, after: keep(node.after) } as IrNode;
        if (next.type === "branch") Object.assign(next, { then: keep(next.then), else: keep(next.else) });
        if (next.type === "switch") {
          Object.assign(next, {
            cases: Object.fromEntries(Object.entries(next.cases).map(([key, list]) => [key, keep(list)!])),
            default: keep(next.default),
          });
        }
        if (next.after?.length === 0 && !node.after?.length) delete next.after;
        return next;
      }),
    }));
    set({ selection: [], selectedEdges: [] });
  },

  /** Why a connection from `source` to `target` is refused, or null when it is fine. */
  connectionProblem(source: string, target: string, sourceHandle?: string | null): string | null {
    const { ir } = get();
    if (source === target) return "A node cannot wait for itself.";
    const from = ir.nodes.find((node) => node.id === source);
    const to = ir.nodes.find((node) => node.id === target);
    if (!from || !to) return "Both ends must be nodes of this flow.";
    const arm = sourceHandle && sourceHandle !== "out" ? sourceHandle : null;
    if (arm && armsOf(from).some((entry) => entry.arm === arm && entry.targets.includes(target))) {
      return `${target} is already on that arm of ${source}.`;
    }
    // An order a chain of other steps implies is not drawn: say which step carries it.
    const through = arm ? null : orderedThrough(ir, source, target);
    if (through) return `${target} already runs after ${source}, through ${through}.`;
    if (!arm && to.after?.includes(source)) return `${target} already runs after ${source}.`;
    if (wouldCreateCycle(ir, source, target)) {
      return `${source} already depends on ${target}: connecting them would make a cycle.`;
    }
    return null;
  },

  /** Connect: an arm handle puts `target` on that arm; otherwise `target` runs after `source`. */
  connect(source: string, target: string, sourceHandle?: string | null): string | null {
    const problem = designer.connectionProblem(source, target, sourceHandle);
    if (problem) return problem;
    const arm = sourceHandle && sourceHandle !== "out" ? sourceHandle : null;
    edit((ir) => updateNodes(ir, (node) => {
      if (arm && node.id === source) return setArm(node, arm, target);
      if (!arm && node.id === target) return { ...node, after: [...(node.after ?? []), source] } as IrNode;
      return node;
    }));
    return null;
  },

  /** Remove `after` entries and arm memberships; data edges are refused (edit the expression). */
  deleteEdges(edges: { source: string; target: string; data?: FlowEdgeData }[]): string | null {
    const data = edges.filter((edge) => edge.data?.kind === "data");
    const removable = edges.filter((edge) => edge.data?.kind !== "data");
    if (removable.length) {
      edit((ir) => updateNodes(ir, (node) => {
        let next = node;
        for (const edge of removable) {
          if (edge.data?.kind === "after" && next.id === edge.target && next.after?.includes(edge.source)) {
            next = { ...next, after: next.after.filter((id) => id !== edge.source) } as IrNode;
          }
          if (edge.data?.kind === "arm" && next.id === edge.source) next = removeFromArm(next, edge.data.arm!, edge.target);
          // An `after` of the same pair (planners write both) is drawn under the arm's line:
          // taking the line away takes it too, or the step would then run after the branch
          // whatever its condition.
          if (edge.data?.kind === "arm" && next.id === edge.target && next.after?.includes(edge.source)) {
            next = { ...next, after: next.after.filter((id) => id !== edge.source) } as IrNode;
          }
        }
        return next;
      }));
      set({ selectedEdges: [] });
    }
    if (data.length) {
      const edge = data[0];
      return `${edge.target} reads ${edge.source} in its expressions: edit them in the inspector to remove this link.`;
    }
    return null;
  },

  /** Paste IR nodes: clashing ids renamed, references among them rewritten, selected. */
  paste(nodes: IrNode[], at?: Position): string[] {
    const state = get();
    const existing = new Set(state.ir.nodes.map((node) => node.id));
    const { nodes: renamed } = renameForPaste(nodes, existing);
    const laid = placePasted(renamed, nodes.some((node) => existing.has(node.id)), at);
    // Clear of the cards already there (a copy pasted beside its original included).
    const cards = state.ir.nodes.flatMap((node) => {
      const q = node.position ?? state.layoutPositions[node.id];
      return q ? [{ x: q.x, y: q.y, height: nodeHeight(node) }] : [];
    });
    const dy = groupClearance(laid.map((node) => ({ ...node.position!, height: nodeHeight(node) })), cards);
    const placed = dy ? laid.map((node) => ({ ...node, position: { x: node.position!.x, y: node.position!.y + dy } }) as IrNode) : laid;
    edit((ir) => ({ ...ir, nodes: [...ir.nodes, ...placed] }));
    const ids = placed.map((node) => node.id);
    set({ selection: ids, selectedEdges: [] });
    return ids;
  },

  undo() {
    lastEditKey = null;
    history().undo();
    syncDirty();
  },

  redo() {
    lastEditKey = null;
    history().redo();
    syncDirty();
  },

  /** Replace the whole IR (refinement accepted, a version restored): undoable, dirty. */
  replaceIr(ir: FlowIR) {
    if (hasPositions(ir)) set({ arranged: true });
    edit(() => ir);
  },
};

function hasPositions(ir: FlowIR): boolean {
  return ir.nodes.some((node) => node.position);
}

/** `ir` with no node's position (the same IR when none has one). */
function withoutPositions(ir: FlowIR): FlowIR {
  if (!hasPositions(ir)) return ir;
  return {
    ...ir,
    nodes: ir.nodes.map((node) => {
      if (!node.position) return node;
      const { position: _position, ...rest } = node;
      return rest as IrNode;
    }),
  };
}

/** The arm a step added after `node` goes on: its first arm with no step yet, else its
 * first; null for a node without arms (the step runs after it). */
export function followingArm(node: IrNode): string | null {
  const arms = armsOf(node);
  return (arms.find((entry) => entry.targets.length === 0) ?? arms[0])?.arm ?? null;
}

function syncDirty() {
  const state = get();
  const ids = new Set(state.ir.nodes.map((node) => node.id));
  set({ dirty: differsFromSaved(state.ir, state.savedIr), selection: state.selection.filter((id) => ids.has(id)) });
}

function sameList(a: string[], b: string[]) {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function setArm(node: IrNode, arm: string, target: string): IrNode {
  // A node sits on one arm of a branch or switch: moving it takes it off the others.
  const cleared = armsOf(node).reduce((current, entry) => removeFromArm(current, entry.arm, target), node);
  if (cleared.type === "branch" && (arm === "then" || arm === "else")) {
    return { ...cleared, [arm]: [...(cleared[arm] ?? []), target] };
  }
  if (cleared.type === "switch") {
    if (arm === "default") return { ...cleared, default: [...(cleared.default ?? []), target] };
    const key = arm.replace(/^case:/, "");
    return { ...cleared, cases: { ...cleared.cases, [key]: [...(cleared.cases[key] ?? []), target] } };
  }
  return node;
}

function removeFromArm(node: IrNode, arm: string, target: string): IrNode {
  const without = (list: string[] | undefined) => (list ?? []).filter((id) => id !== target);
  if (node.type === "branch" && (arm === "then" || arm === "else")) {
    return node[arm]?.includes(target) ? { ...node, [arm]: without(node[arm]) } : node;
  }
  if (node.type === "switch") {
    if (arm === "default") return node.default?.includes(target) ? { ...node, default: without(node.default) } : node;
    const key = arm.replace(/^case:/, "");
    return node.cases[key]?.includes(target) ? { ...node, cases: { ...node.cases, [key]: without(node.cases[key]) } } : node;
  }
  return node;
}

const PASTE_OFFSET = 48;

function placePasted(nodes: IrNode[], besideOriginals: boolean, at?: Position): IrNode[] {
  const positioned = nodes.map((node, index) => node.position ?? { x: index * 300, y: 0 });
  const minX = Math.min(...positioned.map((p) => p.x));
  const minY = Math.min(...positioned.map((p) => p.y));
  return nodes.map((node, index) => {
    const p = positioned[index];
    const position = besideOriginals || !at
      ? { x: p.x + PASTE_OFFSET, y: p.y + PASTE_OFFSET }
      : { x: Math.round(at.x + p.x - minX), y: Math.round(at.y + p.y - minY) };
    return { ...node, position } as IrNode;
  });
}
