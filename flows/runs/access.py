"""Tool permissions for runs: refused when a run is created, and again when it executes.

`run_tools_check` is what run and batch creation call (403 `tool_not_permitted`, naming the
node and the tool). `run_tools_refusal` is what a worker asks before it runs the engine, so
a permission withdrawn while the run waited still stops it; it keeps the registry's list
of restricted tools for `DYNAMICFLOW_TOOLS_TTL_S`, so a flow that uses none of them costs
no query.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from flows.core.ir import Flow, MapNode, ToolNode
from flows.runs import conf
from flows.runs.errors import RunServiceError
from tools_registry.access import ToolAccess, restricted_tools, tools_refused

#: (time.monotonic() until which it is fresh, the restricted tools)
_cache: tuple[float, dict[str, ToolAccess]] | None = None


def _tool_nodes(flow: Flow) -> Iterator[tuple[str, str]]:
    for node in flow.nodes:
        if isinstance(node, ToolNode | MapNode):
            yield node.id, node.tool


def _first_refusal(user: Any, flow: Flow, restricted: dict[str, ToolAccess]) -> dict[str, Any]:
    nodes = list(_tool_nodes(flow))
    if not any(tool in restricted for _, tool in nodes):
        return {}
    refused = tools_refused(user, {tool for _, tool in nodes}, restricted=restricted)
    for node_id, tool in nodes:
        if tool in refused:
            who = getattr(user, "get_username", lambda: "this user")()
            return {
                "code": "tool_not_permitted",
                "message": f"node `{node_id}` calls tool `{tool}`, which {who} may not use: "
                           f"{refused[tool]}",
                "node": node_id,
                "tool": tool,
            }
    return {}


def run_tools_check(*, user: Any, flow: Flow) -> None:
    """Raise 403 `tool_not_permitted` when `user` may not use a tool the flow calls."""
    refusal = _first_refusal(user, flow, restricted_tools())
    if refusal:
        raise RunServiceError(
            "tool_not_permitted", refusal["message"], status=403,
            details={"node": refusal["node"], "tool": refusal["tool"]},
        )


def _fresh_restricted() -> dict[str, ToolAccess] | None:
    """The cached restricted tools, unless stale."""
    cached = _cache
    return cached[1] if cached is not None and time.monotonic() <= cached[0] else None


def _restricted() -> dict[str, ToolAccess]:
    global _cache
    restricted = _fresh_restricted()
    if restricted is None:
        # fresh until then: the TTL is read once here, not by every run that checks
        restricted = restricted_tools()
        _cache = (time.monotonic() + conf.tools_ttl_s(), restricted)
    return restricted


def tools_check_needed(flow: Flow) -> bool:
    """Whether `run_tools_refusal` has anything to do (no query: False when the cached list
    of restricted tools is fresh and names none of the flow's tools)."""
    restricted = _fresh_restricted()
    if restricted is None:
        return True
    return any(tool in restricted for _, tool in _tool_nodes(flow))


def forget_restricted() -> None:
    """Re-read the restricted tools on next use (after this process changed one)."""
    global _cache
    _cache = None


def run_tools_refusal(run_id: str, flow: Flow) -> dict[str, Any] | None:
    """The run's error when whoever requested it may not use a tool it calls (else None)."""
    restricted = _restricted()
    if not any(tool in restricted for _, tool in _tool_nodes(flow)):
        return None
    from flows.models import Run

    run = Run.objects.select_related("requested_by").filter(pk=run_id).first()
    user = run.requested_by if run is not None else None
    return _first_refusal(user, flow, restricted) or None
