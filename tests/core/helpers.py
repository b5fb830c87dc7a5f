"""Small tools and runners for engine tests (no Django, no database)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from flows.core.engine import Engine, RunResult
from flows.core.events import ListSink
from flows.core.ir import parse_flow
from flows.core.tools import (
    FunctionTool,
    InMemoryCatalog,
    RetryableToolError,
    ToolConfig,
    ToolError,
    ToolSpec,
)

NUMBER_IN = {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]}
NUMBER_OUT = {"type": "object", "properties": {"y": {"type": "integer"}}}


class Recorder:
    """Tools that record every call, so tests can count executions and their order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.flaky_failures: Counter[str] = Counter()
        self.active = 0
        self.peak = 0
        self.release = asyncio.Event()
        self.entered = asyncio.Event()

    def count(self, node_id: str) -> int:
        return sum(1 for call_node, _ in self.calls if call_node == node_id)

    def catalog(self, *, slow_concurrency: int | None = None) -> InMemoryCatalog:
        async def double(x: int, context: Any) -> dict[str, int]:
            self.calls.append((context.node_id, {"x": x}))
            return {"y": x * 2}

        async def noop(context: Any) -> dict[str, bool]:
            self.calls.append((context.node_id, {}))
            return {"ok": True}

        async def slow(context: Any) -> dict[str, bool]:
            self.calls.append((context.node_id, {}))
            self.active += 1
            self.peak = max(self.peak, self.active)
            try:
                await asyncio.sleep(0.02)
            finally:
                self.active -= 1
            return {"ok": True}

        async def hang(context: Any) -> dict[str, bool]:
            self.calls.append((context.node_id, {}))
            await asyncio.sleep(3600)
            return {"ok": True}

        async def flaky(context: Any, failures: int = 2) -> dict[str, int]:
            key = f"{context.run_id}/{context.node_id}"
            self.calls.append((context.node_id, {"attempt": context.attempt}))
            if self.flaky_failures[key] < failures:
                self.flaky_failures[key] += 1
                raise RetryableToolError("temporarily unavailable", code="unavailable")
            return {"attempts": context.attempt}

        async def broken(context: Any) -> dict[str, bool]:
            self.calls.append((context.node_id, {}))
            raise ToolError("card declined", code="declined")

        async def gate(context: Any) -> dict[str, bool]:
            self.calls.append((context.node_id, {}))
            self.entered.set()
            await self.release.wait()
            return {"ok": True}

        any_in = {"type": "object"}
        return InMemoryCatalog(
            [
                FunctionTool(
                    ToolSpec("double", "Double", "x*2", "math", NUMBER_IN, NUMBER_OUT), double
                ),
                FunctionTool(ToolSpec("noop", "No-op", "nothing", "test", any_in), noop),
                FunctionTool(
                    ToolSpec(
                        "slow",
                        "Slow",
                        "sleeps 20 ms",
                        "test",
                        any_in,
                        config=ToolConfig(concurrency=slow_concurrency),
                    ),
                    slow,
                ),
                FunctionTool(
                    ToolSpec(
                        "hang",
                        "Hang",
                        "never returns",
                        "test",
                        any_in,
                        config=ToolConfig(timeout_s=0.05),
                    ),
                    hang,
                ),
                FunctionTool(ToolSpec("flaky", "Flaky", "fails twice", "test", any_in), flaky),
                FunctionTool(ToolSpec("broken", "Broken", "always fails", "test", any_in), broken),
                FunctionTool(ToolSpec("gate", "Gate", "waits for release", "test", any_in), gate),
            ]
        )


class NoSleepClock:
    """Backoff delays are recorded, not slept, so retry tests are instant."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def now(self) -> float:
        return 0.0

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


async def run(
    engine: Engine, ir: dict[str, Any], run_input: dict[str, Any] | None = None, **kwargs: Any
) -> tuple[RunResult, ListSink]:
    sink = ListSink()
    result = await engine.run(
        parse_flow(ir), run_input or {}, run_id=kwargs.pop("run_id", "run-1"), sink=sink, **kwargs
    )
    return result, sink


def flow(*nodes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": "test", "nodes": list(nodes), **extra}
