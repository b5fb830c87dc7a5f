"""Paging parameters are whole numbers, as the OpenAPI document says: `?limit=abc` or
`?offset=-1` is a 400 naming the parameter (DRF read them as if they were not sent)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


@pytest.fixture
def flow(api: APIClient, valid_ir: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/api/v1/flows/", {"name": "Mine", "ir": valid_ir}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize(
    ("query", "param"),
    [("limit=abc", "limit"), ("limit=0", "limit"), ("limit=-5", "limit"),
     ("limit=1.5", "limit"), ("offset=-1", "offset"), ("offset=null", "offset"),
     (f"offset={10**30}", "offset")],
)
@pytest.mark.parametrize("path", ["/api/v1/flows/", "/api/v1/runs/", "/api/v1/tools/"])
def test_paging_parameters_must_be_whole_numbers(
    api: APIClient, path: str, query: str, param: str
) -> None:
    error = assert_error(api.get(f"{path}?{query}"), 400, "invalid")

    assert list(error["details"]["fields"]) == [param]
    assert error["message"].startswith(f"{param}: ")


@pytest.mark.parametrize("query", ["limit=", "offset=", "limit=&offset="])
def test_an_empty_paging_parameter_is_left_out_as_any_other_empty_parameter(
    api: APIClient, flow: dict[str, Any], query: str
) -> None:
    response = api.get(f"/api/v1/flows/?{query}")

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1


def test_a_large_limit_is_still_read_as_the_largest_page(
    api: APIClient, flow: dict[str, Any]
) -> None:
    response = api.get(f"/api/v1/flows/?limit={10**30}&offset=0")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [flow["id"]]


@pytest.mark.parametrize(
    ("count", "query", "previous"),
    [(3, "limit=2&offset=1000", "limit=2&offset=1"), (1, "limit=2&offset=1000", "limit=2"),
     (0, "offset=5", "limit=50"), (3, "limit=2&offset=3", "limit=2&offset=1")],
)
def test_a_page_past_the_end_points_back_to_the_last_page(
    api: APIClient, valid_ir: dict[str, Any], count: int, query: str, previous: str
) -> None:
    for i in range(count):
        api.post("/api/v1/flows/", {"name": f"flow {i}", "ir": valid_ir}, format="json")

    body = api.get(f"/api/v1/flows/?{query}").json()

    assert (body["count"], body["results"], body["next"]) == (count, [], None)
    assert body["previous"] == f"http://testserver/api/v1/flows/?{previous}"
    limit = 2 if "limit=2" in query else 50
    assert len(api.get(body["previous"]).json()["results"]) == min(count, limit)


def test_the_document_gives_the_paging_bounds(api: APIClient) -> None:
    document = api.get("/api/schema/?format=json").json()
    flows = document["paths"]["/api/v1/flows/"]["get"]["parameters"]
    paging = {p["name"]: p["schema"] for p in flows if p["name"] in ("limit", "offset")}

    assert paging["limit"]["minimum"] == 1
    assert paging["offset"]["minimum"] == 0


def test_every_paged_operation_documents_its_400(api: APIClient) -> None:
    """Categories, credentials, a flow's versions and plan requests answered a bad ?limit=
    with a 400 their documents did not list."""
    document = api.get("/api/schema/?format=json").json()
    paged = [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if any(p["name"] == "limit" for p in operation.get("parameters", []))
    ]
    undocumented = [
        name for name in paged
        if "400" not in document["paths"][name.split(" ", 1)[1]][name.split(" ")[0].lower()][
            "responses"]
    ]

    assert len(paged) >= 8
    assert undocumented == []


@pytest.mark.parametrize("path", ["/api/v1/categories/", "/api/v1/plan/"])
def test_a_bad_limit_on_a_short_list_is_a_400_too(api: APIClient, path: str) -> None:
    error = assert_error(api.get(f"{path}?limit=0"), 400, "invalid")

    assert list(error["details"]["fields"]) == ["limit"]
