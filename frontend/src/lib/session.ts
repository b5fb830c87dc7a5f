// What the Django page that hosts the app tells it: who is signed in, which planners exist.
export interface Session {
  username: string;
  isStaff: boolean;
  planners: string[];
  defaultPlanner: string;
  adminUrl: string;
  apiDocsUrl: string;
  logoutUrl: string;
}

const FALLBACK: Session = {
  username: "",
  isStaff: false,
  planners: ["offline"],
  defaultPlanner: "offline",
  adminUrl: "/admin/",
  apiDocsUrl: "/api/docs/",
  logoutUrl: "/logout/",
};

export function readSession(): Session {
  const el = document.getElementById("dynamicflow-session");
  if (!el?.textContent) return FALLBACK;
  try {
    return { ...FALLBACK, ...(JSON.parse(el.textContent) as Partial<Session>) };
  } catch {
    return FALLBACK;
  }
}

export function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}
