"""Operators given values CEL cannot combine are refused when the flow is validated, not
when a run reaches them: each refused expression here does fail at run time for some value
of its declared type, and each accepted one evaluates for every such value."""

from __future__ import annotations

from typing import Any

import pytest

from flows.core.expressions import ExpressionError, evaluate
from flows.core.validate import operand_problems, validate_flow

INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "amount": {"type": "number"},
        "count": {"type": "integer"},
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "urgent": {"type": "boolean"},
    },
}
SCOPE = {"input": INPUT_SCHEMA}
#: Run inputs that fit the schema; a JSON number comes whole and not.
INPUTS = [
    {"amount": 6000, "count": 3, "name": "Ada", "tags": ["a"], "urgent": True},
    {"amount": 6000.5, "count": 3, "name": "Ada", "tags": ["a"], "urgent": False},
]

REFUSED = [
    ('"Count: " + input.count', "adds a string and an int", "string(input.count)"),
    ('input.name + input.amount', "adds a string and a number", "string(input.amount)"),
    ("input.tags + input.name", "adds a list and a string", "list + [value]"),
    ("input.amount * 1.1", "is a JSON number", "double(input.amount)"),
    ("input.amount + 1", "is a JSON number", "write whole literals as `2.0`"),
    ("input.count * 1.5", "mixes an int (`input.count`) with a double", "double(input.count)"),
    ("double(input.amount) * 2", "mixes an int (`2`) with a double", "Write `2.0`."),
    ("size(input.tags) / 2.0", "mixes an int", "double(size(input.tags))"),
    ("input.name - 1", "subtracts a string", "int(...) or double(...)"),
    ("input.name > 3", "orders a string against an int", "int(x)"),
    ("input.name && input.urgent", "`&&` needs a bool", 'input.name != ""'),
    ("!input.tags", "`!` needs a bool", "size(input.tags) > 0"),
    ("input.count ? 1 : 2", "a condition (`? :`) needs a bool", "input.count != 0"),
    ('input.tags.map(t, t + 1)', "adds a string and an int", "string(1)"),
]

ACCEPTED = [
    '"Count: " + string(input.count)',
    "double(input.amount) * 1.1",
    "double(input.amount) + 1.0",
    "input.count * 2",
    "input.amount > 5000",
    "input.count > 2.5",
    "input.count == 3.0",
    "input.amount * input.amount",
    "size(input.tags) > 0 && input.urgent",
    'input.tags + ["b"]',
    'input.urgent ? "yes" : "no"',
    'input.tags.map(t, t + "!")',
    'input.name + " " + input.name',
]


@pytest.mark.parametrize(("source", "says", "fix"), REFUSED)
def test_an_expression_that_fails_at_run_time_is_refused_with_its_fix(
    source: str, says: str, fix: str
) -> None:
    problems = operand_problems(source, SCOPE)

    assert len(problems) == 1, problems
    message, hint = problems[0]
    assert says in message
    assert fix in hint
    # And it does fail when a run reaches it, for some input of the declared types.
    failures = 0
    for run_input in INPUTS:
        try:
            evaluate(source, {"input": run_input})
        except ExpressionError:
            failures += 1
    assert failures >= 1, source


@pytest.mark.parametrize("source", ACCEPTED)
def test_an_expression_that_evaluates_for_every_input_is_accepted(source: str) -> None:
    assert operand_problems(source, SCOPE) == []
    for run_input in INPUTS:
        evaluate(source, {"input": run_input})


def test_a_string_compared_with_a_number_is_refused_as_always_false() -> None:
    (problem, hint), = operand_problems('input.name == 200', SCOPE)

    assert "always false" in problem
    assert '"200"' in hint
    assert evaluate('input.name == 200', {"input": INPUTS[0]}) is False


def test_values_of_unknown_type_are_never_refused() -> None:
    # An output with no schema, a field no schema names: nothing is known, nothing said.
    scope = {"input": {"type": "object"}, "step": None}

    assert operand_problems('"Total: " + step.total', scope) == []
    assert operand_problems("input.price * 1.1", scope) == []
    assert operand_problems("this is not CEL", scope) == []


def test_the_validator_names_the_node_and_field() -> None:
    flow = {
        "ir_version": "1.0",
        "name": "Quote",
        "input_schema": INPUT_SCHEMA,
        "nodes": [
            {"id": "quote", "type": "value", "value": {"total": "input.amount * 1.2"}},
            {"id": "result", "type": "output", "value": "quote.total"},
        ],
    }

    issues = validate_flow(flow, [])

    assert [(i.code, i.node, i.field) for i in issues] == [
        ("operand_types", "quote", "value.total")
    ]
    assert "double(input.amount)" in (issues[0].hint or "")
    flow["nodes"][0]["value"]["total"] = "double(input.amount) * 1.2"
    assert validate_flow(flow, []) == []
