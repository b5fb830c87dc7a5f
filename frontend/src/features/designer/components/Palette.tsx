// The palette: control nodes and the tool catalogue by category, searchable; click a
// block to add it beside the selection (or in view), or drag it onto the canvas.
import { useMemo, useState } from "react";
import type { NodeType } from "../../../graph";
import type { Category, Tool } from "../api";
import { CONTROL_TYPES, NODE_KINDS } from "../nodeKinds";
import { PALETTE_MIME, type PaletteDrop } from "./Canvas";
import { Icon } from "./Icon";

interface PaletteProps {
  tools: Tool[];
  categories: Category[];
  onAdd: (drop: PaletteDrop) => void;
  disabled?: boolean;
  /** Test ids and the root's class: "palette" for the sidebar, "quick-add" for the picker
   *  opened where a connection was dropped on empty canvas. */
  idPrefix?: string;
  autoFocus?: boolean;
}

function matches(query: string, ...texts: (string | null | undefined)[]): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = texts.filter(Boolean).join(" ").toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function Palette({ tools, categories, onAdd, disabled, idPrefix = "palette", autoFocus }: PaletteProps) {
  const [query, setQuery] = useState("");
  const [closed, setClosed] = useState<Record<string, boolean>>({});
  const controls = CONTROL_TYPES.filter((type) => matches(query, type, NODE_KINDS[type].label, NODE_KINDS[type].description));
  const groups = useMemo(() => {
    const names = new Map(categories.map((category) => [category.slug, category.name]));
    const found = new Map<string, Tool[]>();
    for (const tool of tools) {
      if (tool.enabled === false || !matches(query, tool.id, tool.name, tool.description, tool.category)) continue;
      const key = tool.category ?? "";
      found.set(key, [...(found.get(key) ?? []), tool]);
    }
    return [...found.entries()]
      .map(([slug, list]) => ({ slug, name: names.get(slug) ?? (slug || "Other"), tools: list.sort((a, b) => a.name.localeCompare(b.name)) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [tools, categories, query]);

  const item = (key: string, drop: PaletteDrop, type: NodeType, title: string, detail: string) => (
    <li key={key}>
      <button
        type="button"
        className="palette-item"
        data-testid={`${idPrefix}-item-${key}`}
        draggable={!disabled}
        disabled={disabled}
        onDragStart={(event) => {
          event.dataTransfer.setData(PALETTE_MIME, JSON.stringify(drop));
          event.dataTransfer.effectAllowed = "copy";
        }}
        onClick={() => onAdd(drop)}
        title={`${detail}\nClick to add, or drag onto the canvas.`}
      >
        <span className="palette-icon" style={{ "--kind": `var(${NODE_KINDS[type].colour})` } as React.CSSProperties}>
          <Icon name={type} size={14} />
        </span>
        <span className="palette-text">
          <span className="palette-name">{title}</span>
          <span className="palette-detail">{detail}</span>
        </span>
      </button>
    </li>
  );

  return (
    <aside className={idPrefix === "palette" ? "designer-palette" : `designer-palette ${idPrefix}`} aria-label={idPrefix === "palette" ? "Palette" : "Add a connected step"}>
      <div className="palette-search">
        <Icon name="search" size={14} />
        <input
          type="search"
          placeholder="Search tools"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            // Enter adds the first match: type "email", press Enter.
            if (event.key !== "Enter") return;
            const first = controls[0] ? { type: controls[0] } : groups[0] ? { type: "tool" as const, tool: groups[0].tools[0].id } : null;
            if (first && !disabled) {
              event.preventDefault();
              onAdd(first);
            }
          }}
          autoFocus={autoFocus}
          data-testid={`${idPrefix}-search`}
          aria-label="Search tools and blocks"
        />
      </div>
      <div className="palette-scroll">
        {controls.length > 0 && (
          <section>
            <h3 className="palette-heading">Logic &amp; data</h3>
            <ul className="palette-list">
              {controls.map((type) => item(type, { type }, type, NODE_KINDS[type].label, NODE_KINDS[type].description))}
            </ul>
          </section>
        )}
        {groups.map((group) => {
          const isClosed = closed[group.slug] && !query;
          return (
            <section key={group.slug}>
              <h3 className="palette-heading">
                <button
                  type="button"
                  className="palette-toggle"
                  aria-expanded={!isClosed}
                  onClick={() => setClosed({ ...closed, [group.slug]: !closed[group.slug] })}
                >
                  <span className={`palette-chevron${isClosed ? " closed" : ""}`}><Icon name="chevron" size={12} /></span>
                  {group.name}
                  <span className="palette-count">{group.tools.length}</span>
                </button>
              </h3>
              {!isClosed && (
                <ul className="palette-list">
                  {group.tools.map((tool) => item(tool.id, { type: "tool", tool: tool.id }, "tool", tool.name, tool.description || tool.id))}
                </ul>
              )}
            </section>
          );
        })}
        {controls.length === 0 && groups.length === 0 && <p className="palette-empty">Nothing matches “{query}”.</p>}
      </div>
    </aside>
  );
}
