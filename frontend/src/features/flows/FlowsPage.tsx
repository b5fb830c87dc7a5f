// The flows list: find a flow, open it in the designer, create, import, export, duplicate or
// delete one. Every refusal shows the API's own message.
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { readSession } from "../../lib/session";
import { useDebounced } from "../../lib/useDebounced";
import { createFlow, latestIr, type FlowRow } from "./api";
import { CreateFlowDialog } from "./components/CreateFlowDialog";
import { DeleteFlowDialog } from "./components/DeleteFlowDialog";
import { FlowsTable } from "./components/FlowsTable";
import { ImportErrorDialog } from "./components/ImportErrorDialog";
import {
  copyIr,
  copyName,
  errorMessage,
  errorProblems,
  exportFileName,
  parseIrFile,
  type ProblemLine,
} from "./documents";
import { useFlows } from "./hooks";
import { Icon } from "./components/Icon";
import "./flows.css";

const PAGE_SIZE = 20;
const session = readSession();

type Notice = { tone: "success" | "error"; text: string; link?: { to: string; label: string } };
type ImportFailure = { fileName: string; message: string; problems: ProblemLine[] };

export default function FlowsPage() {
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [mine, setMine] = useState(false);
  const [offset, setOffset] = useState(0);
  const debouncedSearch = useDebounced(search.trim(), 250);
  const owner = mine ? session.username : "";
  const { page, loading, error, reload } = useFlows({
    search: debouncedSearch,
    owner,
    limit: PAGE_SIZE,
    offset,
  });

  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<FlowRow | null>(null);
  const [importFailure, setImportFailure] = useState<ImportFailure | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    document.title = "Flows · DynamicFlow";
  }, []);

  const filtered = Boolean(debouncedSearch) || mine;
  const count = page?.count ?? 0;
  // Nobody has made a flow yet: there is nothing to search or filter, only the ways to start.
  const noFlowsYet = page !== null && count === 0 && !filtered && search === "" && !loading && error == null;

  async function importFile(file: File) {
    setNotice(null);
    const parsed = parseIrFile(await file.text(), file.name);
    if (!parsed.ok) {
      setImportFailure({ fileName: file.name, message: parsed.error, problems: [] });
      return;
    }
    setBusy(true);
    try {
      const description = typeof parsed.ir.description === "string" ? parsed.ir.description : "";
      const flow = await createFlow({ name: parsed.name, description, ir: parsed.ir });
      const valid = flow.latest_version?.is_valid;
      setNotice({
        tone: "success",
        text: `Imported “${flow.name}”${valid === false ? " (it does not validate yet)" : ""}.`,
        link: { to: `/flows/${flow.id}`, label: "Open in designer" },
      });
      setOffset(0);
      reload();
    } catch (caught) {
      setImportFailure({ fileName: file.name, message: errorMessage(caught), problems: errorProblems(caught) });
    } finally {
      setBusy(false);
    }
  }

  async function exportFlow(flow: FlowRow) {
    try {
      const ir = await latestIr(flow);
      const blob = new Blob([`${JSON.stringify(ir, null, 2)}\n`], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = exportFileName(flow.name);
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (caught) {
      setNotice({ tone: "error", text: `Could not export “${flow.name}”: ${errorMessage(caught)}` });
    }
  }

  async function duplicateFlow(flow: FlowRow) {
    setBusy(true);
    setNotice(null);
    try {
      const name = copyName(flow.name);
      const ir = copyIr(await latestIr(flow), name);
      const copy = await createFlow({ name, description: flow.description ?? "", ir });
      setNotice({ tone: "success", text: `Created “${copy.name}”.`, link: { to: `/flows/${copy.id}`, label: "Open in designer" } });
      reload();
    } catch (caught) {
      setNotice({ tone: "error", text: `Could not duplicate “${flow.name}”: ${errorMessage(caught)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div
      className={`page flows-page${dragging ? " is-dragging" : ""}`}
      onDragOver={(event) => {
        if (!Array.from(event.dataTransfer.types).includes("Files")) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        const file = event.dataTransfer.files[0];
        if (file) void importFile(file);
      }}
    >
      {dragging && (
        <div className="drop-overlay" aria-hidden>
          <Icon name="upload" size={28} />
          <span>Drop a JSON IR file to import it as a new flow</span>
        </div>
      )}
      <header className="page-header">
        <div>
          <h1>Flows</h1>
          <p className="muted page-lead">Workflows planned from a prompt or built by hand. Open one to edit it in the designer.</p>
        </div>
        <div className="toolbar">
          <label className="btn file-button" title="Import a flow from a JSON IR file">
            <Icon name="upload" /> Import
            <input
              ref={fileInput}
              type="file"
              accept=".json,application/json"
              className="visually-hidden"
              data-testid="import-flow"
              aria-label="Import a flow from a JSON file"
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = "";
                if (file) void importFile(file);
              }}
            />
          </label>
          <button type="button" className="btn" onClick={() => setCreating(true)} data-testid="create-flow" title="Create a blank flow">
            <Icon name="plus" /> Blank
          </button>
          <Link to="/flows/new" className="btn primary" data-testid="new-flow" title="Plan a new flow from a prompt">
            <Icon name="sparkle" /> New flow
          </Link>
        </div>
      </header>

      {notice && (
        <div className={`alert ${notice.tone} notice`} role={notice.tone === "error" ? "alert" : "status"} data-testid="flows-notice">
          <span>{notice.text}</span>
          {notice.link && <Link to={notice.link.to}>{notice.link.label} →</Link>}
          <button type="button" className="btn ghost small notice-close" aria-label="Dismiss" onClick={() => setNotice(null)}><Icon name="close" size={14} /></button>
        </div>
      )}

      {!noFlowsYet && <div className="flows-filters">
        <div className="search-box">
          <span className="search-icon"><Icon name="search" size={15} /></span>
          <input
            type="search"
            placeholder="Search flows by name or description"
            aria-label="Search flows"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setOffset(0);
            }}
            data-testid="flows-search"
          />
        </div>
        <div className="segmented" role="radiogroup" aria-label="Owner">
          {[
            { value: false, label: "Everyone", testId: "owner-everyone" },
            { value: true, label: "Mine", testId: "owner-mine" },
          ].map((option) => (
            <button
              key={option.label}
              type="button"
              role="radio"
              aria-checked={mine === option.value}
              data-testid={option.testId}
              onClick={() => {
                setMine(option.value);
                setOffset(0);
              }}
            >
              {option.label}
            </button>
          ))}
        </div>
        <span className="spacer" />
        {busy && <span className="muted small" role="status">Working…</span>}
        {page && <span className="muted small" data-testid="flows-count">{count} flow{count === 1 ? "" : "s"}</span>}
      </div>}

      {error != null && (
        <div className="alert error" role="alert">
          Could not load the flows: {errorMessage(error)}{" "}
          <button type="button" className="btn small" onClick={reload}>Retry</button>
        </div>
      )}

      {page && page.results.length > 0 && (
        <div className={`card flows-card${loading ? " is-loading" : ""}`}>
          <FlowsTable
            flows={page.results}
            onExport={exportFlow}
            onDuplicate={duplicateFlow}
            onDelete={setDeleting}
          />
          <Pagination offset={offset} count={count} onChange={setOffset} />
        </div>
      )}

      {page && page.results.length === 0 && !loading && (
        filtered ? (
          <div className="card empty flows-empty" data-testid="flows-empty">
            <div className="empty-icon"><Icon name="search" size={24} /></div>
            <h2>No flows match</h2>
            <p>{debouncedSearch ? <>Nothing matches “{debouncedSearch}”{mine ? " among your flows" : ""}.</> : "You have no flows yet."}</p>
            <button type="button" className="btn" onClick={() => { setSearch(""); setMine(false); }}>
              Clear filters
            </button>
          </div>
        ) : (
          <div className="card empty flows-empty" data-testid="flows-empty">
            <div className="empty-icon"><Icon name="sparkle" size={24} /></div>
            <h2>Create your first flow</h2>
            <p>Describe what should happen in plain words; DynamicFlow plans the graph, and you refine it in the designer.</p>
            <div className="toolbar empty-actions">
              <Link to="/flows/new" className="btn primary"><Icon name="sparkle" /> Plan a flow from a prompt</Link>
              <button type="button" className="btn" onClick={() => setCreating(true)}>Start blank</button>
              <button type="button" className="btn" onClick={() => fileInput.current?.click()}>Import a JSON file</button>
            </div>
          </div>
        )
      )}

      {!page && loading && <FlowsSkeleton />}

      {creating && (
        <CreateFlowDialog
          onClose={() => setCreating(false)}
          onCreated={(flow) => navigate(`/flows/${flow.id}`)}
        />
      )}
      {deleting && (
        <DeleteFlowDialog
          flow={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setNotice({ tone: "success", text: `Deleted “${deleting.name}”.` });
            setDeleting(null);
            if (page && page.results.length === 1 && offset > 0) setOffset(Math.max(0, offset - PAGE_SIZE));
            reload();
          }}
        />
      )}
      {importFailure && (
        <ImportErrorDialog
          {...importFailure}
          onClose={() => setImportFailure(null)}
          onRetry={() => {
            setImportFailure(null);
            fileInput.current?.click();
          }}
        />
      )}
    </div>
  );
}

function Pagination({ offset, count, onChange }: { offset: number; count: number; onChange: (offset: number) => void }) {
  if (count <= PAGE_SIZE) return null;
  const last = Math.min(offset + PAGE_SIZE, count);
  return (
    <nav className="pagination" aria-label="Pages">
      <span className="muted small">
        {offset + 1}–{last} of {count}
      </span>
      <button type="button" className="btn small" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - PAGE_SIZE))} data-testid="page-prev">
        ← Previous
      </button>
      <button type="button" className="btn small" disabled={last >= count} onClick={() => onChange(offset + PAGE_SIZE)} data-testid="page-next">
        Next →
      </button>
    </nav>
  );
}

function FlowsSkeleton() {
  return (
    <div className="card flows-skeleton" aria-busy="true" aria-label="Loading flows">
      {Array.from({ length: 5 }, (_, index) => (
        <div key={index} className="skeleton-row">
          <span className="skeleton" style={{ width: "32%" }} />
          <span className="skeleton" style={{ width: "12%" }} />
          <span className="skeleton" style={{ width: "14%" }} />
          <span className="skeleton" style={{ width: "18%" }} />
        </div>
      ))}
    </div>
  );
}
