"""Live Streamable HTTP MCP sessions, owned by the worker's session host (`mcp_sessions`).

A session is one `mcp.Client` over its own HTTP connection pool: opened once (a connection
and the handshake: `server/discover` with a stateless 2026-era server, `initialize` and a
session id with a 2025-era one), then every call of the process to the same server reuses
the connection and the negotiated session.

It is keyed by a digest of its URL (a URL may carry a credential, in its user part or its
query) and the timeout, and only ever used for that URL: another URL, credential or timeout
opens a session of its own. The caller checks the URL against the outbound-address guard
before every call, so before a session is opened too.

A 2025-era server that no longer knows the session id (it restarted, or expired the session)
answers 404 to it; the session is then retired at once, whichever request met the 404 (its
event stream often does, before any call), and the next call opens a fresh one.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tools_registry.kinds.mcp_sessions import McpSession, McpSessionHost, secret_digest

#: The HTTP client's timeouts, as the `mcp` SDK sets them for a client of its own: connect,
#: write and pool 30 s; read 300 s (an event stream may stay quiet that long). A call is
#: bounded by the server's timeout anyway.
CONNECT_TIMEOUT_S = 30.0
READ_TIMEOUT_S = 300.0

_SESSION_ID_HEADER = "mcp-session-id"


@dataclass(frozen=True)
class HttpTarget:
    """What a Streamable HTTP session is opened with: the URL (checked) and the timeout."""

    url: str = field(repr=False)
    timeout_s: float

    @property
    def key(self) -> tuple[str, str, float]:
        return "streamable_http", secret_digest(self.url), self.timeout_s

    @property
    def label(self) -> str:
        """The URL without its user part and query (where a credential could be)."""
        parts = urlsplit(self.url)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


class HttpSession(McpSession):
    """One `mcp.Client` over Streamable HTTP, with its own connection pool."""

    transport = "streamable_http"

    def __init__(self, target: HttpTarget, host: McpSessionHost) -> None:
        super().__init__(target.key, target.label, host)
        self.target = target
        #: The server answered 404 to this session's id: it no longer knows the session.
        self.forgotten = False

    async def _open(self, stack: contextlib.AsyncExitStack) -> Any:
        import httpx2
        from mcp import Client
        from mcp.client.streamable_http import streamable_http_client

        http = await stack.enter_async_context(httpx2.AsyncClient(
            timeout=httpx2.Timeout(CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S),
            event_hooks={"response": [self._answered]},
        ))
        transport = streamable_http_client(self.target.url, http_client=http)
        return await stack.enter_async_context(
            Client(transport, read_timeout_seconds=self.target.timeout_s)
        )

    async def _answered(self, response: Any) -> None:
        # The spec's sign that the server forgot the session: 404 to a request that bore its
        # id. Seen here for every request (a call's, the event stream's, the closing DELETE).
        if response.status_code == 404 and _SESSION_ID_HEADER in response.request.headers:
            self.forgotten = True
            self.retire()
