// Counts shown to people, with the noun in the right number ("1 tool", "2 tools"), by
// English plural rules from Intl rather than a trailing "s" decided at each place.

const rules = new Intl.PluralRules("en");

/** The noun for `count` of them: `noun(1, "category", "categories")` is "category". */
export function noun(count: number, singular: string, plural = `${singular}s`): string {
  return rules.select(count) === "one" ? singular : plural;
}

/** The count and its noun: `countOf(1, "tool")` is "1 tool", `countOf(1200, "token")` "1,200 tokens". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en")} ${noun(count, singular, plural)}`;
}
