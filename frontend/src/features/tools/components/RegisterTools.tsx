// Where staff add to the catalogue: the admin, which the web app links to.
import { mcpServerAddUrl, toolAddUrl } from "../../../lib/adminLinks";

/** For staff, where to add to the catalogue: the admin (an HTTP, LLM or approval tool, or an
 * MCP server whose tools are imported). */
export function RegisterTools({ adminUrl }: { adminUrl: string }) {
  return (
    <div className="toolbar" data-testid="tools-register">
      <a className="btn" href={mcpServerAddUrl(adminUrl)} title="Connect an MCP server in the admin; its tools are imported into the catalogue">
        Connect an MCP server
      </a>
      <a className="btn primary" href={toolAddUrl(adminUrl)} data-testid="register-tool" title="Register an HTTP, LLM or approval tool in the admin">
        + Register a tool
      </a>
    </div>
  );
}
