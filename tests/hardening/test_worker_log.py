"""The worker's log: the housekeeping tasks beat sends every few seconds leave no INFO
lines; every other task's lines, and their warnings, stay."""

from __future__ import annotations

import logging

import pytest
from celery.app import trace

import dynamicflow_site.celery  # noqa: F401  (installs the filter)


@pytest.fixture
def lines() -> list[str]:
    kept: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kept.append(record.getMessage())

    handler = Keep(level=logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ("celery.app.trace", "celery.beat")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield kept
    for logger in loggers:
        logger.removeHandler(handler)


def _succeeded(name: str) -> None:
    trace.info(trace.LOG_SUCCESS, {"id": "1", "name": name, "return_value": None, "runtime": 0.01})


def test_beats_housekeeping_lines_are_dropped_and_others_kept(lines):
    _succeeded("approvals.expire_steps")
    logging.getLogger("celery.beat").info(
        "Scheduler: Sending due task %s (%s)", "approvals-expire-steps", "approvals.expire_steps"
    )
    assert lines == []

    _succeeded("flows.execute_run")
    logging.getLogger("celery.app.trace").warning("%s failed", "approvals.expire_steps")
    assert len(lines) == 2
    assert "flows.execute_run" in lines[0]
    assert lines[1] == "approvals.expire_steps failed"


def test_what_a_task_prints_is_logged_as_info_not_as_a_warning():
    # the console email backend under `make run` prints each message a task sends
    from dynamicflow_site.celery import app

    assert logging.getLevelName(app.conf.worker_redirect_stdouts_level) == logging.INFO
