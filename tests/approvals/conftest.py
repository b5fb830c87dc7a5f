"""Fixtures for approval tests: the run fixtures (users, flow versions, in-process runs,
real workers), emails sent at once, and flow builders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.runs.conftest import (  # noqa: F401  (fixtures)
    _daphne,
    _workers,
    api,
    daphne,
    inprocess,
    make_version,
    other_user,
    staff_user,
    user,
    workers,
)


@pytest.fixture
def emails(monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]) -> list[Any]:
    """Assignee emails are sent in this process at once (not from a worker)."""
    from approvals import notifications

    monkeypatch.setattr(
        "approvals.tasks.email_step.apply_async",
        lambda args, **_: notifications.email_assignees(args[0]),
    )
    return mailoutbox


@pytest.fixture
def client_for() -> Callable[[Any], Any]:
    from rest_framework.test import APIClient

    def make(person: Any) -> Any:
        client = APIClient()
        client.force_authenticate(person)
        return client

    return make


def approval_ir(**step: Any) -> dict[str, Any]:
    """first (a tool) -> ok (an approval, assigned to bob unless said otherwise) -> result."""
    node: dict[str, Any] = {
        "id": "ok",
        "type": "approval",
        "title": "Refund",
        "after": ["first"],
        "instructions": "Check the refund.",
        "form_schema": {
            "type": "object",
            "properties": {"amount": {"type": "integer", "maximum": 100}},
            "required": ["amount"],
        },
        "context": {"customer": "input.customer"},
        "assignees": {"users": ["bob"]},
    }
    node.update(step)
    return {
        "name": "refund",
        "input_schema": {"type": "object", "properties": {"customer": {"type": "string"}}},
        "nodes": [
            {"id": "first", "type": "tool", "tool": "t_noop"},
            node,
            {"id": "result", "type": "output", "value": "ok"},
        ],
    }
