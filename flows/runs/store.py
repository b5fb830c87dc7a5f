"""Run state in Postgres: claims, leases and fenced writes of node records and events.

Every write is one SQL statement in autocommit (so one round trip and one commit) and is
*fenced* on the run's lease holder: it writes only while `flows_run.worker` still names the
writing worker, so a worker that lost its lease (paused, partitioned, presumed dead) can
never add a node record or an event after another worker took the run over.

The worker's run loop sends the hot statements itself (`AsyncWriter`: claims, node
writes, outcomes; those of several runs that arrive together share one statement); the
rest runs on its database threads (`DbThread`), so the engine awaits them without
blocking its loop. The writes of one run are committed in the order they were
submitted — the order the engine produced them.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import psycopg
from django import db
from django.db import close_old_connections, connection
from psycopg.types.json import set_json_loads

from flows.core.checkpoints import Checkpoint, NodeRecord
from flows.core.events import Event
from flows.runs.batched import Batched
from flows.runs.wire import NOTICE_CHANNEL, load_json, run_notices
from flows.runs.wire import encode_json as _encode
from flows.schema_order import ir_with_restored_order

T = TypeVar("T")


class LeaseLost(Exception):
    """This worker no longer holds the run: it must stop writing."""


#: The database is down or restarting: a write may be retried later, nothing is wrong with
#: the run itself.
DATABASE_UNAVAILABLE = (psycopg.OperationalError, db.OperationalError, db.InterfaceError)


def statement_refused(exc: BaseException) -> bool:
    """The database refused the statement itself (data it cannot store, a constraint), so
    nothing of it was written and the connection is fine; not a lost connection, after
    which a statement may or may not have been committed."""
    cause = exc.__cause__ if isinstance(exc, db.DatabaseError) else exc
    return (
        isinstance(cause, psycopg.DatabaseError)
        and not isinstance(cause, psycopg.OperationalError)
        and getattr(cause, "sqlstate", None) is not None
    )


class DbThread:
    """A few threads, each with its own database connection, serving one event loop."""

    #: How often a call first lets Django replace a connection that is too old or broken
    #: (the threads are long-lived, with no request boundaries to do it).
    CHECK_S = 1.0

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._executor = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="dynamicflow-db"
        )
        self._checked = threading.local()

    def _run(self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        now = time.monotonic()
        if now - getattr(self._checked, "at", 0.0) > self.CHECK_S:
            close_old_connections()
            self._checked.at = now
        return fn(*args, **kwargs)

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run, fn, args, kwargs)

    def shutdown(self) -> None:
        """Close every thread's connection (each closes its own), then stop the threads."""
        closing = threading.Barrier(self.threads, timeout=10)

        def close() -> None:
            connection.close()
            with contextlib.suppress(threading.BrokenBarrierError):
                closing.wait()  # so that each thread takes exactly one

        done = [self._executor.submit(close) for _ in range(self.threads)]
        for future in done:
            future.result(timeout=15)
        self._executor.shutdown(wait=True)


def _dumps(value: Any) -> str | None:
    return None if value is None else _encode(value)


def _loads(value: Any) -> Any:
    """A JSON column as Django's connection returns it (text), else the value itself."""
    if isinstance(value, str):
        value = value.encode()
    return load_json(value) if isinstance(value, bytes | bytearray) else value


#: What jsonb refuses in a text: NUL, and surrogates (in a Python text always alone).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: Any) -> Any:
    """`value` with what jsonb refuses in its texts (keys included) replaced by U+FFFD."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value


def _epoch(value: datetime | float | None) -> float | None:
    if value is None:
        return None
    return value.timestamp() if isinstance(value, datetime) else float(value)


# Events and node records travel as one JSON array each (a parameter encoded by one call
# of orjson) and are unpacked by `jsonb_to_recordset`: every write, whatever it carries, is
# then one of four statement texts (one run or several, with or without an approval's
# outcome), each prepared once per connection, with a few parameters (psycopg converts it
# once, Postgres plans it once). A write of one run with only a few rows, the common case
# of a chain, takes the shorter way of `_flat_node_sql` instead.
# Rows are written only for a run in `source` (the run, or the runs, whose lease the
# writer holds): a statement for one run joins its one lease row to every row; one for
# several matches each row to its run by the id it carries.

_EVENT_COLUMNS = (
    "seq int, type varchar, node_id varchar, payload jsonb, ts float8,"
    " elapsed_ms float8, duration_ms float8"
)
_RECORD_COLUMNS = (
    "node_id varchar, attempt int, status varchar, inputs jsonb, output jsonb, error jsonb,"
    " worker varchar, started_at float8, finished_at float8"
)


#: The inserts of both forms of the node statement (JSON arrays, and values one by one).
_INSERT_EVENTS = (
    "INSERT INTO flows_runevent"
    " (run_id, seq, type, node_id, payload, ts, elapsed_ms, duration_ms)"
)
_INSERT_RECORDS = (
    "INSERT INTO flows_nodeattempt (run_id, node_id, attempt, status, inputs, output, error,"
    " worker, started_at, finished_at)"
)


def _rows_of(alias: str, columns: str, source: str, several: bool) -> tuple[str, str]:
    """(the run id of a row, the FROM clause) of the JSON rows `alias`, kept to `source`."""
    if several:
        return (
            f"{alias}.run_id",
            f"jsonb_to_recordset(%s::jsonb) AS {alias}(run_id uuid, {columns})"
            f" JOIN {source} ON {source}.id = {alias}.run_id",
        )
    return f"{source}.id", f"{source}, jsonb_to_recordset(%s::jsonb) AS {alias}({columns})"


def _events_cte(source: str, several: bool) -> str:
    run, rows = _rows_of("e", _EVENT_COLUMNS, source, several)
    return (
        f"ev AS ({_INSERT_EVENTS} SELECT {run}, e.seq, e.type, e.node_id, e.payload,"
        f" to_timestamp(e.ts), e.elapsed_ms, e.duration_ms FROM {rows} RETURNING 1)"
    )


def _records_cte(source: str, several: bool) -> str:
    run, rows = _rows_of("r", _RECORD_COLUMNS, source, several)
    return (
        f"st AS ({_INSERT_RECORDS} SELECT {run}, r.node_id, r.attempt, r.status, r.inputs,"
        " r.output, r.error, r.worker, to_timestamp(r.started_at), to_timestamp(r.finished_at)"
        f" FROM {rows} RETURNING 1)"
    )


def _replacing_cte(source: str, several: bool) -> str:
    """Waiting records (approvals) replaced by their outcome."""
    run, rows = _rows_of("w", _RECORD_COLUMNS, source, several)
    return (
        "na AS (UPDATE flows_nodeattempt AS a SET status = w.status, output = w.output,"
        " error = w.error, attempt = w.attempt, finished_at = to_timestamp(w.finished_at),"
        f" worker = w.worker FROM {rows}"
        f" WHERE a.run_id = {run} AND a.node_id = w.node_id AND a.status = 'waiting'"
        " RETURNING 1)"
    )


def _event_rows(run_id: str, events: Sequence[Event]) -> list[dict[str, Any]]:
    return [
        {
            "run_id": run_id,
            "seq": e.seq,
            "type": e.type,
            "node_id": e.node_id or "",
            "payload": e.data,
            "ts": e.ts,
            "elapsed_ms": e.elapsed_ms,
            "duration_ms": e.duration_ms,
        }
        for e in events
    ]


def _record_rows(run_id: str, records: Sequence[NodeRecord], worker: str) -> list[dict[str, Any]]:
    return [
        {
            "run_id": run_id,
            "node_id": r.node_id,
            "attempt": r.attempts,
            "status": r.status,
            "inputs": r.inputs,
            "output": r.output,
            "error": r.error,
            "worker": worker,
            "started_at": r.started_at,
            "finished_at": r.finished_at,
        }
        for r in records
    ]


# --------------------------------------------------------------------------- statements
# Each runs on the DB thread.


@dataclass(slots=True)
class Claim:
    run_id: str
    version_id: int
    input: dict[str, Any]
    cancel_requested: bool
    attempts: int
    started_at: float
    waiting: dict[str, Any]
    decisions: dict[str, Any]
    batch_id: str | None
    db_now: float
    #: someone has the run open (see watchers): its events are broadcast
    watched: bool = True


#: Whether someone has the run open in a browser (see watchers): read by the claim and
#: each lease renewal.
_WATCHED = "COALESCE(watched_until > now(), false)"


@dataclass(frozen=True, slots=True)
class ClaimRequest:
    run_id: str
    token: str
    lease_s: float


# One statement claims one run or several (`Batched`): the requests travel as one JSON
# array. Each run is looked up by its key alone: the claimability test is one CASE
# expression, which the status index cannot serve (a plan through it would read every
# pending run).
_CLAIM_SQL = f"""
    WITH claim AS (SELECT * FROM jsonb_to_recordset(%s::jsonb)
        AS c(id uuid, token varchar, lease_s float8))
    UPDATE flows_run AS r SET status = 'running', worker = claim.token,
        lease_expires_at = now() + make_interval(secs => claim.lease_s),
        attempts = r.attempts + 1, started_at = COALESCE(r.started_at, now()),
        finished_at = NULL
    FROM claim
    WHERE r.id = ANY(ARRAY(SELECT id FROM claim)) AND r.id = claim.id
      AND CASE WHEN r.status IN ('pending', 'running')
          THEN r.worker = '' OR r.lease_expires_at IS NULL OR r.lease_expires_at < now()
          ELSE false END
    RETURNING r.id::text, r.worker, r.flow_version_id, r.input, r.cancel_requested,
        r.attempts, r.started_at, r.waiting, r.decisions, r.batch_id, now(), {_WATCHED}
"""


def claims_statement(requests: Sequence[ClaimRequest]) -> tuple[str, list[Any]]:
    """Take each run if it is pending, or running under an expired (or released) lease.

    The runs' order does not matter: no live writer holds a run a claim can take, so a
    claim waits on no one but another claim of the same message (delivered twice)."""
    claims = [{"id": r.run_id, "token": r.token, "lease_s": r.lease_s} for r in requests]
    return _CLAIM_SQL, [_encode(claims)]


def claims_from_rows(
    requests: Sequence[ClaimRequest], rows: Sequence[Sequence[Any]]
) -> list[Claim | None]:
    """Each request's claim, or None where its run was not claimable (or another request
    for the same run took it)."""
    taken = {(row[0], row[1]): row for row in rows}
    claims: list[Claim | None] = []
    for request in requests:
        row = taken.get((request.run_id, request.token))
        claims.append(None if row is None else _claim_from_row(request.run_id, row[2:]))
    return claims


def _claim_from_row(run_id: str, row: Sequence[Any]) -> Claim:
    return Claim(
        run_id=run_id,
        version_id=row[0],
        input=_loads(row[1]) or {},
        cancel_requested=row[2],
        attempts=row[3],
        started_at=_epoch(row[4]) or 0.0,
        waiting=_loads(row[5]) or {},
        decisions=_loads(row[6]) or {},
        batch_id=str(row[7]) if row[7] else None,
        db_now=_epoch(row[8]) or 0.0,
        watched=bool(row[9]),
    )


def claim_run(run_id: str, token: str, lease_s: float) -> Claim | None:
    """A claim through Django's connection (the worker uses its async one)."""
    close_old_connections()
    request = ClaimRequest(str(run_id), token, float(lease_s))
    with connection.cursor() as cursor:
        cursor.execute(*claims_statement([request]))
        rows = cursor.fetchall()
    return claims_from_rows([request], rows)[0]


def fetch_ir(version_id: int) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ir FROM flows_flowversion WHERE id = %s", [version_id])
        row = cursor.fetchone()
    if row is None:
        raise LookupError(f"flow version {version_id} does not exist")
    # its forms' fields in their author's order, as the model reads it (flows.models.IrField)
    return ir_with_restored_order(_loads(row[0]))


def load_checkpoint(
    run_id: str, run_input: dict[str, Any], waiting: dict[str, Any]
) -> Checkpoint | None:
    """The run's state: the latest record of each node and the last stored event number."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (node_id) node_id, status, output, error, inputs, attempt,
                started_at, finished_at
            FROM flows_nodeattempt WHERE run_id = %s ORDER BY node_id, id DESC
            """,
            [run_id],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM flows_runevent WHERE run_id = %s", [run_id]
        )
        last_seq = cursor.fetchone()[0]
    if not rows and not last_seq:
        return None
    nodes = {
        r[0]: NodeRecord(
            node_id=r[0],
            status=r[1],
            output=_loads(r[2]),
            error=_loads(r[3]),
            inputs=_loads(r[4]),
            attempts=r[5],
            started_at=_epoch(r[6]),
            finished_at=_epoch(r[7]),
        )
        for r in rows
    }
    return Checkpoint(
        run_id=run_id,
        status="running",
        input=run_input,
        nodes=nodes,
        waiting={k: v for k, v in waiting.items() if k in nodes and nodes[k].status == "waiting"},
        last_seq=last_seq,
    )


@dataclass(slots=True)
class NodeWrite:
    """One run's share of a node statement: its events so far, the node records to insert,
    and the waiting records (approvals) an outcome replaces."""

    run_id: str
    token: str
    worker: str
    events: Sequence[Event] = ()
    inserts: list[NodeRecord] = field(default_factory=list)
    replacing: list[NodeRecord] = field(default_factory=list)
    #: someone has the run open: its events also go out as notifications (wire.py)
    watched: bool = False

    def empty(self) -> bool:
        return not (self.events or self.inserts or self.replacing)


#: The run, or the runs, of a node statement whose lease their writer still holds, locked
#: against a takeover until it commits; a run that is not here gets nothing written. Each
#: run is looked up by its key on its own (a join could scan the whole table).
_LEASE_ONE = "lease AS (SELECT id FROM flows_run WHERE id = %s::uuid AND worker = %s FOR SHARE)"
#: Several runs' leases travel as one JSON array of {id, worker}, like the rows: psycopg
#: encodes two array parameters far more slowly than orjson one text.
_LEASE_SEVERAL = (
    "lease AS (SELECT r.id FROM jsonb_to_recordset(%s::jsonb) AS l(id uuid, worker varchar),"
    " LATERAL (SELECT id FROM flows_run WHERE id = l.id AND worker = l.worker FOR SHARE) AS r)"
)


#: The notifications of a statement, sent only for a run it writes (its lease held, or
#: its outcome written), so only once their events are committed with it. The ones of a
#: statement for one run travel one by one, as the rows of `_flat_node_sql` do; those of a
#: statement for several as one JSON array of {run_id, payload}.
_NOTIFY = f"pg_notify('{NOTICE_CHANNEL}', n.payload)"


def _notices_cte(source: str, several: bool, count: int = 0) -> str:
    if several:
        rows = (
            f"jsonb_to_recordset(%s::jsonb) AS n(run_id uuid, payload text)"
            f" JOIN {source} ON {source}.id = n.run_id"
        )
    else:
        rows = f"{source}, (VALUES {', '.join(['(%s::text)'] * count)}) AS n(payload)"
    return f"nt AS (SELECT {_NOTIFY} FROM {rows})"


#: What makes Postgres evaluate the notices (a CTE that is not read is not run).
_NOTIFIED = ", (SELECT count(*) FROM nt)"


def _notices(write: NodeWrite | FinalWrite) -> list[str]:
    """The notifications of one run's share of a statement: none unless it is watched."""
    return run_notices(write.run_id, list(write.events)) if write.watched else []


def _notice_rows(parts: Sequence[NodeWrite | FinalWrite]) -> list[dict[str, str]]:
    return [{"run_id": p.run_id, "payload": n} for p in parts for n in _notices(p)]


def _node_write_sql(several: bool, replacing: bool, notify: bool) -> str:
    ctes = [
        _LEASE_SEVERAL if several else _LEASE_ONE,
        _events_cte("lease", several),
        _records_cte("lease", several),
    ]
    if replacing:
        ctes.append(_replacing_cte("lease", several))
    notified = ""
    if notify:
        ctes.append(_notices_cte("lease", several=True))
        notified = _NOTIFIED
    return f"WITH {', '.join(ctes)} SELECT array_agg(id::text){notified} FROM lease"


#: The node statement's texts, by (several runs, replacing waiting records, notifying).
_NODE_WRITES = {
    (several, replacing, notify): _node_write_sql(several, replacing, notify)
    for several in (False, True)
    for replacing in (False, True)
    for notify in (False, True)
}


#: A write of one run with at most this many events and records (a chain's node: its two
#: events and its record) passes each value as a parameter of its own: unpacking JSON
#: arrays in Postgres costs about a sixth of a commit, more than the rest of the statement.
#: Bigger writes, and writes of several runs, travel as JSON arrays.
FLAT_MAX_ROWS = 6

_FLAT_EVENT = (
    "(%s::int, %s::varchar, %s::varchar, %s::jsonb, to_timestamp(%s::float8), %s::float8,"
    " %s::float8)"
)
_FLAT_RECORD = (
    "(%s::varchar, %s::int, %s::varchar, %s::jsonb, %s::jsonb, %s::jsonb, %s::varchar,"
    " to_timestamp(%s::float8), to_timestamp(%s::float8))"
)


@functools.cache
def _flat_node_sql(events: int, records: int, notices: int = 0) -> str:
    """The node statement of one run writing `events` events and `records` records, and
    sending `notices` notifications."""
    ctes = [_LEASE_ONE]
    if events:
        ctes.append(
            f"ev AS ({_INSERT_EVENTS} SELECT lease.id, e.* FROM lease,"
            f" (VALUES {', '.join([_FLAT_EVENT] * events)}) AS e)"
        )
    if records:
        ctes.append(
            f"st AS ({_INSERT_RECORDS} SELECT lease.id, r.* FROM lease,"
            f" (VALUES {', '.join([_FLAT_RECORD] * records)}) AS r)"
        )
    if notices:
        ctes.append(_notices_cte("lease", several=False, count=notices))
    # One lease row at most: no aggregate (a row, or none when the lease was lost).
    notified = _NOTIFIED if notices else ""
    return f"WITH {', '.join(ctes)} SELECT ARRAY[id::text]{notified} FROM lease"


def _flat_node_write(part: NodeWrite, notices: list[str]) -> tuple[str, list[Any]]:
    params: list[Any] = [part.run_id, part.token]
    for e in part.events:
        params += (e.seq, e.type, e.node_id or "", _encode(e.data), e.ts, e.elapsed_ms,
                   e.duration_ms)  # fmt: skip
    for r in part.inserts:
        params += (r.node_id, r.attempts, r.status, _dumps(r.inputs), _dumps(r.output),
                   _dumps(r.error), part.worker, r.started_at, r.finished_at)  # fmt: skip
    params += notices
    return _flat_node_sql(len(part.events), len(part.inserts), len(notices)), params


def node_write_statement(parts: Sequence[NodeWrite]) -> tuple[str, list[Any]]:
    """One fenced statement writing the events and node records of one or more runs.

    It returns one row: the ids of the runs whose lease was held (the others wrote
    nothing: their worker lost the lease).
    """
    if len(parts) == 1:
        part = parts[0]
        if not part.replacing and len(part.events) + len(part.inserts) <= FLAT_MAX_ROWS:
            return _flat_node_write(part, _notices(part))
    several = len(parts) > 1
    parts = sorted(parts, key=lambda part: part.run_id)  # one lock order for every writer
    events: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    replacing: list[dict[str, Any]] = []
    for part in parts:
        events += _event_rows(part.run_id, part.events)
        inserts += _record_rows(part.run_id, part.inserts, part.worker)
        replacing += _record_rows(part.run_id, part.replacing, part.worker)
    lease: list[Any] = (
        [_encode([{"id": p.run_id, "worker": p.token} for p in parts])]
        if several
        else [parts[0].run_id, parts[0].token]
    )
    rows = [_encode(events), _encode(inserts)]
    if replacing:
        rows.append(_encode(replacing))
    notices = _notice_rows(parts)
    if notices:
        rows.append(_encode(notices))
    return _NODE_WRITES[several, bool(replacing), bool(notices)], lease + rows


def held_runs(row: Sequence[Any] | None) -> set[str]:
    """The runs a node statement wrote (their lease was held), from its row."""
    return set(row[0] or ()) if row else set()


def write_nodes(parts: Sequence[NodeWrite]) -> set[str]:
    """`node_write_statement` through Django's connection (a writer without its own)."""
    with connection.cursor() as cursor:
        cursor.execute(*node_write_statement(parts))
        return held_runs(cursor.fetchone())


def connection_params() -> dict[str, Any]:
    """Django's database settings as psycopg's `connect` takes them, for a connection of
    one's own (the run loop's writer, the web process's notice listener)."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)  # Django's own classes
    params.pop("context", None)
    return params


class AsyncWriter:
    """The run's claim, node checkpoints and outcome, written from the run's own event
    loop (psycopg's async driver, prepared statements).

    The engine waits on every node write; doing it on the loop saves a hand-off to the
    database thread and back on each one. Writes through here are serialised, in the
    order they were submitted (one connection, one FIFO lock).
    """

    def __init__(self) -> None:
        self._conn: Any = None
        #: one cursor for every statement: a new one per statement costs more than the
        #: parameters' conversion
        self._cursor: Any = None
        self.lock = asyncio.Lock()
        #: statements sent (benchmarks and tests read it)
        self.statements = 0
        #: claims and outcomes that arrive while one is in flight go out together
        self.claims = Batched(self._claim_runs, one_by_one=statement_refused)
        self.finals = Batched(self._write_finals, one_by_one=statement_refused)

    async def _connection(self) -> Any:
        if self._conn is None or self._conn.closed:
            params = connection_params()
            # Django turns prepared statements off (prepare_threshold=None); the node
            # statement is the hot path, and parsing and planning it each time costs
            # as much as the commit. Eight texts (`_NODE_WRITES`) cover every node write.
            params["prepare_threshold"] = 0
            conn = await psycopg.AsyncConnection.connect(autocommit=True, **params)
            # The few-row node statements come in a few dozen shapes and parameter types
            # (`_flat_node_sql`): keep every one prepared.
            conn.prepared_max = 512
            # Plan each statement once: Postgres would otherwise keep planning the node
            # statement afresh (its arrays make a generic plan look costlier), which costs
            # more than the commit.
            await conn.execute("SET plan_cache_mode = force_generic_plan")
            set_json_loads(load_json, conn)
            self._conn, self._cursor = conn, conn.cursor()
        return self._conn

    async def fetchone(self, sql: str, params: list[Any]) -> Any:
        """Run one statement (prepared, autocommit) and return its first row."""
        return await self._execute(sql, params, all_rows=False)

    async def fetchall(self, sql: str, params: list[Any]) -> list[Any]:
        """Run one statement (prepared, autocommit) and return its rows."""
        return await self._execute(sql, params, all_rows=True)

    async def _execute(self, sql: str, params: list[Any], *, all_rows: bool) -> Any:
        async with self.lock:
            conn = await self._connection()
            cursor = self._cursor
            self.statements += 1
            try:
                await cursor.execute(sql, params, prepare=True)
                return await (cursor.fetchall() if all_rows else cursor.fetchone())
            except Exception:
                if conn.broken:
                    self._conn = self._cursor = None
                raise

    async def write_nodes(self, parts: Sequence[NodeWrite]) -> set[str]:
        """Run one fenced node statement; returns the runs it wrote (see held_runs)."""
        return held_runs(await self.fetchone(*node_write_statement(parts)))

    async def _claim_runs(self, requests: list[ClaimRequest]) -> list[Claim | None]:
        return claims_from_rows(requests, await self.fetchall(*claims_statement(requests)))

    async def _write_finals(self, writes: list[FinalWrite]) -> list[Outcome | None]:
        return outcomes_from_rows(writes, await self.fetchall(*finals_statement(writes)))

    async def claim(self, request: ClaimRequest) -> Claim | None:
        """Claim a run (see claims_statement); None if it is not claimable."""
        return await self.claims(request)

    async def write_final(self, write: FinalWrite) -> Outcome:
        """Commit a run's outcome (see finals_statement); LeaseLost if it was lost."""
        outcome = await self.finals(write)
        if outcome is None:
            raise LeaseLost(write.run_id)
        return outcome

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = self._cursor = None


@dataclass(slots=True)
class Final:
    status: str
    result: Any = None
    error: dict[str, Any] | None = None
    waiting: dict[str, Any] = field(default_factory=dict)
    applied_decisions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FinalWrite:
    """One run's outcome, with its last events and staged node records."""

    run_id: str
    token: str
    worker: str
    final: Final
    events: Sequence[Event] = ()
    staged: Sequence[NodeRecord] = ()
    #: the run's last event number (None: the last of `events`, if any)
    last_seq: int | None = None
    #: someone has the run open: its events also go out as notifications (wire.py)
    watched: bool = False


# One statement writes one outcome or several (`Batched`): the outcomes travel as one JSON
# array, the events and records as in a node statement. A run whose lease its writer
# lost is not in `outcome`, and gets nothing written. A suspended run that received new
# decisions, or a cancel request, while it ran goes back to `pending` (the caller
# enqueues it; its next claim applies them: a cancel asked after its last node was stored
# would otherwise be left on a run waiting for a decision).
_GOES_AGAIN = (
    "f.status = 'suspended' AND ((r.decisions - f.applied) <> '{}'::jsonb"
    " OR r.cancel_requested)"
)


def _final_sql(notify: bool) -> str:
    notices = ", " + _notices_cte("outcome", several=True) if notify else ""
    return (
        "WITH finals AS (SELECT * FROM jsonb_to_recordset(%s::jsonb) AS f(id uuid, token varchar,"
        " status varchar, applied text[], result jsonb, error jsonb, waiting jsonb,"
        " last_seq int, terminal bool)),"
        " outcome AS (UPDATE flows_run AS r SET"
        f" status = CASE WHEN {_GOES_AGAIN} THEN 'pending' ELSE f.status END,"
        f" enqueued_at = CASE WHEN {_GOES_AGAIN} THEN now() ELSE r.enqueued_at END,"
        " result = f.result, error = f.error, waiting = f.waiting,"
        " decisions = r.decisions - f.applied,"
        " last_seq = GREATEST(r.last_seq, COALESCE(f.last_seq, r.last_seq)),"
        " finished_at = CASE WHEN f.terminal THEN now() ELSE NULL END,"
        " worker = '', lease_expires_at = NULL"
        " FROM finals AS f WHERE r.id = ANY(ARRAY(SELECT id FROM finals)) AND r.id = f.id"
        " AND r.worker = f.token"
        " RETURNING r.id, r.status, r.batch_id), "
        + _events_cte("outcome", several=True)
        + ", "
        + _records_cte("outcome", several=True)
        + notices
        + f" SELECT id::text, status, batch_id{_NOTIFIED if notify else ''} FROM outcome"
    )


#: The outcome statement's texts, by whether it notifies (only a watched run's does).
_FINAL_WRITES = {notify: _final_sql(notify) for notify in (False, True)}


def finals_statement(writes: Sequence[FinalWrite]) -> tuple[str, list[Any]]:
    """The outcomes of one or more runs, their last events and records, their leases
    released: one statement. Each run is its writer's own, so no other writer locks it."""
    outcomes: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    for w in writes:
        final = w.final
        last_seq = w.last_seq
        if last_seq is None and w.events:
            last_seq = w.events[-1].seq
        outcomes.append(
            {
                "id": w.run_id,
                "token": w.token,
                "status": final.status,
                "applied": list(final.applied_decisions),
                "result": final.result,
                "error": final.error,
                "waiting": final.waiting or {},
                "last_seq": last_seq,
                "terminal": final.status in ("completed", "failed", "cancelled"),
            }
        )
        events += _event_rows(w.run_id, w.events)
        records += _record_rows(w.run_id, w.staged, w.worker)
    rows = [_encode(outcomes), _encode(events), _encode(records)]
    notices = _notice_rows(writes)
    if notices:
        rows.append(_encode(notices))
    return _FINAL_WRITES[bool(notices)], rows


#: A run's outcome as written: (status, batch id).
Outcome = tuple[str, str | None]


def outcomes_from_rows(
    writes: Sequence[FinalWrite], rows: Sequence[Sequence[Any]]
) -> list[Outcome | None]:
    """Each write's outcome, or None where its writer had lost the run's lease."""
    written = {row[0]: (row[1], str(row[2]) if row[2] else None) for row in rows}
    return [written.get(write.run_id) for write in writes]


def write_final(write: FinalWrite) -> Outcome:
    """Commit the run's outcome with its last events and release the lease, through
    Django's connection (the worker uses its async one); LeaseLost if it was lost."""
    with connection.cursor() as cursor:
        cursor.execute(*finals_statement([write]))
        rows = cursor.fetchall()
    outcome = outcomes_from_rows([write], rows)[0]
    if outcome is None:
        raise LeaseLost(write.run_id)
    return outcome


_RELEASE_SQL = (
    "UPDATE flows_run SET worker = '', lease_expires_at = NULL"
    " WHERE id = %s::uuid AND worker = %s AND status = 'running' RETURNING id"
)


def release_statement(run_id: str, token: str) -> tuple[str, list[Any]]:
    """Give the run back, as it stands, to whichever worker claims it next."""
    return _RELEASE_SQL, [run_id, token]


@dataclass(slots=True)
class Renewal:
    cancel_requested: bool
    #: someone has the run open (see watchers)
    watched: bool


def renew_lease(run_id: str, token: str, lease_s: float) -> Renewal | None:
    """Extend the lease; returns what the run's row asks of its worker now, or None if the
    lease is lost."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE flows_run SET lease_expires_at = now() + make_interval(secs => %s)"
            " WHERE id = %s AND worker = %s"
            f" RETURNING cancel_requested, {_WATCHED}",
            [lease_s, run_id, token],
        )
        row = cursor.fetchone()
    return None if row is None else Renewal(bool(row[0]), bool(row[1]))
