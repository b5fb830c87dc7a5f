"""HTTP tools keep their configured URL's query string, and a tool saved in the registry
is usable by runs at once (issue 13, item 8)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tools_registry.test_registry_http_tools import LOCAL, http_tool, invoke, server

__all__ = ["server"]


@LOCAL
@pytest.mark.django_db
def test_the_configured_query_string_is_kept_without_a_query_mapping(server: Any) -> None:
    tool = http_tool("tagged", {"url": server.url + "/weather?tag=x&unit=c"})
    invoke(tool, {"city": "Oslo"})
    assert server.requests[-1]["path"] == "/weather?tag=x&unit=c"


@LOCAL
@pytest.mark.django_db
def test_the_configured_query_string_is_merged_with_the_query_mapping(server: Any) -> None:
    tool = http_tool(
        "tagged2", {"url": server.url + "/weather?tag=x", "query": {"city": "{{ input.city }}"}}
    )
    invoke(tool, {"city": "Oslo"})
    assert server.requests[-1]["path"] == "/weather?tag=x&city=Oslo"


@LOCAL
@pytest.mark.django_db(transaction=True)
def test_a_tool_saved_a_moment_ago_runs_at_once(server: Any, django_user_model: Any) -> None:
    from flows.models import Flow, FlowVersion
    from flows.runs import runner
    from flows.runs.catalog import run_catalog
    from flows.runs.services import run_create

    runner.reset_run_host()
    runner.run_host()  # this worker's snapshot of the registry, taken now
    assert run_catalog().get("fresh_weather") is None

    http_tool(
        "fresh_weather", {"url": server.url + "/weather", "query": {"city": "{{ input.city }}"}}
    )
    user = django_user_model.objects.create_user("ivy", password="pw-ivy-123456")
    flow = Flow.objects.create(name="fresh", owner=user)
    ir = {
        "name": "fresh",
        "nodes": [
            {"id": "w", "type": "tool", "tool": "fresh_weather", "inputs": {"city": "'Oslo'"}}
        ],
    }
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = run_create(user=user, flow_version_id=version.id, run_input={}, enqueue=False)
    try:
        status = runner.execute_run_sync(str(run.id))
    finally:
        runner.reset_run_host()
    run.refresh_from_db()
    assert status == "completed", run.error
    assert server.requests[-1]["path"] == "/weather?city=Oslo"
