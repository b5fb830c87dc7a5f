"""Rules the twenty-first blind round asked for (`requests_round22.json`,
`registered_round22_*.json`), and weaknesses the rounds before left open: each test states
a request the planner got wrong before its rule (in other words than the round's), and what
it plans now."""

from __future__ import annotations

from flows.core.ir import ApprovalNode, BranchNode, MapNode, ToolNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import demo_catalog_with, eval_catalog, steps

VENUE = "registered_round21_venue.json"


def _tools(flow) -> list[str]:
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)]


def test_a_count_no_step_tells_is_refused_saying_what_the_lookup_returns():
    # "look up user 5 and if they have fewer than 3 orders, ...": the orders were compared
    # as the run's `amount`
    error = refusal(
        "find user u_77 and if they have more than 10 orders, send them the welcome email",
        demo_catalog_with([]),
    )
    assert error.details["reason"] == "count_untold"
    assert "lookup_user does not say how many orders" in error.message
    assert "signup_date" in error.message


def test_an_approval_of_the_step_said_next_leaves_that_step_to_its_clause():
    # "If it's valid, ask ops to approve shipping, then ship it": the shipment was planned
    # for the approval's words, and "ship it" refused as an empty condition
    flow = plan(
        "Validate order Q-9. If it is valid, have finance approve shipping and then create "
        "the shipment",
        demo_catalog_with([]),
    )
    assert _tools(flow) == ["validate_order", "create_shipment"]
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "validate_order.valid"
    assert branch.then == ["create_shipment"]
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.when == "validate_order.valid"


def test_a_message_asking_whether_it_was_approved_tells_the_decision_either_way():
    # "... then email ann whether it was approved": sent only when approved, its body asked
    # of the run
    flow = plan(
        "Validate order Q-3 and ask a manager to approve it, then email bo@shop.io whether "
        "it was approved or not",
        demo_catalog_with([]),
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.on_reject == "continue"
    email = steps(flow)["send_email"]
    assert email["body"].startswith(f"{approval.id}.approved ? ")
    assert "was not approved" in email["body"]
    assert "body" not in flow.input_schema.get("properties", {})


def test_one_item_picked_from_several_checked_is_refused_saying_why():
    # "check VEN-1, VEN-2 and VEN-3 and hold the first one that's free": refused as a
    # check that would put a hold on something
    error = refusal(
        "look at VEN-5 and VEN-6 for 2027-05-01 and hold whichever is available, 3 hours "
        "for a@b.co",
        eval_catalog(VENUE),
    )
    assert error.details["reason"] == "first_of_a_list"
