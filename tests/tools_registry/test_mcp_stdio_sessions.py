"""Live stdio MCP sessions: a worker starts each server once and reuses it across calls, loops
and threads; a dead, silent, changed or idle server is replaced; errors keep its stderr.

Every test starts real server processes (tests/tools_registry/mcp_test_server.py) and tells
them apart by the process id the server's `pid` tool returns."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from flows.core.tools import RetryableToolError, ToolContext, ToolError
from tools_registry.catalog import registry_catalog
from tools_registry.kinds import mcp_sessions
from tools_registry.kinds.mcp import McpEndpoint, mcp_call_tool
from tools_registry.kinds.mcp_sessions import close_stdio_sessions, live_stdio_sessions

pytestmark = pytest.mark.slow

SERVER_SCRIPT = str(Path(__file__).with_name("mcp_test_server.py"))


@pytest.fixture(autouse=True)
def _stop_stdio_servers() -> Iterator[None]:
    yield
    close_stdio_sessions()


def local_server(*args: str, env: dict[str, str] | None = None,
                 timeout_s: float = 30.0) -> McpEndpoint:
    return McpEndpoint(
        name="local", transport="stdio", command=sys.executable, args=(SERVER_SCRIPT, *args),
        env=tuple(sorted((env or {}).items())), timeout_s=timeout_s,
    )


def call(endpoint: McpEndpoint, tool: str, arguments: dict[str, Any] | None = None) -> Any:
    """Call a tool from a fresh event loop, as a run on another worker thread would."""
    return asyncio.run(mcp_call_tool(endpoint, tool, arguments or {}))


def server_pid(endpoint: McpEndpoint) -> int:
    return int(call(endpoint, "pid")["result"])


def wait_until(condition: Callable[[], bool], timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        time.sleep(0.02)


def process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_calls_reuse_one_server_process() -> None:
    server = local_server()

    first, second = server_pid(server), server_pid(server)

    assert first == second
    assert call(server, "add", {"a": 2, "b": 3}) == {"total": 5}
    assert live_stdio_sessions() == 1


def test_calls_from_many_threads_and_loops_at_once_share_one_server() -> None:
    # Given eight worker threads, each with its own event loop, calling at the same moment
    server = local_server()
    start = threading.Barrier(8)
    pids: list[int] = []

    def worker() -> None:
        start.wait()
        pids.append(server_pid(server))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    # Then one server was started, and it answered them all
    assert len(pids) == 8
    assert len(set(pids)) == 1
    assert live_stdio_sessions() == 1


def test_concurrent_calls_on_one_loop_share_the_session() -> None:
    server = local_server()

    async def many() -> list[Any]:
        return await asyncio.gather(
            *(mcp_call_tool(server, "add", {"a": n, "b": 1}) for n in range(20))
        )

    assert asyncio.run(many()) == [{"total": n + 1} for n in range(20)]
    assert live_stdio_sessions() == 1


def test_a_killed_server_is_replaced_by_the_next_call() -> None:
    server = local_server()
    killed = server_pid(server)

    os.kill(killed, signal.SIGKILL)
    wait_until(lambda: live_stdio_sessions() == 0)  # its closed output retired the session

    assert server_pid(server) != killed
    assert process_gone(killed)


def test_a_call_racing_a_server_kill_fails_at_most_once_and_retryably() -> None:
    server = local_server()
    killed = server_pid(server)

    os.kill(killed, signal.SIGKILL)
    failures: list[RetryableToolError] = []
    try:
        replacement = server_pid(server)
    except RetryableToolError as exc:  # it met the dead server before the death was seen
        failures.append(exc)
        replacement = server_pid(server)

    assert replacement != killed
    assert [failure.code for failure in failures] in ([], ["mcp_unavailable"])


def test_a_server_dying_mid_call_fails_with_its_stderr_and_the_next_call_gets_a_new_one() -> None:
    server = local_server()
    before = server_pid(server)

    with pytest.raises(RetryableToolError) as caught:
        call(server, "die")

    assert caught.value.code == "mcp_unavailable"
    assert "out of licences for the geocoder" in caught.value.message
    assert caught.value.details["stderr"].endswith("out of licences for the geocoder")
    assert server_pid(server) != before


def test_a_tool_error_shows_what_the_server_wrote_during_that_call() -> None:
    server = local_server()

    with pytest.raises(ToolError) as first:
        call(server, "complain", {"text": "quota warning: 90% used"})
    with pytest.raises(ToolError) as second:
        call(server, "complain", {"text": "quota exceeded"})

    assert first.value.code == second.value.code == "mcp_tool_error"
    assert not second.value.retryable
    assert "quota warning: 90% used" in first.value.message
    assert "quota exceeded" in second.value.message
    assert "quota warning" not in second.value.message  # an earlier call's output
    assert live_stdio_sessions() == 1  # a tool error keeps the server


def test_a_server_that_does_not_answer_in_time_is_replaced() -> None:
    # Given a live server, and a call that outlasts the timeout
    server = local_server()
    before = server_pid(server)
    impatient = local_server(timeout_s=1.0)  # same command and env: the same session

    with pytest.raises(RetryableToolError) as caught:
        call(impatient, "nap", {"seconds": 60})

    # Then the call failed retryably, and the next call gets a new server
    assert "did not answer within 1 s" in caught.value.message
    assert server_pid(server) != before


def test_a_call_its_caller_gave_up_on_leaves_the_server_to_the_others() -> None:
    server = local_server()
    before = server_pid(server)

    async def give_up() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(mcp_call_tool(server, "nap", {"seconds": 30}), 0.3)

    asyncio.run(give_up())

    assert server_pid(server) == before


def test_a_server_that_fails_to_start_is_started_again_by_the_next_call() -> None:
    server = local_server("--crash")

    for _ in range(2):
        with pytest.raises(RetryableToolError) as caught:
            call(server, "add", {"a": 1})
        assert "ImportError: no module named 'geocoder_sdk'" in caught.value.message
        assert live_stdio_sessions() == 0


def test_a_changed_env_starts_its_own_server() -> None:
    north = local_server(env={"REGION": "eu-north"})
    south = local_server(env={"REGION": "eu-south"})

    assert call(north, "env_value", {"name": "REGION"}) == {"result": "eu-north"}
    assert call(south, "env_value", {"name": "REGION"}) == {"result": "eu-south"}
    assert server_pid(north) != server_pid(south)
    assert live_stdio_sessions() == 2


@pytest.mark.django_db
def test_a_rotated_credential_starts_a_new_server_with_it() -> None:
    from tools_registry.models import Credential, McpServer
    from tools_registry.services import (
        credential_create,
        credential_update,
        mcp_server_import_tools,
    )

    # Given a stdio server that gets its key from a credential, called once
    credential_create(name="geo_key", secret="Old-Secret-1")
    server = McpServer(
        name="keyed", transport=McpServer.Transport.STDIO, command=sys.executable,
        args=[SERVER_SCRIPT, "--needs", "API_KEY"], timeout_s=30,
        env={"API_KEY": "{{ credentials.geo_key }}"},
    )
    server.full_clean()
    server.save()
    mcp_server_import_tools(server)

    def invoke(tool_id: str, inputs: dict[str, Any]) -> Any:
        tool = registry_catalog().get(tool_id)
        assert tool is not None
        return async_to_sync(tool.invoke)(inputs, ToolContext(run_id="r", node_id="n"))

    before = invoke("keyed.pid", {})["result"]
    assert invoke("keyed.pid", {})["result"] == before

    # When the credential is rotated
    credential_update(Credential.objects.get(name="geo_key"), secret="New-Secret-2")

    # Then the next call reaches a new server, started with the new key
    assert invoke("keyed.pid", {})["result"] != before
    assert invoke("keyed.env_value", {"name": "API_KEY"}) == {"result": "New-Secret-2"}


def test_idle_sessions_are_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mcp_sessions, "IDLE_TIMEOUT_S", 0.2)
    server = local_server()
    idle = server_pid(server)

    wait_until(lambda: live_stdio_sessions() == 0 and process_gone(idle))

    assert server_pid(server) != idle


def test_closing_the_sessions_stops_every_server() -> None:
    pids = [server_pid(local_server(env={"REGION": region})) for region in ("a", "b")]

    close_stdio_sessions()

    assert all(process_gone(pid) for pid in pids)
    assert live_stdio_sessions() == 0
    assert call(local_server(), "add", {"a": 1}) == {"total": 1}  # a new host starts on demand


def test_a_long_lived_servers_stderr_is_cut_back_to_its_end() -> None:
    # Given a stderr file written the way a server writes it (its own descriptor, appending)
    errlog = mcp_sessions.ServerErrlog()
    server_side = os.dup(errlog.file.fileno())
    try:
        os.write(server_side, b"started\n" + b"x" * 60_000 + b"\n")
        during_call = errlog.size()
        os.write(server_side, b"call failed: disk full\n")

        # Then a call's failure shows what was written during it, and the end of it all
        assert errlog.tail(during_call) == "call failed: disk full"
        assert errlog.tail().endswith("x\ncall failed: disk full")
        assert errlog.tail().startswith("…")

        # And when the file is cut back, the server keeps appending after what is kept
        errlog.trim(50_000)
        os.write(server_side, b"next line\n")
        assert errlog.size() < 10_000
        assert errlog.tail().endswith("call failed: disk full\nnext line")
    finally:
        os.close(server_side)
        errlog.close()
