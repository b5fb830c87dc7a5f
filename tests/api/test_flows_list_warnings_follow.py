"""The warnings the flows list counts follow the groups, accounts and approval tools a flow
names (they are stored with the version, so the list stays one query; the designer
validates live). A group made after the flow was saved left the list amber ("Valid · 1
warning") while the designer turned green."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from tools_registry.models import Tool

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def approval_ir(valid_ir: dict[str, Any], *, groups: list[str] = (),  # type: ignore[assignment]
                users: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    return {**valid_ir, "nodes": [
        {"id": "ok", "type": "approval", "instructions": "Approve it",
         "assignees": {"groups": list(groups), "users": list(users)},
         "form_schema": {"type": "object", "properties": {}}},
        *[{**node, "after": ["ok"]} if node["id"] == "check" else node
          for node in valid_ir["nodes"]],
    ]}


def listed(client: APIClient, flow_id: int) -> Any:
    [flow] = [f for f in client.get("/api/v1/flows/").json()["results"] if f["id"] == flow_id]
    return flow["latest_version"]["warning_count"]


def designer(client: APIClient, ir: dict[str, Any]) -> list[str]:
    response = client.post("/api/v1/validate/", {"ir": ir}, format="json")
    return [w["code"] for w in response.json().get("warnings", [])]


def test_a_group_made_later_clears_the_lists_warning_as_the_designers(
        client_for: Callable[[User | None], APIClient], make_user: Callable[..., User],
        valid_ir: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any,
        django_assert_max_num_queries: Any) -> None:
    settings.OPENAI_API_KEY = "test-key"
    staff = make_user("root", staff=True)
    api = client_for(staff)
    ir = approval_ir(valid_ir, groups=["finance"])
    flow = api.post("/api/v1/flows/", {"name": "Refund", "ir": ir}, format="json").json()
    assert flow["latest_version"]["is_valid"] is True
    assert flow["latest_version"]["warning_count"] == 1
    assert designer(api, ir) == ["unknown_group"]

    with django_capture_on_commit_callbacks(execute=True):
        finance = Group.objects.create(name="finance")
    assert designer(api, ir) == []
    assert listed(api, flow["id"]) == 0  # it stayed 1
    version = api.get(f"/api/v1/flows/{flow['id']}/versions/1/").json()
    assert version["validation_warnings"] == []

    # renamed away or deleted, the warning comes back, as in the designer
    with django_capture_on_commit_callbacks(execute=True):
        finance.name = "accounts"
        finance.save()
    assert designer(api, ir) == ["unknown_group"]
    assert listed(api, flow["id"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        finance.name = "finance"
        finance.save()
    assert listed(api, flow["id"]) == 0
    with django_capture_on_commit_callbacks(execute=True):
        finance.delete()
    assert listed(api, flow["id"]) == 1

    # still one query for the flows' rows, however many are listed
    for _ in range(4):
        api.post("/api/v1/flows/", {"name": "More", "ir": ir}, format="json")
    with django_assert_max_num_queries(6):
        api.get("/api/v1/flows/")


def test_an_account_or_a_membership_made_later_clears_it_too(
        client_for: Callable[[User | None], APIClient], make_user: Callable[..., User],
        valid_ir: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.OPENAI_API_KEY = "test-key"
    staff = make_user("root", staff=True)
    api = client_for(staff)
    by_name = approval_ir(valid_ir, users=["dana"])
    named = api.post("/api/v1/flows/", {"name": "Dana", "ir": by_name}, format="json").json()
    assert named["latest_version"]["warning_count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        dana = make_user("dana")
    assert designer(api, by_name) == []
    assert listed(api, named["id"]) == 0
    with django_capture_on_commit_callbacks(execute=True):
        dana.is_active = False
        dana.save()
    assert listed(api, named["id"]) == 1

    # a builder (not staff) may name the groups they are in: joining one clears theirs
    erin = make_user("erin")
    Group.objects.create(name="legal")
    theirs = client_for(erin)
    ir = approval_ir(valid_ir, groups=["legal"])
    flow = theirs.post("/api/v1/flows/", {"name": "Legal", "ir": ir}, format="json").json()
    assert flow["latest_version"]["warning_count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        erin.groups.add(Group.objects.get(name="legal"))
    assert designer(theirs, ir) == []
    assert listed(theirs, flow["id"]) == 0
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.get(name="legal").user_set.remove(erin)
    assert listed(theirs, flow["id"]) == 1


def test_an_approval_tool_that_publishes_the_group_clears_a_builders_warning(
        client_for: Callable[[User | None], APIClient], make_user: Callable[..., User],
        valid_ir: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.OPENAI_API_KEY = "test-key"
    Group.objects.create(name="auditors")
    frank = make_user("frank")
    api = client_for(frank)
    ir = approval_ir(valid_ir, groups=["auditors"])
    flow = api.post("/api/v1/flows/", {"name": "Audit", "ir": ir}, format="json").json()
    assert flow["latest_version"]["warning_count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        tool = Tool.objects.create(
            id="audit_approval", name="Audit approval", kind=Tool.Kind.APPROVAL,
            config={"instructions": "Check it", "assignees": {"groups": ["auditors"]}})
    assert designer(api, ir) == []
    assert listed(api, flow["id"]) == 0
    with django_capture_on_commit_callbacks(execute=True):
        tool.delete()
    assert listed(api, flow["id"]) == 1
