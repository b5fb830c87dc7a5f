"""No existence oracles: another user's version and a missing one answer the same, and a
flow is shared only into groups one belongs to (or any, for staff) (issue 13, item 6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def client(user: User) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_running_another_users_version_answers_like_a_missing_one(user, other_user, make_version):
    foreign = make_version(
        {"name": "x", "nodes": [{"id": "a", "type": "value", "value": "1"}]}, owner=other_user
    )
    api = client(user)
    answers = []
    for version_id in (foreign.id, foreign.id + 10_000):
        for path, body in (
            ("/api/v1/runs/", {"flow_version": version_id, "input": {}}),
            ("/api/v1/runs/batch/", {"flow_version": version_id, "inputs": [{}]}),
        ):
            response = api.post(path, body, format="json")
            error: dict[str, Any] = response.json()["error"]
            answers.append((path, response.status_code, error["code"]))
    assert {status for _, status, _ in answers} == {404}
    assert {code for _, _, code in answers} == {"not_found"}


def test_a_flow_is_shared_only_into_groups_one_belongs_to(user, django_user_model):
    mine = Group.objects.create(name="mine")
    Group.objects.create(name="theirs")
    user.groups.add(mine)
    api = client(user)

    def share(groups: list[str]) -> Any:
        return api.post(
            "/api/v1/flows/", {"name": "f", "shared_with_groups": groups}, format="json"
        )

    assert share(["mine"]).status_code == 201
    not_member, missing = share(["theirs"]), share(["nobody-has-this"])
    assert not_member.status_code == missing.status_code == 400
    assert not_member.json()["error"]["message"].replace("theirs", "?") == missing.json()["error"][
        "message"
    ].replace("nobody-has-this", "?")
    staff = django_user_model.objects.create_user("root2", password="pw-root-123456", is_staff=True)
    assert (
        client(staff)
        .post("/api/v1/flows/", {"name": "g", "shared_with_groups": ["theirs"]}, format="json")
        .status_code
        == 201
    )
    flow_id = share(["mine"]).json()["id"]
    patched = api.patch(
        f"/api/v1/flows/{flow_id}/", {"shared_with_groups": ["theirs"]}, format="json"
    )
    assert patched.status_code == 400
