// Who can decide an approval step nobody the viewer knows of can: the words the run page and
// the inbox's step page say, and where staff fix it.

/** The approvers of a step the viewer cannot find: groups that do not exist and users with no
 * active account (for anyone but staff, also those they may not name: the server answers
 * alike for both, so these words must not claim either). */
export interface MissingApprovers {
  groups: readonly string[];
  users: readonly string[];
}

/** Why nobody the viewer knows of can decide a step, and that staff still can. */
export function whoCanDecide(missing: MissingApprovers, staff: boolean): string {
  const { groups, users } = missing;
  if (groups.length === 0 && users.length === 0) {
    return "Nobody can decide it yet: no active user is among its approvers, so only staff can.";
  }
  const quote = (names: readonly string[]) => names.map((name) => `“${name}”`).join(", ");
  const parts: string[] = [];
  if (staff) {
    if (groups.length) parts.push(groups.length === 1 ? `The group ${quote(groups)} does not exist` : `The groups ${quote(groups)} do not exist`);
    if (users.length) parts.push(`${quote(users)} ${users.length === 1 ? "has" : "have"} no active account`);
    return `${parts.join("; ")}, so only staff can decide it.`;
  }
  if (groups.length) {
    parts.push(groups.length === 1
      ? `the group ${quote(groups)} does not exist or is not one you may see`
      : `the groups ${quote(groups)} do not exist or are not ones you may see`);
  }
  if (users.length) {
    parts.push(users.length === 1
      ? `${quote(users)} has no active account or is not someone you may see`
      : `${quote(users)} have no active account or are not people you may see`);
  }
  return `No one you know of can decide it: ${parts.join(", and ")}. If none of them can, only staff can.`;
}

/** What the viewer can do about such a step: staff get the admin page to fix it, anyone else
 * whom to ask. */
export function decideHelp(missing: MissingApprovers, staff: boolean): { adminPath: string; label: string } | { ask: string } {
  if (!staff) {
    return missing.groups.length || missing.users.length
      ? { ask: "Ask an admin who should decide it." }
      : { ask: "Ask an admin to add people to the group." };
  }
  if (missing.groups.length) return { adminPath: "auth/group/add/", label: "Create the group in Admin →" };
  if (missing.users.length) return { adminPath: "auth/user/", label: "Check the users in Admin →" };
  return { adminPath: "auth/group/", label: "Add people to the group in Admin →" };
}
