// Where staff register what the web app only shows: the Django admin's pages for adding a
// tool or connecting an MCP server (whose tools are imported from it).

/** The admin's "add a tool" page, under `adminUrl` (the session's, e.g. "/admin/"). */
export function toolAddUrl(adminUrl: string): string {
  return `${withSlash(adminUrl)}tools_registry/tool/add/`;
}

/** The admin's "add an MCP server" page, under `adminUrl`. */
export function mcpServerAddUrl(adminUrl: string): string {
  return `${withSlash(adminUrl)}tools_registry/mcpserver/add/`;
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
