"""Writes behind the API: flows, their immutable versions, validation and plan requests.

Every IR is validated against the deployment's registry (`registry_catalog()` plus
`registry_joins()`). A version stores its validation result; an IR that does not even
match the IR JSON Schema is refused (400) and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from flows.api.errors import ApplicationError
from flows.api.selectors import flow_get_for_edit
from flows.core.validate import ValidationIssue, validate_flow
from flows.models import Flow, FlowVersion, PlanRequest
from tools_registry.catalog import registry_catalog, registry_joins

#: Sources a client may claim for a version it sends ("planner" is set by planning only).
CLIENT_SOURCES = (FlowVersion.Source.EDITOR, FlowVersion.Source.API)


def ir_validate(*, ir: Any) -> list[ValidationIssue]:
    """Every issue in `ir` against the registry's tools and joins (empty: valid)."""
    return validate_flow(ir, registry_catalog(), joins=registry_joins())


def _refuse_unparseable(issues: Sequence[ValidationIssue]) -> None:
    schema_issues = [issue for issue in issues if issue.code == "schema"]
    if schema_issues:
        first = schema_issues[0]
        where = f" at {first.field}" if first.field else ""
        raise ApplicationError(
            f"The IR does not match the IR JSON Schema{where}: {first.message}",
            code="invalid_ir",
            details={"errors": [issue.to_json() for issue in schema_issues]},
        )


def flow_create(
    *,
    owner: Any,
    name: str,
    description: str = "",
    shared_with_groups: Iterable[Group] = (),
    ir: dict[str, Any] | None = None,
    source: str = FlowVersion.Source.API,
) -> Flow:
    """A new flow; with `ir`, its first version too (all or nothing)."""
    issues = ir_validate(ir=ir) if ir is not None else []
    if ir is not None:
        _refuse_unparseable(issues)
    with transaction.atomic():
        flow = Flow.objects.create(owner=owner, name=name, description=description)
        flow.shared_with_groups.set(list(shared_with_groups))
        if ir is not None:
            _version_create(flow=flow, author=owner, ir=ir, issues=issues, parent=None,
                            source=source)
    return flow


def flow_update(
    *,
    flow: Flow,
    name: str | None = None,
    description: str | None = None,
    shared_with_groups: Iterable[Group] | None = None,
) -> Flow:
    with transaction.atomic():
        if name is not None:
            flow.name = name
        if description is not None:
            flow.description = description
        flow.save()
        if shared_with_groups is not None:
            flow.shared_with_groups.set(list(shared_with_groups))
    return flow


def flow_delete(*, flow: Flow) -> None:
    """Delete a flow and its versions; refused (409) while runs of it exist."""
    flow.delete()


def flow_version_create(
    *,
    flow: Flow,
    author: Any,
    ir: dict[str, Any],
    parent_number: int | None = None,
    source: str = FlowVersion.Source.API,
) -> FlowVersion:
    """The next version of `flow`. `parent_number` defaults to the latest version."""
    issues = ir_validate(ir=ir)
    _refuse_unparseable(issues)
    with transaction.atomic():
        # Lock the flow so two concurrent saves cannot take the same number.
        Flow.objects.select_for_update().filter(pk=flow.pk).first()
        parent = None
        if parent_number is not None:
            parent = FlowVersion.objects.filter(flow=flow, number=parent_number).first()
            if parent is None:
                raise ApplicationError(
                    f"parent: flow {flow.pk} has no version {parent_number}.",
                    details={"fields": {"parent": [f"Version {parent_number} does not exist."]}},
                )
        else:
            parent = FlowVersion.objects.filter(flow=flow).order_by("-number").first()
        return _version_create(flow=flow, author=author, ir=ir, issues=issues, parent=parent,
                               source=source)


def _version_create(
    *,
    flow: Flow,
    author: Any,
    ir: dict[str, Any],
    issues: Sequence[ValidationIssue],
    parent: FlowVersion | None,
    source: str,
) -> FlowVersion:
    latest = FlowVersion.objects.filter(flow=flow).aggregate(n=Max("number"))["n"] or 0
    version = FlowVersion.objects.create(
        flow=flow,
        number=latest + 1,
        ir=ir,
        author=author,
        parent=parent,
        source=source,
        is_valid=not issues,
        validation_errors=[issue.to_json() for issue in issues],
    )
    Flow.objects.filter(pk=flow.pk).update(updated_at=timezone.now())
    return version


def plan_submit(
    *,
    user: Any,
    prompt: str,
    tool_ids: Sequence[str] | None = None,
    planner: str | None = None,
    flow_id: int | None = None,
) -> PlanRequest:
    """Plan (or, for a flow with versions, refine) now; a successful plan becomes a version.

    Without `flow_id` a successful plan creates a new flow owned by `user`. Requests that
    cannot start (unknown tools, an unavailable planner, a flow the user may not change)
    are refused before anything is recorded.
    """
    from flows.planning import available_planners, plan_request_create, plan_request_execute

    flow = flow_get_for_edit(user=user, flow_id=flow_id) if flow_id is not None else None
    if planner is not None and planner not in available_planners():
        raise ApplicationError(
            f"planner: the {planner!r} planner is not available here; use one of "
            f"{', '.join(available_planners())}.",
            code="planner_unavailable",
            details={"fields": {"planner": [f"Not available: {planner}."]},
                     "available": available_planners()},
        )
    catalog = registry_catalog()
    joins = registry_joins()
    if tool_ids:
        known = {spec.id for spec in catalog.specs()}
        unknown = sorted(set(tool_ids) - known)
        if unknown:
            raise ApplicationError(
                f"tools: unknown tool id(s) {', '.join(unknown)}.",
                code="unknown_tools",
                details={"fields": {"tools": [f"Unknown tool: {tool_id}." for tool_id in unknown]},
                         "unknown": unknown},
            )
    base = flow.versions.order_by("-number").first() if flow is not None else None
    plan_request = plan_request_create(
        user=user, prompt=prompt, tool_ids=tool_ids, planner=planner, base_version=base
    )
    outcome = plan_request_execute(plan_request_id=plan_request.pk, catalog=catalog, joins=joins)
    ir = outcome.result.ir
    if outcome.result.ok and ir is not None:
        with transaction.atomic():
            target = flow or Flow.objects.create(
                owner=user,
                name=str(ir.get("name") or prompt)[:200],
                description=str(ir.get("description") or "")[:4000],
            )
            version = flow_version_create(
                flow=target, author=user, ir=ir, source=FlowVersion.Source.PLANNER,
                parent_number=base.number if base is not None else None,
            )
            PlanRequest.objects.filter(pk=plan_request.pk).update(resulting_version=version)
    return PlanRequest.objects.select_related(
        "resulting_version", "resulting_version__flow", "base_version", "base_version__flow"
    ).get(pk=plan_request.pk)
