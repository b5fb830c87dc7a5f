// Every row of a paged list (`?limit=&offset=`, answered `{count, results}`): the first page,
// then the rest side by side. The API caps a page at 1,000 rows, and a registry may hold more
// tools than that: a list that stopped at the first page would leave the others out unsaid.

export interface Page<T> {
  count: number;
  results: T[];
}

/** The API's largest page (`max_limit` in flows/api/pagination.py). */
export const MAX_PAGE = 1000;

export async function allPages<T>(
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
  limit = MAX_PAGE,
): Promise<T[]> {
  const first = await fetchPage(0, limit);
  const offsets: number[] = [];
  for (let offset = first.results.length; offset < first.count && first.results.length > 0; offset += limit) {
    offsets.push(offset);
  }
  const rest = await Promise.all(offsets.map((offset) => fetchPage(offset, limit)));
  return [...first.results, ...rest.flatMap((page) => page.results)];
}
