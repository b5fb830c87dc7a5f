// One tool of the catalogue: what it is and does; expanded, its input and output schemas.
import { Link } from "react-router-dom";
import type { Tool } from "../catalogue";
import type { JsonSchema } from "../schemaRows";
import { SchemaViewer } from "./SchemaViewer";

interface Props {
  tool: Tool;
  categoryName: string;
  hue: number;
  expanded: boolean;
  onToggle: () => void;
}

/** A hue per category, spread by the golden angle so neighbours differ. */
export function categoryHues(slugs: string[]): Map<string, number> {
  return new Map(slugs.map((slug, index) => [slug, Math.round((215 + index * 137.508) % 360)]));
}

export function ToolCard({ tool, categoryName, hue, expanded, onToggle }: Props) {
  const panelId = `tool-panel-${tool.id}`;
  const options = tool.options;
  return (
    <article className={`card tool-card${expanded ? " expanded" : ""}`} data-testid="tool-card" data-tool-id={tool.id}>
      <button
        type="button"
        className="tool-summary"
        aria-expanded={expanded}
        aria-controls={panelId}
        onClick={onToggle}
        data-testid="tool-expand"
      >
        <span
          className="tool-avatar"
          style={{ "--hue": hue } as React.CSSProperties}
          aria-hidden
        >
          {(tool.category ?? tool.id).slice(0, 2).toUpperCase()}
        </span>
        <span className="tool-main">
          <span className="tool-title">
            <span className="tool-name">{tool.name}</span>
            <code className="tool-id">{tool.id}</code>
            {tool.enabled === false && <span className="badge warn">disabled</span>}
          </span>
          <span className="tool-description" title={tool.description}>{tool.description}</span>
        </span>
        <span className="tool-tags">
          {tool.category && <span className="badge">{categoryName}</span>}
          <span className={`badge kind kind-${tool.kind}`}>{tool.kind}</span>
        </span>
        <span className="tool-chevron" aria-hidden>{expanded ? "▾" : "▸"}</span>
      </button>
      {expanded && (
        <div className="tool-details" id={panelId}>
          <div className="tool-schemas">
            <SchemaViewer title="Inputs" schema={tool.input_schema as JsonSchema} testId="tool-inputs" />
            <SchemaViewer title="Output" schema={tool.output_schema as JsonSchema} testId="tool-output" />
          </div>
          <div className="tool-foot">
          <dl className="tool-facts">
            <div><dt>Source</dt><dd>{tool.source}{tool.mcp_server ? ` · ${tool.mcp_server}` : ""}</dd></div>
            <div><dt>Version</dt><dd>{tool.version}</dd></div>
            {options && (
              <>
                <div><dt>Timeout</dt><dd>{options.timeout_s} s</dd></div>
                <div><dt>Retries</dt><dd>{options.retries}</dd></div>
                <div><dt>Cacheable</dt><dd>{options.cacheable ? "yes" : "no"}</dd></div>
                {options.requires_approval && <div><dt>Approval</dt><dd>required</dd></div>}
                {options.concurrency != null && <div><dt>Concurrency</dt><dd>{options.concurrency}</dd></div>}
              </>
            )}
          </dl>
          <Link className="btn small" to={`/flows/new?tools=${encodeURIComponent(tool.id)}`} data-testid="tool-plan-with">
            Plan a flow with this tool →
          </Link>
          </div>
        </div>
      )}
    </article>
  );
}
