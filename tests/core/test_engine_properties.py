"""Properties that hold for every graph: exactly-once, dependency order, skips, resume."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.core.engine import ApprovalDecision, Engine
from flows.core.ir import parse_flow
from tests.core.helpers import Recorder

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def dags(draw: st.DrawFn, *, max_nodes: int = 14) -> list[dict]:
    """Random DAGs: each node may depend on any earlier node (so edges never form cycles)."""
    count = draw(st.integers(1, max_nodes))
    nodes = []
    for i in range(count):
        deps = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=3)) if i else []
        nodes.append(
            {"id": f"n{i}", "type": "tool", "tool": "noop", "after": [f"n{d}" for d in deps]}
        )
    return nodes


def run_sync(engine: Engine, ir: dict, **kwargs) -> object:
    return asyncio.run(
        engine.run(
            parse_flow(ir), kwargs.pop("input", {}), run_id=kwargs.pop("run_id", "r"), **kwargs
        )
    )


@PROPERTY_SETTINGS
@given(dags())
def test_every_node_runs_exactly_once_and_after_its_dependencies(nodes):
    recorder = Recorder()
    result = run_sync(Engine(recorder.catalog()), {"name": "p", "nodes": nodes})

    assert result.status == "completed"
    order = [node_id for node_id, _ in recorder.calls]
    assert sorted(order) == sorted(n["id"] for n in nodes)
    position = {node_id: i for i, node_id in enumerate(order)}
    for node in nodes:
        for dep in node["after"]:
            assert position[dep] < position[node["id"]]


@PROPERTY_SETTINGS
@given(dags(max_nodes=10), st.booleans(), st.data())
def test_nodes_behind_an_untaken_arm_never_run(nodes, flag, data):
    """Gate a random subset of nodes behind a branch; the untaken side and its descendants
    never run, and every other node runs once."""
    then_ids = data.draw(st.lists(st.sampled_from([n["id"] for n in nodes]), unique=True))
    branch = {
        "id": "gate",
        "type": "branch",
        "condition": "input.flag",
        "then": then_ids,
        "else": [],
    }
    recorder = Recorder()
    result = run_sync(
        Engine(recorder.catalog()), {"name": "p", "nodes": [branch, *nodes]}, input={"flag": flag}
    )

    assert result.status == "completed"
    ran = {node_id for node_id, _ in recorder.calls}
    gated = set(then_ids)
    changed = True
    while changed:  # descendants of gated nodes are gated too (trigger "all")
        changed = False
        for node in nodes:
            if node["id"] not in gated and gated & set(node["after"]):
                gated.add(node["id"])
                changed = True
    everything = {n["id"] for n in nodes}
    assert ran == (everything if flag else everything - gated)
    assert all(recorder.count(node_id) <= 1 for node_id in everything)


@PROPERTY_SETTINGS
@given(dags(max_nodes=10), st.data())
def test_resume_after_suspension_reruns_nothing(nodes, data):
    """Put an approval in front of a random subset; after resuming, every node ran once."""
    blocked = data.draw(st.lists(st.sampled_from([n["id"] for n in nodes]), unique=True))
    approval = {
        "id": "ok",
        "type": "approval",
        "form_schema": {"type": "object"},
    }
    for node in nodes:
        if node["id"] in blocked:
            node["after"] = [*node["after"], "ok"]
    recorder = Recorder()
    engine = Engine(recorder.catalog())
    ir = {"name": "p", "nodes": [approval, *nodes]}

    first = run_sync(engine, ir)
    assert first.status == "suspended"
    before = [node_id for node_id, _ in recorder.calls]
    second = run_sync(engine, ir, decisions={"ok": ApprovalDecision(True)})

    assert second.status == "completed"
    after = [node_id for node_id, _ in recorder.calls]
    assert sorted(after) == sorted(n["id"] for n in nodes)
    assert after[: len(before)] == before
    assert not set(before) & set(blocked)
