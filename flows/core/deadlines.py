"""Per-call timeouts without a timer per call.

`asyncio.timeout()` schedules and cancels a timer handle on every tool call, which is a
large share of the engine's per-node cost. A run instead registers each call's deadline
here, and one ticker task cancels the calls that overran. A timeout fires at most one
tick late: a tenth of the shortest timeout in force, between 1 ms and 50 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools


class Deadlines:
    def __init__(self) -> None:
        self._entries: dict[int, tuple[float, asyncio.Task[object]]] = {}
        self._expired: set[int] = set()
        self._keys = itertools.count()
        self._tick = 0.05
        self._ticker: asyncio.Task[None] | None = None

    def add(self, seconds: float) -> int:
        """Watch the current task; returns a key for `expired` and `discard`."""
        loop = asyncio.get_running_loop()
        key = next(self._keys)
        task = asyncio.current_task()
        assert task is not None
        self._entries[key] = (loop.time() + seconds, task)
        tick = min(max(seconds / 10, 0.001), 0.05)
        if tick < self._tick:
            self._tick = tick
        if self._ticker is None:
            self._ticker = loop.create_task(self._run())
        return key

    def expired(self, key: int) -> bool:
        """Whether `key` was cancelled for overrunning; clears the cancellation if so."""
        if key in self._expired:
            self._expired.discard(key)
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
            return True
        return False

    def discard(self, key: int) -> None:
        self._entries.pop(key, None)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self._tick)
            now = loop.time()
            for key, (deadline, task) in list(self._entries.items()):
                if deadline <= now and key not in self._expired:
                    self._expired.add(key)
                    task.cancel()

    async def close(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
