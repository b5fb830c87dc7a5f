"""Reads for the API: what a user may see, and the things derived from what is stored.

Visibility of flows: the owner, staff, and members of a group the flow is shared with may
see a flow (and its versions); only the owner and staff may change it. Looking up a flow
the user may not see is a 404 (its existence is not revealed); changing one the user may
see but not change is a 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery

from flows.api.errors import NotFound, PermissionDenied
from flows.models import Flow, FlowVersion, PlanRequest
from flows.runs.selectors import approval_rejected_exists
from tools_registry.models import Credential, Join, Tool


def flow_list(*, user: Any) -> QuerySet[Flow]:
    from flows.models import Run

    latest = FlowVersion.objects.filter(flow=OuterRef("pk")).order_by("-number")
    # The last run of the flow that this user may see (their own; staff: anyone's), read
    # off `run_flow_created_idx`: a flow with a million runs costs what one with a few does.
    runs = Run.objects.filter(flow=OuterRef("pk"))
    if not user.is_staff:
        runs = runs.filter(requested_by=user)
    last_run = runs.order_by("-created_at")
    flows = (
        Flow.objects.select_related("owner")
        .prefetch_related("shared_with_groups")
        # The latest version's summary, without a query per flow (FlowOutput reads these).
        .annotate(
            latest_number=Subquery(latest.values("number")[:1]),
            latest_is_valid=Subquery(latest.values("is_valid")[:1]),
            # Counted in the database: the list never reads a version's warnings themselves.
            latest_warning_count=Subquery(latest.annotate(warning_count=Func(
                F("validation_warnings"), function="jsonb_array_length",
                output_field=IntegerField(),
            )).values("warning_count")[:1]),
            latest_source=Subquery(latest.values("source")[:1]),
            latest_created_at=Subquery(latest.values("created_at")[:1]),
            last_run_id=Subquery(last_run.values("id")[:1]),
            last_run_status=Subquery(last_run.values("status")[:1]),
            last_run_created_at=Subquery(last_run.values("created_at")[:1]),
        )
        # Read off `approval_step_run_node`, for the one run each row shows.
        .annotate(last_run_approval_rejected=approval_rejected_exists("last_run_id"))
    )
    if user.is_staff:
        return flows.all()
    # A subquery rather than a join: no duplicate rows to remove, so the page is read off
    # `flow_updated_idx` and the annotations are computed for its rows only.
    shared = Flow.shared_with_groups.through.objects.filter(group__user=user)
    return flows.filter(Q(owner=user) | Q(pk__in=shared.values("flow_id")))


def flow_get(*, user: Any, flow_id: int) -> Flow:
    flow = flow_list(user=user).filter(pk=flow_id).first()
    if flow is None:
        raise NotFound(f"Flow {flow_id} does not exist or is not shared with you.")
    return flow


def flow_can_edit(*, user: Any, flow: Flow) -> bool:
    return bool(user.is_staff or flow.owner_id == user.pk)


def flow_get_for_edit(*, user: Any, flow_id: int) -> Flow:
    flow = flow_get(user=user, flow_id=flow_id)
    if not flow_can_edit(user=user, flow=flow):
        raise PermissionDenied(
            f"Flow {flow_id} is shared with you to read; only its owner or staff can change it."
        )
    return flow


def flow_version_list(*, flow: Flow) -> QuerySet[FlowVersion]:
    return (
        FlowVersion.objects.filter(flow=flow).select_related("author", "parent").order_by("-number")
    )


def flow_version_get(*, flow: Flow, number: int) -> FlowVersion:
    version = flow_version_list(flow=flow).filter(number=number).first()
    if version is None:
        raise NotFound(f"Flow {flow.pk} has no version {number}.")
    return version


def plan_request_list(*, user: Any) -> QuerySet[PlanRequest]:
    requests = PlanRequest.objects.select_related(
        "resulting_version", "resulting_version__flow", "base_version", "base_version__flow"
    )
    if user.is_staff:
        return requests.all()
    return requests.filter(requested_by=user)


def plan_request_get(*, user: Any, plan_id: Any) -> PlanRequest:
    plan_request = plan_request_list(user=user).filter(pk=plan_id).first()
    if plan_request is None:
        raise NotFound(f"Plan request {plan_id} does not exist or is not yours.")
    return plan_request


def tool_list() -> QuerySet[Tool]:
    return Tool.objects.select_related("category", "mcp_server").order_by("id")


def tool_get(*, tool_id: str) -> Tool:
    from flows.api.fields import is_tool_id

    tool = tool_list().filter(pk=tool_id).first() if is_tool_id(tool_id) else None
    if tool is None:
        raise NotFound(f"There is no tool {tool_id!r}.")
    return tool


def join_list() -> QuerySet[Join]:
    return Join.objects.select_related("from_tool", "to_tool").order_by("id")


def join_get(*, join_id: int) -> Join:
    join = join_list().filter(pk=join_id).first()
    if join is None:
        raise NotFound(f"There is no join {join_id}.")
    return join


def credential_list() -> QuerySet[Credential]:
    return Credential.objects.order_by("name")


def credential_get(*, credential_id: int) -> Credential:
    credential = credential_list().filter(pk=credential_id).first()
    if credential is None:
        raise NotFound(f"There is no credential {credential_id}.")
    return credential


def require_perm(user: Any, perm: str, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"You may not {what} (it needs the {perm!r} permission).")
