"""The command-line interface: ir_schema, validate_flow, run_flow, bootstrap."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tools_registry.models import OutboundMessage

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def call(*args: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=io.StringIO())
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, [line for line in out.getvalue().splitlines() if line.strip()]


def test_ir_schema_prints_the_published_json_schema():
    code, lines = call("ir_schema")

    schema = json.loads("\n".join(lines))
    assert code == 0
    assert schema["title"] == "DynamicFlow IR"
    node_types = set(schema["$defs"]) & {"ToolNode", "BranchNode", "MapNode", "ApprovalNode"}
    assert node_types == {"ToolNode", "BranchNode", "MapNode", "ApprovalNode"}


def test_validate_flow_accepts_a_valid_flow():
    assert call("validate_flow", str(EXAMPLES / "onboarding.json")) == (0, [])


def test_validate_flow_prints_one_json_error_per_line(tmp_path):
    ir = json.loads((EXAMPLES / "onboarding.json").read_text())
    ir["nodes"][0]["tool"] = "validate_emial"
    ir["nodes"][2]["inputs"]["name"] = "chek_email.name"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(ir))

    code, lines = call("validate_flow", str(path))

    errors = [json.loads(line) for line in lines]
    assert code == 1
    by_code = {error["code"]: error for error in errors}
    assert by_code["unknown_tool"]["node"] == "check_email"
    assert "validate_email" in by_code["unknown_tool"]["hint"]
    assert by_code["unknown_reference"]["field"] == "inputs.name"
    assert "check_email" in by_code["unknown_reference"]["hint"]


@pytest.mark.django_db(transaction=True)
def test_run_flow_prints_events_and_exits_0_when_completed(tmp_path):
    code, lines = call(
        "run_flow",
        str(EXAMPLES / "onboarding.json"),
        "--input",
        json.dumps({"email": "ada@example.com", "name": "Ada Lovelace"}),
    )

    events = [json.loads(line) for line in lines]
    assert code == 0
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["type"] == "run.started"
    assert events[-1]["type"] == "run.completed"
    assert events[-1]["data"]["output"] == {"result": {"welcomed": True, "ticket": ""}}
    skipped = [e["node_id"] for e in events if e["type"] == "node.skipped"]
    assert skipped == ["report"]
    assert OutboundMessage.objects.filter(recipient="ada@example.com").count() == 1


@pytest.mark.django_db(transaction=True)
def test_run_flow_exits_3_when_suspended():
    code, lines = call(
        "run_flow",
        str(EXAMPLES / "refund_approval.json"),
        "--input",
        json.dumps({"order_id": "A-1", "amount": 20, "email": "bob@example.com"}),
    )

    events = [json.loads(line) for line in lines]
    assert code == 3
    assert events[-1]["type"] == "run.suspended"
    waiting = events[-1]["data"]["waiting"]["approve"]
    # The event names the step and who it waits for; its contents stay sealed in the step.
    assert waiting["title"]
    assert "context" not in waiting
    assert "A-1" not in json.dumps(events[-1])


@pytest.mark.django_db(transaction=True)
def test_run_flow_refuses_an_input_that_does_not_fit_the_input_schema():
    code, lines = call(
        "run_flow", str(EXAMPLES / "onboarding.json"), "--input", '{"email": "ada@example.com"}'
    )

    assert code == 1
    [error] = [json.loads(line) for line in lines]  # no run.started: nothing ran
    assert error["type"] == "input.error"
    assert error["code"] == "invalid_input"
    assert "'name' is a required property" in error["message"]
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_run_flow_exits_1_when_a_node_fails(tmp_path):
    ir = json.loads((EXAMPLES / "onboarding.json").read_text())
    ir["nodes"][2]["inputs"]["name"] = "input.missing_field"
    # open to other inputs, so the validator lets the read through and the run fails on it
    ir["input_schema"]["additionalProperties"] = True
    path = tmp_path / "failing.json"
    path.write_text(json.dumps(ir))

    code, lines = call(
        "run_flow", str(path), "--input", json.dumps({"email": "ada@example.com", "name": "Ada"})
    )

    events = [json.loads(line) for line in lines]
    assert code == 1
    failed = [e for e in events if e["type"] == "node.failed"]
    assert failed[0]["node_id"] == "welcome"
    assert "missing_field" in failed[0]["data"]["error"]["message"]
    assert events[-1]["type"] == "run.failed"


@pytest.mark.django_db
def test_bootstrap_creates_the_admin_once_in_the_managers_group(settings, tmp_path):
    from django.contrib.auth import get_user_model

    settings.VAR_DIR = tmp_path
    code, lines = call("bootstrap")
    assert code == 0
    password = (tmp_path / "admin-password.txt").read_text().strip()
    assert lines == [
        f"admin login: admin / {password}",
        "admin is in group 'managers': its approvals reach the inbox",
    ]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(password)
    assert list(admin.groups.values_list("name", flat=True)) == ["managers"]

    assert call("bootstrap") == (0, lines)  # again: the same login, nothing new
    assert get_user_model().objects.count() == 1
