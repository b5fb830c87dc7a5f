"""An approver of a step sees its run read only, up to the step: the run detail, its node
attempts, its events (API and websocket) and its version; they may not cancel or re-run it.
Everyone else who does not own the run still gets 404."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from flows.models import Run
from flows.runs import services

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "past-the-step"


def _ir(**step: Any) -> dict[str, Any]:
    """first -> ok (approval) -> later; `side` runs beside them, upstream of nothing."""
    approval = {
        "id": "ok",
        "type": "approval",
        "title": "Refund",
        "after": ["first"],
        "form_schema": {"type": "object", "properties": {"note": {"type": "string"}}},
        "assignees": {"users": ["bob"]},
    }
    approval.update(step)
    return {
        "name": "refund",
        "input_schema": {"type": "object", "properties": {"customer": {"type": "string"}}},
        "nodes": [
            {"id": "first", "type": "value", "value": "input.customer + '-first'"},
            {"id": "side", "type": "value", "value": f"'{SECRET}-side'"},
            approval,
            {"id": "later", "type": "value", "value": f"'{SECRET}-' + first", "after": ["ok"]},
            {"id": "result", "type": "output", "value": "later"},
        ],
    }


def _suspended(user: Any, make_version: Any, inprocess: Any, ir: dict[str, Any]) -> Run:
    version = make_version(ir)
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "c"})
    assert inprocess.execute(run.id) == "suspended"
    return run


def _finished(run: Run, approver: Any, client_for: Any, inprocess: Any) -> None:
    decided = client_for(approver).post(
        f"/api/v1/approvals/{run.id}/ok/", {"approved": True}, format="json"
    )
    assert decided.status_code == 202, decided.content
    assert inprocess.execute(run.id) == "completed"


def test_an_assignee_sees_the_run_read_only_up_to_their_step(
    user, other_user, make_version, inprocess, client_for
):
    # Given a run of ada's whose step bob decides, and that then completes
    run = _suspended(user, make_version, inprocess, _ir())
    _finished(run, other_user, client_for, inprocess)
    bob = client_for(other_user)

    # When bob reads the run
    detail = bob.get(f"/api/v1/runs/{run.id}/")

    # Then he sees it, read only, with the values of the nodes up to his step
    assert detail.status_code == 200, detail.content
    body = detail.json()
    assert body["access"] == {"role": "approver", "shown_nodes": ["first", "ok"]}
    assert body["input"] == {"customer": "c"}
    assert body["result"] is None
    nodes = {node["node_id"]: node for node in body["nodes"]}
    assert nodes["first"]["output"] == "c-first"
    assert nodes["first"]["withheld"] is False
    assert nodes["ok"]["output"]["approved"] is True
    for hidden in ("side", "later", "result"):
        assert nodes[hidden]["status"] == "completed"
        assert nodes[hidden]["withheld"] is True
        assert nodes[hidden]["output"] is None
        assert nodes[hidden]["inputs"] is None
    assert SECRET not in detail.content.decode()

    # and the events say what happened where, without the values past the step
    events = bob.get(f"/api/v1/runs/{run.id}/events/")
    assert events.status_code == 200
    assert SECRET not in events.content.decode()
    by_type = {(e["type"], e["node_id"]): e for e in events.json()["events"]}
    assert by_type[("node.output", "first")]["data"]["output"] == "c-first"
    assert by_type[("node.output", "later")]["data_withheld"] is True
    assert by_type[("run.completed", None)]["data"] == {}

    # and the version the run executes (its graph), which he may not open as a flow
    version = bob.get(f"/api/v1/runs/{run.id}/version/")
    assert version.status_code == 200
    assert [n["id"] for n in version.json()["ir"]["nodes"]][:2] == ["first", "side"]
    assert bob.get(f"/api/v1/flows/{run.flow_id}/").status_code == 404

    # while ada, its owner, sees all of it
    owner = client_for(user).get(f"/api/v1/runs/{run.id}/").json()
    assert owner["access"] == {"role": "owner", "shown_nodes": None}
    assert owner["result"] == {"result": f"{SECRET}-c-first"}


def test_a_member_of_the_steps_group_sees_the_run_and_nobody_else_does(
    user, other_user, staff_user, django_user_model, make_version, inprocess, client_for
):
    eve = django_user_model.objects.create_user("eve", password="pw-eve-123456")
    Group.objects.create(name="finance").user_set.add(eve)
    outsider = django_user_model.objects.create_user("dan", password="pw-dan-123456")
    run = _suspended(user, make_version, inprocess, _ir(assignees={"groups": ["finance"]}))

    assert client_for(eve).get(f"/api/v1/runs/{run.id}/").json()["access"]["role"] == "approver"
    assert client_for(staff_user).get(f"/api/v1/runs/{run.id}/").json()["access"]["role"] == (
        "owner"
    )
    # bob is not named by this step; dan by none: 404 everywhere, as for a missing run
    for person in (other_user, outsider):
        who = client_for(person)
        for path in ("", "events/", "version/"):
            assert who.get(f"/api/v1/runs/{run.id}/{path}").status_code == 404, path
        assert who.post(f"/api/v1/runs/{run.id}/cancel/").status_code == 404


def test_an_approver_may_neither_cancel_nor_re_run_the_run(
    user, other_user, make_version, inprocess, client_for
):
    run = _suspended(user, make_version, inprocess, _ir())
    bob = client_for(other_user)
    # bob may run the flow itself (it is shared with him), but not as a re-run of ada's run
    group = Group.objects.create(name="refunds")
    group.user_set.add(other_user)
    run.flow_version.flow.shared_with_groups.add(group)

    cancel = bob.post(f"/api/v1/runs/{run.id}/cancel/")
    assert cancel.status_code == 403, cancel.content
    assert cancel.json()["error"]["code"] == "permission_denied"
    rerun = bob.post(
        "/api/v1/runs/",
        {"flow_version": run.flow_version_id, "input": {"customer": "c"}, "rerun_of": str(run.id)},
        format="json",
    )
    assert rerun.status_code == 403, rerun.content
    run.refresh_from_db()
    assert run.status == "suspended"
    assert not run.cancel_requested
    assert Run.objects.count() == 1


def test_deciding_through_the_run_answers_an_approver_with_the_run_as_they_see_it(
    user, other_user, make_version, inprocess, client_for
):
    run = _suspended(user, make_version, inprocess, _ir())
    decided = client_for(other_user).post(
        f"/api/v1/runs/{run.id}/approvals/ok/", {"approved": True}, format="json"
    )
    assert decided.status_code == 202, decided.content
    assert decided.json()["access"]["role"] == "approver"
    step = client_for(other_user).get(f"/api/v1/approvals/{run.id}/ok/").json()
    assert step["can_view_run"] is True


@pytest.mark.slow
def test_the_run_stream_withholds_from_an_approver_what_the_api_does(
    user, other_user, django_user_model, make_version, inprocess, client_for, daphne
):
    outsider = django_user_model.objects.create_user("dan", password="pw-dan-123456")
    run = _suspended(user, make_version, inprocess, _ir())
    _finished(run, other_user, client_for, inprocess)
    bob = Token.objects.create(user=other_user).key
    dan = Token.objects.create(user=outsider).key

    async def stream(token: str) -> list[dict[str, Any]] | int:
        url = daphne.url(f"/ws/runs/{run.id}/?after=0&token={token}")
        received: list[dict[str, Any]] = []
        async with asyncio.timeout(20), connect(url, origin=daphne.origin) as socket:
            try:
                while not received or received[-1]["type"] != "run.completed":
                    received.append(json.loads(await socket.recv()))
            except ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else -1
        return received

    seen = asyncio.run(stream(bob))
    assert isinstance(seen, list)
    assert [e["seq"] for e in seen] == list(range(1, len(seen) + 1))
    assert SECRET not in json.dumps(seen)
    outputs = {e["node_id"]: e for e in seen if e["type"] == "node.output"}
    assert outputs["first"]["data"]["output"] == "c-first"
    assert outputs["side"]["data_withheld"] is True
    assert asyncio.run(stream(dan)) == 4404
    # the same events, as the API gives them
    api = client_for(other_user).get(f"/api/v1/runs/{run.id}/events/").json()["events"]
    assert seen == api
