"""A worker's live sessions with stdio MCP servers: started once, shared by every run and thread.

Starting a stdio server costs a process start and an MCP handshake (0.5-1 s); a call on a
live session costs a few milliseconds. But an MCP session belongs to the event loop and
the anyio task group that opened it, while runs execute on many loops (one per worker
thread, and a run may resume on another). So one daemon thread per process, the session
host, runs its own loop and owns every stdio session: a call from any loop is handed to
it (`run_coroutine_threadsafe`) and awaited where it came from (`wrap_future`).

Sessions are keyed by what starts the server: its command, its arguments and a digest of
its rendered environment (so a rotated credential or a changed command starts a fresh
server, and no secret sits in a key or a log line). Concurrent calls share a session
(JSON-RPC multiplexes them); the first call for a key starts the server and the others
wait for that one start.

A session is retired (no new calls; closed once its calls in flight are done) when its
server's output ends (it exited or crashed), when a call on it finds the server gone or
silent (`mcp.py` retires it then), or after `IDLE_TIMEOUT_S` without calls.
`close_stdio_sessions()` closes them all; it runs at interpreter exit and should be
called on worker shutdown.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import fcntl
import hashlib
import hmac
import json
import logging
import os
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar, cast

import anyio

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: A session without calls for this long is closed (its server process stops).
IDLE_TIMEOUT_S = 300.0

#: `close_stdio_sessions` waits at most this long for the servers to stop.
CLOSE_TIMEOUT_S = 10.0

#: How much of a server's stderr an error shows (its end, where the cause usually is).
STDERR_SHOWN = 2000

#: A live server's stderr file is cut back to its end once it grows past this.
STDERR_KEPT_BYTES = 1 << 20

#: Keys the environment digest: a digest of a weak secret could be guessed offline.
_ENV_DIGEST_KEY = os.urandom(32)


@dataclass(frozen=True)
class StdioLaunch:
    """What starts a stdio server: the command, its arguments, its rendered environment."""

    command: str
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def key(self) -> tuple[str, tuple[str, ...], str]:
        env = json.dumps(sorted(self.env)).encode()
        return self.command, self.args, hmac.new(_ENV_DIGEST_KEY, env, hashlib.sha256).hexdigest()

    def server_parameters(self) -> Any:
        """The `mcp` SDK's parameters that start this server."""
        from mcp import StdioServerParameters

        return StdioServerParameters(
            command=self.command, args=list(self.args), env=dict(self.env) or None
        )


class ServerErrlog:
    """A server's stderr, in a temporary file the server writes straight into.

    The file is opened for appending and read with `pread`, so reading it while the server
    writes never moves the offset the server writes at.
    """

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by `close`)
        descriptor = self.file.fileno()
        flags = fcntl.fcntl(descriptor, fcntl.F_GETFL)
        fcntl.fcntl(descriptor, fcntl.F_SETFL, flags | os.O_APPEND)

    def size(self) -> int:
        return os.fstat(self.file.fileno()).st_size

    def tail(self, since: int = 0) -> str:
        """The end of what was written from offset `since` (at most STDERR_SHOWN characters)."""
        size = self.size()
        since = min(since, size)
        start = max(since, size - STDERR_SHOWN * 4)
        text = os.pread(self.file.fileno(), size - start, start)
        shown = text.decode("utf-8", errors="replace").strip()
        if len(shown) > STDERR_SHOWN or start > since:
            shown = "…" + shown[-STDERR_SHOWN:]
        return shown

    def trim(self, limit: int) -> None:
        """Keep only the end of a long-lived server's stderr once it has grown past `limit`."""
        size = self.size()
        if size <= limit:
            return
        kept = os.pread(self.file.fileno(), STDERR_SHOWN * 4, size - STDERR_SHOWN * 4)
        os.ftruncate(self.file.fileno(), 0)
        os.write(self.file.fileno(), kept)

    def close(self) -> None:
        self.file.close()


class StdioSession:
    """One server process and the MCP client talking to it; lives on the host's loop."""

    def __init__(self, launch: StdioLaunch, host: StdioSessionHost) -> None:
        self.launch = launch
        self.errlog = ServerErrlog()
        self._host = host
        self._client: asyncio.Future[Any] | None = None
        self._owner: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()
        self._in_flight = 0
        self._retired = False
        self._stopped = False
        self._idle: asyncio.TimerHandle | None = None

    async def client(self, *, start_timeout_s: float) -> Any:
        """The connected `mcp.Client`; the first caller starts the server, the others wait."""
        if self._client is None:
            self._client = asyncio.get_running_loop().create_future()
            self._client.add_done_callback(_mark_retrieved)
            self._owner = asyncio.create_task(self._own(start_timeout_s))
        return await asyncio.shield(self._client)

    def retire(self) -> None:
        """Take no new calls (the next call starts a new server); close when none are left."""
        if not self._retired:
            self._retired = True
            self._host.forget(self)
        self._close_if_unused()

    def close(self) -> None:
        """Close now, calls in flight or not (they fail as a closed connection)."""
        self.retire()
        self._closing.set()
        if self._owner is not None and self._client is not None and not self._client.done():
            self._owner.cancel()  # still starting: stop the start (the server process too)
        if self._owner is None:
            self._stopped = True
            self._release_if_done()

    async def stopped(self) -> None:
        if self._owner is not None:
            await asyncio.wait([self._owner])

    @contextlib.contextmanager
    def in_use(self) -> Iterator[StdioSession]:
        self._in_flight += 1
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        try:
            yield self
        finally:
            self._in_flight -= 1
            if self._in_flight == 0 and not self._retired:
                self.errlog.trim(STDERR_KEPT_BYTES)
                loop = asyncio.get_running_loop()
                self._idle = loop.call_later(IDLE_TIMEOUT_S, self._close_if_idle)
            elif not self._retired:
                # Never idle: cut back anyway, later (calls in flight may lose their part).
                self.errlog.trim(STDERR_KEPT_BYTES * 8)
            self._close_if_unused()

    async def _own(self, start_timeout_s: float) -> None:
        """Start the server, hold its session open until closed, then stop it.

        One task enters and leaves the client, as its anyio task groups require.
        """
        from mcp import Client
        from mcp.client.stdio import stdio_client

        assert self._client is not None
        errlog = cast(TextIO, self.errlog.file)
        transport = _watched(
            stdio_client(self.launch.server_parameters(), errlog=errlog), self._output_ended
        )
        try:
            async with contextlib.AsyncExitStack() as stack:
                async with asyncio.timeout(start_timeout_s):
                    client = await stack.enter_async_context(Client(transport))
                self._client.set_result(client)
                await self._closing.wait()
        except Exception as exc:
            if not self._client.done():
                self._client.set_exception(exc)
            else:
                logger.debug("MCP stdio server %s ended: %r", self.launch.command, exc)
        finally:
            if not self._client.done():
                self._client.set_exception(ConnectionError("the MCP session host is closing"))
            self._stopped = True
            self.retire()
            self._release_if_done()

    def _output_ended(self) -> None:
        if not self._closing.is_set():
            logger.warning("MCP stdio server %s stopped on its own; the next call starts it again",
                           self.launch.command)
        self.retire()

    def _close_if_idle(self) -> None:
        self._idle = None
        if self._in_flight == 0:
            self.retire()

    def _close_if_unused(self) -> None:
        if self._retired and self._in_flight == 0:
            if self._idle is not None:
                self._idle.cancel()
                self._idle = None
            self._closing.set()
            self._release_if_done()

    def _release_if_done(self) -> None:
        if self._stopped and self._in_flight == 0 and not self.errlog.file.closed:
            self.errlog.close()
            self._host.release(self)


class StdioSessionHost:
    """A daemon thread whose event loop owns every stdio session of this process."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self._loop = asyncio.new_event_loop()
        self._live: dict[tuple[str, tuple[str, ...], str], StdioSession] = {}
        self._open: set[StdioSession] = set()  # live ones, and retired ones still closing
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="mcp-stdio-sessions", daemon=True
        )
        self._thread.start()

    async def run(self, launch: StdioLaunch, work: Callable[[StdioSession], Awaitable[T]]) -> T:
        """`work(session)` on the host's loop, with the live session for `launch`."""
        future = asyncio.run_coroutine_threadsafe(self._run(launch, work), self._loop)
        return await asyncio.wrap_future(future)

    def live_sessions(self) -> int:
        """How many sessions take new calls."""
        return len(self._live)

    def forget(self, session: StdioSession) -> None:
        if self._live.get(session.launch.key) is session:
            del self._live[session.launch.key]

    def release(self, session: StdioSession) -> None:
        self._open.discard(session)

    def close(self, timeout_s: float) -> None:
        """Close every session, wait (at most `timeout_s`) for the servers to stop, then stop."""
        if self._loop.is_closed():
            return
        closed = asyncio.run_coroutine_threadsafe(self._close_all(), self._loop)
        try:
            closed.result(timeout_s)
        except Exception as exc:  # at shutdown, a server that will not stop is only logged
            logger.warning("MCP stdio servers did not all stop: %r", exc)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout_s)

    async def _run(self, launch: StdioLaunch, work: Callable[[StdioSession], Awaitable[T]]) -> T:
        # No await between the look-up and the insert: one session per key, even when
        # many calls arrive together.
        session = self._live.get(launch.key)
        if session is None:
            session = self._live[launch.key] = StdioSession(launch, self)
            self._open.add(session)
        with session.in_use():
            return await work(session)

    async def _close_all(self) -> None:
        sessions = list(self._open)
        for session in sessions:
            session.close()
        await asyncio.gather(*(session.stopped() for session in sessions))


_host: StdioSessionHost | None = None
_host_lock = threading.Lock()


def stdio_session_host() -> StdioSessionHost:
    """This process's session host (started on first use, and anew in a forked child)."""
    global _host
    with _host_lock:
        if _host is None or _host.pid != os.getpid():
            _host = StdioSessionHost()
        return _host


def live_stdio_sessions() -> int:
    """How many stdio sessions this process has open for new calls."""
    host = _host
    return host.live_sessions() if host is not None and host.pid == os.getpid() else 0


def close_stdio_sessions(timeout_s: float = CLOSE_TIMEOUT_S) -> None:
    """Stop every stdio server this process started (call on worker shutdown; safe to repeat).

    A later call starts a new host.
    """
    global _host
    with _host_lock:
        host, _host = _host, None
    if host is not None and host.pid == os.getpid():
        host.close(timeout_s)


atexit.register(close_stdio_sessions)


@contextlib.asynccontextmanager
async def _watched(transport: Any, on_end: Callable[[], None]) -> AsyncIterator[Any]:
    """`transport`, calling `on_end` as soon as the server's output ends (it exited or crashed).

    Knowing that early keeps the next call off a dead session: it starts a new server
    instead of failing.
    """
    async with transport as (read_stream, write_stream):
        forward, received = anyio.create_memory_object_stream[Any](0)

        async def pump() -> None:
            try:
                async with read_stream, forward:
                    async for message in read_stream:
                        await forward.send(message)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                pass
            finally:
                on_end()

        async with anyio.create_task_group() as group:
            group.start_soon(pump)
            try:
                yield received, write_stream
            finally:
                group.cancel_scope.cancel()


def _mark_retrieved(future: asyncio.Future[Any]) -> None:
    # A failed start nobody waits for any more (all callers gave up) is not an error to log.
    if not future.cancelled():
        future.exception()
