// Refine by instruction: the refine API edits the IR; the change is previewed as a diff on
// the graph, then accepted (undoable) or discarded.
import { useState } from "react";
import { countOf } from "../../../lib/plural";
import { readSession } from "../../../lib/session";
import { refineIr, type RefineResult } from "../api";
import { designer } from "../store";
import { DiffView } from "./DiffView";
import { Icon } from "./Icon";

const session = readSession();

export function RefinePanel({ onClose }: { onClose: () => void }) {
  const [instruction, setInstruction] = useState("");
  const [planner, setPlanner] = useState(session.defaultPlanner);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<(RefineResult & { base: ReturnType<typeof designer.irForSave> }) | null>(null);

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
      <section className="refine-dock" aria-label="Refine by instruction" data-testid="refine-panel">
        <label htmlFor="refine-input" className="refine-label"><Icon name="sparkles" size={14} /> Refine by instruction</label>
        <textarea
          id="refine-input"
          data-testid="refine-input"
          rows={3}
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
        {!error && <p className="refine-hint">Say what to change in plain words. You see the changes on the graph before anything is applied; Ctrl+Enter previews.</p>}
        <div className="refine-actions">
          {session.planners.length > 1 && (
            <select aria-label="Planner" value={planner} onChange={(e) => setPlanner(e.target.value)}>
              {session.planners.map((name) => <option key={name} value={name}>{name}</option>)}
            </select>
          )}
          <span className="spacer" />
          <button type="button" className="btn small ghost" onClick={onClose}>Cancel</button>
          <button type="button" className="btn small primary" data-testid="refine-submit" disabled={busy || !instruction.trim()} onClick={() => void submit()}>
            {busy ? "Refining…" : "Preview changes"}
          </button>
        </div>
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
