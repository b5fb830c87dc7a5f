"""The offline planner on requests probed by hand in the fifteenth session: someone who
signs up "with email ..." (the address is what the steps work on, not a message sent to
it), a sentence of labelled values after the steps ("Order ORD-77, amount $1,250."), and a
stock check that names its SKUs with no count."""

from __future__ import annotations

import json

import pytest

from flows.core.ir import ApprovalNode, ToolNode
from tests.planner.offline_plans import plan, refusal


def tools_of(flow):
    return [n.tool for n in flow.nodes if isinstance(n, ToolNode)]


def tool_node(flow, tool):
    return next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == tool)


@pytest.mark.parametrize(
    "prompt",
    [
        "When a new user signs up with email sam@corp.com, validate the email, then send a "
        "welcome email to Sam",
        "A new user signed up with email sam@corp.com. Validate it and welcome them.",
        "A customer registered with the email sam@corp.com. Validate the address and send "
        "them a welcome email.",
    ],
)
def test_an_arrival_with_an_address_is_what_the_steps_work_on(demo, prompt):
    """ "signs up with email sam@corp.com" emailed sam@corp.com first and validated an
    address asked of the run; "signed up with email ..." looked the user up."""
    flow = plan(prompt, demo)

    assert tools_of(flow) == ["validate_email", "send_welcome_email"]
    assert tool_node(flow, "validate_email").inputs["email"] == '"sam@corp.com"'
    assert tool_node(flow, "send_welcome_email").inputs["email"] in (
        '"sam@corp.com"',
        "validate_email.email",
    )


def test_a_trigger_said_without_a_comma_keeps_its_address(demo):
    flow = plan("when someone registers with the email amy@b.co send them a welcome email", demo)

    assert tools_of(flow) == ["send_welcome_email"]
    assert tool_node(flow, "send_welcome_email").inputs["email"] == '"amy@b.co"'


def test_a_verb_after_a_preposition_starts_no_step(demo):
    """ "... comes in validate it": "in" also ends a verb, so the step still starts there."""
    flow = plan("when a new order comes in validate it and charge 5 USD", demo)

    assert tools_of(flow) == ["validate_order", "process_payment"]
    assert tool_node(flow, "process_payment").inputs["amount"] == "5.0"


def test_a_sentence_of_labelled_values_is_what_the_steps_work_on(demo):
    """The order was validated and taxed (its sentence read as steps), and the charge asked
    the run for the amount the request wrote."""
    flow = plan(
        "Every order over $1000 must be approved by finance before we charge the card. "
        "Order ORD-77, amount $1,250.",
        demo,
    )

    assert tools_of(flow) == ["process_payment"]
    charge = tool_node(flow, "process_payment")
    assert charge.inputs["order_id"] == '"ORD-77"'
    assert charge.inputs["amount"] == "1250.0"
    approval = next(n for n in flow.nodes if isinstance(n, ApprovalNode))
    assert approval.assignees.groups == ["finance"]


def test_the_labelled_amount_goes_to_the_first_step_that_takes_one(demo):
    flow = plan(
        "Order ORD-77, amount $1,250. Calculate the tax for Germany and charge the total.", demo
    )

    assert tool_node(flow, "calculate_tax").inputs["amount"] == "1250.0"
    assert tool_node(flow, "process_payment").inputs["amount"] == "calculate_tax.total"


def test_labelled_values_led_by_a_verb_are_a_step(demo):
    """ "Refund ORD-77, amount $20." asks for a refund (no tool does): refused, not read as
    the values of the step after it."""
    error = refusal("Refund ORD-77, amount $20. Then email bob@x.com.", demo)

    assert "refund" in error.message.lower()


def test_an_address_after_email_alone_is_a_step(demo):
    flow = plan(
        "Classify the ticket. Is it urgent? Email oncall@example.com. Otherwise open a ticket.",
        demo,
    )

    assert tool_node(flow, "send_email").inputs["to"] == '"oncall@example.com"'


@pytest.mark.parametrize(
    ("prompt", "skus"),
    [
        (
            "Check stock for SKU-100 and SKU-200; if either is out of stock, email a@b.co",
            ["SKU-100", "SKU-200"],
        ),
        ("is SKU-100 in stock?", ["SKU-100"]),
        ("check inventory of WIDGET-1, GADGET-2 and LAMP-3", ["WIDGET-1", "GADGET-2", "LAMP-3"]),
    ],
)
def test_a_stock_check_of_skus_with_no_count_checks_one_of_each(demo, prompt, skus):
    """The lines were asked of the run though the request named them."""
    flow = plan(prompt, demo)

    lines = json.loads(tool_node(flow, "check_inventory").inputs["items"])
    assert lines == [{"sku": sku, "quantity": 1} for sku in skus]


def test_a_quote_ending_on_a_stop_ends_its_sentence(demo):
    """ "... feedback: 'Loved the service!' If positive, ...": the condition was read into the
    first sentence, the sentiment analysed twice and the summary asked of the run."""
    flow = plan(
        "Analyze the sentiment of this feedback: 'Loved the service!' If positive, email "
        "marketing@co.com a summary",
        demo,
    )

    assert tools_of(flow) == ["analyze_sentiment", "summarize_text", "send_email"]
    assert tool_node(flow, "analyze_sentiment").inputs["text"] == '"Loved the service!"'


def test_a_later_step_reads_the_quote_a_step_before_it_read(demo):
    flow = plan(
        "Analyze the sentiment of this feedback: 'Loved the service'. If positive, email "
        "marketing@co.com a summary",
        demo,
    )

    assert tool_node(flow, "summarize_text").inputs["text"] == '"Loved the service"'
    assert "text" not in flow.input_schema.get("properties", {})


def test_a_step_before_the_quote_still_asks_for_its_text(demo):
    flow = plan("Summarize the text, then analyze the sentiment of 'meh'", demo)

    assert tool_node(flow, "summarize_text").inputs["text"] == "input.text"
    assert tool_node(flow, "analyze_sentiment").inputs["text"] == '"meh"'


@pytest.mark.parametrize(
    "prompt",
    [
        "For every email in this list: a@x.com, b@y.org, c@z.net - validate it and send a "
        "welcome email to the valid ones",
        "For each email (a@x.com, b@y.org, c@z.net), validate it and send a welcome email if "
        "it's valid",
    ],
)
def test_each_of_a_list_said_another_way_is_each_of_these(demo, prompt):
    """The first was refused (no step picks items out of a list); the second validated the
    addresses of a list asked of the run, then validated them again."""
    flow = plan(prompt, demo)

    validate, welcome = flow.nodes
    assert json.loads(validate.items) == ["a@x.com", "b@y.org", "c@z.net"]
    assert welcome.tool == "send_welcome_email"
    assert welcome.items == "validate_email.filter(r, r.valid)"


@pytest.mark.parametrize(
    ("prompt", "category"),
    [
        ("open a ticket and route it to billing", "billing"),
        (
            "Open a high priority ticket for lee@x.com, then assign it to the shipping team",
            "shipping",
        ),
    ],
)
def test_a_ticket_routed_to_a_queue_is_opened_in_it(demo, prompt, category):
    """ "route it to billing" charged a card for "billing"; "assign it to the shipping team"
    classified the ticket after opening it."""
    flow = plan(prompt, demo)

    assert tools_of(flow) == ["create_ticket"]
    assert tool_node(flow, "create_ticket").inputs["category"] == f'"{category}"'


def test_forwarding_to_an_address_is_no_queue(demo):
    flow = plan("Open a ticket, then forward it to billing@example.com", demo)

    assert "category" not in tool_node(flow, "create_ticket").inputs
    assert tool_node(flow, "send_email").inputs["to"] == '"billing@example.com"'


@pytest.mark.parametrize("said", ["tracking link", "tracking code", "tracking info", "tracking id"])
def test_a_code_said_with_another_word_is_the_output_that_holds_it(demo, said):
    """ "email the tracking link" asked the run for the message (the output is
    `tracking_number`)."""
    flow = plan(
        f"Ship order 42 to 500 Oak Ave, Denver via UPS and email the {said} to buyer@shop.com",
        demo,
    )

    assert tool_node(flow, "send_email").inputs["body"] == "create_shipment.tracking_number"


def test_the_ticket_number_is_its_id(demo):
    flow = plan("open a ticket about the outage and email the ticket number to me@x.com", demo)

    assert tool_node(flow, "send_email").inputs["body"] == "create_ticket.ticket_id"


def test_an_address_with_no_dot_after_the_at_is_still_the_one_checked(demo):
    """ "check if jane.doe@example is a valid email" asked the run for the address."""
    flow = plan("check if jane.doe@example is a valid email", demo)

    assert tool_node(flow, "validate_email").inputs["email"] == '"jane.doe@example"'


@pytest.mark.parametrize(
    "prompt",
    [
        "A customer wrote: 'I was charged twice for order 889, please fix it'. Classify the "
        "message and open a ticket in the right queue.",
        "A customer wrote: 'I was charged twice for order 889, please fix it!' Classify the "
        "message and open a ticket in the right queue.",
    ],
)
def test_the_message_someone_wrote_is_the_quote(demo, prompt):
    """The customer was looked up and the message to classify asked of the run."""
    flow = plan(prompt, demo)

    assert tools_of(flow) == ["classify_ticket", "create_ticket"]
    assert (
        tool_node(flow, "classify_ticket").inputs["text"]
        == '"I was charged twice for order 889, please fix it' + ("!" in prompt) * "!" + '"'
    )


def test_it_mentions_a_word_is_the_text_containing_it(demo):
    """ "if it mentions an outage" was refused: no value to test."""
    flow = plan(
        "fetch https://status.example.com and if it mentions an outage, email sre@example.com",
        demo,
    )

    branch = next(n for n in flow.nodes if n.type == "branch")
    assert branch.condition == 'fetch_url.content.lowerAscii().contains("outage")'


@pytest.mark.parametrize(
    "prompt",
    [
        "A manager must approve the $5000 charge for order 9",
        "a manager has to approve the charge of $5000 for order 9",
        "A manager must approve charging order 9 $5000",
    ],
)
def test_approving_a_doing_is_the_approval_then_the_doing(demo, prompt):
    """Each planned the approval alone: approved, nothing was charged."""
    flow = plan(prompt, demo)

    approval, charge = flow.nodes
    assert isinstance(approval, ApprovalNode)
    assert charge.tool == "process_payment"
    assert charge.after == [approval.id]
    assert (charge.inputs["order_id"], charge.inputs["amount"]) == ('"9"', "5000.0")


def test_an_approval_skipped_for_a_case_still_guards_the_doing(demo):
    """The approval was dropped and the charge made only when an approval was needed."""
    flow = plan(
        "If the customer is on the enterprise plan, skip the approval; otherwise a manager "
        "must approve the $5000 charge for order 9",
        demo,
    )

    approval = next(n for n in flow.nodes if isinstance(n, ApprovalNode))
    assert approval.when == 'lookup_user.user.plan != "enterprise"'
    charge = tool_node(flow, "process_payment")
    assert charge.when is None
    assert charge.inputs["amount"] == "5000.0"


def test_the_text_of_a_page_is_fetched_once_and_summarised_once(demo):
    """ "Take the text of https://..." was a summary, then "summarize it" another."""
    flow = plan(
        "Take the text of https://blog.example.com/post/1, summarize it in 2 sentences and "
        "email the summary to editor@example.com with subject 'Daily digest'",
        demo,
    )

    assert tools_of(flow) == ["fetch_url", "summarize_text", "send_email"]
    assert tool_node(flow, "summarize_text").inputs["max_sentences"] == "2"


def test_email_a_named_person_the_thing_is_a_step_of_its_own(demo):
    """ "ship it to 4 Bay Rd, Portland, OR 97201 and email Kim the tracking number": the
    email was dropped."""
    flow = plan(
        "ship order 5 to 4 Bay Rd, Portland, OR 97201 and email Kim the tracking number", demo
    )

    assert tools_of(flow) == ["create_shipment", "send_email"]
    assert tool_node(flow, "send_email").inputs["body"] == "create_shipment.tracking_number"


def test_a_new_thing_said_first_is_what_the_steps_work_on(demo):
    """The first sentence was validated as a step of its own (the order twice), the lines
    and the address asked of the run, and the email dropped."""
    flow = plan(
        "New order ORD-500 from kim@shop.io for 3 x MUG-1 at $12 each. Validate it, check we "
        "have the stock, charge the card, ship it to 4 Bay Rd, Portland, OR 97201 and email "
        "Kim the tracking number.",
        demo,
    )

    assert tools_of(flow) == [
        "validate_order",
        "check_inventory",
        "process_payment",
        "create_shipment",
        "send_email",
    ]
    lines = [{"sku": "MUG-1", "quantity": 3}]
    assert json.loads(tool_node(flow, "validate_order").inputs["items"]) == lines
    assert json.loads(tool_node(flow, "check_inventory").inputs["items"]) == lines
    assert tool_node(flow, "send_email").inputs["to"] == '"kim@shop.io"'


@pytest.mark.parametrize(
    ("prompt", "groups", "escalated_to", "timeout_s"),
    [
        (
            "When an expense report over $500 comes in, get approval from finance within 2 "
            "days, otherwise escalate to the CFO",
            ["finance"],
            "cfos",
            172800.0,
        ),
        (
            "Charge order 9 $700 after a manager approves; if nobody answers in 24 hours, "
            "escalate it to the director",
            ["managers"],
            "directors",
            86400.0,
        ),
        (
            "get approval from finance within 2 days, or escalate to legal",
            ["finance"],
            "legal",
            172800.0,
        ),
    ],
)
def test_escalating_when_nobody_decides_in_time_is_the_approvals_own(
    demo, prompt, groups, escalated_to, timeout_s
):
    """ "otherwise escalate to the CFO" was an email sent once finance had approved; "if
    nobody answers in 24 hours, escalate it to the director" was refused."""
    flow = plan(prompt, demo)

    approval = next(n for n in flow.nodes if isinstance(n, ApprovalNode))
    assert approval.assignees.groups == groups
    assert (approval.timeout_s, approval.on_timeout) == (timeout_s, "escalate")
    assert approval.escalate_to == escalated_to
    assert f"after that it goes to {escalated_to}" in approval.instructions
    assert "send_email" not in tools_of(flow)


def test_review_and_approve_is_the_approval_of_the_quoted_text(demo):
    """ "Ask legal to review and approve ..." was refused (no tool reviews)."""
    flow = plan(
        "Ask legal to review and approve the contract text 'Net 30 terms' within 48 hours; if "
        "they reject it, email sales@x.com",
        demo,
    )

    approval = flow.nodes[0]
    assert isinstance(approval, ApprovalNode)
    assert approval.assignees.groups == ["legal"]
    assert approval.context["text"] == '"Net 30 terms"'
    assert tool_node(flow, "send_email").inputs["to"] == '"sales@x.com"'


@pytest.mark.parametrize(
    ("prompt", "tools"),
    [
        (
            "I need a flow that takes an order id and an amount, charges the card, and if it's "
            "approved, ships the order to the address given",
            ["process_payment", "create_shipment"],
        ),
        (
            "a workflow that gets a name and an email: validate the email and send a welcome "
            "email",
            ["validate_email", "send_welcome_email"],
        ),
    ],
)
def test_what_a_flow_takes_is_its_run_input_not_a_step(demo, prompt, tools):
    """ "takes an order id and an amount" validated an order and calculated a tax, and "the
    address given" shipped to the address "given"."""
    flow = plan(prompt, demo)

    assert tools_of(flow) == tools
    for node in flow.nodes:
        for expression in (getattr(node, "inputs", None) or {}).values():
            assert expression != '"given"'
    if "process_payment" in tools:
        assert tool_node(flow, "process_payment").inputs["amount"] == "input.amount"
        assert tool_node(flow, "create_shipment").inputs["address"] == "input.address"


@pytest.mark.parametrize("said", ["total with tax", "total including tax", "total after VAT"])
def test_the_total_with_tax_is_the_total(demo, said):
    """ "if the total with tax is over $900" compared the tax alone."""
    flow = plan(
        f"Calculate tax on $800 for Canada, and if the {said} is over $900 ask finance to "
        "approve before charging order 33 the total",
        demo,
    )

    approval = next(n for n in flow.nodes if isinstance(n, ApprovalNode))
    assert approval.when == "calculate_tax.total > 900.0"


def test_everyone_on_a_list_is_each_of_them(demo):
    """One email went to the first address with the others copied in."""
    flow = plan("Send a reminder email to everyone on this list: a@x.com, b@x.com", demo)

    (send,) = flow.nodes
    assert send.type == "map"
    assert json.loads(send.items) == ["a@x.com", "b@x.com"]
    assert send.inputs["to"] == "item"


@pytest.mark.parametrize(
    "prompt",
    [
        "Send a reminder email to everyone in this list who hasn't paid: a@x.com, b@x.com",
        "send a welcome email to each of these who are valid: a@x.com, b@x.com",
    ],
)
def test_some_of_a_list_no_step_picks_out_is_refused(demo, prompt):
    """Whom of them was dropped: everyone listed got the email."""
    error = refusal(prompt, demo)

    assert "acts only on those of the list" in error.message
