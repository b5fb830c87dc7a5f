// Every validation issue of the flow; clicking one selects its node and focuses the field.
import { useState } from "react";
import { useLocation } from "react-router-dom";
import { CodeText } from "../../../lib/CodeText";
import { countOf } from "../../../lib/plural";
import { signInUrl, useSignedOut } from "../../../lib/signedOut";
import type { FlowIR, Issue } from "../../../graph";
import { HEALTH_BADGE, healthOf, problemsSummary } from "../../../lib/health";
import { designer, issueNode, useDesigner } from "../store";
import { Icon } from "./Icon";

export function ProblemsPanel() {
  const issues = useDesigner((state) => state.issues);
  const warnings = useDesigner((state) => state.warnings);
  const validatedIr = useDesigner((state) => state.validatedIr);
  const stale = useDesigner((state) => state.validatedIr !== state.ir);
  const empty = useDesigner((state) => state.ir.nodes.length === 0);
  const failure = useDesigner((state) => state.validationFailure);
  const signedOut = useSignedOut();
  const [open, setOpen] = useState(true);
  const count = validatedIr ? issues.length : 0;
  // No answer to the last check: say why rather than "checking" for ever.
  const unchecked = stale && !empty && (signedOut || failure !== null);
  // Errors red, warnings only amber, none green; the same in the toolbar's badge.
  const level = unchecked || !validatedIr ? null : healthOf(count, warnings.length);
  const summary = level && problemsSummary(count, warnings.length);
  return (
    <section className={`problems${open ? " open" : ""}`} data-testid="problems-panel" aria-label="Problems" data-level={level ?? undefined}>
      <button type="button" className="problems-head" onClick={() => setOpen(!open)} aria-expanded={open}
        title={summary ?? undefined} data-testid="problems-head">
        <span className={`problems-dot ${unchecked ? "unchecked" : level ?? ""}`} aria-hidden data-testid="problems-dot" />
        <strong>Problems</strong>
        {summary && <span className="visually-hidden">{summary}</span>}
        <span className={`badge ${level ? HEALTH_BADGE[level] : ""}`} data-testid="problems-count">
          {validatedIr && !unchecked ? count : "…"}
        </span>
        {/* (a flow that runs may still have warnings: "0" alone would hide them) */}
        {validatedIr && !unchecked && warnings.length > 0 && (
          <span className="badge warn" data-testid="problems-warnings">{countOf(warnings.length, "warning")}</span>
        )}
        {unchecked
          ? <span className="problems-unchecked small" data-testid="problems-unchecked">{signedOut ? "not checked: signed out" : "not checked"}</span>
          : stale && !empty && <span className="muted small">checking…</span>}
        <span className="spacer" />
        <span className={`problems-chevron${open ? "" : " closed"}`}><Icon name="chevron" size={14} /></span>
      </button>
      {open && (
        <div className="problems-body">
          {empty ? (
            <p className="problems-empty">Add a node from the palette to start.</p>
          ) : unchecked ? (
            <Unchecked signedOut={signedOut} failure={failure} />
          ) : !validatedIr ? (
            <p className="problems-empty">Checking the flow…</p>
          ) : count === 0 ? (
            <p className={`problems-empty ${warnings.length ? "warned" : "ok"}`}><Icon name={warnings.length ? "alert" : "check"} size={14} /><span>The flow is valid: every reference resolves, every required input is set.{warnings.length > 0 && <span className="problems-warned"> It runs, but see {warnings.length === 1 ? "the warning" : `the ${warnings.length} warnings`} below.</span>}</span></p>
          ) : (
            <ProblemList issues={issues} warnings={warnings} ir={validatedIr} />
          )}
          {count === 0 && validatedIr && !empty && warnings.length > 0 && <ProblemList issues={[]} warnings={warnings} ir={validatedIr} />}
          <PlannerNotes />
        </div>
      )}
    </section>
  );
}

/** What the planner read in the request that the graph does not do (a schedule), so it is
 * not left out in silence. */
function PlannerNotes() {
  const ir = useDesigner((state) => state.ir); // (a selector making a new list would re-render for ever)
  const notes = plannerNotes(ir);
  if (notes.length === 0) return null;
  return (
    <ul className="planner-notes" data-testid="planner-notes" aria-label="Notes from the planner">
      {notes.map((note) => (
        <li key={note}><Icon name="sparkles" size={14} /><span><strong>From the planner:</strong> {note}</span></li>
      ))}
    </ul>
  );
}

/** The planner's notes of a flow (`metadata.notes`), strings only. */
export function plannerNotes(ir: FlowIR): string[] {
  const notes = ir.metadata?.notes;
  return Array.isArray(notes) ? notes.filter((note): note is string => typeof note === "string" && note !== "") : [];
}

/** Why the flow on screen is not checked, and the way to get it checked. */
function Unchecked({ signedOut, failure }: { signedOut: boolean; failure: string | null }) {
  const location = useLocation();
  return (
    <div className="problems-empty problems-failed" role="status" data-testid="problems-failure">
      <Icon name="alert" size={14} />
      {signedOut ? (
        <span>
          <strong>Not checked: you are signed out.</strong> Your changes stay on this page; sign in again
          and the flow is checked as soon as you come back.
        </span>
      ) : (
        <span><strong>Not checked.</strong> <CodeText text={failure ?? ""} /></span>
      )}
      {signedOut ? (
        <a className="btn small" href={signInUrl(location.pathname + location.search)} target="_blank" rel="noopener" data-testid="problems-sign-in">
          Sign in again ↗
        </a>
      ) : (
        <button type="button" className="btn small" onClick={() => designer.retryValidation()} data-testid="problems-retry">Check again</button>
      )}
    </div>
  );
}

function ProblemList({ issues, warnings, ir }: { issues: Issue[]; warnings: Issue[]; ir: FlowIR }) {
  const rows = [...issues.map((issue) => ({ issue, warning: false })), ...warnings.map((issue) => ({ issue, warning: true }))];
  return (
    <ul className="problems-list">
      {rows.map(({ issue, warning }, index) => {
        const node = issueNode(issue, ir);
        return (
          <li key={index}>
            <button
              type="button"
              className={`problem-item${warning ? " warning" : ""}`}
              data-testid={warning ? "problem-warning" : "problem-item"}
              data-node={node ?? ""}
              data-field={issue.field ?? ""}
              onClick={() => designer.focusField(node, issue.field)}
            >
              <span className="problem-icon"><Icon name="alert" size={14} /></span>
              <span className="problem-where">
                {node ? <code>{node}</code> : <em>flow</em>}
                {issue.field && <span className="problem-field">{issue.field}</span>}
              </span>
              <span className="problem-message" title={issue.hint ? `${issue.message}\nFix: ${issue.hint}` : issue.message}>
                <CodeText text={issue.message} />
                {issue.hint && <span className="problem-hint" data-testid="problem-hint"> <b>Fix:</b> <CodeText text={issue.hint} /></span>}
              </span>
              <span className="problem-code">{warning ? `warning · ${issue.code}` : issue.code}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
