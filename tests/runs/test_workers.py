"""Runs on real Celery worker processes: crash recovery, cancellation, timeout, limits, batches."""

from __future__ import annotations

import time

import pytest

from flows.models import NodeAttempt, Run, RunBatch, RunEvent
from flows.runs import services
from tests.runs.helpers import calls, chain, count, max_overlap, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.urls("tests.runs.urls")]


def _status(run: Run) -> str:
    return Run.objects.values_list("status", flat=True).get(pk=run.pk)


def _completed_nodes(run: Run) -> set[str]:
    return set(
        NodeAttempt.objects.filter(run=run, status="completed").values_list("node_id", flat=True)
    )


def test_a_killed_worker_s_run_finishes_elsewhere_without_rerunning_a_node(
    user, make_version, workers, call_log
):
    # Given a six-node chain running on one of two workers
    version = make_version(chain(6))
    run = services.run_create(
        user=user,
        flow_version_id=version.id,
        run_input={"seconds": 0.4, "log": str(call_log)},
    )
    wait_for(lambda: len(_completed_nodes(run)) >= 2, 30, what="two checkpoints")
    run.refresh_from_db()
    victim_pid = int(run.worker.split(":")[1])
    done_before_kill = _completed_nodes(run)

    # When that worker is killed with SIGKILL mid-run
    workers.by_pid(victim_pid).kill()

    # Then the other worker takes the run over and completes it
    wait_for(lambda: _status(run) == "completed", 40, what="the run to complete")
    run.refresh_from_db()
    assert run.attempts == 2
    nodes = [f"n{i}" for i in range(1, 7)]
    # every node finished exactly once; no node committed before the kill started again
    assert count(call_log, "end") == dict.fromkeys(nodes, 1)
    starts = count(call_log, "start")
    assert all(starts[node] == 1 for node in done_before_kill)
    assert all(starts[node] <= 2 for node in nodes)
    after_kill = [pid for what, node, pid, _ in calls(call_log) if node not in done_before_kill]
    assert after_kill[-1] != victim_pid
    attempts = NodeAttempt.objects.filter(run=run)
    assert sorted(a.node_id for a in attempts) == nodes
    assert {a.status for a in attempts} == {"completed"}
    # the event stream continues with no gap and no duplicate
    seqs = list(RunEvent.objects.filter(run=run).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    types = list(RunEvent.objects.filter(run=run).values_list("type", flat=True))
    assert types.count("run.resumed") == 1
    assert types[-1] == "run.completed"


def test_cancel_stops_running_nodes_and_writes_nothing_half_done(
    user, make_version, workers, call_log, api
):
    version = make_version(chain(3))
    run = services.run_create(
        user=user, flow_version_id=version.id, run_input={"seconds": 5, "log": str(call_log)}
    )
    wait_for(lambda: count(call_log, "start")["n1"] == 1, 20, what="n1 to start")
    started = time.monotonic()

    response = api.post(f"/api/v1/runs/{run.id}/cancel/")

    assert response.status_code == 202, response.content
    wait_for(lambda: _status(run) == "cancelled", 10, what="the run to be cancelled")
    assert time.monotonic() - started < 3
    run.refresh_from_db()
    assert run.finished_at is not None
    assert run.worker == ""
    assert not NodeAttempt.objects.filter(run=run).exists()
    assert count(call_log, "end") == {}
    types = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("type", flat=True))
    assert types[-1] == "run.cancelled"
    assert "node.output" not in types
    # cancelling again changes nothing
    assert api.post(f"/api/v1/runs/{run.id}/cancel/").status_code == 409


def test_a_run_over_its_timeout_fails_and_keeps_no_partial_node(
    user, make_version, workers, call_log
):
    version = make_version(chain(2, timeout_s=1))
    run = services.run_create(
        user=user, flow_version_id=version.id, run_input={"seconds": 5, "log": str(call_log)}
    )

    wait_for(lambda: _status(run) == "failed", 15, what="the run to time out")

    run.refresh_from_db()
    assert run.error["code"] == "run_timeout"
    assert not NodeAttempt.objects.filter(run=run, status="completed").exists()
    assert count(call_log, "end") == {}


def test_a_tool_s_concurrency_limit_holds_across_workers(user, make_version, workers, call_log):
    flow = {
        "name": "limited",
        "nodes": [
            {
                "id": "each",
                "type": "map",
                "items": "input.items",
                "tool": "t_limited",
                "inputs": {"seconds": "input.seconds", "log": "input.log"},
                "concurrency": 4,
            }
        ],
    }
    version = make_version(flow)
    run_input = {"items": [1, 2, 3, 4], "seconds": 0.3, "log": str(call_log)}

    runs = [
        services.run_create(user=user, flow_version_id=version.id, run_input=run_input)
        for _ in range(2)
    ]

    for run in runs:
        wait_for(lambda run=run: _status(run) == "completed", 30, what="the runs to complete")
    assert len(calls(call_log)) == 16
    assert max_overlap(call_log) == 2  # the limit is 2 (DYNAMICFLOW_TOOL_LIMITS)
    assert len({pid for _, _, pid, _ in calls(call_log)}) == 2  # both workers took part


def test_a_batch_runs_every_input_within_its_concurrency(
    user, make_version, workers, call_log, api
):
    version = make_version(chain(1))
    inputs = [{"seconds": 0.3, "log": str(call_log)} for _ in range(5)]

    response = api.post(
        "/api/v1/runs/batch/",
        {"flow_version": version.id, "inputs": inputs, "concurrency": 2},
        format="json",
    )

    assert response.status_code == 201, response.content
    batch_id = response.json()["id"]
    assert response.json()["progress"]["total"] == 5
    wait_for(lambda: RunBatch.objects.get(pk=batch_id).status == "completed", 30, what="the batch")
    detail = api.get(f"/api/v1/runs/batch/{batch_id}/").json()
    assert detail["progress"]["done"] == 5
    assert detail["progress"]["fraction"] == 1.0
    assert detail["progress"]["by_status"]["completed"] == 5
    assert [r["index"] for r in detail["runs"]] == [0, 1, 2, 3, 4]
    assert max_overlap(call_log) <= 2
    assert count(call_log, "end")["n1"] == 5
