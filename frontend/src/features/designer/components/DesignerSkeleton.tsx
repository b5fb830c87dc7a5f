// What the designer shows while the flow is on its way: its own frame (toolbar, palette,
// dotted canvas) with placeholders, so the page does not change shape when the flow comes.
import "./skeleton.css";

const PALETTE_ROWS = 9;

export function DesignerSkeleton() {
  return (
    <div className="designer designer-skeleton" data-testid="designer-loading" aria-busy="true">
      <header className="designer-toolbar">
        <span className="skeleton-bar" style={{ width: 28 }} />
        <span className="skeleton-title">
          <span className="skeleton-bar" style={{ width: 260, height: 14 }} />
          <span className="skeleton-bar" style={{ width: 110, height: 10 }} />
        </span>
        <span className="spacer" />
        <span className="skeleton-bar" style={{ width: 300 }} />
        <span className="skeleton-bar" style={{ width: 130, height: 30 }} />
      </header>
      <div className="designer-body">
        <aside className="designer-palette" aria-hidden>
          <div className="skeleton-search"><span className="skeleton-bar" style={{ width: "100%", height: 34 }} /></div>
          {Array.from({ length: PALETTE_ROWS }, (_, i) => (
            <div className="skeleton-row" key={i}>
              <span className="skeleton-bar" style={{ width: 26, height: 26 }} />
              <span className="skeleton-lines">
                <span className="skeleton-bar" style={{ width: `${50 + ((i * 17) % 30)}%` }} />
                <span className="skeleton-bar" style={{ width: `${65 + ((i * 11) % 25)}%`, height: 8 }} />
              </span>
            </div>
          ))}
        </aside>
        <div className="designer-centre">
          <div className="skeleton-canvas">
            <div className="skeleton-status" role="status">
              <span className="skeleton-spinner" aria-hidden />
              Opening the flow…
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
