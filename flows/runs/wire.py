"""The one wire shape of a run event, and the Postgres notifications that carry a
worker's events to the browser.

A worker's events ride in the statement that commits them, as notifications on
`NOTICE_CHANNEL` (`run_notices`; store.py adds them to its statements for a watched run).
Postgres delivers a notification only once its transaction commits, straight to the
web process listening (listener.py), so an event reaches the browser one hop after its
commit and never before it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson

from flows.core.events import Event

if TYPE_CHECKING:
    from flows.models import RunEvent

#: The Postgres channel of run notices (one for every run: a web process listens once).
NOTICE_CHANNEL = "dynamicflow_run_events"
#: Postgres refuses a notification of 8,000 bytes or more; a notice stays well under it.
NOTICE_MAX_BYTES = 7_000


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


def run_notices(run_id: str, events: list[Event]) -> list[str]:
    """The notifications that carry `events` to the web processes, in order: each a JSON
    object `{"run_id", "events": [wire, ...]}` under `NOTICE_MAX_BYTES`. An event that
    cannot travel in one (too big, or beyond what orjson writes) becomes
    `{"run_id", "upto": seq}`: the consumer reads it from the database, where it is
    committed by the time the notification arrives."""
    prefix = f'{{"run_id":{orjson.dumps(run_id).decode()},"events":['
    room = NOTICE_MAX_BYTES - len(prefix) - 2
    notices: list[str] = []
    batch: list[str] = []
    size = 0
    for event in events:
        wire = _wire_text(event)
        length = len(wire.encode()) + 1 if wire is not None else 0
        if wire is None or length > room:
            if batch:
                notices.append(prefix + ",".join(batch) + "]}")
                batch, size = [], 0
            notices.append(orjson.dumps({"run_id": run_id, "upto": event.seq}).decode())
            continue
        if size + length > room:
            notices.append(prefix + ",".join(batch) + "]}")
            batch, size = [], 0
        batch.append(wire)
        size += length
    if batch:
        notices.append(prefix + ",".join(batch) + "]}")
    return notices


def _wire_text(event: Event) -> str | None:
    try:
        return orjson.dumps(event_wire(event), default=str).decode()
    except (TypeError, orjson.JSONEncodeError):
        return None
