// Work that can wait until the browser has nothing better to do (after the first paint,
// between frames), with a deadline so it still happens on a page that never goes idle.

/** Runs `task` when the browser is next idle, or after `timeoutMs` at the latest; returns a
 * cancel function. Browsers without requestIdleCallback (Safari) wait for the timeout's
 * turn in the task queue after the first frame instead. */
export function whenIdle(task: () => void, timeoutMs = 2000): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const handle = window.requestIdleCallback(() => task(), { timeout: timeoutMs });
    return () => window.cancelIdleCallback(handle);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(task, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}
