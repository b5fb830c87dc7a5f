// The designer's toolbar: where you are (flow, version, saved or not, valid or not) and
// what you can do (undo, redo, re-layout, versions, refine, run, export, save).
import { Link } from "react-router-dom";
import { useStore } from "zustand";
import type { VersionSummary } from "../api";
import { useDesigner } from "../store";
import { designer } from "../store";
import type { SidePanel } from "../sidePanels";
import { Icon } from "./Icon";
import { ValidityBadge } from "./ValidityBadge";

interface ToolbarProps {
  versions: VersionSummary[];
  saving: boolean;
  onSave: () => void;
  onOpenVersion: (number: number) => void;
  onToggleVersions: () => void;
  onToggleRefine: () => void;
  /** Opens the flow's settings, brings them in front of another side panel, or closes them. */
  onToggleSettings: () => void;
  onRun: () => void;
  onExport: () => void;
  onShowShortcuts: () => void;
  versionsOpen: boolean;
  refineOpen: boolean;
  /** The side panel in front (a button is pressed while its panel is shown, not while it
   *  waits behind another's tab: a click then brings it forward). */
  sideShown: SidePanel | null;
}

export function Toolbar(props: ToolbarProps) {
  // A draft (not saved yet) is named by its settings until it is saved.
  const draft = useDesigner((state) => state.flowId === null);
  const flowName = useDesigner((state) => (state.flowId === null ? state.ir.name : state.flowName));
  const version = useDesigner((state) => state.version);
  const dirty = useDesigner((state) => state.dirty);
  const canEdit = useDesigner((state) => state.canEdit);
  const empty = useDesigner((state) => state.ir.nodes.length === 0);
  const canUndo = useStore(useDesigner.temporal, (state) => state.pastStates.length > 0);
  const canRedo = useStore(useDesigner.temporal, (state) => state.futureStates.length > 0);
  const settingsShown = useDesigner((state) => state.settingsOpen) && props.sideShown === "inspector";
  const versionsShown = props.versionsOpen && props.sideShown === "versions";
  const refineShown = props.refineOpen && props.sideShown === "refine";
  const unsaved = (dirty || draft) && canEdit;
  return (
    <header className="designer-toolbar">
      <Link to="/flows" className="toolbar-back" aria-label="Back to flows">←</Link>
      <div className="toolbar-title">
        <h1 title={flowName}>{flowName || "Untitled flow"}</h1>
        <div className="toolbar-meta">
          <select
            aria-label="Version"
            className="version-select"
            value={version ?? ""}
            onChange={(event) => props.onOpenVersion(Number(event.target.value))}
            data-testid="version-select"
          >
            {version === null && <option value="">no version yet</option>}
            {props.versions.map((v) => <option key={v.number} value={v.number}>v{v.number}{v === props.versions[0] ? " · latest" : ""}</option>)}
          </select>
          <span className={`save-state${dirty || draft ? " dirty" : ""}`} data-testid="dirty-indicator" data-dirty={dirty ? "true" : "false"}
            data-draft={draft ? "true" : undefined} title={draft ? "Nothing is kept until you save: leave without saving and no flow is made" : undefined}>
            <span className="save-dot" aria-hidden />{draft ? "Draft, not saved yet" : dirty ? "Unsaved changes" : "Saved"}
          </span>
          <ValidityBadge />
          {!canEdit && <span className="badge">read only</span>}
        </div>
      </div>
      <span className="spacer" />
      <div className="toolbar-group" role="group" aria-label="History">
        <button type="button" className="btn ghost icon" data-testid="undo" title="Undo (Ctrl+Z)" aria-label="Undo" disabled={!canUndo} onClick={() => designer.undo()}><Icon name="undo" /></button>
        <button type="button" className="btn ghost icon" data-testid="redo" title="Redo (Ctrl+Shift+Z)" aria-label="Redo" disabled={!canRedo} onClick={() => designer.redo()}><Icon name="redo" /></button>
        <button type="button" className="btn ghost icon toolbar-optional" data-testid="relayout" title="Re-layout" aria-label="Re-layout" disabled={empty || !canEdit} onClick={() => designer.requestLayout()}><Icon name="layout" /></button>
        <button type="button" className="btn ghost icon toolbar-optional" data-testid="shortcuts-button" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" onClick={props.onShowShortcuts}><Icon name="keyboard" /></button>
      </div>
      <span className="toolbar-sep" aria-hidden />
      <button type="button" className={`btn ghost${settingsShown ? " active" : ""}`} data-testid="flow-settings-button" aria-pressed={settingsShown} title="Name, description, run input, limits" onClick={props.onToggleSettings}>
        <Icon name="settings" /> <span className="btn-label">Settings</span>
      </button>
      <button type="button" className={`btn ghost${versionsShown ? " active" : ""}`} data-testid="versions-button" title="Versions" aria-pressed={versionsShown} disabled={draft} onClick={props.onToggleVersions}>
        <Icon name="history" /> <span className="btn-label">Versions</span>
      </button>
      <button type="button" className={`btn ghost${refineShown ? " active" : ""}`} data-testid="refine-button" title="Refine by instruction" aria-pressed={refineShown} disabled={empty || !canEdit} onClick={props.onToggleRefine}>
        <Icon name="sparkles" /> <span className="btn-label">Refine</span>
      </button>
      <button type="button" className="btn ghost" data-testid="export" title="Export as JSON" onClick={props.onExport} disabled={empty}>
        <Icon name="download" /> <span className="btn-label">Export</span>
      </button>
      <button type="button" className="btn" data-testid="run" onClick={props.onRun}
        disabled={props.saving || !(unsaved ? !empty : version !== null)}
        title={unsaved ? "Save the changes as a new version, then run it" : "Run this version"}>
        <Icon name="play" size={14} /> {unsaved ? "Save & run" : "Run"}
      </button>
      <button type="button" className="btn primary" data-testid="save-version" onClick={props.onSave} disabled={!canEdit || props.saving || empty || (!dirty && version !== null)} title="Save as a new version (Ctrl+S)">
        <Icon name="save" size={15} /> {props.saving ? "Saving…" : <>Save<span className="btn-label-rest"> version</span></>}
      </button>
    </header>
  );
}
