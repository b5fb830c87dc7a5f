"""The one wire shape of a run event, and the Postgres notifications that carry a
worker's events to the browser.

A worker's events ride in the statement that commits them, as notifications on
`NOTICE_CHANNEL` (`run_notices`; store.py adds them to its statements for a watched run).
Postgres delivers a notification only once its transaction commits, straight to the
web process listening (listener.py), so an event reaches the browser one hop after its
commit and never before it.
"""

from __future__ import annotations

import contextlib
import json
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson

from flows.core.events import Event

if TYPE_CHECKING:
    from flows.models import RunEvent

#: What orjson cannot encode (an integer beyond 64 bits, a lone surrogate) is encoded by
#: the standard library's encoder, as everything was before.
_ENCODER = json.JSONEncoder(default=str)
#: Datetimes and dataclasses go through `str` as with the standard encoder; NaN and
#: infinities become null (the standard encoder's NaN is not JSON, and Postgres refuses it).
_ORJSON_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def encode_json(value: Any) -> str:
    """JSON text of `value`, as the database stores it and a notice carries it: with
    orjson (several times faster than the standard library: every node write encodes
    its rows)."""
    try:
        return orjson.dumps(value, default=str, option=_ORJSON_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return _ENCODER.encode(value)


#: A run of 19 digits: maybe an integer beyond 64 bits, which orjson would turn into a
#: float (losing digits) where the standard library keeps it whole.
_LONG_NUMBER = re.compile(rb"[0-9]{19}")


def load_json(data: bytes | bytearray) -> Any:
    """JSON text read back (from the database, or a notice): orjson, or the standard
    library where a number may be too long for it or orjson refuses the text."""
    if _LONG_NUMBER.search(data) is None:
        with contextlib.suppress(orjson.JSONDecodeError):
            return orjson.loads(data)
    return json.loads(data)


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
    object `{"run_id", "events": [wire, ...]}` under `NOTICE_MAX_BYTES`. An event too big
    to travel in one becomes `{"run_id", "upto": seq}`: the consumer reads it from the
    database, where it is committed by the time the notification arrives."""
    prefix = f'{{"run_id":{orjson.dumps(run_id).decode()},"events":['
    room = NOTICE_MAX_BYTES - len(prefix) - 2
    notices: list[str] = []
    batch: list[str] = []
    size = 0
    for event in events:
        wire = encode_json(event_wire(event))
        length = len(wire.encode()) + 1
        if length > room:
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


