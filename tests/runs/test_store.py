"""The runner with the Postgres store, in this process: checkpoints, events, fencing."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from flows.core.tools import FunctionTool, ToolContext, ToolSpec
from flows.models import NodeAttempt, Run, RunEvent
from flows.runs import services, store
from tests.runs.helpers import approval_flow, chain


def _committed(rows: Any) -> bool:
    """Whether `rows` exist for another connection (call it from another thread): it sees
    only what was committed."""
    from django.db import connection

    try:
        return rows.exists()
    finally:
        connection.close()


def _seqs(run: Run) -> list[int]:
    return list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))


def _assert_completed_whole(run: Run, *, nodes: int) -> None:
    """The run completed with a record of each of its nodes and every event, gap-free."""
    run.refresh_from_db()
    assert run.status == "completed", run.error
    assert NodeAttempt.objects.filter(run=run).count() == nodes
    assert _seqs(run) == list(range(1, run.last_seq + 1))


def test_a_run_commits_each_node_and_every_event(user, make_version, inprocess):
    version = make_version(chain(3, tool="t_noop"))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})

    status = inprocess.execute(run.id)

    run.refresh_from_db()
    assert status == run.status == "completed"
    assert run.started_at
    assert run.finished_at
    assert run.attempts == 1
    assert run.worker == ""
    attempts = NodeAttempt.objects.filter(run=run)
    assert sorted(a.node_id for a in attempts) == ["n1", "n2", "n3"]
    assert {a.status for a in attempts} == {"completed"}
    assert all(a.output == {"ok": True} and a.started_at and a.finished_at for a in attempts)
    types = list(RunEvent.objects.filter(run=run).values_list("type", flat=True))
    assert types[0] == "run.started"
    assert types[-1] == "run.completed"
    assert types.count("node.output") == 3
    assert _seqs(run) == list(range(1, len(types) + 1))
    assert run.last_seq == len(types)
    assert run.result == {"n3": {"ok": True}}


def test_a_node_is_committed_before_its_successor_starts(user, make_version, inprocess):
    seen: dict[str, Any] = {}

    def committed_elsewhere(run_id: str, node_id: str) -> bool:
        return _committed(
            NodeAttempt.objects.filter(run_id=run_id, node_id=node_id, status="completed")
        )

    async def check(context: ToolContext, previous: str) -> dict[str, Any]:
        result: list[bool] = []
        thread = threading.Thread(
            target=lambda: result.append(committed_elsewhere(context.run_id, previous))
        )
        thread.start()
        await asyncio.to_thread(thread.join, 10)
        seen[context.node_id] = result[0]
        return {"ok": True}

    spec = ToolSpec(id="t_check", name="check", description="checks its predecessor")
    inprocess.add_tools(FunctionTool(spec, check))
    nodes = [{"id": "n1", "type": "tool", "tool": "t_noop"}]
    nodes += [
        {
            "id": f"n{i}",
            "type": "tool",
            "tool": "t_check",
            "inputs": {"previous": f"'n{i - 1}'"},
            "after": [f"n{i - 1}"],
        }
        for i in range(2, 6)
    ]
    version = make_version({"name": "checked", "nodes": nodes})
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})

    assert inprocess.execute(run.id) == "completed"
    assert seen == {"n2": True, "n3": True, "n4": True, "n5": True}


def test_events_of_a_slow_node_are_stored_while_it_runs(user, make_version, inprocess):
    # Given an unwatched run whose node waits until its own start is in the database
    stored: list[str] = []

    def started_is_stored(run_id: str, node_id: str) -> bool:
        started = RunEvent.objects.filter(run_id=run_id, node_id=node_id, type="node.started")
        return _committed(started)

    async def wait_for_own_start(context: ToolContext) -> dict[str, Any]:
        run_id, node_id = context.run_id, context.node_id
        async with asyncio.timeout(5):
            while not await asyncio.to_thread(started_is_stored, run_id, node_id):  # noqa: ASYNC110
                await asyncio.sleep(0.005)  # the condition is in another connection
        stored.append(context.node_id)
        return {"ok": True}

    spec = ToolSpec(id="t_wait_start", name="wait", description="waits for its start event")
    inprocess.add_tools(FunctionTool(spec, wait_for_own_start))
    nodes = [
        {"id": "n1", "type": "tool", "tool": "t_wait_start"},
        {"id": "n2", "type": "tool", "tool": "t_wait_start", "after": ["n1"]},
    ]
    version = make_version({"name": "slow", "nodes": nodes})
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})

    # When it runs, then each node saw its start event committed (no checkpoint carried it)
    status = inprocess.execute(run.id)
    run.refresh_from_db()
    assert status == "completed", run.error
    assert stored == ["n1", "n2"]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements the worker sends from its run loop, by their first two words."""
    statements: list[str] = []
    real_execute = store.AsyncWriter._execute

    async def counting_execute(self, sql, params, **kwargs):
        statements.append(sql.split()[0] + " " + sql.split()[1])
        return await real_execute(self, sql, params, **kwargs)

    monkeypatch.setattr(store.AsyncWriter, "_execute", counting_execute)
    return statements


def test_a_fast_unwatched_run_of_two_nodes_costs_three_statements(
    user, make_version, inprocess, sent
):
    # Given a count of the statements the worker sends (`sent`)
    version = make_version(chain(2, tool="t_noop"))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})

    # When a 2-node run executes with nobody watching
    assert inprocess.execute(run.id) == "completed"

    # Then: the claim, the first node (with the events so far), the outcome (with the
    # staged leaf and the last events); and every event is stored, in order
    assert sent == ["WITH claim", "WITH lease", "WITH finals"]
    types = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("type", flat=True))
    assert types == [
        "run.started",
        "node.started",
        "node.output",
        "node.started",
        "node.output",
        "run.completed",
    ]
    assert sorted(NodeAttempt.objects.filter(run=run).values_list("node_id", flat=True)) == [
        "n1",
        "n2",
    ]


def test_siblings_that_finish_together_are_committed_together(
    user, make_version, inprocess, sent
):
    # Given a count of the statements the worker sends (`sent`), and a join after 30
    # parallel nodes that looks, from another connection, for its 30 predecessors' records
    width = 30
    seen: list[int] = []

    def committed_count(run_id: str) -> int:
        from django.db import connection

        try:
            rows = NodeAttempt.objects.filter(run_id=run_id, node_id__startswith="p")
            return rows.filter(status="completed").count()
        finally:
            connection.close()

    async def check_all(context: ToolContext) -> dict[str, Any]:
        seen.append(await asyncio.to_thread(committed_count, context.run_id))
        return {"ok": True}

    spec = ToolSpec(id="t_check_all", name="check all", description="counts its inputs")
    inprocess.add_tools(FunctionTool(spec, check_all))
    siblings = [f"p{i}" for i in range(width)]
    nodes = [{"id": "root", "type": "tool", "tool": "t_noop"}]
    nodes += [{"id": s, "type": "tool", "tool": "t_noop", "after": ["root"]} for s in siblings]
    nodes += [{"id": "join", "type": "tool", "tool": "t_check_all", "after": siblings}]
    version = make_version({"name": "fan", "nodes": nodes})
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})

    # When it runs
    assert inprocess.execute(run.id) == "completed"

    # Then the join started only once all 30 were committed, every record and event is
    # stored, and the 30 cost one or two statements, not 30
    assert seen == [width]
    run.refresh_from_db()
    attempts = NodeAttempt.objects.filter(run=run)
    assert attempts.count() == width + 2
    assert _seqs(run) == list(range(1, run.last_seq + 1))
    node_writes = sent.count("WITH lease")
    assert 2 <= node_writes <= 4, sent
    assert sent[0] == "WITH claim"
    assert sent[-1] == "WITH finals"


@pytest.fixture
def node_statements(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The runs each node statement of the worker carried, in order."""
    statements: list[set[str]] = []
    real_write = store.AsyncWriter.write_nodes

    async def recording_write(self, parts):
        statements.append({p.run_id for p in parts})
        return await real_write(self, parts)

    monkeypatch.setattr(store.AsyncWriter, "write_nodes", recording_write)
    return statements


def _gate_tool(side_by_side: int) -> FunctionTool:
    """`t_gate`: returns once `side_by_side` runs have called it (they share the worker's
    one run loop), text Postgres cannot store if asked for `bad` text."""
    started: list[str] = []
    all_started = asyncio.Event()

    async def gate(context: ToolContext, bad: bool = False) -> dict[str, Any]:
        started.append(context.run_id)
        if len(started) == side_by_side:
            all_started.set()
        await asyncio.wait_for(all_started.wait(), 30)
        return {"text": "a\x00b" if bad else "ab"}

    properties = {"bad": {"type": "boolean"}}
    spec = ToolSpec(
        id="t_gate",
        name="gate",
        description="waits for the others",
        input_schema={"type": "object", "properties": properties},
    )
    return FunctionTool(spec, gate)


def _new_runs(user: Any, version: Any, count: int, **run_input: Any) -> list[Run]:
    """`count` pending runs of `version`, each with `run_input`."""
    return [
        services.run_create(user=user, flow_version_id=version.id, run_input=dict(run_input))
        for _ in range(count)
    ]


def _execute_side_by_side(inprocess: Any, runs: list[Run]) -> None:
    """Execute `runs` at once, as a worker's pool threads do."""
    threads = [threading.Thread(target=inprocess.execute, args=(run.id,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


def test_runs_side_by_side_share_their_node_statements(
    user, make_version, inprocess, node_statements
):
    # Given four runs whose first node waits until all four have started, then nine
    # more nodes each
    side_by_side = 4
    inprocess.add_tools(_gate_tool(side_by_side))
    nodes = [{"id": "n1", "type": "tool", "tool": "t_gate"}]
    nodes += [
        {"id": f"n{i}", "type": "tool", "tool": "t_noop", "after": [f"n{i - 1}"]}
        for i in range(2, 11)
    ]
    version = make_version({"name": "side by side", "nodes": nodes})
    runs = _new_runs(user, version, side_by_side)

    # When the worker's pool threads execute them at once
    _execute_side_by_side(inprocess, runs)

    # Then each completed with every record and event, and some statements carried the
    # nodes of several runs (each run alone would have sent nine)
    for run in runs:
        _assert_completed_whole(run, nodes=10)
    assert max(len(runs_of) for runs_of in node_statements) >= 2, node_statements
    assert len(node_statements) < 9 * side_by_side


def test_data_one_run_cannot_store_fails_that_run_alone(
    user, make_version, inprocess, node_statements
):
    # Given four runs side by side whose first node finishes with the others (so that
    # three records share a statement), two of which return text Postgres cannot store
    inprocess.add_tools(_gate_tool(4))
    nodes = [
        {"id": "n1", "type": "tool", "tool": "t_gate", "inputs": {"bad": "input.bad"}},
        {"id": "n2", "type": "tool", "tool": "t_noop", "after": ["n1"]},
    ]
    version = make_version({"name": "refused", "nodes": nodes})
    runs = {bad: _new_runs(user, version, 2, bad=bad) for bad in (True, False)}

    # When they execute at once
    _execute_side_by_side(inprocess, runs[True] + runs[False])

    # Then a statement carried a bad and a good run together, yet only the bad runs
    # failed (saying why and where); the good ones completed with every record
    bad_ids = {str(r.id) for r in runs[True]}
    assert any(ids & bad_ids and ids - bad_ids for ids in node_statements), node_statements
    for run in runs[True]:
        run.refresh_from_db()
        assert run.status == "failed"
        assert run.error["node"] == "n1"
        assert "\\u0000" in run.error["message"]
    for run in runs[False]:
        _assert_completed_whole(run, nodes=2)


def test_blocking_tools_of_runs_side_by_side_run_at_once(user, make_version, inprocess):
    # Given twelve runs of a plain (blocking) function that returns only once all twelve
    # calls are under way
    side_by_side = 12
    all_in = threading.Barrier(side_by_side, timeout=20)

    def meet() -> dict[str, Any]:
        all_in.wait()
        return {"met": True}

    spec = ToolSpec(id="t_meet", name="meet", description="waits for the others")
    inprocess.add_tools(FunctionTool(spec, meet))
    nodes = [{"id": "m", "type": "tool", "tool": "t_meet"}]
    version = make_version({"name": "meet", "nodes": nodes})
    runs = _new_runs(user, version, side_by_side)

    # When the worker executes them at once (on its one run loop)
    _execute_side_by_side(inprocess, runs)

    # Then every call ran at the same time as the others: all twelve completed
    for run in runs:
        run.refresh_from_db()
        assert run.status == "completed", run.error
        assert NodeAttempt.objects.get(run=run).output == {"met": True}


def test_a_statement_writes_only_the_runs_whose_lease_is_held(user, make_version, inprocess):
    from flows.core.checkpoints import NodeRecord

    # Given two runs held by "me", one of which another worker then took over
    version = make_version(chain(1, tool="t_noop"))
    held, taken = _new_runs(user, version, 2)
    for run in (held, taken):
        assert store.claim_run(str(run.id), "me", 30) is not None
    Run.objects.filter(pk=taken.pk).update(worker="someone-else")

    # When one statement writes a record for each
    record = NodeRecord("n1", "completed", {"ok": True})
    written = store.write_nodes(
        [store.NodeWrite(str(r.id), "me", "w", inserts=[record]) for r in (held, taken)]
    )

    # Then only the held run's record is written, and the statement says so
    assert written == {str(held.id)}
    assert NodeAttempt.objects.filter(run=held).count() == 1
    assert not NodeAttempt.objects.filter(run=taken).exists()


def test_suspend_then_resume_continues_the_sequence(user, other_user, make_version, inprocess):
    version = make_version(approval_flow())
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})
    assert inprocess.execute(run.id) == "suspended"
    run.refresh_from_db()
    assert list(run.waiting) == ["ok"]
    assert run.worker == ""
    suspended_seqs = _seqs(run)

    services.run_resume(
        run_id=run.id, node_id="ok", user=other_user, approved=True, data={"amount": 7}
    )
    run.refresh_from_db()
    assert run.status == "pending"
    assert inprocess.execute(run.id) == "completed"

    run.refresh_from_db()
    assert run.result == {"result": 7}
    assert run.waiting == {}
    assert run.decisions == {}
    seqs = _seqs(run)
    assert seqs[: len(suspended_seqs)] == suspended_seqs
    assert seqs == list(range(1, len(seqs) + 1))
    types = list(RunEvent.objects.filter(run=run).values_list("type", flat=True))
    assert "run.suspended" in types
    assert "run.resumed" in types
    approval = NodeAttempt.objects.filter(run=run, node_id="ok")
    assert [(a.status, a.output["data"]) for a in approval] == [("completed", {"amount": 7})]


def test_a_worker_that_lost_its_lease_writes_nothing(user, make_version, inprocess):
    version = make_version(chain(1, tool="t_noop"))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})
    claim = store.claim_run(str(run.id), "me", 30)
    assert claim is not None
    assert claim.attempts == 1
    # Given another worker took the run over
    Run.objects.filter(pk=run.pk).update(worker="someone-else")

    # When the first one writes, then it is refused and nothing is stored
    from flows.core.checkpoints import NodeRecord

    record = NodeRecord("n1", "completed", {"ok": True})
    assert store.write_nodes([store.NodeWrite(str(run.id), "me", "w", inserts=[record])]) == set()
    with pytest.raises(store.LeaseLost):
        store.write_final(store.FinalWrite(str(run.id), "me", "w", store.Final("completed")))
    assert not NodeAttempt.objects.filter(run=run).exists()
    assert Run.objects.get(pk=run.pk).status == "running"
    # and a second claim is refused while the other holder's lease is valid
    assert store.claim_run(str(run.id), "third", 30) is None


def test_a_failing_node_fails_the_run_with_its_error(user, make_version, inprocess):
    version = make_version(
        {"name": "f", "nodes": [{"id": "bad", "type": "tool", "tool": "t_fail"}]}
    )
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})

    assert inprocess.execute(run.id) == "failed"

    run.refresh_from_db()
    assert run.error["code"] == "test_failure"
    assert run.error["node"] == "bad"
    assert NodeAttempt.objects.get(run=run).status == "failed"


def test_a_delivered_twice_run_executes_once(user, make_version, inprocess):
    version = make_version(chain(2, tool="t_noop"))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})
    assert inprocess.execute(run.id) == "completed"
    assert inprocess.execute(run.id) is None
    assert NodeAttempt.objects.filter(run=run).count() == 2


def test_a_run_whose_database_is_unavailable_is_retried_not_lost(
    user, make_version, inprocess, monkeypatch
):
    # Given a database connection that fails the first time the worker uses it
    import psycopg

    from flows.tasks import execute_run

    version = make_version(chain(2, tool="t_noop"))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})
    real_execute = store.AsyncWriter._execute
    failures: list[str] = []

    async def flaky_execute(self, sql, params, **kwargs):
        if not failures:
            failures.append(sql)
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return await real_execute(self, sql, params, **kwargs)

    monkeypatch.setattr(store.AsyncWriter, "_execute", flaky_execute)
    monkeypatch.setattr(execute_run, "retry_backoff", False)  # retry at once

    # When the task runs (eagerly, with Celery's own retry)
    result = execute_run.apply(args=[str(run.id)])

    # Then the first attempt failed on the claim, the retry completed the run
    assert len(failures) == 1
    assert failures[0].split()[:2] == ["WITH", "claim"]
    assert result.successful(), result.traceback
    run.refresh_from_db()
    assert run.status == "completed"
    assert run.attempts == 1  # the failed claim changed nothing


def test_a_run_enqueued_long_ago_and_never_claimed_is_sent_again(
    user, make_version, inprocess, monkeypatch, settings
):
    # Given a run whose message went with a killed worker (enqueued 10 minutes ago, still
    # pending), one enqueued just now, and one a batch has not released yet
    from datetime import timedelta

    from django.utils import timezone

    settings.DYNAMICFLOW_RUN_REQUEUE_S = 300
    version = make_version(chain(1, tool="t_noop"))
    lost = services.run_create(user=user, flow_version_id=version.id, run_input={})
    fresh = services.run_create(user=user, flow_version_id=version.id, run_input={})
    held = services.run_create(user=user, flow_version_id=version.id, run_input={})
    Run.objects.filter(pk=lost.pk).update(enqueued_at=timezone.now() - timedelta(minutes=10))
    Run.objects.filter(pk=held.pk).update(enqueued_at=None)
    sent: list[str] = []
    monkeypatch.setattr("flows.runs.dispatch.enqueue_run", lambda run_id: sent.append(str(run_id)))

    # When the reaper looks, twice
    first = services.runs_recover()
    second = services.runs_recover()

    # Then only the lost run is sent again, once, and it runs to completion
    assert first == [str(lost.pk)]
    assert second == []
    assert sent == [str(lost.pk)]
    assert inprocess.execute(lost.pk) == "completed"
    fresh.refresh_from_db()
    assert fresh.status == "pending"


def test_a_database_outage_mid_run_stops_it_and_it_continues_later(
    user, make_version, inprocess, monkeypatch
):
    # Given a 3-node run whose second checkpoint cannot be written (the database is down)
    import psycopg

    from flows.core.checkpoints import CheckpointUnavailable

    calls: list[str] = []

    async def counted(context: ToolContext) -> dict[str, Any]:
        calls.append(context.node_id)
        return {"ok": True}

    spec = ToolSpec(id="t_counted", name="counted", description="records each call")
    inprocess.add_tools(FunctionTool(spec, counted))
    nodes = [{"id": "n1", "type": "tool", "tool": "t_counted"}]
    nodes += [
        {"id": f"n{i}", "type": "tool", "tool": "t_counted", "after": [f"n{i - 1}"]} for i in (2, 3)
    ]
    version = make_version({"name": "outage", "nodes": nodes})
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})
    real_write = store.AsyncWriter.write_nodes
    down = {"on": "n2"}

    async def flaky_write(self, parts):
        nodes = {r.node_id for p in parts for r in p.inserts}
        nodes |= {e.node_id for p in parts for e in p.events}
        if down["on"] is not None and down["on"] in nodes:  # its events or record
            down["on"] = None
            raise psycopg.OperationalError("terminating connection due to administrator command")
        return await real_write(self, parts)

    monkeypatch.setattr(store.AsyncWriter, "write_nodes", flaky_write)

    # When it runs: it stops without an outcome and gives the run back
    with pytest.raises(CheckpointUnavailable):
        inprocess.execute(run.id)
    run.refresh_from_db()
    assert run.status == "running"
    assert run.worker == ""
    assert run.error is None
    assert sorted(NodeAttempt.objects.filter(run=run).values_list("node_id", flat=True)) == ["n1"]

    # Then the next delivery continues it: n1 is not run again, n2 (never committed) is
    assert inprocess.execute(run.id) == "completed"
    assert calls == ["n1", "n2", "n2", "n3"]
    assert _seqs(run) == list(range(1, len(_seqs(run)) + 1))


def test_the_worker_reads_the_watch_mark_with_its_claim_and_lease_renewals(
    user, make_version, inprocess
):
    # Given two runs (not sent to any worker), one of which a browser has open
    from flows.runs.watchers import mark_watched

    version = make_version(chain(1, tool="t_noop"))
    quiet = services.run_create(user=user, flow_version_id=version.id, run_input={})
    watched = services.run_create(user=user, flow_version_id=version.id, run_input={})
    mark_watched(watched.id)

    # When a worker claims them, then the claim says which one is watched
    quiet_claim = store.claim_run(str(quiet.id), "w1", 60)
    watched_claim = store.claim_run(str(watched.id), "w2", 60)
    assert quiet_claim is not None
    assert watched_claim is not None
    assert quiet_claim.watched is False
    assert watched_claim.watched is True

    # And a browser that opens the quiet run mid-way is seen at the next lease renewal
    renewal = store.renew_lease(str(quiet.id), "w1", 60)
    assert renewal is not None
    assert renewal.watched is False
    mark_watched(quiet.id)
    renewal = store.renew_lease(str(quiet.id), "w1", 60)
    assert renewal is not None
    assert renewal.watched is True
    assert renewal.cancel_requested is False
    assert store.renew_lease(str(quiet.id), "not-the-holder", 60) is None


def test_the_worker_connection_reads_any_jsonb_a_run_can_hold(inprocess):
    """A claim reads the run's input as jsonb through orjson, with the standard library
    where orjson would not keep it whole: an integer beyond 64 bits comes back exact."""
    from flows.runs import runner

    host = runner.run_host()
    long = {"big": 2**70 + 1, "negative": -(2**65) - 3, "text": "naïve ☃", "list": [1.5, None]}
    for value in (long, {"small": 2**63 - 1, "text": "ascii"}):
        row = host.run(host.pg.fetchone("SELECT %s::jsonb", [store._encode(value)]))
        assert row[0] == value


def test_several_claims_and_outcomes_share_one_statement_each_run_its_own(
    user, make_version, inprocess
):
    # Given three pending runs, a fourth held by another worker under a valid lease
    from django.db import connection

    from flows.core.checkpoints import NodeRecord
    from flows.core.events import Event

    version = make_version(chain(1, tool="t_noop"))
    runs = [
        str(services.run_create(user=user, flow_version_id=version.id, run_input={"i": i}).id)
        for i in range(4)
    ]
    assert store.claim_run(runs[3], "someone-else", 60) is not None

    # When one statement claims all four, the first run twice (a message delivered twice)
    requests = [store.ClaimRequest(run_id, f"w{i}", 60) for i, run_id in enumerate(runs)]
    requests.append(store.ClaimRequest(runs[0], "w-again", 60))
    with connection.cursor() as cursor:
        cursor.execute(*store.claims_statement(requests))
        claims = store.claims_from_rows(requests, cursor.fetchall())

    # Then each free run is claimed once, with its own input and token; the held one is not
    taken = [claim is not None for claim in claims]
    assert taken[1:4] == [True, True, False]
    assert taken[0] != taken[4]  # exactly one of the two requests for the first run
    assert [claims[i].input for i in (1, 2)] == [{"i": 1}, {"i": 2}]
    winner = "w0" if taken[0] else "w-again"
    assert Run.objects.get(pk=runs[0]).worker == winner
    assert Run.objects.get(pk=runs[1]).worker == "w1"

    # When one statement writes three outcomes, the third from a writer that lost its lease
    def final(run_id: str, token: str, status: str) -> store.FinalWrite:
        events = [Event(1, "run.completed", 1.5, run_id, None, {"status": status})]
        record = NodeRecord("n1", "completed", {"run": run_id}, attempts=1)
        return store.FinalWrite(
            run_id, token, "w", store.Final(status, result={"of": run_id}), events, [record]
        )

    writes = [final(runs[1], "w1", "completed"), final(runs[0], winner, "failed")]
    writes.append(final(runs[2], "not-the-holder", "completed"))
    with connection.cursor() as cursor:
        cursor.execute(*store.finals_statement(writes))
        outcomes = store.outcomes_from_rows(writes, cursor.fetchall())

    # Then the two held runs are written whole, each with its own data; the third nothing
    assert outcomes == [("completed", None), ("failed", None), None]
    for run_id, status in ((runs[1], "completed"), (runs[0], "failed")):
        run = Run.objects.get(pk=run_id)
        assert (run.status, run.result, run.worker, run.last_seq) == (status, {"of": run_id}, "", 1)
        assert run.finished_at is not None
        assert list(RunEvent.objects.filter(run=run).values_list("type", flat=True)) == [
            "run.completed"
        ]
        assert NodeAttempt.objects.get(run=run).output == {"run": run_id}
    untouched = Run.objects.get(pk=runs[2])
    assert (untouched.status, untouched.worker) == ("running", "w2")
    assert not RunEvent.objects.filter(run=untouched).exists()
    assert not NodeAttempt.objects.filter(run=untouched).exists()


def test_runs_that_start_together_share_their_claim_statement(user, make_version, inprocess):
    # Given eight runs handed to the worker's loop at the same moment
    from flows.runs import runner

    version = make_version(chain(2, tool="t_noop"))
    ids = [
        str(services.run_create(user=user, flow_version_id=version.id, run_input={}).id)
        for _ in range(8)
    ]
    warm = services.run_create(user=user, flow_version_id=version.id, run_input={})
    assert inprocess.execute(warm.id) == "completed"  # the registry snapshot is fresh
    host = runner.run_host()
    claims_before = host.pg.claims.sent

    async def all_at_once() -> list[str | None]:
        return await asyncio.gather(*(runner.execute_run(host, run_id) for run_id in ids))

    # When they execute
    statuses = host.run(all_at_once())

    # Then the first claim went out alone, the seven that came meanwhile in one statement,
    # and every run completed whole
    assert statuses == ["completed"] * 8
    assert host.pg.claims.sent - claims_before == 2
    for run_id in ids:
        _assert_completed_whole(Run.objects.get(pk=run_id), nodes=2)


def test_a_run_id_in_another_form_still_executes_the_run(user, make_version, inprocess):
    # Given a run whose id is handed over in capitals and without dashes
    version = make_version(chain(2, tool="t_noop"))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})

    # When it executes, then it completes whole (its claim, node and outcome matched it)
    assert inprocess.execute(run.id.hex.upper()) == "completed"
    _assert_completed_whole(run, nodes=2)


def test_an_outcome_one_run_cannot_store_fails_that_run_alone(
    user, make_version, inprocess, monkeypatch
):
    # Given six runs side by side of one node (a leaf: its record rides on the outcome),
    # which finish together, three of them with text Postgres cannot store (a NUL)
    inprocess.add_tools(_gate_tool(6))
    nodes = [{"id": "n1", "type": "tool", "tool": "t_gate", "inputs": {"bad": "input.bad"}}]
    version = make_version({"name": "refused outcome", "nodes": nodes})
    runs = {bad: _new_runs(user, version, 3, bad=bad) for bad in (True, False)}
    statements: list[int] = []  # the outcomes each statement carried
    real_write = store.AsyncWriter._write_finals

    async def recording_write(self, writes):
        statements.append(len(writes))
        return await real_write(self, writes)

    monkeypatch.setattr(store.AsyncWriter, "_write_finals", recording_write)

    # When they execute at once
    _execute_side_by_side(inprocess, runs[True] + runs[False])

    # Then outcomes shared statements, the good runs completed whole, and the bad ones
    # failed at once saying why (not left running to be sent again), with every event,
    # the terminal one saying why, and the text mended in what was kept
    assert max(statements) >= 2, statements
    for run in runs[False]:
        _assert_completed_whole(run, nodes=1)
        assert run.result == {"n1": {"text": "ab"}}
    for run in runs[True]:
        run.refresh_from_db()
        assert (run.status, run.worker) == ("failed", "")
        assert (run.error["code"], run.error["node"]) == ("unstorable_output", "n1")
        assert "\\u0000" in run.error["message"]
        assert _seqs(run) == list(range(1, run.last_seq + 1))
        last = RunEvent.objects.get(run=run, seq=run.last_seq)
        assert (last.type, last.payload["error"]["code"]) == ("run.failed", "unstorable_output")
        assert NodeAttempt.objects.get(run=run).output == {"text": "a\ufffdb"}


@pytest.mark.parametrize("events", [2, store.FLAT_MAX_ROWS + 1])
def test_small_and_large_node_writes_store_the_same_rows(user, make_version, inprocess, events):
    """A few rows go as a parameter each, more as JSON arrays: both store what was given."""
    from flows.core.checkpoints import NodeRecord
    from flows.core.events import Event

    version = make_version(chain(1, tool="t_noop"))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})
    assert store.claim_run(str(run.id), "me", 30) is not None
    run_id = str(run.id)
    given = [
        Event(seq, "node.output", 1_700_000_000.25 + seq, run_id, f"n{seq}",
              {"output": {"n": seq, "text": "é ✓"}}, elapsed_ms=seq * 1.5,
              duration_ms=None if seq % 2 else 0.5)
        for seq in range(1, events + 1)
    ]  # fmt: skip
    record = NodeRecord(
        "n1", "failed", None, {"code": "boom"}, {"a": [1, None]}, 3, 1_700_000_000.5, None
    )

    written = store.write_nodes([store.NodeWrite(run_id, "me", "w", given, [record])])

    assert written == {run_id}
    rows = list(RunEvent.objects.filter(run=run).order_by("seq"))
    assert [
        (r.seq, r.type, r.node_id, r.payload, r.ts.timestamp(), r.elapsed_ms, r.duration_ms)
        for r in rows
    ] == [
        (e.seq, e.type, e.node_id, e.data, e.ts, e.elapsed_ms, e.duration_ms) for e in given
    ]
    stored = NodeAttempt.objects.get(run=run)
    assert (stored.node_id, stored.status, stored.attempt) == ("n1", "failed", 3)
    assert (stored.output, stored.error) == (None, {"code": "boom"})
    assert (stored.inputs, stored.worker) == ({"a": [1, None]}, "w")
    assert stored.started_at.timestamp() == 1_700_000_000.5
    assert stored.finished_at is None


def test_a_node_whose_worker_died_before_its_event_ends_in_the_stream_once_recovered(
    user, make_version, inprocess
):
    # Given a running run whose worker committed n1's checkpoint and died before storing
    # n1's event (its lease ran out), so the stream last says n1 started
    from datetime import timedelta

    from django.utils import timezone

    version = make_version(chain(2, tool="t_noop"))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})
    started = timezone.now() - timedelta(minutes=1)
    NodeAttempt.objects.create(
        run=run, node_id="n1", attempt=1, status="completed", output={"ok": 1},
        started_at=started, finished_at=started + timedelta(milliseconds=250),
    )  # fmt: skip
    for seq, kind, node in ((1, "run.started", ""), (2, "node.started", "n1")):
        RunEvent.objects.create(run=run, seq=seq, type=kind, node_id=node, payload={},
                                ts=started)  # fmt: skip
    Run.objects.filter(pk=run.pk).update(
        status="running", last_seq=2, worker="gone", started_at=started, attempts=1,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip

    # When the reaper recovers it and another worker finishes it
    assert services.runs_recover() == [str(run.pk)]
    ended = RunEvent.objects.get(run=run, type="node.output", node_id="n1")
    assert inprocess.execute(run.pk) == "completed"

    # Then the stream says n1 ended, with its checkpoint's output and time, right after
    # the recovery, and once: the resumed run does not run n1 again
    assert (ended.seq, ended.payload) == (4, {"recovered": True, "output": {"ok": 1},
                                              "attempts": 1})  # fmt: skip
    assert ended.duration_ms == pytest.approx(250)
    events = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("type", "node_id"))
    assert events[:4] == [("run.started", ""), ("node.started", "n1"), ("run.recovered", ""),
                          ("node.output", "n1")]  # fmt: skip
    assert events.count(("node.output", "n1")) == 1
    assert ("node.output", "n2") in events
    assert Run.objects.get(pk=run.pk).last_seq == len(events)
