"""The counting limit used for global and per-tool concurrency."""

from __future__ import annotations

import asyncio

from flows.core.slots import Slots


async def test_waiters_get_slots_in_order_and_the_count_is_restored():
    slots = Slots(1)
    assert slots.try_take()
    order: list[str] = []

    async def wait(name: str) -> None:
        await slots.take()
        order.append(name)
        slots.give()

    first = asyncio.create_task(wait("first"))
    second = asyncio.create_task(wait("second"))
    await asyncio.sleep(0)
    assert order == []

    slots.give()
    await asyncio.gather(first, second)

    assert order == ["first", "second"]
    assert slots.free == 1


async def test_a_cancelled_waiter_does_not_leak_a_slot():
    slots = Slots(1)
    assert slots.try_take()
    waiter = asyncio.create_task(slots.take())
    await asyncio.sleep(0)

    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    slots.give()

    assert slots.free == 1
    assert slots.try_take()
