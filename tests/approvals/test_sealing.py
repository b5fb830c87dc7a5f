"""Suspended state is sealed: round trip, tampering, moved and foreign ciphertext, key
rotation, and no clear text anywhere in the tables while a run waits."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from approvals.models import ApprovalStep, StepDecision
from approvals.sealing import SealedRowError
from flows.runs import services
from tests.approvals.conftest import approval_ir
from tools_registry.crypto import development_keys
from tools_registry.services import credential_create

OLD = "old:" + "T0xET0xET0xET0xET0xET0xET0xET0xET0xET0xET0w="
NEW = "new:" + "TkVXTkVXTkVXTkVXTkVXTkVXTkVXTkVXTkVXTkVXTkU="
SECRET = "Zebulon-Quartz-7731"

pytestmark = pytest.mark.django_db(transaction=True)


def _suspend(user, make_version, inprocess, **step) -> ApprovalStep:
    version = make_version(approval_ir(**step))
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": SECRET})
    assert inprocess.execute(run.id) == "suspended"
    return ApprovalStep.objects.get(run=run, node_id="ok")


def _all_text() -> str:
    """Every row of every table the run and its steps touch, as text."""
    tables = [
        "flows_nodeattempt",
        "flows_runevent",
        "approvals_approvalstep",
        "approvals_stepdecision",
        "approvals_auditentry",
    ]
    chunks = []
    with connection.cursor() as cursor:
        # the run row without its input (the run input is the caller's, not the step's)
        cursor.execute("SELECT waiting::text, decisions::text, result::text FROM flows_run")
        chunks += [str(row) for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f"SELECT t::text FROM {table} AS t")
            chunks += [row[0] for row in cursor.fetchall()]
    return "\n".join(chunks)


def test_a_suspended_step_is_sealed_and_opens_only_in_its_own_row(
    user, other_user, make_version, inprocess
):
    step = _suspend(user, make_version, inprocess)

    contents = step.unseal_value()
    assert contents["context"] == {"customer": SECRET}
    assert contents["form_schema"]["required"] == ["amount"]
    assert step.key_id == "test1"
    assert SECRET not in step.ciphertext

    # tampered: one character of the ciphertext changed
    tampered = ApprovalStep.objects.get(pk=step.pk)
    flipped = "A" if tampered.ciphertext[20] != "A" else "B"
    tampered.ciphertext = tampered.ciphertext[:20] + flipped + tampered.ciphertext[21:]
    with pytest.raises(SealedRowError, match=str(step.pk)):
        tampered.unseal_value()

    # moved: another row's ciphertext does not open here
    other = _suspend(user, make_version, inprocess)
    other.key_id, other.ciphertext = step.key_id, step.ciphertext
    with pytest.raises(SealedRowError, match="wrong key or tampered"):
        other.unseal_value()

    # foreign: sealed with a key that is not configured
    with override_settings(DYNAMICFLOW_ENCRYPTION_KEYS=NEW), pytest.raises(
        SealedRowError, match="not in DYNAMICFLOW_ENCRYPTION_KEYS"
    ):
        ApprovalStep.objects.get(pk=step.pk).unseal_value()


def test_the_tables_hold_no_clear_text_of_a_waiting_step(
    user, other_user, django_user_model, make_version, inprocess, client_for
):
    carol = django_user_model.objects.create_user("carol", password="pw-carol-123456")
    # (the run input itself is the caller's and stays readable; what the step computes from
    # it for its approvers does not)
    step = _suspend(
        user,
        make_version,
        inprocess,
        assignees={"users": ["bob", "carol"]},
        quorum=2,
        context={"note": "'Hidden-' + input.customer"},
    )
    # one of two approvals given: its form data and comment are stored too
    answer = {"approved": True, "data": {"amount": 77}, "comment": "Comment-Marker-5521"}
    response = client_for(carol).post(f"/api/v1/approvals/{step.run_id}/ok/", answer, format="json")
    assert response.status_code == 202, response.content
    assert StepDecision.objects.filter(step=step).count() == 1

    text = _all_text()

    assert "Refund" in text  # the title is public: the check can see what it looks for
    for clear in ("Hidden-", "Check the refund.", "maximum", "amount", "Comment-Marker"):
        assert clear not in text, clear
    # and the API shows it, unsealed, to an assignee
    detail = client_for(other_user).get(f"/api/v1/approvals/{step.run_id}/ok/").json()
    assert detail["context"] == {"note": f"Hidden-{SECRET}"}
    assert detail["decisions"][0]["comment"] == "Comment-Marker-5521"


def test_rotate_keys_reseals_rows_under_two_keys_and_is_resumable(
    user, make_version, inprocess
):
    with override_settings(DYNAMICFLOW_ENCRYPTION_KEYS=OLD):
        old_step = _suspend(user, make_version, inprocess)
        credential_create(name="api_key", secret="s3cret")
    with override_settings(DYNAMICFLOW_ENCRYPTION_KEYS=f"{NEW},{OLD}"):
        new_step = _suspend(user, make_version, inprocess)
        assert {old_step.key_id, ApprovalStep.objects.get(pk=new_step.pk).key_id} == {
            "old",
            "new",
        }
        out = io.StringIO()
        call_command("rotate_keys", "--batch-size", "1", stdout=out)
        report = out.getvalue()
        assert "Resealed 1 approval steps with key 'new' (1 already were)" in report
        assert "Resealed 1 credentials" in report
        again = io.StringIO()
        call_command("rotate_keys", stdout=again)
        assert "Resealed 0 approval steps with key 'new' (2 already were)" in again.getvalue()
    with override_settings(DYNAMICFLOW_ENCRYPTION_KEYS=NEW):
        for step in ApprovalStep.objects.all():
            assert step.key_id == "new"
            assert step.unseal_value()["context"] == {"customer": SECRET}


def test_rotate_keys_names_a_row_that_does_not_open_and_changes_nothing(
    user, make_version, inprocess
):
    with override_settings(DYNAMICFLOW_ENCRYPTION_KEYS=OLD):
        good = _suspend(user, make_version, inprocess)
        bad = _suspend(user, make_version, inprocess)
    ApprovalStep.objects.filter(pk=bad.pk).update(ciphertext=good.ciphertext)  # moved
    before = dict(ApprovalStep.objects.values_list("pk", "ciphertext"))

    with override_settings(DYNAMICFLOW_ENCRYPTION_KEYS=f"{NEW},{OLD}"), pytest.raises(
        CommandError, match=str(bad.pk)
    ) as failure:
        call_command("rotate_keys", stdout=io.StringIO())

    assert "nothing was changed" in str(failure.value)
    assert str(good.pk) not in str(failure.value)
    assert dict(ApprovalStep.objects.values_list("pk", "ciphertext")) == before
    assert set(ApprovalStep.objects.values_list("key_id", flat=True)) == {"old"}


def test_a_development_key_is_made_once_and_kept(tmp_path: Path):
    path = tmp_path / "var" / "encryption-keys.txt"
    first = development_keys(path)
    assert first.startswith("dev1:")
    assert development_keys(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_production_start_without_keys_refuses_and_says_how_to_make_one(tmp_path: Path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DYNAMICFLOW_DEV", "DEBUG", "DYNAMICFLOW_ENCRYPTION_KEYS")
    }
    env.update(
        SECRET_KEY="x" * 50,
        DJANGO_SETTINGS_MODULE="dynamicflow_site.settings.base",
        DYNAMICFLOW_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode != 0
    assert "DYNAMICFLOW_ENCRYPTION_KEYS is not set" in result.stderr
    assert "os.urandom(32)" in result.stderr
    assert not (tmp_path / "encryption-keys.txt").exists()
