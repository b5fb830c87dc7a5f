// A page's frame while it loads: where its title, facts and cards will be, shimmering, and
// what is loading said in words (for screen readers and for a slow network), instead of a
// blank page with a line of text in its corner.
import "./pageSkeleton.css";

export function PageSkeleton({ label, kind }: { label: string; kind: "run" | "step" }) {
  return (
    <div className="page page-skeleton" aria-busy="true" data-testid="page-loading">
      <span className="ps-bar" style={{ width: 220, height: 10 }} />
      <span className="ps-bar ps-title" style={{ width: 280, height: 22 }} />
      {kind === "run" ? (
        <>
          <div className="card ps-facts">
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="ps-fact">
                <span className="ps-bar" style={{ width: 56, height: 8 }} />
                <span className="ps-bar" style={{ width: i === 0 ? 180 : 84 }} />
              </div>
            ))}
          </div>
          <div className="card ps-graph">
            <div className="ps-status" role="status"><span className="ps-spinner" />{label}</div>
          </div>
        </>
      ) : (
        <div className="ps-columns">
          <div className="card ps-card">
            <span className="ps-bar" style={{ width: 120, height: 14 }} />
            <span className="ps-bar" style={{ width: "70%" }} />
            <span className="ps-bar" style={{ width: "90%" }} />
            <span className="ps-bar" style={{ width: "55%" }} />
            <div className="ps-status ps-inline" role="status"><span className="ps-spinner" />{label}</div>
          </div>
          <div className="card ps-card">
            <span className="ps-bar" style={{ width: "60%" }} />
            <span className="ps-bar" style={{ width: "80%" }} />
            <span className="ps-bar" style={{ width: "50%" }} />
          </div>
        </div>
      )}
    </div>
  );
}
