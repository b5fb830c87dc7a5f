"""Routes said as "route billing to …, technical to … and everything else to …", a message
sent to a #channel no tool posts to, a colleague who leads a team (not the flow's subject),
and titles that name what the flow works on."""

from __future__ import annotations

from flows.core.ir import ApprovalNode, BranchNode, ToolNode
from flows.core.planner.naming import flow_title
from tests.planner.offline_plans import plan, refusal


def emails(flow):
    return [n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "send_email"]


def test_route_kinds_without_their_noun_and_the_rest(demo):
    flow = plan(
        "Classify the incoming ticket; route billing to billing@co.com, technical to "
        "tech@co.com and everything else to help@co.com",
        demo,
    )

    assert sorted(e.inputs["to"] for e in emails(flow)) == [
        '"billing@co.com"',
        '"help@co.com"',
        '"tech@co.com"',
    ]
    conditions = [n.condition for n in flow.nodes if isinstance(n, BranchNode)]
    assert 'classify_ticket.category == "billing"' in conditions
    assert 'classify_ticket.category == "technical"' in conditions


def test_route_it_to_one_address_is_no_kind(demo):
    flow = plan("Classify the ticket and route it to help@co.com", demo)

    assert [e.inputs["to"] for e in emails(flow)] == ['"help@co.com"']
    assert not [n for n in flow.nodes if isinstance(n, BranchNode)]


def test_sending_to_a_channel_no_tool_posts_to_is_refused_in_a_branch(demo):
    error = refusal(
        "Classify the ticket. If it's technical, send it to #eng. Otherwise create a ticket.",
        demo,
    )

    assert error.step == "send it to #eng"
    assert "#eng" in error.message


def test_the_support_lead_is_no_subject_for_them_in_the_other_case(demo):
    flow = plan(
        "When a customer writes in, figure out if they're angry. If they are, open a high "
        "priority ticket and let the support lead know by email at lead@acme.io. Otherwise "
        "just send them a thank-you note.",
        demo,
    )

    assert sorted(e.inputs["to"] for e in emails(flow)) == [
        '"lead@acme.io"',
        "input.customer_email",
    ]


def test_a_title_names_a_check_and_the_thing_not_how_it_is():
    assert flow_title(["make sure it's valid", "charge the card"]) == "Check and charge card"
    assert flow_title(["Open a high priority ticket"]) == "Open priority ticket"
    assert flow_title(["check they're angry", "open a ticket", "email the lead", "send it"]) == (
        "Check, open, email and send ticket"
    )


def test_what_a_team_will_do_with_a_ticket_is_no_step(demo):
    flow = plan(
        "Validate the email; if it's bad, stop. Otherwise send the welcome email and open a "
        "ticket for the onboarding team to call them.",
        demo,
    )

    tools = sorted(n.tool for n in flow.nodes if isinstance(n, ToolNode))
    assert tools == ["create_ticket", "send_welcome_email", "validate_email"]


def test_a_title_leaves_out_what_starts_the_run():
    assert flow_title(["New signup comes in with name and email", "send the welcome email"]) == (
        "Send welcome email"
    )


def test_my_approval_names_no_group(demo):
    flow = plan("Get the user, then wait for my approval, then send them the welcome email", demo)

    approval = next(n for n in flow.nodes if isinstance(n, ApprovalNode))
    assert approval.assignees.groups == []


def test_a_numbered_list_after_its_heading_on_one_line(demo):
    flow = plan(
        "Steps: 1) look up the user by email 2) if not found, send them a welcome email "
        "3) otherwise create a ticket saying they already have an account",
        demo,
    )

    tools = sorted(n.tool for n in flow.nodes if isinstance(n, ToolNode))
    assert tools == ["create_ticket", "lookup_user", "send_welcome_email"]
    lookup = next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "lookup_user")
    assert lookup.inputs == {"email": "input.email"}


def test_a_title_reads_a_verb_split_by_its_object():
    assert flow_title(["look them up in HubSpot", "create the contact"]) == (
        "Look up and create contact"
    )


def test_it_says_there_is_a_word_reads_the_text_before(demo):
    flow = plan(
        "Please fetch https://status.example.com, summarise it, and if it says there's an "
        "outage, create an urgent ticket",
        demo,
    )

    branch = next(n for n in flow.nodes if isinstance(n, BranchNode))
    assert branch.condition == 'summarize_text.summary.lowerAscii().contains("outage")'


def test_asking_them_for_something_by_email_is_an_email(demo):
    flow = plan(
        "Detect the sentiment of the feedback, and if it's positive ask them for a review by email",
        demo,
    )

    assert [e.inputs["to"] for e in emails(flow)] == ["input.customer_email"]
    assert not [n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "validate_email"]


def test_a_step_no_tool_does_mapped_to_the_same_read_again_is_refused(demo):
    error = refusal(
        "When a new ticket arrives, classify it and if it's about billing, assign it to the "
        "billing team",
        demo,
    )

    assert error.step == "assign it to the billing team"
    assert error.details["reason"] == "same_read_again"


def test_the_same_check_again_after_an_approval_is_planned(demo):
    flow = plan(
        "Check the stock for the items, get a manager's approval, then check the stock again "
        "and charge the card if it's still in stock",
        demo,
    )

    checks = [n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "check_inventory"]
    assert len(checks) == 2
