"""The inbox websocket through a real Daphne server: who hears of a step live."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from websockets.asyncio.client import connect

from flows.models import Run
from flows.runs import services
from tests.approvals.conftest import approval_ir

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _start(user: Any, make_version: Any, inprocess: Any, ir: dict[str, Any]) -> Run:
    version = make_version(ir)
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "c"})
    assert inprocess.execute(run.id) == "suspended"
    return run


async def _next(socket: Any) -> dict[str, Any]:
    return json.loads(await socket.recv())


def test_a_step_nobody_else_can_decide_reaches_staffs_inbox_socket_live(
    user, other_user, staff_user, make_version, inprocess, client_for, emails, daphne
):
    staff_token = Token.objects.create(user=staff_user).key
    bob_token = Token.objects.create(user=other_user).key
    staff_client = client_for(staff_user)

    async def scenario() -> tuple[list[dict[str, Any]], dict[str, Any], int]:
        staff_url = daphne.url(f"/ws/inbox/?token={staff_token}")
        bob_url = daphne.url(f"/ws/inbox/?token={bob_token}")
        async with (
            asyncio.timeout(30),
            connect(staff_url, origin=daphne.origin) as staff,
            connect(bob_url, origin=daphne.origin) as bob,
        ):
            assert (await _next(staff))["type"] == "inbox.ready"
            assert (await _next(bob))["type"] == "inbox.ready"

            # When a step opens for a group that does not exist
            lonely = await sync_to_async(_start)(
                user, make_version, inprocess, approval_ir(assignees={"groups": ["finance"]})
            )
            # Then staff hear of it at once, and their inbox count has it
            heard = [await _next(staff)]
            assert heard[0]["run_id"] == str(lonely.id)
            assert heard[0]["event"] == "opened"
            count = (await sync_to_async(staff_client.get)("/api/v1/approvals/")).json()["count"]

            # (bob, not staff and not in the group, is not told of it: the first message he
            # gets is about a step of his own, opened after it)
            mine = await sync_to_async(_start)(user, make_version, inprocess, approval_ir())
            bobs = await _next(bob)
            assert bobs["run_id"] == str(mine.id), bobs

            # When staff decide it, their socket hears that it left their inbox
            response = await sync_to_async(staff_client.post)(
                f"/api/v1/approvals/{lonely.id}/ok/",
                {"approved": False, "comment": "no"},
                format="json",
            )
            assert response.status_code == 202, response.content
            heard.append(await _next(staff))
            return heard, bobs, count

    heard, _, count = async_to_sync(scenario)()
    assert count == 1
    assert heard[1]["run_id"] == heard[0]["run_id"]
    assert heard[1]["event"] == "decided"
    assert heard[1]["status"] != "pending"


def test_a_step_for_a_staffed_group_reaches_its_members_not_staff(
    user, other_user, staff_user, make_version, inprocess, emails
):
    from approvals.models import ApprovalStep
    from approvals.selectors import inbox_recipients

    Group.objects.create(name="finance").user_set.add(other_user)
    run = _start(user, make_version, inprocess, approval_ir(assignees={"groups": ["finance"]}))
    step = ApprovalStep.objects.get(run=run)
    assert [u.username for u in inbox_recipients(step)] == ["bob"]

    # (its only member leaving makes it staff's)
    other_user.is_active = False
    other_user.save()
    assert [u.username for u in inbox_recipients(step)] == ["cyd"]
