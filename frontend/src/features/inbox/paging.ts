// The inbox's paging arithmetic, kept pure so it is unit tested.
import { MAX_PAGE } from "../../lib/allPages";
import { countOf } from "../../lib/plural";
import type { Step } from "./api";

/** How many steps a reload reads: every row on screen (at least a page, at most the ceiling),
 *  and, when every step was on screen, a page more, so that steps that joined since (the
 *  newest, so the last) appear too. */
export function reloadLimit(shown: number, count: number, page: number): number {
  const wanted = shown >= count ? shown + page : shown;
  return Math.min(Math.max(wanted, page), MAX_PAGE);
}

/** `page` after `loaded`, without a step twice (the inbox may have moved between the two
 *  reads, so the next page may begin with a step already on screen). */
export function mergePage(loaded: Step[], page: Step[]): Step[] {
  const have = new Set(loaded.map((step) => step.id));
  return [...loaded, ...page.filter((step) => !have.has(step.id))];
}

/** Whether more steps wait than are loaded. */
export function hasMore(loaded: number, count: number): boolean {
  return loaded < count;
}

/** The list's footer: how many of the waiting steps are on screen. */
export function shownText(loaded: number, count: number): string {
  return hasMore(loaded, count) ? `${loaded} of ${countOf(count, "step")} shown` : `${countOf(count, "step")} waiting`;
}
