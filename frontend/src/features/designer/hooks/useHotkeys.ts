// Every keyboard shortcut of the designer in one place (../shortcuts lists them for people):
// delete, undo/redo, save, select all, escape, `?` for that list, and copy/paste of nodes
// through the system clipboard (as JSON of IR nodes, so they paste into another flow's
// designer too).
import { useEffect } from "react";
import type { IrNode } from "../../../graph";
import { countOf } from "../../../lib/plural";
import { designer, useDesigner } from "../store";

export const CLIPBOARD_KIND = "dynamicflow/nodes";

function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element) return false;
  return element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName);
}

/** The clipboard text for the selected nodes. */
export function copiedNodes(): string | null {
  const { ir, selection, layoutPositions } = useDesigner.getState();
  const chosen = new Set(selection);
  // Where each is drawn, saved or laid out: a paste keeps the copied nodes' arrangement.
  const nodes = ir.nodes
    .filter((node) => chosen.has(node.id))
    .map((node) => (node.position || !layoutPositions[node.id] ? node : { ...node, position: layoutPositions[node.id] }));
  return nodes.length ? JSON.stringify({ kind: CLIPBOARD_KIND, nodes }, null, 2) : null;
}

/** IR nodes from clipboard text: our own format, a bare list of nodes, or a whole IR. */
export function parseClipboard(text: string): IrNode[] | null {
  try {
    const data = JSON.parse(text) as unknown;
    const list = Array.isArray(data) ? data : (data as { nodes?: unknown })?.nodes;
    if (!Array.isArray(list) || list.length === 0) return null;
    const ok = list.every((node) => node && typeof node === "object" && typeof (node as IrNode).id === "string" && typeof (node as IrNode).type === "string");
    return ok ? (JSON.parse(JSON.stringify(list)) as IrNode[]) : null;
  } catch {
    return null;
  }
}

interface HotkeyActions {
  save: () => void;
  pastePosition: () => { x: number; y: number } | undefined;
  deleteSelection: () => void;
  selectAll: () => void;
  showShortcuts: () => void;
}

export function useHotkeys(actions: HotkeyActions) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === "s") {
        event.preventDefault();
        actions.save();
        return;
      }
      // Keys pressed in a dialog over the canvas (the run's input form) are the dialog's.
      if (typing(event.target) || (event.target as HTMLElement | null)?.closest?.('[aria-modal="true"]')) return;
      const { canEdit } = useDesigner.getState();
      if (mod && key === "z" && !event.shiftKey) {
        event.preventDefault();
        designer.undo();
      } else if (mod && ((key === "z" && event.shiftKey) || key === "y")) {
        event.preventDefault();
        designer.redo();
      } else if ((event.key === "Delete" || event.key === "Backspace") && canEdit) {
        event.preventDefault();
        actions.deleteSelection();
      } else if (mod && key === "a") {
        event.preventDefault();
        actions.selectAll();
      } else if (event.key === "?" && !mod) {
        event.preventDefault();
        actions.showShortcuts();
      } else if (event.key === "Escape") {
        // Closes what the side panel shows: the selected nodes' inspector or the settings.
        designer.select([]);
        designer.setSettingsOpen(false);
      }
    };
    const onCopy = (event: ClipboardEvent) => {
      if (typing(event.target)) return;
      const text = copiedNodes();
      if (!text || !event.clipboardData) return;
      event.clipboardData.setData("text/plain", text);
      event.preventDefault();
      designer.toast(`Copied ${countOf((JSON.parse(text) as { nodes: unknown[] }).nodes.length, "node")}.`);
    };
    const onCut = (event: ClipboardEvent) => {
      onCopy(event);
      if (event.defaultPrevented && useDesigner.getState().canEdit) actions.deleteSelection();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (typing(event.target) || !useDesigner.getState().canEdit) return;
      const nodes = parseClipboard(event.clipboardData?.getData("text/plain") ?? "");
      if (!nodes) return;
      event.preventDefault();
      const ids = designer.paste(nodes, actions.pastePosition());
      designer.toast(`Pasted ${countOf(ids.length, "node")}: ${ids.join(", ")}.`, "success");
    };
    window.addEventListener("keydown", onKeyDown);
    document.addEventListener("copy", onCopy);
    document.addEventListener("cut", onCut);
    document.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("cut", onCut);
      document.removeEventListener("paste", onPaste);
    };
  }, [actions]);
}
