// "Use input.amount > 500": the expression with the name it plainly meant (referenceFix.ts).
import type { Issue } from "../../../graph";
import { referenceFix } from "../referenceFix";
import { useDesigner } from "../store";

export function ReferenceFix({ value, issues, onChange, shown = (fixed) => fixed }: {
  value: string;
  issues: Issue[];
  onChange: (value: string) => void;
  /** How the fixed value reads in the field (Text mode shows text, not its CEL). */
  shown?: (fixed: string) => string;
}) {
  const ir = useDesigner((state) => state.ir);
  const fixed = referenceFix(value, issues, ir);
  if (!fixed) return null;
  return (
    <div className="insp-assist" data-testid="reference-fix">
      <button type="button" className="insp-chip" onClick={() => onChange(fixed)}>
        Use <code>{shown(fixed)}</code>
      </button>
    </div>
  );
}
