// How long ago something happened, written the same on every page (flows, runs, versions):
// "just now", "30 s ago", "3 min ago", "2 h ago", "yesterday", "3 days ago", then the date.

let dateFormat: Intl.DateTimeFormat | null = null;
let dateWithYearFormat: Intl.DateTimeFormat | null = null;

/** `iso` relative to `now`; empty for a time it cannot read. A time slightly in the future
 * (another machine's clock) is "just now". */
export function timeAgo(iso: string | null | undefined, now: number = Date.now()): string {
  const then = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(then)) return "";
  const seconds = Math.floor((now - then) / 1000);
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86400);
  if (days === 1) return "yesterday";
  if (days < 7) return `${days} days ago`;
  const date = new Date(then);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  dateFormat ??= new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
  dateWithYearFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
  return (sameYear ? dateFormat : dateWithYearFormat).format(date);
}
