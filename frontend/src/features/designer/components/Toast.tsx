// The designer's one transient message (refused connections, pastes, saves).
import { useEffect } from "react";
import { designer, useDesigner } from "../store";

export function Toast() {
  const toast = useDesigner((state) => state.toast);
  useEffect(() => {
    if (!toast) return;
    const timer = window.setTimeout(() => designer.clearToast(toast.id), toast.kind === "error" ? 5000 : 3000);
    return () => window.clearTimeout(timer);
  }, [toast]);
  if (!toast) return null;
  return (
    <div className={`designer-toast ${toast.kind}`} role={toast.kind === "error" ? "alert" : "status"} data-testid="toast">
      {toast.message}
      <button type="button" aria-label="Dismiss" onClick={() => designer.clearToast(toast.id)}>×</button>
    </div>
  );
}
