"""The engine builds its events and records field by field (engine.emit, _completed),
without the dataclass's __init__: every field must still be set, including any added later."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from flows.core.checkpoints import InMemoryCheckpointStore
from flows.core.engine import Engine
from flows.core.events import ListSink
from flows.core.ir import parse_flow
from flows.core.tools import FunctionTool, InMemoryCatalog, ToolSpec


async def _echo(value: int) -> dict[str, int]:
    return {"value": value}


def _echo_node(node_id: str, value: str, after: list[str] | None = None) -> dict[str, Any]:
    node = {"id": node_id, "type": "tool", "tool": "echo", "inputs": {"value": value}}
    return node | ({"after": after} if after else {})


def test_every_field_of_emitted_events_and_stored_records_is_set() -> None:
    catalog = InMemoryCatalog([FunctionTool(ToolSpec("echo", "Echo", "Echoes."), _echo)])
    flow = parse_flow(
        {
            "name": "objects",
            "nodes": [
                _echo_node("a", "1"),
                _echo_node("b", "2", after=["a"]),
                _echo_node("c", "3", after=["a"]),
            ],
        }
    )
    store = InMemoryCheckpointStore()
    engine = Engine(catalog, store=store)
    sink = ListSink()
    result = asyncio.run(engine.run(engine.compile(flow), {}, run_id="r1", sink=sink))

    assert result.status == "completed", result
    # asdict reads every field: one left unset raises AttributeError (slots dataclasses)
    events: list[dict[str, Any]] = [dataclasses.asdict(e) for e in sink.events]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    ended = [e for e in events if e["type"] == "node.output"]
    assert {e["node_id"] for e in ended} == {"a", "b", "c"}
    assert all(e["duration_ms"] is not None and e["duration_ms"] >= 0 for e in ended)
    assert all(e["run_id"] == "r1" and e["ts"] > 0 for e in events)
    records = [dataclasses.asdict(r) for r in store.checkpoints["r1"].nodes.values()]
    assert {r["node_id"]: r["output"] for r in records} == {
        "a": {"value": 1},
        "b": {"value": 2},
        "c": {"value": 3},
    }
    assert all(r["status"] == "completed" and r["error"] is None for r in records)
    assert all(r["finished_at"] >= r["started_at"] > 0 for r in records)
