"""The graph, validator and compiler stay linear: 10,000-node chains, fan-outs and fan-ins."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from flows.core.engine import Engine
from flows.core.graph import build_graph, paused_gc, topological_order
from flows.core.ir import parse_flow
from flows.core.tools import FunctionTool, InMemoryCatalog, ToolSpec
from flows.core.validate import validate_flow

N = 10_000


async def _noop() -> dict[str, bool]:
    return {"ok": True}


CATALOG = InMemoryCatalog([FunctionTool(ToolSpec("noop", "No-op", "Does nothing."), _noop)])


def _tool(node_id: str, after: list[str] | None = None) -> dict:
    return {"id": node_id, "type": "tool", "tool": "noop", "after": after or []}


def chain() -> dict:
    nodes = [_tool("n0"), *(_tool(f"n{i}", [f"n{i - 1}"]) for i in range(1, N))]
    return {"name": "chain", "nodes": nodes, "max_steps": N}


def fan_out() -> dict:
    nodes = [_tool("root"), *(_tool(f"n{i}", ["root"]) for i in range(1, N))]
    return {"name": "fan-out", "nodes": nodes, "max_steps": N}


def fan_in() -> dict:
    nodes = [
        *(_tool(f"n{i}") for i in range(N - 1)),
        _tool("last", [f"n{i}" for i in range(N - 1)]),
    ]
    return {"name": "fan-in", "nodes": nodes, "max_steps": N}


@pytest.mark.parametrize("shape", [chain, fan_out, fan_in])
def test_ten_thousand_nodes_validate_and_compile_in_linear_time(shape) -> None:
    data = shape()
    start = time.process_time()
    assert validate_flow(data, CATALOG) == []
    compiled = Engine(CATALOG).compile(parse_flow(data))
    spent = time.process_time() - start
    assert len(compiled.steps) == N
    # Linear code takes well under a second of CPU here; the quadratic steps took 3-16 s.
    assert spent < 4.0, f"{spent:.1f} s of CPU for {N} nodes"


def test_topological_order_breaks_ties_by_position_in_the_ir() -> None:
    flow = parse_flow(
        {
            "name": "ties",
            "nodes": [
                _tool("c", ["a"]),
                _tool("b"),
                _tool("a"),
                _tool("d", ["b", "a"]),
                _tool("e", ["b", "b"]),
            ],
        }
    )
    graph = build_graph(flow)
    assert graph.dependencies["e"] == ["b"]  # listed twice, one edge
    # ready first: b (1) and a (2); then c (0) once a is done, before d (3) and e (4)
    assert topological_order(graph) == ["b", "a", "c", "d", "e"]


def test_the_collector_is_restored_after_nested_and_concurrent_pauses() -> None:
    assert gc.isenabled()
    inside = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with paused_gc():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    inside.wait(5)
    with paused_gc(), paused_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread still holds it
    release.set()
    thread.join()
    assert gc.isenabled()
