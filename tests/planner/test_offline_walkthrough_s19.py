"""The offline planner on requests planned wrong when the product was walked through as a
new user would (plan over the API, then run): each test states the request in other
words than the walkthrough's, what went wrong before its rule, and what it plans now."""

from __future__ import annotations

import asyncio
import json

import pytest

from flows.core.engine import Engine
from flows.core.events import NullSink
from flows.core.ir import ApprovalNode, BranchNode, MapNode, ToolNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import demo_catalog_with, steps


def _node(flow, node_id):
    return next(node for node in flow.nodes if node.id == node_id)


def _runs_when(flow, node_id) -> str:
    """The condition under which the branch right before `node_id` takes it."""
    node = _node(flow, node_id)
    gate = next(_node(flow, b) for b in node.after if isinstance(_node(flow, b), BranchNode))
    if node_id in gate.then:
        return gate.condition
    assert node_id in gate.else_
    return f"!{gate.condition}" if not gate.condition.startswith("!") else gate.condition[1:]


def test_a_check_then_a_step_then_what_to_do_when_the_check_fails_gates_the_step():
    # "check their email is valid and send them a welcome email; if it's not valid open a
    # ticket": the welcome email went out to invalid addresses too
    for request in (
        "Verify the address is valid and send the welcome email; if it's not valid file a "
        "ticket for support",
        "Verify the address is valid and send the welcome email; if it isn't valid, file a "
        "ticket for support",
    ):
        flow = plan(request, demo_catalog_with([]))
        assert _runs_when(flow, "send_welcome_email") == "validate_email.valid"
        assert _runs_when(flow, "create_ticket") == "!validate_email.valid"
    # (said in one sentence, the two are the arms of one branch)
    first = plan(
        "Verify the address is valid and send the welcome email; if it's not valid file a "
        "ticket for support",
        demo_catalog_with([]),
    )
    branches = [node for node in first.nodes if isinstance(node, BranchNode)]
    assert len(branches) == 1


def test_the_failing_case_said_with_an_opposite_word_gates_the_step_before_it():
    # "... and send a welcome email. If the email is invalid, open a ticket": the same
    flow = plan(
        "Check that the email is valid and send the welcome email. If the email is invalid, "
        "email support@acme.io",
        demo_catalog_with([]),
    )
    assert _runs_when(flow, "send_welcome_email") == "validate_email.valid"
    assert _runs_when(flow, "send_email") == "!validate_email.valid"


def test_a_step_the_check_does_not_answer_stays_unconditional():
    # a later condition on something else is no answer to the check
    flow = plan(
        "Validate the email and send the welcome email; if the sentiment of the text is "
        "negative, open a ticket",
        demo_catalog_with([]),
    )
    welcome = _node(flow, "send_welcome_email")
    assert not any(isinstance(_node(flow, before), BranchNode) for before in welcome.after)


def test_only_to_the_valid_ones_in_a_loop_keeps_the_loop_items_so_judged():
    # "for every address in a list, validate it, and send the welcome email only to the
    # valid ones": a validate_order step was invented, and one welcome went to input.email
    flow = plan(
        "Check every email address in the list and send the welcome email only to the valid "
        "ones",
        demo_catalog_with([]),
    )
    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode | MapNode)] == [
        "validate_email",
        "send_welcome_email",
    ]
    welcome = _node(flow, "send_welcome_email")
    assert isinstance(welcome, MapNode)
    assert welcome.items == "validate_email.filter(r, r.valid)"
    assert welcome.inputs["email"] == "item.email"


def test_a_subject_said_after_its_word_is_taken_whole():
    # "... with subject Daily digest": the subject was "Daily"
    flow = plan(
        "Summarize the text and email the summary to ops@acme.io with subject Nightly "
        "report card",
        demo_catalog_with([]),
    )
    assert steps(flow)["send_email"]["subject"] == json.dumps("Nightly report card")
    flow = plan(
        "Email the text to ops@acme.io with subject line: weekly numbers", demo_catalog_with([])
    )
    assert steps(flow)["send_email"]["subject"] == json.dumps("weekly numbers")


def test_a_subject_from_the_request_is_still_asked_of_the_run():
    flow = plan(
        "Email ops@acme.io the text with the subject from the request", demo_catalog_with([])
    )
    assert steps(flow)["send_email"]["subject"] == "input.subject"


def test_saying_a_value_of_theirs_sends_the_value():
    # "send them an email saying their plan name": the body was the words "Your plan name"
    flow = plan(
        "Find the user and send them a message by email saying what plan they are on",
        demo_catalog_with([]),
    )
    assert steps(flow)["send_email"]["body"] == "lookup_user.user.plan"


def test_saying_a_sentence_about_them_still_says_it():
    flow = plan("Find the user and email them saying their invoice was paid", demo_catalog_with([]))
    assert steps(flow)["send_email"]["body"] == json.dumps("Your invoice was paid")


def _approval_then_charge(flow, over: float) -> None:
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.when == f"input.amount > {over}"
    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == ["process_payment"]


def test_what_the_items_no_approval_holds_up_get_is_the_step_that_follows_anyway():
    # "every order over $1000 needs sign-off from finance before we charge the card;
    # smaller ones are charged straight away": refused, "smaller" read as a step
    _approval_then_charge(
        plan(
            "Payments above $2,500 need sign-off from the finance group before we charge "
            "them; the rest go straight through",
            demo_catalog_with([]),
        ),
        2500.0,
    )
    _approval_then_charge(
        plan(
            "Charge the order, but anything more than 800 needs approval from finance first; "
            "cheaper ones are charged automatically",
            demo_catalog_with([]),
        ),
        800.0,
    )


def test_the_items_no_approval_holds_up_going_to_a_step_of_their_own_are_not_dropped():
    error = refusal(
        "Orders over $1000 need finance approval; smaller ones are shipped right away",
        demo_catalog_with([]),
    )
    assert "smaller ones are shipped" in str(error)


def test_an_amount_with_cents_after_a_word_for_whom_is_the_amount():
    # "charge the customer 49.99 EUR for order ORD-77" charged 99: "customer 49.99" was
    # read as a customer's number, and the amount looked for again inside it
    flow = plan("Bill the customer 15.75 GBP for order ORD-5", demo_catalog_with([]))
    inputs = steps(flow)["process_payment"]
    assert inputs["amount"] == "15.75"
    assert inputs["currency"] == json.dumps("GBP")


def test_a_summary_sent_right_after_a_loop_lists_the_loop_results():
    # "get the sentiment of each review in a list and email me a summary": a summarizer
    # read a text the run was asked for, not the sentiments
    flow = plan(
        "Check the sentiment of every comment in the list, then send a brief summary to "
        "cx@acme.io",
        demo_catalog_with([]),
    )
    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode | MapNode)] == [
        "analyze_sentiment",
        "send_email",
    ]
    body = steps(flow)["send_email"]["body"]
    assert body.startswith("analyze_sentiment.map(r, ")
    assert "r.sentiment" in body
    assert "text" not in (flow.input_schema.get("properties") or {})


def _order(flow) -> list[str]:
    """The tools in the order the flow's edges run them (a chain here)."""
    tools = {n.id: n for n in flow.nodes if isinstance(n, ToolNode)}
    reads = {
        node_id: {other for other in tools if other != node_id and other in str(node.inputs)}
        | set(node.after)
        for node_id, node in tools.items()
    }
    return sorted(tools, key=lambda node_id: len(reads[node_id]))


def test_a_step_said_first_after_a_comma_goes_first():
    # "ship the order, validate it first" validated after shipping
    flow = plan("Create the shipment for the order, but validate it first", demo_catalog_with([]))
    assert _order(flow) == ["validate_order", "create_shipment"]
    assert steps(flow)["create_shipment"]["order_id"] == "validate_order.order_id"


def test_a_step_said_first_with_why_goes_first():
    # "...; categorize it first so the ticket gets the right category": after the ticket
    flow = plan(
        "Open a ticket from the complaint text; classify it first so that the ticket has the "
        "right priority",
        demo_catalog_with([]),
    )
    assert _order(flow) == ["classify_ticket", "create_ticket"]
    assert steps(flow)["create_ticket"]["priority"] == "classify_ticket.priority"


def test_which_are_said_without_a_noun_lists_them_in_one_message():
    # "validate these emails: ... and tell me which are invalid": one email per address
    flow = plan(
        "Check these addresses: ann@x.io, bo@y.io and tell ops@acme.io which were invalid",
        demo_catalog_with([]),
    )
    send = _node(flow, "send_email")
    assert isinstance(send, ToolNode)
    kept = "validate_email.filter(r, !r.valid)"
    # (when none is invalid, the message says so: an empty body could not be sent)
    assert send.inputs["body"].removeprefix(f"size({kept}) > 0 ? ").startswith(kept)


def test_an_approval_someone_needs_to_give_said_first_is_a_step():
    # "A manager needs to approve any discount above 20 percent; then email the customer":
    # "a manager needs ..." was read as background, and the approval left out
    flow = plan(
        "A supervisor needs to sign off on any refund above 300; then email the customer",
        demo_catalog_with([]),
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.when == "input.amount > 300.0"


@pytest.mark.django_db
def test_a_value_the_approver_enters_is_told_when_no_approval_was_needed(demo):
    # "... and the approver should enter the final discount; then email the customer the
    # final discount": the email read the approval's data, so runs that needed no approval
    # (the approval skipped) skipped the email too
    flow = plan(
        "A manager has to approve any discount over 15 percent and enter the final discount; "
        "then email the customer the final discount",
        demo,
    )
    send = _node(flow, "send_email")
    assert send.trigger == "any"
    given = {"discount": 5, "customer_email": "kim@example.com", "subject": "Discount"}
    result = asyncio.run(Engine(demo).run(flow, given, run_id="r1", sink=NullSink()))
    assert result.status == "completed", result.error
    assert result.checkpoint.nodes["send_email"].inputs["body"] == "Final discount: 5"
    held = asyncio.run(
        Engine(demo).run(flow, {**given, "discount": 40}, run_id="r2", sink=NullSink())
    )
    assert held.status == "suspended"


def test_a_step_done_one_way_in_each_case_is_one_arm_each():
    # "reply to the reviewer thanking them if it's positive and apologizing if it's
    # negative": one email on "positive && negative", so never sent
    flow = plan(
        "Get the sentiment of the comment, then write to the customer thanking them if it's "
        "positive and apologizing if it's negative",
        demo_catalog_with([]),
    )
    sends = [n.id for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "send_email"]
    assert len(sends) == 2
    conditions = sorted(_runs_when(flow, node_id) for node_id in sends)
    assert conditions == [
        'analyze_sentiment.sentiment == "negative"',
        'analyze_sentiment.sentiment == "positive"',
    ]
    thanks = next(i for i in sends if "positive" in _runs_when(flow, i))
    assert "thank-you" in _node(flow, thanks).title


@pytest.mark.django_db
def test_each_item_is_made_with_its_own_text_beside_its_result(demo):
    # "for each ticket text in the list, classify it and create a ticket with the
    # category": every ticket got one body asked of the run
    flow = plan(
        "For every message in the list, classify it, then open a ticket with its category",
        demo,
    )
    tickets = _node(flow, "create_ticket")
    assert isinstance(tickets, MapNode)
    assert tickets.items == _node(flow, "classify_ticket").items
    assert tickets.inputs["body"] == "item"
    assert tickets.inputs["category"] == "classify_ticket[index].category"
    given = {"messages": ["I was charged twice", "The app crashes at login"], "subject": "Help"}
    result = asyncio.run(Engine(demo).run(flow, given, run_id="r1", sink=NullSink()))
    assert result.status == "completed", result.error
    made = result.checkpoint.nodes["create_ticket"].output
    assert [ticket["category"] for ticket in made] == ["billing", "technical"]
