"""Who watches a run, so a worker can skip broadcasting events that nobody would receive.

Broadcasting costs a worker a channel-layer round trip per commit, which is a large part
of a fast run's time when no browser is open. A websocket consumer marks its run as
watched (a Redis key with a TTL, refreshed while it is connected); a worker looks at the
mark at most every `CHECK_S`. A consumer that connects between two looks misses at most
that long of live messages, and loses nothing: it reads the stored events on connect,
fills any gap by sequence number, and polls the database when the socket is quiet.
"""

from __future__ import annotations

import time
import uuid

import redis.asyncio as aioredis

from flows.runs import conf

WATCH_TTL_S = 30
CHECK_S = 0.2


def watch_key(run_id: str | uuid.UUID) -> str:
    return f"{conf.redis_prefix()}:watch:{uuid.UUID(str(run_id)).hex}"


class WatchMarks:
    """The consumer side: mark a run watched, and keep the mark fresh."""

    def __init__(self, client: aioredis.Redis | None = None) -> None:
        self._client = client or aioredis.from_url(conf.redis_url())
        self._marked_at: dict[str, float] = {}

    async def mark(self, run_id: str) -> None:
        await self._client.set(watch_key(run_id), 1, ex=WATCH_TTL_S)
        self._marked_at[run_id] = time.monotonic()

    async def refresh(self, run_id: str) -> None:
        if time.monotonic() - self._marked_at.get(run_id, 0.0) > WATCH_TTL_S / 3:
            await self.mark(run_id)

    async def close(self) -> None:
        await self._client.aclose()


class WatchCheck:
    """The worker side: whether anyone watches a run, asked of Redis at most every CHECK_S."""

    def __init__(self, client: aioredis.Redis | None = None) -> None:
        self._client = client or aioredis.from_url(conf.redis_url())
        self._seen: dict[str, tuple[float, bool]] = {}

    async def watched(self, run_id: str) -> bool:
        now = time.monotonic()
        checked = self._seen.get(run_id)
        if checked is not None and now - checked[0] < CHECK_S:
            return checked[1]
        try:
            watched = bool(await self._client.exists(watch_key(run_id)))
        except Exception:
            watched = True  # when in doubt, broadcast
        self._seen[run_id] = (now, watched)
        return watched

    def known_unwatched(self, run_id: str) -> bool:
        """Whether a recent look (within CHECK_S) found nobody watching: no Redis trip."""
        checked = self._seen.get(run_id)
        return checked is not None and not checked[1] and time.monotonic() - checked[0] < CHECK_S

    def forget(self, run_id: str) -> None:
        self._seen.pop(run_id, None)
