// Live validation: 400 ms after the IR stops changing, POST /api/v1/validate/; answers for
// an IR that has since changed are dropped. A check that gets no answer (signed out, the
// server down) is reported to the store, and tried again when the page gets the focus back
// (the person signed in again in another tab) or the person asks.
import { useEffect } from "react";
import { validateIr } from "../api";
import { designer, useDesigner } from "../store";

export const VALIDATE_DELAY_MS = 400;

export function useValidation(enabled: boolean) {
  const ir = useDesigner((state) => state.ir);
  const retry = useDesigner((state) => state.validationRetry);
  const failed = useDesigner((state) => state.validationFailure !== null);
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
          if ((error as Error).name === "AbortError" || controller.signal.aborted) return;
          if (useDesigner.getState().ir === ir) designer.validationFailed((error as Error).message);
        });
    }, VALIDATE_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [ir, enabled, retry]);

  // Back from signing in (another tab) or from starting the server: check again.
  useEffect(() => {
    if (!failed) return;
    const again = () => {
      if (document.visibilityState === "visible") designer.retryValidation();
    };
    window.addEventListener("focus", again);
    document.addEventListener("visibilitychange", again);
    return () => {
      window.removeEventListener("focus", again);
      document.removeEventListener("visibilitychange", again);
    };
  }, [failed]);
}
