// The one "nothing here" page: what was not found, why that may be, and the ways on.
// Every page that can be opened at a wrong address (a flow, run, batch or step that does not
// exist or that the user may not see, or no page at all) shows this, so all of them read alike.
import { Link } from "react-router-dom";

export interface NotFoundProps {
  /** "Flow not found", "Page not found", ... */
  title: string;
  /** Why, in a sentence. */
  message: string;
  /** The list the thing would be in: where the main button goes. */
  back: { to: string; label: string };
  testId?: string;
}

export function NotFound({ title, message, back, testId = "not-found" }: NotFoundProps) {
  return (
    <div className="page not-found" data-testid={testId}>
      <div className="not-found-card">
        <div className="not-found-code" aria-hidden>404</div>
        <h1 id="not-found-title">{title}</h1>
        <p className="muted">{message}</p>
        <p className="muted small">Check the address, or go on from here:</p>
        <div className="not-found-actions">
          <Link className="btn primary" to={back.to}>← {back.label}</Link>
          {back.to !== "/flows" && <Link className="btn" to="/flows">Flows</Link>}
          <Link className="btn" to="/flows/new">New flow</Link>
        </div>
      </div>
    </div>
  );
}
