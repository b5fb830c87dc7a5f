// The tool catalogue as the page reads it: loading, and matching tools to a search and category.
import { allPages } from "../../lib/allPages";
import { api, unwrap } from "../../lib/api";
import type { components } from "../../lib/api-schema";

export type Tool = components["schemas"]["ToolOutput"];
export type Category = components["schemas"]["CategoryOutput"];

export async function loadCatalogue(signal?: AbortSignal): Promise<{ tools: Tool[]; categories: Category[] }> {
  const [tools, categories] = await Promise.all([
    allPages((offset, limit) => unwrap(api.GET("/api/v1/tools/", { params: { query: { limit, offset } }, signal }))),
    allPages((offset, limit) => unwrap(api.GET("/api/v1/categories/", { params: { query: { limit, offset } }, signal }))),
  ]);
  return { tools, categories };
}

/** Every word of the search must appear in the tool's id, name, description or category. */
export function matchesSearch(tool: Tool, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [tool.id, tool.name, tool.description, tool.category ?? "", tool.kind ?? ""]
    .join(" ")
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function filterTools(tools: Tool[], search: string, category: string): Tool[] {
  return tools.filter(
    (tool) => (!category || (tool.category ?? "") === category) && matchesSearch(tool, search),
  );
}

export function countByCategory(tools: Tool[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const tool of tools) counts.set(tool.category ?? "", (counts.get(tool.category ?? "") ?? 0) + 1);
  return counts;
}
