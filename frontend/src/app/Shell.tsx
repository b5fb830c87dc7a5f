// The app shell: one navigation (Flows, New flow, Runs, Inbox, Tools, Admin), the theme
// switch and the signed-in user. Pages render in the outlet.
import { NavLink, Outlet } from "react-router-dom";
import { InboxCount } from "../features/inbox/InboxCount";
import { csrfToken, readSession } from "../lib/session";
import { useTheme } from "./theme";

const session = readSession();

const LINKS = [
  { to: "/flows", label: "Flows", icon: "▦", end: true },
  { to: "/flows/new", label: "New flow", icon: "+", end: true },
  { to: "/runs", label: "Runs", icon: "▶", end: false },
  { to: "/inbox", label: "Inbox", icon: "✉", end: false },
  { to: "/tools", label: "Tools", icon: "⚙", end: false },
];

export function Shell() {
  const [theme, toggleTheme] = useTheme();
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <a className="brand" href="/flows">
          <span className="brand-mark" aria-hidden>◆</span> <span className="brand-name">DynamicFlow</span>
        </a>
        <ul>
          {LINKS.map((link) => (
            <li key={link.to}>
              <NavLink to={link.to} end={link.end} title={link.label} data-testid={`nav-${link.label.toLowerCase().replace(" ", "-")}`}>
                <span className="nav-icon" aria-hidden>{link.icon}</span>
                <span className="nav-label">{link.label}</span>
                {link.to === "/inbox" && <InboxCount />}
              </NavLink>
            </li>
          ))}
          {session.isStaff && (
            <li>
              <a href={session.adminUrl} title="Admin" data-testid="nav-admin">
                <span className="nav-icon" aria-hidden>⚑</span><span className="nav-label">Admin</span>
              </a>
            </li>
          )}
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
            <span aria-hidden>{theme === "dark" ? "☀" : "☾"}</span>
            <span className="nav-label">{theme === "dark" ? "Light" : "Dark"}</span>
          </button>
          <form method="post" action={session.logoutUrl} className="signout">
            <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken()} />
            <span className="muted small signed-in" title="Signed in">{session.username}</span>
            <button type="submit" className="btn ghost small" data-testid="logout" title={`Sign out ${session.username}`}>
              <span className="signout-icon" aria-hidden>↪</span>
              <span className="nav-label">Sign out</span>
            </button>
          </form>
        </div>
      </nav>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
