"""Who watches a run, so a worker can skip broadcasting events that nobody would receive.

Broadcasting costs a worker a channel-layer round trip per commit, which is a large part
of a fast run's time when no browser is open. A websocket consumer marks its run as
watched in the run's row (`Run.watched_until`, renewed while it is connected). The worker
reads the mark in the statements it sends anyway — its claim, and each lease renewal
(every `conf.poll_s`) — so knowing costs it no round trip of its own. A consumer that
connects while the run executes misses at most `poll_s` of live messages, and loses
nothing: it reads the stored events on connect, fills any gap by sequence number, and
polls the database when the socket is quiet.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from channels.db import database_sync_to_async
from django.utils import timezone

WATCH_TTL_S = 30


def mark_watched(run_id: str | uuid.UUID) -> None:
    from flows.models import Run

    until = timezone.now() + timedelta(seconds=WATCH_TTL_S)
    Run.objects.filter(pk=run_id).update(watched_until=until)


class WatchMarks:
    """The consumer side: mark a run watched, and keep the mark fresh."""

    def __init__(self) -> None:
        self._marked_at: dict[str, float] = {}

    async def mark(self, run_id: str) -> None:
        await database_sync_to_async(mark_watched)(run_id)
        self._marked_at[run_id] = time.monotonic()

    async def refresh(self, run_id: str) -> None:
        if time.monotonic() - self._marked_at.get(run_id, 0.0) > WATCH_TTL_S / 3:
            await self.mark(run_id)

    async def close(self) -> None:
        self._marked_at.clear()


@dataclass(slots=True)
class RunWatch:
    """Whether anyone watches one run, as its worker last read it (claim, lease renewal)."""

    watched: bool = True
