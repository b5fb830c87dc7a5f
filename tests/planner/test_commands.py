"""`manage.py plan` and `manage.py eval_planner`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.planner.fake_openai import Reply, Stream

pytestmark = [pytest.mark.usefixtures("isolated_cache"), pytest.mark.django_db]

WELCOME = "Validate the email address and, if it is valid, send a welcome email."
DEMO_PLAN = {
    "name": "Welcome valid addresses",
    "input_schema": {
        "type": "object",
        "properties": {"email": {"type": "string"}, "name": {"type": "string"}},
    },
    "nodes": [
        {
            "id": "check",
            "type": "tool",
            "tool": "validate_email",
            "inputs": {"email": "input.email"},
        },
        {"id": "if_valid", "type": "branch", "condition": "check.valid", "then": ["welcome"]},
        {
            "id": "welcome",
            "type": "tool",
            "tool": "send_welcome_email",
            "inputs": {"email": "check.email", "name": "input.name"},
        },
    ],
}


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_plan_prints_events_as_json_lines_and_writes_the_ir(tmp_path):
    target = tmp_path / "flow.json"

    output = run("plan", WELCOME, "--planner", "offline", "--out", str(target))

    events = [json.loads(line) for line in output.splitlines()]
    assert next(e["type"] for e in events) == "plan.started"
    assert events[-1]["type"] == "plan.completed"
    ir = json.loads(target.read_text())
    assert {n["tool"] for n in ir["nodes"] if "tool" in n} == {
        "validate_email",
        "send_welcome_email",
    }
    assert ir["metadata"]["planner"] == "offline"


def test_plan_with_a_tool_subset_and_no_out_prints_the_ir_last():
    output = run(
        "plan",
        "Validate the email.",
        "--tools",
        "validate_email,send_email",
        "--planner",
        "offline",
        "--no-cache",
    )

    lines = [json.loads(line) for line in output.splitlines()]
    assert lines[0]["data"]["tools"]["kept"] == ["validate_email", "send_email"]
    assert lines[-1]["ir"]["nodes"][0]["tool"] == "validate_email"


def test_plan_exits_1_with_the_reason_when_it_fails(tmp_path):
    out = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command(
            "plan",
            "Book a meeting room.",
            "--planner",
            "offline",
            "--out",
            str(tmp_path / "x.json"),
            stdout=out,
        )

    assert caught.value.returncode == 1
    assert "book a meeting room" in str(caught.value).lower()
    assert json.loads(out.getvalue().splitlines()[-1])["type"] == "plan.failed"
    assert not (tmp_path / "x.json").exists()


def test_plan_refines_a_base_ir(tmp_path):
    base = tmp_path / "base.json"
    base.write_text(json.dumps(DEMO_PLAN))
    target = tmp_path / "refined.json"

    run(
        "plan",
        "drop the welcome step",
        "--base",
        str(base),
        "--planner",
        "offline",
        "--out",
        str(target),
    )

    assert [n["id"] for n in json.loads(target.read_text())["nodes"]] == ["check", "if_valid"]


def test_plan_with_the_openai_planner(tmp_path, settings, fake_openai):
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_BASE_URL = fake_openai.base_url
    settings.DYNAMICFLOW_MODEL = "test-model"
    settings.DYNAMICFLOW_PLANNER_STREAM = True
    document = json.dumps(DEMO_PLAN)
    fake_openai.push(Stream([document[:100], document[100:]]))
    target = tmp_path / "flow.json"

    output = run("plan", WELCOME, "--out", str(target), "--no-cache")

    types = [json.loads(line)["type"] for line in output.splitlines()]
    assert "plan.token" in types
    assert json.loads(target.read_text())["metadata"]["model"] == "test-model"


def test_eval_planner_prints_each_case_and_the_score():
    # the held-out suite alone: every case of every suite is planned by
    # test_offline_planner.test_every_evaluation_case_passes
    output = run("eval_planner", "--planner", "offline", "--suite", "held-out")

    assert "PASS  ho_typo_welcome" in output
    score_line = next(line for line in output.splitlines() if line.startswith("SCORE offline"))
    passed, total = score_line.split(": ")[1].split(" ")[0].split("/")
    assert int(total) >= 20
    assert int(passed) / int(total) >= 0.8


def test_eval_planner_scores_the_openai_planner_when_configured(settings, fake_openai, tmp_path):
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_BASE_URL = fake_openai.base_url
    settings.DYNAMICFLOW_PLANNER_STREAM = False
    fake_openai.push(
        Reply(json.dumps(DEMO_PLAN)), Reply("not json"), Reply("not json"), Reply("not json")
    )
    report = tmp_path / "report.json"

    output = run(
        "eval_planner",
        "--case",
        "welcome_if_valid",
        "--case",
        "order_pipeline",
        "--json",
        str(report),
    )

    assert "SCORE offline: 2/2" in output
    assert "SCORE openai: 1/2" in output
    data = json.loads(report.read_text())
    assert [r["planner"] for r in data] == ["offline", "openai"]
