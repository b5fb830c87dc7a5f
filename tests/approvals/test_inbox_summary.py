"""Steps of one flow looked the same in the inbox (same title, same flow): each row says
what its run is about, in a line made of the run's input."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from approvals.models import ApprovalStep
from approvals.serializers import input_summary
from flows.models import Flow, FlowVersion, Run

pytestmark = pytest.mark.django_db


def _waiting_on(owner: Any, run_input: dict[str, Any]) -> Run:
    flow = Flow.objects.create(name="charge big orders", owner=owner)
    version = FlowVersion.objects.create(flow=flow, number=1, ir={"name": "x"}, is_valid=True)
    run = Run.objects.create(
        flow_version=version, requested_by=owner, status=Run.Status.SUSPENDED, input=run_input
    )
    step = ApprovalStep(run=run, node_id="ok", title="Manager approval", assignee_users=[])
    step.seal_value({"form_schema": {"type": "object"}})
    step.save()
    return run


def test_each_inbox_row_says_what_its_run_is_about(django_user_model: Any) -> None:
    staff = django_user_model.objects.create_user("sam", is_staff=True)
    _waiting_on(staff, {"order_id": "ORD-79", "amount": 2034, "items": [{"sku": "A"}]})
    _waiting_on(staff, {"order_id": "ORD-80", "amount": 12.5, "items": [{"sku": "B"}]})
    client = APIClient()
    client.force_authenticate(staff)

    rows = client.get("/api/v1/approvals/").json()["results"]

    summaries = sorted(row["input_summary"] for row in rows)
    # the plain values (not the list), in a line; the two rows differ
    assert summaries == ["amount 12.5 · order_id ORD-80", "amount 2034 · order_id ORD-79"]


def test_a_summary_is_short_whatever_the_input() -> None:
    long_text = "word " * 50
    summary = input_summary(
        {"a": long_text, "b": True, "c": None, "d": "", "e": {"x": 1}, "f": 3, "g": "more"}
    )

    assert summary == f"a {('word ' * 8)[:39]}… · b yes · f 3"
    assert input_summary("not an object") == ""


def test_a_summary_says_the_values_in_the_run_forms_order(django_user_model: Any) -> None:
    # The inbox summed a run of a form asking email, total, subject, body up from the body
    # ("body Thanks · email ada@example.com · total 900"): the stored order, shortest key first
    schema = {"type": "object", "properties": {
        "email": {"type": "string"}, "total": {"type": "number"},
        "subject": {"type": "string"}, "body": {"type": "string"}}}
    stored = {"body": "Thanks", "email": "ada@example.com", "total": 900, "subject": "Hi"}
    assert input_summary(stored, schema) == "email ada@example.com · total 900 · subject Hi"
    # a schema that says its order itself, and fields it does not name, after its own
    assert input_summary({"b": 1, "a": 2, "z": 3}, {
        "properties": {"a": {}, "b": {}}, "x-order": ["b"]}) == "b 1 · a 2 · z 3"
    assert input_summary(stored) == "body Thanks · email ada@example.com · total 900"

    staff = django_user_model.objects.create_user("sam", is_staff=True)
    run = _waiting_on(staff, stored)
    FlowVersion.objects.filter(pk=run.flow_version_id).update(
        ir={"name": "x", "input_schema": schema, "nodes": []})
    client = APIClient()
    client.force_authenticate(staff)
    [row] = client.get("/api/v1/approvals/").json()["results"]
    assert row["input_summary"] == "email ada@example.com · total 900 · subject Hi"


def test_the_steps_context_shows_the_run_input_in_the_forms_order(
        django_user_model: Any) -> None:
    # The step page read "Body, Email, Total, Subject" under "Input": the stored order
    schema = {"type": "object", "properties": {
        "email": {"type": "string"}, "total": {"type": "number"},
        "subject": {"type": "string"}, "body": {"type": "string"}}}
    stored = {"body": "Thanks", "email": "ada@example.com", "total": 900, "subject": "Hi"}
    staff = django_user_model.objects.create_user("sam", is_staff=True)
    run = _waiting_on(staff, stored)
    FlowVersion.objects.filter(pk=run.flow_version_id).update(ir={
        "name": "x", "input_schema": schema,
        "nodes": [{"id": "ok", "type": "approval", "instructions": "Approve",
                   "context": {"input": "input", "check": "check", "who": "input.email"},
                   "form_schema": {"type": "object", "properties": {}}}]})
    step = ApprovalStep.objects.get(run=run)
    step.seal_value({"form_schema": {"type": "object"}, "context": {
        "input": stored, "check": {"valid": True, "email": "ada@example.com"},
        "who": "ada@example.com"}})
    step.save()
    client = APIClient()
    client.force_authenticate(staff)

    context = client.get(f"/api/v1/approvals/{run.id}/ok/").json()["context"]

    assert list(context) == ["input", "check", "who"]
    assert list(context["input"]) == ["email", "total", "subject", "body"]
    assert list(context["check"]) == ["valid", "email"]  # a tool's result keeps its order
