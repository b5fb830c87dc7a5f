// The managers' inbox: the steps waiting for me or my groups, oldest first, with their flow,
// run, age and deadline, a page at a time (the next loads as the end of the list scrolls
// into view, or with "Load more"). New steps appear live (the inbox websocket).
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { EmptyState } from "../../lib/EmptyState";
import { readSession } from "../../lib/session";
import { useDebounced } from "../../lib/useDebounced";
import { assigneeText, age, deadline } from "./format";
import { hasMore, shownText } from "./paging";
import { useInbox } from "./useInbox";
import { useLoadWhenVisible } from "./useLoadWhenVisible";
import "./inbox.css";

const session = readSession();

/** Who may open a step's run: its owner and staff (the server's rule; an assignee may decide
 *  the step without seeing the rest of the run). The step page asks the server itself. */
export default function InboxPage() {
  const [params, setParams] = useSearchParams();
  const query = params.get("q") ?? "";
  const search = useDebounced(query.trim(), 250);
  const setQuery = (value: string) => setParams(value ? { q: value } : {}, { replace: true });
  const { steps, count, error, fresh, loadingMore, loadMore } = useInbox(search);
  const navigate = useNavigate();
  const more = steps !== null && hasMore(steps.length, count);
  const end = useLoadWhenVisible<HTMLDivElement>(more, loadMore);
  return (
    <div className="page inbox-page">
      <div className="page-header">
        <div>
          <h1>Inbox</h1>
          <p className="muted" data-testid="inbox-lead">
            Approvals waiting for you or your groups{session.isStaff ? ", and, as staff, those nobody else can decide (their group has no one in it)" : ""}. New ones appear here as runs reach them.
          </p>
        </div>
      </div>
      {error && <div className="alert error" role="alert">{error}</div>}
      {(query || (steps !== null && steps.length > 0)) && (
        <div className="inbox-filters">
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Find a step by its title, flow or who started the run"
            aria-label="Find a step"
            data-testid="inbox-search"
          />
        </div>
      )}
      <div className="card">
        {steps === null && !error && <div className="empty">Loading…</div>}
        {steps !== null && steps.length === 0 && search && (
          <EmptyState icon="search" title={`No waiting step matches “${search}”`} testId="inbox-no-match"
            actions={<button type="button" className="btn" onClick={() => setQuery("")}>Clear the search</button>}>
            Each word must be in the step&rsquo;s title, its flow&rsquo;s name or the name of who started the run.
          </EmptyState>
        )}
        {steps !== null && steps.length === 0 && !search && (
          <EmptyState icon="done" title="Nothing is waiting for you" testId="inbox-empty">
            Approval steps assigned to you or to your groups appear here the moment a run reaches them.
          </EmptyState>
        )}
        {steps !== null && steps.length > 0 && (
          <table className="table inbox-table" data-testid="inbox-table">
            <thead>
              <tr>
                <th>Step</th>
                <th>Flow</th>
                <th className="col-secondary">Run</th>
                <th className="col-secondary">Assigned to</th>
                <th>Waiting</th>
                <th>Deadline</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((step) => {
                const due = deadline(step.deadline);
                const href = `/inbox/${step.run}/${step.node_id}`;
                return (
                  <tr
                    key={step.id}
                    className={`inbox-row${fresh.has(step.id) ? " fresh" : ""}`}
                    data-testid="inbox-row"
                    onClick={() => navigate(href)}
                  >
                    <td>
                      <Link to={href} className="inbox-title" onClick={(e) => e.stopPropagation()}>
                        {step.title}
                      </Link>
                      <div className="muted small">
                        {step.quorum > 1 ? `${step.approvals} of ${step.quorum} approvals` : step.node_id}
                        {step.escalated_at && <span className="badge warn inbox-inline">escalated</span>}
                      </div>
                    </td>
                    <td>
                      {step.flow}
                      {/* what the run is about, so steps of one flow can be told apart */}
                      {step.input_summary && (
                        <div className="muted small inbox-summary" title={step.input_summary} data-testid="inbox-summary">
                          {step.input_summary}
                        </div>
                      )}
                    </td>
                    <td className="col-secondary">
                      {/* Every step here is one to decide: its run opens (read only, for an
                          approver who does not own it). */}
                      <Link to={`/runs/${step.run}`} className="mono small" data-testid="inbox-run-id" onClick={(e) => e.stopPropagation()}>
                        {step.run.slice(0, 8)}
                      </Link>
                      <div className="muted small">by {step.requested_by}</div>
                    </td>
                    <td className="small col-secondary">{assigneeText(step.assignees)}</td>
                    <td className="nowrap" title={new Date(step.created_at).toLocaleString()}>{age(step.created_at)}</td>
                    <td>
                      {step.deadline ? (
                        <span className={`badge ${due.tone}`} title={new Date(step.deadline).toLocaleString()}>
                          {due.text}
                        </span>
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {steps !== null && steps.length > 0 && (
          <div className="inbox-footer" ref={end} data-testid="inbox-footer">
            <span className="muted small" data-testid="inbox-shown">
              {search ? `${shownText(steps.length, count)} · matching “${search}”` : shownText(steps.length, count)}
            </span>
            {more && (
              <button type="button" className="btn small" onClick={loadMore} disabled={loadingMore} data-testid="inbox-more">
                {loadingMore ? "Loading…" : "Load more"}
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
