// The table of flows: name and description, owner, latest version and whether it validates,
// last run, last change, and each row's actions.
import { Link, useNavigate } from "react-router-dom";
import { problemsSummary, validLabel } from "../../../lib/health";
import { runStatusLook } from "../../../lib/runStatus";
import type { FlowRow } from "../api";
import { timeAgo } from "../../../lib/timeAgo";
import { extraDescription, fullTime } from "../format";
import { Icon } from "./Icon";
import { RowMenu } from "./RowMenu";

interface Props {
  flows: FlowRow[];
  onExport: (flow: FlowRow) => void;
  onDuplicate: (flow: FlowRow) => void;
  onDelete: (flow: FlowRow) => void;
}

export function FlowsTable({ flows, onExport, onDuplicate, onDelete }: Props) {
  const navigate = useNavigate();
  return (
    <table className="table flows-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" className="col-secondary">Owner</th>
          <th scope="col">Version</th>
          <th scope="col">Last run</th>
          <th scope="col" className="col-secondary">Updated</th>
          <th scope="col"><span className="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {flows.map((flow) => (
          <tr
            key={flow.id}
            data-testid="flow-row"
            data-flow-id={flow.id}
            onClick={(event) => {
              // A click on the row's empty space opens the flow; links and the menu act alone.
              if (!(event.target as HTMLElement).closest("a, button, [role=menu]")) navigate(`/flows/${flow.id}`);
            }}
          >
            <td className="flow-name-cell">
              <Link
                to={`/flows/${flow.id}`}
                className={`flow-name${flow.description && !extraDescription(flow.name, flow.description) ? " flow-name-alone" : ""}`}
                data-testid="flow-link"
                title={flow.description || flow.name}
              >
                {flow.name}
              </Link>
              {flow.description && !extraDescription(flow.name, flow.description) ? null : (
                <div className="flow-description muted" title={flow.description || undefined} data-testid="flow-description">
                  {flow.description || <span className="flow-no-description">No description</span>}
                </div>
              )}
            </td>
            <td className="col-secondary">
              <span className="owner">
                <span className="owner-avatar" aria-hidden>{flow.owner.slice(0, 1).toUpperCase()}</span>
                {flow.owner}
              </span>
            </td>
            <td>
              <VersionCell flow={flow} />
            </td>
            <td>
              <LastRunCell flow={flow} />
            </td>
            <td className="muted nowrap col-secondary" title={fullTime(flow.updated_at)}>
              {timeAgo(flow.updated_at)}
            </td>
            <td className="actions-cell">
              <RowMenu
                label={`Actions for ${flow.name}`}
                actions={[
                  {
                    label: "Run…", icon: "play", testId: "run-flow",
                    onSelect: () => navigate(`/runs?start=${flow.id}&version=${flow.latest_version?.number ?? ""}`),
                    disabled: !flow.latest_version,
                  },
                  { label: "Export JSON", icon: "download", testId: "export-flow", onSelect: () => onExport(flow), disabled: !flow.latest_version },
                  { label: "Duplicate", icon: "copy", testId: "duplicate-flow", onSelect: () => onDuplicate(flow), disabled: !flow.latest_version },
                  ...(flow.can_edit
                    ? [{ label: "Delete…", icon: "trash" as const, testId: "delete-flow", onSelect: () => onDelete(flow), danger: true }]
                    : []),
                ]}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function VersionCell({ flow }: { flow: FlowRow }) {
  const latest = flow.latest_version;
  if (!latest) return <span className="muted">No version</span>;
  return (
    <span className="version-cell">
      <Link to={`/flows/${flow.id}/v/${latest.number}`} className="version-number" title="Open this version">
        v{latest.number}
      </Link>
      {latest.is_valid && latest.warning_count ? (
        <span className="badge warn" data-testid="flow-warned" title={`Saved with ${problemsSummary(0, latest.warning_count)}`}>
          <Icon name="alert" size={12} /> {validLabel(latest.warning_count)}
        </span>
      ) : latest.is_valid ? (
        <span className="badge valid" data-testid="flow-valid"><Icon name="check" size={12} /> Valid</span>
      ) : (
        <span className="badge invalid" data-testid="flow-invalid"><Icon name="alert" size={12} /> Invalid</span>
      )}
    </span>
  );
}

function LastRunCell({ flow }: { flow: FlowRow }) {
  const run = flow.last_run;
  if (!run) return <span className="muted">Never run</span>;
  const look = runStatusLook(run.status, run.approval_rejected);
  return (
    <Link to={`/runs/${run.id}`} className="last-run" title={`Run ${run.id} · ${fullTime(run.created_at)}`} data-testid="flow-last-run">
      <span className={`badge ${look.tone}`} data-status={run.status}>
        <span className="status-dot" aria-hidden />
        {look.label}
      </span>
      <span className="muted small">{timeAgo(run.created_at)}</span>
    </Link>
  );
}
