"""The offline planner on routing said of the thing a run is about: who it goes to,
which ones, the other case after several, and a routing whose cases are not said."""

from __future__ import annotations

from flows.core.ir import BranchNode, ToolNode
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.routing import qualified_route, routed_action, unstated_cases
from flows.core.planner.session import plan_flow
from tests.planner.offline_plans import plan


def test_going_to_a_person_is_a_message_and_getting_a_thing_makes_it():
    assert routed_action("go to", "the on-call engineer") == ("email", "the on-call engineer")
    assert routed_action("gets", "a ticket") == ("create", "a ticket")
    assert routed_action("gets", "a welcome email") == ("send", "a welcome email")


def test_a_quality_said_of_what_is_sent_is_the_condition():
    routed = qualified_route(
        "Send urgent tickets to the on-call engineer and everything else to the queue",
        frozenset({"urgent"}),
    )

    assert routed == (
        "if the ticket is urgent, send it to the on-call engineer; otherwise send it to the queue"
    )
    assert qualified_route("Send welcome emails to new users", frozenset({"urgent"})) is None


def test_a_routing_with_choices_and_no_cases_says_what_it_depends_on():
    assert unstated_cases("either page the on-call or email the team depending on the priority")
    assert unstated_cases("look up the user by email or id") is None


def test_otherwise_after_two_cases_of_one_field_is_for_neither(demo):
    flow = plan(
        "If the category is billing, email finance; if it's technical, create a ticket; "
        "otherwise reply to the customer",
        demo,
    )

    last = [node for node in flow.nodes if isinstance(node, BranchNode)][-1]
    assert last.condition == (
        '!(classify_ticket.category == "billing") && !(classify_ticket.category == "technical")'
    )
    reply = [n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "send_email"][-1]
    assert last.then == [reply.id]


def test_a_routing_whose_cases_are_not_said_is_refused_with_an_example(demo):
    result = plan_flow(
        "Depending on the priority, either page the on-call or email the team",
        planner=OfflinePlanner(),
        catalog=demo,
    )

    assert not result.ok
    assert result.error.details["reason"] == "routing_cases_unstated"
    assert "if the priority is" in result.error.message


def test_routes_to_bare_addresses_email_them_and_the_lead_in_is_no_step(demo):
    flow = plan(
        "Classify the incoming email and route it: billing questions go to "
        "billing@example.com, technical issues become a ticket, everything else gets a "
        "summary sent to triage@example.com.",
        demo,
    )

    calls = {node.id: node for node in flow.nodes if isinstance(node, ToolNode)}
    assert sorted(node.tool for node in calls.values()) == [
        "classify_ticket",
        "create_ticket",
        "send_email",
        "send_email",
        "summarize_text",
    ]
    addressed = sorted(node.inputs["to"] for node in calls.values() if node.tool == "send_email")
    assert addressed == ['"billing@example.com"', '"triage@example.com"']
    assert routed_action("be escalated to", "oncall@example.com") == (
        "email",
        "oncall@example.com",
    )
    assert routed_action("gets", "a summary sent to the team") == ("email", "a summary to the team")
