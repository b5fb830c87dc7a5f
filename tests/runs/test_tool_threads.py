"""A worker's tool threads after the database dropped their connections (a Postgres restart,
an idle timeout): the next tool that uses the ORM opens a new connection, and its run
completes, rather than failing with "the connection is closed"."""

from __future__ import annotations

from typing import Any

from django.db import connection

from flows.core.tools import FunctionTool, ToolSpec
from flows.runs import services


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
