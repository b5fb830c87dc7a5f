// Optionally limits the planner to chosen tools: search the catalogue (name, category,
// description), tick tools, see them as chips. None chosen means the whole catalogue.
import { useMemo, useState } from "react";
import { countOf } from "../../../lib/plural";
import type { Category, Tool } from "../api";
import { groupByCategory, searchTools } from "../toolSearch";

interface Props {
  tools: Tool[];
  categories: Category[];
  selected: string[];
  onChange: (selected: string[]) => void;
  loading: boolean;
}

export function ToolPicker({ tools, categories, selected, onChange, loading }: Props) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const names = useMemo(() => new Map(categories.map((item) => [item.slug, item.name])), [categories]);
  const groups = useMemo(() => groupByCategory(searchTools(tools, query, names), names), [tools, query, names]);
  const chosen = new Set(selected);
  const byId = new Map(tools.map((tool) => [tool.id, tool]));

  function toggle(id: string) {
    onChange(chosen.has(id) ? selected.filter((item) => item !== id) : [...selected, id]);
  }

  return (
    <section className="tool-picker" data-testid="tool-picker" aria-label="Tools the planner may use">
      <div className="tool-picker-head">
        <div className="tool-picker-title">
          <span className="picker-label">Tools</span>
          {selected.length === 0 ? (
            <span className="muted small">
              {loading ? "Loading the catalogue…" : toolsOffered(tools.length)}
            </span>
          ) : (
            <ul className="chips" aria-label="Chosen tools">
              {selected.map((id) => (
                <li key={id} className="chip" data-testid="tool-chip" data-tool-id={id}>
                  <span title={byId.get(id)?.description}>{byId.get(id)?.name ?? id}</span>
                  <button type="button" aria-label={`Remove ${byId.get(id)?.name ?? id}`} onClick={() => toggle(id)}>
                    ×
                  </button>
                </li>
              ))}
              <li>
                <button type="button" className="btn ghost small" onClick={() => onChange([])}>Clear</button>
              </li>
            </ul>
          )}
        </div>
        <button
          type="button"
          className="btn small"
          aria-expanded={open}
          aria-controls="tool-picker-panel"
          onClick={() => setOpen((value) => !value)}
          data-testid="tool-picker-toggle"
        >
          {open ? "Done" : selected.length ? "Change" : "Limit to tools…"}
        </button>
      </div>
      {open && (
        <div className="tool-picker-panel" id="tool-picker-panel">
          <input
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              // Enter picks the only match instead of submitting the prompt's form.
              if (event.key !== "Enter") return;
              event.preventDefault();
              const matches = groups.flatMap(([, list]) => list);
              if (matches.length === 1) toggle(matches[0].id);
            }}
            placeholder="Search tools by name, category or description"
            aria-label="Search tools"
            data-testid="tool-picker-search"
            autoFocus
          />
          <div className="tool-picker-list">
            {groups.length === 0 && <p className="muted small">No tool matches “{query}”.</p>}
            {groups.map(([category, list]) => (
              <fieldset key={category} className="tool-group">
                <legend>{category}</legend>
                {list.map((tool) => (
                  <label key={tool.id} className="tool-option" data-testid="tool-option" data-tool-id={tool.id}>
                    <input type="checkbox" checked={chosen.has(tool.id)} onChange={() => toggle(tool.id)} />
                    <span className="tool-option-text">
                      <span className="tool-option-name">
                        {tool.name} <code>{tool.id}</code>
                      </span>
                      <span className="tool-option-description">{tool.description}</span>
                    </span>
                  </label>
                ))}
              </fieldset>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

function toolsOffered(count: number): string {
  return count === 1 ? "The planner may use the one tool in the catalogue." : `The planner may use any of the ${countOf(count, "tool")}.`;
}
