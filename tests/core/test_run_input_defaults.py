"""A run input field left out reads as its schema's `default`, on the first start and on a
resume; a field with neither a default nor `required` that a node reads is warned of."""

from __future__ import annotations

import json
from typing import Any

from flows.core.checkpoints import Checkpoint, InMemoryCheckpointStore
from flows.core.engine import ApprovalDecision, Engine
from flows.core.ir import parse_flow
from flows.core.json_schemas import with_defaults
from flows.core.optional_inputs import optional_input_warnings
from tests.core.helpers import NoSleepClock, Recorder, flow, run

INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "amount": {"type": "integer"},
        "note": {"type": "string", "default": "none"},
        "options": {
            "type": "object",
            "properties": {"rush": {"type": "boolean", "default": False}},
        },
    },
    "required": ["amount"],
}


def test_with_defaults_fills_what_is_left_out_at_any_depth_and_nothing_else() -> None:
    given = {"amount": 3, "options": {}}

    filled = with_defaults(INPUT_SCHEMA, given)

    assert filled == {"amount": 3, "note": "none", "options": {"rush": False}}
    assert given == {"amount": 3, "options": {}}  # the caller's value is not changed
    complete = {"amount": 3, "note": "x", "options": {"rush": True}}
    assert with_defaults(INPUT_SCHEMA, complete) is complete
    assert with_defaults({"type": "object"}, given) is given
    assert with_defaults(INPUT_SCHEMA, "not an object") == "not an object"


async def test_a_left_out_field_reads_as_its_default_and_the_start_event_shows_it() -> None:
    engine = Engine(Recorder().catalog(), clock=NoSleepClock())
    ir = flow(
        {"id": "out", "type": "output", "value": {"note": "input.note", "n": "input.amount"}},
        input_schema=INPUT_SCHEMA,
    )

    result, sink = await run(engine, ir, {"amount": 2})

    assert result.status == "completed", result.error
    assert result.output == {"out": {"note": "none", "n": 2}}
    assert sink.events[0].data == {"input": {"amount": 2, "note": "none"}}
    given, _ = await run(engine, ir, {"amount": 2, "note": "rush it"}, run_id="run-2")
    assert given.output == {"out": {"note": "rush it", "n": 2}}


async def test_a_resumed_run_reads_the_default_too() -> None:
    recorder = Recorder()
    engine = Engine(recorder.catalog(), store=InMemoryCheckpointStore())
    ir = flow(
        {"id": "ok", "type": "approval", "form_schema": {"type": "object"}},
        {"id": "out", "type": "output", "value": "input.note", "after": ["ok"]},
        input_schema=INPUT_SCHEMA,
    )
    first, _ = await run(engine, ir, {"amount": 1})
    assert first.status == "suspended"

    # The stored checkpoint holds the input as given, without the default.
    stored = json.loads(json.dumps(first.checkpoint.to_json()))
    assert "note" not in stored["input"]
    second, _ = await run(
        Engine(recorder.catalog()),
        ir,
        checkpoint=Checkpoint.from_json(stored),
        decisions={"ok": ApprovalDecision(True, {}, by="fiona")},
    )

    assert second.status == "completed", second.error
    assert second.output == {"out": "none"}


def test_reading_an_optional_field_without_a_default_is_warned_of_where_it_is_read() -> None:
    schema = {
        "type": "object",
        "properties": {"email": {"type": "string"}, "note": {"type": "string"},
                       "tone": {"type": "string", "default": "warm"}},
        "required": ["email"],
    }
    ir = parse_flow(flow(
        {"id": "a", "type": "value", "value": {"to": "input.email", "tone": "input.tone"}},
        {"id": "b", "type": "value", "value": '"Note: " + input.note'},
        {"id": "c", "type": "value", "value": 'has(input.note) ? input.note : ""'},
        {"id": "d", "type": "value", "when": "has(input.note)", "value": "input.note"},
        {"id": "e", "type": "value", "value": '"input.note is optional"'},
        input_schema=schema,
    ))

    warnings = list(optional_input_warnings(ir))

    assert [(w.code, w.node, w.field) for w in warnings] == [("optional_input", "b", "value")]
    assert "input.note" in warnings[0].message
    assert "has(input.note)" in (warnings[0].hint or "")
