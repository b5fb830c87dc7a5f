"""The threads blocking tools run on in a worker: each call starts as a Django request does.

A tool that uses the ORM (the demo pack's outbox, a registry lookup) opens a connection on
its thread and keeps it for the next call; every call first drops that connection if the
database closed it meanwhile (`dynamicflow_site.db_threads`), so the run goes on rather
than failing with "the connection is closed".
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from dynamicflow_site.db_threads import drop_dead_connections

T = TypeVar("T")


def _with_usable_connections(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    drop_dead_connections()
    return fn(*args, **kwargs)


class ToolThreads(ThreadPoolExecutor):
    """A thread pool whose every call first drops its thread's stale database connections."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return super().submit(_with_usable_connections, fn, *args, **kwargs)
