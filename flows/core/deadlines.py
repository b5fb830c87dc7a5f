"""Per-call timeouts without a timer per call.

`asyncio.timeout()` schedules and cancels a timer handle on every tool call, which is a
large share of the engine's per-node cost. A run instead registers each call's deadline
here, keyed by the task making the call (a task makes one call at a time), and one
ticking timer cancels the calls that overran. A timeout fires at most one tick late: a
tenth of the shortest timeout in force, between 1 ms and 50 ms.
"""

from __future__ import annotations

import asyncio
import math
import time


class Deadlines:
    def __init__(self) -> None:
        #: task -> the time.monotonic() its call must end by. Once the timer runs, a call
        #: of at least `direct_s` seconds may be registered by writing its entry here and
        #: forgotten by removing it: the tick already suits it, and the hot path of the
        #: engine saves two method calls per tool call.
        self.entries: dict[asyncio.Task[object], float] = {}
        self.direct_s = math.inf
        self._expired: set[asyncio.Task[object]] = set()
        self._tick = 0.05
        # A timer callback rather than a ticker task: a run that never waits on a tool
        # then costs no task, no sleep and no cancellation to wait for at its end.
        self._timer: asyncio.TimerHandle | None = None
        self._loop = asyncio.get_running_loop()

    def add(self, task: asyncio.Task[object], seconds: float) -> None:
        """Cancel `task` if it is still registered `seconds` from now."""
        # time.monotonic() is what loop.time() returns, without the method call
        self.entries[task] = time.monotonic() + seconds
        if seconds < self._tick * 10:
            self._tick = min(max(seconds / 10, 0.001), 0.05)
        if self._timer is None:
            self._timer = self._loop.call_later(self._tick, self._check)
        self.direct_s = self._tick * 10

    def expired(self, task: asyncio.Task[object]) -> bool:
        """Whether `task` was cancelled for overrunning; clears the cancellation if so."""
        if task in self._expired:
            self._expired.discard(task)
            task.uncancel()
            return True
        return False

    def discard(self, task: asyncio.Task[object]) -> None:
        self.entries.pop(task, None)

    def _check(self) -> None:
        now = time.monotonic()
        for task, deadline in list(self.entries.items()):
            if deadline <= now and task not in self._expired:
                self._expired.add(task)
                task.cancel()
        self._timer = self._loop.call_later(self._tick, self._check)

    async def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.direct_s = math.inf
