// Times as people read them in a list: "just now", "5 min ago", "3 days ago".
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });

export function relativeTime(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds / 60) || -1, "minute");
}

export function fullTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString();
}

/**
 * The description worth a second line under the name: none when it only repeats the name
 * (a planned flow is named after the start of its prompt, "Validate the order; if…", and
 * described by the whole prompt), so the list does not say everything twice.
 */
export function extraDescription(name: string, description: string): string {
  const text = description.trim();
  const title = name.trim();
  if (text === title) return "";
  const cut = title.match(/^(.*?)\s*(…|\.\.\.)$/);
  return cut && cut[1] && text.startsWith(cut[1]) ? "" : text;
}
