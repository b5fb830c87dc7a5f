// How a checked flow stands, in one word and one colour, for the problems panel's dot and
// count and the toolbar's badge: errors red (it cannot run), warnings only amber (it runs, but
// may not finish as meant), none green. The flows list says a saved version's the same way.
import { countOf } from "./plural";

export type Health = "bad" | "warned" | "good";

export function healthOf(errors: number, warnings: number): Health {
  return errors ? "bad" : warnings ? "warned" : "good";
}

/** The badge class of each state. */
export const HEALTH_BADGE: Record<Health, string> = { bad: "danger", warned: "warn", good: "ok" };

/** The counts in words, for a tooltip: "1 error, 2 warnings: it cannot run yet". */
export function problemsSummary(errors: number, warnings: number): string {
  if (!errors && !warnings) return "No problems: the flow is valid";
  const parts = [errors ? countOf(errors, "error") : null, warnings ? countOf(warnings, "warning") : null].filter(Boolean);
  return `${parts.join(", ")}: ${errors ? "it cannot run yet" : "it runs, but see the warnings"}`;
}

/** A flow that validates, in the badge's words: "Valid", or "Valid · 2 warnings". */
export function validLabel(warnings: number): string {
  return warnings ? `Valid · ${countOf(warnings, "warning")}` : "Valid";
}
