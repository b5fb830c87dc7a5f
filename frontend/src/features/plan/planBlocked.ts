// Why the New flow page's plan button cannot be pressed, said beside it rather than left
// greyed out.

/** The reason, or null when the button can be pressed (planning under way says so itself). */
export function planBlockedReason(prompt: string, busy: boolean): string | null {
  if (busy || prompt.trim()) return null;
  return "Describe what the flow should do (or pick an example below) to plan it.";
}
