"""The web process's end of the run notices (wire.py): one Postgres connection per event
loop, listening on `NOTICE_CHANNEL`, that hands each notice to the consumers watching its
run.

A notice is sent by the statement that commits its events, so it never runs ahead of
the database. One can still be missed (the connection drops, the web process starts
listening after the worker sent it): the consumer then finds a gap in the sequence
numbers, or reads the database when its socket is quiet, as it does for any lost
message. After a dropped connection, every watched run is read again at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg

from flows.runs.store import connection_params
from flows.runs.wire import NOTICE_CHANNEL, load_json

logger = logging.getLogger(__name__)

#: Hands one notice (`{"run_id", "events": [...]}`, or `{"run_id", "upto": seq}` to read
#: up to seq from the database, None for everything stored) to one consumer.
Deliver = Callable[[dict[str, Any]], Awaitable[None]]

#: Waits before connecting again, by consecutive failures (the last one repeats).
RETRY_S = (0.1, 0.5, 1.0, 2.0, 5.0)
#: A connection quiet this long is checked with a query (a dead peer raises).
CHECK_S = 15.0
#: How the connection shows in `pg_stat_activity`.
APPLICATION_NAME = "dynamicflow-run-notices"


class NoticeListener:
    """The run notices of one event loop (see the module docstring)."""

    def __init__(self) -> None:
        self._watchers: dict[str, set[Deliver]] = {}
        self._listening = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        #: deliveries under way (the loop keeps only weak references to tasks)
        self._deliveries: set[asyncio.Task[None]] = set()

    async def watch(self, run_id: str, deliver: Deliver, timeout: float = 5.0) -> None:
        """Hand `run_id`'s notices to `deliver` from now on; returns once the connection
        listens (or after `timeout`: the consumer's database reads cover the time)."""
        self._watchers.setdefault(run_id, set()).add(deliver)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._serve())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), timeout)

    def unwatch(self, run_id: str, deliver: Deliver) -> None:
        watchers = self._watchers.get(run_id)
        if watchers is not None:
            watchers.discard(deliver)
            if not watchers:
                del self._watchers[run_id]

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    async def close(self) -> None:
        """Stop listening (a web process never does; its loop ends with it)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._listening.clear()

    async def _serve(self) -> None:
        failures = 0
        while True:
            try:
                async with await self._connect() as conn:
                    await conn.execute(f"LISTEN {NOTICE_CHANNEL}")
                    self._listening.set()
                    if failures:
                        self._read_all_again()
                    failures = 0
                    while True:
                        async for notice in conn.notifies(timeout=CHECK_S):
                            self._dispatch(notice.payload)
                        await conn.execute("SELECT 1")
            except (psycopg.Error, OSError) as exc:
                logger.warning("run notices: connection lost (%s); connecting again", exc)
            except Exception:  # the sockets fall back on the database until it is back
                logger.exception("run notices: listening failed; starting again")
            self._listening.clear()
            failures += 1
            await asyncio.sleep(RETRY_S[min(failures, len(RETRY_S)) - 1])

    @staticmethod
    async def _connect() -> psycopg.AsyncConnection[Any]:
        params = connection_params()
        params["application_name"] = APPLICATION_NAME
        return await psycopg.AsyncConnection.connect(autocommit=True, **params)

    def _dispatch(self, payload: str) -> None:
        try:
            notice = load_json(payload.encode())
        except ValueError:
            logger.warning("run notices: not JSON: %.200s", payload)
            return
        for deliver in list(self._watchers.get(str(notice.get("run_id")), ())):
            self._deliver(deliver, notice)

    def _read_all_again(self) -> None:
        """Notices may have been lost while the connection was down."""
        for run_id, watchers in list(self._watchers.items()):
            for deliver in list(watchers):
                self._deliver(deliver, {"run_id": run_id, "upto": None})

    def _deliver(self, deliver: Deliver, notice: dict[str, Any]) -> None:
        # A task each, so that one slow socket holds up no other. They start in the
        # order created, and each consumer takes its notices under one FIFO lock.
        task = asyncio.get_running_loop().create_task(deliver(notice))
        self._deliveries.add(task)
        task.add_done_callback(self._delivered)

    def _delivered(self, task: asyncio.Task[None]) -> None:
        self._deliveries.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("run notices: a delivery failed", exc_info=task.exception())


_listeners: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, NoticeListener] = (
    weakref.WeakKeyDictionary()
)


def notice_listener() -> NoticeListener:
    """The listener of the running event loop (a web process has one loop)."""
    loop = asyncio.get_running_loop()
    listener = _listeners.get(loop)
    if listener is None:
        listener = _listeners[loop] = NoticeListener()
    return listener
