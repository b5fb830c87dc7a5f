"""Fixtures for the tool registry tests: a real local HTTP server and a way to invoke tools."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

from flows.core.tools import ToolContext
from tests.local_servers import QuietHandler, serving
from tests.runs.conftest import inprocess, make_version, user  # noqa: F401  (fixtures)
from tools_registry.catalog import default_catalog

PAGE = b"""<!doctype html>
<html><head><title>Order  status</title><style>body { color: red }</style>
<script>var secret = "not text";</script></head>
<body><h1>Your order</h1><p>Order <b>A-1001</b> has shipped.</p><p>Thanks for waiting!</p></body>
</html>"""


class _Handler(QuietHandler):
    server: _TestServer

    def do_GET(self) -> None:
        self.server.seen_hosts.append(self.headers.get("Host", ""))
        path = self.path
        if path == "/hello":
            self.send_body(200, "text/plain; charset=utf-8", b"hello from the test server")
        elif path == "/page":
            self.send_body(200, "text/html; charset=utf-8", PAGE)
        elif path == "/json":
            self.send_body(200, "application/json", b'{"ok": true, "items": [1, 2, 3]}')
        elif path == "/echo-host":
            self.send_body(200, "text/plain", self.headers.get("Host", "").encode())
        elif path == "/big":
            self.send_body(200, "text/plain", b"a" * 2_500_000)
        elif path == "/binary":
            self.send_body(200, "application/octet-stream", bytes(range(256)))
        elif path == "/missing":
            self.send_body(404, "text/plain", b"no such page")
        elif path == "/unavailable":
            self.send_body(503, "text/plain", b"try later")
        elif path == "/redirect-hello":
            self.send_redirect("/hello")
        elif path == "/redirect-private":
            self.send_redirect("http://169.254.169.254/latest/meta-data/")
        elif path.startswith("/loop/"):
            self.send_redirect(f"/loop/{int(path.rsplit('/', 1)[1]) + 1}")
        else:
            self.send_body(404, "text/plain", b"unknown")



class _TestServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen_hosts: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def http_server() -> Iterator[_TestServer]:
    """A real HTTP server on 127.0.0.1 (random port), served from a thread."""
    with serving(_TestServer()) as server:
        yield server


InvokeTool = Callable[..., Any]


@pytest.fixture
def invoke_tool() -> InvokeTool:
    """Invoke a catalogue tool the way the engine does: `await tool.invoke(inputs, context)`."""

    def invoke(
        tool_id: str,
        inputs: dict[str, Any],
        *,
        run_id: str = "run-1",
        node_id: str = "step",
        attempt: int = 1,
    ) -> Any:
        tool = default_catalog().get(tool_id)
        assert tool is not None, f"{tool_id} is not in the catalogue"
        context = ToolContext(run_id=run_id, node_id=node_id, attempt=attempt)
        return asyncio.run(tool.invoke(inputs, context))

    return invoke
