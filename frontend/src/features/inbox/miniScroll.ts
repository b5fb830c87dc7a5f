// Where the step page's mini graph scrolls to on opening: a long flow's graph is taller than
// its box, and the step to decide may sit far down it (n8n and Dify open their canvases on
// the node a person came for).

/** The scroll offset along one axis that centres the span `start`..`start + size` in a
 * box `view` long over content `total` long, kept within what can be scrolled; none while
 * the span shows unscrolled (centring it would cut the flow's first steps at the box's
 * top, for a box a step too short: what is cut is then below, where one scrolls on to). */
export function centredScroll(start: number, size: number, view: number, total: number): number {
  if (start + size <= view) return 0;
  const most = Math.max(0, total - view);
  return Math.round(Math.min(most, Math.max(0, start + size / 2 - view / 2)));
}
