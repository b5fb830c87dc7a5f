// Moving cards from one layout to another over a few frames instead of in one jump: the
// designer draws a quick layout at once and eases into ELK's when it arrives.
import type { Position } from "./types";

/** Ease-in-out (cubic): starts and ends gently, so the move reads as one motion. */
export function easeInOut(t: number): number {
  const clamped = Math.min(1, Math.max(0, t));
  return clamped < 0.5 ? 4 * clamped ** 3 : 1 - (-2 * clamped + 2) ** 3 / 2;
}

/**
 * The positions `t` (0 to 1, eased) of the way from `from` to `to`. Nodes only in `to`
 * stand at their target throughout; nodes only in `from` are left out.
 */
export function tweenPositions(
  from: Readonly<Record<string, Position>>,
  to: Readonly<Record<string, Position>>,
  t: number,
): Record<string, Position> {
  const k = easeInOut(t);
  const out: Record<string, Position> = {};
  for (const [id, target] of Object.entries(to)) {
    const start = from[id];
    out[id] = start
      ? { x: Math.round(start.x + (target.x - start.x) * k), y: Math.round(start.y + (target.y - start.y) * k) }
      : target;
  }
  return out;
}

/** Whether any node would move by at least a pixel. */
export function positionsDiffer(a: Readonly<Record<string, Position>>, b: Readonly<Record<string, Position>>): boolean {
  const ids = Object.keys(b);
  if (ids.length !== Object.keys(a).length) return true;
  return ids.some((id) => !a[id] || Math.abs(a[id].x - b[id].x) >= 1 || Math.abs(a[id].y - b[id].y) >= 1);
}

/** How long cards take to move from a quick layout to ELK's. */
export const EASE_MS = 260;

/** The person asked the system for less motion: layouts change in one step. */
export function prefersReducedMotion(): boolean {
  return typeof window !== "undefined" && typeof window.matchMedia === "function"
    && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/** How the view moves over `ms`: eased, or in one step when the person prefers less motion
 * (for React Flow's setViewport and fitView). */
export function viewEase(ms: number = EASE_MS): { duration: number } | undefined {
  return prefersReducedMotion() ? undefined : { duration: ms };
}

/** Asks for `step` on the next frame, with the frame's time (requestAnimationFrame). */
export type FrameScheduler = (step: (now: number) => void) => void;

/**
 * Moves cards from `from` to `to` over `duration` ms: `onFrame` is given each frame's
 * positions, and `done` true with `to` itself on the last (at once when the person prefers
 * less motion). Returns a function that stops the move where it is.
 */
export function animatePositions(
  from: Readonly<Record<string, Position>>,
  to: Readonly<Record<string, Position>>,
  onFrame: (positions: Record<string, Position>, done: boolean) => void,
  { duration = EASE_MS, schedule = defaultScheduler(), now = () => performance.now() }: {
    duration?: number;
    schedule?: FrameScheduler;
    now?: () => number;
  } = {},
): () => void {
  let stopped = false;
  if (duration <= 0 || prefersReducedMotion()) {
    onFrame({ ...to }, true);
    return () => {};
  }
  const started = now();
  const step = (time: number) => {
    if (stopped) return;
    const t = Math.min(1, (time - started) / duration);
    onFrame(t < 1 ? tweenPositions(from, to, t) : { ...to }, t >= 1);
    if (t < 1) schedule(step);
  };
  schedule(step);
  return () => {
    stopped = true;
  };
}

function defaultScheduler(): FrameScheduler {
  return (step) => requestAnimationFrame(step);
}
