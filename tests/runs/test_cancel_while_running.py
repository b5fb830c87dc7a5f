"""A cancel asked for while a run executes is kept when the run then suspends at an
approval: the run is cancelled, not left waiting for a decision nobody should make."""

from __future__ import annotations

from typing import Any

import pytest

from flows.models import Run
from flows.runs import runner, services


def test_a_cancel_asked_as_the_run_suspends_is_kept(
    user, make_version, inprocess, monkeypatch: pytest.MonkeyPatch
):
    # Given a run whose owner cancels it after its last node is stored, as it suspends
    opened = runner._steps_open

    def cancel_then_open(run_id: str, requests: dict[str, Any]) -> dict[str, Any]:
        run = Run.objects.get(pk=run_id)
        assert services.run_cancel(run_id=run_id, user=run.requested_by).status == "running"
        return opened(run_id, requests)

    monkeypatch.setattr(runner, "_steps_open", cancel_then_open)
    version = make_version(
        {
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
    )
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})

    # When it suspends, it goes back to the queue, and its next claim cancels it
    assert inprocess.execute(run.id) == "pending"
    assert inprocess.execute(run.id) == "cancelled"

    run.refresh_from_db()
    assert (run.status, run.waiting) == ("cancelled", {})
    assert run.events.filter(type="run.cancelled").count() == 1
