"""The run event sink and checkpoint writer: events and node records committed in groups.

`RunEventWriter.emit` is called by the engine on its event loop and never blocks: it
buffers the event and schedules a flush. A node checkpoint (`commit`) takes the buffered
events into the same statement as the node record, so a fast flow costs about one commit
per node. The flush waits two loop turns when someone watches the run, and up to
`UNWATCHED_FLUSH_S` when nobody does, so that a checkpoint or the outcome usually carries
the events instead.

Node records and event-only flushes go through the loop's `GroupCommit`
(group_commit.py), shared by every run on the loop: records that arrive together, from
one run's fan-out or from runs side by side, are committed in one fenced statement.

The statements of a run someone watches also carry its events to the browser, as
notifications Postgres sends once they commit (wire.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from flows.core.checkpoints import NodeRecord
from flows.core.events import RUN_FAILED, TERMINAL_RUN_EVENTS, Event
from flows.runs.group_commit import GroupCommit
from flows.runs.store import (
    AsyncWriter,
    DbThread,
    Final,
    FinalWrite,
    LeaseLost,
    NodeWrite,
    statement_refused,
    storable,
    write_final,
    write_nodes,
)
from flows.runs.watchers import RunWatch

if TYPE_CHECKING:
    from flows.runs.store import Claim

logger = logging.getLogger(__name__)

#: How long the events of a run nobody watches may wait for a node checkpoint or the
#: run's outcome to carry them to the database, before they are written on their own.
UNWATCHED_FLUSH_S = 0.02


def group_commit(pg: AsyncWriter | None, db: DbThread) -> GroupCommit:
    """The group commit of one event loop: on its own connection when it has one."""
    if pg is not None:
        return GroupCommit(pg.write_nodes)

    async def on_db_thread(parts: Sequence[NodeWrite]) -> set[str]:
        return await db.call(write_nodes, parts)

    return GroupCommit(on_db_thread)


class RunEventWriter:
    """The engine's EventSink for one run execution, and the writer of its checkpoints."""

    def __init__(
        self,
        *,
        claim: Claim,
        token: str,
        worker: str,
        db: DbThread,
        watch: RunWatch | None = None,
        pg: AsyncWriter | None = None,
        group: GroupCommit | None = None,
    ) -> None:
        self.claim = claim
        self.run_id = claim.run_id
        self.token = token
        self.worker = worker
        self.db = db
        self.pg = pg
        self.group = group if group is not None else group_commit(pg, db)
        self.lease_lost = False
        self.last_seq = 0
        self._pending: list[Event] = []
        self._staged: list[NodeRecord] = []
        self._ending = False
        self._loop = asyncio.get_running_loop()
        self._flush_due: asyncio.Handle | None = None
        self._flush: asyncio.Task[None] | None = None
        #: whether someone has the run open, as the worker last read it
        self.watch = watch if watch is not None else RunWatch()

    @property
    def watched(self) -> bool:
        return self.watch.watched

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
        """Commit a node record with the events so far; returns once it is durable."""
        await self.group.commit(self, record, replace_waiting=replace_waiting)
        self._written()

    # ------------------------------------------------------------------ WriteSource

    def take(self) -> tuple[list[Event], list[NodeRecord]]:
        events, self._pending = self._pending, []
        staged, self._staged = self._staged, []
        return events, staged

    def give_back(self, events: list[Event], staged: list[NodeRecord]) -> None:
        self._pending[:0] = events
        self._staged[:0] = staged

    # ------------------------------------------------------------------ events alone

    def _schedule_flush(self) -> None:
        # Let the engine reach its next checkpoint first: events committed with a node
        # record cost no extra commit. For a watched run that is two loop turns
        # (microseconds; a callback, not a task, so the common case of nothing left to
        # flush costs almost nothing). A run nobody watches has no reader waiting, so its
        # events may wait UNWATCHED_FLUSH_S for a checkpoint or the outcome to carry them.
        if self._flush_due is not None:
            return
        if not self.watched:
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
        if self._flush is not None and not self._flush.done():
            return  # a flush is under way; when it ends it looks again (_written)
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
            await self.group.commit(self)
        except LeaseLost:
            return
        except Exception:
            logger.exception("storing events of run %s failed; retrying with the next", self.run_id)
            return
        self._written()

    async def finish(self, final: Final) -> tuple[str, str | None]:
        """Commit the outcome, the last events and the lease release in one statement."""
        if self._flush is not None and not self._flush.done():
            with contextlib.suppress(Exception):
                await self._flush  # its events commit first (or come back)
        # A record whose node was cancelled while it waited is still written first.
        await self.group.written_out(self)
        if self.lease_lost:
            raise LeaseLost(self.run_id)
        events, staged = self.take()
        write = FinalWrite(
            self.run_id,
            self.token,
            self.worker,
            final,
            events,
            staged,
            self.last_seq or None,
            watched=self.watched,
        )
        try:
            try:
                outcome = await self._write_final(write)
            except Exception as exc:
                if not statement_refused(exc):
                    raise
                logger.warning("run %s: its outcome could not be stored: %s", self.run_id, exc)
                write = refused_outcome(write, exc)
                outcome = await self._write_final(write)
        except LeaseLost:
            self.lease_lost = True
            raise
        return outcome

    async def _write_final(self, write: FinalWrite) -> tuple[str, str | None]:
        if self.pg is not None:
            return await self.pg.write_final(write)
        return await self.db.call(write_final, write)

    async def close(self) -> None:
        """Stop writing."""
        if self._flush_due is not None:
            self._flush_due.cancel()
            self._flush_due = None
        if self._flush is not None and not self._flush.done():
            self._flush.cancel()
            with contextlib.suppress(BaseException):
                await self._flush
        self.group.forget(self)


def refused_outcome(write: FinalWrite, exc: BaseException) -> FinalWrite:
    """The run fails instead of ending as it did: its outcome carried data the database
    refuses (a NUL in a leaf's output text, say). Its last events and records are kept,
    their texts mended (`storable`), and its terminal event says why; retried as it was,
    the run would lose its lease and be sent again, only to fail the same way."""
    diag = getattr(exc.__cause__ or exc, "diag", None)
    primary = getattr(diag, "message_primary", None) or str(exc).split("\n")[0]
    detail = getattr(diag, "message_detail", None)
    reason = f"{primary} ({detail})" if detail else primary
    error: dict[str, Any] = {
        "code": "unstorable_output",
        "message": f"the run's outcome could not be stored: {reason}",
    }
    staged = [
        replace(r, output=storable(r.output), inputs=storable(r.inputs), error=storable(r.error))
        for r in write.staged
    ]
    unstorable = [
        mended.node_id
        for mended, record in zip(staged, write.staged, strict=True)
        if mended.output != record.output
    ]
    if unstorable:
        error["node"] = unstorable[0]
        error["message"] += f"; the output of `{unstorable[0]}` holds it"
    events = [
        Event(e.seq, RUN_FAILED, e.ts, e.run_id, None, {"error": error}, e.elapsed_ms)
        if e.type in TERMINAL_RUN_EVENTS
        else replace(e, data=storable(e.data))
        for e in write.events
    ]
    final = Final("failed", error=error, applied_decisions=write.final.applied_decisions)
    return FinalWrite(
        write.run_id,
        write.token,
        write.worker,
        final,
        events,
        staged,
        write.last_seq,
        watched=write.watched,
    )
