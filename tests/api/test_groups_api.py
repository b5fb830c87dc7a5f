"""The group names an approval can name, read-only: staff see every group; anyone else
the groups they are in and those the registry's approval tools (that they may use) name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from approvals.selectors import APPROVERS_GROUP
from tools_registry.models import Tool

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def _names(client: APIClient) -> list[str]:
    response = client.get("/api/v1/groups/", {"limit": 1000})
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert all(set(row) == {"name"} for row in rows)  # not who is in them
    return [row["name"] for row in rows]


def _approval_tool(tool_id: str, groups: list[str], **fields: Any) -> Tool:
    return Tool.objects.create(
        id=tool_id, name=tool_id, description="An approval form.", kind=Tool.Kind.APPROVAL,
        input_schema={"type": "object"},
        config={"instructions": "Check it.", "assignees": {"users": [], "groups": groups}},
        **fields,
    )


@pytest.fixture
def groups() -> None:
    for name in ("finance", "hr-investigations", "auditors", "sales"):
        Group.objects.get_or_create(name=name)


def test_staff_see_every_group(
    groups: None, admin_user: User, client_for: Callable[[User | None], APIClient]
) -> None:
    names = _names(client_for(admin_user))

    assert names == sorted(Group.objects.values_list("name", flat=True))
    assert {"finance", "hr-investigations", "auditors", "sales"} <= set(names)


def test_others_see_their_own_groups_and_those_approval_tools_name_and_no_other(
    groups: None, alice: User, carol: User, client_for: Callable[[User | None], APIClient]
) -> None:
    # Given alice in "sales", carol in no group, and no approval tool
    assert _names(client_for(alice)) == ["sales"]
    assert _names(client_for(carol)) == []

    # When an admin publishes an approval tool naming "auditors"
    _approval_tool("audit_sign_off", ["auditors"])

    # Then both may name "auditors" too, and still not "finance" or "hr-investigations"
    assert _names(client_for(alice)) == ["auditors", "sales"]
    assert _names(client_for(carol)) == ["auditors"]


def test_anyone_may_name_the_approvers_group_the_first_start_makes(
    groups: None, alice: User, carol: User, client_for: Callable[[User | None], APIClient]
) -> None:
    # Given the group "a manager approves" goes to (the planner names it)
    Group.objects.create(name=APPROVERS_GROUP)

    # Then a user in no group may name it, and no other group
    assert _names(client_for(carol)) == [APPROVERS_GROUP]
    assert _names(client_for(alice)) == sorted([APPROVERS_GROUP, "sales"])


def test_a_disabled_approval_tool_or_one_you_may_not_use_names_no_group(
    groups: None, alice: User, carol: User, client_for: Callable[[User | None], APIClient]
) -> None:
    _approval_tool("finance_sign_off", ["finance"], enabled=False)
    secret = _approval_tool("investigation_sign_off", ["hr-investigations"],
                            access=Tool.Access.GROUPS)
    secret.access_groups.add(Group.objects.get(name="sales"))

    assert _names(client_for(carol)) == []
    assert _names(client_for(alice)) == ["hr-investigations", "sales"]  # alice may use it


def test_the_list_is_read_only_and_documented(api: APIClient) -> None:
    assert api.post("/api/v1/groups/", {"name": "x"}, format="json").status_code == 405
    assert not Group.objects.filter(name="x").exists()
    document = api.get("/api/schema/?format=json").json()
    operation = document["paths"]["/api/v1/groups/"]["get"]
    assert "staff see every group" in operation["description"]
    assert "post" not in document["paths"]["/api/v1/groups/"]
