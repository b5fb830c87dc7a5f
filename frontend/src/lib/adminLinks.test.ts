import { describe, expect, it } from "vitest";
import { mcpServerAddUrl, toolAddUrl } from "./adminLinks";

describe("admin links", () => {
  it("point at the admin's add pages for a tool and an MCP server", () => {
    expect(toolAddUrl("/admin/")).toBe("/admin/tools_registry/tool/add/");
    expect(mcpServerAddUrl("/admin")).toBe("/admin/tools_registry/mcpserver/add/");
  });
});
