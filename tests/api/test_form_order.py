"""A form's fields keep their author's order through Postgres (jsonb sorts object keys): a
version's input schema and its approvals' form schemas come back from the API in the order
they were saved in, however often they are saved again; versions stored before the order
was recorded still read, in the order forms have always guessed."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from flows.models import FlowVersion
from flows.schema_order import ir_with_recorded_order, ir_with_restored_order

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

AUTHOR_ORDER = ["zip", "name", "amount", "address", "accept"]

IR: dict[str, Any] = {
    "name": "Order",
    "input_schema": {
        "type": "object",
        "properties": {
            "zip": {"type": "string"},
            "name": {"type": "string"},
            "amount": {"type": "integer"},
            "address": {
                "type": "object",
                "properties": {"street": {"type": "string"}, "city": {"type": "string"}},
            },
            "accept": {"type": "boolean"},
        },
        "required": ["name"],
    },
    "nodes": [
        {
            "id": "ok",
            "type": "approval",
            "form_schema": {
                "type": "object",
                "properties": {"why": {"type": "string"}, "amount": {"type": "integer"}},
            },
        },
        {"id": "result", "type": "output", "value": "ok"},
    ],
}


def _stored(version_id: int) -> dict[str, Any]:
    """The IR as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ir::text FROM flows_flowversion WHERE id = %s", [version_id])
        return dict(json.loads(cursor.fetchone()[0]))


def test_a_saved_version_gives_its_fields_back_in_the_authors_order(api: APIClient) -> None:
    # Given a flow saved with fields in an order that is not alphabetical
    created = api.post("/api/v1/flows/", {"name": "Order", "ir": IR}, format="json")
    assert created.status_code == 201, created.content
    flow_id = created.json()["id"]

    # When it is read back
    version = api.get(f"/api/v1/flows/{flow_id}/versions/1/").json()

    # Then the fields are in the author's order, nested ones and the approval's form too,
    # and the schema says nothing more than its author wrote
    schema = version["ir"]["input_schema"]
    assert list(schema["properties"]) == AUTHOR_ORDER
    assert list(schema["properties"]["address"]["properties"]) == ["street", "city"]
    assert list(version["ir"]["nodes"][0]["form_schema"]["properties"]) == ["why", "amount"]
    assert version["ir"] == IR
    assert "x-order" not in str(version)
    # (Postgres sorted the keys; the order was kept beside them)
    stored = _stored(version["id"])
    assert list(stored["input_schema"]["properties"]) != AUTHOR_ORDER
    assert stored["input_schema"]["x-order"] == AUTHOR_ORDER

    # And a save of what was read (the designer's round trip) keeps it again
    again = api.post(
        f"/api/v1/flows/{flow_id}/versions/", {"ir": version["ir"]}, format="json"
    ).json()
    reread = api.get(f"/api/v1/flows/{flow_id}/versions/{again['number']}/").json()
    assert list(reread["ir"]["input_schema"]["properties"]) == AUTHOR_ORDER


def test_a_version_stored_without_its_order_still_reads() -> None:
    from django.contrib.auth.models import User

    from flows.models import Flow

    owner = User.objects.create_user("old")
    flow = Flow.objects.create(name="old", owner=owner)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=copy.deepcopy(IR))
    # as a version saved before the order was recorded
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE flows_flowversion SET ir = jsonb_set(ir, '{input_schema}',"
            " (ir->'input_schema') - 'x-order') WHERE id = %s",
            [version.id],
        )
    schema = FlowVersion.objects.get(pk=version.id).ir["input_schema"]
    # required first, then simple fields, then nested ones (each group alphabetical)
    assert list(schema["properties"]) == ["name", "accept", "amount", "zip", "address"]


def test_an_order_the_author_states_wins_and_the_rest_follows() -> None:
    schema = {
        "type": "object",
        "x-order": ["b", "missing", "a"],
        "properties": {"a": {}, "c": {}, "b": {}},
    }
    ir = {"input_schema": schema, "nodes": []}
    recorded = ir_with_recorded_order(ir)
    assert recorded["input_schema"]["x-order"] == ["b", "a", "c"]
    restored = ir_with_restored_order({"input_schema": dict(sorted(schema.items()))})
    assert list(restored["input_schema"]["properties"]) == ["b", "a", "c"]
    assert "x-order" not in restored["input_schema"]
    # anything that is not an IR is left as it is
    assert ir_with_restored_order("text") == "text"
    assert ir_with_recorded_order({"input_schema": "odd"}) == {"input_schema": "odd"}


def test_a_plans_ir_keeps_its_order_too() -> None:
    from django.contrib.auth.models import User

    from flows.models import PlanRequest

    # a planner's result is stored on its request before it becomes a version
    who = User.objects.create_user("planner-user")
    plan = PlanRequest.objects.create(prompt="p", requested_by=who, planner="offline", ir=IR)
    empty = PlanRequest.objects.create(prompt="p", requested_by=who, planner="offline")
    ir = PlanRequest.objects.get(pk=plan.pk).ir
    assert list(ir["input_schema"]["properties"]) == AUTHOR_ORDER
    assert PlanRequest.objects.get(pk=empty.pk).ir is None
