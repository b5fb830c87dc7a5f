"""Checking a draft plan: structural parsing (pydantic) then the validator (type-checker).

Planners call this through `PlanContext.check`; issues come back as JSON objects with
code, message, node, field and hint, the shape the repair prompt and the API show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from flows.core.ir import Flow, Join, parse_flow
from flows.core.tools import Tool, ToolCatalog, ToolSpec
from flows.core.validate import validate_flow


@dataclass(slots=True)
class CheckResult:
    flow: Flow | None
    issues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.flow is not None and not self.issues


class SubsetCatalog:
    """A view of a catalogue restricted to some tool ids (a plan may use only those)."""

    def __init__(self, catalog: ToolCatalog, tool_ids: Iterable[str]) -> None:
        self._catalog = catalog
        self._ids = set(tool_ids)

    def get(self, tool_id: str) -> Tool | None:
        return self._catalog.get(tool_id) if tool_id in self._ids else None

    def specs(self) -> list[ToolSpec]:
        return [spec for spec in self._catalog.specs() if spec.id in self._ids]


def check_plan(
    data: dict[str, Any] | Flow,
    catalog: ToolCatalog | Sequence[ToolSpec],
    joins: Sequence[Join] = (),
) -> CheckResult:
    """Parse `data` as IR and run the validator; never raises for a bad plan."""
    if isinstance(data, Flow):
        flow: Flow | None = data
    else:
        try:
            flow = parse_flow(data)
        except ValidationError:
            flow = None  # the validator turns the pydantic errors into schema issues
    issues = validate_flow(flow if flow is not None else data, catalog, joins=tuple(joins))
    return CheckResult(flow, [issue.to_json() for issue in issues])


def format_issues(issues: Sequence[dict[str, Any]], *, limit: int = 25) -> str:
    """Issues as a bullet list a model (or a person) can act on."""
    lines = []
    for issue in issues[:limit]:
        where = []
        if issue.get("node"):
            where.append(f"node '{issue['node']}'")
        if issue.get("field"):
            where.append(f"field '{issue['field']}'")
        prefix = f"[{', '.join(where)}] " if where else ""
        line = f"- {prefix}{issue.get('code', 'error')}: {issue.get('message', '')}"
        if issue.get("hint"):
            line += f" Fix: {issue['hint']}"
        lines.append(line)
    if len(issues) > limit:
        lines.append(f"- … and {len(issues) - limit} more")
    return "\n".join(lines)
