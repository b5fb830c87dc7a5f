// New flow: describe the workflow, optionally limit the tools and choose the planner, then
// watch the plan being made (attempts, the validator's issues, repairs) and land in the
// designer. A failed plan keeps the prompt and says which step could not be mapped.
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError } from "../../lib/api";
import { toolAddUrl } from "../../lib/adminLinks";
import { readSession } from "../../lib/session";
import { loadTools, TERMINAL_STATUSES, type Category, type Tool } from "./api";
import { DRAFT_PATH, draftFromPrompt } from "./blankFromPrompt";
import { planBlockedReason } from "./planBlocked";
import { PlanWarnings } from "./components/PlanWarnings";
import { PlanErrorPanel } from "./components/PlanErrorPanel";
import { PlanTimeline } from "./components/PlanTimeline";
import { ToolPicker } from "./components/ToolPicker";
import type { PlanFailure } from "./planEvents";
import { usePlanRequest } from "./usePlanRequest";
import "./plan.css";

const session = readSession();

const PLANNER_LABELS: Record<string, { name: string; hint: string }> = {
  offline: { name: "Offline", hint: "Rule-based, instant, no network" },
  openai: { name: "LLM", hint: "The configured OpenAI-compatible model" },
};

const NOT_CONFIGURED = "not configured (set OPENAI_API_KEY on the server)";

const EXAMPLES = [
  "Validate the email, then send a welcome email",
  "Fetch the page at the URL, summarize it and send the summary by email",
  "Analyze the sentiment of the message; if it is negative, open a support ticket",
  "Validate the order. If the amount is over 1000, ask finance to approve it. Then charge the card.",
  "For each order, validate it and then process the payment",
  "Validate the order and check inventory in parallel, then process the payment",
];

export default function NewFlowPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [prompt, setPrompt] = useState(params.get("prompt") ?? "");
  const [planner, setPlanner] = useState(session.defaultPlanner || session.planners[0] || "offline");
  const [selectedTools, setSelectedTools] = useState<string[]>(() =>
    (params.get("tools") ?? "").split(",").map((id) => id.trim()).filter(Boolean),
  );
  const [catalogue, setCatalogue] = useState<{ tools: Tool[]; categories: Category[] } | null>(null);
  const [catalogueError, setCatalogueError] = useState<string | null>(null);
  const { state, submit, resume } = usePlanRequest();
  const promptRef = useRef<HTMLTextAreaElement>(null);
  // Open the designer when a plan made or followed here succeeds; a plan that had already
  // finished when the page opened (a reload, the back button) offers a link instead.
  const openWhenDone = useRef(true);
  const known = useRef(new Set<string>()); // plan requests this page made or picked up
  const restoring = useRef<string | null>(null);
  const planParam = params.get("plan");

  useEffect(() => {
    if (!planParam || known.current.has(planParam)) return;
    known.current.add(planParam);
    restoring.current = planParam;
    openWhenDone.current = false;
    void resume(planParam);
  }, [planParam, resume]);

  useEffect(() => {
    const request = state.request;
    if (!request) return;
    known.current.add(request.id);
    if (restoring.current === request.id) {
      restoring.current = null;
      if (request.prompt) setPrompt(request.prompt);
      if (request.tools?.length) setSelectedTools(request.tools);
      if (request.planner) setPlanner(request.planner);
      if (!TERMINAL_STATUSES.has(request.status)) openWhenDone.current = true;
    }
    if (planParam !== request.id) {
      const next = new URLSearchParams(params);
      next.set("plan", request.id);
      next.delete("prompt");
      next.delete("tools");
      setParams(next, { replace: true });
    }
  }, [state.request, planParam, params, setParams]);

  useEffect(() => {
    document.title = "New flow · DynamicFlow";
  }, []);

  useEffect(() => {
    let live = true;
    loadTools()
      .then((result) => live && setCatalogue(result))
      .catch((error: unknown) => live && setCatalogueError(error instanceof Error ? error.message : String(error)));
    return () => {
      live = false;
    };
  }, []);

  const { phase, request, progress } = state;
  const busy = phase === "submitting" || phase === "planning";
  const blocked = planBlockedReason(prompt, busy);

  useEffect(() => {
    if (phase !== "succeeded" || !request?.flow || !request.resulting_version || !openWhenDone.current) return;
    // Something to know about how it was planned: the page stays, so it is read.
    if (request.warnings?.length) return;
    const timer = setTimeout(() => navigate(`/flows/${request.flow}/v/${request.resulting_version}`), 300);
    return () => clearTimeout(timer);
  }, [phase, request, navigate]);

  const failure: PlanFailure | null = useMemo(() => {
    if (phase !== "failed") return null;
    if (progress.failure) return progress.failure;
    if (state.error) {
      return {
        code: state.error instanceof ApiError ? state.error.code : "error",
        message: state.error instanceof Error ? state.error.message : String(state.error),
        step: null,
        candidates: [],
        issues: [],
      };
    }
    return { code: "failed", message: request?.error || "Planning failed.", step: null, candidates: [], issues: [] };
  }, [phase, progress.failure, state.error, request]);

  const promptErrors = state.error instanceof ApiError ? state.error.fields.prompt ?? [] : [];
  // The server refused the request itself (a prompt too long, an unknown tool): nothing was
  // planned, so the planner's failure panel and timeline would mislead; the fields say why.
  const refused = phase === "failed" && !request && state.error instanceof ApiError && state.error.status >= 400 && state.error.status < 500;

  function plan() {
    const text = prompt.trim();
    if (!text || busy) return;
    openWhenDone.current = true;
    void submit({ prompt: text, tools: selectedTools, planner });
  }

  return (
    <div className="page plan-page">
      <header className="page-header">
        <div>
          <h1>New flow</h1>
          <p className="muted page-lead">
            Describe what should happen, in plain words. The planner turns it into a validated workflow graph that
            you can then edit, run and share.
          </p>
        </div>
      </header>

      <div className="plan-layout">
        <div className="plan-main">
          <form
            className="card plan-card"
            onSubmit={(event) => {
              event.preventDefault();
              plan();
            }}
          >
            <div className="plan-prompt-head">
              <label htmlFor="plan-prompt" className="plan-prompt-label">What should this flow do?</label>
              <span className="muted small" id="plan-prompt-hint"><kbd>Ctrl</kbd> + <kbd>Enter</kbd> to plan</span>
            </div>
            <textarea
              id="plan-prompt"
              ref={promptRef}
              className="plan-prompt"
              rows={6}
              value={prompt}
              onChange={(event) => setPrompt(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
                  event.preventDefault();
                  plan();
                }
              }}
              placeholder="e.g. When a customer signs up, validate their email; if it is valid, send a welcome email, otherwise open a support ticket."
              aria-invalid={promptErrors.length > 0}
              aria-describedby="plan-prompt-hint"
              readOnly={busy}
              data-testid="plan-prompt"
              autoFocus
            />
            {promptErrors.map((message) => <span key={message} className="field-error">{message}</span>)}

            <ToolPicker
              tools={catalogue?.tools ?? []}
              categories={catalogue?.categories ?? []}
              selected={selectedTools}
              onChange={setSelectedTools}
              loading={!catalogue && !catalogueError}
            />
            {catalogueError && <p className="field-error">Could not load the tools: {catalogueError}</p>}

            <div className="plan-card-foot">
              <div className="planner-choice" role="radiogroup" aria-label="Planner">
                <span className="picker-label">Planner</span>
                <div className="segmented">
                  {plannerChoices(session.planners).map(({ name, available }) => (
                    <button
                      key={name}
                      type="button"
                      role="radio"
                      aria-checked={planner === name}
                      title={available ? PLANNER_LABELS[name]?.hint : NOT_CONFIGURED}
                      onClick={() => setPlanner(name)}
                      disabled={busy || !available}
                      data-testid={`planner-${name}`}
                    >
                      {PLANNER_LABELS[name]?.name ?? name}
                    </button>
                  ))}
                </div>
                <span className="muted small planner-hint" data-testid="planner-hint">
                  {PLANNER_LABELS[planner]?.hint}
                  {missingPlanners(session.planners).map((name) => (
                    <span key={name} className="planner-missing"> · {PLANNER_LABELS[name]?.name ?? name}: {NOT_CONFIGURED}</span>
                  ))}
                </span>
              </div>
              <span className="spacer" />
              {/* A disabled button shows no tooltip of its own in every browser: its box does. */}
              <span className="plan-submit-box" title={blocked ?? undefined}>
                <button type="submit" className="btn primary plan-submit" aria-keyshortcuts="Control+Enter" disabled={blocked !== null || busy} aria-describedby={blocked ? "plan-submit-why" : undefined} data-testid="plan-submit">
                  {busy ? <><span className="spinner" aria-hidden /> Planning…</> : <>Plan the flow <span aria-hidden>→</span></>}
                </button>
              </span>
              {blocked && <p className="muted small plan-submit-why" id="plan-submit-why" data-testid="plan-submit-why">{blocked}</p>}
            </div>
          </form>

          {!refused && <PlanWarnings warnings={request?.warnings} />}
          {refused && promptErrors.length === 0 && (
            <div className="alert error" role="alert" data-testid="plan-refused">{failure?.message}</div>
          )}
          {failure && !refused && (
            <PlanErrorPanel
              failure={failure}
              onEdit={() => {
                promptRef.current?.focus();
                promptRef.current?.select();
              }}
              // The designer opens on an unsaved draft: a flow is made only when it is saved.
              onBuildByHand={() => navigate(DRAFT_PATH, { state: { draft: draftFromPrompt(request?.prompt || prompt) } })}
              registerToolUrl={session.isStaff ? toolAddUrl(session.adminUrl) : null}
            />
          )}

          <section className="plan-examples" aria-label="Examples">
            <h2 className="picker-label">Try an example</h2>
            <div className="example-grid">
              {EXAMPLES.map((example) => (
                <button
                  key={example}
                  type="button"
                  className="example"
                  onClick={() => {
                    setPrompt(example);
                    promptRef.current?.focus();
                  }}
                  disabled={busy}
                  data-testid="plan-example"
                >
                  {example}
                </button>
              ))}
            </div>
          </section>
        </div>

        <aside className="card plan-aside" aria-label="Planning progress" data-testid="plan-progress">
          {phase === "idle" || refused ? (
            <HowItWorks />
          ) : (
            <>
              <div className="plan-aside-head">
                <h2>Planning</h2>
                <PhaseBadge phase={phase} transport={state.transport} />
              </div>
              <PlanTimeline progress={progress} running={busy} sending={phase === "submitting"} />
              {phase === "succeeded" && request?.flow && request.resulting_version && (
                <Link
                  className="btn primary plan-open"
                  to={`/flows/${request.flow}/v/${request.resulting_version}`}
                  data-testid="plan-open"
                >
                  Open in the designer →
                </Link>
              )}
            </>
          )}
        </aside>
      </div>
    </div>
  );
}

/** The planners to offer: the configured ones, and the LLM shown as unavailable when it is not. */
/** The planners this server offers no settings for (the choice shows them greyed out). */
function missingPlanners(configured: string[]): string[] {
  return plannerChoices(configured).filter(({ available }) => !available).map(({ name }) => name);
}

function plannerChoices(configured: string[]): Array<{ name: string; available: boolean }> {
  const names = [...configured, ...Object.keys(PLANNER_LABELS).filter((name) => !configured.includes(name))];
  return names.map((name) => ({ name, available: configured.includes(name) }));
}

function PhaseBadge({ phase, transport }: { phase: string; transport: string | null }) {
  const words: Record<string, [string, string]> = {
    submitting: ["Sending", "running"],
    planning: ["In progress", "running"],
    succeeded: ["Done", "succeeded"],
    failed: ["Failed", "failed"],
  };
  const [label, tone] = words[phase] ?? [phase, ""];
  return (
    <span className="plan-phase">
      {phase === "planning" && transport === "polling" && <span className="muted small" title="The live connection is unavailable; checking every half second">polling</span>}
      <span className={`badge ${tone}`} data-testid="plan-phase" data-phase={phase}>{label}</span>
    </span>
  );
}

function HowItWorks() {
  return (
    <div className="how-it-works">
      <h2>How it works</h2>
      <ol>
        <li>
          <span className="how-number">1</span>
          <div>
            <strong>Describe the workflow</strong>
            <p className="muted">Steps, conditions (“if the amount is over 500”), approvals, loops (“for each order”) and parallel work.</p>
          </div>
        </li>
        <li>
          <span className="how-number">2</span>
          <div>
            <strong>The planner builds and checks it</strong>
            <p className="muted">It maps each step to a registered tool and wires the data. The validator type-checks the graph; problems go back for repair.</p>
          </div>
        </li>
        <li>
          <span className="how-number">3</span>
          <div>
            <strong>Refine it in the designer</strong>
            <p className="muted">Edit nodes and connections with live validation, save versions and run it.</p>
          </div>
        </li>
      </ol>
    </div>
  );
}
