"""A `$ref` in a JSON Schema a user writes (a flow's input schema, an approval form, a tool's
schemas) is never fetched: jsonschema would otherwise request any URL it names, loopback
and cloud metadata included, when a run input, a decision or a tool call is checked."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token

from flows.core.tools import ToolContext, ToolError, ToolSpec
from tests.local_servers import QuietHandler, serving


class _SchemaHandler(QuietHandler):
    server: _SchemaServer

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        self.send_json(200, {"type": "string"})


class _SchemaServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SchemaHandler)
        self.hits: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/schema.json"


@pytest.fixture
def schema_server() -> Iterator[_SchemaServer]:
    with serving(_SchemaServer()) as server:
        yield server


@pytest.fixture
def client(db: None) -> Client:
    user = User.objects.create_user("ivy", password="pw-ivy-123456")
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def flow_ir(input_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "refs",
        "input_schema": input_schema,
        "nodes": [
            {"id": "check", "type": "tool", "tool": "validate_email",
             "inputs": {"email": "input.email"}},
        ],
    }


def test_a_flow_whose_input_schema_refers_to_a_url_is_invalid_and_its_runs_fetch_nothing(
    client: Client, schema_server: _SchemaServer
) -> None:
    ir = flow_ir({"type": "object", "properties": {"email": {"$ref": schema_server.url}}})

    checked = post(client, "/api/v1/validate/", {"ir": ir})
    created = post(client, "/api/v1/flows/", {"name": "refs", "ir": ir})
    run = post(client, "/api/v1/runs/", {"flow": created.json()["id"],
                                         "input": {"email": "ada@example.com"}})

    assert checked.status_code == 200
    assert checked.json()["valid"] is False
    [issue] = checked.json()["errors"]
    assert (issue["code"], issue["field"]) == ("invalid_input_schema", "input_schema")
    assert "points outside the schema" in issue["message"]
    assert created.status_code == 201
    assert created.json()["latest_version"]["is_valid"] is False
    assert run.status_code == 400
    assert run.json()["error"]["code"] == "invalid_flow"
    assert schema_server.hits == []


def test_a_version_saved_valid_before_the_check_still_fetches_nothing_when_a_run_starts(
    client: Client, schema_server: _SchemaServer
) -> None:
    # Given a version stored as valid before `$ref`s to URLs were refused
    from flows.models import Flow, FlowVersion

    owner = User.objects.get(username="ivy")
    ir = flow_ir({"type": "object", "properties": {"email": {"$ref": schema_server.url}}})
    flow = Flow.objects.create(name="old", owner=owner)
    FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)

    # When a run of it starts, alone or in a batch
    run = post(client, "/api/v1/runs/", {"flow": flow.id, "input": {"email": "ada@example.com"}})
    batch = post(client, "/api/v1/runs/batch/", {"flow": flow.id, "inputs": [{"email": "a@b.co"}]})

    # Then nothing is fetched and both are refused as a flow that cannot take input
    assert run.status_code == 400, run.content[:300]
    assert run.json()["error"]["code"] == "invalid_flow"
    assert batch.status_code == 400, batch.content[:300]
    assert schema_server.hits == []


def test_a_batch_input_that_does_not_fit_says_which_one(client: Client) -> None:
    ir = flow_ir({"type": "object", "required": ["email"],
                  "properties": {"email": {"type": "string"}}})
    created = post(client, "/api/v1/flows/", {"name": "batch", "ir": ir})

    batch = post(client, "/api/v1/runs/batch/", {
        "flow": created.json()["id"], "inputs": [{"email": "a@b.co"}, {"email": 5}],
    })

    assert batch.status_code == 400
    error = batch.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["message"].startswith("inputs[1] does not fit")
    assert error["details"]["index"] == 1


@pytest.mark.parametrize(
    "input_schema",
    [
        {"type": "objekt"},
        {"type": "object", "properties": {"email": {"$ref": "#/$defs/missing"}}},
    ],
)
def test_a_broken_input_schema_is_a_400_when_a_run_starts_not_a_500(
    client: Client, input_schema: dict[str, Any]
) -> None:
    created = post(client, "/api/v1/flows/", {"name": "broken", "ir": flow_ir(input_schema)})

    run = post(client, "/api/v1/runs/", {"flow": created.json()["id"],
                                         "input": {"email": "ada@example.com"}})

    assert run.status_code == 400, run.content[:300]
    assert run["Content-Type"].startswith("application/json")
    assert run.json()["error"]["code"] == "invalid_flow"
    assert "input_schema" in run.json()["error"]["message"]


def test_an_approval_form_that_refers_to_a_url_is_refused_before_anything_is_fetched(
    schema_server: _SchemaServer,
) -> None:
    from approvals.services import _check_object
    from flows.runs.errors import RunServiceError

    form = {"type": "object", "properties": {"reason": {"$ref": schema_server.url}}}

    with pytest.raises(RunServiceError) as refused:
        _check_object({"reason": 5}, form, "form data", "data")

    assert refused.value.code == "invalid_form"
    assert "points outside the schema" in refused.value.message
    assert schema_server.hits == []


def test_a_tool_whose_schema_refers_to_a_url_fails_without_fetching_or_calling(
    schema_server: _SchemaServer,
) -> None:
    from tools_registry.kinds.base import ConfiguredTool

    called: list[Any] = []

    class Recorder(ConfiguredTool):
        async def call(self, inputs: dict[str, Any], context: ToolContext) -> Any:
            called.append(inputs)
            return {}

    spec = ToolSpec(
        "remote.schema",
        "Remote schema",
        "A tool an MCP server described with a remote $ref",
        input_schema={"type": "object", "properties": {"q": {"$ref": schema_server.url}}},
        output_schema={},
    )

    with pytest.raises(ToolError) as failed:
        asyncio.run(Recorder(spec).invoke({"q": "x"}, ToolContext(run_id="r", node_id="n")))

    assert failed.value.code == "invalid_schema"
    assert called == []
    assert schema_server.hits == []


def test_the_admin_refuses_a_tool_schema_that_refers_to_a_url(admin_client: Client) -> None:
    from tools_registry.models import Tool

    response = admin_client.post("/admin/tools_registry/tool/add/", {
        "id": "remote_ref", "name": "Remote ref", "description": "x", "kind": "http",
        "enabled": "on", "access": "everyone",
        "input_schema": json.dumps(
            {"type": "object", "properties": {"q": {"$ref": "http://169.254.169.254/x"}}}
        ),
        "output_schema": "{}",
        "config": json.dumps({"method": "GET", "url": "https://example.com/"}),
    })

    assert response.status_code == 200
    assert "Not a valid JSON Schema at properties/q/$ref" in response.content.decode()
    assert "points outside the schema" in response.content.decode()
    assert not Tool.objects.filter(id="remote_ref").exists()
