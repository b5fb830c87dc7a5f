"""Per-tool concurrency and rate limits that hold across every worker process (Redis).

Concurrency: a sorted set per tool of slot holders scored by their lease expiry; a Lua
script drops expired holders and admits a new one only under the limit, so a worker that
dies holding a slot frees it when the lease runs out (holders renew while they work).
Rate: GCRA (the generic cell rate algorithm) on one key per tool, with Redis' own clock,
so machines with skewed clocks agree. Tools without a limit never touch Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import redis.asyncio as aioredis

_ACQUIRE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
  return 1
end
return 0
"""

_RENEW = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1
"""

# Returns 0 when admitted, else the milliseconds to wait before asking again.
_RATE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat - (burst - 1) * interval
if now < allow_at then return math.ceil(allow_at - now) end
local new_tat = tat + interval
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil(new_tat - now) + 1000)
return 0
"""


@dataclass(frozen=True, slots=True)
class ToolLimit:
    concurrency: int | None = None
    rate_per_s: float | None = None
    burst: int = 1

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> ToolLimit:
        concurrency = data.get("concurrency")
        rate = data.get("rate_per_s")
        return cls(
            concurrency=int(concurrency) if concurrency else None,
            rate_per_s=float(rate) if rate else None,
            burst=max(int(data.get("burst", 1)), 1),
        )


class RedisToolLimiter:
    """The engine's ConcurrencyLimiter: `async with limiter.slot(tool_id): ...`.

    One instance per event loop (its Redis client belongs to that loop).
    """

    def __init__(
        self,
        redis_url: str,
        limits: Callable[[str], ToolLimit | None],
        *,
        prefix: str = "dynamicflow",
        lease_ms: int = 30_000,
    ) -> None:
        self.redis = aioredis.Redis.from_url(redis_url)
        self.limits = limits
        self.prefix = prefix
        self.lease_ms = lease_ms
        self._acquire = self.redis.register_script(_ACQUIRE)
        self._renew = self.redis.register_script(_RENEW)
        self._rate = self.redis.register_script(_RATE)

    def slot(self, tool_id: str) -> contextlib.AbstractAsyncContextManager[None]:
        limit = self.limits(tool_id)
        if limit is None or (limit.concurrency is None and limit.rate_per_s is None):
            return contextlib.nullcontext()
        return self._slot(tool_id, limit)

    @contextlib.asynccontextmanager
    async def _slot(self, tool_id: str, limit: ToolLimit) -> AsyncIterator[None]:
        key = f"{self.prefix}:limit:conc:{tool_id}"
        token = uuid.uuid4().hex
        held = False
        renewer: asyncio.Task[None] | None = None
        try:
            if limit.concurrency is not None:
                await self._take_slot(key, token, limit.concurrency)
                held = True
                renewer = asyncio.get_running_loop().create_task(self._keep(key, token))
            if limit.rate_per_s is not None:
                await self._wait_rate(tool_id, limit)
            yield
        finally:
            if renewer is not None:
                renewer.cancel()
            if held:
                # Release even when cancelled; shielded so the slot is not left to expire.
                await asyncio.shield(self.redis.zrem(key, token))

    async def _take_slot(self, key: str, token: str, limit: int) -> None:
        delay = 0.002
        while not await self._acquire(keys=[key], args=[token, limit, self.lease_ms]):
            await asyncio.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.05)

    async def _keep(self, key: str, token: str) -> None:
        while True:
            await asyncio.sleep(self.lease_ms / 3000)
            await self._renew(keys=[key], args=[token, self.lease_ms])

    async def _wait_rate(self, tool_id: str, limit: ToolLimit) -> None:
        key = f"{self.prefix}:limit:rate:{tool_id}"
        interval_ms = 1000.0 / float(limit.rate_per_s or 1.0)
        while True:
            wait_ms = await self._rate(keys=[key], args=[interval_ms, limit.burst])
            if not wait_ms:
                return
            await asyncio.sleep(int(wait_ms) / 1000.0)

    async def aclose(self) -> None:
        await self.redis.aclose()
