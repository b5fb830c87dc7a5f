"""A cancel asked for while a run executes is kept when the run then suspends at an
approval: the run is cancelled, not left waiting for a decision nobody should make, and
nobody is asked, or emailed, about it."""

from __future__ import annotations

from typing import Any

import pytest

from approvals import notifications
from approvals.models import ApprovalStep
from flows.models import Run
from flows.runs import runner, services

APPROVAL_FLOW = {
    "name": "cancelled",
    "nodes": [
        {"id": "first", "type": "tool", "tool": "t_noop"},
        {
            "id": "ok",
            "type": "approval",
            "after": ["first"],
            "preset": {"kind": "comment"},
            "assignees": {"users": ["bob"]},
        },
    ],
}


def cancel_on_suspending(monkeypatch: pytest.MonkeyPatch, *, after_opening: bool) -> None:
    """The run's owner cancels it as it suspends: before its steps are stored, or after."""
    opened = runner._steps_open

    def cancel(run_id: str) -> None:
        run = Run.objects.get(pk=run_id)
        assert services.run_cancel(run_id=run_id, user=run.requested_by).status == "running"

    def open_and_cancel(run_id: str, requests: dict[str, Any]) -> dict[str, Any]:
        if not after_opening:
            cancel(run_id)
        summaries = opened(run_id, requests)
        if after_opening:
            cancel(run_id)
        return summaries

    monkeypatch.setattr(runner, "_steps_open", open_and_cancel)


def test_a_cancel_asked_as_the_run_suspends_is_kept(
    user, other_user, make_version, inprocess, emails, monkeypatch: pytest.MonkeyPatch
):
    # Given a run whose owner cancels it after its last node is stored, as it suspends
    cancel_on_suspending(monkeypatch, after_opening=False)
    run = services.run_create(
        user=user, flow_version_id=make_version(APPROVAL_FLOW).id, run_input={}
    )

    # When it suspends, it goes back to the queue, and its next claim cancels it
    assert inprocess.execute(run.id) == "pending"
    assert inprocess.execute(run.id) == "cancelled"

    run.refresh_from_db()
    assert (run.status, run.waiting) == ("cancelled", {})
    assert run.events.filter(type="run.cancelled").count() == 1
    # and its approval step never opened: nobody's inbox holds it, nobody was emailed
    assert not ApprovalStep.objects.filter(run_id=run.id).exists()
    assert emails == []


def test_a_step_opened_just_before_its_run_is_cancelled_emails_nobody(
    user, other_user, make_version, inprocess, mailoutbox, monkeypatch: pytest.MonkeyPatch
):
    other_user.email = "bob@example.com"
    other_user.save()
    # Given a run cancelled just after its approval step was stored, its email queued
    queued: list[str] = []
    monkeypatch.setattr(
        "approvals.tasks.email_step.apply_async", lambda args, **_: queued.append(args[0])
    )
    cancel_on_suspending(monkeypatch, after_opening=True)
    run = services.run_create(
        user=user, flow_version_id=make_version(APPROVAL_FLOW).id, run_input={}
    )
    assert inprocess.execute(run.id) == "pending"
    assert len(queued) == 1

    # When a worker sends the email, the run stopped meanwhile: it goes to nobody
    assert notifications.email_assignees(queued[0]) == []
    assert inprocess.execute(run.id) == "cancelled"
    assert notifications.email_assignees(queued[0]) == []
    assert mailoutbox == []


def test_a_step_of_a_run_going_on_emails_its_assignees(
    user, other_user, make_version, inprocess, emails
):
    other_user.email = "bob@example.com"
    other_user.save()
    run = services.run_create(
        user=user, flow_version_id=make_version(APPROVAL_FLOW).id, run_input={}
    )

    assert inprocess.execute(run.id) == "suspended"
    assert [message.to for message in emails] == [["bob@example.com"]]
