// The node details panel beside the run graph (not over it): the graph keeps the rest of
// the card. Its left edge is a handle: dragged, or focused and moved with the arrow keys,
// it makes the panel wider or narrower (a double click, or Home, puts it back); the width is
// kept for the next run opened.
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { clampPanelWidth } from "./paneView";

const KEY = "dynamicflow:run-panel-width";
const DEFAULT_WIDTH = 400;
/** An arrow key's step, in pixels (Shift: four of them). */
const STEP = 24;

function savedWidth(): number {
  try {
    const saved = Number(localStorage.getItem(KEY));
    return Number.isFinite(saved) && saved > 0 ? saved : DEFAULT_WIDTH;
  } catch {
    return DEFAULT_WIDTH;
  }
}

function saveWidth(width: number) {
  try {
    localStorage.setItem(KEY, String(width));
  } catch {
    // storage refused (private mode, full): the width lasts for this page only
  }
}

export function NodeDrawer({ children }: { children: ReactNode }) {
  const aside = useRef<HTMLElement>(null);
  const [wanted, setWanted] = useState(savedWidth);
  const [room, setRoom] = useState<number | null>(null);
  // The card the panel shares with the graph: its width bounds the panel's.
  useEffect(() => {
    const card = aside.current?.parentElement;
    if (!card) return;
    const measure = () => setRoom(card.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(card);
    return () => observer.disconnect();
  }, []);
  const width = room === null ? wanted : clampPanelWidth(wanted, room);
  const resize = useCallback((next: number) => {
    const clamped = room === null ? next : clampPanelWidth(next, room);
    setWanted(clamped);
    saveWidth(clamped);
  }, [room]);

  const onPointerDown = (event: React.PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const startX = event.clientX;
    const startWidth = width;
    const move = (e: PointerEvent) => resize(startWidth + (startX - e.clientX));
    const up = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
      handle.removeEventListener("pointercancel", up);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
    handle.addEventListener("pointercancel", up);
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? STEP * 4 : STEP;
    if (event.key === "ArrowLeft") resize(width + step);
    else if (event.key === "ArrowRight") resize(width - step);
    else if (event.key === "Home") resize(DEFAULT_WIDTH);
    else return;
    event.preventDefault();
  };

  return (
    <aside className="node-drawer" aria-label="Node details" ref={aside} style={{ width }} data-testid="node-drawer">
      <div
        className="node-drawer-handle"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the node details"
        aria-valuenow={width}
        tabIndex={0}
        title="Drag to resize (or focus and use ← →); double-click for the usual width"
        onPointerDown={onPointerDown}
        onDoubleClick={() => resize(DEFAULT_WIDTH)}
        onKeyDown={onKeyDown}
        data-testid="node-drawer-handle"
      />
      <div className="node-drawer-body">{children}</div>
    </aside>
  );
}
