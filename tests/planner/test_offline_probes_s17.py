"""The offline planner on requests probed by hand through the API of a fresh install: a
rule for the things over an amount said after "but" ("charge it, but for orders over $1000
require approval from the managers group first, then email the receipt"), and a group named
as a group ("ask the managers group to approve")."""

from __future__ import annotations

import pytest

from flows.core.ir import ApprovalNode, ToolNode
from tests.planner.offline_plans import plan


def _tools(flow):
    return [n.tool for n in flow.nodes if isinstance(n, ToolNode)]


@pytest.mark.parametrize(
    "prompt",
    [
        "Charge $1200 to card tok_visa for order A-7, but for orders over $1000 require "
        "approval from the managers group first, then email the receipt to jo@example.com",
        "Charge $1200 to card tok_visa for order A-7, but orders over $1000 need approval "
        "from the managers group first",
        "Charge $1200 to card tok_visa for order A-7 but orders over $1000 require a "
        "manager's approval",
    ],
)
def test_a_rule_for_those_over_an_amount_after_but_guards_the_step(demo, prompt):
    """The rule's words were a step of their own (an order validated after the charge,
    asking the run for its lines), and the approval came after the charge it guards."""
    flow = plan(prompt, demo)

    assert "validate_order" not in _tools(flow)
    approval = next(n for n in flow.nodes if isinstance(n, ApprovalNode))
    assert approval.when == "1200.0 > 1000.0"
    charge = next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "process_payment")
    assert charge.after == [f"{approval.id}_passed"]
    assert charge.inputs["amount"] == "1200.0"


@pytest.mark.parametrize(
    ("prompt", "group"),
    [
        (
            "Look up user u_1001, and if they're found, ask the managers group to approve a $50 "
            "credit, then email them a thank-you",
            "managers",
        ),
        ("ask the managers group to approve it, then charge $50 to card tok_1 for order 5",
         "managers"),
        ("the finance department must approve it, then charge $50 to card tok_1 for order 5",
         "finance"),
        ("get approval from the ops group, then ship order 5 to 1 Main St, Springfield", "ops"),
        ("charge $50 to card tok_1 for order 5 once the sales group approves", "sales"),
    ],
)
def test_a_group_named_as_a_group_approves(demo, prompt, group):
    """ "ask the managers group to approve": the step went to a group called "groups"."""
    flow = plan(prompt, demo)

    approval = next(n for n in flow.nodes if isinstance(n, ApprovalNode))
    assert approval.assignees.groups == [group]
    assert approval.assignees.users == []
    assert "group" not in (approval.instructions or "")
