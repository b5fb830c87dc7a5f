// A collapsible JSON viewer: objects and arrays fold, showing a one-line preview when folded;
// long lists show their first items, numbered, each folded; long strings their start.
import { memo, useState } from "react";
import { shortJson } from "./shortJson";
import "./jsonView.css";

const LIST_LIMIT = 50;
/** A list longer than this opens with its items folded, one line each. */
const FOLD_ITEMS_OVER = 10;
/** A string longer than this shows its start, with the rest one click away. */
export const STRING_LIMIT = 600;

function summary(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length}]`;
  return `{${Object.keys(value as object).length}}`;
}

function LongString({ value }: { value: string }) {
  const [all, setAll] = useState(false);
  if (all || value.length <= STRING_LIMIT) return <span className="jv-string">"{value}"</span>;
  return (
    <>
      <span className="jv-string">"{value.slice(0, STRING_LIMIT)}…"</span>{" "}
      <button type="button" className="jv-more" onClick={() => setAll(true)} data-testid="json-string-more">
        show all {value.length.toLocaleString()} characters
      </button>
    </>
  );
}

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="jv-null">null</span>;
  if (typeof value === "string") return <LongString value={value} />;
  if (typeof value === "number") return <span className="jv-number">{value}</span>;
  if (typeof value === "boolean") return <span className="jv-bool">{String(value)}</span>;
  return <span className="jv-null">{String(value)}</span>;
}

const Entry = memo(function Entry({ name, index, value, depth, open: initiallyOpen }: {
  name?: string; index?: number; value: unknown; depth: number; open: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const [all, setAll] = useState(false);
  const key = name !== undefined
    ? <span className="jv-key">{name}: </span>
    : index !== undefined ? <span className="jv-index">{index}: </span> : null;
  if (value === null || typeof value !== "object") {
    return <div className="jv-row">{key}<Scalar value={value} /></div>;
  }
  const isList = Array.isArray(value);
  const size = isList ? value.length : Object.keys(value).length;
  if (size === 0) {
    return <div className="jv-row">{key}<span className="jv-punct">{isList ? "[]" : "{}"}</span></div>;
  }
  // Entries are listed only when open, and at most LIST_LIMIT until asked: a folded list of
  // a hundred thousand items costs its preview alone.
  const entries = open
    ? (isList ? value.slice(0, all ? undefined : LIST_LIMIT).map((v, i) => [String(i), v] as const) : Object.entries(value).slice(0, all ? undefined : LIST_LIMIT))
    : [];
  const childrenOpen = depth < 1 && size <= FOLD_ITEMS_OVER;
  return (
    <div className="jv-row" data-folded={open ? undefined : "true"}>
      <button type="button" className="jv-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="jv-caret">{open ? "▾" : "▸"}</span>
        {key}
        {!open && <span className="jv-summary">{summary(value)} <span className="jv-preview">{shortJson(value, 80)}</span></span>}
        {open && <span className="jv-punct">{isList ? "[" : "{"}</span>}
      </button>
      {open && (
        <div className="jv-children">
          {entries.map(([k, v], i) => (
            <Entry key={k} name={isList ? undefined : k} index={isList ? i : undefined} value={v} depth={depth + 1} open={childrenOpen} />
          ))}
          {!all && size > LIST_LIMIT && (
            <button type="button" className="btn ghost small" onClick={() => setAll(true)}>
              Show {(size - LIST_LIMIT).toLocaleString()} more
            </button>
          )}
        </div>
      )}
      {open && <span className="jv-punct">{isList ? "]" : "}"}</span>}
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
