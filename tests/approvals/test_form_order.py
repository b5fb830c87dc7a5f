"""An approval's decision form keeps its author's field order through the run: the worker
reads the version from Postgres (which sorts keys), seals the step's form, and the inbox
gives it back in the order the flow lists the fields."""

from __future__ import annotations

import pytest

from flows.runs import services
from tests.approvals.conftest import approval_ir

pytestmark = pytest.mark.django_db(transaction=True)

FORM_ORDER = ["zip", "reason", "amount", "accept"]


def test_the_decision_form_lists_its_fields_in_the_flows_order(
    user, other_user, make_version, inprocess, client_for
):
    form = {
        "type": "object",
        "properties": {
            "zip": {"type": "string"},
            "reason": {"type": "string"},
            "amount": {"type": "integer"},
            "accept": {"type": "boolean"},
        },
    }
    ir = approval_ir(form_schema=form)
    ir["input_schema"] = {
        "type": "object",
        "properties": {"customer": {"type": "string"}, "amount": {"type": "integer"}},
    }
    version = make_version(ir)
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "c"})
    assert inprocess.execute(run.id) == "suspended"

    step = client_for(other_user).get(f"/api/v1/approvals/{run.id}/ok/").json()
    assert list(step["form_schema"]["properties"]) == FORM_ORDER
    assert "x-order" not in step["form_schema"]
    run_version = client_for(user).get(f"/api/v1/runs/{run.id}/version/").json()
    assert list(run_version["ir"]["input_schema"]["properties"]) == ["customer", "amount"]
