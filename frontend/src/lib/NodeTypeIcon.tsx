// The one icon for each node type, on every page that draws a node (the designer's canvas and
// palette, the run graph, a node's details), so a step looks the same wherever it is shown.
// Its colour is the type's --node-<type> variable (app/theme.css). Inline SVG: nothing loaded.
import type { CSSProperties } from "react";

export const NODE_TYPE_PATHS: Record<string, string> = {
  tool: "M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.4-.6-.6-2.4z",
  branch: "M6 3v12M18 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM18 9a9 9 0 0 1-9 9",
  switch: "M4 12h6M10 12l4-6h6M10 12l4 6h6M10 12h10",
  map: "M12 3l9 5-9 5-9-5 9-5zM3 13l9 5 9-5M3 17.5l9 5 9-5",
  approval: "M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM16 11l2 2 4-4",
  value: "M8 3H7a2 2 0 0 0-2 2v5a2 2 0 0 1-2 2 2 2 0 0 1 2 2v5a2 2 0 0 0 2 2h1M16 3h1a2 2 0 0 1 2 2v5a2 2 0 0 0 2 2 2 2 0 0 0-2 2v5a2 2 0 0 1-2 2h-1",
  output: "M4 15s1-1 4-1 5 2 8 2 4-1 4-1V3s-1 1-4 1-5-2-8-2-4 1-4 1zM4 22v-7",
  llm: "M12 3l1.9 5.1L19 10l-5.1 1.9L12 17l-1.9-5.1L5 10l5.1-1.9zM19 15l.9 2.1L22 18l-2.1.9L19 21l-.9-2.1L16 18l2.1-.9z",
};

export function NodeTypeIcon({ type, size = 16 }: { type: string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor"
      strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable="false"
      data-node-icon={NODE_TYPE_PATHS[type] ? type : "tool"}>
      <path d={NODE_TYPE_PATHS[type] ?? NODE_TYPE_PATHS.tool} />
    </svg>
  );
}

/** The style that gives an element its node type's colour as --kind. */
export function kindStyle(type: string): CSSProperties {
  return { "--kind": `var(--node-${NODE_TYPE_PATHS[type] ? type : "tool"})` } as CSSProperties;
}
