"""Calls batched while one is in flight: the claims, and the outcomes, of a loop's runs.

Under load, the runs on a worker's loop queue for its connection, each for a statement of
its own: a round trip and a commit per claim and per outcome. A `Batched` call that finds
nothing in flight goes out at once, from the caller's own task (an idle worker pays no
hand-off); calls that arrive meanwhile wait, and go out together, in one statement, when
it ends. group_commit.py does the same for node writes (which also gather each run's
events).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


E = TypeVar("E")


class OneInFlight(Generic[E]):
    """Entries sent in groups, one group in flight at a time: an entry that finds none in
    flight goes out at once, from its caller's task; the entries that arrive meanwhile go
    out together when it ends (`_send_group`, which settles each one)."""

    def __init__(self) -> None:
        self._queue: list[E] = []
        self._busy = False
        self._drainer: asyncio.Task[None] | None = None

    async def _submit(self, entry: E) -> None:
        if self._busy or self._queue:
            self._queue.append(entry)
            self._start_drainer()
            return
        self._busy = True
        try:
            await self._send_group([entry])
        finally:
            self._busy = False
            self._start_drainer()

    async def _send_group(self, group: list[E]) -> None:
        raise NotImplementedError

    def _start_drainer(self) -> None:
        if self._queue and not self._busy and self._drainer is None:
            self._drainer = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self._queue and not self._busy:
                group, self._queue = self._queue, []
                self._busy = True
                try:
                    await self._send_group(group)
                finally:
                    self._busy = False
        finally:
            self._drainer = None
            self._start_drainer()


class Batched(OneInFlight[tuple[T, "asyncio.Future[R]"]], Generic[T, R]):
    """`await batched(item)`: `send` called with every item waiting, one result each."""

    def __init__(
        self,
        send: Callable[[list[T]], Awaitable[list[R]]],
        *,
        one_by_one: Callable[[BaseException], bool],
    ) -> None:
        super().__init__()
        #: sends the items (one statement) and returns their results, in their order
        self._send = send
        #: a batch failed for what one item may carry (data the database refuses): each
        #: is then sent on its own, so that only that item's caller sees the error
        self._one_by_one = one_by_one
        self.sent = 0  # statements sent (tests, benchmarks)

    async def __call__(self, item: T) -> R:
        waiter: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        await self._submit((item, waiter))
        return await waiter

    async def _send_group(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        batch = [(item, waiter) for item, waiter in batch if not waiter.done()]  # cancelled
        if not batch:
            return
        try:
            self.sent += 1
            results = await self._send([item for item, _ in batch])
        except asyncio.CancelledError:
            for _, waiter in batch:
                waiter.cancel()
            raise
        except Exception as exc:
            if len(batch) > 1 and self._one_by_one(exc):
                for one in batch:
                    await self._send_group([one])
                return
            for _, waiter in batch:
                if not waiter.done():
                    waiter.set_exception(exc)
            return
        for (_, waiter), result in zip(batch, results, strict=True):
            if not waiter.done():
                waiter.set_result(result)
