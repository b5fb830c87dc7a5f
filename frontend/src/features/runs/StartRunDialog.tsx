// Start a run (a form built from the flow's input_schema) or a batch (a pasted JSON list or
// an uploaded CSV/JSON file, with its concurrency) of one flow version.
import { ClampedText } from "../../lib/ClampedText";
import type { RJSFSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { ApiError } from "../../lib/api";
import { countOf } from "../../lib/plural";
import { BatchInputError, csvHint, inputProblems, parseBatchInputs, parseCsv } from "./batchInput";
import { formSchema, hasFields, InputForm, uiSchemaFor } from "./InputForm";
import { createBatch, createRun, getFlow, getRun, getVersion, type Flow, type VersionDetail } from "./runApi";
import "./startRunDialog.css";

interface Props {
  flowId: number;
  version: number | null;
  fromRun: string | null;
  onClose(): void;
  /** Start the run as soon as the version is known when it takes no input (the designer's
   *  Run): there is nothing to ask, so the person goes straight to watching it. */
  startAtOnce?: boolean;
}

function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const details = err.details as { index?: number; errors?: string[]; field?: string };
    const where = typeof details.index === "number" ? ` (input ${details.index + 1})` : "";
    return `${err.message}${where}`;
  }
  return err instanceof Error ? err.message : String(err);
}

function BatchForm({ version, schema, onClose }: { version: VersionDetail; schema: RJSFSchema; onClose(): void }) {
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const [concurrency, setConcurrency] = useState(4);
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);

  const parsed = useMemo(() => {
    if (!text.trim()) return { inputs: null, error: null, invalid: [] as string[] };
    try {
      const inputs = parseBatchInputs(text, schema as Record<string, unknown>);
      const invalid: string[] = [];
      inputs.forEach((input, i) => {
        const { errors } = validator.validateFormData(input, schema);
        if (errors.length) invalid.push(`input ${i + 1}: ${inputProblems(errors, input)}`);
      });
      return { inputs, error: null, invalid };
    } catch (err) {
      return { inputs: null, error: err instanceof BatchInputError ? err.message : String(err), invalid: [] };
    }
  }, [text, schema]);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
  };

  const start = async () => {
    if (!parsed.inputs) return;
    setBusy(true);
    setServerError(null);
    try {
      const batch = await createBatch(version.id, parsed.inputs, concurrency);
      navigate(`/batches/${batch.id}`);
    } catch (err) {
      setServerError(errorMessage(err));
      setBusy(false);
    }
  };

  const order = (uiSchemaFor(schema)["ui:order"] as string[] | undefined) ?? [];
  const example = JSON.stringify([Object.fromEntries(order.slice(0, 3).map((k) => [k, "…"]))]);
  return (
    <div className="batch-form">
      <div className="field">
        <label htmlFor="batch-inputs">Inputs</label>
        <textarea
          ref={textRef}
          id="batch-inputs"
          data-testid="batch-inputs"
          rows={8}
          className="mono"
          placeholder={`A JSON list, JSON lines, or CSV with a header row, e.g.\n${example}`}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setFileName(null);
          }}
        />
        <div className="batch-file">
          <input ref={fileRef} type="file" accept=".csv,.json,.jsonl,.txt,text/csv,application/json" hidden onChange={(e) => onFile(e.target.files?.[0])} data-testid="batch-file" />
          <button type="button" className="btn small" onClick={() => fileRef.current?.click()}>Upload CSV or JSON…</button>
          {order.length > 0 && (
            <button type="button" className="btn small" data-testid="batch-template"
              title="Fill in a CSV header row with the flow's input fields; add one line per run under it"
              onClick={() => { setText(`${order.join(",")}\n`); setFileName(null); textRef.current?.focus(); }}>
              Start from a CSV template
            </button>
          )}
          {fileName && <span className="muted small">{fileName}</span>}
        </div>
      </div>
      <div className="field batch-concurrency">
        <label htmlFor="batch-concurrency">Concurrency</label>
        <input id="batch-concurrency" type="number" min={1} max={100} value={concurrency} data-testid="batch-concurrency" onChange={(e) => setConcurrency(Math.max(1, Math.min(100, Number(e.target.value) || 1)))} />
        <span className="field-hint">Runs at most this many at once.</span>
      </div>
      {parsed.error === "no inputs" ? (
        <div className="field-hint" data-testid="batch-hint">{csvHint(parseCsv(text)[0] ?? [], schema)}</div>
      ) : parsed.error && <div className="alert error" data-testid="batch-parse-error">{parsed.error}</div>}
      {parsed.invalid.length > 0 && (
        <div className="alert error" data-testid="batch-invalid">
          {countOf(parsed.invalid.length, "input")} {parsed.invalid.length === 1 ? "does" : "do"} not fit the input schema:
          <ul>{parsed.invalid.slice(0, 5).map((line) => <li key={line}>{line}</li>)}</ul>
        </div>
      )}
      {serverError && <div className="alert error" role="alert">{serverError}</div>}
      <div className="dialog-actions">
        <span className="muted small" data-testid="batch-count">
          {parsed.inputs && (parsed.invalid.length
            ? `${parsed.inputs.length - parsed.invalid.length} of ${countOf(parsed.inputs.length, "input")} fit`
            : `${countOf(parsed.inputs.length, "input")} ready`)}
        </span>
        {/* The button is greyed out until there are inputs: say so beside it. */}
        {!text.trim() && <span className="muted small" id="batch-start-why" data-testid="batch-start-why">Paste or upload the inputs first: one per run.</span>}
        <span className="spacer" />
        <button type="button" className="btn ghost" onClick={onClose}>Cancel</button>
        <button type="button" className="btn primary" onClick={start} disabled={!parsed.inputs || parsed.invalid.length > 0 || busy} aria-describedby={text.trim() ? undefined : "batch-start-why"} data-testid="batch-start">
          {busy ? "Starting…" : (parsed.inputs ? `Start ${countOf(parsed.inputs.length, "run")}` : "Start runs")}
        </button>
      </div>
    </div>
  );
}

export function StartRunDialog({ flowId, version: versionNumber, fromRun, onClose, startAtOnce = false }: Props) {
  const navigate = useNavigate();
  const [flow, setFlow] = useState<Flow | null>(null);
  const [version, setVersion] = useState<VersionDetail | null>(null);
  const [formData, setFormData] = useState<unknown>(undefined);
  const [tab, setTab] = useState<"single" | "batch">("single");
  const [loadError, setLoadError] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]> | undefined>();
  const [busy, setBusy] = useState(false);
  /** The run whose input the form started from: the new run repeats it. */
  const [rerunOf, setRerunOf] = useState<string | undefined>();

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const found = await getFlow(flowId);
      const number = versionNumber ?? found.latest_version?.number;
      if (!number) throw new Error("this flow has no version yet");
      const [detail, previous] = await Promise.all([
        getVersion(flowId, number),
        fromRun ? getRun(fromRun).catch(() => null) : Promise.resolve(null),
      ]);
      if (cancelled) return;
      setFlow(found);
      setVersion(detail);
      if (previous?.input) setFormData(previous.input);
      if (previous?.flow === found.id) setRerunOf(previous.id);
    })().catch((err: unknown) => !cancelled && setLoadError(errorMessage(err)));
    return () => {
      cancelled = true;
    };
  }, [flowId, versionNumber, fromRun]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const schema = useMemo(() => formSchema(version?.ir.input_schema), [version]);

  // A long form scrolls under the sticky Run button: a shadow above it says there is more.
  const dialogRef = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState(false);
  const measureMore = () => {
    const box = dialogRef.current;
    if (box) setMore(box.scrollTop + box.clientHeight < box.scrollHeight - 4);
  };
  useEffect(() => {
    measureMore();
    window.addEventListener("resize", measureMore);
    return () => window.removeEventListener("resize", measureMore);
  });

  const run = async (input: Record<string, unknown>) => {
    if (!version) return;
    setBusy(true);
    setSubmitError(null);
    setFieldErrors(undefined);
    try {
      const created = await createRun(version.id, input, rerunOf);
      navigate(`/runs/${created.id}`);
    } catch (err) {
      setSubmitError(errorMessage(err));
      if (err instanceof ApiError && Object.keys(err.fields).length) setFieldErrors(err.fields);
      setBusy(false);
    }
  };

  // A flow without input fields needs no form: start it once, as soon as its version is here.
  const startedAtOnce = useRef(false);
  useEffect(() => {
    if (!startAtOnce || !version || !version.is_valid || hasFields(schema) || startedAtOnce.current) return;
    startedAtOnce.current = true;
    void run({});
    // run reads only the version, which is in the dependencies
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [startAtOnce, version, schema]);

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog start-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="start-run-title"
        data-testid="start-run-dialog"
        data-more-below={more}
        ref={dialogRef}
        onScroll={measureMore}
      >
        <header className="dialog-header">
          <div>
            <h2 id="start-run-title">Run {flow ? <span>{flow.name}</span> : "flow"}</h2>
            {version && (
              <div className="muted small">
                Version {version.number}
                {!version.is_valid && <span className="badge danger" style={{ marginLeft: 8 }}>invalid</span>}
                {fromRun && <> · input from run <span className="mono">{fromRun.slice(0, 8)}</span></>}
              </div>
            )}
          </div>
          <button type="button" className="btn ghost icon" onClick={onClose} aria-label="Close">✕</button>
        </header>
        {loadError && <div className="alert error">Could not load the flow: {loadError}</div>}
        {!version && !loadError && <div className="muted">Loading the input form…</div>}
        {version && (
          <>
            {version.ir.description && <ClampedText text={version.ir.description} className="muted small flow-desc" testId="start-run-description" />}
            {!version.is_valid && (
              <div className="alert error">
                This version has validation errors and cannot run. <Link to={`/flows/${flowId}/v/${version.number}`}>Fix it in the designer</Link>.
              </div>
            )}
            <div className="tabs" role="tablist">
              <button type="button" role="tab" aria-selected={tab === "single"} onClick={() => setTab("single")} data-testid="start-tab-single">Single run</button>
              <button type="button" role="tab" aria-selected={tab === "batch"} onClick={() => setTab("batch")} data-testid="start-tab-batch">Batch</button>
            </div>
            <div className="dialog-body">
              {tab === "single" ? (
                <InputForm
                  schema={schema}
                  formData={formData}
                  onChange={setFormData}
                  onSubmit={run}
                  disabled={busy}
                  extraErrors={fieldErrors}
                >
                  {!hasFields(schema) && <p className="muted">This flow takes no input.</p>}
                  {submitError && <div className="alert error" role="alert" data-testid="start-run-error">{submitError}</div>}
                  <div className="dialog-actions">
                    <span className="spacer" />
                    <button type="button" className="btn ghost" onClick={onClose}>Cancel</button>
                    <button type="submit" className="btn primary" disabled={busy || !version.is_valid} data-testid="start-run-submit">
                      {busy ? "Starting…" : "▶ Run"}
                    </button>
                  </div>
                </InputForm>
              ) : (
                <BatchForm version={version} schema={schema} onClose={onClose} />
              )}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
