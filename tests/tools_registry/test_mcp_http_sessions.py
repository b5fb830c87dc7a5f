"""Live Streamable HTTP MCP sessions: a worker opens one session per server (URL and timeout)
and reuses it across calls, loops and threads; a forgotten, unreachable, silent or idle
session is replaced by the next call.

Every test talks to a real server subprocess (tests/tools_registry/mcp_test_server.py over
HTTP), which counts the sessions clients opened with it (its `handshakes` tool: each
`initialize`, or `server/discover` of a 2026-era client). `--legacy` makes it a 2025-era
server: it hands out session ids and answers 404 to one it does not know."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.core.tools import RetryableToolError, ToolError
from tests.local_servers import free_port, mcp_http_subprocess
from tools_registry.kinds import mcp_sessions
from tools_registry.kinds.mcp import McpEndpoint, mcp_call_tool
from tools_registry.kinds.mcp_http_sessions import HttpTarget
from tools_registry.kinds.mcp_sessions import close_mcp_sessions, close_stdio_sessions

pytestmark = pytest.mark.slow

SERVER_SCRIPT = str(Path(__file__).with_name("mcp_test_server.py"))


@pytest.fixture(autouse=True)
def _close_sessions() -> Iterator[None]:
    yield
    close_mcp_sessions()


class ServerProcess:
    """The test server over HTTP in a subprocess, which can be stopped and started again on
    the same port (a restart)."""

    def __init__(self, *flags: str) -> None:
        self.flags = flags
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/mcp"
        self._running: contextlib.AbstractContextManager[str] | None = None

    def start(self) -> None:
        running = mcp_http_subprocess([SERVER_SCRIPT, *self.flags, "--port"], timeout=20,
                                      port=self.port)
        running.__enter__()
        self._running = running

    def stop(self) -> None:
        running, self._running = self._running, None
        if running is not None:
            running.__exit__(None, None, None)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def stateless() -> Iterator[ServerProcess]:
    """A 2026-era (stateless) Streamable HTTP server of its own for the test."""
    server = ServerProcess()
    server.start()
    yield server
    close_mcp_sessions()  # while the server is there to be told
    server.stop()


@pytest.fixture
def legacy() -> Iterator[ServerProcess]:
    """A 2025-era (session id) Streamable HTTP server of its own for the test."""
    server = ServerProcess("--legacy")
    server.start()
    yield server
    close_mcp_sessions()  # while the server is there to be told
    server.stop()


def remote(url: str, timeout_s: float = 10.0, allowed: tuple[str, ...] = ("127.0.0.1",)
           ) -> McpEndpoint:
    return McpEndpoint(name="remote", transport="streamable_http", url=url,
                       timeout_s=timeout_s, allowed_hosts=allowed)


def call(endpoint: McpEndpoint, tool: str, arguments: dict[str, Any] | None = None) -> Any:
    """Call a tool from a fresh event loop, as a run on another worker thread would."""
    return asyncio.run(mcp_call_tool(endpoint, tool, arguments or {}))


def handshakes(endpoint: McpEndpoint) -> int:
    """How many sessions clients opened with the server so far (this call's included)."""
    return int(call(endpoint, "handshakes")["result"])


def live_http_sessions() -> int:
    return mcp_sessions.live_mcp_sessions("streamable_http")


def wait_until(condition: Callable[[], bool], timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        time.sleep(0.02)


@pytest.mark.parametrize("era", ["stateless", "legacy"])
def test_calls_reuse_one_session(era: str, request: pytest.FixtureRequest) -> None:
    server = remote(request.getfixturevalue(era).url)

    assert [handshakes(server) for _ in range(3)] == [1, 1, 1]
    assert call(server, "add", {"a": 2, "b": 3}) == {"total": 5}
    assert handshakes(server) == 1
    assert live_http_sessions() == 1
    assert mcp_sessions.live_stdio_sessions() == 0


def test_calls_from_many_threads_and_loops_at_once_share_one_session(legacy: ServerProcess) -> None:
    # Given eight worker threads, each with its own event loop, calling at the same moment
    server = remote(legacy.url)
    start = threading.Barrier(8)
    answers: list[int] = []

    def worker() -> None:
        start.wait()
        answers.append(handshakes(server))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    # Then one session was opened, and it carried them all
    assert answers == [1] * 8
    assert live_http_sessions() == 1


def test_concurrent_calls_on_one_loop_share_the_session(stateless: ServerProcess) -> None:
    server = remote(stateless.url)

    async def many() -> list[Any]:
        return await asyncio.gather(
            *(mcp_call_tool(server, "add", {"a": n, "b": 1}) for n in range(20))
        )

    assert asyncio.run(many()) == [{"total": n + 1} for n in range(20)]
    assert handshakes(server) == 1


def test_a_forgotten_session_fails_the_call_retryably_and_the_next_opens_a_fresh_one(
    legacy: ServerProcess,
) -> None:
    # Given a live session the server then forgets (answers 404 to its id)
    server = remote(legacy.url)
    assert handshakes(server) == 1
    call(server, "forget_sessions")

    # Then the next call fails retryably, not sent again by us
    with pytest.raises(RetryableToolError) as caught:
        call(server, "add", {"a": 1})
    assert caught.value.code == "mcp_unavailable"
    assert "no longer knows the session" in caught.value.message

    # And the call after it opens a fresh session
    assert live_http_sessions() == 0
    assert call(server, "add", {"a": 1}) == {"total": 1}
    assert handshakes(server) == 2


def test_a_restarted_legacy_server_costs_at_most_one_retryable_failure(
    legacy: ServerProcess,
) -> None:
    server = remote(legacy.url)
    before = call(server, "pid")["result"]

    legacy.restart()  # the new process knows no session
    failures: list[str] = []
    try:
        after = call(server, "pid")["result"]
    except RetryableToolError as exc:  # it met the old session before that was retired
        failures.append(exc.code)
        after = call(server, "pid")["result"]

    assert after != before
    assert failures in ([], ["mcp_unavailable"])
    assert handshakes(server) == 1  # one fresh session with the new server
    assert live_http_sessions() == 1


def test_a_stateless_session_outlives_a_server_restart(stateless: ServerProcess) -> None:
    # A 2026-era server keeps no session state: the next call reconnects and succeeds
    server = remote(stateless.url)
    before = call(server, "pid")["result"]

    stateless.restart()

    assert call(server, "pid")["result"] != before
    assert handshakes(server) == 0  # no session was opened with the new server
    assert live_http_sessions() == 1


def test_a_call_while_the_server_is_down_fails_retryably_and_the_next_gets_a_new_session(
    stateless: ServerProcess,
) -> None:
    server = remote(stateless.url)
    assert handshakes(server) == 1

    stateless.stop()
    with pytest.raises(RetryableToolError) as caught:
        call(server, "add", {"a": 1})
    assert caught.value.code == "mcp_unavailable"
    assert live_http_sessions() == 0
    with pytest.raises(RetryableToolError) as opening:  # opening a session fails alike
        call(server, "add", {"a": 1})
    assert opening.value.code == "mcp_unavailable"
    assert live_http_sessions() == 0

    stateless.start()
    assert call(server, "add", {"a": 1}) == {"total": 1}
    assert handshakes(server) == 1  # the new server's first session
    assert live_http_sessions() == 1


def test_a_tool_error_keeps_the_session(legacy: ServerProcess) -> None:
    server = remote(legacy.url)
    assert handshakes(server) == 1

    with pytest.raises(ToolError) as caught:
        call(server, "fail", {"reason": "quota exceeded"})

    assert caught.value.code == "mcp_tool_error"
    assert not caught.value.retryable
    assert handshakes(server) == 1
    assert live_http_sessions() == 1


def test_a_call_that_does_not_answer_in_time_retires_the_session(stateless: ServerProcess) -> None:
    impatient = remote(stateless.url, timeout_s=1.0)
    assert handshakes(impatient) == 1

    with pytest.raises(RetryableToolError) as caught:
        call(impatient, "nap", {"seconds": 3})

    assert "did not answer within 1 s" in caught.value.message
    assert live_http_sessions() == 0
    assert handshakes(impatient) == 2  # a fresh session


def test_a_call_its_caller_gave_up_on_leaves_the_session_to_the_others(
    stateless: ServerProcess,
) -> None:
    server = remote(stateless.url)
    assert handshakes(server) == 1

    async def give_up() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(mcp_call_tool(server, "nap", {"seconds": 1}), 0.3)

    asyncio.run(give_up())

    assert handshakes(server) == 1
    assert live_http_sessions() == 1


def test_other_urls_credentials_and_timeouts_get_sessions_of_their_own(
    stateless: ServerProcess,
) -> None:
    first = remote(f"{stateless.url}?key=first-Secret-1")
    second = remote(f"{stateless.url}?key=second-Secret-2")
    slower = remote(f"{stateless.url}?key=first-Secret-1", timeout_s=20.0)

    assert [handshakes(first), handshakes(second), handshakes(slower)] == [1, 2, 3]
    assert [handshakes(first), handshakes(second), handshakes(slower)] == [3, 3, 3]
    assert live_http_sessions() == 3

    # And no credential sits in a session's key or log label
    target = HttpTarget("http://user:Pass-Word@mcp.example.com/mcp?key=first-Secret-1", 5)
    shown = f"{target.key} {target.label} {target!r}"
    assert "Secret" not in shown
    assert "Pass-Word" not in shown
    assert target.label == "http://mcp.example.com/mcp"


def test_the_url_guard_runs_on_every_call(stateless: ServerProcess) -> None:
    assert handshakes(remote(stateless.url)) == 1

    # The same URL, from a configuration that does not allow loopback addresses
    with pytest.raises(ToolError) as caught:
        call(remote(stateless.url, allowed=()), "add", {"a": 1})

    assert caught.value.code == "url_not_allowed"
    assert handshakes(remote(stateless.url)) == 1


def test_idle_sessions_are_closed(monkeypatch: pytest.MonkeyPatch, legacy: ServerProcess) -> None:
    monkeypatch.setattr(mcp_sessions, "IDLE_TIMEOUT_S", 0.2)
    server = remote(legacy.url)
    assert handshakes(server) == 1

    wait_until(lambda: live_http_sessions() == 0)

    assert handshakes(server) == 2


def test_closing_the_sessions_closes_http_sessions_too(stateless: ServerProcess) -> None:
    server = remote(stateless.url)
    assert handshakes(server) == 1

    close_stdio_sessions()  # the name worker shutdown calls

    assert live_http_sessions() == 0
    assert handshakes(server) == 2  # a new host opens a new session on demand

