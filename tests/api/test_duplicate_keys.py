"""A JSON body with the same key twice in one object is refused (400 `duplicate_key`, naming
the key and where the object is) by every endpoint, and changes nothing: Python's parser
would keep the last value silently, and the client may have meant the first."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from flows.models import Flow, Run
from tests.api.conftest import assert_error


def post_raw(api: APIClient, path: str, body: str) -> Any:
    return api.generic("POST", path, body, content_type="application/json")


def test_a_key_twice_at_the_top_is_refused_and_creates_nothing(api: APIClient) -> None:
    response = post_raw(api, "/api/v1/flows/", '{"name": "First", "name": "Second"}')

    error = assert_error(response, 400, "duplicate_key")
    assert error["details"] == {"key": "name", "at": ""}
    assert "`name`" in error["message"]
    assert "top level" in error["message"]
    assert not Flow.objects.exists()


def test_a_key_twice_deep_in_an_ir_is_refused_naming_where(
    api: APIClient, valid_ir: dict[str, Any]
) -> None:
    text = json.dumps({"name": "Checked", "ir": valid_ir})
    # the second node's `value` key given twice
    text = text.replace('"value": {', '"value": 1, "value": {', 1)

    error = assert_error(post_raw(api, "/api/v1/flows/", text), 400, "duplicate_key")

    assert error["details"] == {"key": "value", "at": "ir.nodes[1]"}
    assert "`ir.nodes[1]`" in error["message"]
    assert not Flow.objects.exists()


def test_the_outermost_duplicate_is_named_first(api: APIClient) -> None:
    body = '{"input": {"a": 1, "a": 2}, "input": {}}'

    error = assert_error(post_raw(api, "/api/v1/validate/", body), 400, "duplicate_key")

    assert error["details"] == {"key": "input", "at": ""}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/validate/", '{"ir": {"nodes": [], "nodes": []}}'),
        ("/api/v1/runs/", '{"flow_version": 1, "input": {"x": 1, "x": 2}}'),
        ("/api/v1/plan/", '{"prompt": "a", "prompt": "b"}'),
        ("/api/v1/refine/", '{"instruction": "a", "ir": {}, "ir": {}}'),
        ("/api/v1/auth/token/", '{"username": "alice", "username": "x", "password": "y"}'),
    ],
)
def test_every_endpoint_refuses_a_key_twice(api: APIClient, path: str, body: str) -> None:
    error = assert_error(post_raw(api, path, body), 400, "duplicate_key")

    assert error["details"]["key"] in body
    assert not Run.objects.exists()


def test_the_same_key_in_different_objects_is_fine(
    api: APIClient, valid_ir: dict[str, Any]
) -> None:
    # (every node has an `id`; the flow and its IR both have a `name`)
    text = json.dumps({"name": "Checked", "ir": valid_ir})

    response = post_raw(api, "/api/v1/flows/", text)

    assert response.status_code == 201, response.content
    assert Flow.objects.get().name == "Checked"


def test_a_body_that_is_not_json_says_where_reading_stopped(api: APIClient) -> None:
    response = post_raw(api, "/api/v1/flows/", '{"name": "x",\n "ir": }')

    error = assert_error(response, 400, "parse_error")
    assert error["details"] == {"line": 2, "column": 8}
    assert "line 2 column 8" in error["message"]
    assert not Flow.objects.exists()
