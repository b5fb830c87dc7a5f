"""The run event sink and checkpoint writer: events and node records committed in groups.

`RunEventWriter.emit` is called by the engine on its event loop and never blocks: it
buffers the event and schedules a flush. A node checkpoint (`commit`) takes the buffered
events into the same statement as the node record, so a fast flow costs about one commit
per node. The flush waits two loop turns when someone watches the run, and up to
`UNWATCHED_FLUSH_S` when nobody does, so that a checkpoint or the outcome usually carries
the events instead.

Group commit: a node record that arrives while nothing is being written is written at
once by the node's own task; records that arrive while a write is in flight wait for the
next one and are committed together, in one fenced statement — the siblings of a fan-out
that finish together cost one or two commits, not one each. Every `commit` returns only
once its record is durable, so no successor starts before its inputs are committed.

Committed events go to the run's `RunBroadcaster` (broadcast.py), which sends them to the
browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flows.core.checkpoints import NodeRecord
from flows.core.events import TERMINAL_RUN_EVENTS, Event
from flows.runs.broadcast import RunBroadcaster
from flows.runs.store import (
    AsyncWriter,
    DbThread,
    Final,
    LeaseLost,
    final_statement,
    node_write_statement,
    outcome_from_row,
    write_events_and_node,
    write_final,
)
from flows.runs.watchers import RunWatch

if TYPE_CHECKING:
    from flows.runs.store import Claim

logger = logging.getLogger(__name__)

#: How long the events of a run nobody watches may wait for a node checkpoint or the
#: run's outcome to carry them to the database, before they are written on their own.
UNWATCHED_FLUSH_S = 0.02


@dataclass(slots=True)
class _Queued:
    """A node record waiting for the next group commit, and whoever waits on it."""

    record: NodeRecord
    replace_waiting: bool
    durable: asyncio.Future[None]


class RunEventWriter:
    """The engine's EventSink for one run execution, and the writer of its checkpoints."""

    def __init__(
        self,
        *,
        claim: Claim,
        token: str,
        worker: str,
        db: DbThread,
        chunk: int = 100,
        layer: Any = None,
        watch: RunWatch | None = None,
        pg: AsyncWriter | None = None,
    ) -> None:
        self.claim = claim
        self.run_id = claim.run_id
        self.token = token
        self.worker = worker
        self.db = db
        self.pg = pg
        self.lease_lost = False
        self.last_seq = 0
        self._pending: list[Event] = []
        self._staged: list[NodeRecord] = []
        self._queued: list[_Queued] = []
        self._ending = False
        self._loop = asyncio.get_running_loop()
        self._flush_due: asyncio.Handle | None = None
        self._flush: asyncio.Task[None] | None = None
        self._committer: asyncio.Task[None] | None = None
        #: a node's own task is writing its record (see commit)
        self._writing = False
        self.broadcaster = RunBroadcaster(self.run_id, layer=layer, watch=watch, chunk=chunk)

    # ------------------------------------------------------------------ EventSink

    def emit(self, event: Event) -> None:
        self._pending.append(event)
        self.last_seq = event.seq
        if event.type in TERMINAL_RUN_EVENTS:
            # The runner writes the outcome next, with everything still pending: a
            # separate flush now would be one more commit for nothing.
            self._ending = True
        if not self._ending:
            self._schedule_flush()

    # ------------------------------------------------------------------ node records

    def stage(self, record: NodeRecord) -> None:
        """Keep a record nothing waits on for the next write (see Engine._commit)."""
        self._staged.append(record)
        self._schedule_flush()

    async def commit(self, record: NodeRecord, *, replace_waiting: bool = False) -> None:
        """Commit a node record with the events so far; returns once it is durable.

        With no write in flight the caller writes it at once, in its own task (a chain's
        every node: no hand-off). Otherwise the record joins the next group commit, which
        the committer task writes when the one in flight is done.
        """
        if self.lease_lost:
            raise LeaseLost(self.run_id)
        if self._committer is None and not self._writing:
            await self._commit_now(record, replace_waiting)
            return
        durable = self._loop.create_future()
        self._queued.append(_Queued(record, replace_waiting, durable))
        if self._committer is None:
            self._committer = self._loop.create_task(self._commit_queued())
        await durable

    async def _commit_now(self, record: NodeRecord, replace_waiting: bool) -> None:
        self._writing = True
        try:
            if replace_waiting:
                await self._write_records(record, [])
            else:
                await self._write_records(None, [record])
        finally:
            self._writing = False
        self._written()

    async def _write_records(
        self, replacing: NodeRecord | None, inserts: list[NodeRecord]
    ) -> None:
        """One statement: the events so far, the staged records, `inserts`, and `replacing`
        (a waiting record decided). On failure the events and staged records are kept for
        the next write; on success the events go to the broadcaster."""
        events, staged = self._take(), self._take_staged()
        try:
            await self._write(events, replacing, replacing is not None, staged + inserts)
        except LeaseLost:
            self.lease_lost = True
            raise
        except BaseException:
            self._pending[:0] = events
            self._staged[:0] = staged
            raise
        self._publish(events)

    async def _commit_queued(self) -> None:
        """Write queued records, a group per statement, until none is left."""
        try:
            while self._queued:
                group = self._next_group()
                if self.lease_lost:
                    _settle(group, LeaseLost(self.run_id))
                    continue
                replacing = next((q for q in group if q.replace_waiting), None)
                inserts = [q.record for q in group if q is not replacing]
                try:
                    await self._write_records(
                        replacing.record if replacing is not None else None, inserts
                    )
                except BaseException as exc:
                    _settle(group, exc)
                    if isinstance(exc, asyncio.CancelledError):
                        raise
                    continue
                _settle(group)
        finally:
            self._committer = None
            if self._queued:  # cancelled: nobody will write them
                _settle(self._queued, asyncio.CancelledError())
                self._queued = []
            else:
                self._written()

    def _next_group(self) -> list[_Queued]:
        """Every queued record, except that one statement replaces at most one waiting
        record (an approval decided): the others wait for the next statement."""
        group: list[_Queued] = []
        rest: list[_Queued] = []
        replacing = False
        for queued in self._queued:
            if queued.replace_waiting and replacing:
                rest.append(queued)
                continue
            replacing = replacing or queued.replace_waiting
            group.append(queued)
        self._queued = rest
        return group

    # ------------------------------------------------------------------ events alone

    def _take(self) -> list[Event]:
        events, self._pending = self._pending, []
        return events

    def _take_staged(self) -> list[NodeRecord]:
        staged, self._staged = self._staged, []
        return staged

    def _schedule_flush(self) -> None:
        # Let the engine reach its next checkpoint first: events committed with a node
        # record cost no extra commit. For a watched run that is two loop turns
        # (microseconds; a callback, not a task, so the common case of nothing left to
        # flush costs almost nothing). A run nobody watches has no reader waiting, so its
        # events may wait UNWATCHED_FLUSH_S for a checkpoint or the outcome to carry them.
        if self._flush_due is not None:
            return
        if self.broadcaster.unwatched():
            self._flush_due = self._loop.call_later(UNWATCHED_FLUSH_S, self._flush_turn, 1)
        else:
            self._flush_due = self._loop.call_soon(self._flush_turn, 2)

    def _flush_turn(self, turns: int) -> None:
        if turns > 1:
            self._flush_due = self._loop.call_soon(self._flush_turn, turns - 1)
            return
        self._flush_due = None
        if not (self._pending or self._staged) or self._ending:
            return
        writing = self._writing or self._committer is not None
        if writing or (self._flush is not None and not self._flush.done()):
            return  # a write is under way; when it ends it looks again (_written)
        self._flush = self._loop.create_task(self.flush())

    def _written(self) -> None:
        """A write ended: flush what arrived meanwhile unless a checkpoint takes it."""
        if (self._pending or self._staged) and not self._ending and not self.lease_lost:
            self._schedule_flush()

    async def flush(self) -> None:
        """Commit the buffered events now (fenced), then hand them to the broadcaster."""
        if (not self._pending and not self._staged) or self.lease_lost:
            return
        try:
            await self._write_records(None, [])
        except LeaseLost:
            return
        except Exception:
            logger.exception("storing events of run %s failed; retrying with the next", self.run_id)
            return
        self._written()

    # ------------------------------------------------------------------ statements

    async def _write(
        self,
        events: list[Event],
        record: NodeRecord | None,
        replace_waiting: bool,
        staged: list[NodeRecord],
    ) -> None:
        """One fenced statement, on the loop's own connection when there is one."""
        if self.pg is not None:
            sql, params = node_write_statement(
                self.run_id, self.token, self.worker, events, record, replace_waiting, staged
            )
            await self.pg.write(self.run_id, sql, params)
            return
        await self.db.call(
            write_events_and_node,
            self.run_id,
            self.token,
            self.worker,
            events,
            record,
            replace_waiting,
            staged,
        )

    async def finish(self, final: Final) -> tuple[str, str | None]:
        """Commit the outcome, the last events and the lease release in one statement."""
        for task in (self._committer, self._flush):
            if task is not None and not task.done():
                with contextlib.suppress(Exception):
                    await task  # its records and events commit first (or come back)
        if self.lease_lost:
            raise LeaseLost(self.run_id)
        events, staged = self._take(), self._take_staged()
        args = (self.run_id, self.token, events, final, self.last_seq or None, staged, self.worker)
        try:
            if self.pg is not None:
                # After any node write still in flight: the connection's lock is FIFO.
                row = await self.pg.fetchone(*final_statement(*args))
                outcome = outcome_from_row(self.run_id, row)
            else:
                outcome = await self.db.call(write_final, *args)
        except LeaseLost:
            self.lease_lost = True
            raise
        self._publish(events)
        return outcome

    async def close(self, timeout: float = 5.0) -> None:
        """Stop writing, then wait (bounded) until every committed event has been handed
        to the channel layer."""
        if self._flush_due is not None:
            self._flush_due.cancel()
            self._flush_due = None
        for task in (self._flush, self._committer):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        await self.broadcaster.close(timeout)

    def _publish(self, events: list[Event]) -> None:
        self.broadcaster.publish(events)


def _settle(group: list[_Queued], error: BaseException | None = None) -> None:
    """Tell every waiter of `group` its record is durable, or why it is not."""
    for queued in group:
        if queued.durable.done():  # its node was cancelled meanwhile
            continue
        if error is None:
            queued.durable.set_result(None)
        elif isinstance(error, asyncio.CancelledError):
            queued.durable.cancel()
        else:
            queued.durable.set_exception(error)
