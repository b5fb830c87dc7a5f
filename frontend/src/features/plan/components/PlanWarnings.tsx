// What the server says about how a request was planned, though nothing failed (the LLM
// planner asked for where none is configured: planned offline). Quiet: an aside, not an error.
import type { PlanWarning } from "../api";

/** The words shown for a warning the page knows; else the server's own message. */
const WORDS: Record<string, string> = {
  llm_unavailable: "Planned with the offline planner: the LLM planner was asked for, but no model is configured on this server.",
};

export function planWarningText(warning: PlanWarning): string {
  return WORDS[warning.code] ?? warning.message;
}

export function PlanWarnings({ warnings }: { warnings: readonly PlanWarning[] | undefined }) {
  if (!warnings?.length) return null;
  return (
    <div className="plan-notice" role="status" data-testid="plan-warnings">
      <span className="plan-notice-icon" aria-hidden>i</span>
      <ul>
        {warnings.map((warning) => (
          <li key={warning.code} data-testid={`plan-warning-${warning.code}`} title={warning.message}>{planWarningText(warning)}</li>
        ))}
      </ul>
    </div>
  );
}
