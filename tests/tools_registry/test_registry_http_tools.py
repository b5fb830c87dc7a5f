"""HTTP tools against a real local HTTP server: templates, credentials, response mapping,
the private-address guard, error classes, and a run through the engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import ValidationError
from django.test import override_settings

from flows.core.engine import Engine
from flows.core.ir import parse_flow
from flows.core.tools import RetryableToolError, ToolContext, ToolError
from tests.local_servers import QuietHandler, serving
from tools_registry.catalog import registry_catalog, registry_joins, tool_from_row
from tools_registry.models import Tool
from tools_registry.services import credential_create

pytestmark = pytest.mark.django_db

LOCAL = override_settings(DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS=["127.0.0.1"])


class _Handler(QuietHandler):
    server: _Server

    def _record(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        seen = {
            "method": self.command,
            "path": self.path,
            "headers": {key.lower(): value for key, value in self.headers.items()},
            "body": self.rfile.read(length).decode() if length else "",
        }
        self.server.requests.append(seen)
        return seen

    def do_GET(self) -> None:
        seen = self._record()
        if self.path.startswith("/weather"):
            self.send_json(200, {"city": self.path.split("city=")[-1], "temp_c": 21.5,
                             "conditions": ["sunny"]})
        elif self.path == "/unavailable":
            self.send_json(503, {"error": "busy"})
        elif self.path == "/text":
            self.send_body(200, "text/plain", b"plain words")
        else:
            self.send_json(404, {"error": "no such thing", "seen": seen["path"]})

    def do_POST(self) -> None:
        seen = self._record()
        self.send_json(201, {"received": json.loads(seen["body"] or "null"),
                         "auth": seen["headers"].get("authorization")})



class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def server() -> Iterator[_Server]:
    with serving(_Server()) as server:
        yield server


def http_tool(tool_id: str, config: dict[str, Any], **fields: Any) -> Tool:
    tool = Tool(
        id=tool_id, name=tool_id, description=fields.pop("description", f"{tool_id} over HTTP"),
        kind=Tool.Kind.HTTP,
        input_schema=fields.pop("input_schema", {
            "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
        }),
        output_schema=fields.pop("output_schema", {}), config=config, **fields,
    )
    tool.full_clean()
    tool.save()
    return tool


def invoke(tool: Tool, inputs: dict[str, Any]) -> Any:
    runnable = tool_from_row(tool)
    assert runnable is not None
    return async_to_sync(runnable.invoke)(inputs, ToolContext(run_id="r", node_id="n"))


@LOCAL
def test_get_with_query_template_and_response_mapping(server: _Server) -> None:
    tool = http_tool("weather", {
        "url": server.url + "/weather",
        "query": {"city": "{{ input.city }}"},
        "response": {"temperature": "response.body.temp_c", "sunny":
                     "'sunny' in response.body.conditions", "status": "response.status"},
    }, output_schema={"type": "object", "properties": {"temperature": {"type": "number"}}})

    output = invoke(tool, {"city": "Oslo"})

    assert output == {"temperature": 21.5, "sunny": True, "status": 200}
    assert server.requests[0]["path"] == "/weather?city=Oslo"


@LOCAL
def test_values_in_a_url_s_path_and_query_are_percent_encoded(server: _Server) -> None:
    tool = http_tool("post_message", {
        "method": "POST",
        "url": server.url + "/channels/{{ input.channel }}/repos/{{ input.repo }}"
        "?note={{ input.note }}",
    }, input_schema={"type": "object", "properties": {
        "channel": {"type": "string"}, "repo": {"type": "string"}, "note": {"type": "string"}}})

    invoke(tool, {"channel": "#ops team", "repo": "acme/site", "note": "a&b=c?"})

    # "#ops" is the channel, not a fragment; a path keeps the slashes of "acme/site"
    assert server.requests[0]["path"] == "/channels/%23ops%20team/repos/acme/site?note=a%26b%3Dc%3F"


@LOCAL
def test_a_value_placed_before_a_url_s_path_is_written_as_it_is(server: _Server) -> None:
    port = server.server_address[1]
    tool = http_tool("fetch", {"url": "http://{{ input.host }}/weather"}, input_schema={
        "type": "object", "properties": {"host": {"type": "string"}}})

    output = invoke(tool, {"host": f"127.0.0.1:{port}"})

    assert output["status"] == 200
    assert server.requests[0]["path"] == "/weather"


@LOCAL
def test_optional_inputs_a_flow_left_out_are_left_out_of_the_request(server: _Server) -> None:
    tool = http_tool("open_issue", {
        "method": "POST",
        "url": server.url + "/issues",
        "query": {"repo": "{{ input.repo }}", "assignee": "{{ input.assignee }}"},
        "body": {"title": "{{ input.title }}", "labels": "{{ input.labels }}",
                 "minutes": "{{ input.minutes }}", "note": "by {{ input.assignee }}"},
    }, input_schema={"type": "object", "required": ["repo", "title"], "properties": {
        "repo": {"type": "string"}, "title": {"type": "string"}, "assignee": {"type": "string"},
        "labels": {"type": "array", "items": {"type": "string"}},
        "minutes": {"type": "integer", "default": 30}}})

    output = invoke(tool, {"repo": "acme/web", "title": "Shop is down"})

    assert output["status"] == 201
    assert server.requests[0]["path"] == "/issues?repo=acme%2Fweb"
    # labels were not set: not sent; minutes: its schema's default; text reads nothing
    assert output["body"]["received"] == {"title": "Shop is down", "minutes": 30, "note": "by "}


@LOCAL
def test_a_template_reading_an_input_its_schema_does_not_declare_fails(server: _Server) -> None:
    tool = http_tool("typo", {"url": server.url + "/weather", "query": {"city": "{{ input.cty }}"}})

    with pytest.raises(ToolError) as failure:
        invoke(tool, {"city": "Oslo"})

    assert failure.value.code == "template_error"
    assert "input.cty" in str(failure.value)
    assert server.requests == []


@LOCAL
def test_post_json_body_keeps_types_and_sends_credentials_in_headers(server: _Server) -> None:
    credential_create(name="api_key", secret="s3cret-token", allowed_hosts=["127.0.0.1"])
    tool = http_tool("create_order", {
        "method": "POST",
        "url": server.url + "/orders",
        "headers": {"Authorization": "Bearer {{ credentials.api_key }}"},
        "body": {"sku": "{{ input.sku }}", "quantity": "{{ input.quantity }}",
                 "note": "qty {{ input.quantity }}"},
    }, input_schema={"type": "object", "properties": {
        "sku": {"type": "string"}, "quantity": {"type": "integer"}}})

    output = invoke(tool, {"sku": "A-1", "quantity": 3})

    assert output["status"] == 201
    assert output["body"]["received"] == {"sku": "A-1", "quantity": 3, "note": "qty 3"}
    assert server.requests[0]["headers"]["authorization"] == "Bearer s3cret-token"


def test_loopback_is_refused_unless_allowed(server: _Server) -> None:
    tool = http_tool("weather", {"url": server.url + "/weather"})

    with pytest.raises(ToolError) as caught:
        invoke(tool, {"city": "Oslo"})

    assert caught.value.code == "url_not_allowed"
    assert not caught.value.retryable
    assert server.requests == []


@LOCAL
def test_503_is_retryable_and_404_is_not(server: _Server) -> None:
    busy = http_tool("busy", {"url": server.url + "/unavailable"}, input_schema={})
    missing = http_tool("missing", {"url": server.url + "/nothing"}, input_schema={})

    with pytest.raises(RetryableToolError) as retryable:
        invoke(busy, {})
    with pytest.raises(ToolError) as final:
        invoke(missing, {})

    assert retryable.value.details["status"] == 503
    assert final.value.code == "http_error"
    assert not final.value.retryable
    assert final.value.details["body"]["error"] == "no such thing"


@LOCAL
def test_inputs_are_checked_before_any_request(server: _Server) -> None:
    tool = http_tool("weather", {"url": server.url + "/weather"})

    with pytest.raises(ToolError) as caught:
        invoke(tool, {"city": 12})

    assert caught.value.code == "invalid_input"
    assert caught.value.details[0]["field"] == "city"
    assert server.requests == []


@LOCAL
def test_output_that_breaks_the_output_schema_fails_clearly(server: _Server) -> None:
    tool = http_tool("text", {"url": server.url + "/text",
                              "response": {"words": "response.body"}}, input_schema={},
                     output_schema={"type": "object", "properties": {
                         "words": {"type": "integer"}}})

    with pytest.raises(ToolError) as caught:
        invoke(tool, {})

    assert caught.value.code == "invalid_output"


def test_a_missing_credential_is_a_clear_tool_error() -> None:
    tool = Tool(id="t", name="t", description="d", kind=Tool.Kind.HTTP, input_schema={},
                config={"url": "https://example.com/",
                        "headers": {"X-Key": "{{ credentials.gone }}"}})
    tool.save()  # saved around the checks, as a row edited in the database would be

    with pytest.raises(ToolError) as caught:
        invoke(tool, {})

    assert caught.value.code == "missing_credential"


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ({}, "url"),
        ({"url": "ftp://example.com"}, "http:// or https://"),
        ({"url": "https://example.com/{{ input.city +}}"}, "does not compile"),
        ({"url": "https://example.com/{{ credentials.key }}"}, "may only read `input`"),
        ({"url": "https://example.com", "headers": {"X": "{{ credentials.nope }}"}},
         "credential `nope` does not exist"),
        ({"url": "https://example.com", "response": {"x": "input.city"}},
         "may only read `response`"),
        ({"url": "https://example.com", "method": "BREW"}, "method"),
        ({"url": "https://example.com", "surprise": 1}, "surprise"),
    ],
)
def test_bad_configs_are_refused_with_the_reason(config: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        http_tool("bad", config)

    assert problem in " ".join(caught.value.message_dict["config"])
    assert not Tool.objects.filter(pk="bad").exists()


def test_bad_schemas_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        http_tool("bad", {"url": "https://example.com"}, input_schema={"type": "array"},
                  output_schema={"type": 5})

    assert "input_schema" in caught.value.message_dict
    assert "output_schema" in caught.value.message_dict


@LOCAL
def test_a_flow_runs_an_http_tool_from_the_registry(server: _Server) -> None:
    http_tool("weather", {"url": server.url + "/weather?city={{ input.city }}",
                          "response": {"temp": "response.body.temp_c"}},
              output_schema={"type": "object", "properties": {"temp": {"type": "number"}},
                             "required": ["temp"]})
    flow = parse_flow({
        "name": "Weather report",
        "nodes": [
            {"id": "now", "type": "tool", "tool": "weather", "inputs": {"city": "'Bergen'"}},
            {"id": "report", "type": "output", "value": {"warm": "now.temp > 20.0"}},
        ],
    })
    engine = Engine(registry_catalog(), joins=registry_joins())

    result = async_to_sync(engine.run)(flow, {}, run_id="run-http")

    assert result.status == "completed", result.error
    assert result.output == {"report": {"warm": True}}


def test_disabled_and_misconfigured_tools_are_not_in_the_catalog() -> None:
    http_tool("off", {"url": "https://example.com"}, enabled=False)
    Tool.objects.create(id="broken", name="b", description="d", kind=Tool.Kind.HTTP,
                        config={"nope": True})
    http_tool("on", {"url": "https://example.com"})

    catalog = registry_catalog()

    assert catalog.get("on") is not None
    assert catalog.get("off") is None
    assert catalog.get("broken") is None


@LOCAL
def test_a_request_over_tools_an_admin_registered_is_planned_and_runs(server: _Server) -> None:
    """The admin registers a weather lookup and a chat post as HTTP tools; a request that
    names a city and a channel is planned over them (through the API, as an integrator
    would) with those values written in, and what the post says is the weather."""
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    http_tool("get_weather", {"url": server.url + "/weather?city={{ input.city }}",
                              "response": {"temperature_c": "response.body.temp_c"}},
              description="Current weather for a city: its temperature.",
              output_schema={"type": "object", "properties": {"temperature_c": {"type": "number"}},
                             "required": ["temperature_c"]})
    http_tool("post_chat_message", {"method": "POST", "url": server.url + "/chat",
                                    "body": {"channel": "{{ input.channel }}",
                                             "text": "{{ input.text }}"}},
              description="Post a message to a chat channel.",
              input_schema={"type": "object", "required": ["channel", "text"], "properties": {
                  "channel": {"type": "string"}, "text": {"type": "string"}}})
    client = APIClient()
    client.force_authenticate(User.objects.create_user("integrator"))

    planned = client.post("/api/v1/plan/", {
        "prompt": "Get the weather in Bergen and post it to #ops",
        "tools": ["get_weather", "post_chat_message"], "planner": "offline",
    }, format="json")

    assert planned.status_code == 201, planned.json()
    assert planned.json()["status"] == "succeeded", planned.json()["error"]
    engine = Engine(registry_catalog(), joins=registry_joins())
    result = async_to_sync(engine.run)(parse_flow(planned.json()["ir"]), {}, run_id="run-admin")
    assert result.status == "completed", result.error
    assert server.requests[0]["path"] == "/weather?city=Bergen"
    posted = json.loads(server.requests[1]["body"])
    assert posted["channel"] == "#ops"
    assert "21.5" in posted["text"]
