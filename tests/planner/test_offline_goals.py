"""A request that names only a well-known goal ("Process order") plans the steps it takes,
when the catalogue has a tool for each; anything else is planned as written."""

from __future__ import annotations

from flows.core.ir import BranchNode, ToolNode
from flows.core.planner.goals import written_out_goal
from tests.planner.offline_plans import plan, refusal


def test_process_order_is_validated_checked_charged_and_shipped(demo):
    flow = plan("Process order", demo)

    tools = [n.tool for n in flow.nodes if isinstance(n, ToolNode)]
    assert tools == ["validate_order", "check_inventory", "process_payment", "create_shipment"]
    conditions = [n.condition for n in flow.nodes if isinstance(n, BranchNode)]
    assert conditions == ["validate_order.valid", "check_inventory.in_stock"]


def test_a_step_said_with_the_goal_that_no_tool_does_is_refused_by_name(demo):
    error = refusal("Process customer order with fraud detection", demo)

    assert error.step == "run fraud detection on it"


def test_a_request_that_says_more_than_the_goal_is_left_as_it_is(demo):
    specs = demo.specs()
    said = "Process the order and email me the total"
    assert written_out_goal(said, specs) == said
    assert written_out_goal("Please fulfil the incoming orders.", specs).startswith(
        "Validate the order."
    )
    # without a tool for every step, the goal is planned as written
    without_shipping = [s for s in specs if s.id != "create_shipment"]
    assert written_out_goal("Process order", without_shipping) == "Process order"


def test_a_complaint_is_classified_and_ticketed(demo):
    flow = plan("Handle a customer complaint", demo)

    ticket = next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "create_ticket")
    assert ticket.inputs["category"] == "classify_ticket.category"
    assert ticket.inputs["priority"] == "classify_ticket.priority"


def test_a_new_user_is_welcomed_when_their_email_is_valid(demo):
    flow = plan("Onboard a new user", demo)

    branch = next(n for n in flow.nodes if isinstance(n, BranchNode))
    assert branch.condition == "validate_email.valid"
    assert branch.then == ["send_welcome_email"]
