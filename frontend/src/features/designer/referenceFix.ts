// A one-click fix for an expression that reads a name the flow does not have, when the
// name it meant is plain to see: a run input written without `input.` (`amount > 500` for
// `input.amount > 500`), or a step's id mistyped or in the wrong case (`lookup_usr`).
import { expressionNames, renameInExpression, type FlowIR, type Issue } from "../../graph";

/** Names an expression may read besides the flow's steps. */
const BUILT_IN = new Set(["input", "item", "index", "true", "false", "null"]);

/** How many single-letter edits turn `a` into `b`. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}

/** The step id `name` most likely meant: the same but for case, else one or two letters off. */
function closeStep(name: string, steps: readonly string[]): string | null {
  const lower = name.toLowerCase();
  const sameCase = steps.find((id) => id.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const allowed = name.length > 5 ? 2 : 1;
  const ranked = steps.map((id) => [id, distance(lower, id.toLowerCase())] as const).filter(([, d]) => d <= allowed).sort((a, b) => a[1] - b[1]);
  return ranked.length === 1 || (ranked.length > 1 && ranked[0][1] < ranked[1][1]) ? ranked[0][0] : null;
}

/**
 * `value` with each name it reads that the flow does not have replaced by the one it plainly
 * meant, when the validator reported an unknown name here; null when there is nothing sure
 * to offer. `locals` are names the field binds itself (a map's `item`, a macro's variable).
 */
export function referenceFix(value: string, issues: readonly Issue[], ir: FlowIR, locals: readonly string[] = []): string | null {
  if (!value.trim() || !issues.some((issue) => issue.code === "unknown_reference")) return null;
  const steps = ir.nodes.map((node) => node.id);
  const known = new Set([...BUILT_IN, ...steps, ...locals]);
  const inputs = Object.keys((ir.input_schema?.properties as Record<string, unknown> | undefined) ?? {});
  const renames = new Map<string, string>();
  for (const name of expressionNames(value)) {
    if (known.has(name)) continue;
    const meant = inputs.includes(name) ? `input.${name}` : closeStep(name, steps);
    if (meant) renames.set(name, meant);
  }
  if (renames.size === 0) return null;
  const fixed = renameInExpression(value, renames);
  return fixed === value ? null : fixed;
}
