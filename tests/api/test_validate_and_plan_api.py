"""Validation of an IR against the registry, and plan requests (offline planner)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from rest_framework.test import APIClient

from flows.models import Flow, FlowVersion, PlanRequest
from tests.api.conftest import assert_error
from tools_registry.models import Tool

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls"),
              pytest.mark.usefixtures("no_plan_cache")]

PROMPT = "Validate the email address and, if it is valid, send a welcome email."


@pytest.fixture
def no_plan_cache() -> Any:
    with override_settings(DYNAMICFLOW_PLAN_CACHE_TTL_S=0, OPENAI_API_KEY=""):
        yield


def test_validate_a_valid_ir(api: APIClient, valid_ir: dict[str, Any]) -> None:
    response = api.post("/api/v1/validate/", {"ir": valid_ir}, format="json")

    assert response.json() == {"valid": True, "errors": [], "warnings": []}


def test_validate_warns_of_a_read_of_an_input_a_run_may_leave_out(
    api: APIClient, valid_ir: dict[str, Any]
) -> None:
    valid_ir["input_schema"]["required"] = []

    body = api.post("/api/v1/validate/", {"ir": valid_ir}, format="json").json()

    assert body["valid"] is True, body["errors"]
    assert [(w["code"], w["node"], w["field"]) for w in body["warnings"]] == [
        ("optional_input", "check", "inputs.email")
    ]
    valid_ir["input_schema"]["properties"]["email"]["default"] = "ops@example.com"
    body = api.post("/api/v1/validate/", {"ir": valid_ir}, format="json").json()
    assert body["warnings"] == []


def test_validate_refuses_operands_cel_cannot_combine(
    api: APIClient, valid_ir: dict[str, Any]
) -> None:
    valid_ir["nodes"][1]["value"] = {"valid": '"Valid: " + check.valid'}

    body = api.post("/api/v1/validate/", {"ir": valid_ir}, format="json").json()

    assert body["valid"] is False
    [error] = body["errors"]
    assert (error["code"], error["node"], error["field"]) == (
        "operand_types", "result", "value.valid")
    assert "string(check.valid)" in error["hint"]


def test_validate_warns_of_an_approval_naming_a_group_or_user_that_does_not_exist(
    api: APIClient, valid_ir: dict[str, Any], make_user: Callable[..., User]
) -> None:
    make_user("bob", groups=("auditors", "sales"))  # alice's colleague in sales
    valid_ir["nodes"].append({
        "id": "ok", "type": "approval", "after": ["check"],
        "form_schema": {"type": "object", "properties": {"note": {"type": "string"}}},
        "assignees": {"groups": ["auditors", "finanse"], "users": ["bob", "nobody"]},
    })

    body = api.post("/api/v1/validate/", {"ir": valid_ir}, format="json").json()

    assert body["valid"] is True, body["errors"]
    # ("auditors", which alice may not name, is warned of as one that does not exist)
    assert [(w["code"], w["node"], w["field"]) for w in body["warnings"]] == [
        ("unknown_group", "ok", "assignees.groups"), ("unknown_group", "ok", "assignees.groups"),
        ("unknown_user", "ok", "assignees.users"),
    ]
    assert "`auditors`" in body["warnings"][0]["message"]
    body["warnings"].pop(0)
    group = body["warnings"][0]
    assert "the group `finanse`, which does not exist or is not one you may name" in (
        group["message"]
    )
    assert "only staff can decide this step" in group["message"]
    # the hint offers the groups alice may name (GET /groups/: hers), not every group
    assert "`sales`" in group["hint"]
    assert "`auditors`" not in group["hint"]


def test_validate_answers_alike_for_a_group_that_does_not_exist_and_one_you_may_not_see(
    api: APIClient, valid_ir: dict[str, Any], make_user: Callable[..., User]
) -> None:
    # Given "payroll", a group alice is not in and no approval tool names, and "payrol",
    # which does not exist
    make_user("bob", groups=("payroll",))

    def warning(group: str) -> dict[str, Any]:
        ir = {**valid_ir, "nodes": [*valid_ir["nodes"], {
            "id": "ok", "type": "approval", "after": ["check"],
            "form_schema": {"type": "object"}, "assignees": {"groups": [group]},
        }]}
        body = api.post("/api/v1/validate/", {"ir": ir}, format="json").json()
        [found] = body["warnings"]
        return found

    # When alice validates a flow naming each
    hidden, missing = warning("payroll"), warning("payrol")

    # Then both answers are the same but for the name itself
    assert hidden["code"] == missing["code"] == "unknown_group"
    assert hidden["hint"] == missing["hint"]
    assert hidden["message"] == missing["message"].replace("payrol`", "payroll`")


def test_validate_answers_alike_for_a_user_who_does_not_exist_and_one_you_may_not_see(
    api: APIClient, valid_ir: dict[str, Any], make_user: Callable[..., User],
    admin_user: User, client_for: Callable[[User | None], APIClient],
) -> None:
    # Given bob, who shares the group "sales" with alice, and dora, who shares none
    make_user("bob", groups=("sales",))
    make_user("dora", groups=("payroll",))

    def warnings(client: APIClient, username: str) -> list[dict[str, Any]]:
        ir = {**valid_ir, "nodes": [*valid_ir["nodes"], {
            "id": "ok", "type": "approval", "after": ["check"],
            "form_schema": {"type": "object"}, "assignees": {"users": [username]},
        }]}
        body = client.post("/api/v1/validate/", {"ir": ir}, format="json").json()
        return list(body["warnings"])

    # When alice validates a flow naming each of them, and one naming nobody's account
    [hidden], [missing] = warnings(api, "dora"), warnings(api, "dorra")

    # Then dora (hidden) and dorra (no account) answer the same but for the name itself
    assert hidden["code"] == missing["code"] == "unknown_user"
    assert hidden["hint"] == missing["hint"]
    assert hidden["message"] == missing["message"].replace("dorra`", "dora`")
    assert "has no active account or is not someone you may name" in hidden["message"]
    # bob, a colleague, is no warning; staff are warned of dorra alone, in plain words
    assert warnings(api, "bob") == []
    assert warnings(client_for(admin_user), "dora") == []
    [plain] = warnings(client_for(admin_user), "dorra")
    assert "`dorra`, who has no active account: they cannot decide" in plain["message"]


def test_a_user_an_approval_tool_names_may_be_named_by_anyone(
    api: APIClient, valid_ir: dict[str, Any], make_user: Callable[..., User]
) -> None:
    # Given dora, who shares no group with alice, named by an enabled approval tool
    make_user("dora", groups=("payroll",))
    Tool.objects.create(
        id="payroll_sign_off", name="Payroll sign-off", description="An approval form.",
        kind=Tool.Kind.APPROVAL, input_schema={"type": "object"},
        config={"instructions": "Check it.", "assignees": {"users": ["dora"], "groups": []}},
    )  # fmt: skip
    valid_ir["nodes"].append({
        "id": "ok", "type": "approval", "after": ["check"], "form_schema": {"type": "object"},
        "assignees": {"users": ["dora"]},
    })

    # When alice validates a flow naming her
    body = api.post("/api/v1/validate/", {"ir": valid_ir}, format="json").json()

    # Then dora is no warning: an admin published her as an approver
    assert body["warnings"] == []


def test_the_warning_hint_offers_staff_every_group(
    admin_user: User, client_for: Callable[[User | None], APIClient],
    valid_ir: dict[str, Any], make_user: Callable[..., User],
) -> None:
    make_user("bob", groups=("managers",))
    valid_ir["nodes"].append({
        "id": "ok", "type": "approval", "after": ["check"],
        "form_schema": {"type": "object", "properties": {"note": {"type": "string"}}},
        "assignees": {"groups": ["finanse"]},
    })

    body = client_for(admin_user).post("/api/v1/validate/", {"ir": valid_ir},
                                       format="json").json()

    assert "`managers`" in body["warnings"][0]["hint"]



def test_validate_warns_of_an_llm_node_where_no_model_is_configured(
    api: APIClient, valid_ir: dict[str, Any], settings: Any
) -> None:
    valid_ir["nodes"].append({"id": "summary", "type": "llm", "prompt": "Summarise it"})
    settings.OPENAI_API_KEY = ""

    body = api.post("/api/v1/validate/", {"ir": valid_ir}, format="json").json()

    assert body["valid"] is True
    (warning,) = body["warnings"]
    assert (warning["code"], warning["node"]) == ("llm_unavailable", "summary")
    assert "OPENAI_API_KEY" in warning["hint"]
    settings.OPENAI_API_KEY = "sk-test"
    assert api.post("/api/v1/validate/", {"ir": valid_ir}, format="json").json()["warnings"] == []

def test_validate_reports_each_issue_with_node_field_and_hint(
    api: APIClient, valid_ir: dict[str, Any]
) -> None:
    valid_ir["nodes"][0]["inputs"] = {}

    body = api.post("/api/v1/validate/", {"ir": valid_ir}, format="json").json()

    assert body["valid"] is False
    issue = body["errors"][0]
    assert issue["code"] == "missing_input"
    assert issue["node"] == "check"
    assert issue["hint"]


def test_validate_uses_the_registry_so_disabled_tools_are_unknown(
    api: APIClient, valid_ir: dict[str, Any]
) -> None:
    Tool.objects.filter(id="validate_email").update(enabled=False)

    body = api.post("/api/v1/validate/", {"ir": valid_ir}, format="json").json()

    assert body["valid"] is False
    assert body["errors"][0]["code"] == "unknown_tool"


def test_validate_needs_an_object(api: APIClient) -> None:
    assert "ir" in assert_error(api.post("/api/v1/validate/", {"ir": "x"}, format="json"),
                                400)["details"]["fields"]


def test_ir_schema(api: APIClient) -> None:
    schema = api.get("/api/v1/ir/schema/").json()

    assert schema["title"] == "DynamicFlow IR"
    assert "nodes" in schema["properties"]


def test_plan_creates_a_flow_and_its_first_version(api: APIClient, alice: User) -> None:
    response = api.post("/api/v1/plan/", {"prompt": PROMPT}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "succeeded", body
    assert body["planner"] == "offline"
    assert body["resulting_version"] == 1
    assert body["ir"]["nodes"]
    assert any(event["type"] == "plan.completed" for event in body["events"])
    version = FlowVersion.objects.get(flow_id=body["flow"], number=1)
    assert version.source == FlowVersion.Source.PLANNER
    assert version.is_valid
    assert version.flow.owner == alice

    status = api.get(f"/api/v1/plan/{body['id']}/").json()
    assert status["status"] == "succeeded"
    assert status["events"] == body["events"]
    assert [p["id"] for p in api.get("/api/v1/plan/").json()["results"]] == [body["id"]]


def test_plan_on_a_flow_refines_its_latest_version(
    api: APIClient, valid_ir: dict[str, Any]
) -> None:
    flow_id = api.post("/api/v1/flows/", {"name": "F", "ir": valid_ir}, format="json").json()[
        "id"
    ]

    response = api.post("/api/v1/plan/", {"prompt": "Rename the flow to Email check",
                                          "flow": flow_id}, format="json")

    body = response.json()
    assert response.status_code == 201, body
    assert body["flow"] == flow_id
    if body["status"] == "succeeded":
        assert body["resulting_version"] == 2
        assert FlowVersion.objects.get(flow_id=flow_id, number=2).parent.number == 1
    else:  # the offline planner may not understand every instruction; nothing is saved then
        assert body["error"]
        assert FlowVersion.objects.filter(flow_id=flow_id).count() == 1


def test_a_failed_plan_is_recorded_without_a_version(api: APIClient) -> None:
    response = api.post("/api/v1/plan/", {"prompt": "Paint the moon purple."}, format="json")

    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "failed"
    assert body["error"]
    assert body["resulting_version"] is None
    assert not Flow.objects.exists()


def test_plan_refuses_unknown_tools_and_planners_before_recording(
    api: APIClient,
) -> None:
    error = assert_error(api.post("/api/v1/plan/", {"prompt": PROMPT, "tools": ["nope"]},
                                  format="json"), 400, "unknown_tools")
    assert error["details"]["unknown"] == ["nope"]
    assert_error(api.post("/api/v1/plan/", {"prompt": PROMPT, "planner": "magic"},
                          format="json"), 400, "invalid")
    assert_error(api.post("/api/v1/plan/", {}, format="json"), 400)
    assert not PlanRequest.objects.exists()


def test_the_llm_planner_asked_for_where_none_is_configured_plans_offline_and_warns(
    api: APIClient, settings: Any
) -> None:
    settings.OPENAI_API_KEY = ""

    response = api.post("/api/v1/plan/", {"prompt": PROMPT, "planner": "openai"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "succeeded"
    assert body["planner"] == "offline"
    (warning,) = body["warnings"]
    assert warning["code"] == "llm_unavailable"
    assert "offline planner" in warning["message"]
    # the request keeps it: reading it again says the same
    again = api.get(f"/api/v1/plan/{body['id']}/").json()
    assert [w["code"] for w in again["warnings"]] == ["llm_unavailable"]
    # asked for nothing in particular, or for the offline planner: no warning
    plain = api.post("/api/v1/plan/", {"prompt": PROMPT}, format="json").json()
    assert plain["warnings"] == []


def test_plan_for_a_flow_you_cannot_edit(
    api: APIClient, client_for: Callable[[User | None], APIClient], bob: User, carol: User,
) -> None:
    flow_id = api.post("/api/v1/flows/", {"name": "F", "shared_with_groups": ["sales"]},
                       format="json").json()["id"]

    assert_error(client_for(bob).post("/api/v1/plan/", {"prompt": PROMPT, "flow": flow_id},
                                      format="json"), 403)
    assert_error(client_for(carol).post("/api/v1/plan/", {"prompt": PROMPT, "flow": flow_id},
                                        format="json"), 404)
    assert not PlanRequest.objects.exists()


def test_someone_elses_plan_request_is_404(
    api: APIClient, client_for: Callable[[User | None], APIClient], bob: User
) -> None:
    plan_id = api.post("/api/v1/plan/", {"prompt": PROMPT}, format="json").json()["id"]

    assert_error(client_for(bob).get(f"/api/v1/plan/{plan_id}/"), 404, "not_found")
    assert_error(api.get("/api/v1/plan/00000000-0000-0000-0000-000000000000/"), 404)


def test_a_background_plan_is_answered_pending_and_enqueued(
    api: APIClient, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    sent: list[tuple[Any, Any]] = []
    monkeypatch.setattr("flows.tasks.execute_plan.apply_async",
                        lambda args, queue: sent.append((args, queue)))

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/plan/", {"prompt": PROMPT, "background": True},
                            format="json")

    body = response.json()
    assert response.status_code == 202, body
    assert body["status"] == "pending"
    assert body["resulting_version"] is None
    assert sent == [([body["id"]], sent[0][1])]
    assert not Flow.objects.exists()


def test_refine_previews_operations_and_a_diff_without_saving(
    api: APIClient, valid_ir: dict[str, Any]
) -> None:
    response = api.post("/api/v1/refine/", {
        "ir": valid_ir, "instruction": "also send a welcome email to input.email",
    }, format="json")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "succeeded", body
    assert body["operations"]
    added = {node["id"] for node in body["diff"]["added"]}
    assert added
    assert added <= {node["id"] for node in body["ir"]["nodes"]}
    assert {node["id"] for node in valid_ir["nodes"]} <= {n["id"] for n in body["ir"]["nodes"]}
    assert not FlowVersion.objects.exists()


def test_refine_refuses_an_ir_that_is_not_an_ir(api: APIClient) -> None:
    body = assert_error(api.post("/api/v1/refine/", {"ir": {"nodes": "x"},
                                                     "instruction": "x"}, format="json"),
                        400, "invalid_ir")
    assert "IR JSON Schema" in body["message"]
