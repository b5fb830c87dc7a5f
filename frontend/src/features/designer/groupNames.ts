// The groups an approval's Groups field can name: suggestions as one types a comma list,
// and the existing groups offered in place of one that does not exist.

/** The names in a comma list, trimmed, without empties. */
export function groupList(text: string): string[] {
  return text.split(",").map((name) => name.trim()).filter(Boolean);
}

/**
 * What the field's suggestions offer for the text typed so far: the text with its last
 * (partly typed) name completed by each existing group not listed already, that starts
 * with what is typed (any group while nothing is).
 */
export function groupSuggestions(text: string, existing: readonly string[]): string[] {
  const comma = text.lastIndexOf(",");
  const listed = groupList(comma < 0 ? "" : text.slice(0, comma));
  const typed = text.slice(comma + 1).trim().toLowerCase();
  const prefix = listed.length ? `${listed.join(", ")}, ` : "";
  return existing
    .filter((name) => !listed.includes(name) && name.toLowerCase().startsWith(typed))
    .map((name) => prefix + name);
}

/** The listed groups that do not exist (once the existing ones are known). */
export function missingGroups(groups: readonly string[], existing: readonly string[] | null): string[] {
  if (!existing) return [];
  return groups.filter((name) => !existing.includes(name));
}

/** The list with `missing` replaced by `chosen` (dropped if `chosen` is listed already). */
export function replaceGroup(groups: readonly string[], missing: string, chosen: string): string[] {
  const out: string[] = [];
  for (const name of groups) {
    const next = name === missing ? chosen : name;
    if (!out.includes(next)) out.push(next);
  }
  return out;
}
