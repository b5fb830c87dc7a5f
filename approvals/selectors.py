"""Reads for approvals: who may see a step, the inbox, one step with its decisions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import BooleanField, Count, F, Func, Q, QuerySet
from pydantic import ValidationError

from approvals.models import ApprovalStep, AuditEntry, StepDecision
from flows.models import Run
from flows.runs.errors import not_found
from tools_registry.access import tools_refused
from tools_registry.models import Tool
from tools_registry.tool_config import parse_config

#: The group "a manager approves" goes to: the first start makes it (`bootstrap`) and the
#: planner names it, so anyone may name it, as they may the groups approval tools publish.
APPROVERS_GROUP = "managers"


def assignee_usernames(names: list[str]) -> list[str]:
    """The usernames of the people a step names: as written when one is a username, else
    the one active user whose username matches in any case or whose address it is ("Jane",
    "jane@acme.io" -> "jane"); a name that matches nobody (or several) stays as written."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    resolved = []
    for name in names:
        if users.filter(username=name).exists():
            resolved.append(name)
            continue
        found = list(users.filter(username__iexact=name).values_list("username", flat=True)[:2])
        if len(found) != 1 and "@" in name:
            found = list(users.filter(email__iexact=name).values_list("username", flat=True)[:2])
        resolved.append(found[0] if len(found) == 1 else name)
    return list(dict.fromkeys(resolved))


def _group_names(user: Any) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def is_assignee(user: Any, step: ApprovalStep, group_names: set[str] | None = None) -> bool:
    """Named by user or group; a step that names nobody belongs to the run's owner."""
    if not user.is_authenticated:
        return False
    if not step.assignee_users and not step.assignee_groups:
        return bool(step.run.requested_by_id == user.pk)
    if user.get_username() in step.assignee_users:
        return True
    groups = _group_names(user) if group_names is None else group_names
    return bool(groups & set(step.assignee_groups))


def step_visible_to(user: Any, step: ApprovalStep) -> bool:
    """Only a step's assignees, and staff, see or decide it."""
    return bool(user.is_authenticated and (user.is_staff or is_assignee(user, step)))


def step_find(*, run_id: Any, node_id: str) -> ApprovalStep | None:
    try:
        run_uuid = uuid.UUID(str(run_id))
    except ValueError:
        return None
    if "\x00" in node_id:  # no node id has one, and Postgres refuses it in a query (a 500)
        return None
    return (
        ApprovalStep.objects.select_related("run", "run__flow_version__flow", "run__requested_by")
        .filter(run_id=run_uuid, node_id=node_id)
        .first()
    )


def step_get(*, run_id: Any, node_id: str, user: Any) -> ApprovalStep:
    """The step, if `user` may see it; 404 otherwise (no hint that it exists)."""
    step = step_find(run_id=run_id, node_id=node_id)
    if step is None or not step_visible_to(user, step):
        raise not_found("approval")
    return step


def _assigned_filter(user: Any) -> Q:
    mine = Q(assignee_users__contains=[user.get_username()])
    nobody = Q(assignee_users=[], assignee_groups=[], run__requested_by=user)
    return mine | nobody | Q(_NamesAGroupOf(F("assignee_groups"), user_id=user.pk))


class _NamesAGroupOf(Func):
    """True when the JSON list of group names names a group `user_id` is in. Read in the
    same statement (not as a list of the user's groups fetched first), so that a page of
    the inbox and its count are one query each."""

    output_field = BooleanField()

    def __init__(self, expression: Any, *, user_id: int) -> None:
        super().__init__(expression)
        self.user_id = user_id

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        membership = get_user_model().groups.through._meta
        quote = connection.ops.quote_name
        names_sql, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"EXISTS (SELECT 1 FROM jsonb_array_elements_text({names_sql}) AS named(name)"
            f" JOIN {quote(Group._meta.db_table)} AS named_group ON named_group.name = named.name"
            f" JOIN {quote(membership.db_table)} AS member"
            f" ON member.{quote(membership.get_field('group').column)} = named_group.id"
            f" WHERE member.{quote(membership.get_field('user').column)} = %s)"
        )
        return sql, (*params, self.user_id)


class _NamesAnActiveUser(Func):
    """True when the JSON list of usernames names an active user; one index probe per name
    in the list, however many steps are read or people exist."""

    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        user = get_user_model()
        quote = connection.ops.quote_name
        extra_context["template"] = (
            "EXISTS (SELECT 1 FROM jsonb_array_elements_text(%(expressions)s) AS named(name)"
            f" JOIN {quote(user._meta.db_table)} AS named_user"
            f" ON named_user.{quote(user.USERNAME_FIELD)} = named.name"
            " WHERE named_user.is_active)"
        )
        return super().as_sql(compiler, connection, **extra_context)


class _NamesAStaffedGroup(Func):
    """True when the JSON list of group names names a group with an active member."""

    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        user = get_user_model()
        membership = user.groups.through._meta
        quote = connection.ops.quote_name
        extra_context["template"] = (
            "EXISTS (SELECT 1 FROM jsonb_array_elements_text(%(expressions)s) AS named(name)"
            f" JOIN {quote(Group._meta.db_table)} AS named_group ON named_group.name = named.name"
            f" JOIN {quote(membership.db_table)} AS member"
            f" ON member.{quote(membership.get_field('group').column)} = named_group.id"
            f" JOIN {quote(user._meta.db_table)} AS member_user"
            f" ON member_user.{quote(user._meta.pk.column)}"
            f" = member.{quote(membership.get_field('user').column)}"
            " WHERE member_user.is_active)"
        )
        return super().as_sql(compiler, connection, **extra_context)


def nobody_else_can_decide() -> Q:
    """The steps that name people or groups of whom no active user is one (a user who does
    not exist or is inactive, a group nobody active is in or that does not exist), and
    those that name nobody of a run whose owner is inactive: only staff can decide them,
    so they wait in staff's inbox. The one statement of the rule: the inbox list
    (`inbox_steps`) and its socket (`inbox_recipients`) both read it."""
    names_nobody = Q(assignee_users=[], assignee_groups=[])
    return (
        ~names_nobody
        & ~Q(_NamesAnActiveUser(F("assignee_users")))
        & ~Q(_NamesAStaffedGroup(F("assignee_groups")))
    ) | (names_nobody & Q(run__requested_by__is_active=False))


def inbox_steps(user: Any) -> QuerySet[ApprovalStep]:
    """The steps waiting for `user` (by name or group), oldest first (ties by id, so pages
    of it neither skip nor repeat a step); a quorum step the user has already answered is
    not waiting for them. Staff also find the steps nobody else can decide (their groups
    have no one in them). Each carries `approval_count`. One query, however many groups
    the user is in."""
    assigned = _assigned_filter(user)
    if user.is_staff:
        assigned |= nobody_else_can_decide()
    return (
        ApprovalStep.objects.filter(status=ApprovalStep.Status.PENDING)
        .exclude(run__status__in=Run.TERMINAL)
        .filter(assigned)
        .exclude(decisions__username=user.get_username())
        .annotate(approval_count=Count("decisions", filter=Q(decisions__approved=True)))
        .select_related("run", "run__flow_version__flow", "run__requested_by")
        .order_by("created_at", "id")
    )


def inbox_steps_matching(
    steps: QuerySet[ApprovalStep], *, search: str = "", flow: int | None = None
) -> QuerySet[ApprovalStep]:
    """The inbox's steps narrowed: each word of `search` in the step's title or node id, its
    flow's name or the username of who started its run; `flow`, the steps of one flow."""
    for word in search.split():
        steps = steps.filter(
            Q(title__icontains=word)
            | Q(node_id__icontains=word)
            | Q(run__flow_version__flow__name__icontains=word)
            | Q(run__requested_by__username__icontains=word)
        )
    if flow is not None:
        steps = steps.filter(run__flow_version__flow_id=flow)
    return steps


def step_recipients(
    step: ApprovalStep, *, users: set[str] | None = None, groups: set[str] | None = None
) -> list[Any]:
    """The active users a step waits for (the run's owner when it names nobody); with
    `users` / `groups`, counting only those of its users and the members of those of its
    groups."""
    active = get_user_model().objects.filter(is_active=True)
    if not step.assignee_users and not step.assignee_groups:
        return list(active.filter(pk=step.run.requested_by_id))
    named_users = [u for u in step.assignee_users if users is None or u in users]
    named_groups = [g for g in step.assignee_groups if groups is None or g in groups]
    return list(
        active.filter(Q(username__in=named_users) | Q(groups__name__in=named_groups)).distinct()
    )


def inbox_recipients(step: ApprovalStep) -> list[Any]:
    """Whose inboxes the step is in: active staff when nobody else can decide it
    (`nobody_else_can_decide`, as `inbox_steps` reads it), else the users it waits for."""
    if ApprovalStep.objects.filter(pk=step.pk).filter(nobody_else_can_decide()).exists():
        return list(get_user_model().objects.filter(is_active=True, is_staff=True))
    return step_recipients(step)


def groups_to_name(user: Any) -> QuerySet[Group]:
    """The groups `user` may see by name, to name who decides an approval: staff see every
    group; anyone else the groups they are in, `APPROVERS_GROUP`, and those an approval tool
    of the registry (enabled, and one they may use) names, the approvers an admin has
    published. Other groups' names stay unlisted (a group's name can say what it is for)."""
    if user.is_staff:
        return Group.objects.order_by("name")
    published = _published_approvers(user).groups | {APPROVERS_GROUP}
    return (
        Group.objects.filter(Q(user=user) | Q(name__in=published))
        .distinct()
        .order_by("name")
    )


def users_to_name(user: Any) -> QuerySet[Any]:
    """The active users `user` may know of by name, to name who decides an approval: staff
    know everyone; anyone else themselves, the people who share a group with them, and
    those an approval tool of the registry (enabled, one they may use) names. Whether
    anyone else has an account stays unanswered, as `groups_to_name` keeps other groups."""
    users = get_user_model().objects.filter(is_active=True)
    if user.is_staff:
        return users
    membership = get_user_model().groups.through.objects.filter(user_id=user.pk)
    colleagues = Q(groups__in=membership.values("group_id"))
    published = Q(username__in=_published_approvers(user).users)
    return users.filter(Q(pk=user.pk) | colleagues | published).distinct()


@dataclass(slots=True)
class _Published:
    groups: set[str]
    users: set[str]


def _published_approvers(user: Any) -> _Published:
    """The groups and users named by the registry's enabled approval tools `user` may use."""
    configs = dict(
        Tool.objects.filter(kind=Tool.Kind.APPROVAL, enabled=True).values_list("id", "config")
    )
    refused = tools_refused(user, configs) if configs else {}
    published = _Published(groups=set(), users=set())
    for tool_id, config in configs.items():
        if tool_id in refused:
            continue
        try:
            assignees = parse_config("approval", config).assignees
        except ValidationError:  # a row the registry leaves out anyway
            continue
        published.groups.update(assignees.groups)
        published.users.update(assignees.users)
    return published


def open_steps_reach(run: Run, user: Any) -> dict[str, dict[str, Any]]:
    """For each open step of `run`, by node id: whether `user` may decide it now
    (`can_decide`), how many active users may (`approvers`; 0 means nobody can until
    someone joins its groups) and which of its groups and users are missing
    (`missing_groups`, `missing_users`). For anyone but staff, a group or user they may not
    name (`groups_to_name`, `users_to_name`) reads as missing and is not counted, the same
    answer as for one that does not exist: the run page must not tell which groups and
    accounts exist or who is in a group."""
    reach = {}
    steps = list(ApprovalStep.objects.filter(run=run, status=ApprovalStep.Status.PENDING))
    named_groups = {group for step in steps for group in step.assignee_groups}
    named_users = {name for step in steps for name in step.assignee_users}
    known_groups = set(
        groups_to_name(user).filter(name__in=named_groups).values_list("name", flat=True)
    )
    known_users = set(
        users_to_name(user).filter(username__in=named_users).values_list("username", flat=True)
    )
    for step in steps:
        step.run = run
        answered = step.decisions.filter(username=user.get_username()).exists()
        reach[step.node_id] = {
            "can_decide": step_visible_to(user, step) and not answered,
            "approvers": len(step_recipients(step, users=known_users, groups=known_groups)),
            "missing_groups": [g for g in step.assignee_groups if g not in known_groups],
            "missing_users": [u for u in step.assignee_users if u not in known_users],
        }
    return reach


def step_contents(step: ApprovalStep) -> dict[str, Any]:
    """What the step shows its approver (unsealed)."""
    contents: dict[str, Any] = step.unseal_value()
    return contents


def step_decisions(step: ApprovalStep) -> list[dict[str, Any]]:
    """Every decision, oldest first, with its (unsealed) form data, comment and inputs."""
    rows = []
    for decision in StepDecision.objects.filter(step=step).order_by("created_at", "id"):
        sealed = decision.unseal_value()
        rows.append(
            {
                "by": decision.username,
                "approved": decision.approved,
                "at": decision.created_at,
                "comment": sealed.get("comment", ""),
                "data": sealed.get("data", {}),
                "inputs": sealed.get("inputs"),
            }
        )
    return rows


def step_graph(step: ApprovalStep) -> dict[str, Any]:
    """Where the step sits in its flow: the nodes (with their state in this run) and edges."""
    from flows.core.graph import build_graph
    from flows.core.ir import parse_flow

    flow = parse_flow(step.run.flow_version.ir)
    graph = build_graph(flow)
    states = dict(
        step.run.node_attempts.order_by("id").values_list("node_id", "status")
    )
    ended = step.run.status in Run.TERMINAL

    def status(node_id: str) -> str | None:
        state = states.get(node_id)
        if node_id == step.node_id and step.status == ApprovalStep.Status.PENDING and not ended:
            return "waiting"
        # A run that ended stopped whatever still ran or waited, this step included (its
        # timer closes it a little later): it reads as cancelled, not as still waiting.
        unfinished = state in (None, "waiting", "running", "pending")
        if node_id == step.node_id and step.status == ApprovalStep.Status.CLOSED:
            return "cancelled"
        # Decided: done, though the run may not have resumed (and recorded it) yet.
        if node_id == step.node_id and unfinished and step.status in (
            ApprovalStep.Status.APPROVED, ApprovalStep.Status.REJECTED
        ):
            return "completed"
        if ended and unfinished and (node_id == step.node_id or state is not None):
            return "cancelled"
        return state

    # Approvals that did not go through as approved by a person read so, as on the run page.
    outcomes = {
        node_id: "timed-out" if timed_out else "rejected"
        for node_id, decided, timed_out in ApprovalStep.objects.filter(
            run_id=step.run_id,
            status__in=[ApprovalStep.Status.REJECTED, ApprovalStep.Status.APPROVED],
        ).values_list("node_id", "status", "timed_out")
        if timed_out or decided == ApprovalStep.Status.REJECTED
    }
    nodes = [
        {"id": node.id, "type": node.type, "title": node.title or node.id,
         "status": status(node.id), "outcome": outcomes.get(node.id)}
        for node in flow.nodes
    ]
    edges = [
        [dep, node_id] for node_id in graph.order for dep in graph.dependencies[node_id]
    ]
    return {"nodes": nodes, "edges": edges}


def step_audit(step: ApprovalStep) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(step=step).order_by("at", "id")


def inbox_count(user: Any) -> int:
    return inbox_steps(user).count()
