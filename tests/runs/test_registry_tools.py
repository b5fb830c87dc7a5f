"""Runs use the registry: its joins wire tools, and a disabled tool cannot run."""

from __future__ import annotations

import pytest

from flows.models import NodeAttempt
from flows.runs import services
from flows.runs.errors import RunServiceError
from tools_registry.models import Join, OutboundMessage, Tool

WELCOME_AFTER_CHECK = {
    "name": "welcome",
    "nodes": [
        {
            "id": "check",
            "type": "tool",
            "tool": "validate_email",
            "inputs": {"email": "input.email"},
        },
        {"id": "welcome", "type": "tool", "tool": "send_welcome_email", "after": ["check"]},
    ],
}


def test_a_registry_join_feeds_a_tool_wired_without_inputs(user, make_version, inprocess):
    Join.objects.create(
        from_tool_id="validate_email",
        to_tool_id="send_welcome_email",
        mapping={"email": "source.email", "name": "'Dear ' + source.domain"},
    )
    version = make_version(WELCOME_AFTER_CHECK)
    run = services.run_create(
        user=user, flow_version_id=version.id, run_input={"email": "grace@example.com"}
    )

    assert inprocess.execute(run.id) == "completed"

    welcome = NodeAttempt.objects.get(run=run, node_id="welcome")
    assert welcome.inputs == {"email": "grace@example.com", "name": "Dear example.com"}
    assert OutboundMessage.objects.filter(recipient="grace@example.com").count() == 1


def test_a_tool_disabled_in_the_registry_cannot_be_run(user, make_version, inprocess):
    Tool.objects.filter(id="send_welcome_email").update(enabled=False)
    from flows.runs.catalog import forget_snapshot

    forget_snapshot()
    version = make_version(WELCOME_AFTER_CHECK)

    with pytest.raises(RunServiceError, match="send_welcome_email"):
        services.run_create(user=user, flow_version_id=version.id, run_input={"email": "a@b.co"})
