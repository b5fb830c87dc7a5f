"""Committed run events to the browser: the channel group of a run and the wire shape.

A run's events go, in order, to one `RunBroadcaster` task that sends them to the channel
group `run.<hex id>` (Redis pub/sub) once they are committed; a consumer that misses some
fills the gap from the database by sequence number, so the stream a client sees is
always complete. Runs nobody watches are not broadcast at all (`watchers`).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from flows.core.events import Event
from flows.runs.watchers import RunWatch

if TYPE_CHECKING:
    from flows.models import RunEvent

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "run.events"


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


class RunBroadcaster:
    """One run's committed events, sent in order to its group by one task on the run's loop."""

    def __init__(
        self, run_id: str, *, layer: Any = None, watch: RunWatch | None = None, chunk: int = 100
    ) -> None:
        self.run_id = run_id
        self.group = group_name(run_id)
        self.layer = layer if layer is not None else get_channel_layer()
        self.watch = watch if watch is not None else RunWatch()
        self.chunk = chunk
        self._outbox: asyncio.Queue[list[Event] | None] = asyncio.Queue()
        #: started by the first publish: a run nobody watches costs no task
        self._task: asyncio.Task[None] | None = None

    def unwatched(self) -> bool:
        """Nobody watched the run when its worker last looked (claim, lease renewal)."""
        return not self.watch.watched

    def publish(self, events: list[Event]) -> None:
        """Hand committed events over (never blocks), unless nobody watches the run."""
        if events and not self.unwatched():
            if self._task is None:
                self._task = asyncio.get_running_loop().create_task(self._loop())
            self._outbox.put_nowait(events)

    async def close(self, timeout: float = 5.0) -> None:
        """Wait (bounded) until every published event has been handed to the channel layer."""
        if self._task is None:
            return
        self._outbox.put_nowait(None)
        try:
            await asyncio.wait_for(self._task, timeout)
        except (TimeoutError, asyncio.CancelledError):
            logger.warning("broadcasting the events of run %s timed out", self.run_id)

    async def _loop(self) -> None:
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
        if self.unwatched():
            return  # nobody listens; a consumer that connects reads them from the database
        wire = [event_wire(e) for e in events]
        for chunk in _chunks(wire, self.chunk):
            try:
                await self.layer.group_send(self.group, {"type": MESSAGE_TYPE, "events": chunk})
            except Exception:
                logger.exception("broadcasting events of run %s failed", self.run_id)
