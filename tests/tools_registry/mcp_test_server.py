"""A small MCP server for the registry tests: stdio by default, Streamable HTTP with --port.

    python mcp_test_server.py                 # stdio
    python mcp_test_server.py --port 8123     # http://127.0.0.1:8123/mcp
    python mcp_test_server.py --few           # offers only `add` (to test re-imports)
    python mcp_test_server.py --crash         # writes to stderr and exits before serving
    python mcp_test_server.py --needs API_KEY # refuses to start without that variable

Besides `add`, `shout` and `fail` it offers `env_value` (a variable's value), `leak` (prints
API_KEY to stderr, then exits), `die` (writes to stderr and exits mid-call), `pid` (the
server's process id, to tell whether two calls reached the same process), `complain`
(writes a line to stderr, then fails) and `nap` (answers after that many seconds).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent
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

    @server.tool()
    def env_value(name: str) -> str:
        """The value of an environment variable of the server ('' when unset)."""
        return os.environ.get(name, "")

    @server.tool()
    def leak() -> str:
        """Prints API_KEY to stderr, then exits in the middle of the call."""
        print(f"debug: using key {os.environ.get('API_KEY', '')}", file=sys.stderr, flush=True)
        os._exit(4)

    @server.tool()
    def pid() -> int:
        """The server's process id."""
        return os.getpid()

    @server.tool()
    def complain(text: str) -> CallToolResult:
        """Writes `text` to stderr, then answers with an error result."""
        print(text, file=sys.stderr, flush=True)
        return CallToolResult(content=[TextContent(type="text", text="see stderr")],
                              is_error=True)

    @server.tool()
    def nap(seconds: float) -> str:
        """Answers after `seconds`."""
        time.sleep(seconds)
        return "awake"

    @server.tool()
    def die() -> str:
        """Writes a traceback-like line to stderr and exits in the middle of the call."""
        print("FATAL: out of licences for the geocoder", file=sys.stderr, flush=True)
        os._exit(3)

    return server


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int)
    parser.add_argument("--few", action="store_true")
    parser.add_argument("--crash", action="store_true")
    parser.add_argument("--needs")
    options = parser.parse_args()
    if options.crash:
        print("Traceback (most recent call last):\n  ...\nImportError: no module named "
              "'geocoder_sdk'", file=sys.stderr, flush=True)
        sys.exit(1)
    if options.needs and not os.environ.get(options.needs):
        print(f"error: set {options.needs} to start this server", file=sys.stderr, flush=True)
        sys.exit(2)
    app = build(options.few)
    if options.port:
        app.run("streamable-http", host="127.0.0.1", port=options.port)
    else:
        app.run()
