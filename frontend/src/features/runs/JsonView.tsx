// A collapsible JSON viewer: objects and arrays fold, long lists show their first items.
import { memo, useState } from "react";
import "./jsonView.css";

const LIST_LIMIT = 50;

function summary(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length}]`;
  return `{${Object.keys(value as object).length}}`;
}

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="jv-null">null</span>;
  if (typeof value === "string") return <span className="jv-string">"{value}"</span>;
  if (typeof value === "number") return <span className="jv-number">{value}</span>;
  if (typeof value === "boolean") return <span className="jv-bool">{String(value)}</span>;
  return <span className="jv-null">{String(value)}</span>;
}

const Entry = memo(function Entry({ name, value, depth, open: initiallyOpen }: { name?: string; value: unknown; depth: number; open: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const [all, setAll] = useState(false);
  const key = name !== undefined ? <span className="jv-key">{name}: </span> : null;
  if (value === null || typeof value !== "object") {
    return <div className="jv-row">{key}<Scalar value={value} /></div>;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0) {
    return <div className="jv-row">{key}<span className="jv-punct">{Array.isArray(value) ? "[]" : "{}"}</span></div>;
  }
  const shown = all ? entries : entries.slice(0, LIST_LIMIT);
  return (
    <div className="jv-row">
      <button type="button" className="jv-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="jv-caret">{open ? "▾" : "▸"}</span>
        {key}
        {!open && <span className="jv-summary">{summary(value)}</span>}
        {open && <span className="jv-punct">{Array.isArray(value) ? "[" : "{"}</span>}
      </button>
      {open && (
        <div className="jv-children">
          {shown.map(([k, v]) => (
            <Entry key={k} name={Array.isArray(value) ? undefined : k} value={v} depth={depth + 1} open={depth < 1} />
          ))}
          {!all && entries.length > LIST_LIMIT && (
            <button type="button" className="btn ghost small" onClick={() => setAll(true)}>
              Show {entries.length - LIST_LIMIT} more
            </button>
          )}
        </div>
      )}
      {open && <span className="jv-punct">{Array.isArray(value) ? "]" : "}"}</span>}
    </div>
  );
});

export function JsonView({ value, testId, empty = "—" }: { value: unknown; testId?: string; empty?: string }) {
  const [copied, setCopied] = useState(false);
  if (value === undefined) return <div className="muted small">{empty}</div>;
  const copy = () => {
    navigator.clipboard?.writeText(JSON.stringify(value, null, 2)).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    }, () => undefined);
  };
  return (
    <div className="jv" data-testid={testId}>
      <button type="button" className="jv-copy btn ghost small" onClick={copy} aria-label="Copy JSON">
        {copied ? "Copied" : "Copy"}
      </button>
      <Entry value={value} depth={0} open />
    </div>
  );
}
