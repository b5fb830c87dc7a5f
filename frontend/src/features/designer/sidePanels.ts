// The designer's right-hand column: Refine, Versions and the inspector (a step, or the
// flow's settings) share it one at a time. When more than one is open they are tabs over
// the column, the one in front shown at the column's full height (they were stacked, each
// squeezed to a part of it); the others keep their place as tabs, one click away.

export type SidePanel = "refine" | "versions" | "inspector";

/** The panels open, in the order of their tabs. */
export function openPanels(open: { refine: boolean; versions: boolean; inspector: boolean }): SidePanel[] {
  const panels: SidePanel[] = [];
  if (open.inspector) panels.push("inspector");
  if (open.refine) panels.push("refine");
  if (open.versions) panels.push("versions");
  return panels;
}

/** The panel shown: the one last brought to the front while it is open, else the first open. */
export function shownPanel(open: SidePanel[], front: SidePanel | null): SidePanel | null {
  if (front && open.includes(front)) return front;
  return open[0] ?? null;
}

/** What a click on a panel's toolbar button does: opens it (in front) when closed, brings it
 *  to the front when open behind another, and closes it when it is the one shown. */
export function toggleAction(panel: SidePanel, open: SidePanel[], front: SidePanel | null): "open" | "front" | "close" {
  if (!open.includes(panel)) return "open";
  return shownPanel(open, front) === panel ? "close" : "front";
}

/** The inspector's tab: the flow's settings, the one step selected, or several steps. */
export function inspectorLabel(settingsOpen: boolean, selected: number): string {
  if (settingsOpen || selected === 0) return "Settings";
  return selected === 1 ? "Step" : `${selected} steps`;
}
