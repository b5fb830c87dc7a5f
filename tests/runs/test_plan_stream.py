"""Planning in the background: a worker plans, the page watches over /ws/plans/<id>/."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from rest_framework.authtoken.models import Token
from websockets.asyncio.client import connect

from flows.api import services
from flows.models import PlanRequest
from tests.runs.helpers import wait_for

pytestmark = pytest.mark.slow

PROMPT = "validate the email, then send a welcome email"


async def _plan_events(url: str, origin: str, timeout: float = 30.0) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout), connect(url, origin=origin) as socket:
        while True:
            events.append(json.loads(await socket.recv()))
            if events[-1]["type"] in ("plan.completed", "plan.failed"):
                return events


def _url(daphne: Any, plan: PlanRequest, user: Any, after: int = 0) -> str:
    token = Token.objects.get_or_create(user=user)[0].key
    return daphne.url(f"/ws/plans/{plan.pk}/?after={after}&token={token}")


def test_a_background_plan_streams_its_events_and_ends_with_the_saved_version(
    user, workers, daphne
):
    # Given a plan submitted in the background
    plan = services.plan_submit(user=user, prompt=PROMPT, planner="offline", background=True)
    assert plan.status == PlanRequest.Status.PENDING

    # When the page watches it
    events = async_to_sync(_plan_events)(_url(daphne, plan, user), daphne.origin)

    # Then it sees every step once, in order, ending with the outcome
    types = [event["type"] for event in events]
    assert types[0] == "plan.started"
    assert types[-1] == "plan.completed"
    assert "plan.validated" in types
    seqs = [event["seq"] for event in events]
    assert seqs == sorted(set(seqs))
    # and the version it produced is saved by the time the final event arrives
    plan.refresh_from_db()
    assert plan.status == PlanRequest.Status.SUCCEEDED
    assert plan.resulting_version is not None
    assert plan.resulting_version.flow.owner == user
    assert [e["seq"] for e in plan.events] == seqs


def test_a_late_watcher_gets_the_stored_events_and_resumes_after_a_seq(user, workers, daphne):
    plan = services.plan_submit(user=user, prompt=PROMPT, planner="offline", background=True)
    wait_for(lambda: PlanRequest.objects.get(pk=plan.pk).resulting_version_id, 30,
             what="the plan to finish")

    everything = async_to_sync(_plan_events)(_url(daphne, plan, user), daphne.origin)
    rest = async_to_sync(_plan_events)(_url(daphne, plan, user, after=2), daphne.origin)

    assert [e["seq"] for e in rest] == [e["seq"] for e in everything if e["seq"] > 2]


def test_a_plan_that_fails_ends_with_its_reason(user, workers, daphne):
    plan = services.plan_submit(user=user, prompt="send the customer an SMS reminder",
                                planner="offline", background=True)

    events = async_to_sync(_plan_events)(_url(daphne, plan, user), daphne.origin)

    assert events[-1]["type"] == "plan.failed"
    plan.refresh_from_db()
    assert plan.status == PlanRequest.Status.FAILED
    assert plan.error
    assert plan.resulting_version is None


async def _close_code(url: str, origin: str) -> int | None:
    from websockets.exceptions import ConnectionClosed

    async with asyncio.timeout(10), connect(url, origin=origin) as socket:
        try:
            await socket.recv()
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
    return None


def test_nobody_else_may_watch_a_plan(user, other_user, daphne):
    # Planned here, not on a worker: nothing writes to the database while the test ends.
    plan = services.plan_submit(user=user, prompt=PROMPT, planner="offline")

    code = async_to_sync(_close_code)(_url(daphne, plan, other_user), daphne.origin)

    assert code == 4404
