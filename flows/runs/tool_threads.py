"""The threads blocking tools run on in a worker: each call starts as a Django request does.

A tool that uses the ORM (the demo pack's outbox, a registry lookup) opens a connection on
its thread and keeps it for the next call. When the database closed it meanwhile (Postgres
restarted, or an idle timeout), the next call would fail with "the connection is closed"
and fail its run; so every call first lets Django drop a connection that is unusable or
past its age. That costs nothing for a tool that does not touch the database: with
CONN_HEALTH_CHECKS the check is a ping on the connection's next use, not a query now.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import close_old_connections

T = TypeVar("T")


def _with_usable_connections(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    close_old_connections()
    return fn(*args, **kwargs)


class ToolThreads(ThreadPoolExecutor):
    """A thread pool whose every call first drops its thread's stale database connections."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return super().submit(_with_usable_connections, fn, *args, **kwargs)
