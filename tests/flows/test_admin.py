"""The flows admin: runs with their node attempts and events, read only, cancellable;
flows and versions read only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flows.models import Flow, FlowVersion, NodeAttempt, Run, RunEvent

pytestmark = pytest.mark.django_db

IR = {"name": "greet", "nodes": [{"id": "hello", "type": "tool", "tool": "send_email"}]}


@pytest.fixture
def version(admin_user: Any) -> FlowVersion:
    flow = Flow.objects.create(name="Greeter", owner=admin_user)
    return FlowVersion.objects.create(flow=flow, number=1, ir=IR, is_valid=True)


def _finished_run(version: FlowVersion) -> Run:
    now = timezone.now()
    run = Run.objects.create(
        flow_version=version,
        requested_by=version.flow.owner,
        status=Run.Status.COMPLETED,
        result={"hello": {"sent": True}},
        started_at=now,
        finished_at=now,
    )
    NodeAttempt.objects.create(
        run=run, node_id="hello", status="completed", output={"sent": True}, started_at=now,
        finished_at=now,
    )
    for seq, kind in enumerate(["run.started", "node.started", "node.output", "run.completed"], 1):
        node = "hello" if kind.startswith("node.") else ""
        RunEvent.objects.create(run=run, seq=seq, type=kind, node_id=node, ts=now)
    return run


def test_a_run_page_shows_its_nodes_and_events_read_only(admin_client: Client, version) -> None:
    run = _finished_run(version)

    listed = admin_client.get("/admin/flows/run/", {"status__exact": "completed"})
    page = admin_client.get(f"/admin/flows/run/{run.pk}/change/")

    assert listed.status_code == 200
    assert str(run.pk) in listed.content.decode()
    assert page.status_code == 200
    text = page.content.decode()
    for kind in ("run.started", "node.started", "node.output", "run.completed"):
        assert f"<td>{kind}</td>" in text
    assert "hello" in text
    assert "&quot;sent&quot;: true" in text
    assert 'name="status"' not in text  # nothing to edit
    assert admin_client.get("/admin/flows/run/add/").status_code == 403


def test_the_cancel_action_cancels_unfinished_runs_only(admin_client: Client, version) -> None:
    pending = Run.objects.create(flow_version=version, requested_by=version.flow.owner)
    done = _finished_run(version)

    response = admin_client.post(
        "/admin/flows/run/",
        {"action": "cancel_runs", "_selected_action": [str(pending.pk), str(done.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Cancelled 1 run(s)." in response.content.decode()
    pending.refresh_from_db()
    done.refresh_from_db()
    assert pending.status == Run.Status.CANCELLED
    assert done.status == Run.Status.COMPLETED


def test_deleting_a_run_deletes_its_attempts_and_events(admin_client: Client, version) -> None:
    run = _finished_run(version)

    confirm = admin_client.get(f"/admin/flows/run/{run.pk}/delete/")
    response = admin_client.post(f"/admin/flows/run/{run.pk}/delete/", {"post": "yes"})

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert not Run.objects.filter(pk=run.pk).exists()
    assert not NodeAttempt.objects.filter(run_id=run.pk).exists()
    assert not RunEvent.objects.filter(run_id=run.pk).exists()


def test_flows_and_versions_are_shown_read_only(admin_client: Client, version) -> None:
    flow_page = admin_client.get(f"/admin/flows/flow/{version.flow.pk}/change/")
    version_page = admin_client.get(f"/admin/flows/flowversion/{version.pk}/change/")

    assert flow_page.status_code == 200
    assert f"/admin/flows/flowversion/{version.pk}/change/" in flow_page.content.decode()
    assert version_page.status_code == 200
    assert "&quot;send_email&quot;" in version_page.content.decode()
    assert 'name="ir"' not in version_page.content.decode()
    assert admin_client.get("/admin/flows/flowversion/add/").status_code == 403
