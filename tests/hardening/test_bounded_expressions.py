"""Expressions and values are bounded at run time: a budget per expression and per node,
a size cap on every value a node produces, and a validator estimate that refuses nested
comprehensions over unbounded lists (issue 13, item 1)."""

from __future__ import annotations

import asyncio
import time

import pytest

from flows.core import bounded
from flows.core.bounded import ExpressionLimits, LimitExceeded, evaluate_bounded
from flows.core.engine import Engine, EngineLimits
from flows.core.expressions import compile_expression
from flows.core.tools import InMemoryCatalog
from flows.core.validate import validate_flow
from tests.core.helpers import flow, run

COSTLY = "input.xs.map(a, input.xs.map(b, input.xs.filter(c, c > a + b))).size()"
XS_SCHEMA = {
    "type": "object",
    "properties": {"xs": {"type": "array", "items": {"type": "integer"}}},
}


def engine(**limits: float) -> Engine:
    return Engine(
        InMemoryCatalog(),
        limits=EngineLimits(expressions=ExpressionLimits(**limits)),  # type: ignore[arg-type]
    )


async def test_the_costly_expression_of_the_issue_fails_fast_naming_node_field_and_limit():
    ir = flow({"id": "cube", "type": "output", "value": COSTLY})
    started = time.perf_counter()
    result, sink = await run(engine(expression_s=1.0), ir, {"xs": list(range(200))})
    elapsed = time.perf_counter() - started

    assert result.status == "failed"
    error = result.error
    assert error is not None
    assert error["code"] == "expression_budget"
    assert error["node"] == "cube"
    assert error["field"] == "value"
    assert error["limit"] == 1.0
    assert "node 'cube', field 'value'" in error["message"]
    assert "budget of 1s" in error["message"]
    # The run took 45 s per attempt before; now the budget (plus a child's start) bounds it.
    assert elapsed < 5, elapsed
    assert "node.failed" in sink.types()


async def test_the_node_budget_bounds_many_costly_expressions_together():
    value = {f"k{i}": COSTLY for i in range(4)}
    ir = flow({"id": "many", "type": "value", "value": value})
    started = time.perf_counter()
    result, _ = await run(engine(expression_s=5.0, node_s=1.0), ir, {"xs": list(range(200))})
    assert result.status == "failed"
    assert result.error is not None
    assert result.error["code"] == "node_budget"
    assert result.error["field"] == "value.k0"
    assert time.perf_counter() - started < 5


async def test_the_same_expression_over_a_small_list_runs_inline_and_correctly():
    before = bounded.stats.inline
    ir = flow({"id": "cube", "type": "output", "value": COSTLY})
    result, _ = await run(engine(), ir, {"xs": [1, 2, 3, 4]})
    assert result.status == "completed"
    assert result.output == {"cube": 4}  # the outer map has one list per element
    assert bounded.stats.inline == before + 1


async def test_a_costly_evaluation_that_succeeds_in_the_child_returns_its_value():
    expression = compile_expression(COSTLY)
    before = bounded.stats.sandboxed
    value = await evaluate_bounded(
        expression, {"input": {"xs": list(range(30))}}, ExpressionLimits(expression_s=20)
    )
    assert value == 30
    assert bounded.stats.sandboxed == before + 1


async def test_doubling_values_hit_the_size_cap_at_the_node_that_crosses_it():
    nodes = [{"id": "d0", "type": "value", "value": "input.s"}]
    for i in range(1, 12):
        nodes.append({"id": f"d{i}", "type": "value", "value": f"d{i - 1} + d{i - 1}"})
    nodes.append({"id": "out", "type": "output", "value": "size(d11)"})
    # Budgets far above what the doubling takes even on a loaded machine: only the size
    # cap may stop it.
    limits = {"expression_s": 60.0, "node_s": 120.0}
    result, _ = await run(
        engine(max_value_bytes=1_000_000, **limits), flow(*nodes), {"s": "x" * 1000}
    )

    assert result.status == "failed"
    error = result.error
    assert error is not None
    assert error["code"] == "value_too_large"
    # 1000 * 2**10 = 1,024,000 characters: d10 is the first over a million bytes.
    assert error["node"] == "d10"
    assert error["limit"] == 1_000_000
    assert "node 'd10'" in error["message"]
    assert "1000000 bytes" in error["message"]


async def test_doubling_lists_hit_the_size_cap_too():
    nodes = [{"id": "l0", "type": "value", "value": "[1, 2, 3, 4]"}]
    for i in range(1, 24):
        nodes.append({"id": f"l{i}", "type": "value", "value": f"l{i - 1} + l{i - 1}"})
    # As above: generous budgets, so that only the size cap may stop it.
    result, _ = await run(
        engine(max_value_bytes=2_000_000, expression_s=60.0, node_s=120.0), flow(*nodes), {}
    )
    assert result.status == "failed", (result.status, result.error)
    assert result.error is not None
    assert result.error["code"] == "value_too_large"
    assert result.error["node"].startswith("l")


async def test_tool_inputs_over_the_cap_fail_the_node_before_the_call():
    calls = []

    async def echo(text: str, context: object) -> dict[str, int]:
        calls.append(len(text))
        return {"n": len(text)}

    from flows.core.tools import FunctionTool, ToolSpec

    catalog = InMemoryCatalog(
        [
            FunctionTool(
                ToolSpec(
                    id="echo",
                    name="Echo",
                    description="echo",
                    input_schema={"type": "object", "properties": {"text": {"type": "string"}}},
                ),
                echo,
            )
        ]
    )
    eng = Engine(catalog, limits=EngineLimits(expressions=ExpressionLimits(max_value_bytes=10_000)))
    ir = flow(
        {"id": "call", "type": "tool", "tool": "echo", "inputs": {"text": "input.s + input.s"}}
    )
    result, _ = await run(eng, ir, {"s": "y" * 6000})
    assert result.status == "failed"
    assert result.error is not None
    assert result.error["code"] == "value_too_large"
    assert result.error["field"] == "inputs"
    assert calls == []


async def test_cancelling_a_costly_evaluation_stops_it_at_once():
    expression = compile_expression(COSTLY)
    task = asyncio.ensure_future(
        evaluate_bounded(
            expression, {"input": {"xs": list(range(200))}}, ExpressionLimits(expression_s=60)
        )
    )
    await asyncio.sleep(1.0)  # the child has started and is computing
    assert not task.done()
    started = time.perf_counter()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.perf_counter() - started < 0.2


async def test_the_event_loop_keeps_turning_while_a_costly_expression_computes():
    expression = compile_expression(COSTLY)
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    beat = asyncio.ensure_future(heartbeat())
    with pytest.raises(LimitExceeded):
        await evaluate_bounded(
            expression, {"input": {"xs": list(range(200))}}, ExpressionLimits(expression_s=1.0)
        )
    beat.cancel()
    assert ticks >= 10  # ~20 expected in a second; the loop was never blocked for long


async def test_an_evaluation_that_explodes_in_memory_ends_the_child_not_the_process():
    expression = compile_expression("input.xs.map(a, input.xs.map(b, input.s + input.s))")
    limits = ExpressionLimits(expression_s=60, sandbox_memory_bytes=300 * 1024 * 1024)
    env = {"input": {"xs": list(range(400)), "s": "z" * 200_000}}
    with pytest.raises(LimitExceeded) as caught:
        await evaluate_bounded(expression, env, limits)
    assert caught.value.code in {"expression_memory", "expression_budget"}


def test_the_validator_refuses_the_costly_expression_over_unbounded_lists():
    ir = flow({"id": "cube", "type": "output", "value": COSTLY}, input_schema=XS_SCHEMA)
    issues = validate_flow(ir, InMemoryCatalog())
    assert [(i.code, i.node, i.field) for i in issues] == [("expression_error", "cube", "value")]
    assert "3 comprehensions" in issues[0].message
    assert "`input.xs`" in issues[0].message
    assert "maxItems" in (issues[0].hint or "")


def test_the_validator_accepts_bounded_or_shallow_nesting_and_refuses_huge_bounds():
    bounded_schema = {
        "type": "object",
        "properties": {"xs": {"type": "array", "maxItems": 20, "items": {"type": "integer"}}},
    }
    ok = flow({"id": "cube", "type": "output", "value": COSTLY}, input_schema=bounded_schema)
    assert validate_flow(ok, InMemoryCatalog()) == []
    shallow = flow(
        {"id": "pairs", "type": "output", "value": "input.xs.map(a, input.xs.filter(b, b > a))"},
        input_schema=XS_SCHEMA,
    )
    assert validate_flow(shallow, InMemoryCatalog()) == []
    huge_schema = {
        "type": "object",
        "properties": {"xs": {"type": "array", "maxItems": 100_000, "items": {"type": "integer"}}},
    }
    huge = flow(
        {"id": "pairs", "type": "output", "value": "input.xs.map(a, input.xs.filter(b, b > a))"},
        input_schema=huge_schema,
    )
    issues = validate_flow(huge, InMemoryCatalog())
    assert [i.code for i in issues] == ["expression_error"]
    assert "10,000,000" in issues[0].message
