"""Helpers for run tests: polling with a deadline, flow builders, reading the call log."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def wait_for(
    condition: Callable[[], Any], timeout: float = 20.0, interval: float = 0.05, what: str = ""
) -> Any:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what or condition}")
        time.sleep(interval)


def chain(n: int, tool: str = "t_slow", **extra: Any) -> dict[str, Any]:
    """n tool nodes in a row; t_slow nodes read `seconds` and `log` from the run input."""
    inputs = {"seconds": "input.seconds", "log": "input.log"} if tool != "t_noop" else {}
    nodes = []
    for i in range(1, n + 1):
        node: dict[str, Any] = {"id": f"n{i}", "type": "tool", "tool": tool, "inputs": inputs}
        if i > 1:
            node["after"] = [f"n{i - 1}"]
        nodes.append(node)
    return {"name": f"chain{n}", "nodes": nodes, "max_steps": n + 1, **extra}


def approval_flow() -> dict[str, Any]:
    return {
        "name": "approve",
        "nodes": [
            {"id": "first", "type": "tool", "tool": "t_noop"},
            {
                "id": "ok",
                "type": "approval",
                "after": ["first"],
                "form_schema": {
                    "type": "object",
                    "properties": {"amount": {"type": "integer", "maximum": 100}},
                    "required": ["amount"],
                },
                "assignees": {"users": ["bob"]},
            },
            {"id": "result", "type": "output", "value": "ok.data.amount"},
        ],
    }


def calls(log: Path) -> list[tuple[str, str, int, float]]:
    rows = []
    for line in log.read_text().splitlines():
        what, node, pid, ts = line.split()
        rows.append((what, node, int(pid), float(ts)))
    return rows


def count(log: Path, what: str) -> Counter[str]:
    return Counter(node for w, node, _, _ in calls(log) if w == what)


def max_overlap(log: Path) -> int:
    """Most invocations in flight at once, from start/end lines (across processes)."""
    edges = sorted((ts, 1 if w == "start" else -1) for w, _, _, ts in calls(log))
    current = best = 0
    for _, step in edges:
        current += step
        best = max(best, current)
    return best
