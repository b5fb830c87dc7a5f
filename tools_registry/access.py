"""Who may use a tool: everyone (the default), the members of chosen groups, or staff.

A tool's `access` is checked when a flow version is validated (the validator names the
node and the tool), when a run or a batch is created (refused with 403), and again when a
worker executes the run (a permission withdrawn meanwhile fails it). Superusers may use
every tool; for a group tool, being staff is not enough: the user must be in a group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ToolAccess",
    "access_refusal",
    "restricted_tools",
    "tools_refused",
    "user_catalog",
]


@dataclass(frozen=True)
class ToolAccess:
    """A tool that not everyone may use: `level` is "groups" or "staff"."""

    tool_id: str
    level: str
    groups: frozenset[str] = frozenset()

    def describe(self) -> str:
        if self.level == "staff":
            return "only staff may use it"
        if not self.groups:
            return "it is limited to groups, and none is chosen"
        names = ", ".join(sorted(self.groups))
        return f"only members of {names} may use it"


def restricted_tools(tool_ids: Iterable[str] | None = None) -> dict[str, ToolAccess]:
    """Every tool (of `tool_ids`, when given) whose access is not "everyone" (one query)."""
    from tools_registry.models import Tool

    rows = Tool.objects.exclude(access=Tool.Access.EVERYONE)
    if tool_ids is not None:
        rows = rows.filter(id__in=list(tool_ids))
    return {
        row.id: ToolAccess(row.id, row.access, frozenset(g.name for g in row.access_groups.all()))
        for row in rows.prefetch_related("access_groups")
    }


def access_refusal(
    access: ToolAccess, *, is_superuser: bool, is_staff: bool, groups: frozenset[str]
) -> str | None:
    """Why a user may not use the tool (None: they may)."""
    if is_superuser:
        return None
    if access.level == "staff":
        return None if is_staff else access.describe()
    if access.level == "groups":
        return None if access.groups & groups else access.describe()
    return None


def tools_refused(
    user: Any, tool_ids: Iterable[str] | None = None,
    restricted: Mapping[str, ToolAccess] | None = None,
) -> dict[str, str]:
    """Tool id -> why `user` may not use it, for the tools (of `tool_ids`) they may not use.

    `restricted` saves the query when the caller already holds `restricted_tools()`.
    """
    wanted = None if tool_ids is None else set(tool_ids)
    if restricted is None:
        restricted = restricted_tools(wanted)
    elif wanted is not None:
        restricted = {tool_id: a for tool_id, a in restricted.items() if tool_id in wanted}
    if not restricted:
        return {}
    if user is None or not getattr(user, "is_authenticated", False):
        return {tool_id: access.describe() for tool_id, access in restricted.items()}
    groups = frozenset(user.groups.values_list("name", flat=True))
    refused: dict[str, str] = {}
    for tool_id, access in restricted.items():
        reason = access_refusal(
            access, is_superuser=bool(user.is_superuser), is_staff=bool(user.is_staff),
            groups=groups,
        )
        if reason is not None:
            refused[tool_id] = reason
    return refused


def user_catalog(catalog: Any, user: Any) -> Any:
    """`catalog` without the tools `user` may not use (what a planner may offer them)."""
    from flows.core.tools import InMemoryCatalog

    refused = tools_refused(user)
    if not refused:
        return catalog
    return InMemoryCatalog(
        tool for spec in catalog.specs()
        if spec.id not in refused and (tool := catalog.get(spec.id)) is not None
    )
