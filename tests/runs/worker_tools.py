"""Tools for run tests, importable by the worker processes (DYNAMICFLOW_EXTRA_TOOLS).

Tools that record invocations append one line per event to the file named by their `log`
input: "<event> <node> <pid> <time>", so a test can count executions across processes.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from flows.core.tools import FunctionTool, ToolContext, ToolError, ToolSpec


def _record(log: str | None, what: str, context: ToolContext) -> None:
    if not log:
        return
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{what} {context.node_id} {os.getpid()} {time.time():.6f}\n")
        handle.flush()


async def noop(context: ToolContext) -> dict[str, Any]:
    return {"ok": True}


async def slow(
    context: ToolContext, seconds: float = 0.2, log: str | None = None, value: Any = None
) -> dict[str, Any]:
    _record(log, "start", context)
    await asyncio.sleep(seconds)
    _record(log, "end", context)
    return {"node": context.node_id, "value": value}


async def fail(context: ToolContext, message: str = "boom") -> dict[str, Any]:
    raise ToolError(message, code="test_failure")


def _spec(tool_id: str, properties: dict[str, Any] | None = None) -> ToolSpec:
    return ToolSpec(
        id=tool_id,
        name=tool_id,
        description=f"test tool {tool_id}",
        input_schema={"type": "object", "properties": properties or {}},
    )


_SLOW_INPUTS = {
    "seconds": {"type": "number"},
    "log": {"type": "string"},
    "value": {},
}

TOOLS = [
    FunctionTool(_spec("t_noop"), noop),
    FunctionTool(_spec("t_slow", _SLOW_INPUTS), slow),
    # The same as t_slow; the tests limit it across workers through DYNAMICFLOW_TOOL_LIMITS.
    FunctionTool(_spec("t_limited", _SLOW_INPUTS), slow),
    FunctionTool(_spec("t_fail", {"message": {"type": "string"}}), fail),
]
