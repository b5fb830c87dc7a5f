"""Authentication (token and session) and the one error format for every 4xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from flows.models import Flow
from tests.api.conftest import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

PROTECTED = [
    ("get", "/api/v1/tools/"),
    ("get", "/api/v1/tools/send_email/"),
    ("get", "/api/v1/categories/"),
    ("get", "/api/v1/groups/"),
    ("get", "/api/v1/joins/"),
    ("post", "/api/v1/joins/"),
    ("get", "/api/v1/joins/1/"),
    ("get", "/api/v1/credentials/"),
    ("get", "/api/v1/flows/"),
    ("post", "/api/v1/flows/"),
    ("get", "/api/v1/flows/1/"),
    ("patch", "/api/v1/flows/1/"),
    ("delete", "/api/v1/flows/1/"),
    ("get", "/api/v1/flows/1/versions/"),
    ("post", "/api/v1/flows/1/versions/"),
    ("get", "/api/v1/flows/1/versions/1/"),
    ("get", "/api/v1/flows/1/versions/1/diff/?other=2"),
    ("post", "/api/v1/validate/"),
    ("get", "/api/v1/ir/schema/"),
    ("get", "/api/v1/plan/"),
    ("post", "/api/v1/plan/"),
    ("get", "/api/v1/plan/9b2f8f0e-8a0c-4c7c-9a57-3f0f5f0b1f11/"),
]


@pytest.mark.parametrize(("method", "url"), PROTECTED)
def test_every_endpoint_refuses_anonymous_requests_with_401(method: str, url: str) -> None:
    response = getattr(APIClient(), method)(url, {}, format="json")

    error = assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Token")
    assert "credentials" in error["message"].lower()


def test_a_bad_token_is_401_authentication_failed() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert_error(client.get("/api/v1/tools/"), 401, "authentication_failed")


def test_the_token_is_taken_as_a_bearer_token_too(alice: User) -> None:
    """Most HTTP clients and OpenAPI tools send a token as `Bearer <key>`."""
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=alice).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.get("/api/v1/flows/")
    assert response.status_code == 200, response.content

    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert_error(client.get("/api/v1/flows/"), 401, "authentication_failed")


def test_the_schema_offers_both_ways_of_sending_the_token(api: APIClient) -> None:
    schemes = api.get("/api/schema/?format=json").json()["components"]["securitySchemes"]

    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["tokenAuth"]["in"] == "header"
    assert "Token" in schemes["tokenAuth"]["description"]


def test_session_authentication_works(alice: User) -> None:
    client = APIClient()
    client.force_login(alice)

    assert client.get("/api/v1/tools/").status_code == 200


def test_malformed_json_is_a_400_parse_error(api: APIClient) -> None:
    response = api.post("/api/v1/validate/", "{not json", content_type="application/json")

    assert_error(response, 400, "parse_error")


def test_field_errors_say_what_and_where(api: APIClient) -> None:
    response = api.post("/api/v1/flows/", {"name": ""}, format="json")

    error = assert_error(response, 400, "invalid")
    assert error["message"].startswith("name:")
    assert "name" in error["details"]["fields"]


def test_unsupported_method_is_405_in_the_same_format(api: APIClient) -> None:
    assert_error(api.put("/api/v1/tools/", {}, format="json"), 405, "method_not_allowed")


def test_users_with_tokens(client_for: Callable[[User | None], APIClient], bob: User) -> None:
    response = client_for(bob).get("/api/v1/flows/")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_unavailable_database_is_a_503_in_the_error_format(
    api: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Postgres refusing a connection ("too many clients") was Django's HTML 500 page."""
    from django.db import OperationalError

    from flows.api import selectors

    def refuse(**kwargs: object) -> None:
        raise OperationalError("connection failed: FATAL:  sorry, too many clients already")

    monkeypatch.setattr(selectors, "flow_list", refuse)

    response = api.get("/api/v1/flows/")

    error = assert_error(response, 503, "unavailable")
    assert response["Retry-After"] == "5"
    assert "too many clients" not in error["message"]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/runs/%0Aabc/"])
def test_a_path_that_is_no_endpoint_is_a_json_404(api: APIClient, path: str) -> None:
    assert_error(api.get(path), 404, "not_found")


def test_a_path_missing_its_final_slash_is_told_the_one_it_means(
    api: APIClient, valid_ir: dict[str, Any]
) -> None:
    # Given a POST that leaves out the final slash every API path has
    response = api.post("/api/v1/flows", {"name": "x", "ir": valid_ir}, format="json")

    # Then the 404 names the path with it, and nothing is created
    error = assert_error(response, 404, "not_found")
    assert "Did you mean /api/v1/flows/ (with the final slash)?" in error["message"]
    assert not Flow.objects.exists()
    nowhere = assert_error(api.get("/api/v1/nothing-here"), 404, "not_found")
    assert "Did you mean" not in nowhere["message"]


@pytest.mark.parametrize(
    ("token", "url", "status"),
    [
        (False, "/api/v1/flows/", 401),
        (True, "/api/v1/flows/999999/", 404),
        (True, "/api/v1/runs/00000000-0000-0000-0000-000000000000/", 404),
        (True, "/api/v1/flows/", 200),
    ],
)
def test_a_browser_asking_for_html_gets_json_too(
    alice: User, client_for: Callable[[User | None], APIClient], token: bool, url: str,
    status: int,
) -> None:
    """Accept: text/html (what a browser sends) got DRF's browsable HTML pages, errors
    included; the API answers JSON to everyone."""
    response = client_for(alice if token else None).get(url, HTTP_ACCEPT="text/html")

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    if status >= 400:
        assert_error(response, status)


def test_the_interactive_docs_and_the_schema_still_render(api: APIClient) -> None:
    docs = api.get("/api/docs/", HTTP_ACCEPT="text/html")
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert docs.status_code == 200
    assert docs["Content-Type"].startswith("text/html")
    assert schema.status_code == 200
    assert "/api/v1/auth/token/" in schema.json()["paths"]


@pytest.mark.parametrize("path", ["/api/", "/api/v1/"])
def test_the_api_root_maps_every_collection_without_sign_in(path: str) -> None:
    response = APIClient().get(path)

    assert response.status_code == 200
    body = response.json()
    assert body["endpoints"]["flows"] == "http://testserver/api/v1/flows/"
    assert body["endpoints"]["runs"] == "http://testserver/api/v1/runs/"
    assert body["endpoints"]["approvals"] == "http://testserver/api/v1/approvals/"
    assert body["docs"] == "http://testserver/api/docs/"
    # every link it gives answers (a JSON 404 would mean a stale map)
    api = APIClient()
    for url in body["endpoints"].values():
        answer = api.get(url.removeprefix("http://testserver"))
        assert answer.status_code in (200, 401, 405), (url, answer.status_code)


def test_the_api_root_refuses_writes() -> None:
    assert_error(APIClient().post("/api/v1/", {}, format="json"), 405, "method_not_allowed")
