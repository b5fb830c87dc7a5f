// A paragraph that may run long (a flow's description): its first lines, and "Show more"
// for the rest, so a long one does not push the form it introduces out of view.
import { useState } from "react";

/** Longer than this, or on more lines than CLAMP_LINES, it is clamped. */
export const CLAMP_CHARS = 220;
export const CLAMP_LINES = 3;

export function needsClamp(text: string): boolean {
  return text.length > CLAMP_CHARS || text.split("\n").length > CLAMP_LINES;
}

export function ClampedText({ text, className, testId }: { text: string; className?: string; testId?: string }) {
  const [open, setOpen] = useState(false);
  const clamp = needsClamp(text);
  return (
    <div className={`clamped${clamp && !open ? " is-clamped" : ""}${className ? ` ${className}` : ""}`} data-testid={testId}>
      <p className="clamped-text" style={clamp && !open ? { WebkitLineClamp: CLAMP_LINES } : undefined}>{text}</p>
      {clamp && (
        <button type="button" className="btn ghost small clamped-toggle" aria-expanded={open} onClick={() => setOpen(!open)} data-testid={testId && `${testId}-toggle`}>
          {open ? "Show less" : "Show more"}
        </button>
      )}
    </div>
  );
}
