"""The offline planner on requests probed by hand in the thirteenth session: a condition
said inside another before any step ("if it's valid, if the total is over 100, get
approval, then charge it"), a person named for one step only, a street address with
commas inside a "before ..." lead, and "tell me" after a check that reports a verdict."""

from __future__ import annotations

import pytest

from flows.core.ir import ApprovalNode, BranchNode, ToolNode
from tests.planner.offline_plans import plan


def tool_node(flow, tool):
    return next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == tool)


def tools_of(flow):
    return [n.tool for n in flow.nodes if isinstance(n, ToolNode)]


# -- a condition inside another --------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Validate order 5; if it's valid, if the total is over 100, get approval, then charge it",
        "Validate order 5. If it's valid, if the total is over 100, ask a manager to approve, "
        "then charge it",
    ],
)
def test_a_condition_said_inside_another_keeps_both(demo, prompt):
    flow = plan(prompt, demo)

    [approval] = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert "validate_order.valid" in approval.when
    assert "validate_order.subtotal > 100" in approval.when
    # the charge of an invalid order never happens: it is in the valid case only
    [gate] = [
        n
        for n in flow.nodes
        if isinstance(n, BranchNode) and n.condition == "validate_order.valid"
    ]
    assert "process_payment" in gate.then


def test_two_conditions_of_two_steps_stay_apart(demo):
    flow = plan(
        "Validate order 5. If it's valid, charge it. If the payment fails, email me at "
        "me@x.com",
        demo,
    )

    branches = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert len(branches) == 2
    assert all(" and " not in n.condition and "&&" not in n.condition for n in branches)


# -- a person named for one step -------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Look up user 7. If they exist send them a welcome email, otherwise send Sam a "
        "welcome email at sam@x.com",
        "Look up user 7. If they're found, welcome them; if not, send Sam a welcome email at "
        "sam@x.com",
        "Look up user 7 and send them a welcome email. Also send Sam a welcome email at "
        "sam@x.com",
    ],
)
def test_a_name_said_with_another_steps_address_is_that_steps_own(demo, prompt):
    flow = plan(prompt, demo)

    first, second = [
        n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "send_welcome_email"
    ]
    assert first.inputs["email"] == "lookup_user.user.email"
    assert first.inputs["name"] == "lookup_user.user.name"
    assert (second.inputs["email"], second.inputs["name"]) == ('"sam@x.com"', '"Sam"')


def test_the_one_address_of_the_request_still_names_its_owner(demo):
    flow = plan("Validate dev@startup.io; if it's valid, welcome Dev", demo)

    assert tool_node(flow, "send_welcome_email").inputs["name"] == '"Dev"'


# -- a street address inside a lead ----------------------------------------------------------


def test_an_approval_before_shipping_to_an_address_with_commas(demo):
    flow = plan("Before shipping order 7710 to 9 Oak Lane, Austin, TX 78701, get approval", demo)

    [approval] = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    shipment = tool_node(flow, "create_shipment")
    assert shipment.inputs["address"] == '"9 Oak Lane, Austin, TX 78701"'
    assert shipment.inputs["order_id"] == '"7710"'
    assert approval.id in shipment.after


def test_a_check_before_shipping_to_an_address_with_commas(demo):
    flow = plan(
        "Before shipping order 7710 to 9 Oak Lane, Austin, TX 78701, make sure it's in stock",
        demo,
    )

    assert tools_of(flow) == ["check_inventory", "create_shipment"]
    assert tool_node(flow, "create_shipment").inputs["address"] == (
        '"9 Oak Lane, Austin, TX 78701"'
    )


# -- "tell me" after a verdict ---------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "check if order 55 is in stock and tell me at me@x.com",
        "check if order 55 is in stock and let me know at me@x.com",
    ],
)
def test_tell_me_after_a_check_says_its_verdict(demo, prompt):
    flow = plan(prompt, demo)

    email = tool_node(flow, "send_email")
    assert email.inputs["to"] == '"me@x.com"'
    assert "check_inventory.in_stock" in email.inputs["body"]
    assert not email.inputs["body"].startswith("input.")


def test_tell_me_after_a_validation_says_whether_it_is_valid(demo):
    flow = plan("Validate the email bob@x.com and tell me at me@x.com", demo)

    body = tool_node(flow, "send_email").inputs["body"]
    assert body.startswith('"Valid: %s')
    assert "validate_email.valid" in body
