"""Real local servers for tests and benchmarks: a socketserver in a thread, an MCP server in
a subprocess."""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any, TypeVar

Server = TypeVar("Server", bound=socketserver.BaseServer)


class QuietHandler(BaseHTTPRequestHandler):
    """A test server's request handler: one call sends a whole answer, nothing is logged."""

    def send_body(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status: int, payload: Any) -> None:
        self.send_body(status, "application/json", json.dumps(payload).encode())

    def send_redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(server: Server) -> Iterator[Server]:
    """Serve `server` from a daemon thread; shut it down and close it afterwards."""
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def mcp_http_subprocess(arguments: list[str], timeout: float = 30.0,
                        port: int | None = None) -> Iterator[str]:
    """`python <arguments> <port>` serving Streamable HTTP MCP on `port` (by default a free
    one); its URL once the port accepts connections. The process is stopped afterwards."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, *arguments, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the MCP server {arguments} did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
