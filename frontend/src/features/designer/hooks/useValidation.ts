// Live validation: 400 ms after the IR stops changing, POST /api/v1/validate/; answers for
// an IR that has since changed are dropped.
import { useEffect } from "react";
import { validateIr } from "../api";
import { designer, useDesigner } from "../store";

export const VALIDATE_DELAY_MS = 400;

export function useValidation(enabled: boolean) {
  const ir = useDesigner((state) => state.ir);
  useEffect(() => {
    if (!enabled || ir.nodes.length === 0) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      const sent = designer.irForSave();
      validateIr(sent, controller.signal)
        .then((result) => {
          if (useDesigner.getState().ir === ir) designer.setIssues(result.errors, ir, result.warnings ?? []);
        })
        .catch((error: unknown) => {
          if ((error as Error).name !== "AbortError") console.warn("validation failed", error);
        });
    }, VALIDATE_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [ir, enabled]);
}
