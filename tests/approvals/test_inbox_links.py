"""An integrator reading the inbox gets, on each row, the address that reads and decides
that step, rather than having to assemble it from the run and node ids."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from approvals.models import ApprovalStep
from flows.models import Flow, FlowVersion, Run
from tests.approvals.conftest import approval_ir

pytestmark = pytest.mark.django_db


def _waiting_step(owner: Any) -> ApprovalStep:
    flow = Flow.objects.create(name="refunds", owner=owner)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=approval_ir(), is_valid=True)
    run = Run.objects.create(
        flow_version=version, requested_by=owner, status=Run.Status.SUSPENDED, input={}
    )
    step = ApprovalStep(run=run, node_id="ok", title="Refund", assignee_users=[])
    step.seal_value({"form_schema": {"type": "object"}})
    step.save()
    return step


def test_each_inbox_row_links_to_the_step_it_lists(django_user_model: Any) -> None:
    staff = django_user_model.objects.create_user("sam", is_staff=True)
    step = _waiting_step(staff)
    client = APIClient()
    client.force_authenticate(staff)

    row = client.get("/api/v1/approvals/").json()["results"][0]

    assert row["url"] == f"http://testserver/api/v1/approvals/{step.run_id}/ok/"
    detail = client.get(row["url"])
    assert detail.status_code == 200
    assert detail.json()["url"] == row["url"]
    assert detail.json()["node_id"] == "ok"
