"""Flow versions: immutable, validated against the registry on create, listed, diffed."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from flows.models import FlowVersion
from tests.api.conftest import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


@pytest.fixture
def flow_id(api: APIClient, valid_ir: dict[str, Any]) -> int:
    response = api.post("/api/v1/flows/", {"name": "Emails", "shared_with_groups": ["sales"],
                                           "ir": valid_ir}, format="json")
    return int(response.json()["id"])


def versions_url(flow_id: int) -> str:
    return f"/api/v1/flows/{flow_id}/versions/"


def test_create_a_valid_version(api: APIClient, flow_id: int, valid_ir: dict[str, Any]) -> None:
    valid_ir["description"] = "v2"

    response = api.post(versions_url(flow_id), {"ir": valid_ir, "source": "editor"},
                        format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 2
    assert body["parent"] == 1
    assert body["source"] == "editor"
    assert body["is_valid"] is True
    assert body["validation_errors"] == []
    assert body["ir"] == valid_ir
    assert body["author"] == "alice"
    # the id is what a run takes as its flow_version
    assert FlowVersion.objects.get(pk=body["id"]).number == 2


def test_an_invalid_version_is_stored_with_its_errors(
    api: APIClient, flow_id: int, valid_ir: dict[str, Any]
) -> None:
    valid_ir["nodes"][0]["tool"] = "validate_emial"

    response = api.post(versions_url(flow_id), {"ir": valid_ir}, format="json")

    body = response.json()
    assert response.status_code == 201
    assert body["is_valid"] is False
    issue = body["validation_errors"][0]
    assert issue["code"] == "unknown_tool"
    assert issue["node"] == "check"
    assert "validate_email" in (issue["hint"] or "") + issue["message"]


def test_an_ir_that_does_not_parse_is_refused_and_nothing_is_stored(
    api: APIClient, flow_id: int
) -> None:
    response = api.post(versions_url(flow_id), {"ir": {"name": "x", "nodes": []}},
                        format="json")

    error = assert_error(response, 400, "invalid_ir")
    assert error["details"]["errors"][0]["field"]
    assert FlowVersion.objects.filter(flow_id=flow_id).count() == 1


def test_ir_is_required_and_must_be_an_object(api: APIClient, flow_id: int) -> None:
    assert "ir" in assert_error(api.post(versions_url(flow_id), {}, format="json"),
                                400)["details"]["fields"]
    assert_error(api.post(versions_url(flow_id), {"ir": [1, 2]}, format="json"), 400)


def test_a_client_may_not_claim_the_planner_wrote_it(
    api: APIClient, flow_id: int, valid_ir: dict[str, Any]
) -> None:
    response = api.post(versions_url(flow_id), {"ir": valid_ir, "source": "planner"},
                        format="json")

    assert "source" in assert_error(response, 400)["details"]["fields"]


def test_parent_must_exist(api: APIClient, flow_id: int, valid_ir: dict[str, Any]) -> None:
    response = api.post(versions_url(flow_id), {"ir": valid_ir, "parent": 7}, format="json")

    assert "parent" in assert_error(response, 400)["details"]["fields"]
    assert FlowVersion.objects.filter(flow_id=flow_id).count() == 1


def test_list_and_detail(api: APIClient, flow_id: int, valid_ir: dict[str, Any]) -> None:
    api.post(versions_url(flow_id), {"ir": valid_ir, "parent": 1}, format="json")

    listed = api.get(versions_url(flow_id)).json()
    assert [v["number"] for v in listed["results"]] == [2, 1]
    assert "ir" not in listed["results"][0]
    detail = api.get(f"{versions_url(flow_id)}1/").json()
    assert detail["ir"] == valid_ir
    assert_error(api.get(f"{versions_url(flow_id)}9/"), 404, "not_found")


def test_group_members_read_but_cannot_add_versions(
    client_for: Callable[[User | None], APIClient], bob: User, carol: User, flow_id: int,
    valid_ir: dict[str, Any],
) -> None:
    assert client_for(bob).get(versions_url(flow_id)).status_code == 200
    assert client_for(bob).get(f"{versions_url(flow_id)}1/").status_code == 200
    assert_error(client_for(bob).post(versions_url(flow_id), {"ir": valid_ir}, format="json"),
                 403)
    assert_error(client_for(carol).get(versions_url(flow_id)), 404)
    assert_error(client_for(carol).get(f"{versions_url(flow_id)}1/"), 404)
    assert_error(client_for(carol).post(versions_url(flow_id), {"ir": valid_ir}, format="json"),
                 404)
    assert FlowVersion.objects.filter(flow_id=flow_id).count() == 1


def test_diff_of_two_versions(api: APIClient, flow_id: int, valid_ir: dict[str, Any]) -> None:
    edited = copy.deepcopy(valid_ir)
    edited["name"] = "Check and greet"
    edited["nodes"][1]["value"] = {"valid": "check.valid", "domain": "check.domain"}
    edited["nodes"].append({"id": "note", "type": "value", "value": "'done'",
                            "after": ["result"]})
    api.post(versions_url(flow_id), {"ir": edited}, format="json")

    response = api.get(f"{versions_url(flow_id)}1/diff/", {"other": 2})

    assert response.status_code == 200, response.content
    diff = response.json()
    assert diff["from_number"] == 1
    assert diff["to_number"] == 2
    assert [node["id"] for node in diff["added"]] == ["note"]
    assert diff["removed"] == []
    assert diff["changed"][0]["id"] == "result"
    assert "value" in diff["changed"][0]["changes"]
    assert diff["edges_added"] == [["result", "note"]]
    assert diff["flow_changes"]["name"] == {"before": "Check an email",
                                            "after": "Check and greet"}


def test_diff_needs_an_existing_other_version(api: APIClient, flow_id: int) -> None:
    assert "other" in assert_error(api.get(f"{versions_url(flow_id)}1/diff/"),
                                   400)["details"]["fields"]
    assert_error(api.get(f"{versions_url(flow_id)}1/diff/", {"other": "abc"}), 400)
    assert_error(api.get(f"{versions_url(flow_id)}1/diff/", {"other": 5}), 404)
    assert_error(api.get(f"{versions_url(flow_id)}5/diff/", {"other": 1}), 404)
