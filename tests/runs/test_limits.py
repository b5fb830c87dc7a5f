"""Redis-backed per-tool limits, with two limiter instances standing for two workers."""

from __future__ import annotations

import asyncio
import time
import uuid

from flows.runs import conf
from flows.runs.limits import RedisToolLimiter, ToolLimit


def _limiter(prefix: str, limit: ToolLimit, lease_ms: int = 30_000) -> RedisToolLimiter:
    return RedisToolLimiter(conf.redis_url(), lambda _: limit, prefix=prefix, lease_ms=lease_ms)


async def test_concurrency_is_shared_by_every_limiter():
    prefix = f"dftest-{uuid.uuid4().hex[:8]}"
    workers = [_limiter(prefix, ToolLimit(concurrency=3)) for _ in range(2)]
    in_flight = peak = 0

    async def call(limiter: RedisToolLimiter) -> None:
        nonlocal in_flight, peak
        async with limiter.slot("tool"):
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.05)
            in_flight -= 1

    async with asyncio.timeout(10):
        await asyncio.gather(*(call(workers[i % 2]) for i in range(12)))
    assert peak == 3
    for limiter in workers:
        await limiter.aclose()


async def test_a_rate_limit_spaces_calls_out():
    prefix = f"dftest-{uuid.uuid4().hex[:8]}"
    workers = [_limiter(prefix, ToolLimit(rate_per_s=20)) for _ in range(2)]
    times: list[float] = []

    async def call(limiter: RedisToolLimiter) -> None:
        async with limiter.slot("tool"):
            times.append(time.monotonic())

    async with asyncio.timeout(10):
        await asyncio.gather(*(call(workers[i % 2]) for i in range(10)))
    times.sort()
    assert times[-1] - times[0] >= 9 * 0.05 * 0.9  # nine intervals of 50 ms
    for limiter in workers:
        await limiter.aclose()


async def test_a_slot_held_by_a_dead_worker_frees_when_its_lease_ends():
    prefix = f"dftest-{uuid.uuid4().hex[:8]}"
    dead = _limiter(prefix, ToolLimit(concurrency=1), lease_ms=300)
    alive = _limiter(prefix, ToolLimit(concurrency=1), lease_ms=300)
    # the dead worker took the slot and never renews nor releases it
    await dead._take_slot(f"{prefix}:limit:conc:tool", "dead-token", 1)
    started = time.monotonic()

    async with asyncio.timeout(5), alive.slot("tool"):
        waited = time.monotonic() - started

    assert 0.1 < waited < 2
    await dead.aclose()
    await alive.aclose()


def test_tools_without_limits_never_touch_redis():
    limiter = RedisToolLimiter("redis://127.0.0.1:1/0", lambda _: None)
    # a nullcontext: no connection is attempted (port 1 would refuse one)
    assert type(limiter.slot("free")).__name__ == "nullcontext"
