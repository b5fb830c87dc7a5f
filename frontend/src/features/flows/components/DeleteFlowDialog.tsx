// Confirms a delete; a flow with runs is refused by the API (409 protected) and says why.
import { useState } from "react";
import { ApiError } from "../../../lib/api";
import { deleteFlow, type FlowRow } from "../api";
import { errorMessage } from "../documents";
import { Dialog } from "./Dialog";

interface Props {
  flow: FlowRow;
  onClose: () => void;
  onDeleted: () => void;
}

export function DeleteFlowDialog({ flow, onClose, onDeleted }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await deleteFlow(flow.id);
      onDeleted();
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Delete this flow?"
      tone="danger"
      onClose={onClose}
      testId="delete-flow-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} data-autofocus>Cancel</button>
          <button
            type="button"
            className="btn danger-solid"
            onClick={confirm}
            disabled={busy || error != null}
            data-testid="confirm-delete"
          >
            {busy ? "Deleting…" : "Delete flow"}
          </button>
        </>
      }
    >
      <p>
        <strong>{flow.name}</strong> and its {flow.latest_version ? `${flow.latest_version.number} ` : ""}
        version{flow.latest_version?.number === 1 ? "" : "s"} will be deleted. This cannot be undone.
      </p>
      {error != null && (
        <div className="alert error" role="alert" data-testid="delete-error">
          {errorMessage(error)}
          {inUseBy(error) && <> It has {inUseBy(error)} that keep its versions.</>}
        </div>
      )}
    </Dialog>
  );
}

/** What a 409 `protected` says holds the flow (details.in_use_by: ["Run"]), in words. */
function inUseBy(error: unknown): string {
  if (!(error instanceof ApiError) || error.code !== "protected") return "";
  const names = error.details.in_use_by;
  if (!Array.isArray(names) || names.length === 0) return "";
  return names.map((name) => `${String(name).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}s`).join(" and ");
}
