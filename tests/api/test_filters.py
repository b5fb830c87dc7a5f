"""A boolean filter says when its value is neither true nor false: `?enabled=banana` was
read as no filter at all, so a typo listed every tool as if it were the filtered list."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import assert_error
from tools_registry.code_tools import CODE_TOOLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


@pytest.mark.parametrize("path", ["/api/v1/tools/", "/api/v1/joins/"])
@pytest.mark.parametrize("value", ["banana", "yes", "2", "5e-324", "null"])
def test_an_enabled_filter_that_is_not_true_or_false_is_a_400(
    api: APIClient, path: str, value: str
) -> None:
    error = assert_error(api.get(path, {"enabled": value}), 400, "invalid")

    assert error["details"]["fields"] == {"enabled": ["Must be true or false."]}
    assert error["message"] == "enabled: Must be true or false."


@pytest.mark.parametrize(("value", "count"), [("true", len(CODE_TOOLS)), ("1", len(CODE_TOOLS)),
                                              ("false", 0), ("False", 0), ("", len(CODE_TOOLS))])
def test_true_false_and_empty_still_filter_as_before(api: APIClient, value: str, count: int
                                                     ) -> None:
    response = api.get("/api/v1/tools/", {"enabled": value})

    assert response.status_code == 200, response.content
    assert response.json()["count"] == count


def test_the_document_says_an_empty_optional_query_parameter_is_allowed(api: APIClient) -> None:
    """`?status=` was read as no filter (as DRF and django-filter read an empty value) while
    the document's enum had no empty value."""
    document = api.get("/api/schema/?format=json").json()
    query = [
        (f"{method.upper()} {path}", parameter)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    ]

    assert len(query) > 20
    assert all(p.get("allowEmptyValue") for _, p in query if not p.get("required"))
    assert not any(p.get("allowEmptyValue") for _, p in query if p.get("required"))


@pytest.mark.parametrize("query", ["status=", "created_after=&created_before=", "batch=",
                                   "flow=&flow_version="])
def test_an_empty_run_filter_is_no_filter(api: APIClient, query: str) -> None:
    response = api.get(f"/api/v1/runs/?{query}")

    assert response.status_code == 200, response.content
    assert response.json() == api.get("/api/v1/runs/").json()


def test_a_status_that_is_not_one_says_which_there_are(api: APIClient) -> None:
    # the web app says "Waiting" where the API says "suspended": the 400 lists the values
    error = assert_error(api.get("/api/v1/runs/", {"status": "waiting"}), 400, "invalid")

    assert error["message"] == (
        'status: "waiting" is not a valid choice; use one of: pending, running, suspended, '
        "completed, failed, cancelled."
    )
