// Why a plan failed, in the planner's words: the message, the step it could not map (with
// the closest tools it considered) and the validator's issues.
import type { PlanFailure } from "../planEvents";
import { CodeText } from "../../../lib/CodeText";
import { IssueList } from "./PlanTimeline";

interface Props {
  failure: PlanFailure;
  onEdit: () => void;
  /** Opens the designer on an unsaved draft described by the prompt. */
  onBuildByHand: () => void;
  /** Where the viewer may register a tool (staff: the admin's page), offered when a step
   * matched no tool; it opens in another tab, so the prompt here stays to plan again. */
  registerToolUrl?: string | null;
}

export function PlanErrorPanel({ failure, onEdit, onBuildByHand, registerToolUrl }: Props) {
  const canRegister = Boolean(registerToolUrl && failure.step);
  return (
    <div className="plan-error" role="alert" data-testid="plan-error">
      <div className="plan-error-head">
        <span className="plan-error-icon" aria-hidden>!</span>
        <div>
          <h2>The planner could not build this flow</h2>
          <p data-testid="plan-error-message"><CodeText text={failure.message} /></p>
        </div>
      </div>
      {failure.step && (
        <div className="plan-error-step" data-testid="plan-error-step">
          <span className="picker-label">Step it could not map</span>
          <q>{failure.step}</q>
          {failure.candidates.length > 0 && (
            <span className="muted small">
              Closest tools:{" "}
              {failure.candidates.map((candidate, index) => (
                <span key={candidate.tool}>
                  {index > 0 && ", "}
                  <code>{candidate.tool}</code>
                  {candidate.score !== null && <span className="muted"> ({candidate.score.toFixed(1)})</span>}
                </span>
              ))}
            </span>
          )}
        </div>
      )}
      {failure.issues.length > 0 && <IssueList issues={failure.issues} />}
      <div className="plan-error-actions">
        <span className="muted small">
          Your prompt is kept: rephrase the step with words from a tool&apos;s name or description, pick tools,
          {canRegister ? " register a tool that does it (then plan again)," : ""} or build the flow by hand in the designer.
        </span>
        <div className="plan-error-buttons">
          <button type="button" className="btn small" onClick={onEdit}>Edit the prompt</button>
          <button type="button" className="btn small" onClick={onBuildByHand} data-testid="plan-build-by-hand"
            title="A draft with your prompt as its description, to build in the designer; it becomes a flow when you save it">
            Build it by hand
          </button>
          {canRegister && (
            <a className="btn small" href={registerToolUrl!} target="_blank" rel="noopener noreferrer" data-testid="plan-register-tool"
              title="Register a tool in the admin (a new tab); then plan the prompt again">
              Register a tool ↗
            </a>
          )}
        </div>
      </div>
    </div>
  );
}
