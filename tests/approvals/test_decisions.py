"""Deciding a step: who may, exactly once, quorum, review of a tool call, timeouts, audit
and notifications."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from approvals.models import ApprovalStep, AuditEntry, StepDecision
from approvals.services import steps_expire
from flows.core.tools import FunctionTool, ToolConfig, ToolContext, ToolSpec
from flows.models import NodeAttempt, Run
from flows.runs import dispatch, services
from tests.approvals.conftest import approval_ir

pytestmark = pytest.mark.django_db(transaction=True)


def _start(user, make_version, inprocess, ir: dict[str, Any]) -> Run:
    version = make_version(ir)
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "c"})
    assert inprocess.execute(run.id) == "suspended"
    return run


def _path(run: Run, node: str = "ok") -> str:
    return f"/api/v1/approvals/{run.id}/{node}/"


def test_only_assignees_and_staff_see_a_step_everyone_else_gets_404_on_every_method(
    user, other_user, staff_user, django_user_model, make_version, inprocess, client_for
):
    outsider = django_user_model.objects.create_user("dan", password="pw-dan-123456")
    run = _start(user, make_version, inprocess, approval_ir())
    path = _path(run)
    legacy = f"/api/v1/runs/{run.id}/approvals/ok/"
    intruder = client_for(outsider)

    # an outsider, and the run's owner (not an assignee): 404 whatever the method
    for who in (intruder, client_for(user)):
        for method in ("get", "post", "put", "patch", "delete", "options"):
            assert getattr(who, method)(path, {}, format="json").status_code == 404, method
        for method in ("get", "post", "put", "delete"):
            assert getattr(who, method)(legacy, {}, format="json").status_code == 404, method
    # a step that does not exist looks the same
    assert intruder.get(_path(run, "first")).status_code == 404
    assert intruder.get("/api/v1/approvals/not-a-uuid/ok/").status_code == 404
    assert client_for(other_user).get("/api/v1/approvals/").json()["count"] == 1
    assert intruder.get("/api/v1/approvals/").json()["count"] == 0

    # the assignee and staff see it; a method the path lacks is 405 for them
    assert client_for(other_user).get(path).status_code == 200
    assert client_for(staff_user).get(path).status_code == 200
    assert client_for(other_user).put(path, {}, format="json").status_code == 405
    assert StepDecision.objects.count() == 0
    refused = AuditEntry.objects.filter(action="refused")
    assert set(refused.values_list("actor_name", flat=True)) == {"dan", "ada"}


def test_a_step_says_whether_its_reader_may_open_its_run(
    user, other_user, staff_user, django_user_model, make_version, inprocess, client_for
):
    run = _start(user, make_version, inprocess, approval_ir())  # by ada, assigned to bob

    # bob may decide the step, and open the run read only (tests/approvals/
    # test_run_for_approvers.py); staff may open it whole
    assert client_for(other_user).get(_path(run)).json()["can_view_run"] is True
    assert client_for(other_user).get(f"/api/v1/runs/{run.id}/").status_code == 200
    assert client_for(staff_user).get(_path(run)).json()["can_view_run"] is True


def test_deciding_through_the_run_shows_the_run_as_its_reader_may_see_it(
    user, other_user, staff_user, make_version, inprocess, client_for
):
    """The run's path answers with the run: whole for staff, up to the step for bob, who
    decides the step of ada's run."""
    run = _start(user, make_version, inprocess, approval_ir(quorum=2))  # by ada, for bob
    through_run = f"/api/v1/runs/{run.id}/approvals/ok/"
    decision = {"approved": True, "data": {"amount": 5}}

    # When bob decides through the run: he gets the run, read only
    answered = client_for(other_user).post(through_run, decision, format="json")
    assert answered.status_code == 202, answered.content
    assert answered.json()["access"]["role"] == "approver"
    assert answered.json()["input"] == {"customer": "c"}
    assert StepDecision.objects.get().username == "bob"

    # Then staff decide through it and get the run whole
    decided = client_for(staff_user).post(through_run, decision, format="json")
    assert decided.status_code == 202, decided.content
    assert decided.json()["access"]["role"] == "owner"
    assert ApprovalStep.objects.get(run=run).decided_by == "cyd"


def test_a_step_of_a_cancelled_run_is_not_waiting_before_and_after_it_is_closed(
    user, other_user, make_version, inprocess, client_for
):
    run = _start(user, make_version, inprocess, approval_ir())  # assigned to bob
    services.run_cancel(run_id=run.id, user=user)
    decision = {"approved": True, "data": {"amount": 5}}

    def refused() -> dict[str, Any]:
        response = client_for(other_user).post(_path(run), decision, format="json")
        assert response.status_code == 409, response.content
        return response.json()["error"]

    # Before the timer closes the step, and after: not "already decided by someone else"
    for closed in (False, True):
        if closed:
            assert steps_expire() == [str(ApprovalStep.objects.get(run=run).pk)]
        error = refused()
        assert error["code"] == "not_waiting", (closed, error)
        assert error["message"] == "the run is cancelled: nothing waits on this step"
        assert error["details"] == {"run_status": "cancelled"}
    assert not StepDecision.objects.exists()
    assert ApprovalStep.objects.get(run=run).decided_by == ""


def test_the_run_says_who_may_decide_its_open_step_and_when_nobody_can(
    user, other_user, staff_user, make_version, inprocess, client_for
):
    def waiting(person: Any, run: Run) -> dict[str, Any]:
        body = client_for(person).get(f"/api/v1/runs/{run.id}/").json()
        [step] = body["waiting"]
        return step

    run = _start(user, make_version, inprocess, approval_ir())  # assigned to bob
    assert waiting(user, run)["can_decide"] is False  # the owner is not an assignee
    assert waiting(staff_user, run)["can_decide"] is True
    assert waiting(staff_user, run)["approvers"] == 1
    colleagues = Group.objects.create(name="support")
    colleagues.user_set.add(user, other_user)
    assert waiting(user, run)["approvers"] == 1  # bob shares a group with ada

    # a group nobody is in: nobody can decide it until someone joins
    lonely = _start(user, make_version, inprocess, approval_ir(assignees={"groups": ["finance"]}))
    assert waiting(user, lonely)["approvers"] == 0
    assert waiting(user, lonely)["missing_groups"] == ["finance"]  # only staff can decide
    Group.objects.create(name="finance").user_set.add(user)
    assert waiting(user, lonely) | {"title": None} == {
        "node_id": "ok", "title": None, "form_schema": None,
        "assignees": {"users": [], "groups": ["finance"]}, "decided": False,
        "can_decide": True, "approvers": 1, "missing_groups": [], "missing_users": [],
    }  # fmt: skip


def test_the_run_answers_its_owner_alike_for_approvers_that_do_not_exist_and_hidden_ones(
    user, other_user, staff_user, make_version, inprocess, client_for
):
    # Given "payroll", a group with bob in it that ada is not in and may not name, and bob,
    # who shares no group with ada; "payrol" and "nobody" do not exist
    Group.objects.create(name="payroll").user_set.add(other_user)

    def waiting(person: Any, assignees: dict[str, Any]) -> dict[str, Any]:
        run = _start(user, make_version, inprocess, approval_ir(assignees=assignees))
        [step] = client_for(person).get(f"/api/v1/runs/{run.id}/").json()["waiting"]
        return {key: step[key] for key in ("approvers", "missing_groups", "missing_users")}

    # When ada, who started the runs, reads each step's approvers
    hidden_group = waiting(user, {"groups": ["payroll"]})
    missing_group = waiting(user, {"groups": ["payrol"]})
    hidden_user = waiting(user, {"users": ["bob"]})
    missing_user = waiting(user, {"users": ["nobody"]})

    # Then each hidden one answers as the missing one does: not found, nobody counted
    assert hidden_group == {"approvers": 0, "missing_groups": ["payroll"], "missing_users": []}
    assert missing_group == {"approvers": 0, "missing_groups": ["payrol"], "missing_users": []}
    assert hidden_user == {"approvers": 0, "missing_groups": [], "missing_users": ["bob"]}
    assert missing_user == {"approvers": 0, "missing_groups": [], "missing_users": ["nobody"]}
    # and staff, who may name everyone, read what exists
    assert waiting(staff_user, {"groups": ["payroll", "payrol"], "users": ["nobody"]}) == {
        "approvers": 1, "missing_groups": ["payrol"], "missing_users": ["nobody"],
    }


def test_twenty_decisions_at_once_leave_exactly_one(
    user, django_user_model, make_version, inprocess, client_for
):
    managers = Group.objects.create(name="managers")
    people = []
    for i in range(20):
        person = django_user_model.objects.create_user(f"m{i}", password="pw-manager-123456")
        person.groups.add(managers)
        people.append(person)
    run = _start(user, make_version, inprocess, approval_ir(assignees={"groups": ["managers"]}))
    enqueued: list[Any] = []
    original = dispatch.enqueue_run
    dispatch.enqueue_run = enqueued.append  # type: ignore[assignment]
    barrier = threading.Barrier(20)
    results: list[tuple[str, int, dict[str, Any]]] = []

    def decide(person: Any) -> None:
        try:
            client = client_for(person)
            barrier.wait()
            body = {"approved": True, "data": {"amount": 5}, "comment": person.username}
            response = client.post(_path(run), body, format="json")
            results.append((person.username, response.status_code, response.json()))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=decide, args=(p,)) for p in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        dispatch.enqueue_run = original  # type: ignore[assignment]

    winners = [r for r in results if r[1] == 202]
    losers = [r for r in results if r[1] == 409]
    assert len(results) == 20
    assert len(winners) == 1, results
    assert len(losers) == 19
    winner = winners[0][0]
    for _, _, body in losers:
        assert body["error"]["code"] == "already_decided"
        assert body["error"]["details"]["by"] == winner
        assert winner in body["error"]["message"]
    assert StepDecision.objects.filter(step__run=run).count() == 1
    assert len(enqueued) == 1
    run.refresh_from_db()
    assert run.status == "pending"
    assert inprocess.execute(run.id) == "completed"
    run.refresh_from_db()
    assert run.result["result"]["by"] == winner
    assert run.result["result"]["comment"] == winner


def test_a_quorum_needs_n_approvals_and_one_rejection_rejects(
    user, django_user_model, make_version, inprocess, client_for
):
    a, b, c = (
        django_user_model.objects.create_user(n, password=f"pw-{n}-123456")
        for n in ("qa", "qb", "qc")
    )
    ir = approval_ir(assignees={"users": ["qa", "qb", "qc"]}, quorum=2, on_reject="continue")
    run = _start(user, make_version, inprocess, ir)
    body = {"approved": True, "data": {"amount": 1}}

    # the first approval is recorded; the step still waits (for the others, not for qa)
    first = client_for(a).post(_path(run), body, format="json")
    assert first.status_code == 202
    assert first.json()["status"] == "pending"
    assert client_for(a).get("/api/v1/approvals/").json()["count"] == 0
    assert client_for(b).get("/api/v1/approvals/").json()["count"] == 1
    again = client_for(a).post(_path(run), body, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_decided"
    assert Run.objects.get(pk=run.pk).status == "suspended"

    # the second completes it
    assert (
        client_for(b).post(_path(run), {**body, "data": {"amount": 2}}, format="json").status_code
        == 202
    )
    detail = client_for(c).get(_path(run)).json()
    assert detail["status"] == "approved"
    assert [(d["by"], d["approved"]) for d in detail["decisions"]] == [("qa", True), ("qb", True)]
    assert all(d["at"] for d in detail["decisions"])
    assert (
        client_for(c).post(_path(run), body, format="json").json()["error"]["details"]["by"] == "qb"
    )
    assert inprocess.execute(run.id) == "completed"
    assert Run.objects.get(pk=run.pk).result["result"]["data"] == {"amount": 2}

    # one rejection rejects a step that needs two approvals
    rejected = _start(user, make_version, inprocess, ir)
    assert (
        client_for(c)
        .post(_path(rejected), {"approved": False, "comment": "no"}, format="json")
        .status_code
        == 202
    )
    assert ApprovalStep.objects.get(run=rejected).status == "rejected"
    assert inprocess.execute(rejected.id) == "completed"
    assert Run.objects.get(pk=rejected.pk).result["result"]["approved"] is False

    # unless the step says otherwise
    lenient = _start(
        user,
        make_version,
        inprocess,
        {**ir, "nodes": [ir["nodes"][0], {**ir["nodes"][1], "reject_quorum": 2}, ir["nodes"][2]]},
    )
    assert client_for(c).post(_path(lenient), {"approved": False}, format="json").status_code == 202
    assert ApprovalStep.objects.get(run=lenient).status == "pending"


def _review_flow() -> dict[str, Any]:
    return {
        "name": "pay",
        "input_schema": {"type": "object"},
        "nodes": [
            {"id": "quote", "type": "value", "value": {"to": "'ACME'", "amount": "120"}},
            {
                "id": "check",
                "type": "approval",
                "title": "Pay the supplier",
                "after": ["quote"],
                "form_schema": {"type": "object", "properties": {"note": {"type": "string"}}},
                "assignees": {"users": ["bob"]},
            },
            {
                "id": "pay",
                "type": "tool",
                "tool": "t_pay",
                "after": ["check"],
                "inputs": {"to": "quote.to", "amount": "quote.amount"},
            },
        ],
    }


def test_the_approver_reviews_and_edits_the_inputs_of_a_tool_that_requires_approval(
    user, other_user, make_version, inprocess, client_for
):
    paid: list[dict[str, Any]] = []

    async def pay(context: ToolContext, to: str, amount: int) -> dict[str, Any]:
        paid.append({"to": to, "amount": amount})
        return {"paid": amount}

    spec = ToolSpec(
        id="t_pay",
        name="Pay",
        description="pays",
        input_schema={
            "type": "object",
            "properties": {"to": {"type": "string"}, "amount": {"type": "integer", "maximum": 200}},
            "required": ["to", "amount"],
        },
        config=ToolConfig(requires_approval=True),
    )
    inprocess.add_tools(FunctionTool(spec, pay))
    run = _start(user, make_version, inprocess, _review_flow())
    bob = client_for(other_user)

    detail = bob.get(_path(run, "check")).json()
    assert detail["review"]["node"] == "pay"
    assert detail["review"]["tool"] == "t_pay"
    assert detail["review"]["proposed"] == {"to": "ACME", "amount": 120}
    assert detail["review"]["approved"] is None
    # edits outside the tool's input schema are refused, and change nothing
    too_much = {"approved": True, "inputs": {"to": "ACME", "amount": 999}}
    refused = bob.post(_path(run, "check"), too_much, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["details"]["field"] == "inputs"
    assert StepDecision.objects.count() == 0

    edited = {"approved": True, "data": {"note": "less"}, "inputs": {"to": "ACME", "amount": 100}}
    assert bob.post(_path(run, "check"), edited, format="json").status_code == 202
    assert inprocess.execute(run.id) == "completed"

    assert paid == [{"to": "ACME", "amount": 100}]
    after = bob.get(_path(run, "check")).json()
    assert after["review"]["proposed"] == {"to": "ACME", "amount": 120}
    assert after["review"]["approved"] == {"to": "ACME", "amount": 100}
    pay_attempt = NodeAttempt.objects.get(run=run, node_id="pay")
    assert pay_attempt.inputs == {"to": "ACME", "amount": 100}


def _expire(run: Run) -> None:
    step = ApprovalStep.objects.get(run=run)
    assert step.deadline is not None
    assert str(step.pk) in steps_expire(now=step.deadline + dt.timedelta(seconds=1))


@pytest.mark.parametrize(
    ("policy", "status", "outcome"),
    [("approve", "completed", True), ("reject", "completed", False), ("fail", "failed", None)],
)
def test_each_timeout_policy_is_applied_after_the_deadline(
    policy, status, outcome, user, make_version, inprocess
):
    run = _start(
        user,
        make_version,
        inprocess,
        approval_ir(timeout="PT1H", on_timeout=policy, on_reject="continue"),
    )
    step = ApprovalStep.objects.get(run=run)
    assert abs(step.deadline - step.created_at - dt.timedelta(hours=1)).total_seconds() < 1
    assert steps_expire(now=timezone.now()) == []  # not yet

    _expire(run)

    assert Run.objects.get(pk=run.pk).status == "pending"
    assert inprocess.execute(run.id) == status
    run.refresh_from_db()
    if outcome is None:
        assert run.error["code"] == "approval_timeout"
        assert ApprovalStep.objects.get(run=run).status == "expired"
    else:
        assert run.result["result"]["approved"] is outcome
        assert run.result["result"]["timed_out"] is True
    assert AuditEntry.objects.filter(step__run=run, action="timed_out").count() == 1


def test_escalation_reassigns_the_step_notifies_the_group_and_fails_if_it_runs_out_again(
    user, other_user, django_user_model, make_version, inprocess, client_for, emails
):
    directors = Group.objects.create(name="directors")
    dora = django_user_model.objects.create_user(
        "dora", email="dora@example.com", password="pw-dora-123456"
    )
    dora.groups.add(directors)
    other_user.email = "bob@example.com"
    other_user.save()
    run = _start(
        user,
        make_version,
        inprocess,
        approval_ir(timeout=60, on_timeout="escalate", escalate_to="directors"),
    )
    assert [m.to for m in emails] == [["bob@example.com"]]
    assert f"/inbox/{run.id}/ok" in emails[0].body

    _expire(run)

    step = ApprovalStep.objects.get(run=run)
    assert step.status == "pending"
    assert step.assignees == {"users": [], "groups": ["directors"]}
    assert Run.objects.get(pk=run.pk).waiting["ok"]["assignees"] == step.assignees
    assert [m.to for m in emails][-1] == ["dora@example.com"]
    assert client_for(other_user).get(_path(run)).status_code == 404
    assert client_for(dora).get("/api/v1/approvals/").json()["count"] == 1

    _expire(run)  # the escalated step runs out too
    assert inprocess.execute(run.id) == "failed"
    assert Run.objects.get(pk=run.pk).error["code"] == "approval_timeout"


def test_an_escalated_step_leaves_its_former_assignees_inbox_live(
    user, other_user, django_user_model, make_version, inprocess, emails
):
    """The escalation told only the new assignees; bob's inbox listed the step (which now
    answers him 404) until he reloaded it."""
    from asgiref.sync import async_to_sync, sync_to_async
    from channels.layers import get_channel_layer

    from approvals.notifications import inbox_group

    dora = django_user_model.objects.create_user("dora", password="pw-dora-123456")
    Group.objects.create(name="directors").user_set.add(dora)
    run = _start(
        user, make_version, inprocess,
        approval_ir(timeout=60, on_timeout="escalate", escalate_to="directors"),
    )  # waits for bob
    layer = get_channel_layer()

    async def heard_when_it_escalates() -> dict[str, dict[str, Any]]:
        inboxes = {}
        for person in (other_user, dora):
            inboxes[person.username] = await layer.new_channel()
            await layer.group_add(inbox_group(person.pk), inboxes[person.username])
        await sync_to_async(_expire)(run)
        async with asyncio.timeout(10):
            return {name: await layer.receive(channel) for name, channel in inboxes.items()}

    for name, message in async_to_sync(heard_when_it_escalates)().items():
        assert (message["event"], message["run_id"]) == ("escalated", str(run.id)), name


def test_a_step_whose_run_is_cancelled_closes_and_leaves_its_assignees_inbox_live(
    user, other_user, make_version, inprocess, client_for, monkeypatch
):
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "approvals.notifications.broadcast",
        lambda step_id, event, **_: told.append((str(step_id), event)) or 1,
    )
    run = _start(user, make_version, inprocess, approval_ir())  # waits for bob
    step = ApprovalStep.objects.get(run=run)
    told.clear()

    services.run_cancel(run_id=run.id, user=user)
    steps_expire(now=timezone.now())

    assert ApprovalStep.objects.get(pk=step.pk).status == "closed"
    # bob's inbox hears of it (its list and the navigation's count reload), and is empty
    assert (str(step.pk), "closed") in told
    assert client_for(other_user).get("/api/v1/approvals/").json()["count"] == 0


def test_every_view_and_decision_is_audited_and_the_log_cannot_be_changed(
    user, other_user, staff_user, make_version, inprocess, client_for
):
    from django.contrib.admin.sites import site

    run = _start(user, make_version, inprocess, approval_ir())
    bob = client_for(other_user)
    bob.get(_path(run))
    bob.get(_path(run))
    bob.post(_path(run), {"approved": False, "comment": "no"}, format="json")

    actions = list(
        AuditEntry.objects.filter(step__run=run)
        .exclude(action="notified")  # an email, when a worker happens to send one
        .order_by("at", "id")
        .values_list("actor_name", "action")
    )
    assert actions == [("", "opened"), ("bob", "viewed"), ("bob", "viewed"), ("bob", "decided")]
    decided = AuditEntry.objects.get(step__run=run, action="decided")
    assert decided.details["approved"] is False
    assert "no" not in str(decided.details.values())  # never the contents
    entry = AuditEntry.objects.filter(step__run=run).first()
    with pytest.raises(ValueError, match="cannot be changed"):
        entry.save()
    admin = site._registry[AuditEntry]
    request = type("R", (), {"user": staff_user})()
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)
    assert not admin.has_add_permission(request)
    staff = client_for(staff_user)
    staff.force_login(staff_user)
    page = staff.get(f"/admin/approvals/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert b"decided" in staff.get("/admin/approvals/auditentry/").content


def test_the_steps_graph_shows_it_cancelled_once_its_run_is_cancelled(
    user, other_user, make_version, inprocess, client_for
):
    def statuses() -> dict[str, str | None]:
        graph = client_for(other_user).get(_path(run)).json()["graph"]
        return {node["id"]: node["status"] for node in graph["nodes"]}

    run = _start(user, make_version, inprocess, approval_ir())  # assigned to bob
    assert statuses() == {"first": "completed", "ok": "waiting", "result": None}

    # When the run is cancelled, before the timer closes the step
    services.run_cancel(run_id=run.id, user=user)
    assert ApprovalStep.objects.get(run=run).status == "pending"

    # Then the step no longer reads as waiting, nor once it is closed
    assert statuses() == {"first": "completed", "ok": "cancelled", "result": None}
    steps_expire()
    assert ApprovalStep.objects.get(run=run).status == "closed"
    assert statuses() == {"first": "completed", "ok": "cancelled", "result": None}


def test_the_steps_graph_shows_it_done_once_decided_before_the_run_resumes(
    user, other_user, make_version, inprocess, client_for
):
    run = _start(user, make_version, inprocess, approval_ir())  # assigned to bob

    # When bob approves (the run resumes on a worker later: here, not at all)
    decided = client_for(other_user).post(
        _path(run), {"approved": True, "data": {"amount": 5}}, format="json"
    )
    assert decided.status_code == 202, decided.content

    # Then the step's page no longer shows it waiting in the flow
    graph = client_for(other_user).get(_path(run)).json()["graph"]
    assert {n["id"]: n["status"] for n in graph["nodes"]} == {
        "first": "completed", "ok": "completed", "result": None,
    }


def test_the_steps_graph_says_a_rejected_step_was_rejected(
    user, other_user, make_version, inprocess, client_for
):
    run = _start(user, make_version, inprocess, approval_ir())  # assigned to bob
    graph = client_for(other_user).get(_path(run)).json()["graph"]
    assert {n["id"]: n["outcome"] for n in graph["nodes"]} == {
        "first": None, "ok": None, "result": None,
    }

    rejected = client_for(other_user).post(_path(run), {"approved": False}, format="json")
    assert rejected.status_code == 202, rejected.content

    graph = client_for(other_user).get(_path(run)).json()["graph"]
    ok = next(n for n in graph["nodes"] if n["id"] == "ok")
    assert ok["status"] == "completed"
    assert ok["outcome"] == "rejected"


def test_a_step_nobody_else_can_decide_waits_in_staff_inboxes(
    user, other_user, staff_user, make_version, inprocess, client_for
):
    def inbox(person: Any) -> list[str]:
        body = client_for(person).get("/api/v1/approvals/").json()
        assert body["count"] == len(body["results"])
        return [row["node_id"] for row in body["results"]]

    # Given a step for a group that does not exist, and one for bob
    _start(user, make_version, inprocess, approval_ir(assignees={"groups": ["finance"]}))
    _start(user, make_version, inprocess, approval_ir())

    # Then staff find the first in their inbox; its owner and bob do not
    assert inbox(staff_user) == ["ok"]
    assert inbox(user) == []
    assert inbox(other_user) == ["ok"]  # bob's own step

    # When someone joins the group, it is theirs and leaves staff's inbox
    Group.objects.create(name="finance").user_set.add(user)
    assert inbox(user) == ["ok"]
    assert inbox(staff_user) == []
    # (a group whose only member is inactive counts as nobody)
    user.is_active = False
    user.save()
    assert inbox(staff_user) == ["ok"]


@pytest.mark.parametrize("named", ["Bob", "bob@example.com", "BOB@EXAMPLE.COM"])
def test_a_person_named_by_address_or_in_another_case_is_the_assignee(
    user, other_user, make_version, inprocess, client_for, named
):
    """The planner names people as the request wrote them ("have Bob approve", "ask
    bob@example.com to approve"): the step goes to that user, and to nobody else."""
    other_user.email = "bob@example.com"
    other_user.save(update_fields=["email"])
    run = _start(user, make_version, inprocess, approval_ir(assignees={"users": [named]}))

    step = ApprovalStep.objects.get(run=run)
    assert step.assignee_users == [other_user.get_username()]
    assert client_for(other_user).get("/api/v1/approvals/").json()["count"] == 1
    assert client_for(other_user).get(_path(run)).status_code == 200
    assert client_for(user).get(_path(run)).status_code == 404


def test_a_named_person_nobody_is_stays_as_written(user, make_version, inprocess):
    run = _start(user, make_version, inprocess, approval_ir(assignees={"users": ["zed@x.io"]}))

    assert ApprovalStep.objects.get(run=run).assignee_users == ["zed@x.io"]


def test_the_step_says_who_may_decide_it_as_its_run_does(
    user, staff_user, make_version, inprocess, client_for
):
    """The inbox's step page read "Assigned to group finance" with nothing saying that no
    such group exists and that staff decide it: the step's detail answers as the run does."""
    # Given a step waiting for a group that does not exist
    run = _start(user, make_version, inprocess, approval_ir(assignees={"groups": ["finance"]}))

    def reach(person: Any) -> dict[str, Any]:
        body = client_for(person).get(f"/api/v1/approvals/{run.id}/ok/").json()
        return {key: body[key] for key in ("approvers", "missing_groups", "missing_users")}

    # When staff read it, then nobody but staff can decide it
    assert reach(staff_user) == {"approvers": 0, "missing_groups": ["finance"], "missing_users": []}
    # and once someone is in the group, they can
    Group.objects.create(name="finance").user_set.add(user)
    assert reach(staff_user) == {"approvers": 1, "missing_groups": [], "missing_users": []}
    # and a decided step no longer counts anyone
    decided = client_for(staff_user).post(f"/api/v1/approvals/{run.id}/ok/",
                                          {"approved": False}, format="json")
    assert decided.status_code == 202, decided.content
    assert reach(staff_user) == {"approvers": None, "missing_groups": [], "missing_users": []}
