import { describe, expect, it } from "vitest";
import { allPages } from "./allPages";

function pagedList(total: number) {
  const rows = Array.from({ length: total }, (_, i) => i);
  const asked: Array<[number, number]> = [];
  const fetchPage = async (offset: number, limit: number) => {
    asked.push([offset, limit]);
    return { count: total, results: rows.slice(offset, offset + limit) };
  };
  return { fetchPage, asked };
}

describe("allPages", () => {
  it("reads one page when it holds every row", async () => {
    const { fetchPage, asked } = pagedList(7);
    expect(await allPages(fetchPage, 10)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(asked).toEqual([[0, 10]]);
  });

  it("reads the pages after the first, in order, when there are more rows", async () => {
    const { fetchPage, asked } = pagedList(25);
    const rows = await allPages(fetchPage, 10);
    expect(rows).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(asked.map(([offset]) => offset).sort((a, b) => a - b)).toEqual([0, 10, 20]);
  });

  it("stops on an empty first page whatever the count says", async () => {
    const asked: number[] = [];
    const rows = await allPages(async (offset) => {
      asked.push(offset);
      return { count: 5, results: [] as number[] };
    }, 10);
    expect(rows).toEqual([]);
    expect(asked).toEqual([0]);
  });
});
