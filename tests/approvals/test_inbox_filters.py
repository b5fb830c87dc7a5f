"""The inbox list's filters: words in a step's title, node id, flow name or requester, and
one flow; a bad filter is a 400 naming it; the filters never widen what a person may see."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from approvals.models import ApprovalStep
from flows.models import Flow, FlowVersion, Run

pytestmark = pytest.mark.django_db


def _waiting(owner: Any, flow_name: str, steps: dict[str, str], *, users: list[str]) -> Flow:
    """A suspended run of a new flow named `flow_name`, waiting on `steps` ({node: title})."""
    flow = Flow.objects.create(name=flow_name, owner=owner)
    version = FlowVersion.objects.create(flow=flow, number=1, ir={"name": "x"}, is_valid=True)
    run = Run.objects.create(flow_version=version, requested_by=owner, status=Run.Status.SUSPENDED)
    for node_id, title in steps.items():
        step = ApprovalStep(run=run, node_id=node_id, title=title, assignee_users=users)
        step.seal_value({"form_schema": {"type": "object"}})
        step.save()
    return flow


def _inbox(person: Any, query: str = "") -> Any:
    client = APIClient()
    client.force_authenticate(person)
    return client.get(f"/api/v1/approvals/{query}")


def _titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["title"] for row in response.json()["results"]]


@pytest.fixture
def steps(user: Any, other_user: Any) -> dict[str, Flow]:
    me = user.get_username()
    return {
        "refunds": _waiting(
            other_user,
            "Refunds EU",
            {"ok": "Approve the refund", "ship": "Ship the parcel"},
            users=[me],
        ),
        "hiring": _waiting(user, "Hiring", {"offer": "Sign the offer"}, users=[me]),
        "theirs": _waiting(user, "Refunds US", {"ok": "Approve the refund"}, users=["nobody"]),
    }


def test_each_word_must_be_in_the_title_node_flow_or_requester(user, other_user, steps):
    assert _titles(_inbox(user, "?search=refund")) == ["Approve the refund", "Ship the parcel"]
    assert _titles(_inbox(user, "?search=APPROVE+eu")) == ["Approve the refund"]
    assert _titles(_inbox(user, "?search=offer")) == ["Sign the offer"]  # a node id
    assert _titles(_inbox(user, f"?search={other_user.get_username()}")) == [
        "Approve the refund",
        "Ship the parcel",
    ]
    body = _inbox(user, "?search=refund+hiring").json()
    assert (body["count"], body["results"]) == (0, [])
    # blank words filter nothing
    assert len(_titles(_inbox(user, "?search=+"))) == 3


def test_one_flow_and_a_count_of_the_matching_steps_only(user, steps):
    body = _inbox(user, f"?flow={steps['refunds'].pk}&limit=1").json()
    assert body["count"] == 2
    assert [row["title"] for row in body["results"]] == ["Approve the refund"]
    # a flow whose steps wait for someone else lists none of them
    assert _titles(_inbox(user, f"?flow={steps['theirs'].pk}")) == []


def test_a_bad_filter_is_a_400_that_names_it(user, steps):
    response = _inbox(user, "?flow=refunds")
    assert response.status_code == 400
    assert "flow" in str(response.json()["error"]["details"])
    response = _inbox(user, "?search=" + "x" * 201)
    assert response.status_code == 400
    assert "search" in str(response.json()["error"]["details"])
