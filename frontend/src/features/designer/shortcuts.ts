// The designer's keyboard shortcuts as people read them: one list, shown by the shortcuts
// dialog (the `?` key), kept beside useHotkeys, which implements them.

export interface Shortcut {
  /** Each way to press it; each a list of keys pressed together. */
  keys: string[][];
  does: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: [["Ctrl", "S"]], does: "Save a new version" },
  { keys: [["Ctrl", "Z"]], does: "Undo" },
  { keys: [["Ctrl", "Shift", "Z"], ["Ctrl", "Y"]], does: "Redo" },
  { keys: [["Delete"], ["Backspace"]], does: "Delete the selected steps" },
  { keys: [["Ctrl", "A"]], does: "Select every step" },
  { keys: [["Shift", "drag"]], does: "Select the steps in a box" },
  { keys: [["Ctrl", "C"], ["Ctrl", "X"], ["Ctrl", "V"]], does: "Copy, cut and paste steps (into another flow too)" },
  { keys: [["Ctrl", "Space"]], does: "Suggest names in an expression" },
  { keys: [["{{"]], does: "In a text, insert a value from the run input or an earlier step" },
  { keys: [["Escape"]], does: "Close the inspector or settings" },
  { keys: [["?"]], does: "Show these shortcuts" },
];

/** "Ctrl" reads "⌘" on a Mac, as its shortcuts are pressed there. */
export function keyLabel(key: string, mac: boolean): string {
  return mac && key === "Ctrl" ? "⌘" : key;
}
