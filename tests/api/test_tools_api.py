"""Tools and categories: list, filter, search, detail."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import assert_error
from tools_registry.code_tools import CODE_TOOLS
from tools_registry.models import Category, Tool

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def http_tool() -> Tool:
    return Tool.objects.create(
        id="weather.current", name="Current weather", description="Weather for a city.",
        kind=Tool.Kind.HTTP, category=Category.objects.create(slug="weather", name="Weather"),
        input_schema={"type": "object", "properties": {"city": {"type": "string"}}},
        config={"url": "https://weather.example/now?city={{ input.city }}"}, enabled=False,
    )


def test_list_is_paginated_and_lists_every_tool(api: APIClient, http_tool: Tool) -> None:
    response = api.get("/api/v1/tools/", {"limit": 5})

    body = response.json()
    assert body["count"] == len(CODE_TOOLS) + 1
    assert len(body["results"]) == 5
    assert body["next"] is not None


def test_filter_by_category_kind_enabled_and_source(api: APIClient, http_tool: Tool) -> None:
    assert _ids(api.get("/api/v1/tools/", {"category": "weather"})) == ["weather.current"]
    assert _ids(api.get("/api/v1/tools/", {"kind": "http"})) == ["weather.current"]
    assert "weather.current" not in _ids(api.get("/api/v1/tools/", {"enabled": "true",
                                                                     "limit": 100}))
    assert _ids(api.get("/api/v1/tools/", {"enabled": "false"})) == ["weather.current"]
    assert set(_ids(api.get("/api/v1/tools/", {"source": "code", "limit": 100}))) == set(
        CODE_TOOLS.keys()
    )


def test_search_matches_words_in_id_name_and_description(api: APIClient) -> None:
    assert _ids(api.get("/api/v1/tools/", {"search": "sales tax"})) == ["calculate_tax"]


def test_an_unknown_filter_choice_is_a_400(api: APIClient) -> None:
    error = assert_error(api.get("/api/v1/tools/", {"kind": "magic"}), 400, "invalid")

    assert "kind" in error["details"]["fields"]


def test_detail_has_schemas_and_options(api: APIClient) -> None:
    response = api.get("/api/v1/tools/send_email/")

    body = response.json()
    spec = CODE_TOOLS["send_email"].spec
    assert body["input_schema"] == spec.input_schema
    assert body["output_schema"] == spec.output_schema
    assert body["kind"] == "python"
    assert body["source"] == "code"
    assert body["category"] == spec.category
    assert body["options"]["retries"] == spec.config.retries


def test_detail_of_an_unknown_tool_is_404(api: APIClient) -> None:
    assert_error(api.get("/api/v1/tools/nope/"), 404, "not_found")


def test_categories_are_listed(api: APIClient) -> None:
    response = api.get("/api/v1/categories/")

    slugs = [item["slug"] for item in response.json()["results"]]
    assert {"email", "orders"} <= set(slugs)
