"""Checking a draft plan: structural parsing (pydantic) then the validator (type-checker).

Planners call this through `PlanContext.check`; issues come back as JSON objects with
code, message, node, field and hint, the shape the repair prompt and the API show.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from flows.core.ir import NODE_TYPES, Flow, Join, parse_flow
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
    """Parse `data` as IR and run the validator; never raises for a bad plan.

    A draft with structural faults (a field the IR does not have) is also checked with
    those fields left out, so that the issues behind them (an unknown tool, a missing
    input) come back in the same round instead of one round later. An unknown tool's hint
    suggests the tool closest in meaning, and only one that is really close.
    """
    leniently_parsed: Flow | None = None
    if isinstance(data, Flow):
        flow: Flow | None = data
    else:
        try:
            flow = parse_flow(data)
        except ValidationError as exc:
            flow = None  # the validator turns the pydantic errors into schema issues
            leniently_parsed = _without_extra_fields(data, exc)
    found = [
        issue.to_json()
        for issue in validate_flow(flow if flow is not None else data, catalog, joins=tuple(joins))
    ]
    if leniently_parsed is not None:
        seen = {(i.get("code"), i.get("node"), i.get("field")) for i in found}
        for issue in validate_flow(leniently_parsed, catalog, joins=tuple(joins)):
            item = issue.to_json()
            if (item.get("code"), item.get("node"), item.get("field")) not in seen:
                found.append(item)
    specs = catalog if isinstance(catalog, Sequence) else catalog.specs()
    return CheckResult(flow, [_with_suggestion(issue, data, specs) for issue in found])


def _without_extra_fields(data: Any, error: ValidationError) -> Flow | None:
    """`data` with the fields pydantic called extra removed, parsed (None if still bad)."""
    if not isinstance(data, dict):
        return None
    copy = json.loads(json.dumps(data, default=str))
    removed = False
    for item in error.errors(include_url=False):
        if item.get("type") != "extra_forbidden":
            continue
        target: Any = copy
        path = [part for part in item.get("loc", ()) if not _is_union_tag(part)]
        for part in path[:-1]:
            try:
                target = target[part]
            except (KeyError, IndexError, TypeError):
                target = None
                break
        if isinstance(target, dict) and path and path[-1] in target:
            del target[path[-1]]
            removed = True
    if not removed:
        return None
    try:
        return parse_flow(copy)
    except ValidationError:
        return None


def _is_union_tag(part: Any) -> bool:
    # pydantic puts the discriminator's value ("tool") in the location of union members.
    return isinstance(part, str) and part in NODE_TYPES


def _with_suggestion(
    issue: dict[str, Any], data: dict[str, Any] | Flow, specs: Sequence[ToolSpec]
) -> dict[str, Any]:
    if issue.get("code") != "unknown_tool":
        return issue
    unknown = _tool_of(data, issue.get("node"))
    if unknown is None:
        return issue
    from flows.core.planner.similarity import suggest_tool

    suggestion = suggest_tool(unknown, specs)
    ids = ", ".join(f"`{spec.id}`" for spec in specs[:20]) + (", ..." if len(specs) > 20 else "")
    if suggestion is not None:
        hint = (
            f"Did you mean `{suggestion.id}` ({suggestion.description.strip()[:160]})? "
            f"Use a tool id from the catalogue: {ids}."
        )
    else:
        hint = (
            f"No tool in the catalogue does what `{unknown}` suggests; use one of {ids}, "
            "or leave the step out if none of them does it."
        )
    return {**issue, "hint": hint}


def _tool_of(data: dict[str, Any] | Flow, node_id: Any) -> str | None:
    nodes = data.nodes if isinstance(data, Flow) else data.get("nodes")
    if not isinstance(nodes, list):
        return None
    for node in nodes:
        current = node if isinstance(node, dict) else node.model_dump()
        if current.get("id") == node_id and isinstance(current.get("tool"), str):
            return str(current["tool"])
    return None


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
