// The app shell: one navigation (Flows, New flow, Runs, Inbox, Tools, Admin, API docs), the theme
// switch and the signed-in user. Pages render in the outlet.
import { Link, matchPath, Outlet, useLocation } from "react-router-dom";
import { InboxCount } from "../features/inbox/InboxCount";
import { useClaimedNavSection } from "../lib/navSection";
import { csrfToken, readSession } from "../lib/session";
import { SignedOutBanner } from "./SignedOutBanner";
import { useTheme } from "./theme";
import { useWarmLayoutEngine } from "./warmLayoutEngine";

const session = readSession();

// Line icons drawn like the designer's (inline SVG, nothing loaded from outside).
const ICONS = {
  flows: "M5 3h4v4H5zM15 17h4v4h-4zM15 3h4v4h-4zM7 7v4a2 2 0 0 0 2 2h6a2 2 0 0 1 2 2v2M17 7v4",
  newFlow: "M12 3l1.9 5.1L19 10l-5.1 1.9L12 17l-1.9-5.1L5 10l5.1-1.9zM19 15v6M16 18h6",
  runs: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM10 8.5v7l5.5-3.5z",
  inbox: "M22 12h-6l-2 3h-4l-2-3H2M5.5 5.1L2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.5-6.9A2 2 0 0 0 16.7 4H7.3a2 2 0 0 0-1.8 1.1z",
  tools: "M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.4-.6-.6-2.4z",
  admin: "M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z",
  apiDocs: "M8 7l-5 5 5 5M16 7l5 5-5 5M13.5 4l-3 16",
  moon: "M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z",
  sun: "M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM12 1v2M12 21v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1 12h2M21 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4",
  signOut: "M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9",
} as const;

function NavIcon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg width={18} height={18} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8}
      strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable="false" data-icon={name}>
      <path d={ICONS[name]} />
    </svg>
  );
}

const LINKS = [
  { to: "/flows", label: "Flows", icon: "flows", end: true },
  { to: "/flows/new", label: "New flow", icon: "newFlow", end: true },
  { to: "/runs", label: "Runs", icon: "runs", end: false },
  { to: "/inbox", label: "Inbox", icon: "inbox", end: false },
  { to: "/tools", label: "Tools", icon: "tools", end: false },
] as const;

/** Focus the page without a "#content" in the address (the router would take it as a move). */
function skipToContent(event: React.MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById("content")?.focus();
}

export function Shell() {
  const [theme, toggleTheme] = useTheme();
  const claimed = useClaimedNavSection();
  const { pathname } = useLocation();
  useWarmLayoutEngine();
  return (
    <div className="shell">
      {/* The first Tab stop: past the navigation's links to the page itself. */}
      <a className="skip-link" href="#content" data-testid="skip-to-content" onClick={skipToContent}>Skip to content</a>
      <nav className="sidebar" aria-label="Main">
        <a className="brand" href="/flows">
          <span className="brand-mark" aria-hidden>◆</span> <span className="brand-name">DynamicFlow</span>
        </a>
        <ul>
          {LINKS.map((link) => {
            // Where the person is: the entry the address matches (as NavLink would), unless
            // the page on show claims another.
            const routeMatches = matchPath({ path: link.to, end: link.end }, pathname) !== null;
            const current = claimed === null ? routeMatches : claimed === link.to;
            return (
              <li key={link.to}>
                <Link
                  to={link.to}
                  title={link.label}
                  data-testid={`nav-${link.label.toLowerCase().replace(" ", "-")}`}
                  className={current ? "active" : undefined}
                  aria-current={current ? "page" : undefined}
                >
                  <span className="nav-icon" aria-hidden><NavIcon name={link.icon} /></span>
                  <span className="nav-label">{link.label}</span>
                  {link.to === "/inbox" && <InboxCount />}
                </Link>
              </li>
            );
          })}
          {session.isStaff && (
            <li>
              <a href={session.adminUrl} title="Admin" data-testid="nav-admin">
                <span className="nav-icon" aria-hidden><NavIcon name="admin" /></span><span className="nav-label">Admin</span>
              </a>
            </li>
          )}
          <li>
            {/* The REST API's interactive docs (Swagger UI): a page of its own, opened beside the app. */}
            <a href={session.apiDocsUrl} target="_blank" rel="noopener" title="API docs (opens in a new tab)" data-testid="nav-api-docs">
              <span className="nav-icon" aria-hidden><NavIcon name="apiDocs" /></span><span className="nav-label">API docs</span>
            </a>
          </li>
        </ul>
        <div className="sidebar-foot">
          <button
            type="button"
            className="btn ghost small"
            onClick={toggleTheme}
            data-testid="theme-toggle"
            aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}
            title={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}
          >
            <span className="nav-icon" aria-hidden><NavIcon name={theme === "dark" ? "sun" : "moon"} /></span>
            <span className="nav-label">{theme === "dark" ? "Light" : "Dark"}</span>
          </button>
          <form method="post" action={session.logoutUrl} className="signout">
            <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken()} />
            <span className="muted small signed-in" title="Signed in">{session.username}</span>
            <button type="submit" className="btn ghost small" data-testid="logout" title={`Sign out ${session.username}`}>
              <span className="signout-icon" aria-hidden><NavIcon name="signOut" /></span>
              <span className="nav-label">Sign out</span>
            </button>
          </form>
        </div>
      </nav>
      <main className="content" id="content" tabIndex={-1}>
        <SignedOutBanner />
        <Outlet />
      </main>
    </div>
  );
}
