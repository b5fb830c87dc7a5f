// Where the step page's mini graph scrolls to on opening: a long flow's graph is taller than
// its box, and the step to decide may sit far down it (n8n and Dify open their canvases on
// the node a person came for).

/** The scroll offset along one axis that centres the span `start`..`start + size` in a
 * box `view` long over content `total` long, kept within what can be scrolled. */
export function centredScroll(start: number, size: number, view: number, total: number): number {
  const most = Math.max(0, total - view);
  return Math.round(Math.min(most, Math.max(0, start + size / 2 - view / 2)));
}
