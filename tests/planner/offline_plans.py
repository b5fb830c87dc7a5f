"""Planning with the offline planner in tests: a plan that must succeed and validate, or a
request that must be refused."""

from __future__ import annotations

from flows.core.ir import Flow
from flows.core.planner.base import PlanningError
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.session import plan_flow
from flows.core.tools import ToolCatalog
from flows.core.validate import validate_flow


def plan(prompt: str, catalog: ToolCatalog) -> Flow:
    """The flow planned for the prompt; it fails the test when planning fails or the flow
    does not validate, with the planner's reason in the message."""
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)
    assert result.ok, result.error and result.error.to_json()
    assert result.flow is not None
    assert validate_flow(result.flow, catalog) == []
    return result.flow


def refusal(prompt: str, catalog: ToolCatalog) -> PlanningError:
    """The planner's error for a request it must refuse; a plan fails the test."""
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)
    assert not result.ok, result.flow
    assert result.error is not None
    return result.error
