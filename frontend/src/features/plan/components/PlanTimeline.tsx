// Planning as it happens: a vertical timeline of the plan's steps (start, each attempt with
// the validator's issues, repairs, validation, the outcome).
import { CodeText } from "../../../lib/CodeText";
import { countOf } from "../../../lib/plural";
import type { AttemptView, PlanIssue, PlanProgress } from "../planEvents";
import { isRefusedDraft, outcomeTone, outcomeWords } from "../planEvents";

const PLANNER_NAMES: Record<string, string> = { offline: "the offline planner", openai: "the LLM planner" };

interface Props {
  progress: PlanProgress;
  running: boolean;
  /** The request has not been accepted yet. */
  sending: boolean;
}

export function PlanTimeline({ progress, running, sending }: Props) {
  const { started, attempts, validated, completed, failure } = progress;
  if (sending) {
    return (
      <ol className="plan-timeline" data-testid="plan-timeline" aria-live="polite">
        <Item tone="running" title="Sending the request…" testId="plan-step-sending" />
      </ol>
    );
  }
  return (
    <ol className="plan-timeline" data-testid="plan-timeline" aria-live="polite">
      <Item tone={started || !running ? "ok" : "pending"} title="Request received" testId="plan-step-submitted">
        {!started && running && <p className="muted small">Waiting for a worker to pick it up…</p>}
      </Item>
      {started && (
        <Item tone="ok" title={`Planning with ${PLANNER_NAMES[started.planner] ?? started.planner}`} meta={ms(started.atMs)} testId="plan-step-started">
          {started.model && <p className="muted small">Model {started.model}</p>}
          {started.toolsTotal !== null && (
            <p className="muted small">
              {started.toolsMethod === "retrieval"
                ? `${started.toolsKept.length} of ${countOf(started.toolsTotal, "tool")} most relevant to the prompt offered`
                : `${countOf(started.toolsTotal, "tool")} offered`}
            </p>
          )}
        </Item>
      )}
      {attempts.map((attempt, index) => (
        <AttemptItem key={attempt.number} attempt={attempt} followed={index < attempts.length - 1} />
      ))}
      {validated && (
        <Item
          tone="ok"
          title={validated.cacheHit ? "Reused a validated plan from the cache" : "Validated"}
          meta={countOf(validated.nodes, "node")}
          testId="plan-step-validated"
        >
          {Object.keys(validated.sources).length > 0 && (
            <ul className="plan-sources">
              {Object.entries(validated.sources).map(([node, phrase]) => (
                <li key={node}>
                  <span className="plan-phrase">“{phrase}”</span>
                  <span className="plan-arrow" aria-hidden>→</span>
                  <code>{node}</code>
                </li>
              ))}
            </ul>
          )}
        </Item>
      )}
      {completed && (
        <Item tone="ok" title="Plan ready" meta={[ms(completed.latencyMs), tokens(completed.tokens)].filter(Boolean).join(" · ")} testId="plan-step-completed">
          <p className="muted small">Saved as a new flow.</p>
        </Item>
      )}
      {failure && (
        <Item tone="danger" title="Planning failed" meta={failure.code} testId="plan-step-failed" />
      )}
      {running && !completed && !failure && (
        <Item tone="running" title={attempts.length ? "Checking the result…" : "Planning…"} testId="plan-step-running" />
      )}
    </ol>
  );
}

function AttemptItem({ attempt, followed }: { attempt: AttemptView; followed: boolean }) {
  const tone = outcomeTone(attempt.outcome);
  const label = attempt.repair ? `Repair ${attempt.repair}` : `Attempt ${attempt.number}`;
  const refused = isRefusedDraft(attempt.outcome);
  return (
    <Item
      tone={tone}
      title={`${label} · ${outcomeWords(attempt.outcome)}`}
      meta={[ms(attempt.latencyMs), tokens(attempt.tokens)].filter(Boolean).join(" · ")}
      testId="plan-attempt"
    >
      {refused && attempt.issues.length > 0 && <IssueList issues={attempt.issues} />}
      {!refused && tone !== "ok" && attempt.issues.length > 0 && (
        <p className="muted small"><CodeText text={attempt.issues.map((issue) => issue.message).join("; ")} /></p>
      )}
      {attempt.retryAfterS !== null && <p className="muted small">The server asked to wait {attempt.retryAfterS} s.</p>}
      {followed && refused && (
        <p className="muted small plan-repair-note">Sent back to the planner with {attempt.issues.length === 1 ? "this issue" : "these issues"}.</p>
      )}
      {followed && tone === "warn" && <p className="muted small">Tried again.</p>}
    </Item>
  );
}

export function IssueList({ issues }: { issues: PlanIssue[] }) {
  return (
    <ul className="plan-issues" data-testid="plan-issues">
      {issues.map((issue, index) => (
        <li key={index}>
          <div className="plan-issue-head">
            {(issue.node || issue.step) && <code>{[issue.node ?? issue.step, issue.field].filter(Boolean).join(" · ")}</code>}
            <span className="plan-issue-code">{issue.code}</span>
          </div>
          <span><CodeText text={issue.message} /></span>
          {issue.hint && <span className="plan-issue-hint"><CodeText text={issue.hint} /></span>}
        </li>
      ))}
    </ul>
  );
}

interface ItemProps {
  tone: "ok" | "danger" | "warn" | "pending" | "running";
  title: string;
  meta?: string | null;
  testId?: string;
  children?: React.ReactNode;
}

function Item({ tone, title, meta, testId, children }: ItemProps) {
  return (
    <li className={`plan-item ${tone}`} data-testid={testId}>
      <span className="plan-dot" aria-hidden>
        {tone === "ok" ? "✓" : tone === "danger" ? "!" : tone === "warn" ? "↻" : ""}
      </span>
      <div className="plan-item-body">
        <div className="plan-item-head">
          <span className="plan-item-title">{title}</span>
          {meta && <span className="plan-item-meta">{meta}</span>}
        </div>
        {children}
      </div>
    </li>
  );
}

function ms(value: number | null): string | null {
  if (value === null) return null;
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function tokens(count: number): string | null {
  return count > 0 ? countOf(count, "token") : null;
}
