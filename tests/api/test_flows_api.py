"""Flows: CRUD, owned by their creator, visible to owner, staff and shared groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from flows.models import Flow, FlowVersion, Run
from tests.api.conftest import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

Clients = Callable[[User | None], APIClient]


def test_create_with_a_first_version(api: APIClient, alice: User, valid_ir: dict[str, Any]) -> None:
    response = api.post("/api/v1/flows/", {"name": "Emails", "description": "d", "ir": valid_ir},
                        format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == "alice"
    assert body["can_edit"] is True
    assert body["latest_version"]["number"] == 1
    assert body["latest_version"]["is_valid"] is True
    version = FlowVersion.objects.get(flow_id=body["id"])
    assert version.author == alice
    assert version.ir == valid_ir
    [listed] = api.get("/api/v1/flows/").json()["results"]
    assert listed["latest_version"] == body["latest_version"]


def test_a_flow_created_from_an_ir_without_a_description_takes_the_irs(
        api: APIClient, valid_ir: dict[str, Any]) -> None:
    # It was listed as "No description" while its run form showed the IR's description
    valid_ir["description"] = "Welcome every new customer."
    body = api.post("/api/v1/flows/", {"name": "Welcome", "ir": valid_ir}, format="json").json()
    assert body["description"] == "Welcome every new customer."

    given = api.post("/api/v1/flows/", {"name": "Mine", "description": "", "ir": valid_ir},
                     format="json").json()
    assert given["description"] == ""  # one given, even empty, is kept
    bare = api.post("/api/v1/flows/", {"name": "Empty"}, format="json").json()
    assert bare["description"] == ""
    assert Flow.objects.get(pk=body["id"]).description == "Welcome every new customer."


def test_create_with_an_unparseable_ir_creates_nothing(api: APIClient) -> None:
    response = api.post("/api/v1/flows/", {"name": "Broken", "ir": {"nodes": "nope"}},
                        format="json")

    error = assert_error(response, 400, "invalid_ir")
    assert error["details"]["errors"][0]["code"] == "schema"
    assert not Flow.objects.exists()


def test_unknown_group_is_refused(api: APIClient) -> None:
    response = api.post("/api/v1/flows/", {"name": "x", "shared_with_groups": ["nobody"]},
                        format="json")

    assert "shared_with_groups" in assert_error(response, 400)["details"]["fields"]
    assert not Flow.objects.exists()


@pytest.fixture
def shared_flow(api: APIClient) -> dict[str, Any]:
    response = api.post("/api/v1/flows/", {"name": "Shared", "shared_with_groups": ["sales"]},
                        format="json")
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def private_flow(api: APIClient) -> dict[str, Any]:
    return api.post("/api/v1/flows/", {"name": "Private"}, format="json").json()


def test_visibility_owner_group_staff_and_strangers(
    client_for: Clients, alice: User, bob: User, carol: User, admin_user: User,
    shared_flow: dict[str, Any], private_flow: dict[str, Any],
) -> None:
    def names(user: User) -> set[str]:
        return {f["name"] for f in client_for(user).get("/api/v1/flows/").json()["results"]}

    assert names(alice) == {"Shared", "Private"}
    assert names(bob) == {"Shared"}
    assert names(carol) == set()
    assert names(admin_user) == {"Shared", "Private"}
    assert client_for(bob).get(f"/api/v1/flows/{shared_flow['id']}/").json()["can_edit"] is False
    assert_error(client_for(carol).get(f"/api/v1/flows/{shared_flow['id']}/"), 404, "not_found")
    assert_error(client_for(bob).get(f"/api/v1/flows/{private_flow['id']}/"), 404)


def test_only_owner_and_staff_may_change(
    client_for: Clients, bob: User, carol: User, admin_user: User, shared_flow: dict[str, Any],
) -> None:
    url = f"/api/v1/flows/{shared_flow['id']}/"

    assert_error(client_for(bob).patch(url, {"name": "Mine"}, format="json"), 403,
                 "permission_denied")
    assert_error(client_for(bob).delete(url), 403)
    assert_error(client_for(carol).patch(url, {"name": "Mine"}, format="json"), 404)
    assert Flow.objects.get(pk=shared_flow["id"]).name == "Shared"

    response = client_for(admin_user).patch(url, {"name": "Renamed"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"


def test_owner_updates_and_unshares(api: APIClient, client_for: Clients, bob: User,
                                    shared_flow: dict[str, Any]) -> None:
    url = f"/api/v1/flows/{shared_flow['id']}/"

    response = api.patch(url, {"description": "new", "shared_with_groups": []}, format="json")

    assert response.status_code == 200
    assert response.json()["shared_with_groups"] == []
    assert_error(client_for(bob).get(url), 404)


def test_bad_update_changes_nothing(api: APIClient, private_flow: dict[str, Any]) -> None:
    url = f"/api/v1/flows/{private_flow['id']}/"

    assert_error(api.patch(url, {"name": "x" * 201}, format="json"), 400)
    assert Flow.objects.get(pk=private_flow["id"]).name == "Private"



def test_an_ir_patched_onto_a_flow_is_told_where_an_ir_goes(
    api: APIClient, private_flow: dict[str, Any], valid_ir: dict[str, Any]
) -> None:
    url = f"/api/v1/flows/{private_flow['id']}/"

    error = assert_error(api.patch(url, {"ir": valid_ir, "name": "Renamed"}, format="json"),
                         400, "invalid")

    (said,) = error["details"]["fields"]["ir"]
    assert f"/api/v1/flows/{private_flow['id']}/versions/" in said
    assert Flow.objects.get(pk=private_flow["id"]).name == "Private"
    assert not FlowVersion.objects.filter(flow_id=private_flow["id"]).exists()

def test_delete(api: APIClient, private_flow: dict[str, Any]) -> None:
    assert api.delete(f"/api/v1/flows/{private_flow['id']}/").status_code == 204
    assert not Flow.objects.filter(pk=private_flow["id"]).exists()


def test_a_flow_with_runs_cannot_be_deleted(
    api: APIClient, alice: User, valid_ir: dict[str, Any]
) -> None:
    flow_id = api.post("/api/v1/flows/", {"name": "Ran", "ir": valid_ir}, format="json").json()[
        "id"
    ]
    Run.objects.create(flow_version=FlowVersion.objects.get(flow_id=flow_id), requested_by=alice)

    assert_error(api.delete(f"/api/v1/flows/{flow_id}/"), 409, "protected")
    assert Flow.objects.filter(pk=flow_id).exists()


def test_filter_and_search(api: APIClient, shared_flow: dict[str, Any],
                           private_flow: dict[str, Any]) -> None:
    results = api.get("/api/v1/flows/", {"search": "priv"}).json()["results"]
    assert [f["name"] for f in results] == ["Private"]
    assert api.get("/api/v1/flows/", {"owner": "bob"}).json()["count"] == 0


def test_unknown_flow_is_404(api: APIClient) -> None:
    assert_error(api.get("/api/v1/flows/424242/"), 404)
    assert_error(api.patch("/api/v1/flows/424242/", {"name": "x"}, format="json"), 404)
    assert_error(api.delete("/api/v1/flows/424242/"), 404)


def test_the_list_shows_each_flows_last_run_that_you_may_see(
    api: APIClient, alice: User, bob: User, valid_ir: dict[str, Any]
) -> None:
    flow_id = api.post("/api/v1/flows/", {"name": "F", "ir": valid_ir}, format="json").json()["id"]
    version = FlowVersion.objects.get(flow_id=flow_id)
    assert api.get("/api/v1/flows/").json()["results"][0]["last_run"] is None

    Run.objects.create(flow_version=version, input={}, requested_by=alice,
                       status=Run.Status.FAILED)
    mine = Run.objects.create(flow_version=version, input={}, requested_by=alice,
                              status=Run.Status.COMPLETED)
    Run.objects.create(flow_version=version, input={}, requested_by=bob)  # not mine to see

    last = api.get("/api/v1/flows/").json()["results"][0]["last_run"]
    assert last["id"] == str(mine.id)
    assert last["status"] == "completed"


def test_the_last_run_is_the_newest_of_any_version(
    api: APIClient, alice: User, valid_ir: dict[str, Any]
) -> None:
    flow_id = api.post("/api/v1/flows/", {"name": "F", "ir": valid_ir}, format="json").json()["id"]
    first = FlowVersion.objects.get(flow_id=flow_id)
    second = FlowVersion.objects.create(flow_id=flow_id, number=2, ir=valid_ir, is_valid=True)
    FlowVersion.objects.create(flow_id=flow_id, number=3, ir=valid_ir, is_valid=True)  # never run
    for _ in range(3):
        Run.objects.create(flow_version=second, input={}, requested_by=alice)
    # The newest run is of the older version (re-run after version 2 was made).
    newest = Run.objects.create(flow_version=first, input={}, requested_by=alice,
                                status=Run.Status.CANCELLED)

    [listed] = api.get("/api/v1/flows/").json()["results"]

    assert listed["latest_version"]["number"] == 3
    assert listed["last_run"]["id"] == str(newest.id)
    assert listed["last_run"]["status"] == "cancelled"


def test_the_list_counts_the_latest_versions_warnings(
    api: APIClient, valid_ir: dict[str, Any], settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    # It listed a green "Valid" for a flow the designer shows as "Valid · 1 warning"
    settings.OPENAI_API_KEY = ""
    plain = api.post("/api/v1/flows/", {"name": "Plain", "ir": valid_ir}, format="json").json()
    warned_ir = {**valid_ir, "nodes": [*valid_ir["nodes"],
                                       {"id": "summary", "type": "llm", "prompt": "Summarise"}]}
    warned = api.post("/api/v1/flows/", {"name": "Warned", "ir": warned_ir}, format="json").json()
    assert warned["latest_version"]["is_valid"] is True
    assert warned["latest_version"]["warning_count"] == 1

    for _ in range(3):
        api.post("/api/v1/flows/", {"name": "More", "ir": warned_ir}, format="json")
    with django_assert_max_num_queries(6):  # as many for five flows as for one
        listed = {f["name"]: f for f in api.get("/api/v1/flows/").json()["results"]}

    assert listed["Plain"]["latest_version"]["warning_count"] == 0
    assert listed["Warned"]["latest_version"]["warning_count"] == 1
    version = api.get(f"/api/v1/flows/{warned['id']}/versions/1/").json()
    assert [w["code"] for w in version["validation_warnings"]] == ["llm_unavailable"]
    # a new version without the llm node has none
    api.post(f"/api/v1/flows/{warned['id']}/versions/", {"ir": valid_ir}, format="json")
    assert api.get(f"/api/v1/flows/{warned['id']}/").json()["latest_version"][
        "warning_count"] == 0
    assert plain["latest_version"]["warning_count"] == 0
