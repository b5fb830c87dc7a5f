"""The engine: scheduling, data flow, skips, retries, limits, suspension and resume."""

from __future__ import annotations

import asyncio
import json

import pytest

from flows.core.checkpoints import Checkpoint, InMemoryCheckpointStore
from flows.core.engine import ApprovalDecision, Engine, EngineError, EngineLimits
from flows.core.ir import parse_flow
from tests.core.helpers import NoSleepClock, Recorder, flow, run

APPROVAL_FORM = {
    "type": "object",
    "properties": {"limit": {"type": "integer", "minimum": 0}},
    "required": ["limit"],
}


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def engine(recorder: Recorder) -> Engine:
    return Engine(recorder.catalog(), clock=NoSleepClock())


async def test_data_flows_through_expressions_and_events_are_numbered(engine, recorder):
    ir = flow(
        {"id": "a", "type": "tool", "tool": "double", "inputs": {"x": "input.n"}},
        {"id": "b", "type": "tool", "tool": "double", "inputs": {"x": "a.y + 1"}},
        {
            "id": "out",
            "type": "output",
            "value": {"total": "b.y", "label": "'n=' + string(input.n)"},
        },
    )
    result, sink = await run(engine, ir, {"n": 3})

    assert result.status == "completed"
    assert result.output == {"out": {"total": 14, "label": "n=3"}}
    assert recorder.calls == [("a", {"x": 3}), ("b", {"x": 7})]
    assert [e.seq for e in sink.events] == list(range(1, len(sink.events) + 1))
    assert sink.types() == [
        "run.started",
        "node.started",
        "node.output",
        "node.started",
        "node.output",
        "node.started",
        "node.output",
        "run.completed",
    ]
    outputs = [e for e in sink.events if e.type == "node.output"]
    assert all(e.duration_ms is not None and e.duration_ms >= 0 for e in outputs)
    assert all(e.elapsed_ms is not None for e in sink.events)
    assert sink.events[1].data == {"inputs": {"x": 3}}


async def test_independent_nodes_run_concurrently(recorder):
    engine = Engine(recorder.catalog())
    ir = flow(*[{"id": f"s{i}", "type": "tool", "tool": "slow"} for i in range(6)])

    result, _ = await run(engine, ir)

    assert result.status == "completed"
    assert recorder.peak == 6


async def test_per_tool_and_global_limits_bound_concurrency(recorder):
    ir = flow(*[{"id": f"s{i}", "type": "tool", "tool": "slow"} for i in range(8)])

    per_tool = Engine(recorder.catalog(slow_concurrency=2))
    await run(per_tool, ir)
    assert recorder.peak == 2

    recorder.peak = 0
    global_limit = Engine(recorder.catalog(), limits=EngineLimits(max_concurrency=3))
    await run(global_limit, ir)
    assert recorder.peak == 3


async def test_retryable_errors_are_retried_with_exponential_backoff(recorder):
    clock = NoSleepClock()
    engine = Engine(recorder.catalog(), clock=clock)
    ir = flow(
        {
            "id": "f",
            "type": "tool",
            "tool": "flaky",
            "retry": {"max_attempts": 4, "backoff_s": 0.5, "multiplier": 2},
        }
    )

    result, sink = await run(engine, ir)

    assert result.status == "completed"
    assert result.output == {"f": {"attempts": 3}}
    assert clock.slept == [0.5, 1.0]
    retrying = [e for e in sink.events if e.type == "node.retrying"]
    assert [e.data["attempt"] for e in retrying] == [1, 2]
    assert retrying[0].data["error"]["code"] == "unavailable"


async def test_retries_run_out_and_the_run_fails(recorder):
    engine = Engine(recorder.catalog(), clock=NoSleepClock())
    ir = flow(
        {"id": "f", "type": "tool", "tool": "flaky", "retry": {"max_attempts": 2}},
        {"id": "after_f", "type": "tool", "tool": "noop", "after": ["f"]},
    )

    result, sink = await run(engine, ir)

    assert result.status == "failed"
    assert result.error["node"] == "f"
    assert result.error["attempts"] == 2
    assert recorder.count("after_f") == 0
    assert sink.types()[-2:] == ["node.failed", "run.failed"]


async def test_non_retryable_error_fails_at_once_and_cancels_siblings(recorder):
    engine = Engine(recorder.catalog(), clock=NoSleepClock())
    ir = flow(
        {"id": "pay", "type": "tool", "tool": "broken", "retry": {"max_attempts": 5}},
        {"id": "waiting", "type": "tool", "tool": "gate"},
    )

    result, sink = await run(engine, ir)

    assert result.status == "failed"
    assert result.error["code"] == "declined"
    assert recorder.count("pay") == 1
    assert "node.retrying" not in sink.types()
    assert "waiting" not in result.checkpoint.nodes  # cancelled: nothing half-written


async def test_a_tool_that_overruns_its_timeout_fails_with_timeout(recorder):
    engine = Engine(recorder.catalog(), clock=NoSleepClock())

    result, _ = await run(engine, flow({"id": "h", "type": "tool", "tool": "hang"}))

    assert result.status == "failed"
    assert result.error["code"] == "timeout"


async def test_node_timeout_overrides_the_tools_and_timeouts_are_retryable(recorder):
    clock = NoSleepClock()
    engine = Engine(recorder.catalog(), clock=clock)
    ir = flow(
        {"id": "h", "type": "tool", "tool": "gate", "timeout_s": 0.03, "retry": {"max_attempts": 2}}
    )

    result, sink = await run(engine, ir)

    assert result.status == "failed"
    assert recorder.count("h") == 2
    assert [e.type for e in sink.events].count("node.retrying") == 1


async def test_branch_runs_one_arm_and_skips_the_other_with_descendants(engine, recorder):
    ir = flow(
        {"id": "a", "type": "tool", "tool": "double", "inputs": {"x": "input.n"}},
        {"id": "big", "type": "branch", "condition": "a.y > 10", "then": ["yes"], "else": ["no"]},
        {"id": "yes", "type": "tool", "tool": "noop"},
        {"id": "no", "type": "tool", "tool": "noop"},
        {"id": "after_no", "type": "tool", "tool": "noop", "after": ["no"]},
        {"id": "merge", "type": "tool", "tool": "noop", "after": ["yes", "no"], "trigger": "any"},
    )

    result, sink = await run(engine, ir, {"n": 8})

    assert result.status == "completed"
    assert recorder.count("yes") == 1
    assert recorder.count("no") == 0
    assert recorder.count("after_no") == 0
    assert recorder.count("merge") == 1
    skipped = {e.node_id: e.data["reason"] for e in sink.events if e.type == "node.skipped"}
    assert set(skipped) == {"no", "after_no"}
    assert "else" in skipped["no"]
    assert "'no'" in skipped["after_no"]


async def test_trigger_any_reads_skipped_references_as_null(engine):
    ir = flow(
        {"id": "c", "type": "branch", "condition": "input.flag", "then": ["t"], "else": ["e"]},
        {"id": "t", "type": "value", "value": "'then'"},
        {"id": "e", "type": "value", "value": "'else'"},
        {"id": "pick", "type": "output", "value": "t != null ? t : e", "trigger": "any"},
    )

    yes, _ = await run(engine, ir, {"flag": True}, run_id="yes")
    no, _ = await run(engine, ir, {"flag": False}, run_id="no")

    assert yes.output == {"pick": "then"}
    assert no.output == {"pick": "else"}


async def test_switch_routes_by_value_with_a_default(engine, recorder):
    ir = flow(
        {
            "id": "route",
            "type": "switch",
            "value": "input.kind",
            "cases": {"refund": ["r"], "bug": ["b"]},
            "default": ["other"],
        },
        {"id": "r", "type": "tool", "tool": "noop"},
        {"id": "b", "type": "tool", "tool": "noop"},
        {"id": "other", "type": "tool", "tool": "noop"},
    )

    bug, _ = await run(engine, ir, {"kind": "bug"}, run_id="bug")
    assert (recorder.count("r"), recorder.count("b"), recorder.count("other")) == (0, 1, 0)
    assert bug.checkpoint.nodes["route"].output["case"] == "bug"

    await run(engine, ir, {"kind": "praise"}, run_id="praise")
    assert recorder.count("other") == 1


async def test_when_guard_skips_a_node_and_its_dependents(engine, recorder):
    ir = flow(
        {"id": "a", "type": "tool", "tool": "noop", "when": "input.n > 5"},
        {"id": "b", "type": "tool", "tool": "noop", "after": ["a"]},
        {"id": "c", "type": "tool", "tool": "noop"},
    )

    result, _ = await run(engine, ir, {"n": 1})

    assert result.status == "completed"
    assert [node for node, _ in recorder.calls] == ["c"]
    assert result.checkpoint.nodes["b"].status == "skipped"


async def test_a_non_boolean_guard_fails_the_node_with_the_field(engine):
    result, _ = await run(
        engine, flow({"id": "a", "type": "tool", "tool": "noop", "when": "1 + 1"})
    )

    assert result.status == "failed"
    assert result.error["field"] == "when"
    assert "boolean" in result.error["message"]


async def test_map_keeps_item_order_and_bounds_concurrency(recorder):
    engine = Engine(recorder.catalog())
    ir = flow(
        {
            "id": "each",
            "type": "map",
            "items": "input.xs",
            "tool": "double",
            "inputs": {"x": "item * 10 + index"},
            "concurrency": 2,
        },
        {"id": "slow_each", "type": "map", "items": "input.xs", "tool": "slow", "concurrency": 2},
    )

    result, _ = await run(engine, ir, {"xs": [3, 1, 2, 5, 4]})

    assert result.status == "completed"
    assert result.output["each"] == [{"y": 60}, {"y": 22}, {"y": 44}, {"y": 106}, {"y": 88}]
    assert recorder.peak == 2


async def test_map_over_a_non_list_fails_clearly(engine):
    ir = flow({"id": "each", "type": "map", "items": "input.xs", "tool": "noop"})

    result, _ = await run(engine, ir, {"xs": "abc"})

    assert result.status == "failed"
    assert result.error["field"] == "items"
    assert "list" in result.error["message"]


async def test_expression_errors_name_the_field(engine):
    ir = flow({"id": "a", "type": "tool", "tool": "double", "inputs": {"x": "input.missing"}})

    result, _ = await run(engine, ir, {"n": 1})

    assert result.status == "failed"
    assert result.error["code"] == "expression_error"
    assert result.error["field"] == "inputs.x"
    assert "missing" in result.error["message"]


def approval_flow() -> dict:
    return flow(
        {"id": "prep", "type": "tool", "tool": "double", "inputs": {"x": "input.amount"}},
        {"id": "side", "type": "tool", "tool": "noop"},
        {
            "id": "approve",
            "type": "approval",
            "title": "Approve refund",
            "form_schema": APPROVAL_FORM,
            "context": {"amount": "prep.y"},
            "assignees": {"groups": ["finance"]},
        },
        {"id": "pay", "type": "tool", "tool": "double", "inputs": {"x": "approve.data.limit"}},
        {"id": "out", "type": "output", "value": "pay.y"},
    )


async def test_approval_suspends_then_resume_runs_only_what_is_left(recorder):
    store = InMemoryCheckpointStore()
    engine = Engine(recorder.catalog(), store=store)
    ir = approval_flow()

    first, first_events = await run(engine, ir, {"amount": 21})

    assert first.status == "suspended"
    assert set(first.waiting) == {"approve"}
    request = first.waiting["approve"]
    assert request["context"] == {"amount": 42}
    assert request["assignees"]["groups"] == ["finance"]
    assert first_events.types()[-1] == "run.suspended"
    assert recorder.count("prep") == recorder.count("side") == 1
    assert recorder.count("pay") == 0

    # The checkpoint survives serialisation (it goes to Postgres, encrypted, in the app).
    restored = Checkpoint.from_json(json.loads(json.dumps(first.checkpoint.to_json())))
    second_engine = Engine(recorder.catalog())
    second, second_events = await run(
        second_engine,
        ir,
        checkpoint=restored,
        decisions={"approve": ApprovalDecision(True, {"limit": 7}, by="fiona")},
    )

    assert second.status == "completed"
    assert second.output == {"out": 14}
    assert recorder.count("prep") == recorder.count("side") == 1
    assert recorder.count("pay") == 1
    assert second_events.types()[0] == "run.resumed"
    assert second_events.events[0].seq == first_events.events[-1].seq + 1
    assert second.checkpoint.nodes["approve"].output["by"] == "fiona"


async def test_resume_with_bad_form_data_or_twice_changes_nothing(recorder):
    store = InMemoryCheckpointStore()
    engine = Engine(recorder.catalog(), store=store)
    ir = approval_flow()
    await run(engine, ir, {"amount": 1})

    with pytest.raises(EngineError, match="limit"):
        await run(engine, ir, decisions={"approve": ApprovalDecision(True, {"limit": -1})})
    stored = await store.load("run-1")
    assert stored.status == "suspended"
    assert "approve" in stored.waiting
    assert recorder.count("pay") == 0

    done, _ = await run(engine, ir, decisions={"approve": ApprovalDecision(True, {"limit": 2})})
    assert done.status == "completed"
    with pytest.raises(EngineError, match="not waiting"):
        await run(engine, ir, decisions={"approve": ApprovalDecision(True, {"limit": 3})})
    assert recorder.count("pay") == 1


async def test_rejection_skips_descendants_by_default(recorder):
    engine = Engine(recorder.catalog())
    ir = approval_flow()
    await run(engine, ir, {"amount": 1})

    result, sink = await run(
        engine, ir, decisions={"approve": ApprovalDecision(False, comment="no")}
    )

    assert result.status == "completed"
    assert recorder.count("pay") == 0
    assert {e.node_id for e in sink.events if e.type == "node.skipped"} == {"pay", "out"}


async def test_approval_timeout_with_fail_policy_fails_the_run(recorder):
    engine = Engine(recorder.catalog())
    ir = approval_flow()
    await run(engine, ir, {"amount": 1})

    result, _ = await run(
        engine, ir, decisions={"approve": ApprovalDecision(False, timed_out=True)}
    )

    assert result.status == "failed"
    assert result.error["code"] == "approval_timeout"


async def test_cancel_stops_running_nodes_and_records_nothing_half_done(recorder):
    engine = Engine(recorder.catalog())
    cancel = asyncio.Event()
    ir = flow(
        {"id": "first", "type": "tool", "tool": "noop"},
        {"id": "stuck", "type": "tool", "tool": "gate", "after": ["first"]},
        {"id": "later", "type": "tool", "tool": "noop", "after": ["stuck"]},
    )

    task = asyncio.create_task(run(engine, ir, cancel=cancel))
    await asyncio.wait_for(recorder.entered.wait(), 5)
    cancel.set()
    result, sink = await asyncio.wait_for(task, 5)

    assert result.status == "cancelled"
    assert sink.types()[-1] == "run.cancelled"
    assert set(result.checkpoint.nodes) == {"first"}
    assert recorder.count("later") == 0


async def test_whole_run_timeout_fails_the_run(recorder):
    engine = Engine(recorder.catalog())
    ir = flow({"id": "stuck", "type": "tool", "tool": "gate"}, timeout_s=0.05)

    result, _ = await asyncio.wait_for(run(engine, ir), 5)

    assert result.status == "failed"
    assert result.error["code"] == "run_timeout"


async def test_joins_wire_tools_that_have_no_explicit_inputs(recorder):
    engine = Engine(recorder.catalog())
    ir = flow(
        {"id": "a", "type": "tool", "tool": "double", "inputs": {"x": "input.n"}},
        {"id": "b", "type": "tool", "tool": "double", "after": ["a"]},
        joins=[{"from_tool": "double", "to_tool": "double", "mapping": {"x": "source.y + 1"}}],
    )

    result, _ = await run(engine, ir, {"n": 2})

    assert result.status == "completed"
    assert recorder.calls == [("a", {"x": 2}), ("b", {"x": 5})]


async def test_unknown_tools_and_cycles_are_refused_before_running(recorder):
    engine = Engine(recorder.catalog())

    with pytest.raises(EngineError, match="unknown tool 'nope'"):
        engine.compile(parse_flow(flow({"id": "a", "type": "tool", "tool": "nope"})))
    with pytest.raises(EngineError, match="cycle"):
        engine.compile(
            parse_flow(
                flow(
                    {"id": "a", "type": "tool", "tool": "noop", "after": ["b"]},
                    {"id": "b", "type": "tool", "tool": "noop", "after": ["a"]},
                )
            )
        )


async def test_a_crash_between_checkpoints_resumes_without_rerunning_completed_nodes(recorder):
    """A run that dies mid-way continues from the store; committed nodes do not run again."""
    store = InMemoryCheckpointStore()
    engine = Engine(recorder.catalog(), store=store)
    ir = flow(
        {"id": "one", "type": "tool", "tool": "noop"},
        {"id": "two", "type": "tool", "tool": "gate", "after": ["one"]},
        {"id": "three", "type": "tool", "tool": "noop", "after": ["two"]},
    )
    task = asyncio.create_task(run(engine, ir))
    await asyncio.wait_for(recorder.entered.wait(), 5)
    task.cancel()  # the worker dies while 'two' runs
    with pytest.raises(asyncio.CancelledError):
        await task

    recorder.release.set()
    result, _ = await run(Engine(recorder.catalog(), store=store), ir)

    assert result.status == "completed"
    assert [recorder.count(n) for n in ("one", "two", "three")] == [1, 2, 1]


async def test_a_wide_fan_out_runs_every_branch_and_leaves_the_collector_on(engine, recorder):
    # Given a root with 300 dependents (the engine starts wide fan-outs with the garbage
    # collector paused) and a join after them
    import gc

    branches = [
        {"id": f"b{i}", "type": "tool", "tool": "noop", "after": ["root"]} for i in range(300)
    ]
    join = {"id": "join", "type": "tool", "tool": "noop", "after": [b["id"] for b in branches]}
    ir = flow({"id": "root", "type": "tool", "tool": "noop"}, *branches, join, max_steps=400)
    was_enabled = gc.isenabled()

    # When it runs
    result, sink = await run(engine, ir)

    # Then every node ran once, each committed before the join started, and the
    # collector is as it was
    assert result.status == "completed"
    assert sorted(node for node, _ in recorder.calls) == sorted(
        ["root", "join", *(b["id"] for b in branches)]
    )
    started = {e.node_id: e.seq for e in sink.events if e.type == "node.started"}
    finished = {e.node_id: e.seq for e in sink.events if e.type == "node.output"}
    assert all(finished[b["id"]] < started["join"] for b in branches)
    assert set(result.checkpoint.nodes) == {"root", "join", *(b["id"] for b in branches)}
    assert gc.isenabled() == was_enabled
