"""Group commit: the node writes of every run on one event loop, committed together.

A write that arrives while nothing is being written goes out at once, from the caller's
own task (a chain pays no hand-off). Writes that arrive while a statement is in flight
wait for it and are then committed together, in one fenced statement, whichever runs
they belong to: the siblings of a fan-out, and the nodes of the runs a worker executes
side by side, share one commit instead of paying one each. Every `commit` returns only
once its record is durable, so no successor starts before its inputs are committed.

A run's share of a statement is taken from its `WriteSource` (the run's event writer)
when the statement is built, so events emitted while it waited ride along; a run's
writes are committed in the order they arrived.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from flows.core.checkpoints import NodeRecord
from flows.core.events import Event
from flows.runs.batched import OneInFlight
from flows.runs.store import LeaseLost, NodeWrite, statement_refused


class WriteSource(Protocol):
    """A run whose events and records a group statement carries (RunEventWriter)."""

    run_id: str
    token: str
    worker: str
    lease_lost: bool

    @property
    def watched(self) -> bool:
        """Someone has the run open: the statement also notifies its events."""

    def take(self) -> tuple[list[Event], list[NodeRecord]]:
        """The events and staged records so far, now owned by the statement."""

    def give_back(self, events: list[Event], staged: list[NodeRecord]) -> None:
        """A statement failed: keep these for the next write, ahead of newer ones."""


#: Runs one statement for the parts given; returns the runs whose lease was held.
Execute = Callable[[Sequence[NodeWrite]], Awaitable[set[str]]]


@dataclass(slots=True)
class _Entry:
    """A write waiting for its statement, and whoever waits on it."""

    source: WriteSource
    record: NodeRecord | None
    replace_waiting: bool
    durable: asyncio.Future[None]


class GroupCommit(OneInFlight[_Entry]):
    """The node statements of one event loop's runs (see the module docstring)."""

    def __init__(self, execute: Execute) -> None:
        super().__init__()
        self._execute = execute
        #: the runs of the statement in flight, and who waits for it to end
        self._writing: set[WriteSource] = set()
        self._ended: list[asyncio.Future[None]] = []
        self.statements = 0  # statements sent (tests, benchmarks)

    async def commit(
        self,
        source: WriteSource,
        record: NodeRecord | None = None,
        *,
        replace_waiting: bool = False,
    ) -> None:
        """Commit `record` (if any) with `source`'s events so far; returns once durable.

        Raises LeaseLost if the run's lease is lost, or why the statement failed (the
        events and staged records are then kept for the next write).
        """
        if source.lease_lost:
            raise LeaseLost(source.run_id)
        entry = _Entry(source, record, replace_waiting, asyncio.get_running_loop().create_future())
        await self._submit(entry)
        await entry.durable

    async def written_out(self, source: WriteSource) -> None:
        """Wait until nothing of `source` is queued or being written (errors are its
        waiters' to handle)."""
        while source in self._writing or any(e.source is source for e in self._queue):
            ended = asyncio.get_running_loop().create_future()
            self._ended.append(ended)
            await ended

    def forget(self, source: WriteSource) -> None:
        """Drop what `source` still has queued (its run stopped)."""
        kept = []
        for entry in self._queue:
            if entry.source is source:
                entry.durable.cancel()
            else:
                kept.append(entry)
        self._queue = kept

    async def _send_group(self, group: list[_Entry]) -> None:
        """One statement for `group`; settles every entry's future."""
        self._writing = {entry.source for entry in group}
        try:
            await self._statement(group)
        finally:
            self._writing = set()
            ended, self._ended = self._ended, []
            for waiter in ended:
                if not waiter.done():
                    waiter.set_result(None)

    async def _statement(self, group: list[_Entry]) -> None:
        parts: dict[WriteSource, tuple[NodeWrite, list[NodeRecord]]] = {}
        for entry in group:
            source = entry.source
            if source.lease_lost:
                _settle([entry], LeaseLost(source.run_id))
                continue
            if source not in parts:
                events, staged = source.take()
                part = NodeWrite(
                    source.run_id,
                    source.token,
                    source.worker,
                    events,
                    list(staged),
                    watched=source.watched,
                )
                parts[source] = (part, staged)
            part = parts[source][0]
            if entry.record is not None:
                (part.replacing if entry.replace_waiting else part.inserts).append(entry.record)
        writes = [part for part, _ in parts.values() if not part.empty()]
        held: set[str] = set()
        try:
            if writes:
                self.statements += 1
                held = await self._execute(writes)
        except BaseException as exc:
            for source, (part, staged) in parts.items():
                source.give_back(list(part.events), staged)
            if len(writes) > 1 and statement_refused(exc):
                # One run's data the database cannot store (a NUL in an output, say)
                # must fail that run alone: write each run on its own.
                for source in parts:
                    await self._statement([e for e in group if e.source is source])
                return
            _settle(group, exc)
            if isinstance(exc, asyncio.CancelledError):
                raise
            return
        lost: set[WriteSource] = set()
        for source, (part, _) in parts.items():
            if not (part.empty() or part.run_id in held):
                source.lease_lost = True
                lost.add(source)
        _settle(group, None, lost)


def _settle(
    group: list[_Entry], error: BaseException | None, lost: set[WriteSource] | None = None
) -> None:
    """Tell every waiter of `group` its record is durable, or why it is not."""
    for entry in group:
        if entry.durable.done():  # its node was cancelled meanwhile
            continue
        failure = LeaseLost(entry.source.run_id) if lost and entry.source in lost else error
        if failure is None:
            entry.durable.set_result(None)
        elif isinstance(failure, asyncio.CancelledError):
            entry.durable.cancel()
        else:
            entry.durable.set_exception(failure)
