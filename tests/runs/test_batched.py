"""Batched: calls that arrive while one is in flight go out together, each gets its own
result, and one refused item fails only its own caller."""

from __future__ import annotations

import asyncio

import pytest

from flows.runs.batched import Batched


class Refused(Exception):
    """What the database says of data it cannot store."""


class Sender:
    """A statement that takes a while, recording what each call carried."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []
        self.release = asyncio.Event()
        #: set once the first statement is in flight
        self.in_flight = asyncio.Event()

    async def __call__(self, items: list[int]) -> list[int]:
        self.calls.append(list(items))
        self.in_flight.set()
        await self.release.wait()
        if 13 in items:
            raise Refused(f"cannot store {items}")
        return [item * 10 for item in items]


def refused(exc: BaseException) -> bool:
    return isinstance(exc, Refused)


def test_a_call_on_an_idle_batch_goes_out_alone_and_at_once() -> None:
    async def scenario() -> None:
        send = Sender()
        send.release.set()
        batched = Batched(send, one_by_one=refused)
        assert await batched(4) == 40
        assert send.calls == [[4]]

    asyncio.run(scenario())


def test_calls_that_arrive_while_one_is_in_flight_go_out_together() -> None:
    async def scenario() -> None:
        send = Sender()
        batched = Batched(send, one_by_one=refused)
        first = asyncio.create_task(batched(1))
        await asyncio.wait_for(send.in_flight.wait(), 2)
        rest = [asyncio.create_task(batched(n)) for n in (2, 3, 4)]
        await asyncio.sleep(0)
        send.release.set()
        assert await first == 10
        assert [await task for task in rest] == [20, 30, 40]
        assert send.calls == [[1], [2, 3, 4]]
        assert batched.sent == 2

    asyncio.run(scenario())


def test_a_refused_item_fails_only_its_own_caller() -> None:
    async def scenario() -> None:
        send = Sender()
        batched = Batched(send, one_by_one=refused)
        first = asyncio.create_task(batched(1))
        await asyncio.wait_for(send.in_flight.wait(), 2)
        rest = [asyncio.create_task(batched(n)) for n in (2, 13, 4)]
        await asyncio.sleep(0)
        send.release.set()
        await first
        results = await asyncio.gather(*rest, return_exceptions=True)
        assert results[0] == 20
        assert results[2] == 40
        assert isinstance(results[1], Refused)
        # the batch failed as a whole, then each went out alone
        assert send.calls == [[1], [2, 13, 4], [2], [13], [4]]

    asyncio.run(scenario())


def test_an_error_that_is_not_the_data_fails_the_whole_batch() -> None:
    async def scenario() -> None:
        calls: list[list[int]] = []
        gate, in_flight = asyncio.Event(), asyncio.Event()

        async def broken(items: list[int]) -> list[int]:
            calls.append(items)
            in_flight.set()
            await gate.wait()
            raise ConnectionError("server closed the connection")

        batched = Batched(broken, one_by_one=refused)
        first = asyncio.create_task(batched(1))
        await asyncio.wait_for(in_flight.wait(), 2)
        rest = [asyncio.create_task(batched(n)) for n in (2, 3)]
        await asyncio.sleep(0)
        gate.set()
        for task in [first, *rest]:
            with pytest.raises(ConnectionError):
                await task
        assert calls == [[1], [2, 3]]  # not retried one by one

    asyncio.run(scenario())


def test_a_caller_cancelled_while_it_waits_is_left_out() -> None:
    async def scenario() -> None:
        send = Sender()
        batched = Batched(send, one_by_one=refused)
        first = asyncio.create_task(batched(1))
        await asyncio.wait_for(send.in_flight.wait(), 2)
        gone = asyncio.create_task(batched(2))
        kept = asyncio.create_task(batched(3))
        await asyncio.sleep(0)
        gone.cancel()
        send.release.set()
        assert await first == 10
        assert await kept == 30
        assert gone.cancelled()
        assert send.calls == [[1], [3]]

    asyncio.run(scenario())
