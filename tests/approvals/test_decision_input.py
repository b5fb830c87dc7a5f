"""A decision's body has the documented JSON types: `"approved": "yes"` (or "false", or 1)
was read by DRF as a boolean, so a typo approved (or rejected) a step, and a misspelt
field was dropped. Now each is a 400 naming the field, and the step is still waiting."""

from __future__ import annotations

from typing import Any

import pytest

from approvals.models import ApprovalStep, StepDecision
from flows.models import Run
from flows.runs import services
from tests.approvals.conftest import approval_ir

pytestmark = pytest.mark.django_db(transaction=True)


def _start(user: Any, make_version: Any, inprocess: Any) -> Run:
    version = make_version(approval_ir())
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "c"})
    assert inprocess.execute(run.id) == "suspended"
    return run


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"approved": "yes", "data": {"amount": 5}}, "approved",
         "Must be true or false, not a string."),
        ({"approved": "false"}, "approved", "Must be true or false, not a string."),
        ({"approved": 1, "data": {"amount": 5}}, "approved",
         "Must be true or false, not a number."),
        ({"approved": True, "data": {"amount": 5}, "comment": 7}, "comment",
         "Must be a string, not a number."),
        ({"approved": True, "data": {"amount": 5}, "comments": "ok"}, "comments",
         "Unknown field; this request takes approved, comment, data, inputs."),
    ],
)
@pytest.mark.parametrize("where", ["approvals/{run}/ok/", "runs/{run}/approvals/ok/"])
def test_a_decision_with_a_wrongly_typed_field_is_a_400_and_decides_nothing(
    user, other_user, staff_user, make_version, inprocess, client_for,
    body: dict[str, Any], field: str, message: str, where: str,
) -> None:
    run = _start(user, make_version, inprocess)
    path = "/api/v1/" + where.format(run=run.id)
    decider = other_user if where.startswith("approvals") else staff_user  # sees the run

    response = client_for(decider).post(path, body, format="json")

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"]["fields"] == {field: [message]}
    assert error["message"] == f"{field}: {message}"
    assert ApprovalStep.objects.get(run=run, node_id="ok").status == "pending"
    assert not StepDecision.objects.exists()
    assert Run.objects.get(pk=run.id).status == "suspended"


def test_a_boolean_still_decides(user, other_user, make_version, inprocess, client_for) -> None:
    run = _start(user, make_version, inprocess)

    response = client_for(other_user).post(
        f"/api/v1/approvals/{run.id}/ok/", {"approved": True, "data": {"amount": 5}},
        format="json",
    )

    assert response.status_code == 202, response.content
    assert ApprovalStep.objects.get(run=run, node_id="ok").status == "approved"


def test_form_data_with_a_field_the_form_does_not_have_is_a_400_and_decides_nothing(
    user, other_user, make_version, inprocess, client_for
) -> None:
    """A misspelt form field ("amout") was stored and ignored: the step was approved with
    data nobody reads. The form lists its fields, so anything else is refused."""
    run = _start(user, make_version, inprocess)

    response = client_for(other_user).post(
        f"/api/v1/approvals/{run.id}/ok/",
        {"approved": True, "data": {"amount": 5, "amout": 50}}, format="json",
    )

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_form"
    assert "no field 'amout'" in error["message"]
    assert "amount" in error["message"]
    assert error["details"] == {"field": "data", "path": "amout", "unknown": ["amout"]}
    assert ApprovalStep.objects.get(run=run, node_id="ok").status == "pending"
    assert not StepDecision.objects.exists()


def test_a_form_that_allows_more_fields_takes_them(
    user, other_user, make_version, inprocess, client_for
) -> None:
    form = {"type": "object", "properties": {"amount": {"type": "integer"}},
            "additionalProperties": True}
    version = make_version(approval_ir(form_schema=form))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "c"})
    assert inprocess.execute(run.id) == "suspended"

    response = client_for(other_user).post(
        f"/api/v1/approvals/{run.id}/ok/",
        {"approved": True, "data": {"amount": 5, "note": "x"}}, format="json",
    )

    assert response.status_code == 202, response.content


def test_the_admin_lists_steps_with_a_short_run_id(user, make_version, inprocess, admin_client):
    run = _start(user, make_version, inprocess)

    page = admin_client.get("/admin/approvals/approvalstep/")

    assert page.status_code == 200
    assert f"{str(run.id)[:8]}… (suspended)" in page.content.decode()


def test_a_required_list_in_the_form_left_empty_is_a_400_and_decides_nothing(
    user, other_user, make_version, inprocess, client_for
) -> None:
    form = {"type": "object", "properties": {"refunds": {"type": "array", "items":
            {"type": "integer"}}}, "required": ["refunds"]}
    version = make_version(approval_ir(form_schema=form))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "c"})
    assert inprocess.execute(run.id) == "suspended"

    response = client_for(other_user).post(
        f"/api/v1/approvals/{run.id}/ok/", {"approved": True, "data": {"refunds": []}},
        format="json",
    )

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_form"
    assert error["message"] == "the form is invalid at refunds: give at least 1 item"
    assert error["details"] == {"field": "data", "path": "refunds", "errors": [
        {"path": "refunds", "message": "give at least 1 item"}]}
    assert ApprovalStep.objects.get(run=run, node_id="ok").status == "pending"
    assert not StepDecision.objects.exists()



def test_every_problem_of_the_form_is_said_at_once(
    user, other_user, make_version, inprocess, client_for
) -> None:
    form = {"type": "object", "required": ["amount", "reason"], "properties": {
        "amount": {"type": "integer", "maximum": 100}, "reason": {"type": "string"},
        "on": {"type": "string", "format": "date"}}}
    version = make_version(approval_ir(form_schema=form))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "c"})
    assert inprocess.execute(run.id) == "suspended"

    response = client_for(other_user).post(
        f"/api/v1/approvals/{run.id}/ok/",
        {"approved": True, "data": {"amount": 500, "on": "soon"}}, format="json",
    )

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert [problem["path"] for problem in error["details"]["errors"]] == ["amount", "on", "reason"]
    assert error["details"]["path"] == "amount"
    for problem in error["details"]["errors"]:
        assert f"at {problem['path']}: {problem['message']}" in error["message"]
    assert not StepDecision.objects.exists()


@pytest.mark.parametrize(
    ("data", "status"),
    [({"on": "2026-12-24", "cc": "ops@example.com"}, 202),
     ({"on": "next friday", "cc": "ops@example.com"}, 400),
     ({"on": "2026-12-24", "cc": "ops at example"}, 400)],
)
def test_form_data_is_held_to_the_formats_the_web_form_checks(
    user, other_user, make_version, inprocess, client_for, data: dict[str, str], status: int
) -> None:
    # Given a form with a date and an email field (the inbox's form refuses "next friday")
    form = {"type": "object", "properties": {"on": {"type": "string", "format": "date"},
                                             "cc": {"type": "string", "format": "email"}}}
    version = make_version(approval_ir(form_schema=form))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "c"})
    assert inprocess.execute(run.id) == "suspended"

    response = client_for(other_user).post(
        f"/api/v1/approvals/{run.id}/ok/", {"approved": True, "data": data}, format="json"
    )

    # Then the API refuses it too, naming the field, and nothing is decided
    assert response.status_code == status, response.content
    if status == 400:
        error = response.json()["error"]
        assert error["code"] == "invalid_form"
        assert error["details"]["path"] in {"on", "cc"}
        assert data[error["details"]["path"]] in error["message"]
        assert not StepDecision.objects.exists()

@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        # a missing field is named where it is wanted, not as the form as a whole
        ({"approved": True, "data": {}}, {"field": "data", "path": "amount"},
         "the form is invalid at amount: "),
        ({"approved": True, "data": {"amount": 5}, "inputs": {"to": "x"}},
         {"field": "inputs", "path": "(inputs)"}, "this step reviews no tool call"),
    ],
)
def test_a_decision_that_does_not_fit_the_step_names_the_field_and_decides_nothing(
    user, other_user, make_version, inprocess, client_for,
    body: dict[str, Any], path: dict[str, str], message: str,
) -> None:
    run = _start(user, make_version, inprocess)

    response = client_for(other_user).post(
        f"/api/v1/approvals/{run.id}/ok/", body, format="json"
    )

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_form"
    assert {key: error["details"][key] for key in ("field", "path")} == path
    assert error["message"].startswith(message)
    assert ApprovalStep.objects.get(run=run, node_id="ok").status == "pending"
    assert not StepDecision.objects.exists()


@pytest.mark.parametrize(
    ("data", "status", "path"),
    [({}, 202, None), ({"amount": 5}, 202, None),
     ({"amount": "five"}, 400, "amount"), ({"amout": 5}, 400, "amout")],
)
def test_a_rejection_may_leave_the_form_empty_but_what_it_gives_must_fit(
    user, other_user, make_version, inprocess, client_for,
    data: dict[str, Any], status: int, path: str | None,
) -> None:
    """A rejection's data was stored unchecked, and the run's reject branch reads it."""
    run = _start(user, make_version, inprocess)

    response = client_for(other_user).post(
        f"/api/v1/approvals/{run.id}/ok/", {"approved": False, "data": data}, format="json"
    )

    assert response.status_code == status, response.content
    step = ApprovalStep.objects.get(run=run, node_id="ok")
    if status == 400:
        assert response.json()["error"]["details"]["path"] == path
        assert step.status == "pending"
        assert not StepDecision.objects.exists()
    else:
        assert step.status == "rejected"


def test_data_for_a_form_with_no_fields_is_a_400_and_decides_nothing(
    user, other_user, make_version, inprocess, client_for
) -> None:
    """The planner's plain approval has a form with no fields: data sent with the decision
    was stored as the step's output, though nothing asked for it."""
    version = make_version(approval_ir(form_schema={"type": "object", "properties": {}}))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "c"})
    assert inprocess.execute(run.id) == "suspended"
    approver = client_for(other_user)

    refused = approver.post(
        f"/api/v1/approvals/{run.id}/ok/", {"approved": True, "data": {"x": 1}}, format="json"
    )

    assert refused.status_code == 400, refused.content
    error = refused.json()["error"]
    assert error["code"] == "invalid_form"
    assert "takes no data" in error["message"]
    assert error["details"] == {"field": "data", "path": "x", "unknown": ["x"]}
    assert ApprovalStep.objects.get(run=run, node_id="ok").status == "pending"
    assert not StepDecision.objects.exists()

    # the decision alone (with a comment) goes through
    decided = approver.post(
        f"/api/v1/approvals/{run.id}/ok/",
        {"approved": True, "data": {}, "comment": "fine"},
        format="json",
    )
    assert decided.status_code == 202, decided.content
    assert ApprovalStep.objects.get(run=run, node_id="ok").status == "approved"
