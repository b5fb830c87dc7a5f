"""A small MCP server for the registry tests: stdio by default, Streamable HTTP with --port.

    python mcp_test_server.py                 # stdio
    python mcp_test_server.py --port 8123     # http://127.0.0.1:8123/mcp
    python mcp_test_server.py --few           # offers only `add` (to test re-imports)
"""

from __future__ import annotations

import argparse

from mcp.server.mcpserver import MCPServer
from pydantic import BaseModel, Field


class Sum(BaseModel):
    total: int


def build(few: bool) -> MCPServer:
    server = MCPServer("registry-test")

    @server.tool()
    def add(a: int = Field(description="First addend."), b: int = 0) -> Sum:
        """Add two integers."""
        return Sum(total=a + b)

    if few:
        return server

    @server.tool()
    def shout(text: str) -> str:
        """Upper-case a text."""
        return text.upper()

    @server.tool()
    def fail(reason: str) -> str:
        """Always fails, with the reason given."""
        raise ValueError(reason)

    return server


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int)
    parser.add_argument("--few", action="store_true")
    options = parser.parse_args()
    app = build(options.few)
    if options.port:
        app.run("streamable-http", host="127.0.0.1", port=options.port)
    else:
        app.run()
