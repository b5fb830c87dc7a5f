// A JSON Schema as a readable table (field, type, required, description and constraints),
// with the raw JSON a click away.
import { useMemo, useState } from "react";
import { countOf } from "../../../lib/plural";
import { schemaRows, type JsonSchema } from "../schemaRows";

interface Props {
  title: string;
  schema: JsonSchema;
  testId?: string;
}

export function SchemaViewer({ title, schema, testId }: Props) {
  const [raw, setRaw] = useState(false);
  const rows = useMemo(() => schemaRows(schema), [schema]);

  return (
    <section className="schema-viewer" data-testid={testId}>
      <header className="schema-head">
        <h3>{title}</h3>
        <span className="muted small">{countOf(rows.length, "field")}</span>
        <span className="spacer" />
        <button
          type="button"
          className="btn ghost small"
          aria-pressed={raw}
          onClick={() => setRaw((value) => !value)}
          data-testid="schema-raw-toggle"
        >
          {raw ? "Fields" : "Raw JSON"}
        </button>
      </header>
      {raw ? (
        <pre className="json schema-json">{JSON.stringify(schema, null, 2)}</pre>
      ) : rows.length === 0 ? (
        <p className="muted small schema-none">No fields.</p>
      ) : (
        <table className="schema-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Type</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.path || row.name}>
                <td className="schema-field" style={{ paddingLeft: 10 + row.depth * 16 }}>
                  {row.depth > 0 && <span className="schema-indent" aria-hidden>└</span>}
                  <code title={row.path}>{row.name}</code>
                  {row.required && <span className="schema-required" title="Required">required</span>}
                </td>
                <td className="schema-type"><code>{row.type}</code></td>
                <td>
                  <div className="schema-description">
                  {row.description && <span>{row.description}</span>}
                  {row.enumValues.length > 0 && (
                    <span className="schema-enum">
                      {row.enumValues.map((value) => (
                        <code key={JSON.stringify(value)}>{JSON.stringify(value)}</code>
                      ))}
                    </span>
                  )}
                  {row.constraints.length > 0 && (
                    <span className="schema-constraints">{row.constraints.join(" · ")}</span>
                  )}
                  {!row.description && row.enumValues.length === 0 && row.constraints.length === 0 && (
                    <span className="muted">—</span>
                  )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
