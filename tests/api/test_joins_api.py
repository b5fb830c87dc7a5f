"""Joins: CRUD for users with the join permissions, every mapping checked before saving."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.api.conftest import assert_error
from tools_registry.models import Join

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

GOOD = {"from_tool": "lookup_user", "to_tool": "send_welcome_email",
        "mapping": {"email": "source.user.email", "name": "source.user.name"}}


@pytest.fixture
def editor(admin_user: User, client_for: Callable[[User | None], APIClient]) -> APIClient:
    return client_for(admin_user)


def test_create_read_update_delete(editor: APIClient) -> None:
    created = editor.post("/api/v1/joins/", GOOD, format="json")
    assert created.status_code == 201, created.content
    join_id = created.json()["id"]
    assert created.json()["mapping"] == GOOD["mapping"]

    assert editor.get(f"/api/v1/joins/{join_id}/").json()["to_tool"] == "send_welcome_email"
    listed = editor.get("/api/v1/joins/", {"from_tool": "lookup_user"}).json()
    assert [item["id"] for item in listed["results"]] == [join_id]

    patched = editor.patch(f"/api/v1/joins/{join_id}/", {"enabled": False}, format="json")
    assert patched.status_code == 200
    assert patched.json()["enabled"] is False

    assert editor.delete(f"/api/v1/joins/{join_id}/").status_code == 204
    assert not Join.objects.exists()


def test_a_mapping_that_does_not_compile_is_refused(editor: APIClient) -> None:
    body = {**GOOD, "mapping": {"email": "source.email +"}}

    error = assert_error(editor.post("/api/v1/joins/", body, format="json"), 400, "invalid")

    assert "does not compile" in error["details"]["fields"]["mapping"][0]
    assert not Join.objects.exists()


def test_a_target_that_is_not_an_input_is_refused(editor: APIClient) -> None:
    body = {**GOOD, "mapping": {"emial": "source.user.email", "name": "source.user.name"}}

    error = assert_error(editor.post("/api/v1/joins/", body, format="json"), 400)

    assert "Did you mean `email`" in error["message"]


def test_an_unknown_tool_is_refused(editor: APIClient) -> None:
    error = assert_error(
        editor.post("/api/v1/joins/", {**GOOD, "to_tool": "nope"}, format="json"), 400
    )
    assert "to_tool" in error["details"]["fields"]


def test_a_bad_update_changes_nothing(editor: APIClient) -> None:
    join_id = editor.post("/api/v1/joins/", GOOD, format="json").json()["id"]

    response = editor.patch(f"/api/v1/joins/{join_id}/",
                            {"mapping": {"email": "input.email"}}, format="json")

    assert_error(response, 400)
    assert Join.objects.get(pk=join_id).mapping == GOOD["mapping"]


def test_a_duplicate_pair_is_refused(editor: APIClient) -> None:
    editor.post("/api/v1/joins/", GOOD, format="json")

    assert_error(editor.post("/api/v1/joins/", GOOD, format="json"), 400)
    assert Join.objects.count() == 1


def test_users_without_the_permissions_can_read_but_not_write(
    editor: APIClient, api: APIClient
) -> None:
    join_id = editor.post("/api/v1/joins/", GOOD, format="json").json()["id"]

    assert api.get(f"/api/v1/joins/{join_id}/").status_code == 200
    assert_error(api.post("/api/v1/joins/", GOOD, format="json"), 403, "permission_denied")
    assert_error(api.patch(f"/api/v1/joins/{join_id}/", {"enabled": False}, format="json"), 403)
    assert_error(api.delete(f"/api/v1/joins/{join_id}/"), 403)
    assert Join.objects.get(pk=join_id).enabled is True


def test_unknown_join_is_404(editor: APIClient) -> None:
    assert_error(editor.get("/api/v1/joins/999999/"), 404, "not_found")
    assert_error(editor.patch("/api/v1/joins/999999/", {}, format="json"), 404)
    assert_error(editor.delete("/api/v1/joins/999999/"), 404)
