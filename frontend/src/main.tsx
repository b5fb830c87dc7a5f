import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./app/theme.css";
import { App } from "./app/App";
import { whenIdle } from "./lib/idle";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // People open a graph (designer, run) from most pages: start the layout engine's worker
  // once the page has drawn, so the first graph does not wait for it to load.
  whenIdle(() => void import("./graph/elkEngine").then((engine) => engine.warmLayoutEngine()));
}
