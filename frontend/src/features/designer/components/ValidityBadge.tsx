// The toolbar's verdict on the flow: "Valid", "Valid · 2 warnings" or "3 problems", and,
// while an edit waits for the validator, a fading "Checking your edit…" rather than the
// verdict of the flow as it was before the edit.
import { HEALTH_BADGE, healthOf, problemsSummary, validLabel } from "../../../lib/health";
import { countOf } from "../../../lib/plural";
import { useDesigner } from "../store";
import { awaitingCheck } from "../validityCheck";

export function ValidityBadge() {
  const empty = useDesigner((state) => state.ir.nodes.length === 0);
  // No badge while the flow on screen could not be checked (the problems panel says why).
  const problems = useDesigner((state) => (state.validatedIr && !(state.validationFailure && state.validatedIr !== state.ir) ? state.issues.length : null));
  const warnings = useDesigner((state) => state.warnings.length);
  const checking = useDesigner((state) => !state.validationFailure && awaitingCheck(state.validatedIr, state.ir));
  if (empty || problems === null) return null;
  if (checking) {
    return (
      <span className="badge validity-checking" data-testid="validity" data-level="checking" role="status" title="The validator is checking the flow as it is now">
        Checking your edit…
      </span>
    );
  }
  const level = healthOf(problems, warnings);
  return (
    <span className={`badge ${HEALTH_BADGE[level]}`} data-testid="validity" data-level={level} title={problemsSummary(problems, warnings)}>
      {problems ? countOf(problems, "problem") : validLabel(warnings)}
    </span>
  );
}
