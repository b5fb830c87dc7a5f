"""Runs benchmark: durable cost per node, runs/s through Celery, event latency to a websocket.

    python benchmarks/runs.py [--quick]        (make bench-runs)

Each figure is printed beside its floor, measured in the same run on the same services:
- durable cost per node: a 200-node chain of no-op tools run by the worker's runner with
  the Postgres store (node committed before its successor starts, events stored), minus
  the same chain on the in-memory engine; floor: one bare INSERT + COMMIT;
- runs/s through Celery for 2-node and 10-node no-op chains, with one and two worker
  processes; floor: raw Celery no-op tasks/s on the same broker and workers (as many
  tasks as 2-node runs);
- event emission in the worker -> arrival at a websocket client (real Daphne), p50/p99;
  floor: a raw channels group_send to the same consumer and socket, back to back and
  paced like the run's events; and beside it the floor of the way a worker's events now
  take (a bare commit of one Postgres notification, paced like the run's events).

It needs DATABASE_URL and REDIS_URL (make bench-runs starts embedded servers when unset);
it creates and drops its own database, and uses its own Celery queue and Redis keys.
Worker and Daphne processes use the test settings and the no-op tools in
tests.runs.worker_tools.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import operator
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Annotated, Any, TypedDict

ROOT = Path(__file__).resolve().parent.parent
SESSION = uuid.uuid4().hex[:8]
QUEUE = f"runs-bench-{SESSION}"
COUNTER = f"dftest-bench-{SESSION}:noop"

RUN_ENV = {
    "DYNAMICFLOW_EXTRA_TOOLS": "tests.runs.worker_tools",
    "DYNAMICFLOW_RUNS_QUEUE": QUEUE,
    "DYNAMICFLOW_REDIS_PREFIX": f"dftest-bench-{SESSION}",
    "DYNAMICFLOW_DEV": "1",
}

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.update(RUN_ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dynamicflow_site.settings.test"

from celery import shared_task  # noqa: E402

#: Each worker runs this many runs at once (its pool's threads hand them to the process's
#: one run loop, where their node writes share commits).
WORKER_THREADS = int(os.environ.get("BENCH_WORKER_THREADS", "16"))


@shared_task(name="bench.noop", ignore_result=True)
def noop_task() -> None:
    """The raw Celery floor: a task that only counts itself (one INCR, pooled connection)."""
    counter_client().incr(counter_key())


@functools.cache
def counter_client() -> Any:
    import redis

    from flows.runs import conf

    return redis.Redis.from_url(conf.redis_url())


def counter_key() -> str:
    """The counter's key, as the benchmarking process named it (a worker's SESSION differs)."""
    return os.environ.get("BENCH_COUNTER", COUNTER)


# --------------------------------------------------------------------------- helpers


def chain(n: int, tool: str = "t_noop", **inputs: str) -> dict[str, Any]:
    nodes = []
    for i in range(1, n + 1):
        node: dict[str, Any] = {"id": f"n{i}", "type": "tool", "tool": tool, "inputs": inputs}
        if i > 1:
            node["after"] = [f"n{i - 1}"]
        nodes.append(node)
    return {"name": f"chain{n}", "nodes": nodes, "max_steps": n}


def wait_until(condition: Any, timeout: float, what: str, every: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(every)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def service_env() -> dict[str, str]:
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    host = s["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        from urllib.parse import quote

        host = quote(host, safe="")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    env = dict(os.environ)
    env.update(RUN_ENV)
    env.update(
        {
            "DATABASE_URL": f"postgres://{auth}@{host}{port}/{s['NAME']}",
            "DJANGO_SETTINGS_MODULE": "dynamicflow_site.settings.test",
            "PYTHONPATH": str(ROOT),
            "BENCH_COUNTER": COUNTER,
        }
    )
    return env


def start_worker(name: str, log_dir: Path) -> subprocess.Popen[bytes]:
    log = log_dir / f"{name}.log"
    out = open(log, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dynamicflow_site",
            "worker",
            "--pool=threads",
            f"--concurrency={WORKER_THREADS}",
            "-Q",
            QUEUE,
            "-n",
            f"{name}-{SESSION}@%h",
            "-I",
            "benchmarks.runs",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=service_env(),
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    return process


def wait_workers_ready(count: int) -> None:
    from dynamicflow_site.celery import app

    def ready() -> bool:
        replies = app.control.ping(timeout=0.5) or []
        return sum(1 for r in replies for k in r if SESSION in k) >= count

    wait_until(ready, 60, f"{count} workers")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


# --------------------------------------------------------------------------- 1. durable cost


#: Bare commits measured before each durable run (see DurableRuns.durable).
FLOOR_SAMPLES = 60


def bare_commit_us(samples: int = 300) -> float:
    """The floor: the median of one bare INSERT + COMMIT (autocommit) on this database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_commit (id bigserial, v int)")
    commits = []
    for i in range(samples):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_commit (v) VALUES (%s)", [i])
        commits.append(time.perf_counter() - start)
    return statistics.median(commits) * 1e6


def fan_in(width: int) -> dict[str, Any]:
    """A root, `width` parallel nodes after it, and a join after all of them."""
    siblings = [f"p{i}" for i in range(width)]
    nodes: list[dict[str, Any]] = [{"id": "root", "type": "tool", "tool": "t_noop"}]
    nodes += [{"id": s, "type": "tool", "tool": "t_noop", "after": ["root"]} for s in siblings]
    nodes.append({"id": "join", "type": "tool", "tool": "t_noop", "after": siblings})
    return {"name": f"fan{width}", "nodes": nodes, "max_steps": width + 3}


class DurableRuns:
    """Runs a flow by the worker's runner with the Postgres store, and in memory beside it."""

    def __init__(self, user: Any) -> None:
        from flows.core.checkpoints import InMemoryCheckpointStore
        from flows.core.engine import Engine
        from flows.runs import runner
        from flows.runs.catalog import run_catalog

        self.user = user
        self.runner = runner
        self.engine = Engine(run_catalog(), store=InMemoryCheckpointStore())
        #: the worker's run loop: the in-memory runs run there too
        self.host = runner.run_host()

    def version(self, ir: dict[str, Any]) -> Any:
        from flows.models import Flow, FlowVersion

        flow = Flow.objects.create(name=ir["name"], owner=self.user)
        return FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)

    def memory(self, ir: dict[str, Any], repeat: int) -> float:
        """Median seconds of an in-memory run (no store, no events kept)."""
        from flows.core.events import NullSink
        from flows.core.ir import parse_flow

        compiled = self.engine.compile(parse_flow(ir))

        def once() -> float:
            start = time.perf_counter()
            run = self.engine.run(compiled, {}, run_id=uuid.uuid4().hex, sink=NullSink())
            self.host.run(run)
            return time.perf_counter() - start

        once()
        return statistics.median(once() for _ in range(repeat))

    def durable_once(self, version: Any, nodes: int) -> tuple[float, int]:
        """Seconds of one durable run, and the statements it sent."""
        from flows.models import NodeAttempt, Run

        def sent() -> int:
            return self.host.pg.statements + self.host.nodes_pg.statements

        run = Run.objects.create(flow_version=version, requested_by=self.user)
        before = sent()
        start = time.perf_counter()
        status = self.runner.execute_run_sync(str(run.id))
        elapsed = time.perf_counter() - start
        assert status == "completed", status
        assert NodeAttempt.objects.filter(run=run).count() == nodes
        return elapsed, sent() - before

    def durable(self, version: Any, nodes: int, repeat: int) -> tuple[float, float, float]:
        """Median seconds of a durable run, the statements it sent per node, and the median
        µs of a bare commit measured between the runs.

        The floor takes turns with the runs: on this VM a bare commit's cost moves by 2-3x
        within minutes, so a floor measured once, before the runs, can be from another
        moment than they are.
        """
        self.durable_once(version, nodes)  # warm: compile cache, connections
        runs, floors = [], []
        for _ in range(repeat):
            floors.append(bare_commit_us(samples=FLOOR_SAMPLES))
            runs.append(self.durable_once(version, nodes))
        elapsed = statistics.median(seconds for seconds, _ in runs)
        statements = statistics.median(sent for _, sent in runs) / nodes
        return elapsed, statements, statistics.median(floors)


def bench_durable(user: Any, nodes: int, repeat: int, quick: bool) -> None:
    runs = DurableRuns(user)
    ir = chain(nodes)
    memory = runs.memory(ir, repeat)
    durable, _, commit_us = runs.durable(runs.version(ir), nodes, repeat)
    per_node = (durable - memory) / nodes * 1e6
    langgraph = langgraph_durable_cost(nodes, max(3, repeat // 3))
    print("durable cost per node (commit before successors start, events stored)")
    print(f"  runner + Postgres store, {nodes}-node chain: {durable / nodes * 1e6:8.0f} µs/node")
    print(f"  in-memory engine, same chain:           {memory / nodes * 1e6:8.0f} µs/node")
    print(
        f"  durable cost per node:                  {per_node:8.0f} µs = "
        f"{per_node / commit_us:.2f} bare commits   (target <= 1.2)"
    )
    print(f"  floor: one bare INSERT + COMMIT:         {commit_us:8.0f} µs (between the runs)")
    if langgraph is None:
        print("  LangGraph + PostgresSaver: not installed (pip install -e '.[bench]')")
    else:
        print(f"  LangGraph + AsyncPostgresSaver, durability='sync': {langgraph:8.0f} µs per step")

    width = 100
    ir = fan_in(width)
    memory = runs.memory(ir, repeat)
    durable, statements, fan_commit_us = runs.durable(runs.version(ir), width + 2, repeat)
    per_node = (durable - memory) / (width + 2) * 1e6
    print(f"group commit: a {width}-wide fan-out with a join after it ({width + 2} nodes)")
    print(
        f"  durable cost per node: {per_node:6.0f} µs = {per_node / fan_commit_us:.2f} bare commits"
        f"   (target <= 0.35; floor {fan_commit_us:.0f} µs between the runs);"
        f" {statements:.3f} statements per node"
    )

    sizes = (1_000, 10_000) if not quick else (100, 1_000)
    print(f"durable chains as they grow (whole run, µs per node; floor {commit_us:.0f} µs)")
    # The sizes take turns, one run of each a round, so the VM's drift (its speed moves
    # by half within minutes) weighs on both alike.
    versions = {size: runs.version(chain(size)) for size in sizes}
    samples: dict[int, list[float]] = {size: [] for size in sizes}
    for round_ in range(4):  # the first round warms up
        for size in sizes:
            seconds, _ = runs.durable_once(versions[size], size)
            if round_:
                samples[size].append(seconds / size * 1e6)
    costs = {size: statistics.median(kept) for size, kept in samples.items()}
    for size in sizes:
        print(f"  {size:>6}-node chain: {costs[size]:8.0f} µs/node")
    small, large = sizes
    print(
        f"  {large:,} against {small:,}: {costs[large] / costs[small]:.2f}x per node"
        "   (target <= 1.15)"
    )


class LangGraphState(TypedDict):
    steps: Annotated[int, operator.add]


def langgraph_durable_cost(nodes: int, repeat: int) -> float | None:
    """LangGraph's cost of a checkpoint committed before the next step, same chain, same
    database: a Postgres-checkpointed run minus the same graph without a checkpointer."""
    try:
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    except ImportError:
        return None
    from django.db import connection
    from psycopg.conninfo import make_conninfo

    from benchmarks.engine_overhead import langgraph_chain

    async def noop(state: LangGraphState) -> dict[str, int]:
        return {"steps": 1}

    graph = langgraph_chain(LangGraphState, noop, nodes)

    params = connection.get_connection_params()
    dsn = make_conninfo(**{k: v for k, v in params.items() if isinstance(v, str | int)})
    config = {"recursion_limit": nodes + 10}

    async def measure() -> float:
        plain = graph.compile()
        async with AsyncPostgresSaver.from_conn_string(dsn) as saver:
            await saver.setup()
            durable = graph.compile(checkpointer=saver)

            async def once(app: Any, **extra: Any) -> float:
                run_config = {**config, "configurable": {"thread_id": uuid.uuid4().hex}}
                start = time.perf_counter()
                await app.ainvoke({"steps": 0}, run_config, **extra)
                return time.perf_counter() - start

            await once(plain)
            await once(durable, durability="sync")
            memory = statistics.median([await once(plain) for _ in range(repeat)])
            stored = statistics.median(
                [await once(durable, durability="sync") for _ in range(repeat)]
            )
        return (stored - memory) / nodes * 1e6

    return asyncio.run(measure())


# --------------------------------------------------------------------------- 2. throughput


def raw_celery_rate(count: int) -> float:
    import redis

    from flows.runs import conf

    client = redis.Redis.from_url(conf.redis_url())
    client.delete(COUNTER)
    start = time.perf_counter()
    for _ in range(count):
        noop_task.apply_async(queue=QUEUE)
    wait_until(lambda: int(client.get(COUNTER) or 0) >= count, 120, "raw tasks")
    return count / (time.perf_counter() - start)


def wal_lsn() -> str:
    """Where Postgres is writing its log now (the bytes since a mark measure its work)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return cursor.fetchone()[0]


def wal_bytes_since(mark: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %s::pg_lsn)", [mark])
        return int(cursor.fetchone()[0])


def runs_rate(user: Any, version: Any, count: int) -> tuple[float, float]:
    """Runs per second of `count` runs of `version`, and the bytes of Postgres log each
    run wrote (its claim, checkpoints and outcome)."""
    from django.db import connection
    from django.db.models import Max

    from flows.models import Run
    from flows.runs.dispatch import enqueue_run

    runs = Run.objects.bulk_create(
        Run(flow_version=version, flow_id=version.flow_id, requested_by=user) for _ in range(count)
    )
    ids = [r.id for r in runs]
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        started = cursor.fetchone()[0]
    mark = wal_lsn()
    for run_id in ids:
        enqueue_run(run_id)

    def done() -> bool:
        unfinished = ("pending", "running")
        return not Run.objects.filter(flow_version=version, status__in=unfinished).exists()

    # The time is the database's, from before the first enqueue to the last run's end, so
    # the benchmark can look rarely and leave the CPU to the workers.
    wait_until(done, 180, "runs", every=0.1)
    wal = wal_bytes_since(mark) / count
    last = Run.objects.filter(id__in=ids).aggregate(last=Max("finished_at"))["last"]
    elapsed = (last - started).total_seconds()
    failed = Run.objects.filter(id__in=ids).exclude(status="completed").count()
    assert failed == 0, f"{failed} runs did not complete"
    return count / elapsed, wal


def bench_throughput(user: Any, log_dir: Path, quick: bool) -> None:
    from flows.models import Flow, FlowVersion

    versions = {}
    for n in (2, 10):
        flow = Flow.objects.create(name=f"tp{n}", owner=user)
        versions[n] = FlowVersion.objects.create(flow=flow, number=1, ir=chain(n), is_valid=True)
    # The 2-node runs are as many as the floor's tasks: a shorter window would weigh the
    # ramp (the first claims, the last runs ending while a thread idles) more on one side.
    sizes = {"raw": 600 if quick else 2000, 2: 600 if quick else 2000, 10: 60 if quick else 200}
    workers: list[subprocess.Popen[bytes]] = []
    print("runs per second through Celery (no-op tools; enqueue to completed, in Postgres)")
    try:
        for count in (1, 2):
            while len(workers) < count:
                workers.append(start_worker(f"b{len(workers) + 1}", log_dir))
            wait_workers_ready(count)
            runs_rate(user, versions[2], 10)  # warm every worker's runner
            raw = raw_celery_rate(sizes["raw"])
            two, wal = runs_rate(user, versions[2], sizes[2])
            ten, _ = runs_rate(user, versions[10], sizes[10])
            label = f"{count} worker{'s' if count > 1 else ''} x {WORKER_THREADS} threads"
            pad = " " * len(label)
            print(f"  {label}: 2-node flow {two:6.0f} runs/s   10-node flow {ten:6.0f} runs/s")
            print(f"  {pad}  floor: raw Celery no-op task {raw:6.0f} tasks/s")
            print(
                f"  {pad}  2-node runs/s against the floor: {two / raw:.2f}   (target >= 0.55)"
                + ("" if count == 1 else f";  10-node: {ten:.0f} runs/s   (target >= 300)")
            )
            print(f"  {pad}  Postgres log written per 2-node run: {wal:6.0f} bytes")
        print("  (n8n publishes 220 executions/s on 2 vCPUs)")
    finally:
        for process in workers:
            stop(process)


# --------------------------------------------------------------------------- 3. latency

#: What each node of the latency flow waits. The raw floor is measured twice: back to back
#: (every process on its path is awake), and with this pause before each send, as a run's
#: events come (each process on the path has gone idle, and this VM takes a while to wake
#: one: a bare commit after 5 ms idle costs about three times a back-to-back one).
NODE_PAUSE_S = 0.005


async def _consumer_joined(run_id: str, timeout: float = 30.0) -> None:
    """Wait until the run's consumer has subscribed to its channel group, the last step of
    its connect: by then it has marked the run watched and listens for the notices, so the
    worker that claims the run sends them from its first event."""
    import redis.asyncio as aioredis

    from flows.runs import conf
    from flows.runs.broadcast import group_name

    channel = f"asgi__group__{group_name(run_id)}"  # channels_redis pub/sub's naming
    client = aioredis.from_url(conf.redis_url())
    try:
        async with asyncio.timeout(timeout):
            while not (await client.pubsub_numsub(channel))[0][1]:  # noqa: ASYNC110
                await asyncio.sleep(0.005)
    finally:
        await client.aclose()


async def _latency(daphne_port: int, token: str, run_ids: list[str], enqueue: Any) -> tuple:
    import psycopg
    from channels.layers import get_channel_layer
    from websockets.asyncio.client import connect

    from flows.runs.broadcast import MESSAGE_TYPE, group_name
    from flows.runs.store import connection_params
    from flows.runs.wire import NOTICE_CHANNEL

    origin = f"http://127.0.0.1:{daphne_port}"
    engine_latency: list[float] = []
    raw_latency: list[float] = []
    paced_latency: list[float] = []
    notify_latency: list[float] = []
    notifier = await psycopg.AsyncConnection.connect(autocommit=True, **connection_params())
    for index, run_id in enumerate(run_ids):
        if index == 1:  # the first run warmed Daphne (its first socket, its layer)
            engine_latency.clear()
            raw_latency.clear()
            paced_latency.clear()
            notify_latency.clear()
        url = f"ws://127.0.0.1:{daphne_port}/ws/runs/{run_id}/?token={token}"
        async with asyncio.timeout(60), connect(url, origin=origin) as socket:
            await _consumer_joined(run_id)
            await asyncio.to_thread(enqueue, run_id)
            last = 0
            while True:
                message = json.loads(await socket.recv())
                arrived = time.time()
                engine_latency.append((arrived - message["ts"]) * 1000)
                last = message["seq"]
                if message["type"] in ("run.completed", "run.failed"):
                    break
            # floor: a raw group_send of the next event to the same consumer and socket,
            # back to back, then each after the pause the run's nodes take
            layer = get_channel_layer()
            for kept, pause in ((raw_latency, 0.0), (paced_latency, NODE_PAUSE_S)):
                for _ in range(10):
                    await asyncio.sleep(pause)
                    last += 1
                    event = {"seq": last, "type": "bench.raw", "ts": time.time(), "run_id": run_id}
                    await layer.group_send(
                        group_name(run_id), {"type": MESSAGE_TYPE, "events": [event]}
                    )
                    message = json.loads(await socket.recv())
                    kept.append((time.time() - message["ts"]) * 1000)
            # and the floor of the way a worker's events take: a bare commit of one
            # notification, paced like the run's events
            for _ in range(10):
                await asyncio.sleep(NODE_PAUSE_S)
                last += 1
                event = {"seq": last, "type": "bench.raw", "ts": time.time(), "run_id": run_id}
                notice = json.dumps({"run_id": run_id, "events": [event]})
                await notifier.execute("SELECT pg_notify(%s, %s)", [NOTICE_CHANNEL, notice])
                message = json.loads(await socket.recv())
                notify_latency.append((time.time() - message["ts"]) * 1000)
    await notifier.close()
    return engine_latency, raw_latency, paced_latency, notify_latency


def bench_latency(user: Any, log_dir: Path, quick: bool) -> None:
    import socket as sockets

    from rest_framework.authtoken.models import Token

    from flows.models import Flow, FlowVersion, Run
    from flows.runs.dispatch import enqueue_run

    with sockets.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = open(log_dir / "daphne.log", "wb")  # noqa: SIM115 - closed with the process
    daphne = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "dynamicflow_site.asgi:application"],
        cwd=ROOT, env=service_env(), stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = start_worker("lat", log_dir)
    try:

        def listening() -> bool:
            with sockets.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        wait_until(listening, 60, "daphne")
        wait_workers_ready(1)
        ir = chain(10, tool="t_slow", seconds=str(NODE_PAUSE_S), log="''")
        flow = Flow.objects.create(name="latency", owner=user)
        version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
        token = Token.objects.get_or_create(user=user)[0].key
        runs_rate(user, version, 4 * WORKER_THREADS)  # warm every worker thread's runner
        runs = [
            str(Run.objects.create(flow_version=version, requested_by=user).id)
            for _ in range(1 + (10 if quick else 40))
        ]
        engine, raw, paced, notified = asyncio.run(_latency(port, token, runs, enqueue_run))
    finally:
        stop(worker)
        stop(daphne)
    print("event latency, emission in the worker -> arrival at a websocket client (Daphne)")
    p50, p99 = pct(engine, 0.5), pct(engine, 0.99)
    print(f"  run events ({len(engine)}): p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    for label, floor in (("back to back", raw), (f"{NODE_PAUSE_S * 1000:g} ms apart", paced)):
        raw50, raw99 = pct(floor, 0.5), pct(floor, 0.99)
        print(
            f"  floor: raw channels group_send, {label} ({len(floor)}): "
            f"p50 {raw50:5.2f} ms  p99 {raw99:5.2f} ms;  run events against it: "
            f"p50 {p50 / raw50:.2f}x (target <= 2x), p99 {p99 / raw99:.2f}x (target <= 3x)"
        )
    floor50, floor99 = pct(notified, 0.5), pct(notified, 0.99)
    print(
        f"  the way a worker's events take: a bare commit of one notification, "
        f"{NODE_PAUSE_S * 1000:g} ms apart ({len(notified)}): p50 {floor50:5.2f} ms  "
        f"p99 {floor99:5.2f} ms;  run events against it: p50 {p50 / floor50:.2f}x, "
        f"p99 {p99 / floor99:.2f}x"
    )


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test)")
    parser.add_argument(
        "--only",
        choices=["durable", "throughput", "latency"],
        action="append",
        help="measure only this figure (repeatable)",
    )
    args = parser.parse_args()

    import tempfile

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    original_name = settings.DATABASES["default"]["NAME"]
    settings.DATABASES["default"].setdefault("TEST", {})
    settings.DATABASES["default"]["TEST"]["NAME"] = f"bench_dynamicflow_runs_{SESSION}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-runs-"))
    try:
        user = get_user_model().objects.create_user("bench", password="bench-pw-123456")
        only = set(args.only or ["durable", "throughput", "latency"])
        if "durable" in only:
            bench_durable(user, nodes=200, repeat=5 if args.quick else 15, quick=args.quick)
            print()
        if "throughput" in only:
            bench_throughput(user, log_dir, args.quick)
            print()
        if "latency" in only:
            bench_latency(user, log_dir, args.quick)
    finally:
        from flows.runs import runner

        runner.reset_run_host()
        connection.creation.destroy_test_db(original_name, verbosity=0)
        import redis

        from flows.runs import conf

        client = redis.Redis.from_url(conf.redis_url())
        client.delete(QUEUE, COUNTER)


if __name__ == "__main__":
    main()
