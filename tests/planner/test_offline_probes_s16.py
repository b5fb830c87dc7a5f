"""The offline planner on requests probed by hand in the sixteenth session: a condition
that says a state with the step's verb in the third person right after it ("if it's
approved ships the order"), a condition no step follows, and people listed by their
sign-in names ("send a welcome email to users jdoe, mlee and tcho")."""

from __future__ import annotations

import asyncio

import pytest

from flows.core.engine import Engine
from flows.core.events import NullSink
from flows.core.ir import ApprovalNode, BranchNode, MapNode, ToolNode
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


@pytest.mark.parametrize(
    "prompt",
    [
        "Look up users jdoe, mlee and tcho and send each a welcome email",
        "Send a welcome email to users jdoe, mlee and tcho",
        "Send a welcome email to each of these users: jdoe, mlee, tcho",
        "look up the users jdoe, mlee and tcho, then send each of them a welcome email",
    ],
)
def test_people_listed_by_sign_in_name_are_looked_up_and_welcomed_each(demo, prompt):
    """One lookup of a name asked of the run was planned (the names dropped), the names were
    sent to as addresses, or "each a" was read as a loop over "a" and refused."""
    flow = plan(prompt, demo)

    loops = {node.tool: node for node in flow.nodes if isinstance(node, MapNode)}
    assert loops["lookup_user"].items == '["jdoe", "mlee", "tcho"]'
    assert loops["lookup_user"].inputs["user_id"] == "item"
    welcome = loops["send_welcome_email"]
    assert welcome.items == "lookup_user.filter(r, r.found)"
    assert welcome.inputs["email"] == "item.user.email"


@pytest.mark.django_db
def test_only_the_people_a_lookup_found_are_welcomed(demo):
    """The map went over every lookup: the run failed at the first name nobody has."""
    flow = plan("Send a welcome email to users u_1001, nobody9 and u_1002", demo)

    result = asyncio.run(Engine(demo).run(flow, {}, run_id="r1", sink=NullSink()))

    assert result.status == "completed", result.error
    assert result.checkpoint is not None
    sent = result.checkpoint.nodes["send_welcome_email"].output
    assert [message["to"] for message in sent] == ["ada@example.com", "grace@example.com"]


def test_each_before_an_article_is_each_of_them(demo):
    flow = plan(
        "Validate the emails a@x.com, b@x.com and c@x.com and send each a welcome email", demo
    )

    welcome = next(
        n for n in flow.nodes if isinstance(n, MapNode) and n.tool == "send_welcome_email"
    )
    assert welcome.inputs["email"] == "item.email"
    assert "each a" not in welcome.title


@pytest.mark.parametrize(
    "prompt",
    [
        "Classify the customer complaint and escalate if needed",
        "Classify the message and open a ticket if necessary",
        "Validate the email and send the welcome email if required",
    ],
)
def test_a_condition_that_does_not_say_when_is_refused_as_such(demo, prompt):
    """It was refused as a value no step before it tells, which sends the user looking for a
    step ("needed" is no value)."""
    error = refusal(prompt, demo)

    assert error.details["reason"] == "condition_says_not_when"
    assert "does not say when" in error.message


def _tools(flow):
    return [n.tool for n in flow.nodes if isinstance(n, ToolNode)]


@pytest.mark.parametrize(
    "prompt",
    [
        "Validate jane@acme.io; if it's disposable, don't send anything, otherwise send her a "
        "welcome email",
        "Validate jane@acme.io; if it's disposable, don't email her, otherwise send her a "
        "welcome email",
    ],
)
def test_nothing_on_one_side_and_the_otherwise_on_the_other(demo, prompt):
    """ "don't send anything, otherwise ...": "send anything" was a step, sent when the address
    was fine, and the welcome email went to the disposable one."""
    flow = plan(prompt, demo)

    assert _tools(flow) == ["validate_email", "send_welcome_email"]
    assert branch_of(flow, "send_welcome_email").condition == "!validate_email.disposable"


def test_a_step_not_done_said_again_otherwise_is_done_once(demo):
    """ "don't charge it, otherwise charge $5": charged twice (the step, and the one said)."""
    flow = plan(
        "Validate the order. If it's invalid, don't charge it, otherwise charge $5 and ship it "
        "to 5 Elm St, Springfield",
        demo,
    )

    assert _tools(flow) == ["validate_order", "process_payment", "create_shipment"]
    assert tool_node(flow, "process_payment").inputs["amount"] == "5.0"
    assert branch_of(flow, "process_payment").condition == "validate_order.valid"


def _maps(flow):
    return {n.tool: n for n in flow.nodes if isinstance(n, MapNode)}


def test_every_judged_one_after_a_loop_is_the_ones_judged_so(demo):
    """ "open a ticket for every negative one" after "check the sentiment of each review in
    the list" was refused (the planner cannot pick some of them)."""
    flow = plan(
        "Check the sentiment of each review in the list and open a ticket for every negative one",
        demo,
    )

    loops = _maps(flow)
    assert loops["analyze_sentiment"].inputs["text"] == "item"
    assert loops["create_ticket"].items == 'analyze_sentiment.filter(r, r.sentiment == "negative")'


@pytest.mark.parametrize(
    "prompt",
    [
        "Summarize each page in the list and email them to me@x.com",
        "For each URL in the list, fetch the page, summarize it and email the summary to me@x.com",
    ],
)
def test_a_message_after_steps_on_each_page_sends_what_they_made(demo, prompt):
    """The loop went on over the pages fetched: "email them" ran over the pages again, with
    its text asked of the run, and never sent a summary."""
    flow = plan(prompt, demo)

    email = _maps(flow)["send_email"]
    assert email.items == "summarize_text"
    assert "item" in email.inputs["body"]
    assert not email.inputs["body"].startswith("input.")


def test_a_step_gated_by_but_only_after_an_approval_is_titled_without_it(demo):
    flow = plan("Charge $2,400 for order 77 but only after Maria approves it", demo)

    assert tool_node(flow, "process_payment").title == "Charge $2400 for order 77"


@pytest.mark.parametrize("prompt", ["charge the card 49.99 EUR for order 7", "charge card 12.50"])
def test_an_amount_after_the_card_is_no_card_token(demo, prompt):
    """ "the card 49.99": the amount was also the card's token."""
    flow = plan(prompt, demo)

    assert "card_token" not in tool_node(flow, "process_payment").inputs


def test_a_token_after_the_card_is_still_its_token(demo):
    flow = plan("charge card tok_visa 49.99 EUR for order 7", demo)

    assert tool_node(flow, "process_payment").inputs["card_token"] == '"tok_visa"'


def _approval(flow):
    return next(n for n in flow.nodes if isinstance(n, ApprovalNode))


@pytest.mark.parametrize(
    ("prompt", "when"),
    [
        (
            "For orders over $1000, require finance approval before payment. Then ship via "
            "FedEx express.",
            "input.amount > 1000.0",
        ),
        (
            "For payments over $1000, require finance approval first, then charge the card",
            "input.amount > 1000.0",
        ),
        (
            "Validate the order. For orders above 500 EUR, a manager approves before we charge it.",
            "validate_order.subtotal > 500.0",
        ),
    ],
)
def test_a_rule_for_those_over_an_amount_is_its_condition(demo, prompt, when):
    """ "For orders over $1000, ..." was a step of its own (validating "orders over $1000", or
    charging before the approval), and the approval was asked of every order."""
    flow = plan(prompt, demo)

    assert _approval(flow).when == when
    charge = tool_node(flow, "process_payment")
    assert charge.title != "For payments over $1000"
    assert any("approval" in dep for dep in charge.after)


def test_a_purpose_said_again_by_the_condition_after_it_is_the_condition(demo):
    """ "look them up to make sure they don't already exist, and if they're new ...": refused
    (no tool works on "don")."""
    flow = plan(
        "Validate their email, look them up to make sure they don't already exist, and if "
        "they're new send the welcome email",
        demo,
    )

    assert tool_node(flow, "lookup_user").title == "Look them up"
    assert branch_of(flow, "send_welcome_email").condition == "!lookup_user.found"


@pytest.mark.parametrize(
    "prompt",
    [
        "Check the sentiment of the feedback and if it's negative escalate it to a high "
        "priority ticket",
        "Check the sentiment of the feedback and if it's negative escalate to a ticket with "
        "high priority",
    ],
)
def test_escalated_to_a_ticket_is_a_ticket_opened(demo, prompt):
    """The message was classified instead ("a high priority ticket" read as the classifier's
    priority), or refused."""
    flow = plan(prompt, demo)

    ticket = tool_node(flow, "create_ticket")
    assert ticket.inputs["priority"] == '"high"'
    assert branch_of(flow, ticket.id).condition == 'analyze_sentiment.sentiment == "negative"'
    assert not any(isinstance(n, ToolNode) and n.tool == "classify_ticket" for n in flow.nodes)


def test_approval_from_an_address_said_first_keeps_the_address(demo):
    """ "approval from jane@acme.com": the assignee was "jane", a username nobody may have;
    the address finds her account by its email when the step opens."""
    flow = plan(
        "Get approval from jane@acme.com for the $300 purchase, then charge $300 for order 12",
        demo,
    )

    approval = _approval(flow)
    assert approval.assignees.users == ["jane@acme.com"]
    assert approval.instructions == "Approve the purchase."


@pytest.mark.parametrize(
    ("prompt", "category"),
    [
        ("Make a ticket for billing saying 'card declined twice' with high priority", '"billing"'),
        ("make a support ticket about the login bug with urgent priority", None),
    ],
)
def test_a_ticket_made_is_a_ticket_created(demo, prompt, category):
    """ "make a ticket ... with high priority" picked the classifier ("ticket" and "priority"
    are its words too) and was refused: it has no priority to set."""
    flow = plan(prompt, demo)

    ticket = tool_node(flow, "create_ticket")
    assert ticket.inputs["priority"] in ('"high"', '"urgent"')
    assert ticket.inputs.get("category") == category


def test_make_stays_make_for_what_no_tool_creates(demo):
    flow = plan("make a payment of $5 for order 3", demo)

    assert tool_node(flow, "process_payment").inputs["amount"] == "5.0"


@pytest.mark.parametrize(
    "prompt",
    [
        "get the page at https://example.com/pricing, pull out the key points and post them to "
        "ops@example.com",
        "extract the key points of https://example.com/pricing",
    ],
)
def test_the_key_points_are_a_summary(demo, prompt):
    """The first was refused (no tool works on "key"); the second fetched the page alone."""
    flow = plan(prompt, demo)

    assert tool_node(flow, "summarize_text").inputs["text"] == "fetch_url.text"


@pytest.mark.parametrize(
    ("prompt", "tool", "condition"),
    [
        (
            "Is kim@example.com a real address? If so, welcome her.",
            "send_welcome_email",
            "validate_email.valid",
        ),
        ("Is the order valid? If not, email ops@x.com", "send_email", "!validate_order.valid"),
    ],
)
def test_a_yes_no_question_is_the_check_its_answer_reads(demo, prompt, tool, condition):
    """ "If so" after the question was refused: no step before it told anything."""
    flow = plan(prompt, demo)

    assert branch_of(flow, tool_node(flow, tool).id).condition == condition
