"""Credentials: write-only secrets, encrypted at rest, for users with the permissions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.api.conftest import assert_error
from tools_registry.models import Credential

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


@pytest.fixture
def keeper(admin_user: User, client_for: Callable[[User | None], APIClient]) -> APIClient:
    return client_for(admin_user)


def test_the_secret_is_stored_encrypted_and_never_returned(keeper: APIClient) -> None:
    response = keeper.post("/api/v1/credentials/",
                           {"name": "weather_key", "secret": "s3cr3t-value"}, format="json")

    assert response.status_code == 201, response.content
    assert "secret" not in response.json()
    assert "s3cr3t-value" not in response.content.decode()
    stored = Credential.objects.get(name="weather_key")
    assert "s3cr3t-value" not in stored.ciphertext
    assert stored.reveal() == "s3cr3t-value"
    listed = keeper.get("/api/v1/credentials/").content.decode()
    detail = keeper.get(f"/api/v1/credentials/{stored.pk}/").content.decode()
    assert "s3cr3t" not in listed
    assert "s3cr3t" not in detail


def test_patch_replaces_the_secret_and_delete_removes_it(keeper: APIClient) -> None:
    pk = keeper.post("/api/v1/credentials/", {"name": "k", "secret": "one"},
                     format="json").json()["id"]

    assert keeper.patch(f"/api/v1/credentials/{pk}/", {"secret": "two"},
                        format="json").status_code == 200
    assert Credential.objects.get(pk=pk).reveal() == "two"
    assert keeper.delete(f"/api/v1/credentials/{pk}/").status_code == 204
    assert not Credential.objects.exists()


def test_a_name_that_cannot_be_used_in_templates_is_refused(keeper: APIClient) -> None:
    error = assert_error(keeper.post("/api/v1/credentials/", {"name": "my-key", "secret": "x"},
                                     format="json"), 400)
    assert "name" in error["details"]["fields"]
    assert "letters, digits and '_'" in error["message"]  # says what a name may be
    assert not Credential.objects.exists()


def test_the_secret_is_required(keeper: APIClient) -> None:
    assert_error(keeper.post("/api/v1/credentials/", {"name": "k"}, format="json"), 400)


def test_builders_may_not_see_or_touch_credentials(keeper: APIClient, api: APIClient) -> None:
    pk = keeper.post("/api/v1/credentials/", {"name": "k", "secret": "x"},
                     format="json").json()["id"]

    assert_error(api.get("/api/v1/credentials/"), 403, "permission_denied")
    assert_error(api.get(f"/api/v1/credentials/{pk}/"), 403)
    assert_error(api.post("/api/v1/credentials/", {"name": "j", "secret": "y"}, format="json"),
                 403)
    assert_error(api.patch(f"/api/v1/credentials/{pk}/", {"secret": "z"}, format="json"), 403)
    assert_error(api.delete(f"/api/v1/credentials/{pk}/"), 403)
    assert Credential.objects.get(pk=pk).reveal() == "x"


def test_unknown_credential_is_404(keeper: APIClient) -> None:
    assert_error(keeper.get("/api/v1/credentials/12345/"), 404)


def test_allowed_hosts_are_stored_in_one_spelling_and_bad_ones_refused(keeper: APIClient) -> None:
    response = keeper.post("/api/v1/credentials/", {
        "name": "partner", "secret": "x", "allowed_hosts": ["API.Partner.com.", "*.cdn.io:8443"],
    }, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["allowed_hosts"] == ["api.partner.com", "*.cdn.io:8443"]
    pk = response.json()["id"]
    error = assert_error(keeper.patch(f"/api/v1/credentials/{pk}/",
                                      {"allowed_hosts": ["https://evil.com/"]}, format="json"),
                         400)
    assert "allowed_hosts" in error["details"]["fields"]
    renamed = keeper.patch(f"/api/v1/credentials/{pk}/",
                           {"name": "partner2", "allowed_hosts": ["api.partner.com"]},
                           format="json")
    assert renamed.status_code == 200, renamed.content
    assert Credential.objects.get(pk=pk).reveal() == "x"  # resealed under its new identity
