"""The runs list's filters for the runs page (flow, created time), the run's flow name and
version number that the page shows and uses to fetch the version's graph, and the run
without its node attempts that the page loads first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from flows.models import FlowVersion, Run
from tests.runs.helpers import chain

pytestmark = pytest.mark.urls("tests.runs.urls")


@pytest.mark.django_db
def test_runs_filter_by_flow_across_its_versions(user, make_version, api):
    first = make_version(chain(1, tool="t_noop", name="Alpha"))
    second = FlowVersion.objects.create(flow=first.flow, number=2, ir=first.ir, is_valid=True)
    other = make_version(chain(1, tool="t_noop", name="Beta"))
    runs = [Run.objects.create(flow_version=v, requested_by=user) for v in (first, second, other)]

    listed = api.get(f"/api/v1/runs/?flow={first.flow_id}").json()["results"]

    assert {row["id"] for row in listed} == {str(runs[0].id), str(runs[1].id)}
    assert {(row["flow_name"], row["version"]) for row in listed} == {("Alpha", 1), ("Alpha", 2)}
    detail = api.get(f"/api/v1/runs/{runs[2].id}/").json()
    assert (detail["flow"], detail["flow_name"], detail["version"]) == (other.flow_id, "Beta", 1)


@pytest.mark.django_db
def test_runs_filter_by_created_time(user, make_version, api):
    version = make_version(chain(1, tool="t_noop"))
    old = Run.objects.create(flow_version=version, requested_by=user)
    Run.objects.filter(id=old.id).update(created_at=timezone.now() - timedelta(days=3))
    new = Run.objects.create(flow_version=version, requested_by=user)
    since = (timezone.now() - timedelta(days=1)).isoformat()

    recent = api.get("/api/v1/runs/", {"created_after": since}).json()["results"]
    older = api.get("/api/v1/runs/", {"created_before": since}).json()["results"]
    bad = api.get("/api/v1/runs/", {"created_after": "yesterday"})

    assert [row["id"] for row in recent] == [str(new.id)]
    assert [row["id"] for row in older] == [str(old.id)]
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_a_run_without_its_node_attempts(user, make_version, api):
    version = make_version(chain(1, tool="t_noop"))
    run = Run.objects.create(flow_version=version, requested_by=user)
    run.node_attempts.create(node_id="n1", status="completed", output={"ok": True})

    full = api.get(f"/api/v1/runs/{run.id}/").json()
    light = api.get(f"/api/v1/runs/{run.id}/", {"nodes": "false"}).json()

    assert [node["node_id"] for node in full["nodes"]] == ["n1"]
    assert light["nodes"] == []
    assert {**light, "nodes": full["nodes"]} == full
    assert api.get(f"/api/v1/runs/{run.id}/", {"nodes": "maybe"}).status_code == 400
