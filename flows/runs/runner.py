"""Executes one run: claim its lease, compile its version (cached), run the engine, finish.

`execute_run_sync(run_id)` is what the Celery task calls. Every run of a worker process
executes on the process's one `RunHost`: one event loop in its own thread, with its
database threads, its connections and the registry snapshot, so a short run pays for
none of their set-up (nor for new Redis connections). Runs side by side on that loop
share its group commit (group_commit.py): their node records are committed together.
Compiled flows are shared by the whole process (`COMPILED`): a version is compiled once
per process and per snapshot of the registry's tools and joins.

While the engine runs, a heartbeat renews the lease every `poll_s` and reads
`cancel_requested`; a cancel request or the run timeout cancels the running nodes, and a
lost lease (another worker took the run over) stops this one without writing anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import socket
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Coroutine
from dataclasses import replace
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.db import connections
from pydantic import ValidationError

from flows.core import events as ev
from flows.core.bounded import close_loop_sandboxes
from flows.core.checkpoints import CheckpointUnavailable
from flows.core.engine import ApprovalDecision, CompiledFlow, Engine, EngineError, EngineLimits
from flows.core.events import Event
from flows.core.graph import paused_gc
from flows.core.ir import Flow, Join, parse_flow
from flows.core.tools import ToolCatalog
from flows.runs import conf, dispatch
from flows.runs.access import run_tools_refusal, tools_check_needed
from flows.runs.batches import batch_advance
from flows.runs.catalog import forget_snapshot, fresh_snapshot, run_catalog, run_joins
from flows.runs.checkpoint_store import PostgresCheckpointStore
from flows.runs.events import RunEventWriter
from flows.runs.group_commit import GroupCommit
from flows.runs.limits import RedisToolLimiter, ToolLimit
from flows.runs.store import (
    DATABASE_UNAVAILABLE,
    AsyncWriter,
    Claim,
    ClaimRequest,
    DbThread,
    Final,
    LeaseLost,
    fetch_ir,
    load_checkpoint,
    release_statement,
    renew_lease,
)
from flows.runs.tool_threads import ToolThreads
from flows.runs.watchers import RunWatch
from tools_registry.crypto import DecryptionError

logger = logging.getLogger(__name__)

WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"

T = TypeVar("T")


class CompiledCache:
    """Compiled flows shared by the threads of a worker process (thread-safe, LRU).

    Keyed by version id and the identity of the tool catalogue and joins it was compiled
    against; an entry holds both, so their ids cannot be reused while it lives. A version
    is compiled by one thread at a time: the others wait for it and reuse its result.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.compiles = 0  # how many compiles this process ran (tests, benchmarks)
        self._lock = threading.Lock()
        self._compile_lock = threading.Lock()
        self._entries: OrderedDict[
            tuple[int, int, int], tuple[ToolCatalog, list[Join], CompiledFlow]
        ] = OrderedDict()

    @staticmethod
    def _key(version_id: int, engine: Engine, joins: list[Join]) -> tuple[int, int, int]:
        return (version_id, id(engine.catalog), id(joins))

    def get(self, version_id: int, engine: Engine, joins: list[Join]) -> CompiledFlow | None:
        key = self._key(version_id, engine, joins)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[2]

    def compile(
        self, version_id: int, engine: Engine, joins: list[Join], flow: Flow
    ) -> CompiledFlow:
        """The cached compile of `flow`, compiling it if no thread has yet."""
        with self._compile_lock:
            compiled = self.get(version_id, engine, joins)
            if compiled is not None:
                return compiled
            compiled = engine.compile(flow)
            self.compiles += 1
            with self._lock:
                self._entries[self._key(version_id, engine, joins)] = (
                    engine.catalog,
                    joins,
                    compiled,
                )
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            return compiled

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


COMPILED = CompiledCache()


def _new_loop() -> asyncio.AbstractEventLoop:
    """The host's loop: uvloop where it is installed. Every node write waits on a socket,
    and every node arms a timer and hands futures around; uvloop does these in C, where
    asyncio's loop spends a good part of a worker's CPU (its timer heap, its selector)."""
    try:
        import uvloop
    except ImportError:  # not built for this platform (Windows)
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


class RunHost:
    """Where a worker process executes its runs: one event loop in a thread of its own.

    The threads of the worker's pool hand each run to the loop and wait for its outcome;
    the runs then share the loop's connections: `pg` for claims and outcomes, and
    `group`, the group commit of their node records, on a connection of its own.
    """

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = _new_loop()
        # Blocking tools run in the loop's default executor, now shared by every run of
        # the process: asyncio's default (a few threads per core) would queue them.
        self.loop.set_default_executor(
            ToolThreads(max_workers=TOOL_THREADS, thread_name_prefix="dynamicflow-tool")
        )
        self.db = DbThread(threads=DB_THREADS)
        self.store = PostgresCheckpointStore(self.db)
        self.pg = AsyncWriter()
        self.nodes_pg = AsyncWriter()
        self.group = GroupCommit(self.nodes_pg.write_nodes)
        # Tools without a limit never touch Redis, so the limiter costs them nothing.
        self.limiter = RedisToolLimiter(
            conf.redis_url(), self.tool_limit, prefix=conf.redis_prefix()
        )
        self.limits = EngineLimits(
            max_concurrency=conf.max_concurrency(), expressions=conf.expression_limits()
        )
        # Read once: a worker's settings do not change while it runs.
        self.lease_s, self.poll_s = conf.lease_s(), conf.poll_s()
        self.run_timeout_s = conf.run_timeout_s()
        self._configured_limits = conf.tool_limits()
        #: each tool's limit, for the current snapshot (read on every call of a tool)
        self._tool_limits: dict[str, ToolLimit | None] = {}
        self.catalog: ToolCatalog = run_catalog()
        #: the snapshot's joins list (its identity keys COMPILED)
        self.joins: list[Join] = run_joins()
        _freeze_process_objects()
        self._thread = threading.Thread(target=self._serve, name="dynamicflow-runs", daemon=True)
        self._thread.start()

    def tool_limit(self, tool_id: str) -> ToolLimit | None:
        """A tool's limit across workers: from settings, else the tool's own concurrency."""
        if tool_id in self._tool_limits:
            return self._tool_limits[tool_id]
        limit: ToolLimit | None = None
        if tool_id in self._configured_limits:
            limit = ToolLimit.from_dict(self._configured_limits[tool_id])
        else:
            tool = self.catalog.get(tool_id)
            concurrency = tool.spec.config.concurrency if tool is not None else None
            limit = ToolLimit(concurrency=concurrency) if concurrency else None
        self._tool_limits[tool_id] = limit
        return limit

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the host's loop and wait for its result (from another thread)."""
        if threading.current_thread() is self._thread:
            coroutine.close()
            raise RuntimeError("a run cannot be executed from the run loop itself")
        # One lock the loop releases when the task ends: the loop thread, which every run
        # shares, pays no concurrent Future (its condition, its callbacks) per run.
        ended = threading.Lock()
        ended.acquire()
        tasks: list[asyncio.Task[T]] = []

        def start() -> None:
            task = self.loop.create_task(coroutine)
            tasks.append(task)
            task.add_done_callback(lambda _: ended.release())

        self.loop.call_soon_threadsafe(start)
        ended.acquire()
        return tasks[0].result()

    def engine(self) -> Engine:
        """An engine for one run (its node slots are the run's own), over the snapshot."""
        return Engine(
            self.catalog,
            store=self.store,
            limits=self.limits,
            limiter=self.limiter,
            joins=self.joins,
        )

    async def refresh_tools(self) -> None:
        """Pick up registry changes (at most every few seconds): the process's snapshot
        when it is fresh (another thread may have re-read it), else a new one."""
        snapshot = fresh_snapshot()
        if snapshot is not None:
            catalog, joins = snapshot  # no trip to the database thread
        else:
            catalog = await self.db.call(run_catalog)
            joins = await self.db.call(run_joins)
        if catalog is not self.catalog:
            self._tool_limits = {}
        self.catalog, self.joins = catalog, joins

    async def compiled_flow(self, engine: Engine, version_id: int) -> CompiledFlow:
        compiled = COMPILED.get(version_id, engine, self.joins)
        if compiled is None:
            # Parsing and compiling a large flow takes a while: on a database thread, so
            # the other runs on the loop go on meanwhile.
            ir = await self.db.call(fetch_ir, version_id)
            try:
                compiled = await self.db.call(_compile, version_id, engine, self.joins, ir)
            except EngineError:
                # A tool saved a moment ago is not in this process's snapshot yet: read
                # the registry again before calling the flow invalid.
                forget_snapshot()
                await self.refresh_tools()
                engine.catalog, engine.joins = self.catalog, list(self.joins)
                compiled = await self.db.call(_compile, version_id, engine, self.joins, ir)
        return compiled

    def close(self) -> None:
        """Close the connections and sandboxes, stop the loop and its threads."""

        async def closing() -> None:
            await close_loop_sandboxes()
            await self.pg.close()
            await self.nodes_pg.close()
            # Tools look credentials up through sync_to_async, on asgiref's own thread:
            # close the connection it opened there too.
            await sync_to_async(connections.close_all)()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.loop.shutdown_default_executor(), 5)

        with contextlib.suppress(Exception):
            self.run(closing())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()
        self.db.shutdown()


def _compile(
    version_id: int, engine: Engine, joins: list[Join], ir: dict[str, Any]
) -> CompiledFlow:
    with paused_gc():
        flow = parse_flow(ir)
    return COMPILED.compile(version_id, engine, joins, flow)


#: Database threads of a host: lease renewals, checkpoints of resumed runs, approvals.
DB_THREADS = 4
#: Threads for the blocking calls of the host's runs (tools written as plain functions):
#: started as needed, up to this many at once.
TOOL_THREADS = 64

_host: RunHost | None = None
_host_lock = threading.Lock()
#: The process whose objects `_freeze_process_objects` froze.
_frozen_pid: int | None = None


def _freeze_process_objects() -> None:
    """Take what the process holds before its first run (modules, settings, the registry
    snapshot: about 160,000 objects in a worker) out of the cyclic collector's walks.

    A run keeps its node records and events until it ends, so a long run makes full
    collections come often, and each one walked all of these again: a 10,000-node chain
    spent about a tenth of its time there. Once per process, after a collection (what is
    frozen is never collected).
    """
    global _frozen_pid
    if _frozen_pid == os.getpid():
        return
    _frozen_pid = os.getpid()
    gc.collect()
    gc.freeze()


def run_host() -> RunHost:
    """This process's run host, started on first use (and again in a forked child)."""
    global _host
    host = _host
    if host is None or host.pid != os.getpid():
        with _host_lock:
            if _host is None or _host.pid != os.getpid():
                _host = RunHost()
            host = _host
    return host


def reset_run_host() -> None:
    """Stop this process's run host and forget the compiled flows (tests that swap the
    catalogue)."""
    global _host
    COMPILED.clear()
    with _host_lock:
        host, _host = _host, None
    if host is not None and host.pid == os.getpid():
        host.close()


def execute_run_sync(run_id: str) -> str | None:
    """Execute (or continue) the run; returns the status written, or None if not claimed."""
    host = run_host()
    # In the form the database writes it: the statements match their rows to their runs
    # by this text.
    canonical = str(uuid.UUID(str(run_id)))
    return host.run(execute_run(host, canonical))


def _decision(data: dict[str, Any]) -> ApprovalDecision:
    return ApprovalDecision(
        approved=bool(data.get("approved")),
        data=dict(data.get("data") or {}),
        comment=str(data.get("comment") or ""),
        by=data.get("by"),
        timed_out=bool(data.get("timed_out")),
        inputs=data.get("inputs") if isinstance(data.get("inputs"), dict) else None,
    )


def _step_outcomes(run_id: str, decided: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The decisions to apply, unsealed from the approvals app (`Run.decisions` only names
    the decided steps)."""
    from approvals.services import step_outcomes

    outcomes = step_outcomes(run_id=run_id, node_ids=list(decided))
    for node_id, data in decided.items():
        if node_id not in outcomes and isinstance(data, dict) and "approved" in data:
            outcomes[node_id] = data  # a decision stored before steps were sealed
    return outcomes


def _steps_open(run_id: str, requests: dict[str, Any]) -> dict[str, Any]:
    from approvals.services import steps_open

    return steps_open(run_id=run_id, requests=requests)


async def execute_run(host: RunHost, run_id: str) -> str | None:
    await host.refresh_tools()
    token = f"{WORKER_NAME}:{uuid.uuid4().hex[:12]}"
    lease = host.lease_s
    claim = await host.pg.claim(ClaimRequest(run_id, token, lease))
    if claim is None:
        logger.info("run %s is not claimable (finished, or another worker holds it)", run_id)
        return None
    writer = RunEventWriter(
        claim=claim,
        token=token,
        worker=WORKER_NAME,
        db=host.db,
        watch=RunWatch(claim.watched),
        pg=host.pg,
        group=host.group,
    )
    try:
        return await _execute(host, claim, writer)
    except LeaseLost:
        logger.warning("run %s: lease lost; another worker continues it", run_id)
        return None
    except CheckpointUnavailable:
        # Nothing about the run is wrong: give it back as it stands (if the database
        # answers again already) so the task's retry continues it; otherwise its lease
        # runs out and the reaper sends it again.
        logger.warning("run %s: stopped, the database is unavailable", run_id)
        with contextlib.suppress(TimeoutError, *DATABASE_UNAVAILABLE):
            async with asyncio.timeout(5):
                await host.pg.fetchone(*release_statement(run_id, token))
        raise
    finally:
        host.store.detach(run_id)
        await writer.close()


async def _execute(host: RunHost, claim: Claim, writer: RunEventWriter) -> str | None:
    run_id = claim.run_id
    if claim.cancel_requested:
        return await _finish_without_engine(
            host, claim, writer, ev.RUN_CANCELLED, {"reason": "cancelled on request"}
        )
    engine = host.engine()
    try:
        compiled = await host.compiled_flow(engine, claim.version_id)
    except (EngineError, ValidationError, LookupError) as exc:
        error = {"code": "invalid_flow", "message": str(exc)}
        return await _finish_without_engine(
            host, claim, writer, ev.RUN_FAILED, {"error": error}, error=error
        )
    # A permission withdrawn while the run waited stops it (no query unless it matters).
    refusal = (
        await host.db.call(run_tools_refusal, run_id, compiled.flow)
        if tools_check_needed(compiled.flow) else None
    )
    if refusal:
        return await _finish_without_engine(
            host, claim, writer, ev.RUN_FAILED, {"error": refusal}, error=refusal
        )

    timeout = compiled.flow.timeout_s or host.run_timeout_s
    if timeout:
        # The timeout counts from the run's first start, across worker restarts.
        remaining = max(timeout - (claim.db_now - claim.started_at), 0.001)
        flow = compiled.flow.model_copy(update={"timeout_s": remaining})
        compiled = replace(compiled, flow=flow)

    host.store.attach(run_id, writer, fresh=claim.attempts == 1 and not claim.decisions)
    checkpoint = await host.store.load(run_id)
    waiting = set(checkpoint.waiting) if checkpoint is not None else set()
    decided = {node: data for node, data in claim.decisions.items() if node in waiting}
    try:
        outcomes = await host.db.call(_step_outcomes, run_id, decided) if decided else {}
    except DecryptionError as exc:
        # Tampered, moved, or sealed with a key no longer configured: say so, loudly.
        error = {"code": "sealed_state_error", "message": str(exc)}
        return await _finish_without_engine(
            host, claim, writer, ev.RUN_FAILED, {"error": error}, error=error
        )
    decisions = {node: _decision(data) for node, data in outcomes.items()}

    cancel = asyncio.Event()
    heartbeat = asyncio.get_running_loop().create_task(_heartbeat(host, run_id, writer, cancel))
    try:
        result = await engine.run(
            compiled,
            claim.input,
            run_id=run_id,
            sink=writer,
            checkpoint=checkpoint,
            decisions=decisions,
            cancel=cancel,
        )
    except EngineError as exc:
        error = {"code": "engine_error", "message": str(exc)}
        heartbeat.cancel()
        return await _finish_without_engine(
            host, claim, writer, ev.RUN_FAILED, {"error": error}, error=error
        )
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat
    if writer.lease_lost:
        raise LeaseLost(run_id)
    waiting = result.waiting
    if waiting:
        # The requests are stored sealed; the run row keeps only their titles and assignees.
        waiting = await host.db.call(_steps_open, run_id, waiting)
    final = Final(
        status=result.status,
        result=result.output,
        error=result.error,
        waiting=waiting,
        applied_decisions=sorted(claim.decisions),
    )
    status, batch_id = await writer.finish(final)
    await _after_finish(host, run_id, status, batch_id)
    return status


async def _finish_without_engine(
    host: RunHost,
    claim: Claim,
    writer: RunEventWriter,
    event_type: str,
    data: dict[str, Any],
    *,
    error: dict[str, Any] | None = None,
) -> str:
    """Record an outcome decided before the engine ran (cancelled while queued, bad flow)."""
    checkpoint = await host.db.call(load_checkpoint, claim.run_id, claim.input, {})
    seq = (checkpoint.last_seq if checkpoint is not None else 0) + 1
    writer.emit(Event(seq, event_type, time.time(), claim.run_id, None, data))
    status = "cancelled" if event_type == ev.RUN_CANCELLED else "failed"
    final = Final(status=status, error=error, applied_decisions=sorted(claim.decisions))
    written, batch_id = await writer.finish(final)
    await _after_finish(host, claim.run_id, written, batch_id)
    return written


async def _after_finish(host: RunHost, run_id: str, status: str, batch_id: str | None) -> None:
    # The outcome is committed; a failure here is repaired by the reaper (runs_recover).
    try:
        if status == "pending":  # decisions arrived while it ran: go again
            await host.db.call(dispatch.enqueue_run, run_id)
        if batch_id is not None and status != "pending":
            await host.db.call(batch_advance, batch_id=batch_id)
    except Exception:
        logger.exception("run %s: enqueueing what follows it failed", run_id)


async def _heartbeat(
    host: RunHost, run_id: str, writer: RunEventWriter, cancel: asyncio.Event
) -> None:
    lease, interval = host.lease_s, host.poll_s
    while True:
        await asyncio.sleep(interval)
        try:
            renewal = await host.db.call(renew_lease, run_id, writer.token, lease)
        except Exception:
            logger.exception("run %s: renewing the lease failed", run_id)
            continue
        if renewal is None:
            writer.lease_lost = True
            cancel.set()
            return
        writer.watch.watched = renewal.watched
        if renewal.cancel_requested:
            cancel.set()
