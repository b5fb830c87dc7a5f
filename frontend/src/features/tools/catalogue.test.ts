import { describe, expect, it } from "vitest";
import { countByCategory, filterTools, type Tool } from "./catalogue";

function tool(id: string, category: string | null, description = ""): Tool {
  return {
    id,
    name: id.replace(/_/g, " "),
    description,
    category,
    kind: "python",
    version: 1,
    input_schema: {},
    output_schema: {},
    options: null,
    mcp_server: null,
    created_at: "",
    updated_at: "",
  };
}

const TOOLS = [
  tool("send_email", "email", "Send an email to an address."),
  tool("validate_email", "email", "Check an address."),
  tool("fetch_url", "web", "Download a page."),
  tool("orphan", null),
];

describe("filterTools", () => {
  it("needs every word somewhere in id, name, description or category", () => {
    expect(filterTools(TOOLS, "email address", "").map((t) => t.id)).toEqual(["send_email", "validate_email"]);
    expect(filterTools(TOOLS, "WEB", "").map((t) => t.id)).toEqual(["fetch_url"]);
    expect(filterTools(TOOLS, "email page", "")).toEqual([]);
  });
  it("keeps one category", () => {
    expect(filterTools(TOOLS, "", "web").map((t) => t.id)).toEqual(["fetch_url"]);
    expect(filterTools(TOOLS, "send", "web")).toEqual([]);
  });
  it("counts tools per category", () => {
    expect(Object.fromEntries(countByCategory(TOOLS))).toEqual({ email: 2, web: 1, "": 1 });
  });
});
