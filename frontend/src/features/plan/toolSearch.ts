// Matching catalogue tools to what a person types in the tool picker.
import type { Tool } from "./api";

/** Every word must appear in the tool's id, name, description or category name. */
export function searchTools(tools: Tool[], query: string, categoryNames: Map<string, string>): Tool[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return tools;
  return tools.filter((tool) => {
    const category = tool.category ?? "";
    const haystack = [tool.id, tool.name, tool.description, category, categoryNames.get(category) ?? ""]
      .join(" ")
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/** Tools grouped by category name, groups and tools in alphabetical order. */
export function groupByCategory(tools: Tool[], categoryNames: Map<string, string>): Array<[string, Tool[]]> {
  const groups = new Map<string, Tool[]>();
  for (const tool of tools) {
    const name = categoryNames.get(tool.category ?? "") ?? (tool.category || "Other");
    groups.set(name, [...(groups.get(name) ?? []), tool]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, list]) => [name, [...list].sort((x, y) => x.name.localeCompare(y.name))]);
}
