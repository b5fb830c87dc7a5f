"""The run event sink: every event is committed to Postgres, then broadcast to the run's group.

`RunEventWriter.emit` is called by the engine on its event loop and never blocks: it
buffers the event and schedules a flush. A node checkpoint (`commit`) takes the buffered
events into the same statement as the node record, so a fast flow costs about one commit
per node. The flush waits two loop turns when someone watches the run, and up to
`UNWATCHED_FLUSH_S` when nobody does, so that a checkpoint or the outcome usually carries
the events instead.

After each commit the events go, in order, to one broadcaster task that sends them to the
channel group `run.<hex id>` (Redis pub/sub); a consumer that misses some fills the gap
from the database by sequence number, so the stream a client sees is always complete.
Runs nobody watches are not broadcast at all (`watchers`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from flows.core.checkpoints import NodeRecord
from flows.core.events import TERMINAL_RUN_EVENTS, Event
from flows.runs.store import (
    EVENTS_PER_STATEMENT,
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
from flows.runs.watchers import WatchCheck

if TYPE_CHECKING:
    from flows.models import RunEvent
    from flows.runs.store import Claim

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "run.events"

#: How long the events of a run nobody watches may wait for a node checkpoint or the
#: run's outcome to carry them to the database, before they are written on their own.
UNWATCHED_FLUSH_S = 0.02


def group_name(run_id: str | uuid.UUID) -> str:
    return f"run.{uuid.UUID(str(run_id)).hex}"


def event_wire(event: Event) -> dict[str, Any]:
    """The one JSON shape of an event, on the websocket and in the REST API."""
    return {
        "seq": event.seq,
        "type": event.type,
        "ts": event.ts,
        "run_id": event.run_id,
        "node_id": event.node_id or None,
        "data": event.data,
        "elapsed_ms": event.elapsed_ms,
        "duration_ms": event.duration_ms,
    }


def row_wire(row: RunEvent) -> dict[str, Any]:
    ts = row.ts.timestamp() if isinstance(row.ts, datetime) else row.ts
    return {
        "seq": row.seq,
        "type": row.type,
        "ts": ts,
        "run_id": str(row.run_id),
        "node_id": row.node_id or None,
        "data": row.payload,
        "elapsed_ms": row.elapsed_ms,
        "duration_ms": row.duration_ms,
    }


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), max(size, 1)):
        yield items[start : start + max(size, 1)]


def broadcast_on_commit(run_id: str | uuid.UUID, wire_events: list[dict[str, Any]]) -> None:
    """From synchronous code (services): send events to the run's group once committed."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(
                group_name(run_id), {"type": MESSAGE_TYPE, "events": wire_events}
            )
        except Exception:  # the consumers' catch-up from the database covers a lost message
            logger.exception("could not broadcast events of run %s", run_id)

    transaction.on_commit(send)


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
        watch: WatchCheck | None = None,
        pg: AsyncWriter | None = None,
    ) -> None:
        self.claim = claim
        self.run_id = claim.run_id
        self.token = token
        self.worker = worker
        self.db = db
        self.chunk = chunk
        self.layer = layer if layer is not None else get_channel_layer()
        self.watch = watch
        self.pg = pg
        self.group = group_name(self.run_id)
        self.lease_lost = False
        self.last_seq = 0
        self._pending: list[Event] = []
        self._staged: list[NodeRecord] = []
        self._ending = False
        self._loop = asyncio.get_running_loop()
        self._flush_due: asyncio.Handle | None = None
        self._flush: asyncio.Task[None] | None = None
        self._outbox: asyncio.Queue[list[Event] | None] = asyncio.Queue()
        self._broadcaster = self._loop.create_task(self._broadcast_loop())

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

    # ------------------------------------------------------------------ writes

    def _take(self) -> list[Event]:
        events, self._pending = self._pending, []
        return events

    def _take_staged(self) -> list[NodeRecord]:
        staged, self._staged = self._staged, []
        return staged

    def stage(self, record: NodeRecord) -> None:
        """Keep a record nothing waits on for the next write (see Engine._commit)."""
        self._staged.append(record)
        self._schedule_flush()

    def _schedule_flush(self) -> None:
        # Let the engine reach its next checkpoint first: events committed with a node
        # record cost no extra commit. For a watched run that is two loop turns
        # (microseconds; a callback, not a task, so the common case of nothing left to
        # flush costs almost nothing). A run nobody watches has no reader waiting, so its
        # events may wait UNWATCHED_FLUSH_S for a checkpoint or the outcome to carry them.
        if self._flush_due is not None:
            return
        if self.watch is not None and self.watch.known_unwatched(self.run_id):
            self._flush_due = self._loop.call_later(UNWATCHED_FLUSH_S, self._flush_turn, 1)
        else:
            self._flush_due = self._loop.call_soon(self._flush_turn, 2)

    def _flush_turn(self, turns: int) -> None:
        if turns > 1:
            self._flush_due = self._loop.call_soon(self._flush_turn, turns - 1)
            return
        self._flush_due = None
        if (self._pending or self._staged) and not self._ending:
            if self._flush is not None and not self._flush.done():
                self._schedule_flush()  # one flush at a time; look again after it
                return
            self._flush = self._loop.create_task(self.flush())

    async def flush(self) -> None:
        """Commit the buffered events now (fenced), then hand them to the broadcaster."""
        if (not self._pending and not self._staged) or self.lease_lost:
            return
        events, staged = self._take(), self._take_staged()
        try:
            await self._write(events, None, False, staged)
        except LeaseLost:
            self.lease_lost = True
            return
        except Exception:
            logger.exception("storing events of run %s failed; retrying with the next", self.run_id)
            self._pending[:0] = events
            self._staged[:0] = staged
            return
        self._publish(events)

    async def _write(
        self,
        events: list[Event],
        record: NodeRecord | None,
        replace_waiting: bool,
        staged: list[NodeRecord],
    ) -> None:
        """One fenced statement, on the loop's own connection when there is one."""
        if self.pg is not None and len(events) <= EVENTS_PER_STATEMENT:
            sql, params = node_write_statement(
                self.run_id, self.token, self.worker, events, record, replace_waiting, staged
            )
            await self.pg.write(self.run_id, sql, params)
            return
        if self.pg is not None:
            await self.pg.quiesce()
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

    async def commit(self, record: NodeRecord, *, replace_waiting: bool = False) -> None:
        """Commit a node record with the events so far; returns once durable."""
        if self.lease_lost:
            raise LeaseLost(self.run_id)
        events, staged = self._take(), self._take_staged()
        try:
            await self._write(events, record, replace_waiting, staged)
        except LeaseLost:
            self.lease_lost = True
            raise
        except BaseException:
            self._pending[:0] = events
            self._staged[:0] = staged
            raise
        self._publish(events)

    async def finish(self, final: Final) -> tuple[str, str | None]:
        """Commit the outcome, the last events and the lease release in one statement."""
        if self.lease_lost:
            raise LeaseLost(self.run_id)
        if self._flush is not None and not self._flush.done():
            with contextlib.suppress(Exception):
                await self._flush  # its events commit first (or come back to pending)
        events, staged = self._take(), self._take_staged()
        args = (self.run_id, self.token, events, final, self.last_seq or None, staged, self.worker)
        try:
            if self.pg is not None and len(events) <= EVENTS_PER_STATEMENT:
                # After any node write still in flight: the connection's lock is FIFO.
                row = await self.pg.fetchone(*final_statement(*args))
                outcome = outcome_from_row(self.run_id, row)
            else:
                if self.pg is not None:
                    await self.pg.quiesce()  # node writes in flight commit first, in order
                outcome = await self.db.call(write_final, *args)
        except LeaseLost:
            self.lease_lost = True
            raise
        self._publish(events)
        return outcome

    async def close(self, timeout: float = 5.0) -> None:
        """Wait (bounded) until every committed event has been handed to the channel layer."""
        if self._flush_due is not None:
            self._flush_due.cancel()
            self._flush_due = None
        if self._flush is not None:
            self._flush.cancel()
            with contextlib.suppress(BaseException):
                await self._flush
        self._outbox.put_nowait(None)
        try:
            await asyncio.wait_for(self._broadcaster, timeout)
        except (TimeoutError, asyncio.CancelledError):
            logger.warning("broadcasting the events of run %s timed out", self.run_id)

    # ------------------------------------------------------------------ broadcast

    def _publish(self, events: list[Event]) -> None:
        """Hand committed events to the broadcaster, unless nobody watches the run."""
        if events and not (self.watch is not None and self.watch.known_unwatched(self.run_id)):
            self._outbox.put_nowait(events)

    async def _broadcast_loop(self) -> None:
        if self.watch is not None:
            await self.watch.watched(self.run_id)  # known early: it sets the flush pace
        while True:
            events = await self._outbox.get()
            stop = events is None
            batch = list(events or [])
            # Coalesce whatever else has been committed meanwhile: fewer, larger messages
            # when the channel layer is slower than the database.
            while not stop and not self._outbox.empty():
                more = self._outbox.get_nowait()
                stop = more is None
                batch.extend(more or [])
            if batch and self.layer is not None:
                await self._send(batch)
            if stop:
                return

    async def _send(self, events: list[Event]) -> None:
        if self.watch is not None and not await self.watch.watched(self.run_id):
            return  # nobody listens; a consumer that connects reads them from the database
        wire = [event_wire(e) for e in events]
        for chunk in _chunks(wire, self.chunk):
            try:
                await self.layer.group_send(self.group, {"type": MESSAGE_TYPE, "events": chunk})
            except Exception:
                logger.exception("broadcasting events of run %s failed", self.run_id)
