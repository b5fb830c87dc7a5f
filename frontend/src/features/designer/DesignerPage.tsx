// The designer page (/flows/:flowId and /flows/:flowId/v/:version): loads the flow and a
// version into the store, then lays out palette, canvas, inspector and problems around it.
// At /flows/draft it edits an unsaved draft (an IR in the navigation's state): the flow is
// made when it is first saved.
import { ReactFlowProvider, useReactFlow, type Viewport } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { firstFreeSpot, graphArriving, NODE_WIDTH, nodeHandles, nodeHeight, showsAll, viewEase, wholeCardsView, type FlowEdge, type FlowIR, type FlowNode, type Position } from "../../graph";
import { ApiError } from "../../lib/api";
import { NotFound } from "../../lib/NotFound";
import { countOf } from "../../lib/plural";
import { rememberLatestVersion } from "../../lib/latestVersion";
import { requestedStep } from "../../lib/stepLink";
import {
  createFlow,
  fetchVersions,
  saveVersion,
  type Category,
  type Tool,
  type VersionSummary,
} from "./api";
import { Canvas, canvasStartView, type LooseConnection, type PaletteDrop } from "./components/Canvas";
import { DesignerSkeleton } from "./components/DesignerSkeleton";
import { Icon } from "./components/Icon";
import { Inspector } from "./components/Inspector";
import { Palette } from "./components/Palette";
import { ProblemsPanel } from "./components/ProblemsPanel";
import { RefinePanel } from "./components/RefinePanel";
import { Toast } from "./components/Toast";
import { Toolbar } from "./components/Toolbar";
import { VersionsDrawer } from "./components/VersionsDrawer";
import { ShortcutsDialog } from "./components/ShortcutsDialog";
import { useHotkeys } from "./hooks/useHotkeys";
import { UnsavedGuard, useGuardedNavigate } from "./hooks/UnsavedGuard";
import { useValidation } from "./hooks/useValidation";
import { newNode } from "./nodeKinds";
import { openFlow } from "./openFlow";
import { designerCodeLoaded, loadCatalogue, takePrefetched } from "./prefetch";
import { revealViewport, type Box } from "./revealView";
import { inspectorLabel, openPanels, shownPanel, toggleAction, type SidePanel } from "./sidePanels";
import { designer, followingArm, issueNode, useDesigner } from "./store";
import "./designer.css";

designerCodeLoaded();

// The run's input form, loaded when Run is first pressed (it brings the form library).
const StartRunDialog = lazy(() => import("../runs/StartRunDialog").then((module) => ({ default: module.StartRunDialog })));

/** Where a node is drawn: its saved position, else the one the automatic layout gave it. */
function positionOf(id: string): Position | undefined {
  const { ir, layoutPositions } = useDesigner.getState();
  return ir.nodes.find((node) => node.id === id)?.position ?? layoutPositions[id];
}

type Load = { state: "loading" } | { state: "error"; message: string; status?: number } | { state: "ready" };

/** A draft with nothing in it yet, for /flows/draft opened without one. */
const EMPTY_DRAFT: FlowIR = { ir_version: "1.0", name: "Untitled flow", description: "", input_schema: { type: "object" }, nodes: [] };

export default function DesignerPage({ draft = false }: { draft?: boolean }) {
  const params = useParams();
  const location = useLocation();
  const flowId = draft ? null : Number(params.flowId);
  const requested = params.version ? Number(params.version) : null;
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [tools, setTools] = useState<Tool[]>([]);
  const [categories, setCategories] = useState<Category[]>([]);
  /** Bumped by "Try again" on a flow that could not be opened. */
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const store = useDesigner.getState();
    if (flowId === null) {
      const ir = (location.state as { draft?: FlowIR } | null)?.draft ?? EMPTY_DRAFT;
      void loadCatalogue().then(([toolList, categoryList]) => {
        if (cancelled) return;
        setTools(toolList);
        setCategories(categoryList);
        graphArriving(ir.nodes.length);
        designer.load({ flowId: null, flowName: ir.name, canEdit: true, version: null, ir, tools: toolList });
        setLoad({ state: "ready" });
      }, (error: unknown) => !cancelled && setLoad({ state: "error", message: (error as Error).message }));
      return () => {
        cancelled = true;
      };
    }
    // After a save or restore the store already holds this version: keep editing it.
    if (store.flowId === flowId && requested !== null && store.version === requested && (location.state as { saved?: boolean } | null)?.saved) {
      setLoad({ state: "ready" });
      return;
    }
    setLoad({ state: "loading" });
    (async () => {
      // The flow, its version and the tool catalogue, all at once.
      const opened = takePrefetched(flowId, requested) ?? openFlow(flowId, requested);
      const [{ flow, number, version }, [toolList, categoryList]] = await Promise.all([opened, loadCatalogue()]);
      if (cancelled) return;
      const ir: FlowIR = version?.ir ?? { ir_version: "1.0", name: flow.name, description: flow.description ?? "", input_schema: { type: "object" }, nodes: [] };
      setTools(toolList);
      setCategories(categoryList);
      performance.mark("designer:fetched");
      graphArriving(ir.nodes.length);
      designer.load({ flowId, flowName: flow.name, canEdit: flow.can_edit, version: number, ir, tools: toolList });
      setLoad({ state: "ready" });
    })().catch((error: unknown) => {
      if (cancelled) return;
      setLoad({ state: "error", message: (error as Error).message, status: error instanceof ApiError ? error.status : undefined });
    });
    return () => {
      cancelled = true;
    };
  }, [flowId, requested, location.state, attempt]);

  useEffect(() => {
    if (tools.length === 0) void loadCatalogue().then(([t, c]) => { setTools(t); setCategories(c); }).catch(() => undefined);
  }, [tools.length]);

  if ((flowId !== null && !Number.isFinite(flowId)) || (load.state === "error" && load.status === 404)) {
    return (
      <NotFound
        title={requested !== null && flowId !== null && Number.isFinite(flowId) ? "Version not found" : "Flow not found"}
        message={requested !== null && flowId !== null && Number.isFinite(flowId)
          ? `This flow has no version ${requested}, or you may not see it.`
          : "This flow does not exist, or you may not see it."}
        back={{ to: "/flows", label: "All flows" }}
      />
    );
  }
  if (load.state === "error") {
    return (
      <div className="page designer-failed" data-testid="designer-failed">
        <h1>Cannot open this flow</h1>
        <div className="alert error">{load.message}</div>
        <div className="actions">
          <button type="button" className="btn primary" onClick={() => setAttempt((n) => n + 1)} data-testid="designer-retry">Try again</button>
          <Link className="btn" to="/flows">← All flows</Link>
        </div>
      </div>
    );
  }
  if (load.state === "loading") return <DesignerSkeleton />;
  return (
    <ReactFlowProvider>
      <Workspace flowId={flowId} tools={tools} categories={categories} />
    </ReactFlowProvider>
  );
}

/** When the validator's answer for what is on screen has problems: says so, shows the first
 *  one in the inspector, and is true (the run must not start). */
function blockedRun(state: ReturnType<typeof useDesigner.getState>): boolean {
  if (state.validatedIr !== state.ir || state.issues.length === 0) return false;
  const count = state.issues.length;
  const first = state.issues[0];
  designer.toast(
    `This flow has ${countOf(count, "problem")} and cannot run yet: fix ${count === 1 ? "it" : "them"} first (listed under Problems).`,
    "error",
  );
  designer.focusField(issueNode(first, state.validatedIr), first.field ?? null);
  return true;
}

/** `viewport` moved up (or left) so the card in `box` is not under the minimap, which sits
 *  over the canvas's corner (a card there would look hidden), when it can stay in view. */
function clearOfMinimap(canvasElement: Element, box: Box, viewport: Viewport, margin: number): Viewport {
  const map = canvasElement.querySelector<HTMLElement>(".designer-minimap");
  if (!map || map.offsetWidth === 0) return viewport;
  let { x, y } = viewport;
  const { zoom } = viewport;
  const canvas = canvasElement.getBoundingClientRect();
  const corner = map.getBoundingClientRect();
  const mapLeft = corner.left - canvas.left - 12;
  const mapTop = corner.top - canvas.top - 12;
  const right = box.maxX * zoom + x;
  const bottom = box.maxY * zoom + y;
  if (right > mapLeft && bottom > mapTop) {
    if (box.minY * zoom + y - (bottom - mapTop) >= margin) y -= bottom - mapTop;
    else if (box.minX * zoom + x - (right - mapLeft) >= margin) x -= right - mapLeft;
  }
  return { x, y, zoom };
}

/** The flow's steps, as one string: a view kept from before they changed may not show them. */
function stepsKey(): string {
  return useDesigner.getState().ir.nodes.map((node) => node.id).join("\n");
}

/** The name of the tool a palette block adds (a tool step only). */
function toolName(tools: Tool[], drop: PaletteDrop): string | undefined {
  return drop.type === "tool" ? tools.find((tool) => tool.id === drop.tool)?.name || undefined : undefined;
}

/** Room kept for a block added by click (a card with a few input rows). */
const NEW_CARD_HEIGHT = 110;

function Workspace({ flowId, tools, categories }: { flowId: number | null; tools: Tool[]; categories: Category[] }) {
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const canvasBox = useRef<HTMLDivElement>(null);
  const dirty = useDesigner((state) => state.dirty);
  const navigate = useGuardedNavigate(dirty);
  const version = useDesigner((state) => state.version);
  const empty = useDesigner((state) => state.ir.nodes.length === 0);
  // A flow of one step (a blank flow's result) says how the next ones are added.
  const lone = useDesigner((state) => state.ir.nodes.length === 1 && state.canEdit);
  const inspecting = useDesigner((state) => state.selection.length > 0 || state.settingsOpen);
  const selected = useDesigner((state) => (state.selection.length === 1 ? state.selection[0] : null));
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [refineOpen, setRefineOpen] = useState(false);
  /** The side panel last brought to the front (the others open are tabs behind it). */
  const [front, setFront] = useState<SidePanel | null>(null);
  const settingsOpen = useDesigner((state) => state.settingsOpen);
  const selectedCount = useDesigner((state) => state.selection.length);
  // A step selected (or the settings opened) comes to the front of the side column.
  const inspected = useDesigner((state) => (state.settingsOpen ? "settings" : state.selection.join(",")));
  useEffect(() => {
    if (inspected) setFront("inspector");
  }, [inspected]);
  const [saving, setSaving] = useState(false);
  const [versionsKey, setVersionsKey] = useState(0);
  useValidation(true);

  // Opened on one step (a failed run's "Fix in designer"): that step, and the field its error
  // names, are shown in the inspector, as a problem's click shows them.
  const { search } = useLocation();
  useEffect(() => {
    const step = requestedStep(new URLSearchParams(search), useDesigner.getState().ir.nodes.map((node) => node.id));
    if (step) designer.focusField(step.node, step.field);
  }, [search]);

  useEffect(() => {
    if (flowId !== null) fetchVersions(flowId).then(setVersions).catch(() => undefined);
  }, [flowId, versionsKey]);

  const openVersion = useCallback((number: number) => {
    navigate(`/flows/${flowId}/v/${number}`);
  }, [navigate, flowId]);

  /** Saves the graph as a new version; its number, or null when nothing was saved. */
  const save = useCallback(async (): Promise<number | null> => {
    const state = useDesigner.getState();
    if (!state.canEdit || state.ir.nodes.length === 0 || saving) return null;
    setSaving(true);
    try {
      const ir = designer.irForSave();
      let id: number;
      let saved: VersionSummary;
      if (flowId === null) {
        // The draft's first save makes the flow.
        const created = await createFlow(ir);
        ({ flowId: id, version: saved } = created);
        designer.markCreated(id, created.flowName, saved.number, ir);
      } else {
        id = flowId;
        saved = await saveVersion(flowId, ir, state.version);
        designer.markSaved(saved.number, ir);
      }
      rememberLatestVersion(id, saved.number);
      designer.toast(saved.is_valid ? `Saved as version ${saved.number}.` : `Saved version ${saved.number} as a draft with ${countOf(saved.validation_errors.length, "problem")}: fix ${saved.validation_errors.length === 1 ? "it" : "them"} to run it.`, saved.is_valid ? "success" : "info");
      setVersionsKey((key) => key + 1);
      navigate(`/flows/${id}/v/${saved.number}`, { replace: true, state: { saved: true } });
      return saved.number;
    } catch (error) {
      designer.toast(`Could not save: ${(error as Error).message}`, "error");
      return null;
    } finally {
      setSaving(false);
    }
  }, [flowId, navigate, saving]);

  /** The version whose run is being started here (its input form over the canvas). */
  const [starting, setStarting] = useState<{ flowId: number; version: number } | null>(null);

  /** Runs what the person sees: unsaved changes are saved as a version first. A flow with
   *  problems would be refused: it stays here, with the first problem shown, and nothing is
   *  saved (the run dialog would only say to come back and fix it). The run's input form
   *  opens over the designer (none when the flow takes no input); once started, the run's
   *  own page shows it live. */
  const run = useCallback(async () => {
    const before = useDesigner.getState();
    if (blockedRun(before)) return;
    const unsaved = (before.dirty || before.flowId === null) && before.canEdit;
    const number = unsaved ? await save() : before.version;
    const id = useDesigner.getState().flowId;
    if (number === null || id === null) return;
    setStarting({ flowId: id, version: number });
  }, [save]);

  /** Where a clicked palette block goes: right of the selection, else the middle of the view. */
  const placeNew = useCallback((): Position => {
    const { ir, selection, layoutPositions } = useDesigner.getState();
    const boxes = ir.nodes.flatMap((node) => {
      const q = node.position ?? layoutPositions[node.id];
      return q ? [{ x: q.x, y: q.y, height: nodeHeight(node) }] : [];
    });
    let position: Position;
    const anchor = selection.length === 1 ? positionOf(selection[0]) : undefined;
    if (anchor) {
      // Level with the handle it will hang from (a branch's arm sits lower on the card).
      const source = ir.nodes.find((node) => node.id === selection[0]);
      const arm = source && followingArm(source);
      const handles = source ? nodeHandles(source) : [];
      const from = handles.find((handle) => handle.id === arm);
      const into = handles.find((handle) => handle.id === "in");
      const drop = from && into ? from.y - into.y : 0;
      position = { x: anchor.x + NODE_WIDTH + 90, y: anchor.y + drop };
    } else {
      const box = canvasBox.current?.getBoundingClientRect();
      const centre = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
      position = { x: Math.round(centre.x - NODE_WIDTH / 2), y: Math.round(centre.y - 30) };
    }
    return firstFreeSpot(position, boxes, NEW_CARD_HEIGHT);
  }, [flow]);

  /** The view before the inspector's column made the canvas pan to a selected node, the
   *  view that pan left, and the flow's steps then (stepsKey; "" once a step was added and
   *  the view moved to it): when the inspector closes and nobody moved the view since, the
   *  graph goes back where the person left it instead of staying shifted half off the
   *  canvas, or, when steps came or went meanwhile, shows the whole flow as it is now. */
  const panned = useRef<{ before: Viewport; after: Viewport; steps: string } | null>(null);

  /** Pan (and zoom out if needed) so the box around `p` (and `q`), a step just added, is
   *  inside the canvas. */
  const revealBox = useCallback((p: Position, q?: Position) => {
    const element = canvasBox.current?.querySelector(".designer-canvas");
    if (!element) return;
    const width = element.clientWidth;
    const height = element.clientHeight;
    const margin = 48;
    const minX = Math.min(p.x, q?.x ?? p.x);
    const minY = Math.min(p.y, q?.y ?? p.y);
    const maxX = Math.max(p.x, q?.x ?? p.x) + NODE_WIDTH;
    const maxY = Math.max(p.y, q?.y ?? p.y) + 120;
    const viewport = flow.getViewport();
    const zoom = Math.min(viewport.zoom, (width - 2 * margin) / (maxX - minX), (height - 2 * margin) / (maxY - minY));
    let { x, y } = viewport;
    if (zoom !== viewport.zoom) {
      x = margin - minX * zoom;
      y = margin - minY * zoom;
    } else {
      if (minX * zoom + x < margin) x = margin - minX * zoom;
      if (maxX * zoom + x > width - margin) x = width - margin - maxX * zoom;
      if (minY * zoom + y < margin) y = margin - minY * zoom;
      if (maxY * zoom + y > height - margin) y = height - margin - maxY * zoom;
    }
    ({ x, y } = clearOfMinimap(element, { minX, minY, maxX, maxY }, { x, y, zoom }, margin));
    if (x !== viewport.x || y !== viewport.y || zoom !== viewport.zoom) {
      panned.current = { before: panned.current?.before ?? viewport, after: { x, y, zoom }, steps: "" };
      void flow.setViewport({ x, y, zoom }, viewEase(200));
    }
  }, [flow]);

  /** Keep the selected card and the cards it is wired to in view, moving the view as little
   *  as that needs (the inspector's column may have covered them). */
  const revealSelected = useCallback((id: string) => {
    const element = canvasBox.current?.querySelector(".designer-canvas");
    const { ir } = useDesigner.getState();
    const boxOf = (nodeId: string): Box | null => {
      const at = positionOf(nodeId);
      const irNode = ir.nodes.find((candidate) => candidate.id === nodeId);
      return at && irNode ? { minX: at.x, minY: at.y, maxX: at.x + NODE_WIDTH, maxY: at.y + nodeHeight(irNode) } : null;
    };
    const must = boxOf(id);
    if (!element || !must) return;
    const neighbours = flow.getEdges().flatMap((edge) => (edge.source === id ? [edge.target] : edge.target === id ? [edge.source] : []));
    const boxes = neighbours.map(boxOf).filter((box): box is Box => box !== null);
    const viewport = flow.getViewport();
    const width = element.clientWidth;
    const height = element.clientHeight;
    const revealed = revealViewport(viewport, width, height, must, boxes);
    // The view starts at a column and a row where that keeps the step in view: no card cut
    // in half at the canvas's edge beside the inspector.
    const cards = flow.getNodes().map((node) => ({ ...node.position, width: NODE_WIDTH, height: nodeHeight(node.data.node) }));
    const keep = { x: must.minX, y: must.minY, width: must.maxX - must.minX, height: must.maxY - must.minY };
    const next = wholeCardsView(clearOfMinimap(element, must, revealed, 40), cards, keep, width, height);
    if (Math.abs(next.x - viewport.x) < 0.5 && Math.abs(next.y - viewport.y) < 0.5 && next.zoom === viewport.zoom) return;
    panned.current = { before: panned.current?.before ?? viewport, after: next, steps: panned.current?.steps ?? stepsKey() };
    void flow.setViewport(next, viewEase(200));
  }, [flow]);

  /** The canvas made its view for the room the inspector left: the view from before is the
   *  one put back when the inspector closes (unless the person moves the view meanwhile). */
  const dockedForPick = useCallback((before: Viewport, after: Viewport) => {
    panned.current = { before: panned.current?.before ?? before, after, steps: panned.current?.steps ?? stepsKey() };
  }, []);

  /** A card dragged is selected as the drag starts: the inspector then takes its column
   *  while the card still moves, and a card let go by the canvas's edge stayed cut under
   *  it. Once let go, the selected one is brought whole into view. */
  const revealDropped = useCallback((ids: string[]) => {
    const { selection } = useDesigner.getState();
    const picked = selection.length === 1 ? selection[0] : null;
    if (!picked || !ids.includes(picked)) return;
    requestAnimationFrame(() => revealSelected(picked));
  }, [revealSelected]);

  // The inspector takes its column from the canvas when a node is selected: keep that node
  // and its neighbours in view.
  // Two frames on: the canvas has refitted its view to the room the inspector left (its
  // resize observer runs after the first frame's callbacks), and this starts from that view.
  useEffect(() => {
    if (!selected) return;
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => revealSelected(selected));
    });
    return () => cancelAnimationFrame(frame);
  }, [selected, inspecting, revealSelected]);

  useEffect(() => {
    if (inspecting || !panned.current) return;
    const { before, after, steps } = panned.current;
    panned.current = null;
    const now = flow.getViewport();
    const untouched = Math.abs(now.x - after.x) < 1 && Math.abs(now.y - after.y) < 1 && Math.abs(now.zoom - after.zoom) < 1e-3;
    if (!untouched) return;
    if (steps === stepsKey()) {
      void flow.setViewport(before, viewEase(200));
      return;
    }
    // Steps were added (or deleted) meanwhile: the view from before would not show the flow
    // as it is now. The whole flow when it reads whole, else the view stays on the new step.
    const element = canvasBox.current?.querySelector(".designer-canvas");
    if (!element) return;
    const cards = flow.getNodes().map((node) => ({ ...node.position, width: NODE_WIDTH, height: nodeHeight(node.data.node) }));
    const whole = canvasStartView(cards, element.clientWidth, element.clientHeight);
    if (showsAll(cards, whole, element.clientWidth, element.clientHeight)) void flow.setViewport(whole, viewEase(200));
  }, [inspecting, flow]);

  const add = useCallback((drop: PaletteDrop, position?: Position) => {
    const { selection, ir } = useDesigner.getState();
    const anchor = selection.length === 1 ? positionOf(selection[0]) : undefined;
    const node = newNode(ir, drop.type, position ?? placeNew(), drop.tool, toolName(tools, drop));
    // A block clicked (not dropped) while one step is selected follows that step, as in n8n.
    if (!position && selection.length === 1) designer.addNodeAfter(node, selection[0]);
    else designer.addNode(node);
    // Keep the new node (and the node it was placed beside) in view, panning as little as possible.
    if (!position) requestAnimationFrame(() => revealBox(node.position!, anchor));
    return node;
  }, [placeNew, revealBox, tools]);

  /** A connection let go on empty canvas: the picker of what comes next, where it ended. */
  const [loose, setLoose] = useState<LooseConnection | null>(null);
  const addConnected = useCallback((drop: PaletteDrop) => {
    if (!loose) return;
    setLoose(null);
    // Added and connected in one step: one undo takes both away.
    const node = newNode(useDesigner.getState().ir, drop.type, loose.position, drop.tool, toolName(tools, drop));
    designer.addNodeAfter(node, loose.source, loose.handle ?? "out");
    requestAnimationFrame(() => revealBox(loose.position));
  }, [loose, revealBox, tools]);
  useEffect(() => {
    if (!loose) return;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setLoose(null);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [loose]);

  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const hotkeys = useMemo(() => ({
    save: () => void save(),
    pastePosition: () => {
      const box = canvasBox.current?.getBoundingClientRect();
      if (!box) return undefined;
      return flow.screenToFlowPosition({ x: box.left + box.width / 3, y: box.top + box.height / 3 });
    },
    deleteSelection: () => {
      const { selection, selectedEdges } = useDesigner.getState();
      if (selection.length) {
        designer.deleteNodes(selection);
        return;
      }
      const edges = flow.getEdges().filter((edge) => selectedEdges.includes(edge.id));
      const problem = designer.deleteEdges(edges);
      if (problem) designer.toast(problem, "error");
    },
    selectAll: () => designer.select(useDesigner.getState().ir.nodes.map((node) => node.id)),
    showShortcuts: () => setShortcutsOpen(true),
  }), [save, flow]);
  useHotkeys(hotkeys);

  const exportIr = useCallback(() => {
    const ir = designer.irForSave();
    const blob = new Blob([JSON.stringify(ir, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `${(ir.name || "flow").toLowerCase().replace(/[^a-z0-9]+/g, "-")}${version ? `-v${version}` : ""}.json`;
    link.click();
    URL.revokeObjectURL(url);
  }, [version]);

  const versionsShown = versionsOpen && flowId !== null;
  const panels = openPanels({ refine: refineOpen, versions: versionsShown, inspector: inspecting });
  const shown = shownPanel(panels, front);
  const sideOpen = panels.length > 0;
  /** A toolbar button's click: opens its panel in front, brings it forward, or closes it. */
  const toggle = (panel: SidePanel, setOpen: (open: boolean) => void) => {
    const action = toggleAction(panel, panels, front);
    if (action !== "close") setFront(panel);
    if (action !== "front") setOpen(action === "open");
  };
  const sideTabs: Record<SidePanel, { label: string; icon: "sparkles" | "history" | "settings" }> = {
    inspector: { label: inspectorLabel(settingsOpen, selectedCount), icon: "settings" },
    refine: { label: "Refine", icon: "sparkles" },
    versions: { label: "Versions", icon: "history" },
  };
  return (
    <div className="designer" data-testid="designer">
      <UnsavedGuard when={dirty} />
      <Toolbar
        versions={versions}
        saving={saving}
        onSave={() => void save()}
        onOpenVersion={openVersion}
        onToggleVersions={() => toggle("versions", (open) => {
          setVersionsOpen(open);
          if (open) setRefineOpen(false);
        })}
        onToggleRefine={() => toggle("refine", (open) => {
          setRefineOpen(open);
          if (open) setVersionsOpen(false);
        })}
        onToggleSettings={() => toggle("inspector", (open) => designer.setSettingsOpen(open))}
        onRun={() => void run()}
        onExport={exportIr}
        onShowShortcuts={() => setShortcutsOpen(true)}
        versionsOpen={versionsShown}
        refineOpen={refineOpen}
        sideShown={shown}
      />
      <div className={`designer-body${sideOpen ? " inspecting" : ""}`}>
        <Palette tools={tools} categories={categories} onAdd={(drop) => add(drop)} disabled={!useDesigner.getState().canEdit} />
        <div className="designer-centre" ref={canvasBox}>
          {/* The canvas and what floats on it: the hint sits at the canvas's foot, above the
              problems panel however tall that grows (it was placed from the page's foot and
              covered the panel's head once it listed three problems). */}
          <div className="designer-stage">
            <Canvas onDropNode={add} onLooseConnection={(connection) => useDesigner.getState().canEdit && setLoose(connection)} onDockedForPick={dockedForPick} onDragEnd={revealDropped} />
            {lone && !loose && (
              <div className="canvas-hint" data-testid="canvas-hint">
                Add the next step from the palette, or drag from a card’s right-hand dot and let go on the canvas.
              </div>
            )}
          </div>
          {loose && (
            <div className="quick-add-backdrop" onMouseDown={(event) => event.target === event.currentTarget && setLoose(null)} data-testid="quick-add">
              <div
                className="quick-add-panel"
                role="dialog"
                aria-label="Add a connected step"
                style={{
                  left: Math.max(8, Math.min(loose.screen.x + 8, window.innerWidth - 308)),
                  top: Math.max(8, Math.min(loose.screen.y - 20, window.innerHeight - 428)),
                }}
              >
                <div className="quick-add-title">Add a step after <code>{loose.source}</code>{loose.handle && loose.handle !== "out" ? <> · {loose.handle}</> : null}</div>
                <Palette tools={tools} categories={categories} onAdd={addConnected} idPrefix="quick-add" autoFocus />
              </div>
            </div>
          )}
          {empty && (
            <div className="canvas-empty">
              <Icon name="plus" size={22} />
              <h2>Start your flow</h2>
              <p>Click a tool or block in the palette, or drag it here.</p>
            </div>
          )}
          <ProblemsPanel />
          <Toast />
          {shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />}
          {starting && (
            <Suspense fallback={null}>
              <StartRunDialog flowId={starting.flowId} version={starting.version} fromRun={null} onClose={() => setStarting(null)} startAtOnce />
            </Suspense>
          )}
        </div>
        {sideOpen && (
          // Refine, the versions and the inspector share the column beside the canvas (they
          // cover no card): one at a time at its full height, the others open as tabs over it.
          <div className="designer-side" data-testid="designer-side" data-shown={shown ?? undefined}>
            {panels.length > 1 && (
              <div className="tabs side-tabs" role="tablist" aria-label="Side panels">
                {panels.map((panel) => (
                  <button
                    key={panel}
                    type="button"
                    role="tab"
                    aria-selected={panel === shown}
                    data-testid={`side-tab-${panel}`}
                    onClick={() => setFront(panel)}
                  >
                    <Icon name={sideTabs[panel].icon} size={13} /> {sideTabs[panel].label}
                  </button>
                ))}
              </div>
            )}
            {/* Refine and the versions stay mounted behind another tab: the instruction, its
                preview and the versions compared are kept. */}
            {refineOpen && (
              <div className="side-pane" role={panels.length > 1 ? "tabpanel" : undefined} hidden={shown !== "refine"}>
                <RefinePanel onClose={() => setRefineOpen(false)} />
              </div>
            )}
            {versionsShown && (
              <div className="side-pane" role={panels.length > 1 ? "tabpanel" : undefined} hidden={shown !== "versions"}>
              <VersionsDrawer
                flowId={flowId}
                current={version}
                refreshKey={versionsKey}
                onClose={() => setVersionsOpen(false)}
                onOpen={(number) => {
                  setVersionsKey((key) => key + 1);
                  navigate(`/flows/${flowId}/v/${number}`, { state: useDesigner.getState().version === number ? { saved: true } : null });
                }}
              />
              </div>
            )}
            {inspecting && shown === "inspector" && <Inspector />}
          </div>
        )}
      </div>
    </div>
  );
}
