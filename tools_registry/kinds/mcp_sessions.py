"""A worker's live MCP sessions: opened once, shared by every run and thread.

Starting a stdio server costs a process start and an MCP handshake (0.5-1 s), opening a
Streamable HTTP session a connection and a handshake (tens of ms); a call on a live session
costs a few milliseconds. But an MCP session belongs to the event loop and the anyio task
group that opened it, while runs execute on many loops (one per worker thread, and a run may
resume on another). So one daemon thread per process, the session host, runs its own loop
and owns every session: a call from any loop is handed to it (`run_coroutine_threadsafe`)
and awaited where it came from (`wrap_future`).

A session is keyed by everything it was opened with, and only ever used for that key. A
stdio session (`StdioSession`): the command, its arguments and a digest of its rendered
environment (so a rotated credential or a changed command starts a fresh server, and no
secret sits in a key or a log line). A Streamable HTTP session (`mcp_http_sessions`): a
digest of the URL (which may carry a credential) and the timeout. Concurrent calls share a
session (JSON-RPC multiplexes them); the first call for a key opens it and the others wait
for that one opening. The transport's subclass of `McpSession` says how to open it.

A session is retired (no new calls; closed once its calls in flight are done) when it is
known dead (a stdio server's output ended: it exited or crashed; an HTTP server answered
404 to its session id: it forgot the session), when a call on it finds the server gone or
silent (`mcp.py` retires it then), or after `IDLE_TIMEOUT_S` without calls.
`close_mcp_sessions()` (alias `close_stdio_sessions`) closes them all; it runs at
interpreter exit and should be called on worker shutdown.
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
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar, cast

import anyio

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: A session without calls for this long is closed (a stdio server process stops).
IDLE_TIMEOUT_S = 300.0

#: `close_mcp_sessions` waits at most this long for the sessions to close.
CLOSE_TIMEOUT_S = 10.0

#: How much of a server's stderr an error shows (its end, where the cause usually is).
STDERR_SHOWN = 2000

#: A live server's stderr file is cut back to its end once it grows past this.
STDERR_KEPT_BYTES = 1 << 20

#: Keys the digests of secrets in session keys: a digest of a weak secret could be guessed
#: offline.
_DIGEST_KEY = os.urandom(32)


def secret_digest(value: Any) -> str:
    """A keyed digest of `value` (JSON-able), to key sessions by what may hold a secret."""
    return hmac.new(_DIGEST_KEY, json.dumps(value).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class StdioLaunch:
    """What starts a stdio server: the command, its arguments, its rendered environment."""

    command: str
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def key(self) -> tuple[str, str, tuple[str, ...], str]:
        return "stdio", self.command, self.args, secret_digest(sorted(self.env))

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


class McpSession:
    """One live MCP client session; lives on the host's loop.

    A subclass opens it (`_open`: enter the transport and the `mcp.Client` into the stack,
    return the client); this class shares it among calls, retires and closes it.
    """

    #: "stdio" | "streamable_http": what `live_mcp_sessions` counts by.
    transport = ""

    def __init__(self, key: Hashable, label: str, host: McpSessionHost) -> None:
        self.key = key
        #: Names the server in log lines (no secret: no environment, no URL credentials).
        self.label = label
        self._host = host
        self._client: asyncio.Future[Any] | None = None
        self._owner: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()
        self._in_flight = 0
        self._retired = False
        self._stopped = False
        self._released = False
        self._idle: asyncio.TimerHandle | None = None

    async def _open(self, stack: contextlib.AsyncExitStack) -> Any:
        """Connect: enter the transport and the client into `stack`; the connected client."""
        raise NotImplementedError

    def _calls_done(self, idle: bool) -> None:
        """After a call, when the session stays live (`idle`: no call is left in flight)."""

    def _release(self) -> None:
        """The session has stopped and no call uses it any more."""

    async def client(self, *, start_timeout_s: float) -> Any:
        """The connected `mcp.Client`; the first caller opens the session, the others wait."""
        if self._client is None:
            self._client = asyncio.get_running_loop().create_future()
            self._client.add_done_callback(_mark_retrieved)
            self._owner = asyncio.create_task(self._own(start_timeout_s))
        return await asyncio.shield(self._client)

    def retire(self) -> None:
        """Take no new calls (the next call opens a new session); close when none are left."""
        if not self._retired:
            self._retired = True
            self._host.forget(self)
        self._close_if_unused()

    def close(self) -> None:
        """Close now, calls in flight or not (they fail as a closed connection)."""
        self.retire()
        self._closing.set()
        if self._owner is not None and self._client is not None and not self._client.done():
            self._owner.cancel()  # still opening: stop that (a stdio server process too)
        if self._owner is None:
            self._stopped = True
            self._release_if_done()

    async def stopped(self) -> None:
        if self._owner is not None:
            await asyncio.wait([self._owner])

    @contextlib.contextmanager
    def in_use(self) -> Iterator[McpSession]:
        self._in_flight += 1
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        try:
            yield self
        finally:
            self._in_flight -= 1
            if not self._retired:
                self._calls_done(idle=self._in_flight == 0)
                if self._in_flight == 0:
                    loop = asyncio.get_running_loop()
                    self._idle = loop.call_later(IDLE_TIMEOUT_S, self._close_if_idle)
            self._close_if_unused()

    async def _own(self, start_timeout_s: float) -> None:
        """Open the session, hold it open until closed, then close it.

        One task enters and leaves the client, as its anyio task groups require.
        """
        assert self._client is not None
        try:
            async with contextlib.AsyncExitStack() as stack:
                async with asyncio.timeout(start_timeout_s):
                    client = await self._open(stack)
                self._client.set_result(client)
                await self._closing.wait()
        except Exception as exc:
            if not self._client.done():
                self._client.set_exception(exc)
            else:
                logger.debug("MCP %s session with %s ended: %r", self.transport, self.label, exc)
        finally:
            if not self._client.done():
                self._client.set_exception(ConnectionError("the MCP session host is closing"))
            self._stopped = True
            self.retire()
            self._release_if_done()

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
        if self._stopped and self._in_flight == 0 and not self._released:
            self._released = True
            self._release()
            self._host.release(self)


class StdioSession(McpSession):
    """One server process and the MCP client talking to it."""

    transport = "stdio"

    def __init__(self, launch: StdioLaunch, host: McpSessionHost) -> None:
        super().__init__(launch.key, launch.command, host)
        self.launch = launch
        self.errlog = ServerErrlog()

    async def _open(self, stack: contextlib.AsyncExitStack) -> Any:
        from mcp import Client
        from mcp.client.stdio import stdio_client

        errlog = cast(TextIO, self.errlog.file)
        transport = _watched(
            stdio_client(self.launch.server_parameters(), errlog=errlog), self._output_ended
        )
        return await stack.enter_async_context(Client(transport))

    def _calls_done(self, idle: bool) -> None:
        # Never idle: cut back anyway, later (calls in flight may lose their part).
        self.errlog.trim(STDERR_KEPT_BYTES if idle else STDERR_KEPT_BYTES * 8)

    def _release(self) -> None:
        self.errlog.close()

    def _output_ended(self) -> None:
        if not self._closing.is_set():
            logger.warning("MCP stdio server %s stopped on its own; the next call starts it again",
                           self.launch.command)
        self.retire()


Session = TypeVar("Session", bound=McpSession)


class McpSessionHost:
    """A daemon thread whose event loop owns every MCP session of this process."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self._loop = asyncio.new_event_loop()
        self._live: dict[Hashable, McpSession] = {}
        self._open: set[McpSession] = set()  # live ones, and retired ones still closing
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="mcp-sessions", daemon=True
        )
        self._thread.start()

    async def run(self, key: Hashable, open_session: Callable[[McpSessionHost], Session],
                  work: Callable[[Session], Awaitable[T]]) -> T:
        """`work(session)` on the host's loop, with the live session for `key`.

        `open_session(host)` makes that session when none is live; it must make one whose
        `key` is `key` (the key says everything the session was opened with).
        """
        future = asyncio.run_coroutine_threadsafe(self._run(key, open_session, work), self._loop)
        return await asyncio.wrap_future(future)

    def live_sessions(self, transport: str | None = None) -> int:
        """How many sessions (of `transport`, or of any) take new calls."""
        return sum(transport in (None, session.transport) for session in self._live.values())

    def forget(self, session: McpSession) -> None:
        if self._live.get(session.key) is session:
            del self._live[session.key]

    def release(self, session: McpSession) -> None:
        self._open.discard(session)

    def close(self, timeout_s: float) -> None:
        """Close every session, wait (at most `timeout_s`) for them to stop, then stop."""
        if self._loop.is_closed():
            return
        closed = asyncio.run_coroutine_threadsafe(self._close_all(), self._loop)
        try:
            closed.result(timeout_s)
        except Exception as exc:  # at shutdown, a server that will not stop is only logged
            logger.warning("MCP sessions did not all close: %r", exc)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout_s)

    async def _run(self, key: Hashable, open_session: Callable[[McpSessionHost], Session],
                   work: Callable[[Session], Awaitable[T]]) -> T:
        # No await between the look-up and the insert: one session per key, even when
        # many calls arrive together.
        session = self._live.get(key)
        if session is None:
            session = self._live[key] = open_session(self)
            assert session.key == key, "a session is only ever used for what it was opened with"
            self._open.add(session)
        with session.in_use():
            return await work(cast(Session, session))

    async def _close_all(self) -> None:
        sessions = list(self._open)
        for session in sessions:
            session.close()
        await asyncio.gather(*(session.stopped() for session in sessions))


_host: McpSessionHost | None = None
_host_lock = threading.Lock()


def mcp_session_host() -> McpSessionHost:
    """This process's session host (started on first use, and anew in a forked child)."""
    global _host
    with _host_lock:
        if _host is None or _host.pid != os.getpid():
            _host = McpSessionHost()
        return _host


def live_mcp_sessions(transport: str | None = None) -> int:
    """How many MCP sessions (of `transport`, or of any) this process has open for new calls."""
    host = _host
    return host.live_sessions(transport) if host is not None and host.pid == os.getpid() else 0


def live_stdio_sessions() -> int:
    """How many stdio sessions this process has open for new calls."""
    return live_mcp_sessions("stdio")


def close_mcp_sessions(timeout_s: float = CLOSE_TIMEOUT_S) -> None:
    """Close every MCP session of this process, stopping the stdio servers it started (call
    on worker shutdown; safe to repeat). A later call starts a new host."""
    global _host
    with _host_lock:
        host, _host = _host, None
    if host is not None and host.pid == os.getpid():
        host.close(timeout_s)


#: The name worker shutdown (flows/tasks.py) calls; it closes the HTTP sessions too.
close_stdio_sessions = close_mcp_sessions

atexit.register(close_mcp_sessions)


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
