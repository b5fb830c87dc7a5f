// Refine by instruction: the refine API edits the IR; the change is previewed as a diff on
// the graph, then accepted (undoable) or discarded.
import { useEffect, useMemo, useRef, useState } from "react";
import { countOf } from "../../../lib/plural";
import { readSession } from "../../../lib/session";
import { refineIr, type RefineResult } from "../api";
import { REFINE_FORMS } from "../refineForms";
import { recentRefinements, refineSuggestions, rememberRefinement } from "../refineSuggestions";
import { designer, useDesigner } from "../store";
import { DiffView } from "./DiffView";
import { Icon } from "./Icon";

const session = readSession();

/** Refine by instruction, docked beside the canvas. With the whole column to itself it
 * offers instructions to click (written for this flow), the ones last previewed here and
 * the forms the planner understands; above an inspector (`compact`), only the form. */
export function RefinePanel({ onClose, compact = false }: { onClose: () => void; compact?: boolean }) {
  const [instruction, setInstruction] = useState("");
  const [planner, setPlanner] = useState(session.defaultPlanner);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<(RefineResult & { base: ReturnType<typeof designer.irForSave> }) | null>(null);
  const flowId = useDesigner((state) => state.flowId);
  const ir = useDesigner((state) => state.ir);
  const suggestions = useMemo(() => refineSuggestions(ir), [ir]);
  const [recent, setRecent] = useState(() => recentRefinements(flowId));
  useEffect(() => setRecent(recentRefinements(flowId)), [flowId]);
  const input = useRef<HTMLTextAreaElement>(null);

  /** Puts `text` in the box to edit or preview (a click on an example or a recent one). */
  const pick = (text: string) => {
    setInstruction(text);
    setError(null);
    const box = input.current;
    if (!box) return;
    box.focus();
    requestAnimationFrame(() => box.setSelectionRange(text.length, text.length));
  };

  const submit = async () => {
    if (!instruction.trim()) return;
    setBusy(true);
    setError(null);
    const base = designer.irForSave();
    try {
      const answer = await refineIr(base, instruction.trim(), planner);
      if (answer.status !== "succeeded" || !answer.ir) {
        setError(answer.error ?? "The planner could not apply this instruction.");
      } else {
        setResult({ ...answer, base });
        setRecent(rememberRefinement(flowId, instruction));
      }
    } catch (exc) {
      setError((exc as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const accept = () => {
    if (!result?.ir) return;
    // Nodes the refinement kept stay where they were drawn; new ones get laid out.
    const drawn = new Map(result.base.nodes.map((node) => [node.id, node.position]));
    designer.replaceIr({
      ...result.ir,
      nodes: result.ir.nodes.map((node) => (node.position || !drawn.get(node.id) ? node : { ...node, position: drawn.get(node.id) })),
    });
    designer.toast("Refinement applied: undo (Ctrl+Z) to go back.", "success");
    setResult(null);
    onClose();
  };

  return (
    <>
      <section className={`refine-dock${compact ? " compact" : ""}`} aria-label="Refine by instruction" data-testid="refine-panel">
        <header className="insp-header refine-head" style={{ "--kind": "var(--accent)" } as React.CSSProperties}>
          <span className="insp-icon"><Icon name="sparkles" /></span>
          <div>
            <h2 className="insp-title">Refine by instruction</h2>
            <div className="insp-sub">Say what to change; see it on the graph first</div>
          </div>
          <button type="button" className="btn ghost icon-only insp-close" aria-label="Close refine" data-testid="refine-close" onClick={onClose}>
            <Icon name="close" size={15} />
          </button>
        </header>
        <div className="refine-form">
          <label htmlFor="refine-input" className="visually-hidden">What to change</label>
          <textarea
            id="refine-input"
            ref={input}
            data-testid="refine-input"
            rows={compact ? 2 : 4}
            placeholder="e.g. also email the manager when it fails"
            value={instruction}
            autoFocus
            onChange={(e) => setInstruction(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit();
              if (e.key === "Escape") onClose();
            }}
          />
          {error && <div className="alert error small" role="alert">{error}</div>}
          <div className="refine-actions">
            {session.planners.length > 1 && (
              <select aria-label="Planner" value={planner} onChange={(e) => setPlanner(e.target.value)}>
                {session.planners.map((name) => <option key={name} value={name}>{name}</option>)}
              </select>
            )}
            <span className="refine-keys" aria-hidden><kbd>Ctrl</kbd> + <kbd>Enter</kbd></span>
            <span className="spacer" />
            <button type="button" className="btn small primary" data-testid="refine-submit" disabled={busy || !instruction.trim()} onClick={() => void submit()}>
              {busy ? "Refining…" : "Preview changes"}
            </button>
          </div>
        </div>
        {!compact && (
          <div className="refine-more">
            {suggestions.length > 0 && (
              <section className="refine-section" aria-label="Try">
                <h3 className="insp-section-title">Try</h3>
                <ul className="refine-picks">
                  {suggestions.map((text) => (
                    <li key={text}>
                      <button type="button" className="refine-pick" data-testid="refine-suggestion" onClick={() => pick(text)}>
                        <Icon name="sparkles" size={13} /><span>{text}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            )}
            <section className="refine-section" aria-label="Recent">
              <h3 className="insp-section-title">Recent</h3>
              {recent.length === 0 ? (
                <p className="refine-empty" data-testid="refine-recent-empty">
                  <Icon name="history" size={13} /><span>The instructions you preview on this flow are kept here, to use again.</span>
                </p>
              ) : (
                <ul className="refine-picks">
                  {recent.map((text) => (
                    <li key={text}>
                      <button type="button" className="refine-pick" data-testid="refine-recent" onClick={() => pick(text)}>
                        <Icon name="history" size={13} /><span>{text}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="refine-section refine-forms" aria-label="What you can ask">
              <h3 className="insp-section-title">What you can ask</h3>
              <ul className="refine-forms-list">
                {REFINE_FORMS.map(({ form, label, example }) => (
                  <li key={form}>
                    <button type="button" className="refine-form-chip" data-testid="refine-example" title={`e.g. “${example}”`} onClick={() => pick(example)}>
                      {label ?? form}
                    </button>
                  </li>
                ))}
              </ul>
              <p className="refine-note">Nothing changes until you accept the preview; undo (Ctrl+Z) takes an accepted one back.</p>
            </section>
          </div>
        )}
      </section>
      {result?.ir && result.diff && (
        <DiffView
          title="Refinement preview"
          subtitle={`“${instruction.trim()}” · ${countOf(result.operations.length, "edit")}`}
          before={result.base}
          after={result.ir}
          diff={result.diff}
          onClose={() => setResult(null)}
          actions={
            <>
              <button type="button" className="btn" data-testid="refine-discard" onClick={() => setResult(null)}>Discard</button>
              <button type="button" className="btn primary" data-testid="refine-accept" onClick={accept}><Icon name="check" size={14} /> Accept</button>
            </>
          }
        />
      )}
    </>
  );
}
