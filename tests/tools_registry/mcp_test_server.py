"""A small MCP server for the registry tests: stdio by default, Streamable HTTP with --port.

    python mcp_test_server.py                 # stdio
    python mcp_test_server.py --port 8123     # http://127.0.0.1:8123/mcp
    python mcp_test_server.py --few           # offers only `add` (to test re-imports)
    python mcp_test_server.py --crash         # writes to stderr and exits before serving
    python mcp_test_server.py --needs API_KEY # refuses to start without that variable
    python mcp_test_server.py --port 8123 --legacy  # speaks only the 2025 protocol (session ids)

Besides `add`, `shout` and `fail` it offers `env_value` (a variable's value), `leak` (prints
API_KEY to stderr, then exits), `die` (writes to stderr and exits mid-call), `pid` (the
server's process id, to tell whether two calls reached the same process), `complain`
(writes a line to stderr, then fails) and `nap` (answers after that many seconds).

Over HTTP it also offers `handshakes` (how many sessions clients opened: `initialize` and
`server/discover` requests received) and `forget_sessions` (from then on it answers 404 to
every session id it has seen, as a restarted server would, while their streams stay open).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent
from pydantic import BaseModel, Field


class Sum(BaseModel):
    total: int


class Observed:
    """ASGI middleware: counts session openings, forgets sessions on demand, and (legacy)
    hides the 2026-era protocol version so that clients fall back to the 2025 handshake."""

    MODERN = ("2026-",)

    def __init__(self, app: Any, legacy: bool) -> None:
        self.app = app
        self.legacy = legacy
        self.handshakes = 0
        self.seen: set[str] = set()
        self.forgotten: set[str] = set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(name, value) for name, value in scope["headers"]
                   if not (self.legacy and name == b"mcp-protocol-version"
                           and value.decode("latin-1").startswith(self.MODERN))]
        scope = {**scope, "headers": headers}
        session = dict(headers).get(b"mcp-session-id", b"").decode("latin-1")
        if session and session in self.forgotten:
            body = b'{"jsonrpc": "2.0", "id": null, "error": {"code": -32600, ' \
                   b'"message": "Session not found"}}'
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        if session:
            self.seen.add(session)
        received = bytearray()

        async def observed_receive() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                received.extend(message.get("body", b""))
                if not message.get("more_body"):
                    self._count(bytes(received))
            return message

        await self.app(scope, observed_receive, send)

    def _count(self, body: bytes) -> None:
        try:
            method = json.loads(body).get("method")
        except (ValueError, AttributeError):
            return
        # A legacy server refuses `server/discover` (the client then sends `initialize`).
        if method == "initialize" or (method == "server/discover" and not self.legacy):
            self.handshakes += 1


OBSERVED: Observed | None = None


def build(few: bool, http: bool = False) -> MCPServer:
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

    if http:
        add_http_tools(server)
    return server


def add_http_tools(server: MCPServer) -> None:
    @server.tool()
    def handshakes() -> int:
        """How many sessions clients opened with this server."""
        return OBSERVED.handshakes if OBSERVED else 0

    @server.tool()
    def forget_sessions() -> str:
        """From now on, answer 404 to every session id seen so far."""
        if OBSERVED:
            OBSERVED.forgotten |= OBSERVED.seen
        return "forgotten"


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int)
    parser.add_argument("--few", action="store_true")
    parser.add_argument("--crash", action="store_true")
    parser.add_argument("--needs")
    parser.add_argument("--legacy", action="store_true")
    options = parser.parse_args()
    if options.crash:
        print("Traceback (most recent call last):\n  ...\nImportError: no module named "
              "'geocoder_sdk'", file=sys.stderr, flush=True)
        sys.exit(1)
    if options.needs and not os.environ.get(options.needs):
        print(f"error: set {options.needs} to start this server", file=sys.stderr, flush=True)
        sys.exit(2)
    app = build(options.few, http=bool(options.port))
    if options.port:
        import uvicorn

        OBSERVED = Observed(app.streamable_http_app(host="127.0.0.1"), options.legacy)
        uvicorn.run(OBSERVED, host="127.0.0.1", port=options.port, log_level="warning")
    else:
        app.run()
