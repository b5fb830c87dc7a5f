// Why an imported file was refused: the API's message and every issue it listed.
import { countOf } from "../../../lib/plural";
import type { ProblemLine } from "../documents";
import { Dialog } from "./Dialog";
import { CodeText } from "../../../lib/CodeText";
import { ProblemList } from "./ProblemList";

interface Props {
  fileName: string;
  message: string;
  problems: ProblemLine[];
  onClose: () => void;
  onRetry: () => void;
}

export function ImportErrorDialog({ fileName, message, problems, onClose, onRetry }: Props) {
  return (
    <Dialog
      title={`Could not import ${fileName}`}
      tone="danger"
      onClose={onClose}
      testId="import-error-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>Close</button>
          <button type="button" className="btn primary" onClick={onRetry} data-autofocus>Choose another file</button>
        </>
      }
    >
      <div className="alert error" role="alert" data-testid="import-error"><CodeText text={message} /></div>
      {problems.length > 0 && (
        <>
          <h3 className="problem-title">{countOf(problems.length, "issue")}</h3>
          <ProblemList problems={problems} />
        </>
      )}
    </Dialog>
  );
}
