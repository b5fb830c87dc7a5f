import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { RegisterTools } from "./RegisterTools";

afterEach(cleanup);

describe("RegisterTools", () => {
  it("links to the admin's pages that add a tool and connect an MCP server", () => {
    render(<RegisterTools adminUrl="/admin/" />);
    expect(screen.getByTestId("register-tool").getAttribute("href")).toBe("/admin/tools_registry/tool/add/");
    expect(screen.getByRole("link", { name: "Connect an MCP server" }).getAttribute("href")).toBe("/admin/tools_registry/mcpserver/add/");
  });
});
