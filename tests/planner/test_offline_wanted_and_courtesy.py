"""The offline planner on requests that start by saying what the writer wants ("I need the
VAT on ...", "we want a ticket created whenever ..."), on "don't do anything" as a case that
does nothing, on a sentiment said as "bad" or "good", and on thanking someone at an address."""

from __future__ import annotations

import pytest

from flows.core.graph import build_graph
from flows.core.ir import ApprovalNode, BranchNode, ToolNode
from tests.planner.offline_plans import plan, refusal


def tools_of(flow):
    return [n.tool for n in flow.nodes if isinstance(n, ToolNode)]


def tool_node(flow, tool):
    return next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == tool)


def ancestors(flow, node_id):
    return build_graph(flow).ancestors(node_id)


def branch_of(flow):
    return next(n for n in flow.nodes if isinstance(n, BranchNode))


# -- what the writer wants, said first ------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "I need the VAT on 250 EUR for Germany, then email the total to accounting@firm.de",
        "We need the VAT on 250 EUR for Germany and email the total to accounting@firm.de",
        "I'd like the VAT on 250 EUR for Germany, then email the total to accounting@firm.de",
    ],
)
def test_a_value_wanted_first_is_the_step_that_gets_it(demo, prompt):
    flow = plan(prompt, demo)

    assert tools_of(flow) == ["calculate_tax", "send_email"]
    tax = tool_node(flow, "calculate_tax")
    assert (tax.inputs["amount"], tax.inputs["country"]) == ("250.0", '"DE"')
    email = tool_node(flow, "send_email")
    assert email.inputs["to"] == '"accounting@firm.de"'
    assert "calculate_tax.total" in email.inputs["body"]


def test_a_sentiment_wanted_reads_the_quoted_text(demo):
    flow = plan("I want the sentiment of this review: 'great stuff, fast delivery'", demo)

    assert tools_of(flow) == ["analyze_sentiment"]
    assert tool_node(flow, "analyze_sentiment").inputs["text"] == '"great stuff, fast delivery"'


@pytest.mark.parametrize(
    ("prompt", "tool"),
    [
        ("I need a ticket opened for the broken printer", "create_ticket"),
        ("I need the tracking number for order 55 emailed to bo@x.com", "send_email"),
    ],
)
def test_a_thing_wanted_done_is_that_step(demo, prompt, tool):
    flow = plan(prompt, demo)

    assert tools_of(flow) == [tool]


def test_a_thing_wanted_done_whenever_something_holds_is_done_only_then(demo):
    flow = plan("We want a ticket created whenever a message is classified as billing", demo)

    assert tools_of(flow) == ["classify_ticket", "create_ticket"]
    branch = branch_of(flow)
    assert branch.condition == 'classify_ticket.category == "billing"'
    assert branch.then == ["create_ticket"]


def test_every_thing_wanted_checked_then_a_step_if_it_passed(demo):
    flow = plan("I want every new signup's email validated, and if it's fine, welcome them", demo)

    assert tools_of(flow) == ["validate_email", "send_welcome_email"]
    assert branch_of(flow).condition == "validate_email.valid"


def test_a_flow_wanted_is_still_how_the_request_is_asked(demo):
    flow = plan("I need a workflow: validate the email and send a welcome email", demo)

    assert tools_of(flow) == ["validate_email", "send_welcome_email"]


def test_a_document_wanted_sent_is_refused_not_validated(demo):
    error = refusal("we need the signed contract emailed to legal@x.com", demo)

    assert "signed contract" in error.message


# -- "don't do anything" --------------------------------------------------------------------


def test_dont_do_anything_in_one_case_does_nothing_then(demo):
    flow = plan(
        "Check whether sam@corp.io is a real address; if not, don't do anything, "
        "otherwise welcome Sam",
        demo,
    )

    assert tools_of(flow) == ["validate_email", "send_welcome_email"]
    branch = branch_of(flow)
    assert (branch.condition, branch.then, branch.else_) == (
        "validate_email.valid",
        ["send_welcome_email"],
        [],
    )
    assert tool_node(flow, "send_welcome_email").inputs["name"] == '"Sam"'


# -- a sentiment said as "bad" or "good" ----------------------------------------------------


@pytest.mark.parametrize(
    ("case", "sentiment"), [("bad", "negative"), ("terrible", "negative"), ("good", "positive")]
)
def test_a_text_said_to_be_bad_or_good_is_its_sentiment(demo, case, sentiment):
    flow = plan(f"get the sentiment of the latest review and if it's {case} open a ticket", demo)

    assert tools_of(flow) == ["analyze_sentiment", "create_ticket"]
    assert branch_of(flow).condition == f'analyze_sentiment.sentiment == "{sentiment}"'


def test_an_order_said_to_be_bad_is_still_an_invalid_one(demo):
    flow = plan("validate the order and if it's bad email ops@x.com", demo)

    assert branch_of(flow).condition == "!validate_order.valid"


# -- thanking someone at an address ---------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "thank the customer at c@x.com",
        "thank c@x.com for the order",
        "check the sentiment of the message; if it's positive, thank the customer at "
        "c@x.com, if it's negative open a ticket",
    ],
)
def test_thanking_someone_at_an_address_emails_them_a_thank_you(demo, prompt):
    flow = plan(prompt, demo)

    assert "lookup_user" not in tools_of(flow)
    email = tool_node(flow, "send_email")
    assert email.inputs["to"] == '"c@x.com"'
    assert "Thank you" in email.inputs["body"]


# -- an approval rule said inside the step's sentence ---------------------------------------


def approval_node(flow):
    return next(n for n in flow.nodes if isinstance(n, ApprovalNode))


@pytest.mark.parametrize(
    ("prompt", "group", "limit"),
    [
        (
            "charge 2,500 EUR to order INV-2231, but a manager needs to approve anything over "
            "1,000 EUR first. Email finance@co.eu when done.",
            "managers",
            "1000.0",
        ),
        (
            "charge 2500 USD to order 7, but a manager must approve anything over 1000 USD",
            "managers",
            "1000.0",
        ),
        (
            "charge 2500 USD to order 7; a manager must approve anything over 1000 USD before "
            "it is charged",
            "managers",
            "1000.0",
        ),
        (
            "charge 2500 USD to order 7 and finance has to approve charges over 2000 USD",
            "finance",
            "2000.0",
        ),
        (
            "charge 2500 USD to order 7, but anything over 1000 USD needs a manager's "
            "approval first",
            "managers",
            "1000.0",
        ),
    ],
)
def test_an_approval_rule_said_beside_the_charge_gates_it(demo, prompt, group, limit):
    flow = plan(prompt, demo)

    approval = approval_node(flow)
    assert approval.assignees.groups == [group]
    assert approval.when == f"2500.0 > {limit}"
    charge = tool_node(flow, "process_payment")
    assert approval.id in ancestors(flow, charge.id)
    assert charge.inputs["amount"] == "2500.0"
    assert "calculate_tax" not in tools_of(flow)
    # (the instructions say what is approved, not the rule's words: "... first: it is over")
    assert "first" not in approval.instructions
    assert "approve" not in approval.instructions[len("Approve") :]


# -- retries said after, naming the step ----------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "tool", "attempts"),
    [
        (
            "Validate order 100 then charge it. Retry the charge up to 3 times if it errors.",
            "process_payment",
            4,
        ),
        (
            "Validate order 100 then charge it. Retry the payment up to 3 times if it fails.",
            "process_payment",
            4,
        ),
        (
            "fetch https://x.com/a and summarize it. Retry the fetch twice on errors.",
            "fetch_url",
            3,
        ),
    ],
)
def test_retries_said_after_naming_a_step_are_that_steps(demo, prompt, tool, attempts):
    flow = plan(prompt, demo)

    retried = [n for n in flow.nodes if isinstance(n, ToolNode) and n.retry is not None]
    assert [n.tool for n in retried] == [tool]
    assert retried[0].retry.max_attempts == attempts
    assert len(tools_of(flow)) == 2


# -- a quoted message after a condition with no comma ---------------------------------------


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        (
            'look up user u-19 and if they exist email them "your account is ready"',
            "your account is ready",
        ),
        ("validate bo@x.com and if it is valid email it 'welcome aboard'", "welcome aboard"),
    ],
)
def test_a_quote_a_conditional_message_ends_on_is_what_it_says(demo, prompt, said):
    flow = plan(prompt, demo)

    assert tool_node(flow, "send_email").inputs["body"] == f'"{said}"'


# -- whether someone exists -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "field", "value", "condition"),
    [
        (
            "if the user u-19 exists email them 'your account is ready'",
            "user_id",
            '"u-19"',
            "lookup_user.found",
        ),
        (
            "check if customer c-9 exists and if so email them 'hi'",
            "user_id",
            '"c-9"',
            "lookup_user.found",
        ),
        (
            "if bo@x.com doesn't exist in our system, send them a welcome email",
            "email",
            '"bo@x.com"',
            "!lookup_user.found",
        ),
    ],
)
def test_whether_someone_exists_is_whether_a_lookup_finds_them(
    demo, prompt, field, value, condition
):
    flow = plan(prompt, demo)

    assert tool_node(flow, "lookup_user").inputs[field] == value
    assert branch_of(flow).condition == condition


def test_whether_a_page_exists_is_no_lookup_of_a_user(demo):
    error = refusal("if the page https://x.com/a exists, summarize it", demo)

    assert error.code == "unmapped_condition"


# -- "if X, do it; otherwise approve first and then do it" ----------------------------------


@pytest.mark.parametrize(
    ("prompt", "group", "limit"),
    [
        (
            "If the order total is under $50 charge it right away, otherwise ask finance to "
            "approve first and then charge",
            "finance",
            "50.0",
        ),
        (
            "If the order total is under $50, charge it; otherwise get finance approval and "
            "then charge it",
            "finance",
            "50.0",
        ),
        (
            "If the order total is under $49.99 charge it, otherwise ask finance to approve "
            "and then charge it.",
            "finance",
            "49.99",
        ),
    ],
)
def test_a_step_done_at_once_or_after_an_approval_is_one_step_behind_it(demo, prompt, group, limit):
    flow = plan(prompt, demo)

    assert tools_of(flow) == ["process_payment"]
    approval = approval_node(flow)
    assert approval.assignees.groups == [group]
    assert approval.when == f"!(input.amount < {limit})"
    assert approval.id in ancestors(flow, tool_node(flow, "process_payment").id)
    assert not [n for n in flow.nodes if isinstance(n, BranchNode)]


# -- told of a rejection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Get approval from legal before emailing the contract summary to partner@firm.com; "
        "if they reject, tell me at me@firm.com",
        "summarize the contract and get approval from legal before emailing the summary to "
        "partner@firm.com; if they reject, tell me at me@firm.com",
    ],
)
def test_being_told_of_a_rejection_says_it_and_the_comment(demo, prompt):
    flow = plan(prompt, demo)

    told = next(
        n
        for n in flow.nodes
        if isinstance(n, ToolNode) and n.tool == "send_email" and n.inputs["to"] == '"me@firm.com"'
    )
    assert told.inputs["body"] == '"It was not approved. Comment: " + legal_approval.comment'
    assert told.inputs["subject"] == '"It was not approved"'
    sent = tool_node(flow, "send_email")
    assert sent.inputs["body"] == "summarize_text.summary"


# -- "only if someone approves it", said after the step -------------------------------------


@pytest.mark.parametrize(
    ("prompt", "group"),
    [
        ("Charge order 5 for $30 only if a manager approves it", "managers"),
        ("Charge order 5 for $30 if a manager approves it.", "managers"),
        ("charge order 5 for $30 only if the CFO signs off", "cfos"),  # (a role: its group)
    ],
)
def test_a_step_done_only_if_someone_approves_waits_for_that_approval(demo, prompt, group):
    flow = plan(prompt, demo)

    approval = approval_node(flow)
    assert [g.lower() for g in approval.assignees.groups] == [group]
    assert approval.when is None
    assert approval.id in ancestors(flow, tool_node(flow, "process_payment").id)


def test_if_someone_approves_midway_still_guards_only_the_steps_after_it(demo):
    flow = plan(
        "When a new employee joins, look them up, send the welcome email, and if their "
        "manager approves, create a ticket for IT to set up their laptop",
        demo,
    )

    approval = approval_node(flow)
    assert approval.id not in ancestors(flow, tool_node(flow, "send_welcome_email").id)
    assert approval.id in ancestors(flow, tool_node(flow, "create_ticket").id)


# -- values said in passing -----------------------------------------------------------------


def test_a_word_inside_a_quoted_body_asks_for_no_second_call(demo):
    flow = plan(
        'create a ticket with high priority, category billing, subject "Double charge", '
        'body "Customer was charged twice for order 8"',
        demo,
    )

    ticket = tool_node(flow, "create_ticket")
    assert ticket.inputs["body"] == '"Customer was charged twice for order 8"'
    assert (ticket.inputs["priority"], ticket.inputs["category"]) == ('"high"', '"billing"')


def test_charging_twice_unquoted_is_still_refused(demo):
    assert refusal("charge order 5 twice", demo).details["reason"] == "repeated_call"


@pytest.mark.parametrize(
    ("prompt", "amount"),
    [
        ("charge 40 for order 3", "40.0"),
        ("charge 40 to order 3", "40.0"),
        ("charge 12.50 for order 3 in euros", "12.5"),
    ],
)
def test_the_number_a_charge_says_first_is_its_amount(demo, prompt, amount):
    charge = tool_node(plan(prompt, demo), "process_payment")

    assert (charge.inputs["amount"], charge.inputs["order_id"]) == (amount, '"3"')


@pytest.mark.parametrize(
    ("prompt", "address"),
    [
        ("Ship order 91 to 9 Elm Rd, Austin TX 78701", "9 Elm Rd, Austin TX 78701"),
        (
            "Ship order 91 to 1600 Pennsylvania Ave NW, Washington, DC 20500 via UPS",
            "1600 Pennsylvania Ave NW, Washington, DC 20500",
        ),
        (
            "ship order 881 to 221B Baker Street, London NW1 6XE via DHL",
            "221B Baker Street, London NW1 6XE",
        ),
    ],
)
def test_a_street_address_keeps_its_state_and_postcode(demo, prompt, address):
    assert tool_node(plan(prompt, demo), "create_shipment").inputs["address"] == f'"{address}"'


def test_a_summary_of_a_quoted_text_is_what_the_email_says(demo):
    flow = plan(
        'Email the customer at kim@home.org a summary of this complaint: "The blender '
        'arrived broken and support never called back."',
        demo,
    )

    assert tool_node(flow, "summarize_text").inputs["text"].startswith('"The blender')
    assert tool_node(flow, "send_email").inputs["body"] == "summarize_text.summary"


@pytest.mark.parametrize(
    ("prompt", "tool"),
    [
        ("I want to know if order 55 is in stock; tell me at me@x.com", "check_inventory"),
        ("we need to find out whether bo@x.com is a real address", "validate_email"),
    ],
)
def test_wanting_to_know_whether_is_a_check(demo, prompt, tool):
    flow = plan(prompt, demo)

    assert tools_of(flow)[0] == tool
    assert "validate_order" not in tools_of(flow)


# -- chatty requests ------------------------------------------------------------------------


def test_codes_joined_by_and_each_are_listed(demo):
    flow = plan("Validate order O-1 and O-2 and O-3, then charge each one", demo)

    validate = next(n for n in flow.nodes if getattr(n, "tool", None) == "validate_order")
    assert validate.items == '["O-1", "O-2", "O-3"]'


def test_a_kind_routed_to_a_ticket_opens_one(demo):
    flow = plan(
        "Our support inbox gets flooded. Can you classify each incoming message and route "
        "billing ones to billing@co.com, technical ones to a ticket, and just ignore the rest?",
        demo,
    )

    conditions = [n.condition for n in flow.nodes if isinstance(n, BranchNode)]
    assert conditions == [
        'classify_ticket.category == "billing"',
        'classify_ticket.category == "technical"',
    ]
    assert tools_of(flow) == ["classify_ticket", "send_email", "create_ticket"]


def test_made_sure_then_if_it_is_reads_the_check(demo):
    flow = plan(
        "Hi! So every time we get a new signup I'd like to make sure their email is legit. "
        "If it is, send them our welcome email. If not, just log a ticket for the support "
        "team so someone can reach out manually. Thanks!",
        demo,
    )

    branch = branch_of(flow)
    assert branch.condition == "validate_email.valid"
    assert (branch.then, branch.else_) == (["send_welcome_email"], ["create_ticket"])


def test_made_sure_before_a_step_is_still_a_gate(demo):
    flow = plan("make sure the order is valid and charge it", demo)

    assert branch_of(flow).condition == "!validate_order.valid"


def test_before_we_do_anything_that_a_later_step_does_is_when(demo):
    flow = plan(
        "Before we ship anything, check stock. If something's missing, email "
        "purchasing@co.com with the order id. Otherwise create the shipment.",
        demo,
    )

    branch = branch_of(flow)
    assert branch.condition == "!check_inventory.in_stock"
    assert (branch.then, branch.else_) == (["send_email"], ["create_shipment"])


@pytest.mark.parametrize(
    "prompt",
    [
        "For an order of €120 to a customer in Spain, work out the VAT and charge order 7 "
        "the total including VAT.",
        "We sell in the EU. For an order of €120 to a customer in Spain, work out the VAT "
        "and charge order 7 the total including VAT.",
    ],
)
def test_values_said_before_the_first_step_are_its_own(demo, prompt):
    flow = plan(prompt, demo)

    tax = tool_node(flow, "calculate_tax")
    assert (tax.inputs["amount"], tax.inputs["country"]) == ("120.0", '"ES"')
    assert tool_node(flow, "process_payment").inputs["amount"] == "calculate_tax.total"


def test_a_code_said_before_its_steps_is_what_it_is(demo):
    flow = plan("For order 5, validate it and charge it", demo)

    assert tool_node(flow, "validate_order").inputs["order_id"] == '"5"'
    assert tools_of(flow) == ["validate_order", "process_payment"]


def test_the_noun_said_again_before_each_code_lists_them(demo):
    flow = plan("Look up user 3 and user 4 and send each of them a welcome email", demo)

    lookup = next(n for n in flow.nodes if getattr(n, "tool", None) == "lookup_user")
    assert lookup.items == '["3", "4"]'


@pytest.mark.parametrize(
    "prompt",
    [
        "Open a ticket if the payment for order 44 of $300 fails",
        "ship order 5 if the shipment address is valid",
    ],
)
def test_the_outcome_of_a_step_never_said_is_no_check_of_something_else(demo, prompt):
    # (an order check planned for a payment's failure, an email check for a shipment's)
    assert refusal(prompt, demo).code == "unmapped_condition"


@pytest.mark.parametrize(
    "prompt",
    [
        "Email john@x.com and jane@y.com the link https://docs.example.com/onboarding",
        "send the link https://docs.example.com/onboarding to john@x.com",
    ],
)
def test_a_link_sent_is_what_the_message_says(demo, prompt):
    email = tool_node(plan(prompt, demo), "send_email")

    assert email.inputs["body"] == '"https://docs.example.com/onboarding"'
    assert email.inputs["to"] == '"john@x.com"'


@pytest.mark.parametrize(
    ("prompt", "timeout_s"),
    [
        (
            "Charge order 9 for $800 after a manager approves; if nobody approves within 2 "
            "days, cancel it and email the customer at c@x.com",
            172800.0,
        ),
        (
            "Have a manager approve the refund; if they don't answer within 48 hours, reject it "
            "and email ops@x.com",
            172800.0,
        ),
    ],
)
def test_steps_said_for_an_approval_that_lapses_happen_once_it_is_rejected(demo, prompt, timeout_s):
    flow = plan(prompt, demo)

    approval = approval_node(flow)
    assert (approval.timeout_s, approval.on_timeout) == (timeout_s, "reject")
    branch = branch_of(flow)
    assert branch.condition == f"!{approval.id}.approved"
    assert branch.then == [tool_node(flow, "send_email").id]
    assert flow.input_schema is None or not (flow.input_schema.get("properties") or {})


@pytest.mark.parametrize(
    ("prompt", "tool", "values"),
    [
        (
            "Ask finance to approve the $2,000 charge on order 77 within 24 hours, otherwise "
            "reject it, then charge it",
            "process_payment",
            {"order_id": '"77"', "amount": "2000.0"},
        ),
        (
            "Wait for the ops team to approve the shipment of order 3 to 5 Main St, "
            "Springfield, then ship it with UPS",
            "create_shipment",
            {"order_id": '"3"', "address": '"5 Main St, Springfield"'},
        ),
    ],
)
def test_what_an_approval_said_is_what_the_step_after_it_does_it_to(demo, prompt, tool, values):
    flow = plan(prompt, demo)

    step = tool_node(flow, tool)
    assert {name: step.inputs[name] for name in values} == values
    assert approval_node(flow).id in ancestors(flow, step.id)


def test_a_second_case_after_a_comma_is_not_inside_the_first(demo):
    flow = plan(
        "Charge order 12 €35 and if it goes through send the receipt to buyer@x.de, if it's "
        "declined email buyer@x.de to try another card",
        demo,
    )

    branches = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert [b.condition for b in branches] == [
        "process_payment.approved",
        'process_payment.status == "declined"',
    ]
    declined = branches[1]
    # the second case runs after the first either way, not only when it went through
    assert declined.id not in branches[0].then
    assert branches[0].id not in ancestors(flow, declined.id) or any(
        n.id in ancestors(flow, declined.id) and n.trigger == "any" for n in flow.nodes
    )


def test_paging_an_email_address_emails_it(demo):
    flow = plan(
        "Classify the ticket text and if it's urgent page ops@co.com, otherwise create a "
        "normal ticket",
        demo,
    )

    assert tool_node(flow, "send_email").inputs["to"] == '"ops@co.com"'
    assert branch_of(flow).condition == 'classify_ticket.priority == "urgent"'


@pytest.mark.parametrize(
    ("prompt", "address"),
    [
        (
            "create a shipment for order 8 to 3 Rue Cler, Paris via DHL express",
            "3 Rue Cler, Paris",
        ),
        ("ship order 4 to 12 Rue de Rivoli, 75001 Paris", "12 Rue de Rivoli, 75001 Paris"),
    ],
)
def test_a_street_whose_kind_comes_first_is_an_address(demo, prompt, address):
    assert tool_node(plan(prompt, demo), "create_shipment").inputs["address"] == f'"{address}"'


@pytest.mark.parametrize(
    "prompt",
    [
        "Fetch https://example.com/feed and email me the summary at me@x.com",
        "Fetch https://example.com/feed and send me a summary at me@x.com",
    ],
)
def test_a_summary_sent_at_an_address_is_made_first(demo, prompt):
    flow = plan(prompt, demo)

    assert tools_of(flow) == ["fetch_url", "summarize_text", "send_email"]
    assert tool_node(flow, "send_email").inputs["body"] == "summarize_text.summary"
