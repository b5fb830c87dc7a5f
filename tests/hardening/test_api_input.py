"""No 5xx from input: deep JSON, lone surrogates, oversized and empty multipart bodies all
answer 4xx in the JSON error format (issue 13, item 4)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token


@pytest.fixture
def token_client(db: None) -> Client:
    user = User.objects.create_user("eve", password="pw-eve-123456")
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def session_client(db: None) -> Client:
    User.objects.create_user("fay", password="pw-fay-123456")
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="fay", password="pw-fay-123456")
    return client


def assert_json_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = json.loads(response.content)
    assert set(body["error"]) >= {"code", "message"}, body
    return body["error"]


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("path", ["/api/v1/validate/", "/api/v1/runs/", "/api/v1/flows/"])
@pytest.mark.parametrize("levels", [1000, 100_000])
def test_deeply_nested_json_is_a_400(token_client, path, levels):
    body = '{"ir": ' + deep(levels) + ', "input": ' + deep(levels) + "}"
    error = assert_json_error(token_client.post(path, body, content_type="application/json"), 400)
    assert "nested" in error["message"]


def test_nesting_under_the_limit_is_still_read(token_client):
    body = json.dumps({"ir": json.loads(deep(30))})
    response = token_client.post("/api/v1/validate/", body, content_type="application/json")
    assert response.status_code == 400  # an IR that is a list: invalid, but read
    assert "nested" not in response.content.decode()


@pytest.mark.parametrize("text", ['"\\udfff"', '"a\\ud800b"', '"\\u0000"'])
def test_a_lone_surrogate_or_nul_in_a_run_input_is_a_400(token_client, text):
    body = '{"flow_version": 1, "input": {"name": ' + text + "}}"
    error = assert_json_error(
        token_client.post("/api/v1/runs/", body, content_type="application/json"), 400
    )
    assert "not valid text" in error["message"]


def test_a_lone_surrogate_in_a_key_is_a_400(token_client):
    body = '{"ir": {"\\udfff": 1}}'
    assert_json_error(
        token_client.post("/api/v1/validate/", body, content_type="application/json"), 400
    )


def test_an_oversized_body_answers_413_in_the_json_format(token_client, settings):
    body = json.dumps({"ir": {"name": "x" * (10 * 1024 * 1024)}})
    error = assert_json_error(
        token_client.post("/api/v1/validate/", body, content_type="application/json"), 413
    )
    assert error["code"] == "request_too_large"


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=x"])
def test_an_empty_multipart_body_answers_in_the_json_format(token_client, content_type):
    response = token_client.post("/api/v1/validate/", b"", content_type=content_type)
    assert_json_error(response, 400)


def test_an_empty_multipart_body_with_a_session_answers_in_the_json_format(session_client):
    response = session_client.post(
        "/api/v1/validate/", b"", content_type="multipart/form-data; boundary=x"
    )
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json"), response.content[:300]


def test_an_oversized_multipart_body_with_a_session_answers_in_the_json_format(session_client):
    payload = b"x" * (3 * 1024 * 1024)
    body = b'--x\r\nContent-Disposition: form-data; name="ir"\r\n\r\n' + payload + b"\r\n--x--\r\n"
    response = session_client.post(
        "/api/v1/validate/", body, content_type="multipart/form-data; boundary=x"
    )
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json"), response.content[:300]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/approvals/1b72745f-ff89-40a5-ae84-ab6ece02b10f/%00/"),
        ("post", "/api/v1/approvals/1b72745f-ff89-40a5-ae84-ab6ece02b10f/%00/"),
        ("post", "/api/v1/runs/1b72745f-ff89-40a5-ae84-ab6ece02b10f/approvals/%00/"),
    ],
)
def test_a_nul_in_an_approval_node_id_is_a_404(token_client, method, path):
    """It reached Postgres, which refuses NUL in text: a 500."""
    if method == "get":
        response = token_client.get(path)
    else:
        response = token_client.post(path, '{"approved": true}', content_type="application/json")

    assert_json_error(response, 404)


@pytest.mark.parametrize(
    ("expression", "said"),
    [
        ("+".join(["1"] * 1000), "chains 999 operators; the limit is 500"),
        ("input.xs[0]" + ".a" * 1300, "nested too deeply to check"),
    ],
)
def test_an_expression_too_deep_to_check_is_an_issue_at_its_node_and_field(
    token_client, expression, said
):
    # Given an IR whose one expression is a chain deeper than the validator can walk
    ir = {
        "name": "deep",
        "input_schema": {"type": "object", "properties": {"xs": {"type": "array"}}},
        "nodes": [{"id": "total", "type": "value", "value": expression}],
    }

    response = token_client.post("/api/v1/validate/", {"ir": ir}, content_type="application/json")

    # Then it is an invalid IR naming the node and field, not a request error without a place
    assert response.status_code == 200, response.content[:300]
    body = json.loads(response.content)
    assert body["valid"] is False
    (issue,) = body["errors"]
    assert (issue["code"], issue["node"], issue["field"]) == ("expression_error", "total", "value")
    assert said in issue["message"]


def test_a_chain_of_500_operators_is_still_an_expression(token_client):
    chain = "+".join(["1"] * 501)
    ir = {"name": "sum", "nodes": [{"id": "total", "type": "value", "value": chain}]}

    response = token_client.post("/api/v1/validate/", {"ir": ir}, content_type="application/json")

    assert json.loads(response.content) == {"valid": True, "errors": [], "warnings": []}
