"""The offline planner on requests probed by hand in the sixteenth session: a condition
that says a state with the step's verb in the third person right after it ("if it's
approved ships the order"), and a condition no step follows."""

from __future__ import annotations

import pytest

from flows.core.ir import BranchNode, ToolNode
from tests.planner.offline_plans import plan, refusal


def tool_node(flow, tool):
    return next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == tool)


def branch_of(flow, node_id):
    return next(n for n in flow.nodes if isinstance(n, BranchNode) and node_id in n.then)


@pytest.mark.parametrize(
    ("prompt", "tool", "condition"),
    [
        (
            "Validate order 77. If it's valid ships it to 5 Elm St, Springfield",
            "create_shipment",
            "validate_order.valid",
        ),
        (
            "validate the email; if it is not valid emails the admin at ops@x.com",
            "send_email",
            "!validate_email.valid",
        ),
    ],
)
def test_a_third_person_verb_after_a_state_starts_the_step(demo, prompt, tool, condition):
    """The step went into the words of the condition: the shipment was dropped and the plan
    validated the order alone."""
    flow = plan(prompt, demo)

    step = tool_node(flow, tool)
    assert branch_of(flow, step.id).condition == condition


def test_the_address_of_a_step_after_a_state_is_its_own(demo):
    flow = plan("Check order 77; if it's valid ships the order to 5 Elm St, Springfield", demo)

    assert tool_node(flow, "create_shipment").inputs["address"] == '"5 Elm St, Springfield"'


@pytest.mark.parametrize(
    "prompt",
    ["Check order 77; if it's approved", "Validate the email. If it's not valid"],
)
def test_a_condition_no_step_follows_is_refused(demo, prompt):
    """It was dropped: the plan did the step before it as if that were all."""
    error = refusal(prompt, demo)

    assert error.details["reason"] == "empty_condition"
    assert "no step follows its condition" in error.message
