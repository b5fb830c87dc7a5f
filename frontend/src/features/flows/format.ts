// How the flows list writes times and descriptions (how long ago: lib/timeAgo).

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
