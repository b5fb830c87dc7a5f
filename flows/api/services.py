"""Writes behind the API: flows, their immutable versions, validation and plan requests.

Every IR is validated against the deployment's registry (`registry_catalog()` plus
`registry_joins()`). A version stores its validation result; an IR that does not even
match the IR JSON Schema is refused (400) and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from approvals.selectors import groups_to_name, users_to_name
from flows.api.errors import ApplicationError
from flows.api.selectors import flow_get_for_edit
from flows.core.ir import parse_flow
from flows.core.optional_inputs import optional_input_warnings
from flows.core.validate import ValidationIssue, validate_flow
from flows.models import Flow, FlowVersion, PlanRequest
from tools_registry.access import tools_refused, user_catalog
from tools_registry.catalog import registry_catalog, registry_joins

#: Sources a client may claim for a version it sends ("planner" is set by planning only).
CLIENT_SOURCES = (FlowVersion.Source.EDITOR, FlowVersion.Source.API)


def auth_token_issue(*, request: Any, username: str, password: str) -> str:
    """The API token of the active user with this username and password (made on first
    use, the same key afterwards). A wrong name or password is one error, not two."""
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise ApplicationError(
            "No active user has this username and password.", code="invalid_credentials"
        )
    token, _ = Token.objects.get_or_create(user=user)
    return str(token.key)


def ir_validate(*, ir: Any, user: Any = None) -> list[ValidationIssue]:
    """Every issue in `ir` against the registry's tools and joins (empty: valid); with
    `user`, a tool they may not use is an issue too (`tool_not_permitted`)."""
    refused = tools_refused(user) if user is not None else None
    return validate_flow(ir, registry_catalog(), joins=registry_joins(), refused_tools=refused)


def ir_warnings(*, ir: Any, user: Any) -> list[ValidationIssue]:
    """What may stop a valid IR from finishing as meant, though it runs."""
    return [*_model_warnings(ir), *_input_warnings(ir), *_assignee_warnings(ir=ir, user=user)]


def _input_warnings(ir: Any) -> list[ValidationIssue]:
    """A read of a run input that may be left out (`optional_inputs`)."""
    try:
        flow = parse_flow(ir)
    except (ValueError, TypeError):  # not an IR: its errors say so
        return []
    return list(optional_input_warnings(flow))


def version_warnings(*, ir: Any, author: Any) -> list[ValidationIssue]:
    """The warnings a version keeps: its author's view of them (a version whose author was
    deleted keeps those that do not depend on who is asking)."""
    return ir_warnings(ir=ir, user=author) if author is not None else _model_warnings(ir)


#: The stored warnings that depend on who and what exists (groups, accounts, the approvers an
#: approval tool publishes), which `version_warnings_refresh` keeps current.
APPROVER_WARNINGS = ("unknown_group", "unknown_user")


def version_warnings_refresh(
    *, groups: Iterable[str] = (), users: Iterable[str] = (), authors: Iterable[int] = (),
    unknown: bool = False,
) -> int:
    """Count again the stored warnings (`FlowVersion.validation_warnings`) of the versions a
    change of groups, accounts or approval tools may have made stale: those naming one of
    `groups` or `users` as approvers, those by one of `authors` (whose view of them changed)
    that warn of an approver, and with `unknown`, every version that warns of one. The
    flows list counts stored warnings in its one query, while the designer validates live:
    without this, a group made after the flow was saved left the list amber ("Valid · 1
    warning") where the designer was green. Returns how many versions changed."""
    match = Q()
    for name in set(groups):
        match |= Q(ir__nodes__contains=[{"assignees": {"groups": [name]}}])
        match |= Q(ir__nodes__contains=[{"escalate_to": name}])
    for name in set(users):
        match |= Q(ir__nodes__contains=[{"assignees": {"users": [name]}}])
    warns = Q()
    for code in APPROVER_WARNINGS:
        warns |= Q(validation_warnings__contains=[{"code": code}])
    if authors:
        match |= Q(author_id__in=set(authors)) & warns
    if unknown:
        match |= warns
    if not match:
        return 0
    changed = 0
    versions = (
        FlowVersion.objects.filter(match).order_by().select_related("author")
        .only("id", "ir", "validation_warnings", "author")
    )
    for version in versions.iterator(chunk_size=200):
        warnings = [w.to_json() for w in version_warnings(ir=version.ir, author=version.author)]
        if warnings != version.validation_warnings:
            FlowVersion.objects.filter(pk=version.pk).update(validation_warnings=warnings)
            changed += 1
    return changed


def _model_warnings(ir: Any) -> list[ValidationIssue]:
    """An llm node where no model is configured: every run of it would fail at that node
    (`llm_unavailable`). Not an error: the flow may be meant for a site that has one."""
    nodes = ir.get("nodes") if isinstance(ir, dict) else None
    if settings.OPENAI_API_KEY or not isinstance(nodes, list):
        return []
    return [
        ValidationIssue(
            code="llm_unavailable",
            message=f"Node `{node.get('id')}` asks a language model, and none is configured "
            "here: runs of this flow will fail at it.",
            node=str(node.get("id", "")), field="type",
            hint="Set OPENAI_API_KEY (and OPENAI_BASE_URL for another OpenAI-compatible "
            "server), or compute the value with a tool or value node.",
        )
        for node in nodes if isinstance(node, dict) and node.get("type") == "llm"
    ]


def _assignee_warnings(*, ir: Any, user: Any) -> list[ValidationIssue]:
    """An approval that names a group no one has created (or a username no account has)
    waits until staff decide it. Not errors: a group may be created after the flow is
    saved. A group `user` may not name (`GET /groups/`) is warned of in the same words as
    one that does not exist, and the hint offers only the groups they may name; a user
    they may not name (`users_to_name`) as one with no account: no answer says whether a
    group or an account exists."""
    nodes = ir.get("nodes") if isinstance(ir, dict) else None
    if not isinstance(nodes, list):
        return []
    named: list[tuple[str, str, str, str]] = []  # node, field, kind, name
    for node in nodes:
        if not isinstance(node, dict) or node.get("type") != "approval":
            continue
        node_id = str(node.get("id", ""))
        given = node.get("assignees")
        assignees: dict[str, Any] = given if isinstance(given, dict) else {}
        for kind in ("groups", "users"):
            names = assignees.get(kind)
            if isinstance(names, list):
                named += [(node_id, f"assignees.{kind}", kind, n) for n in names
                          if isinstance(n, str) and n]
        if isinstance(node.get("escalate_to"), str) and node["escalate_to"]:
            named.append((node_id, "escalate_to", "groups", node["escalate_to"]))
    if not named:
        return []
    # A group the caller may not name answers as one that does not exist: the warning must
    # not tell them which groups exist (staff may name every group).
    groups = set(groups_to_name(user).filter(
        name__in=[n for _, _, kind, n in named if kind == "groups"]
    ).values_list("name", flat=True))
    # Likewise a user the caller may not name answers as one with no account.
    users = set(users_to_name(user).filter(
        username__in=[n for _, _, kind, n in named if kind == "users"]
    ).values_list("username", flat=True))
    existing = list(groups_to_name(user).values_list("name", flat=True)[:20])
    warnings = []
    for node_id, field, kind, name in named:
        if kind == "groups" and name not in groups:
            warnings.append(ValidationIssue(
                code="unknown_group",
                message=f"Node `{node_id}` field `{field}` names the group `{name}`, "
                + _unknown_group_reason(user),
                node=node_id, field=field,
                hint=_unknown_group_hint(user, existing),
            ))
        elif kind == "users" and name not in users:
            warnings.append(ValidationIssue(
                code="unknown_user",
                message=f"Node `{node_id}` field `{field}` names `{name}`, "
                + _unknown_user_reason(user),
                node=node_id, field=field,
                hint=_unknown_user_hint(user),
            ))
    return warnings


def _unknown_group_reason(user: Any) -> str:
    if user.is_staff:  # staff may name every group: it does not exist
        return "which does not exist: no one is in it, so only staff can decide this step."
    return (
        "which does not exist or is not one you may name (GET /api/v1/groups/ lists those): "
        "unless someone is in it, only staff can decide this step."
    )


def _unknown_user_reason(user: Any) -> str:
    if user.is_staff:  # staff may name everyone: there is no such account
        return "who has no active account: they cannot decide this step."
    return (
        "who has no active account or is not someone you may name (yourself, the people in "
        "your groups, and those approval tools name): if they have none, they cannot decide "
        "this step."
    )


def _unknown_user_hint(user: Any) -> str:
    if user.is_staff:
        return "Check the username, or create the user in Admin."
    return (
        "Check the username, or name a group instead (GET /api/v1/groups/ lists those you "
        "may name); an admin can confirm the account."
    )


def _unknown_group_hint(user: Any, existing: list[str]) -> str:
    offered = ": " + ", ".join(f"`{g}`" for g in existing) if existing else ""
    if user.is_staff:
        return (
            f"Create the group in Admin and add people to it, or name an existing group{offered}."
        )
    return (
        f"Name a group you may name{offered}; or ask an admin to create the group and add "
        "people to it, or to publish it as approvers (an approval tool naming it)."
    )


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
    description: str | None = None,
    shared_with_groups: Iterable[Group] = (),
    ir: dict[str, Any] | None = None,
    source: str = FlowVersion.Source.API,
) -> Flow:
    """A new flow; with `ir`, its first version too (all or nothing). Without a description,
    the IR's: a flow created from a document lists under what the document says it does, as
    it does when the web app imports one."""
    issues = ir_validate(ir=ir, user=owner) if ir is not None else []
    if ir is not None:
        _refuse_unparseable(issues)
    if description is None:
        described = (ir or {}).get("description")
        description = described if isinstance(described, str) else ""
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
    issues = ir_validate(ir=ir, user=author)
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
        validation_warnings=[w.to_json() for w in version_warnings(ir=ir, author=author)],
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
    background: bool = False,
) -> PlanRequest:
    """Plan (or, for a flow with versions, refine); a successful plan becomes a version.

    Without `flow_id` a successful plan creates a new flow owned by `user`. Requests that
    cannot start (unknown tools, a flow the user may not change) are refused before anything
    is recorded; the LLM planner asked for where no model is configured plans with the
    offline one, and the request's `warnings` say so (`llm_unavailable`). In the
    `background` the request is answered pending and planned by a worker, which streams its
    events (`/ws/plans/<id>/`).
    """
    from flows.planning import plan_request_create

    flow = flow_get_for_edit(user=user, flow_id=flow_id) if flow_id is not None else None
    catalog = user_catalog(registry_catalog(), user)
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
    if background:
        from flows.tasks import execute_plan

        plan_id = str(plan_request.pk)
        transaction.on_commit(
            lambda: execute_plan.apply_async(args=[plan_id], queue=_plans_queue())
        )
    else:
        plan_request_run(plan_request_id=plan_request.pk, catalog=catalog)
    return PlanRequest.objects.select_related(
        "resulting_version", "resulting_version__flow", "base_version", "base_version__flow"
    ).get(pk=plan_request.pk)


def plan_request_run(
    *, plan_request_id: Any, catalog: Any = None, sink: Any = None
) -> PlanRequest | None:
    """Plan a recorded request and save a successful plan as a version, in one transaction
    with the outcome. Idempotent: a request that already finished is left as it is."""
    from flows.core.planner.base import PlanningError
    from flows.planning import plan_request_execute

    plan_request = PlanRequest.objects.select_related("base_version__flow", "requested_by").get(
        pk=plan_request_id
    )
    if plan_request.status not in (PlanRequest.Status.PENDING, PlanRequest.Status.RUNNING):
        return None
    base = plan_request.base_version

    def save_version(request: PlanRequest, ir: dict[str, Any]) -> FlowVersion:
        target = base.flow if base is not None else Flow.objects.create(
            owner=request.requested_by,
            name=str(ir.get("name") or request.prompt)[:200],
            description=str(ir.get("description") or "")[:4000],
        )
        return flow_version_create(
            flow=target, author=request.requested_by, ir=ir, source=FlowVersion.Source.PLANNER,
            parent_number=base.number if base is not None else None,
        )

    if plan_request.events:  # a worker died mid-plan: this delivery plans it again
        PlanRequest.objects.filter(pk=plan_request.pk).update(events=[])
    try:
        outcome = plan_request_execute(
            plan_request_id=plan_request.pk,
            catalog=catalog or user_catalog(registry_catalog(), plan_request.requested_by),
            joins=registry_joins(), sink=sink, on_success=save_version,
        )
    except PlanningError as exc:
        if exc.code == "already_planned":
            return None
        raise
    return outcome.plan_request


def _plans_queue() -> str:
    """Plans go to the runs queue: whoever runs flows also plans them."""
    from flows.runs import conf

    return conf.runs_queue()


def ir_refine(
    *,
    user: Any,
    ir: dict[str, Any],
    instruction: str,
    planner: str | None = None,
    tool_ids: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Edit operations for `instruction` on an IR (the editor's, saved or not), applied to a
    copy and validated. Nothing is saved but the plan request that records it: the editor
    previews the result as a diff, and saving it is an ordinary new version."""
    from flows.api.diffing import ir_diff
    from flows.planning import plan_refine

    _refuse_unparseable(ir_validate(ir=ir))
    outcome = plan_refine(user=user, instruction=instruction, ir=ir, tool_ids=tool_ids,
                          planner=planner, catalog=user_catalog(registry_catalog(), user))
    refined = outcome.result.ir if outcome.result.ok else None
    return {
        "id": str(outcome.plan_request.pk),
        "status": outcome.plan_request.status,
        "operations": outcome.operations,
        "ir": refined,
        "diff": ir_diff(ir, refined) if refined is not None else None,
        "error": outcome.plan_request.error,
        "events": outcome.plan_request.events,
        "warnings": outcome.plan_request.warnings,
    }
