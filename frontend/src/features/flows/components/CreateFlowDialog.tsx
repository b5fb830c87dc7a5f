// "Create blank flow": a name and a description; the flow starts with one output node.
import { useState } from "react";
import { ApiError } from "../../../lib/api";
import { createFlow, type FlowOutput } from "../api";
import { blankIr, errorMessage } from "../documents";
import { Dialog } from "./Dialog";

interface Props {
  onClose: () => void;
  onCreated: (flow: FlowOutput) => void;
}

export function CreateFlowDialog({ onClose, onCreated }: Props) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fields = error instanceof ApiError ? error.fields : {};

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const flow = await createFlow({
        name: name.trim(),
        description: description.trim(),
        ir: blankIr(name.trim(), description.trim()),
      });
      onCreated(flow);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Create a blank flow" onClose={onClose} testId="create-flow-dialog">
      <form onSubmit={submit} noValidate>
        <p className="muted dialog-lead">
          Start from an empty canvas with a single output node, and build the graph in the designer.
        </p>
        {error != null && !fields.name && !fields.description && (
          <div className="alert error" role="alert">{errorMessage(error)}</div>
        )}
        <div className="field">
          <label htmlFor="flow-name">Name</label>
          <input
            id="flow-name"
            type="text"
            value={name}
            onChange={(event) => setName(event.target.value)}
            maxLength={200}
            placeholder="e.g. Onboard a new customer"
            data-autofocus
            aria-invalid={Boolean(fields.name)}
            data-testid="create-flow-name"
          />
          {fields.name?.map((message) => <span key={message} className="field-error">{message}</span>)}
        </div>
        <div className="field">
          <label htmlFor="flow-description">Description <span className="muted">(optional)</span></label>
          <textarea
            id="flow-description"
            rows={3}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            placeholder="What does this flow do?"
            data-testid="create-flow-description"
          />
          {fields.description?.map((message) => <span key={message} className="field-error">{message}</span>)}
        </div>
        <div className="flows-dialog-foot">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn primary" disabled={busy} data-testid="create-flow-submit">
            {busy ? "Creating…" : "Create and open"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
