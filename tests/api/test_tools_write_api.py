"""Registering tools over the API: an HTTP, LLM or approval tool is created, changed and
deleted with the tool permissions, checked as the admin checks it; a code tool only changes
whether it is enabled and who may use it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.api.conftest import assert_error
from tools_registry.catalog import registry_catalog
from tools_registry.models import Join, Tool

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

WEATHER: dict[str, Any] = {
    "id": "weather.current",
    "name": "Current weather",
    "description": "The weather now in a city.",
    "kind": "http",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
    "output_schema": {"type": "object", "properties": {"temp": {"type": "number"}}},
    "config": {
        "method": "GET",
        "url": "https://weather.example/now?city={{ input.city }}",
        "response": {"temp": "response.body.temp"},
    },
}


@pytest.fixture
def editor(admin_user: User, client_for: Callable[[User | None], APIClient]) -> APIClient:
    return client_for(admin_user)


def test_an_http_tool_registered_over_the_api_is_in_the_catalogue(editor: APIClient) -> None:
    created = editor.post("/api/v1/tools/", WEATHER, format="json")

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["id"], body["kind"], body["source"], body["version"]) == (
        "weather.current",
        "http",
        "admin",
        1,
    )
    assert body["config"] == WEATHER["config"]
    assert body["warnings"] == []
    assert registry_catalog().get("weather.current") is not None
    assert editor.get("/api/v1/tools/weather.current/").json()["name"] == "Current weather"


def test_a_tool_that_does_not_pass_the_admins_checks_is_a_400_naming_the_field(
    editor: APIClient,
) -> None:
    cases = [
        ({"config": {"method": "GET"}}, "config", "url: Field required"),
        ({"config": {"url": "https://x.example/{{ input.( }}"}}, "config", "does not compile"),
        ({"input_schema": {"type": "array"}}, "input_schema", "describes an object"),
        ({"kind": "python"}, "kind", "use one of: http, llm, approval"),
        ({"id": "has space"}, "id", "Use letters"),
        ({"access": "groups"}, "access_groups", "Choose the groups"),
    ]
    for change, field, said in cases:
        error = assert_error(
            editor.post("/api/v1/tools/", {**WEATHER, **change}, format="json"), 400, "invalid"
        )
        assert any(said in message for message in error["details"]["fields"][field]), error

    assert not Tool.objects.filter(source=Tool.Source.ADMIN).exists()


def test_registering_a_tool_twice_is_a_400_and_keeps_the_first(editor: APIClient) -> None:
    editor.post("/api/v1/tools/", WEATHER, format="json")

    again = editor.post("/api/v1/tools/", {**WEATHER, "name": "Other"}, format="json")

    assert "already exists" in assert_error(again, 400)["details"]["fields"]["id"][0]
    assert Tool.objects.get(pk="weather.current").name == "Current weather"


def test_a_changed_config_bumps_the_version_and_a_refused_change_keeps_the_row(
    editor: APIClient,
) -> None:
    editor.post("/api/v1/tools/", WEATHER, format="json")
    url = "/api/v1/tools/weather.current/"

    renamed = editor.patch(url, {"name": "Weather now"}, format="json")
    moved = editor.patch(
        url,
        {"config": {**WEATHER["config"], "url": "https://weather.example/v2"}},
        format="json",
    )
    refused = editor.patch(url, {"config": {"url": 5}}, format="json")

    assert renamed.json()["version"] == 1
    assert moved.json()["version"] == 2
    assert_error(refused, 400, "invalid")
    tool = Tool.objects.get(pk="weather.current")
    assert (tool.version, tool.config["url"]) == (2, "https://weather.example/v2")


def test_a_code_tool_is_only_enabled_or_disabled_and_never_deleted(editor: APIClient) -> None:
    url = "/api/v1/tools/send_email/"

    disabled = editor.patch(url, {"enabled": False}, format="json")
    rewritten = editor.patch(url, {"description": "something else"}, format="json")
    deleted = editor.delete(url)

    assert disabled.status_code == 200, disabled.content
    assert "comes from code" in assert_error(rewritten, 400)["details"]["fields"]["description"][0]
    assert "comes from code" in assert_error(deleted, 400)["details"]["fields"]["id"][0]
    tool = Tool.objects.get(pk="send_email")
    assert (tool.enabled, tool.description) != (True, "something else")
    assert tool.enabled is False


def test_deleting_a_tool_deletes_its_joins(editor: APIClient) -> None:
    editor.post("/api/v1/tools/", WEATHER, format="json")
    editor.post(
        "/api/v1/joins/",
        {
            "from_tool": "weather.current",
            "to_tool": "summarize_text",
            "mapping": {"text": "string(source.temp)"},
        },
        format="json",
    )
    assert Join.objects.count() == 1

    assert editor.delete("/api/v1/tools/weather.current/").status_code == 204

    assert not Tool.objects.filter(pk="weather.current").exists()
    assert not Join.objects.exists()


def test_writing_tools_needs_the_tool_permissions(
    api: APIClient,
    editor: APIClient,
    make_user: Callable[..., User],
    client_for: Callable[[User | None], APIClient],
) -> None:
    editor.post("/api/v1/tools/", WEATHER, format="json")
    url = "/api/v1/tools/weather.current/"

    assert_error(
        api.post("/api/v1/tools/", {**WEATHER, "id": "w2"}, format="json"), 403, "permission_denied"
    )
    assert_error(api.patch(url, {"enabled": False}, format="json"), 403, "permission_denied")
    assert_error(api.delete(url), 403, "permission_denied")
    adder = client_for(make_user("adder", perms=("tools_registry.add_tool",)))
    assert adder.post("/api/v1/tools/", {**WEATHER, "id": "w2"}, format="json").status_code == 201
    assert Tool.objects.get(pk="weather.current").enabled is True
