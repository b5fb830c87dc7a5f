"""MCP servers: import their tools and call them at run time, against real MCP servers
started by the tests (a stdio subprocess, and Streamable HTTP on 127.0.0.1)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.test import override_settings

from flows.core.engine import Engine
from flows.core.ir import parse_flow
from flows.core.tools import RetryableToolError, ToolContext, ToolError
from tests.local_servers import free_port, mcp_http_subprocess
from tools_registry.catalog import registry_catalog
from tools_registry.kinds.mcp_sessions import close_stdio_sessions
from tools_registry.models import McpServer, Tool
from tools_registry.services import McpImportError, mcp_server_import_tools

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SERVER_SCRIPT = str(Path(__file__).with_name("mcp_test_server.py"))
LOCAL = override_settings(DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS=["127.0.0.1"])


@pytest.fixture(autouse=True)
def _stop_stdio_servers() -> Iterator[None]:
    """Each test starts its stdio servers afresh and leaves none running."""
    yield
    close_stdio_sessions()


@pytest.fixture(scope="module")
def http_server_url() -> Iterator[str]:
    """A Streamable HTTP MCP server in a subprocess, for the whole module."""
    with mcp_http_subprocess([SERVER_SCRIPT, "--port"], timeout=20) as url:
        yield url


def call(tool_id: str, inputs: dict[str, Any]) -> Any:
    tool = registry_catalog().get(tool_id)
    assert tool is not None, f"{tool_id} is not in the catalogue"
    return async_to_sync(tool.invoke)(inputs, ToolContext(run_id="r", node_id="n"))


@LOCAL
def test_import_and_call_over_streamable_http(http_server_url: str) -> None:
    server = McpServer.objects.create(name="calc", url=http_server_url, timeout_s=10)

    report = mcp_server_import_tools(server)

    assert sorted(report.created) == [
        "calc.add", "calc.complain", "calc.die", "calc.env_value", "calc.fail",
        "calc.forget_sessions", "calc.handshakes", "calc.leak", "calc.nap", "calc.pid",
        "calc.shout",
    ]
    add = Tool.objects.get(pk="calc.add")
    assert add.kind == Tool.Kind.MCP
    assert add.source == Tool.Source.MCP
    assert add.description == "Add two integers."
    assert add.input_schema["properties"]["a"]["type"] == "integer"
    assert add.input_schema["required"] == ["a"]
    assert add.output_schema["properties"]["total"]["type"] == "integer"
    assert add.category is not None
    assert add.category.slug == "mcp-calc"
    server.refresh_from_db()
    assert server.last_synced_at is not None
    assert server.last_error == ""

    assert call("calc.add", {"a": 2, "b": 3}) == {"total": 5}
    assert call("calc.shout", {"text": "hi"}) == {"result": "HI"}


@LOCAL
def test_tool_errors_and_bad_inputs(http_server_url: str) -> None:
    mcp_server_import_tools(McpServer.objects.create(name="calc", url=http_server_url))

    with pytest.raises(ToolError) as failed:
        call("calc.fail", {"reason": "on purpose"})
    with pytest.raises(ToolError) as invalid:
        call("calc.add", {"a": "two"})

    assert failed.value.code == "mcp_tool_error"
    assert not failed.value.retryable
    assert invalid.value.code == "invalid_input"  # checked here, before the server is asked


@LOCAL
def test_reimport_is_idempotent(http_server_url: str) -> None:
    server = McpServer.objects.create(name="calc", url=http_server_url)
    mcp_server_import_tools(server)
    Tool.objects.filter(pk="calc.add").update(enabled=False)

    report = mcp_server_import_tools(server)

    assert report.created == report.updated == report.disabled == []
    assert Tool.objects.get(pk="calc.add").enabled is False  # the admins' choice stays


def test_loopback_servers_are_refused_unless_allowed(http_server_url: str) -> None:
    server = McpServer.objects.create(name="calc", url=http_server_url)

    with pytest.raises(McpImportError, match="loopback"):
        mcp_server_import_tools(server)

    server.refresh_from_db()
    assert "loopback" in server.last_error
    assert not Tool.objects.filter(mcp_server=server).exists()


@LOCAL
def test_an_unreachable_server_is_retryable_at_run_time(http_server_url: str) -> None:
    server = McpServer.objects.create(name="calc", url=http_server_url, timeout_s=5)
    mcp_server_import_tools(server)
    McpServer.objects.filter(pk=server.pk).update(url=f"http://127.0.0.1:{free_port()}/mcp")

    with pytest.raises(RetryableToolError) as caught:
        call("calc.add", {"a": 1})

    assert caught.value.code == "mcp_unavailable"
    with pytest.raises(McpImportError):
        mcp_server_import_tools(McpServer.objects.get(pk=server.pk))


@LOCAL
def test_tools_of_disabled_servers_leave_the_catalog(http_server_url: str) -> None:
    server = McpServer.objects.create(name="calc", url=http_server_url)
    mcp_server_import_tools(server)
    McpServer.objects.filter(pk=server.pk).update(enabled=False)

    assert registry_catalog().get("calc.add") is None


def test_stdio_server_import_call_run_and_reimport() -> None:
    # Given a stdio server, imported with the management command
    server = McpServer.objects.create(
        name="local", transport=McpServer.Transport.STDIO, command=sys.executable,
        args=[SERVER_SCRIPT], timeout_s=30,
    )
    call_command("import_mcp_tools", "local")
    assert set(Tool.objects.filter(mcp_server=server).values_list("id", flat=True)) == {
        "local.add", "local.complain", "local.die", "local.env_value", "local.fail",
        "local.leak", "local.nap", "local.pid", "local.shout",
    }

    # When a flow calls one of its tools through the engine
    flow = parse_flow({
        "name": "Add",
        "nodes": [
            {"id": "sum", "type": "tool", "tool": "local.add", "inputs": {"a": "40", "b": "2"}},
            {"id": "answer", "type": "output", "value": "sum.total"},
        ],
    })
    result = async_to_sync(Engine(registry_catalog()).run)(flow, {}, run_id="run-mcp")

    # Then the server answered
    assert result.status == "completed", result.error
    assert result.output == {"answer": 42}

    # And when the server stops offering tools, a re-import disables them
    server.args = [SERVER_SCRIPT, "--few"]
    server.save()
    report = mcp_server_import_tools(server)
    assert sorted(report.disabled) == [
        "local.complain", "local.die", "local.env_value", "local.fail", "local.leak",
        "local.nap", "local.pid", "local.shout",
    ]
    assert registry_catalog().get("local.shout") is None


# --- stdio servers: what they wrote to stderr, and their environment -------------------------


def _stdio(name: str, *args: str, **fields: Any) -> McpServer:
    server = McpServer(
        name=name, transport=McpServer.Transport.STDIO, command=sys.executable,
        args=[SERVER_SCRIPT, *args], timeout_s=30, **fields,
    )
    server.full_clean()
    server.save()
    return server


def test_a_crashing_server_says_why_in_the_import_report() -> None:
    server = _stdio("broken", "--crash")

    with pytest.raises(McpImportError) as caught:
        mcp_server_import_tools(server)

    assert "no module named 'geocoder_sdk'" in str(caught.value)
    server.refresh_from_db()
    assert "The server's stderr ended with:" in server.last_error
    assert "ImportError: no module named 'geocoder_sdk'" in server.last_error


def test_a_server_dying_mid_call_fails_the_node_with_its_stderr() -> None:
    mcp_server_import_tools(_stdio("geo"))
    flow = parse_flow({
        "name": "Geocode",
        "nodes": [{"id": "where", "type": "tool", "tool": "geo.die"}],
    })

    result = async_to_sync(Engine(registry_catalog()).run)(flow, {}, run_id="run-die")

    assert result.status == "failed"
    assert result.error is not None
    error = str(result.error)
    assert "out of licences for the geocoder" in error
    assert "where" in error


def test_env_gives_a_stdio_server_its_keys_and_credentials_stay_out_of_errors() -> None:
    from tools_registry.services import credential_create

    credential_create(name="geo_key", secret="Geo-Secret-4471")
    mcp_server_import_tools(_stdio(
        "keyed", "--needs", "API_KEY",
        env={"API_KEY": "{{ credentials.geo_key }}", "REGION": "eu-north"},
    ))

    assert call("keyed.env_value", {"name": "REGION"}) == {"result": "eu-north"}
    assert call("keyed.env_value", {"name": "API_KEY"}) == {"result": "Geo-Secret-4471"}
    with pytest.raises(RetryableToolError) as caught:
        call("keyed.leak", {})
    assert caught.value.code == "mcp_unavailable"
    assert "debug: using key [credential geo_key]" in caught.value.message
    assert "Geo-Secret-4471" not in caught.value.message
    assert "Geo-Secret-4471" not in str(caught.value.details)


def test_a_server_started_without_the_variable_it_needs_says_so() -> None:
    server = _stdio("keyless", "--needs", "API_KEY")

    with pytest.raises(McpImportError, match="set API_KEY to start this server"):
        mcp_server_import_tools(server)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"env": {"1BAD": "x"}}, "not a variable name"),
        ({"env": {"KEY": "{{ credentials.missing }}"}}, "credential `missing` does not exist"),
        ({"env": {"KEY": "{{ input.x }}"}}, "may only read `credentials`"),
        ({"env": {"KEY": 5}}, "JSON object of strings"),
        ({"env": {"KEY": "x"}, "transport": "streamable_http", "url": "https://mcp.example.com"},
         "Only a stdio server"),
    ],
)
def test_bad_env_mappings_are_refused(fields: dict[str, Any], problem: str) -> None:
    from django.core.exceptions import ValidationError

    options: dict[str, Any] = {"name": "bad", "transport": "stdio", "command": "server"}
    options.update(fields)
    with pytest.raises(ValidationError) as caught:
        McpServer(**options).full_clean()

    assert problem in " ".join(caught.value.message_dict["env"])
