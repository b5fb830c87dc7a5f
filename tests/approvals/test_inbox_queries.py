"""The inbox's cost: a fixed number of queries of a fixed size, however many steps wait and
however many people and groups they name."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from approvals.models import ApprovalStep, StepDecision
from approvals.selectors import inbox_recipients, inbox_steps
from flows.models import Flow, FlowVersion, Run

pytestmark = pytest.mark.django_db


def _pending_steps(owner: Any, count: int, assignees: Any) -> Run:
    """One suspended run waiting on `count` steps; step i names `assignees(i)`."""
    flow = Flow.objects.create(name="many steps", owner=owner)
    version = FlowVersion.objects.create(flow=flow, number=1, ir={"name": "x"}, is_valid=True)
    run = Run.objects.create(flow_version=version, requested_by=owner,
                             status=Run.Status.SUSPENDED)
    steps = []
    for i in range(count):
        users, groups = assignees(i)
        step = ApprovalStep(run=run, node_id=f"s{i:03}", title=f"step {i}",
                            assignee_users=users, assignee_groups=groups)
        step.seal_value({"form_schema": {"type": "object"}})
        steps.append(step)
    ApprovalStep.objects.bulk_create(steps)
    return run


def _staff_inbox(staff: Any, count: int | None = None) -> tuple[list[str], list[str]]:
    """The node ids the inbox API's first page lists for `staff`, and the SQL it ran; its
    `count` is `count`, or as many as it lists."""
    client = APIClient()
    client.force_authenticate(staff)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/approvals/").json()
    assert body["count"] == (len(body["results"]) if count is None else count)
    return [row["node_id"] for row in body["results"]], [q["sql"] for q in queries]


def _one_each(i: int) -> tuple[list[str], list[str]]:
    """Step i names user i and group i; of the even ones the user exists, of every fourth
    the group has a member too."""
    return [f"user{i}"], [f"group{i}"]


def _people_for(count: int, django_user_model: Any) -> None:
    for i in range(0, count, 2):
        person = django_user_model.objects.create_user(f"user{i}")
        if i % 4 == 0:
            Group.objects.create(name=f"group{i}").user_set.add(person)


def test_the_staff_inbox_costs_the_same_for_200_steps_as_for_2(
    user: Any, staff_user: Any, django_user_model: Any
) -> None:
    # Given steps that each name a different person and group, half of whom exist
    _people_for(200, django_user_model)
    _pending_steps(user, 2, _one_each)
    _, few = _staff_inbox(staff_user)
    StepDecision.objects.all().delete()
    ApprovalStep.objects.all().delete()
    _pending_steps(user, 200, _one_each)

    # When staff open their inbox
    listed, many = _staff_inbox(staff_user, count=100)

    # Then its first page lists the oldest 50 of the 100 steps nobody else can decide, in as
    # many queries as for two steps, none of them longer (no condition per name)
    assert listed == [f"s{i:03}" for i in range(1, 100, 2)]
    assert len(many) == len(few), many
    assert max(map(len, many)) == max(map(len, few))


def test_one_rule_says_which_steps_wait_for_staff_in_the_list_and_on_the_socket(
    user: Any, other_user: Any, staff_user: Any
) -> None:
    finance = Group.objects.create(name="finance")
    cases = [
        ([], []),                    # names nobody: its run's owner decides it
        (["bob"], []),               # an active user
        (["nobody"], []),            # a user that does not exist
        ([], ["finance"]),           # a group with nobody in it
        ([], ["missing"]),           # a group that does not exist
        (["nobody"], ["staffed"]),   # someone, through a group with an active member
    ]
    Group.objects.create(name="staffed").user_set.add(other_user)
    run = _pending_steps(user, len(cases), lambda i: cases[i])

    def staff_only() -> tuple[set[str], set[str]]:
        steps = ApprovalStep.objects.filter(run=run).select_related("run")
        on_socket = {s.node_id for s in steps if staff_user in inbox_recipients(s)}
        listed = {s.node_id for s in inbox_steps(staff_user)}
        return listed, on_socket

    assert staff_only() == ({"s002", "s003", "s004"},) * 2

    # When the run's owner (ada) joins "finance" and is made inactive, and so is bob
    finance.user_set.add(user)
    user.is_active = False
    user.save()
    other_user.is_active = False
    other_user.save()

    # Then both agree that every step waits for staff, the one naming nobody too (its
    # run's owner cannot decide it any more)
    assert staff_only() == ({f"s{i:03}" for i in range(len(cases))},) * 2


def test_the_inbox_is_paged_in_a_stable_order_and_counts_every_step(
    user: Any, staff_user: Any
) -> None:
    # Given five steps, three of them created at the same moment (ties go by id)
    _pending_steps(user, 5, lambda i: ([f"gone{i}"], []))
    moment = ApprovalStep.objects.get(node_id="s001").created_at
    ApprovalStep.objects.filter(node_id__in=["s002", "s003", "s004"]).update(created_at=moment)
    client = APIClient()
    client.force_authenticate(staff_user)
    oldest_first = ApprovalStep.objects.order_by("created_at", "id").values_list("node_id")

    # When staff walk the inbox two steps at a time, following `next`
    seen: list[str] = []
    url: str | None = "/api/v1/approvals/?limit=2"
    pages = 0
    while url:
        body = client.get(url).json()
        assert body["count"] == 5
        seen += [row["node_id"] for row in body["results"]]
        url, pages = body["next"], pages + 1

    # Then three pages list every step once, in (created_at, id) order
    assert pages == 3
    assert seen == [node for (node,) in oldest_first]


def test_every_page_costs_two_queries_however_many_groups_and_steps(
    user: Any, other_user: Any, django_user_model: Any
) -> None:
    # Given a manager in 30 groups, 120 steps naming one of them each
    for i in range(30):
        Group.objects.create(name=f"team{i}").user_set.add(other_user)
    _pending_steps(user, 120, lambda i: ([], [f"team{i % 30}"]))
    client = APIClient()
    client.force_authenticate(other_user)

    # When they read the first, a middle and the last page
    costs = []
    for offset in (0, 50, 100):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"/api/v1/approvals/?limit=50&offset={offset}").json()
        assert body["count"] == 120
        assert len(body["results"]) == min(50, 120 - offset)
        costs.append(len(queries))

    # Then each page is the count and the page itself
    assert costs == [2, 2, 2]


def test_a_bad_page_parameter_is_a_400_naming_it(user: Any, staff_user: Any) -> None:
    client = APIClient()
    client.force_authenticate(staff_user)

    response = client.get("/api/v1/approvals/?limit=zero")

    assert response.status_code == 400
    assert "limit" in response.json()["error"]["details"]["fields"]
