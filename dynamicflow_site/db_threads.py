"""Database connections of threads that outlive a request: a worker's tool threads, and the
thread asgiref runs ORM calls on from async code (the registry and credential lookups).

Such a thread keeps its connection from one call to the next. When the database closed it
meanwhile (Postgres restarted, or an idle timeout), the next call would fail with "the
connection is closed"; so each call first lets Django drop a connection that is unusable or
past its age, as it does at the start of a request. With CONN_HEALTH_CHECKS that is a ping
on the connection's next use, not a query now.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.db import connections

P = ParamSpec("P")
T = TypeVar("T")


def drop_dead_connections() -> None:
    """Close this thread's connections the database closed or that are past their age.

    A connection inside a transaction is left alone: closing it would end the transaction of
    whoever opened it (an atomic block around the call, or a test's own).
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def orm_call(fn: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """`fn`, which uses the ORM, as a coroutine function run by `sync_to_async` on a
    connection known to be usable."""

    def call(*args: Any, **kwargs: Any) -> T:
        drop_dead_connections()
        return fn(*args, **kwargs)

    return sync_to_async(call)
