"""A worker's threads after the database dropped their connections (a Postgres restart, an
idle timeout): the next tool that uses the ORM, and the next credential lookup of an HTTP or
MCP tool, open a new connection, rather than failing with "the connection is closed"."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from flows.core.tools import FunctionTool, ToolSpec
from flows.runs import services
from tools_registry.catalog import load_credentials
from tools_registry.models import Credential


def _backend_pid() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return {"pid": cursor.fetchone()[0]}


def test_a_tool_whose_thread_lost_its_connection_reconnects(user, make_version, inprocess):
    # Given a tool that queries the database, run once: its thread keeps a connection
    spec = ToolSpec(id="t_backend_pid", name="backend pid", description="its connection's pid")
    inprocess.add_tools(FunctionTool(spec, _backend_pid))
    version = make_version(
        {"name": "db tool", "nodes": [{"id": "pid", "type": "tool", "tool": "t_backend_pid"}]}
    )
    first = services.run_create(user=user, flow_version_id=version.id, run_input={})
    assert inprocess.execute(first.id) == "completed"
    first.refresh_from_db()
    pid = first.result["pid"]["pid"]

    # When the database ends that connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True

    # Then the next run of the tool, on the same thread, connects again and completes
    second = services.run_create(user=user, flow_version_id=version.id, run_input={})
    assert inprocess.execute(second.id) == "completed"
    second.refresh_from_db()
    assert second.status == "completed", second.error
    assert second.result["pid"]["pid"] != pid


def _own_backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_credentials_are_read_after_the_database_dropped_the_lookup_connection():
    # Given a credential read once through the async lookup HTTP and MCP tools use: the
    # thread asgiref runs it on keeps its connection
    credential = Credential(name="partner_key", allowed_hosts=["api.example.com"])
    credential.set_secret("s3cret")
    credential.save()
    assert asyncio.run(load_credentials({"partner_key"}))["partner_key"].value == "s3cret"
    pid = asyncio.run(sync_to_async(_own_backend_pid)())

    # When the database ends that connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True

    # Then the next lookup connects again and reads the secret
    assert asyncio.run(load_credentials({"partner_key"}))["partner_key"].value == "s3cret"
    assert asyncio.run(sync_to_async(_own_backend_pid)()) != pid
