"""The validator and the runtime agree: every function the validator admits exists when a
node runs, an unknown one is refused by the validator, and a version marked invalid is
refused when a run is started (issue 13, item 5)."""

from __future__ import annotations

from typing import Any

import pytest

from flows.core.cel_functions import known_functions
from flows.core.engine import Engine
from flows.core.tools import InMemoryCatalog
from flows.core.validate import validate_flow
from tests.core.helpers import flow, run

TS = "timestamp('2024-03-05T06:07:08.009Z')"

#: One expression per admitted function, and the value it must give.
EXAMPLES: dict[str, tuple[str, Any]] = {
    "size": ("size(input.s)", 11),
    "contains": ("input.s.contains('world') && [1, 2].contains(2)", True),
    "startsWith": ("input.s.startsWith('hello')", True),
    "endsWith": ("input.s.endsWith('world')", True),
    "matches": ("input.s.matches('^h.*d$')", True),
    "int": ("int('42')", 42),
    "uint": ("int(uint(7))", 7),
    "double": ("double(3)", 3.0),
    "string": ("string(12)", "12"),
    "bytes": ("size(bytes('abc'))", 3),
    "bool": ("bool('true')", True),
    "timestamp": (f"string({TS})", "2024-03-05T06:07:08.009+00:00"),
    "duration": ("duration('90s') == duration('1m30s')", True),
    "dyn": ("dyn(5) + 1", 6),
    "type": ("type(1) == int", True),
    "has": ("has(input.s)", True),
    "getFullYear": (f"{TS}.getFullYear()", 2024),
    "getMonth": (f"{TS}.getMonth()", 2),
    "getDayOfMonth": (f"{TS}.getDayOfMonth()", 4),
    "getDate": (f"{TS}.getDate()", 5),
    "getDayOfWeek": (f"{TS}.getDayOfWeek()", 2),
    "getDayOfYear": (f"{TS}.getDayOfYear()", 64),
    "getHours": (f"{TS}.getHours()", 6),
    "getMinutes": (f"{TS}.getMinutes()", 7),
    "getSeconds": (f"{TS}.getSeconds()", 8),
    "getMilliseconds": (f"{TS}.getMilliseconds()", 9),
    "optional.of": ("optional.of(1).value()", 1),
    "optional.none": ("optional.none().hasValue()", False),
    "optional.ofNonZeroValue": ("optional.ofNonZeroValue(0).hasValue()", False),
    "hasValue": ("optional.of(1).hasValue()", True),
    "value": ("optional.of('v').value()", "v"),
    "orValue": ("optional.none().orValue(3)", 3),
    "or": ("optional.none().or(optional.of(2)).value()", 2),
    "charAt": ("input.s.charAt(1)", "e"),
    "indexOf": ("input.s.indexOf('o')", 4),
    "lastIndexOf": ("input.s.lastIndexOf('o')", 7),
    "substring": ("input.s.substring(6, 11)", "world"),
    "replace": ("input.s.replace('world', 'there')", "hello there"),
    "split": ("input.s.split(' ')", ["hello", "world"]),
    "join": ("['a', 'b', 'c'].join('-')", "a-b-c"),
    "lowerAscii": ("'ABC'.lowerAscii()", "abc"),
    "upperAscii": ("input.s.upperAscii()", "HELLO WORLD"),
    "trim": ("'  x  '.trim()", "x"),
    "reverse": ("'abc'.reverse() + string([1, 2].reverse()[0])", "cba2"),
    "format": (
        "'%s has %d items costing %.2f'.format(['cart', 3, 9.5])",
        "cart has 3 items costing 9.50",
    ),
    "strings.format": ("strings.format('%s-%x', ['id', 255])", "id-ff"),
    "strings.quote": ("strings.quote('a\"b')", '"a\\"b"'),
    "min": ("min([3, 1, 2])", 1),
    "max": ("max(3, 9)", 9),
    "sum": ("sum([1, 2, 3])", 6),
    "math.greatest": ("math.greatest([1, 5, 3])", 5),
    "math.least": ("math.least(4, 2)", 2),
    "math.abs": ("math.abs(-3)", 3),
    "math.sign": ("math.sign(-2)", -1),
    "math.ceil": ("math.ceil(1.2)", 2.0),
    "math.floor": ("math.floor(1.8)", 1.0),
    "math.round": ("math.round(2.5)", 3.0),
    "math.trunc": ("math.trunc(-1.7)", -1.0),
    "math.isNaN": ("math.isNaN(1.0)", False),
    "math.isInf": ("math.isInf(1.0)", False),
    "math.isFinite": ("math.isFinite(1.0)", True),
    "math.sqrt": ("math.sqrt(16)", 4.0),
    "math.bitOr": ("math.bitOr(1, 2)", 3),
    "math.bitAnd": ("math.bitAnd(3, 1)", 1),
    "math.bitXor": ("math.bitXor(3, 1)", 2),
    "math.bitNot": ("math.bitNot(0)", -1),
    "math.bitShiftLeft": ("math.bitShiftLeft(1, 4)", 16),
    "math.bitShiftRight": ("math.bitShiftRight(16, 2)", 4),
    "distinct": ("[1, 2, 1].distinct()", [1, 2]),
    "flatten": ("[[1], [2, 3]].flatten()", [1, 2, 3]),
    "slice": ("[1, 2, 3, 4].slice(1, 3)", [2, 3]),
    "sort": ("[3, 1, 2].sort()", [1, 2, 3]),
    "first": ("[7, 8].first().value()", 7),
    "last": ("[7, 8].last().value()", 8),
    "sets.contains": ("sets.contains([1, 2, 3], [2])", True),
    "sets.equivalent": ("sets.equivalent([1, 2], [2, 1])", True),
    "sets.intersects": ("sets.intersects([1], [1, 2])", True),
    "base64.encode": ("base64.encode(bytes('hi'))", "aGk="),
    "base64.decode": ("size(base64.decode('aGk='))", 2),
}


def test_every_admitted_function_has_an_example():
    assert sorted(EXAMPLES) == known_functions()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
async def test_each_admitted_function_validates_and_runs(name):
    source, expected = EXAMPLES[name]
    ir = flow(
        {"id": "out", "type": "output", "value": source},
        input_schema={"type": "object", "properties": {"s": {"type": "string"}}},
    )
    assert validate_flow(ir, InMemoryCatalog()) == []
    result, _ = await run(Engine(InMemoryCatalog()), ir, {"s": "hello world"})
    assert result.status == "completed", result.error
    assert result.output == {"out": expected}


def test_the_validator_refuses_a_function_that_does_not_exist():
    ir = flow({"id": "out", "type": "output", "value": "'abc'.substr(1)"})
    issues = validate_flow(ir, InMemoryCatalog())
    assert [(i.code, i.node, i.field) for i in issues] == [("expression_error", "out", "value")]
    assert "`substr`" in issues[0].message
    assert "Did you mean `substring`?" in (issues[0].hint or "")


@pytest.mark.django_db
def test_a_version_marked_invalid_is_refused_when_a_run_is_started(user, make_version):
    from rest_framework.test import APIClient

    from flows.models import Run

    issues = [
        {
            "code": "unknown_tool",
            "message": "Node `a` uses `nope`.",
            "node": "a",
            "field": "tool",
            "hint": "Use a tool from the catalogue.",
        }
    ]
    version = make_version(
        {"name": "bad", "nodes": [{"id": "a", "type": "value", "value": "1"}]}, is_valid=False
    )
    version.validation_errors = issues
    version.save()
    api = APIClient()
    api.force_authenticate(user)
    response = api.post("/api/v1/runs/", {"flow_version": version.id, "input": {}}, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_flow"
    assert error["details"]["issues"] == issues
    assert "Node `a` uses `nope`." in error["message"]
    batch = api.post(
        "/api/v1/runs/batch/", {"flow_version": version.id, "inputs": [{}]}, format="json"
    )
    assert batch.status_code == 400
    assert not Run.objects.exists()
