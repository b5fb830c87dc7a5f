"""Helpers for the planner tests over the demo tools plus tools an admin registers: the
catalogue they make together, a plan that must validate, and what its steps send."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flows.core.ir import Flow, MapNode, ToolNode
from flows.core.planner.evaluation import _registered_spec
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.session import plan_flow
from flows.core.tools import FunctionTool, InMemoryCatalog, ToolSpec
from flows.core.validate import validate_flow


async def _nothing(**inputs: Any) -> dict[str, Any]:
    return {}


def demo_catalog_with(registered: Sequence[ToolSpec]) -> InMemoryCatalog:
    """The demo pack's tools and `registered` (stand-ins that return nothing)."""
    from tools_registry.catalog import default_catalog

    demo = default_catalog()
    tools = [FunctionTool(spec, _nothing) for spec in registered]
    return InMemoryCatalog([*(demo.get(spec.id) for spec in demo.specs()), *tools])


#: The planner's evaluation files (their `registered_tools` are catalogues tests plan over).
EVALS = Path(__file__).resolve().parents[2] / "evals" / "planner"


def eval_catalog(name: str) -> InMemoryCatalog:
    """The demo pack plus the tools the eval file `name` registers, as the evaluation
    registers them."""
    data = json.loads((EVALS / name).read_text())
    return demo_catalog_with([_registered_spec(spec) for spec in data["registered_tools"]])


def plan(prompt: str, catalog: InMemoryCatalog) -> Flow:
    """The offline planner's flow for `prompt`, which must plan and validate."""
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)
    assert result.ok, result.error and result.error.to_json()
    assert validate_flow(result.flow, catalog) == []
    return result.flow


def steps(flow: Flow) -> dict[str, dict[str, str]]:
    """Each tool (or map) step's inputs, by tool id."""
    return {
        node.tool: dict(node.inputs) for node in flow.nodes if isinstance(node, ToolNode | MapNode)
    }
