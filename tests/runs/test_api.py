"""The REST API for runs: permissions, validation, the JSON error format, approvals, batches."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from flows.models import Run, RunBatch, RunEvent
from flows.runs import services
from tests.runs.helpers import approval_flow, chain

pytestmark = pytest.mark.urls("tests.runs.urls")


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    sent: list[str] = []
    monkeypatch.setattr("flows.runs.dispatch.enqueue_run", lambda run_id: sent.append(str(run_id)))
    return sent


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@pytest.mark.django_db
def test_every_endpoint_needs_authentication(user, make_version):
    run = Run.objects.create(flow_version=make_version(chain(1, tool="t_noop")), requested_by=user)
    client = APIClient()
    for method, path in [
        ("get", "/api/v1/runs/"),
        ("post", "/api/v1/runs/"),
        ("get", f"/api/v1/runs/{run.id}/"),
        ("post", f"/api/v1/runs/{run.id}/cancel/"),
        ("get", f"/api/v1/runs/{run.id}/events/"),
        ("post", f"/api/v1/runs/{run.id}/approvals/ok/"),
        ("post", "/api/v1/runs/batch/"),
    ]:
        response = getattr(client, method)(path, {}, format="json")
        assert response.status_code == 401, path
        assert _error(response)["code"] == "not_authenticated"


@pytest.mark.django_db(transaction=True)
def test_creating_a_run_enqueues_it_after_commit(user, make_version, api, enqueued):
    version = make_version(chain(2, tool="t_noop"))

    response = api.post("/api/v1/runs/", {"flow_version": version.id, "input": {}}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["flow_version"] == version.id
    assert body["nodes"] == []
    assert enqueued == [body["id"]]


@pytest.mark.django_db(transaction=True)
def test_a_run_the_web_app_starts_is_watched_from_its_claim(user, make_version, enqueued):
    # Given the web app (signed in with the browser's session) and an API client (a token)
    from rest_framework.authtoken.models import Token

    from flows.runs import store

    version = make_version(chain(1, tool="t_noop"))
    browser = APIClient(enforce_csrf_checks=False)
    browser.login(username=user.username, password="pw-ada-123456")
    integrator = APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    # When each starts a run
    started = {
        who: client.post("/api/v1/runs/", {"flow_version": version.id, "input": {}}, format="json")
        for who, client in (("browser", browser), ("integrator", integrator))
    }

    # Then the worker's claim of the web app's run already reads it as watched (its page
    # opens next), so its first events go out live; the integrator's run is not watched
    assert {who: r.status_code for who, r in started.items()} == {"browser": 201, "integrator": 201}
    claims = {who: store.claim_run(r.json()["id"], "w", 60) for who, r in started.items()}
    assert claims["browser"] is not None
    assert claims["integrator"] is not None
    assert claims["browser"].watched is True
    assert claims["integrator"].watched is False


@pytest.mark.django_db(transaction=True)
def test_a_run_created_in_a_rolled_back_transaction_is_never_enqueued(user, make_version, enqueued):
    version = make_version(chain(1, tool="t_noop"))

    def create_then_fail() -> None:
        with transaction.atomic():
            services.run_create(user=user, flow_version_id=version.id, run_input={})
            raise RuntimeError("rollback")

    with pytest.raises(RuntimeError):
        create_then_fail()
    assert enqueued == []
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_bad_run_requests_get_a_clear_error_and_change_nothing(
    user, other_user, make_version, api, enqueued
):
    typed = chain(1, tool="t_noop")
    typed["input_schema"] = {
        "type": "object",
        "properties": {"n": {"type": "integer"}},
        "required": ["n"],
    }
    version = make_version(typed)
    foreign = make_version(chain(1, tool="t_noop"), owner=other_user)
    unknown_tool = make_version(
        {"name": "x", "nodes": [{"id": "a", "type": "tool", "tool": "nope"}]}
    )
    cases = [
        ({"input": {}}, 400, "invalid"),
        ({"flow_version": 999999, "input": {}}, 404, "not_found"),
        ({"flow_version": foreign.id, "input": {}}, 404, "not_found"),
        ({"flow_version": version.id, "input": {"n": "one"}}, 400, "invalid_input"),
        ({"flow_version": version.id, "input": {}}, 400, "invalid_input"),
        ({"flow_version": version.id, "input": [1]}, 400, "invalid_input"),
        ({"flow_version": unknown_tool.id, "input": {}}, 400, "invalid_flow"),
    ]
    for payload, status, code in cases:
        response = api.post("/api/v1/runs/", payload, format="json")
        assert response.status_code == status, (payload, response.content)
        assert _error(response)["code"] == code
    assert not Run.objects.exists()
    assert enqueued == []


@pytest.mark.django_db
def test_a_required_list_input_left_empty_is_a_400_naming_it(user, make_version, api, enqueued):
    typed = chain(1, tool="t_noop")
    typed["input_schema"] = {
        "type": "object",
        "properties": {"emails": {"type": "array", "items": {"type": "string"}},
                       "cc": {"type": "array", "items": {"type": "string"}}},
        "required": ["emails"],
    }
    version = make_version(typed)

    response = api.post(
        "/api/v1/runs/", {"flow_version": version.id, "input": {"emails": [], "cc": []}},
        format="json",
    )

    assert response.status_code == 400, response.content
    error = _error(response)
    assert error["code"] == "invalid_input"
    assert error["details"] == {
        "path": "emails", "errors": [{"path": "emails", "message": "give at least 1 item"}]
    }
    assert error["message"] == (
        "the run input does not fit the flow's input_schema at emails: give at least 1 item"
    )
    assert not Run.objects.exists()
    assert enqueued == []
    fine = api.post("/api/v1/runs/", {"flow_version": version.id,
                                      "input": {"emails": ["a@example.com"], "cc": []}},
                    format="json")
    assert fine.status_code == 201, fine.content


@pytest.mark.django_db
def test_people_see_their_own_runs_and_staff_see_all(user, other_user, staff_user, make_version):
    version = make_version(chain(1, tool="t_noop"))
    mine = Run.objects.create(flow_version=version, requested_by=user)
    theirs = Run.objects.create(flow_version=version, requested_by=other_user)

    listed = _client(user).get("/api/v1/runs/").json()
    assert [r["id"] for r in listed["results"]] == [str(mine.id)]
    assert _client(user).get(f"/api/v1/runs/{theirs.id}/").status_code == 404
    assert _client(user).get(f"/api/v1/runs/{theirs.id}/events/").status_code == 404
    assert _client(user).post(f"/api/v1/runs/{theirs.id}/cancel/").status_code == 404
    staff = _client(staff_user).get("/api/v1/runs/").json()
    assert {r["id"] for r in staff["results"]} == {str(mine.id), str(theirs.id)}
    filtered = _client(staff_user).get("/api/v1/runs/?status=completed").json()
    assert filtered["results"] == []
    bad_filter = _client(staff_user).get("/api/v1/runs/?status=nope")
    assert bad_filter.status_code == 400
    assert _error(bad_filter)["code"] == "invalid"


@pytest.mark.django_db(transaction=True)
def test_cancelling_a_queued_run_ends_it_at_once(user, make_version, api, enqueued):
    version = make_version(chain(1, tool="t_noop"))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})

    response = api.post(f"/api/v1/runs/{run.id}/cancel/")

    assert response.status_code == 202
    assert response.json()["status"] == "cancelled"
    events = api.get(f"/api/v1/runs/{run.id}/events/?after=0").json()["events"]
    assert [(e["seq"], e["type"]) for e in events] == [(1, "run.cancelled")]
    assert _error(api.post(f"/api/v1/runs/{run.id}/cancel/"))["code"] == "run_finished"
    assert api.get(f"/api/v1/runs/{run.id}/events/?after=-1").status_code == 400


def test_an_approval_is_decided_once_by_an_assignee_with_a_valid_form(
    user, other_user, django_user_model, make_version, inprocess
):
    outsider = django_user_model.objects.create_user("dan", password="pw-dan-123456")
    version = make_version(approval_flow())
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})
    assert inprocess.execute(run.id) == "suspended"
    detail = _client(user).get(f"/api/v1/runs/{run.id}/").json()
    assert detail["status"] == "suspended"
    assert [w["node_id"] for w in detail["waiting"]] == ["ok"]
    path = f"/api/v1/runs/{run.id}/approvals/ok/"

    # Not an assignee (not even the run's owner), an invalid form, a node that is not an
    # approval: refused, nothing changes
    denied = _client(outsider).post(path, {"approved": True, "data": {"amount": 1}}, format="json")
    assert denied.status_code == 404
    assert _client(user).post(path, {"approved": True}, format="json").status_code == 404
    # (bob may decide it through the run too, which he sees read only: an approval must
    # fill its form in)
    assert _error(_client(other_user).post(path, {"approved": True}, format="json"))[
        "code"] == "invalid_form"
    path = f"/api/v1/approvals/{run.id}/ok/"
    bad = _client(other_user).post(path, {"approved": True, "data": {"amount": 500}}, format="json")
    assert bad.status_code == 400
    assert _error(bad)["code"] == "invalid_form"
    wrong_node = _client(other_user).post(
        f"/api/v1/runs/{run.id}/approvals/first/", {"approved": True}, format="json"
    )
    assert wrong_node.status_code == 404
    run.refresh_from_db()
    assert run.status == "suspended"
    assert run.decisions == {}

    # The assignee approves: the run goes back to the queue; a second decision is refused
    ok = _client(other_user).post(
        path, {"approved": True, "data": {"amount": 42}, "comment": "fine"}, format="json"
    )
    assert ok.status_code == 202, ok.content
    assert ok.json()["run_status"] == "pending"
    again = _client(other_user).post(path, {"approved": False}, format="json")
    assert again.status_code == 409
    assert _error(again)["code"] == "already_decided"
    assert _error(again)["details"]["by"] == "bob"

    assert inprocess.execute(run.id) == "completed"
    detail = _client(user).get(f"/api/v1/runs/{run.id}/").json()
    assert detail["result"] == {"result": 42}
    approval = next(n for n in detail["nodes"] if n["node_id"] == "ok")
    assert approval["output"]["by"] == "bob"
    assert approval["output"]["comment"] == "fine"
    # once decided, the assignee is told so (409, by whom); anyone else still gets 404
    late = {"approved": True, "data": {"amount": 1}}
    assert _error(_client(other_user).post(path, late, format="json"))["code"] == "already_decided"
    assert _client(user).post(path, late, format="json").status_code == 404
    seqs = list(RunEvent.objects.filter(run=run).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


@pytest.mark.django_db
def test_a_batch_with_one_bad_input_is_refused_whole(user, make_version, api, enqueued):
    typed = chain(1, tool="t_noop")
    typed["input_schema"] = {"type": "object", "properties": {"n": {"type": "integer"}}}
    version = make_version(typed)

    response = api.post(
        "/api/v1/runs/batch/",
        {"flow_version": version.id, "inputs": [{"n": 1}, {"n": "two"}], "concurrency": 2},
        format="json",
    )

    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "invalid_input"
    assert error["details"]["index"] == 1
    assert not RunBatch.objects.exists()
    assert not Run.objects.exists()
    empty = api.post(
        "/api/v1/runs/batch/", {"flow_version": version.id, "inputs": []}, format="json"
    )
    assert empty.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_a_batch_starts_only_its_concurrency_and_can_be_cancelled(
    user, make_version, api, enqueued
):
    version = make_version(chain(1, tool="t_noop"))
    response = api.post(
        "/api/v1/runs/batch/",
        {"flow_version": version.id, "inputs": [{}] * 5, "concurrency": 2},
        format="json",
    )
    assert response.status_code == 201
    batch_id = response.json()["id"]
    assert len(enqueued) == 2

    cancelled = api.post(f"/api/v1/runs/batch/{batch_id}/cancel/")

    assert cancelled.status_code == 202
    detail = api.get(f"/api/v1/runs/batch/{batch_id}/").json()
    assert detail["status"] == "cancelled"
    assert detail["progress"]["by_status"]["cancelled"] == 3
    assert Run.objects.filter(batch_id=batch_id, cancel_requested=True).count() == 2


def test_a_batch_is_read_as_progress_alone_and_its_runs_a_page_at_a_time(
    user, make_version, api, enqueued
):
    version = make_version(chain(1, tool="t_noop"))
    inputs = [{"n": i} for i in range(7)]
    response = api.post(
        "/api/v1/runs/batch/", {"flow_version": version.id, "inputs": inputs, "concurrency": 2},
        format="json",
    )
    batch_id = response.json()["id"]

    alone = api.get(f"/api/v1/runs/batch/{batch_id}/?runs=false").json()
    whole = api.get(f"/api/v1/runs/batch/{batch_id}/").json()
    page = api.get(f"/api/v1/runs/?batch={batch_id}&limit=3&offset=3").json()

    assert alone["runs"] == []
    assert alone["progress"] == whole["progress"]
    assert [r["index"] for r in whole["runs"]] == list(range(7))
    # a batch's runs come in its inputs' order, not newest first
    assert page["count"] == 7
    assert [r["batch_index"] for r in page["results"]] == [3, 4, 5]
    assert [r["input"] for r in page["results"]] == inputs[3:6]
    assert api.get(f"/api/v1/runs/batch/{batch_id}/?runs=maybe").status_code == 400


def test_the_approvals_inbox_lists_only_what_waits_for_me(
    user, other_user, django_user_model, make_version, inprocess
):
    from django.contrib.auth.models import Group

    finance = Group.objects.create(name="finance")
    fiona = django_user_model.objects.create_user("fiona", password="pw-fiona-123456")
    fiona.groups.add(finance)
    outsider = django_user_model.objects.create_user("dan", password="pw-dan-123456")
    by_user = services.run_create(
        user=user, flow_version_id=make_version(approval_flow()).id, run_input={}
    )
    by_group_ir = approval_flow()
    by_group_ir["nodes"][1]["assignees"] = {"groups": ["finance"]}
    by_group_ir["nodes"][1]["context"] = {"why": "'refund'"}
    by_group = services.run_create(
        user=user, flow_version_id=make_version(by_group_ir).id, run_input={}
    )
    assert inprocess.execute(by_user.id) == "suspended"
    assert inprocess.execute(by_group.id) == "suspended"

    bob_inbox = _client(other_user).get("/api/v1/approvals/").json()
    fiona_inbox = _client(fiona).get("/api/v1/approvals/").json()
    assert [(r["run"], r["node_id"]) for r in bob_inbox["results"]] == [(str(by_user.id), "ok")]
    assert [r["run"] for r in fiona_inbox["results"]] == [str(by_group.id)]
    step = _client(fiona).get(f"/api/v1/approvals/{by_group.id}/ok/").json()
    assert step["context"] == {"why": "refund"}
    assert step["form_schema"]["required"] == ["amount"]
    assert _client(outsider).get("/api/v1/approvals/").json()["count"] == 0

    path = f"/api/v1/approvals/{by_group.id}/ok/"
    assert _client(outsider).get(path).status_code == 404
    assert _client(fiona).get(path).json()["title"] == "ok"
    done = _client(fiona).post(path, {"approved": True, "data": {"amount": 7}}, format="json")
    assert done.status_code == 202
    assert _client(fiona).get("/api/v1/approvals/").json()["count"] == 0
    assert _client(other_user).get("/api/v1/approvals/").json()["count"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_names_its_version_by_flow_and_number_or_takes_the_latest(
    user, other_user, make_version, api, enqueued
):
    from flows.models import FlowVersion

    first = make_version(chain(1, tool="t_noop"))
    second = FlowVersion.objects.create(flow=first.flow, number=2, ir=chain(2, tool="t_noop"),
                                        is_valid=True)
    foreign = make_version(chain(1, tool="t_noop"), owner=other_user)

    latest = api.post("/api/v1/runs/", {"flow": first.flow_id, "input": {}}, format="json")
    pinned = api.post("/api/v1/runs/", {"flow": first.flow_id, "version": 1, "input": {}},
                      format="json")

    assert latest.status_code == 201, latest.content
    assert latest.json()["flow_version"] == second.id
    assert pinned.status_code == 201, pinned.content
    assert pinned.json()["flow_version"] == first.id
    cases = [
        ({"flow": first.flow_id, "version": 9, "input": {}}, 404, "not_found", "version"),
        ({"flow": foreign.flow_id, "input": {}}, 404, "not_found", "flow"),
        ({"flow": first.flow_id, "flow_version": first.id, "input": {}}, 400, "invalid", None),
        ({"version": 1, "input": {}}, 400, "invalid", None),
    ]
    for payload, status, code, field in cases:
        response = api.post("/api/v1/runs/", payload, format="json")
        assert response.status_code == status, (payload, response.content)
        assert _error(response)["code"] == code
        if field:  # a 404 names the field that named what was not found
            assert _error(response)["details"] == {"field": field}
    assert Run.objects.count() == 2


@pytest.mark.django_db
def test_a_missing_or_unknown_run_input_field_is_a_400_naming_it(user, make_version, api,
                                                                 enqueued):
    typed = chain(1, tool="t_noop")
    typed["input_schema"] = {
        "type": "object",
        "properties": {"email": {"type": "string"}, "name": {"type": "string"}},
        "required": ["email"],
    }
    version = make_version(typed)

    missing = api.post("/api/v1/runs/", {"flow_version": version.id, "input": {"name": "Ada"}},
                       format="json")
    misspelt = api.post(
        "/api/v1/runs/",
        {"flow_version": version.id, "input": {"email": "a@example.com", "nmae": "Ada"}},
        format="json",
    )

    assert missing.status_code == 400, missing.content
    assert _error(missing)["code"] == "invalid_input"
    assert _error(missing)["details"]["path"] == "email"
    assert "at email: 'email' is a required property" in _error(missing)["message"]
    assert misspelt.status_code == 400, misspelt.content
    error = _error(misspelt)
    assert error["code"] == "invalid_input"
    assert error["details"] == {"path": "nmae", "unknown": ["nmae"]}
    assert error["message"] == (
        "the run input has no field 'nmae': the flow's input_schema declares email, name"
    )
    assert not Run.objects.exists()
    assert enqueued == []

    typed["input_schema"]["additionalProperties"] = True
    open_version = make_version(typed)
    fine = api.post(
        "/api/v1/runs/",
        {"flow_version": open_version.id, "input": {"email": "a@example.com", "extra": 1}},
        format="json",
    )
    assert fine.status_code == 201, fine.content


@pytest.mark.django_db
def test_a_run_input_with_several_problems_names_each_of_them(user, make_version, api, enqueued):
    typed = chain(1, tool="t_noop")
    typed["input_schema"] = {
        "type": "object",
        "properties": {"email": {"type": "string"}, "name": {"type": "string"},
                       "amount": {"type": "number", "minimum": 0}},
        "required": ["email", "name"],
    }
    version = make_version(typed)

    response = api.post(
        "/api/v1/runs/", {"flow_version": version.id, "input": {"email": 5, "amount": -5}},
        format="json",
    )

    assert response.status_code == 400, response.content
    error = _error(response)
    assert error["code"] == "invalid_input"
    assert sorted(e["path"] for e in error["details"]["errors"]) == ["amount", "email", "name"]
    for said in ("at email:", "at amount:", "'name' is a required property"):
        assert said in error["message"]
    assert not Run.objects.exists()
    assert enqueued == []


@pytest.mark.django_db
def test_each_missing_required_field_is_named_at_its_own_path(user, make_version, api, enqueued):
    # Given a flow that requires two fields, and an input that has neither
    typed = chain(1, tool="t_noop")
    typed["input_schema"] = {
        "type": "object",
        "properties": {"email": {"type": "string"}, "name": {"type": "string"}},
        "required": ["email", "name"],
    }
    version = make_version(typed)

    response = api.post("/api/v1/runs/", {"flow_version": version.id, "input": {}},
                        format="json")

    # Then each missing field is reported where it is wanted, not at the first one's path
    assert response.status_code == 400, response.content
    error = _error(response)
    assert error["details"]["errors"] == [
        {"path": "email", "message": "'email' is a required property"},
        {"path": "name", "message": "'name' is a required property"},
    ]
    assert "at name: 'name' is a required property" in error["message"]
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_a_version_the_registry_no_longer_runs_names_its_issues(make_version, api, enqueued):
    # Given a version saved valid whose tool has since left the registry
    version = make_version(chain(1, tool="a_tool_deleted_since"))

    response = api.post("/api/v1/runs/", {"flow_version": version.id, "input": {}},
                        format="json")

    # Then the refusal names the node and field as the validator does, not only in words
    assert response.status_code == 400, response.content
    error = _error(response)
    assert error["code"] == "invalid_flow"
    (issue,) = error["details"]["issues"]
    assert (issue["code"], issue["field"]) == ("unknown_tool", "tool")
    assert issue["node"] == "n1"
    assert issue["hint"]
    assert "a_tool_deleted_since" in error["message"]
    assert not Run.objects.exists()



@pytest.mark.django_db
def test_a_run_input_is_held_to_the_formats_the_start_form_checks(make_version, api, enqueued):
    typed = chain(1, tool="t_noop")
    typed["input_schema"] = {
        "type": "object",
        "properties": {"email": {"type": "string", "format": "email"},
                       "due": {"type": "string", "format": "date"}},
    }
    version = make_version(typed)

    refused = api.post("/api/v1/runs/", {"flow_version": version.id,
                                         "input": {"email": "nobody", "due": "2026-12-24"}},
                       format="json")
    fine = api.post("/api/v1/runs/", {"flow_version": version.id,
                                      "input": {"email": "a@example.com", "due": "2026-12-24"}},
                    format="json")

    assert refused.status_code == 400, refused.content
    error = _error(refused)
    assert (error["code"], error["details"]["path"]) == ("invalid_input", "email")
    assert fine.status_code == 201, fine.content
    assert Run.objects.count() == 1

def test_a_running_run_says_until_when_its_worker_holds_it(user, make_version, api, enqueued):
    # Given a run a worker holds until a given time, and one no worker holds
    from datetime import UTC, datetime

    version = make_version(chain(1, tool="t_noop"))
    held = services.run_create(user=user, flow_version_id=version.id, run_input={})
    idle = services.run_create(user=user, flow_version_id=version.id, run_input={})
    until = datetime(2026, 1, 1, 10, 0, 30, tzinfo=UTC)
    Run.objects.filter(pk=held.pk).update(status="running", worker="w1", lease_expires_at=until)

    # When its owner reads them, whole and in the list
    detail = api.get(f"/api/v1/runs/{held.id}/").json()
    listed = {row["id"]: row for row in api.get("/api/v1/runs/").json()["results"]}

    # Then the held one says when the lease runs out (the run page tells a stopped worker
    # by it), the other says nothing
    assert detail["lease_expires_at"] == "2026-01-01T10:00:30Z"
    assert listed[str(held.id)]["lease_expires_at"] == "2026-01-01T10:00:30Z"
    assert listed[str(idle.id)]["lease_expires_at"] is None


@pytest.mark.django_db(transaction=True)
def test_a_rerun_names_the_run_it_repeats_when_that_run_is_one_you_can_see(
    user, other_user, make_version, api, enqueued
):
    version = make_version(chain(1, tool="t_noop"))
    first = api.post("/api/v1/runs/", {"flow_version": version.id}, format="json").json()
    other_flow = make_version(chain(1, tool="t_noop"))
    someone_elses = Run.objects.create(flow_version=version, requested_by=other_user)

    rerun = api.post("/api/v1/runs/", {"flow_version": version.id, "rerun_of": first["id"]},
                     format="json")

    assert rerun.status_code == 201, rerun.content
    assert rerun.json()["rerun_of"] == first["id"]
    assert api.get(f"/api/v1/runs/{rerun.json()['id']}/").json()["rerun_of"] == first["id"]
    assert first["rerun_of"] is None
    refused = [
        ({"flow_version": other_flow.id, "rerun_of": first["id"]}, "another flow"),
        ({"flow_version": version.id, "rerun_of": str(someone_elses.id)}, "that you can see"),
        ({"flow_version": version.id, "rerun_of": "4f0c8c7e-0000-4000-8000-000000000000"},
         "that you can see"),
        ({"flow_version": version.id, "rerun_of": "run-1"}, "UUID"),
    ]
    count = Run.objects.count()
    for payload, words in refused:
        response = api.post("/api/v1/runs/", payload, format="json")
        assert response.status_code == 400, (payload, response.content)
        error = _error(response)
        assert error["code"] == "invalid"
        assert list(error["details"]["fields"]) == ["rerun_of"]
        assert words in error["details"]["fields"]["rerun_of"][0], error
    assert Run.objects.count() == count


def test_a_completed_run_whose_approval_was_rejected_says_so_in_every_list(
    user, other_user, make_version, inprocess
):
    """Given a batch of two runs of one flow, one approved and one rejected; when both
    complete; then the rejected one (and only it) reads `approval_rejected` in the run list,
    its detail, its batch and its flow's last run."""
    from flows.api.selectors import flow_list
    from flows.api.serializers import FlowOutput

    version = make_version(approval_flow())
    batch = services.batch_create(user=user, flow_version_id=version.id, inputs=[{}, {}])
    approved, rejected = Run.objects.filter(batch=batch).order_by("batch_index")
    for run in (approved, rejected):
        assert inprocess.execute(run.id) == "suspended"
    bob = _client(other_user)
    assert bob.post(f"/api/v1/approvals/{approved.id}/ok/",
                    {"approved": True, "data": {"amount": 3}}, format="json").status_code == 202
    assert bob.post(f"/api/v1/approvals/{rejected.id}/ok/",
                    {"approved": False, "comment": "too much"}, format="json").status_code == 202
    assert inprocess.execute(approved.id) == "completed"
    assert inprocess.execute(rejected.id) == "completed"

    api = _client(user)
    listed = {row["id"]: row for row in api.get("/api/v1/runs/").json()["results"]}
    assert listed[str(approved.id)]["approval_rejected"] is False
    assert listed[str(rejected.id)]["approval_rejected"] is True
    assert api.get(f"/api/v1/runs/{rejected.id}/").json()["approval_rejected"] is True
    assert api.get(f"/api/v1/runs/{approved.id}/?nodes=false").json()["approval_rejected"] is False
    shown = api.get(f"/api/v1/runs/batch/{batch.id}/").json()
    assert shown["progress"]["by_status"]["completed"] == 2
    assert shown["progress"]["approval_rejected"] == 1
    assert [r["approval_rejected"] for r in shown["runs"]] == [False, True]
    # and a filter lists the runs the batch's counts name: completed apart from rejected
    def listed_ids(**query: str) -> list[str]:
        response = api.get("/api/v1/runs/", {"batch": str(batch.id), **query})
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert listed_ids(status="completed", approval_rejected="false") == [str(approved.id)]
    assert listed_ids(status="completed", approval_rejected="true") == [str(rejected.id)]
    assert listed_ids(status="completed", approval_rejected="") == [str(approved.id),
                                                                     str(rejected.id)]
    assert api.get("/api/v1/runs/", {"approval_rejected": "banana"}).status_code == 400
    # the runs list's own filters (by flow, not by batch, as its "Completed" and "Approval
    # rejected" chips ask) count what the batch's counts say
    def counted(**query: str) -> int:
        response = api.get("/api/v1/runs/", {"flow": str(version.flow_id), **query})
        assert response.status_code == 200, response.content
        return int(response.json()["count"])

    progress = shown["progress"]
    assert counted(status="completed", approval_rejected="false") == (
        progress["by_status"]["completed"] - progress["approval_rejected"]) == 1
    assert counted(status="completed", approval_rejected="true") == progress["approval_rejected"]
    # the flow's last run is the rejected one (created last)
    Run.objects.filter(pk=rejected.pk).update(created_at=approved.created_at.replace(year=2100))
    flow_row = FlowOutput(flow_list(user=user).get(pk=version.flow_id)).data
    assert flow_row["last_run"]["id"] == str(rejected.id)
    assert flow_row["last_run"]["approval_rejected"] is True
