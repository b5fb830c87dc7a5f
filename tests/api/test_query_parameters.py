"""A query parameter no operation reads is a 400 naming it: a misspelt filter answered 200
with everything, as if it had filtered."""

from __future__ import annotations

import re
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
    ("path", "query", "takes"),
    [
        ("/api/v1/runs/", "stauts=failed", "approval_rejected, batch, created_after, "
         "created_before, flow, flow_version, limit, offset, status"),
        ("/api/v1/flows/", "name=Mine", "limit, offset, owner, search"),
        ("/api/v1/tools/", "q=email", "category, enabled, kind, limit, offset, search, source"),
        ("/api/v1/approvals/", "limit=5&mine=1", "flow, limit, offset, search"),
        ("/api/v1/flows/{flow}/versions/1/diff/", "other=1&to=1", "other"),
    ],
)
def test_an_unknown_query_parameter_is_a_400_naming_it_and_what_the_request_takes(
    api: APIClient, flow: dict[str, Any], path: str, query: str, takes: str
) -> None:
    unknown = query.split("&")[-1].split("=")[0]

    error = assert_error(api.get(f"{path.format(flow=flow['id'])}?{query}"), 400, "invalid")

    assert error["details"]["fields"] == {
        unknown: [f"Unknown query parameter; this request takes {takes}."]
    }
    assert error["message"].startswith(f"{unknown}: ")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/runs/?status=failed&limit=5&offset=0", "/api/v1/flows/?owner=alice&search=mine",
     "/api/v1/tools/?kind=python&enabled=true", "/api/v1/flows/{flow}/?format=json",
     "/api/v1/flows/{flow}/versions/1/diff/?other=1", "/api/v1/groups/?limit=1000"],
)
def test_the_parameters_an_operation_documents_are_read(
    api: APIClient, flow: dict[str, Any], path: str
) -> None:
    response = api.get(path.format(flow=flow["id"]))

    assert response.status_code == 200, response.content


def test_a_write_is_not_refused_for_its_query_string(
    api: APIClient, flow: dict[str, Any]
) -> None:
    """(Only reads filter; a write's query string was never read, nor is it now.)"""
    response = api.patch(f"/api/v1/flows/{flow['id']}/?x=1", {"name": "Renamed"},
                         format="json")

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Renamed"


def test_every_read_documents_its_400(api: APIClient) -> None:
    document = api.get("/api/schema/?format=json").json()

    reads = {path: ops["get"] for path, ops in document["paths"].items() if "get" in ops}

    undocumented = [path for path, op in reads.items()
                    if path.startswith("/api/v1/") and "400" not in op["responses"]]
    assert undocumented == []
    assert "/api/v1/approvals/" in reads


def test_a_text_parameter_documents_that_it_refuses_a_nul_character(api: APIClient) -> None:
    document = api.get("/api/schema/?format=json").json()
    [from_tool] = [p for p in document["paths"]["/api/v1/joins/"]["get"]["parameters"]
                   if p["name"] == "from_tool"]

    error = assert_error(api.get("/api/v1/joins/?from_tool=a%00b"), 400, "invalid")

    assert re.fullmatch(from_tool["schema"]["pattern"], "a\x00b") is None
    assert re.fullmatch(from_tool["schema"]["pattern"], "validate_email")
    assert "from_tool" in error["details"]["fields"]
