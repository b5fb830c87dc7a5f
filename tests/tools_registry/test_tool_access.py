"""Who may run a tool is a permission (everyone, groups or staff): the validator names the
node and the tool, run and batch creation answer 403, and a run whose requester lost the
permission while it waited fails when a worker takes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from flows.models import Flow, FlowVersion, Run
from flows.runs import services as run_services
from flows.runs.access import forget_restricted
from flows.runs.catalog import forget_snapshot
from tests.api.conftest import assert_error
from tools_registry.access import tools_refused, user_catalog
from tools_registry.catalog import registry_catalog
from tools_registry.models import Tool

TOOL = "analyze_sentiment"
IR: dict[str, Any] = {
    "name": "mood",
    "nodes": [
        {"id": "mood", "type": "tool", "tool": TOOL, "inputs": {"text": "'What a lovely day'"}},
        {"id": "result", "type": "output", "value": "mood.sentiment"},
    ],
}


def _client(person: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def _restrict(access: str, *groups: Group) -> None:
    tool = Tool.objects.get(pk=TOOL)
    tool.access = access
    tool.save(update_fields=["access"])
    tool.access_groups.set(groups)
    forget_restricted()
    forget_snapshot()


@pytest.fixture
def finance(django_user_model: Any) -> Group:
    return Group.objects.create(name="finance")


@pytest.fixture
def staff(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("sam", password="pw-sam-123456", is_staff=True)


def _issues(person: Any) -> list[dict[str, Any]]:
    response = _client(person).post("/api/v1/validate/", {"ir": IR}, format="json")
    assert response.status_code == 200, response.content
    return [issue for issue in response.json()["errors"] if issue["code"] == "tool_not_permitted"]


@pytest.mark.django_db
def test_everyone_may_use_a_tool_by_default(user: Any) -> None:
    assert Tool.objects.get(pk=TOOL).access == "everyone"
    assert _issues(user) == []


@pytest.mark.django_db
def test_the_validator_names_the_node_and_the_tool_a_user_may_not_use(
    user: Any, staff: Any
) -> None:
    _restrict("staff")

    issues = _issues(user)

    assert len(issues) == 1
    assert issues[0]["node"] == "mood"
    assert issues[0]["field"] == "tool"
    assert "only staff may use it" in issues[0]["message"]
    assert _issues(staff) == []


@pytest.mark.django_db
def test_a_group_tool_is_for_the_group_members_only(
    user: Any, staff: Any, finance: Group
) -> None:
    _restrict("groups", finance)

    assert "only members of finance" in _issues(user)[0]["message"]
    assert _issues(staff) != []  # staff is not a group
    user.groups.add(finance)
    assert _issues(user) == []


@pytest.mark.django_db
def test_superusers_may_use_every_tool(admin_user: Any) -> None:
    _restrict("groups")

    assert _issues(admin_user) == []


@pytest.mark.django_db
def test_a_saved_version_records_the_refusal_for_its_author(user: Any) -> None:
    _restrict("staff")

    response = _client(user).post("/api/v1/flows/", {"name": "mood", "ir": IR}, format="json")

    assert response.status_code == 201, response.content
    version = FlowVersion.objects.get(flow__name="mood")
    assert not version.is_valid
    assert [e["code"] for e in version.validation_errors] == ["tool_not_permitted"]


def _version(owner: Any) -> FlowVersion:
    flow = Flow.objects.create(name="mood", owner=owner)
    return FlowVersion.objects.create(flow=flow, number=1, ir=IR, is_valid=True)


@pytest.mark.django_db
def test_creating_a_run_or_a_batch_is_refused_with_403(user: Any) -> None:
    version = _version(user)
    _restrict("staff")

    run = assert_error(_client(user).post("/api/v1/runs/", {"flow_version": version.id,
                                                           "input": {}}, format="json"),
                       403, "tool_not_permitted")
    batch = assert_error(_client(user).post("/api/v1/runs/batch/", {
        "flow_version": version.id, "inputs": [{}, {}]}, format="json"), 403,
        "tool_not_permitted")

    assert run["details"] == {"node": "mood", "tool": TOOL}
    assert "`mood`" in run["message"]
    assert batch["details"]["tool"] == TOOL
    assert not Run.objects.exists()


def test_a_permission_withdrawn_while_the_run_waited_fails_it(
    user: Any, inprocess: Any
) -> None:
    # Given a run created while everyone may use the tool
    version = _version(user)
    allowed = run_services.run_create(user=user, flow_version_id=version.id, run_input={})
    refused = run_services.run_create(user=user, flow_version_id=version.id, run_input={})
    assert inprocess.execute(allowed.id) == "completed"

    # When the tool becomes staff-only before a worker takes the second one
    _restrict("staff")
    status = inprocess.execute(refused.id)

    # Then it fails, saying which node and tool, and the tool was not called
    run = Run.objects.get(pk=refused.pk)
    assert status == "failed"
    assert run.error["code"] == "tool_not_permitted"
    assert run.error["node"] == "mood"
    assert not run.node_attempts.exists()


@pytest.mark.django_db
def test_planners_are_offered_only_the_tools_the_user_may_use(user: Any, staff: Any) -> None:
    _restrict("staff")

    assert user_catalog(registry_catalog(), user).get(TOOL) is None
    assert user_catalog(registry_catalog(), staff).get(TOOL) is not None
    assert tools_refused(user) == {TOOL: "only staff may use it"}


@pytest.mark.django_db
def test_the_admin_asks_for_groups_when_access_is_by_group(admin_client: Any) -> None:
    response = admin_client.post(f"/admin/tools_registry/tool/{TOOL}/change/", {
        "enabled": "on", "access": "groups",
    })

    assert response.status_code == 200
    assert "Choose the groups" in response.content.decode()
    assert Tool.objects.get(pk=TOOL).access == "everyone"


@pytest.mark.django_db
def test_the_tools_api_says_who_may_use_a_tool(user: Any) -> None:
    _restrict("staff")

    tool = _client(user).get(f"/api/v1/tools/{TOOL}/").json()

    assert tool["access"] == "staff"
