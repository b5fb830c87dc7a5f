import { describe, expect, it } from "vitest";
import type { Tool } from "./api";
import { groupByCategory, searchTools } from "./toolSearch";

const tool = (id: string, category: string | null, description = ""): Tool =>
  ({ id, name: id.replace(/_/g, " "), description, category } as Tool);

const TOOLS = [
  tool("send_email", "email", "Send a plain-text email."),
  tool("fetch_url", "web", "Fetch a web page."),
  tool("create_ticket", "support", "Open a help desk ticket."),
  tool("misc", null),
];
const NAMES = new Map([["email", "Email"], ["web", "Web"], ["support", "Customer support"]]);

describe("searchTools", () => {
  it("matches ids, names, descriptions and category names", () => {
    expect(searchTools(TOOLS, "page", NAMES).map((t) => t.id)).toEqual(["fetch_url"]);
    expect(searchTools(TOOLS, "customer", NAMES).map((t) => t.id)).toEqual(["create_ticket"]);
    expect(searchTools(TOOLS, "send email", NAMES).map((t) => t.id)).toEqual(["send_email"]);
    expect(searchTools(TOOLS, "  ", NAMES)).toHaveLength(4);
  });
});

describe("groupByCategory", () => {
  it("groups by category name, alphabetically, with Other for none", () => {
    expect(groupByCategory(TOOLS, NAMES).map(([name, list]) => [name, list.map((t) => t.id)])).toEqual([
      ["Customer support", ["create_ticket"]],
      ["Email", ["send_email"]],
      ["Other", ["misc"]],
      ["Web", ["fetch_url"]],
    ]);
  });
});
