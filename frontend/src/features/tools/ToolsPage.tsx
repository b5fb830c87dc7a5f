// The tool catalogue: every registered tool, searchable and by category, with its schemas.
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { countOf } from "../../lib/plural";
import { readSession } from "../../lib/session";
import { countByCategory, filterTools, loadCatalogue, type Category, type Tool } from "./catalogue";
import { RegisterTools } from "./components/RegisterTools";
import { categoryHues, ToolCard } from "./components/ToolCard";
import "./tools.css";

const session = readSession();

export default function ToolsPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const category = params.get("category") ?? "";
  const [catalogue, setCatalogue] = useState<{ tools: Tool[]; categories: Category[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());

  useEffect(() => {
    document.title = "Tools · DynamicFlow";
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    loadCatalogue(controller.signal)
      .then(setCatalogue)
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught instanceof Error ? caught.message : String(caught));
      });
    return () => controller.abort();
  }, []);

  const tools = useMemo(
    () => (catalogue ? filterTools(catalogue.tools, search, category) : []),
    [catalogue, search, category],
  );
  const counts = useMemo(() => countByCategory(catalogue?.tools ?? []), [catalogue]);
  const names = useMemo(
    () => new Map((catalogue?.categories ?? []).map((item) => [item.slug, item.name])),
    [catalogue],
  );

  const hues = useMemo(
    () => categoryHues((catalogue?.categories ?? []).map((item) => item.slug)),
    [catalogue],
  );

  function setParam(key: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  }

  function toggle(id: string) {
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  const total = catalogue?.tools.length ?? 0;

  return (
    <div className="page tools-page">
      <header className="page-header">
        <div>
          <h1>Tools</h1>
          <p className="muted page-lead">
            The catalogue planners and the designer draw from
            {catalogue ? `: ${countOf(total, "tool")} in ${countOf(catalogue.categories.length, "category", "categories")}` : ""}.
            Expand a tool to see what it takes and what it returns.
            {!session.isStaff && <span data-testid="tools-register-note"> New tools are registered by an admin.</span>}
          </p>
        </div>
        {session.isStaff && <RegisterTools adminUrl={session.adminUrl} />}
      </header>

      {error && <div className="alert error" role="alert">Could not load the catalogue: {error}</div>}

      <div className="tools-layout">
        <nav className="tools-categories" aria-label="Categories" data-testid="category-filter">
          <CategoryButton label="All tools" count={total} active={!category} onClick={() => setParam("category", "")} />
          {(catalogue?.categories ?? []).map((item) => (
            <CategoryButton
              key={item.slug}
              label={item.name}
              hue={hues.get(item.slug)}
              count={counts.get(item.slug) ?? 0}
              active={category === item.slug}
              onClick={() => setParam("category", item.slug)}
              slug={item.slug}
            />
          ))}
        </nav>

        <div className="tools-main">
          <div className="tools-toolbar">
            <div className="tools-search">
              <svg className="tools-search-icon" width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" aria-hidden>
                <path d="M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zm9 16-4.35-4.35" />
              </svg>
              <input
                type="search"
                value={search}
                onChange={(event) => setParam("q", event.target.value)}
                placeholder="Search by id, name, description or category"
                aria-label="Search tools"
                data-testid="tools-search"
              />
            </div>
            <span className="spacer" />
            {catalogue && (
              <span className="muted small" data-testid="tools-count">
                {tools.length === total ? countOf(total, "tool") : `${tools.length} of ${countOf(total, "tool")}`}
              </span>
            )}
            <button
              type="button"
              className="btn ghost small"
              onClick={() => setExpanded(expanded.size ? new Set() : new Set(tools.map((tool) => tool.id)))}
              disabled={tools.length === 0}
            >
              {expanded.size ? "Collapse all" : "Expand all"}
            </button>
          </div>

          {!catalogue && !error && <div className="card tools-loading muted">Loading the catalogue…</div>}

          <div className="tools-list">
            {tools.map((tool) => (
              <ToolCard
                key={tool.id}
                tool={tool}
                categoryName={names.get(tool.category ?? "") ?? tool.category ?? ""}
                hue={hues.get(tool.category ?? "") ?? 220}
                expanded={expanded.has(tool.id)}
                onToggle={() => toggle(tool.id)}
              />
            ))}
          </div>

          {catalogue && tools.length === 0 && (
            <div className="card empty" data-testid="tools-empty">
              <h2>No tools match</h2>
              <p>Try other words, or look in every category.</p>
              <button type="button" className="btn" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
                Clear filters
              </button>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

interface CategoryButtonProps {
  label: string;
  count: number;
  active: boolean;
  onClick: () => void;
  hue?: number;
  slug?: string;
}

function CategoryButton({ label, count, active, onClick, hue, slug }: CategoryButtonProps) {
  return (
    <button
      type="button"
      className={`category-button${active ? " active" : ""}`}
      aria-pressed={active}
      onClick={onClick}
      data-category={slug ?? ""}
    >
      <span
        className="category-dot"
        style={hue === undefined ? undefined : ({ "--hue": hue } as React.CSSProperties)}
        aria-hidden
      />
      <span className="category-label">{label}</span>
      <span className="category-count">{count}</span>
    </button>
  );
}
