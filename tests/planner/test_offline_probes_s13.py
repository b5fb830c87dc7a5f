"""The offline planner on requests probed by hand in the thirteenth session: a condition
said inside another before any step ("if it's valid, if the total is over 100, get
approval, then charge it"), a person named for one step only, a street address with
commas inside a "before ..." lead, and "tell me" after a check that reports a verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.core.ir import ApprovalNode, BranchNode, ToolNode
from tests.planner.offline_plans import plan, refusal

EVALS = Path(__file__).resolve().parents[2] / "evals" / "planner"


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
        n for n in flow.nodes if isinstance(n, BranchNode) and n.condition == "validate_order.valid"
    ]
    assert "process_payment" in gate.then


def test_two_conditions_of_two_steps_stay_apart(demo):
    flow = plan(
        "Validate order 5. If it's valid, charge it. If the payment fails, email me at me@x.com",
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
        "Look up user 7 and send them a welcome email. Also send Sam a welcome email at sam@x.com",
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


# -- a text shown first, then read -------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        'Here is a review: "Shipping took forever and the box was crushed". If it\'s negative, '
        "open a ticket for the support team",
        'Read this review: "Shipping took forever and the box was crushed". If it\'s negative, '
        "open a ticket",
        'Check this review: "Shipping took forever and the box was crushed". If it\'s '
        "negative, open a ticket",
    ],
)
def test_a_text_shown_first_is_what_the_steps_read(demo, prompt):
    flow = plan(prompt, demo)

    assert tools_of(flow) == ["analyze_sentiment", "create_ticket"]
    quote = '"Shipping took forever and the box was crushed"'
    assert tool_node(flow, "analyze_sentiment").inputs["text"] == quote
    # the ticket is about that text, not one the run must bring
    assert tool_node(flow, "create_ticket").inputs["body"] == quote


def test_a_ticket_that_says_its_own_text_keeps_it(demo):
    flow = plan(
        'A customer wrote: "Shipping took forever". If it\'s negative, open a ticket saying '
        '"Bad review"',
        demo,
    )

    assert tool_node(flow, "create_ticket").inputs["body"] == '"Bad review"'


# -- found or not, said of a person ----------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "condition"),
    [
        (
            "Look up bob@acme.io and, if he's not a user yet, send him a welcome email",
            "!lookup_user.found",
        ),
        (
            "Look up bob@acme.io; if he isn't registered, send him a welcome email",
            "!lookup_user.found",
        ),
        (
            "Look up bob@acme.io; if they're not a customer, send them a welcome email",
            "!lookup_user.found",
        ),
        ("Look up user 5; if they are not registered yet, email ops@x.com", "!lookup_user.found"),
        (
            'Look up bob@acme.io; if he\'s already a user, email him "welcome back"',
            "lookup_user.found",
        ),
    ],
)
def test_being_a_user_or_not_is_whether_the_lookup_found_them(demo, prompt, condition):
    flow = plan(prompt, demo)

    [branch] = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert branch.condition == condition


# -- the result, whatever happens --------------------------------------------------------------


def test_whatever_happens_the_message_says_what_happened(demo):
    flow = plan(
        "Check if order 12 is valid and, whatever happens, email me at me@x.com what happened",
        demo,
    )

    assert tools_of(flow) == ["validate_order", "send_email"]
    assert not [n for n in flow.nodes if isinstance(n, BranchNode)]
    email = tool_node(flow, "send_email")
    assert "validate_order.valid" in email.inputs["body"]
    assert email.inputs["subject"] == '"Order validation: result"'


@pytest.mark.parametrize(
    "prompt",
    [
        "Charge order 5 $20 and tell billing@x.com how it went",
        "Charge order 5 $20 and email billing@x.com the result",
    ],
)
def test_the_result_of_a_charge_is_what_it_reported(demo, prompt):
    flow = plan(prompt, demo)

    email = tool_node(flow, "send_email")
    assert email.inputs["to"] == '"billing@x.com"'
    assert "process_payment.status" in email.inputs["body"]
    assert not email.inputs["subject"].startswith("input.")


# -- a reply ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "to"),
    [
        ("Reply to the customer that we're looking into it", "input.customer_email"),
        ("Reply to jo@x.com that we're looking into it", '"jo@x.com"'),
        (
            "Classify the message; if it's billing, reply to the customer that we're looking "
            "into it",
            "input.customer_email",
        ),
    ],
)
def test_a_reply_is_a_message_saying_what_follows_that(demo, prompt, to):
    flow = plan(prompt, demo)

    assert "lookup_user" not in tools_of(flow)
    email = tool_node(flow, "send_email")
    assert email.inputs["to"] == to
    assert email.inputs["body"] == '"We\'re looking into it"'


def test_otherwise_just_reply_that_we_got_it(demo):
    flow = plan(
        "When a customer writes in, classify their message and if it's urgent open a high "
        "priority ticket, otherwise just reply to them that we got it",
        demo,
    )

    assert tool_node(flow, "send_email").inputs["body"] == '"We got it"'


# -- a ticket about something ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("Create a ticket about the broken printer", "Broken printer"),
        (
            "Open a high priority ticket about the outage on the checkout page",
            "Outage on the checkout page",
        ),
    ],
)
def test_a_ticket_about_a_topic_says_it(demo, prompt, subject):
    flow = plan(prompt, demo)

    ticket = tool_node(flow, "create_ticket")
    assert ticket.inputs["subject"] == f'"{subject}"'
    assert subject in ticket.inputs["body"]


def test_a_ticket_about_a_failure_says_what_failed(demo):
    flow = plan("Charge order 5 $20; if it fails, open a ticket about the failed payment", demo)

    ticket = tool_node(flow, "create_ticket")
    assert ticket.inputs["subject"] == '"Failed payment"'
    assert "process_payment.status" in ticket.inputs["body"]


# -- order lines said in words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "tool", "lines"),
    [
        ("Validate order 1001 with 2 units of SKU-7", "validate_order", [("SKU-7", 2)]),
        (
            "Check stock for 3 pcs WIDGET-1 and 2 GADGET-22",
            "check_inventory",
            [("WIDGET-1", 3), ("GADGET-22", 2)],
        ),
        ("Validate order 88: SKU-7 x 2, SKU-9 x 1", "validate_order", [("SKU-7", 2), ("SKU-9", 1)]),
    ],
)
def test_lines_said_in_words_are_the_lines_written(demo, prompt, tool, lines):
    import json

    flow = plan(prompt, demo)

    written = json.loads(tool_node(flow, tool).inputs["items"])
    assert [(line["sku"], line["quantity"]) for line in written] == lines


def test_an_amount_after_an_order_number_is_no_line(demo):
    flow = plan("Charge order 7 40 EUR", demo)

    payment = tool_node(flow, "process_payment")
    assert (payment.inputs["order_id"], payment.inputs["amount"]) == ('"7"', "40.0")


# -- posted to an address --------------------------------------------------------------------


def test_a_summary_posted_to_an_address_is_emailed(demo):
    flow = plan("Summarize https://acme.io/changelog and post the summary to ops@acme.io", demo)

    assert tools_of(flow) == ["fetch_url", "summarize_text", "send_email"]
    email = tool_node(flow, "send_email")
    assert (email.inputs["to"], email.inputs["body"]) == ('"ops@acme.io"', "summarize_text.summary")


# -- steps not lost, topics not lost ---------------------------------------------------------


def test_a_thing_emailed_to_someone_after_an_address_is_a_step(demo):
    flow = plan(
        "Ship order 3 via DHL express to Berlin, Germany and email tracking info to the customer",
        demo,
    )

    assert tools_of(flow) == ["create_shipment", "send_email"]


def test_everything_emailed_in_one_message_stays_one_email(demo):
    flow = plan(
        "Grab the webpage, give me a short summary and tell me whether the tone is positive "
        "or negative, all in one email to me@example.com.",
        demo,
    )

    assert tools_of(flow).count("send_email") == 1


def test_for_each_new_order_followed_by_steps_is_about_the_order(demo):
    flow = plan(
        "For each new order: validate it, check inventory, and if everything is in stock "
        "charge the customer and ship it; otherwise email the customer that some items are "
        "backordered",
        demo,
    )

    tools = tools_of(flow)
    assert tools[:2] == ["validate_order", "check_inventory"]
    assert "validate_email" not in tools
    assert tool_node(flow, "process_payment").inputs["amount"] == "validate_order.subtotal"


# -- the other case of an amount -------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Validate the order, and only charge it if the subtotal is below 1000; above that, a "
        "manager must approve first",
        "Validate order 5 and charge it if the subtotal is under 1000. Above that, finance has "
        "to approve it first.",
        "Validate order 5 and charge it if the subtotal is under 1000. Otherwise, finance has "
        "to approve it first.",
    ],
)
def test_an_approval_for_the_other_case_of_an_amount(demo, prompt):
    flow = plan(prompt, demo)

    [approval] = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert approval.when == "!(validate_order.subtotal < 1000.0)"
    # every order is charged: those under the amount at once, the others once approved
    assert not [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert tools_of(flow) == ["validate_order", "process_payment"]


# -- what arrives, approvals for a step, lapses, means -----------------------------------------


def test_processing_a_refund_that_arrives_is_no_charge(demo):
    refused = refusal(
        "When a refund request over $200 comes in, require approval from finance before "
        "processing it",
        demo,
    )

    assert "refund" in refused.message


def test_processing_an_order_that_arrives_charges_it(demo):
    flow = plan(
        "When an order over $200 comes in, require approval from finance before processing it",
        demo,
    )

    assert tools_of(flow) == ["process_payment"]


@pytest.mark.parametrize(
    "prompt",
    [
        "Get manager approval for charging order 5 $300",
        "Get manager approval for charging order 5 $300; if nobody approves within 2 days, "
        "email me@x.com",
    ],
)
def test_an_approval_for_a_step_is_followed_by_the_step(demo, prompt):
    flow = plan(prompt, demo)

    [approval] = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    payment = tool_node(flow, "process_payment")
    assert (payment.inputs["order_id"], payment.inputs["amount"]) == ('"5"', "300.0")
    assert approval.id in payment.after


@pytest.mark.parametrize(
    ("prompt", "days"),
    [
        (
            "Get manager approval before charging order 5 $300; if nobody approves it within 2 "
            "days, email me@x.com",
            2,
        ),
        (
            "Ask legal to approve the contract; if they haven't approved it within 3 days, "
            "email ceo@acme.io",
            3,
        ),
    ],
)
def test_not_approved_in_time_gives_the_approval_its_deadline(demo, prompt, days):
    flow = plan(prompt, demo)

    [approval] = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert approval.timeout_s == days * 86400
    assert approval.on_timeout == "reject"
    [branch] = [n for n in flow.nodes if isinstance(n, BranchNode)]
    # the message goes out when it is not approved, and reads nothing the charge did
    assert branch.condition == f"!{approval.id}.approved"
    assert branch.then == ["send_email"]


def test_not_answering_without_an_approval_asked_is_still_refused(demo):
    refusal(
        "Validate the order. If the manager doesn't respond within 24 hours, email ops@acme.com.",
        demo,
    )


@pytest.mark.parametrize(
    ("prompt", "tool"),
    [
        (
            "Validate their email, and if it's valid, send them a welcome email; if it's "
            "disposable, flag it by opening a ticket",
            "create_ticket",
        ),
        (
            "Classify the message and if it's urgent escalate it by emailing oncall@acme.io",
            "send_email",
        ),
    ],
)
def test_a_step_said_with_its_means_is_the_means(demo, prompt, tool):
    flow = plan(prompt, demo)

    assert tools_of(flow)[-1] == tool
    assert "validate_email" not in tools_of(flow)[1:]


# -- registered tools named after their vendor -------------------------------------------------


def saas():
    from flows.core.planner.evaluation import _registered_spec
    from tests.planner.registered import demo_catalog_with

    data = json.loads((EVALS / "registered_probed_s12_saas.json").read_text())
    return demo_catalog_with([_registered_spec(tool) for tool in data["registered_tools"]])


@pytest.mark.parametrize(
    "prompt",
    [
        "If the lifetime value of customer cus_5 is over 1000, post to #vip that they renewed",
        "If customer cus_5 has a lifetime value over 1000, post to #vip that they renewed",
    ],
)
def test_a_vendors_lookup_is_planned_for_the_field_a_condition_reads(prompt):
    flow = plan(prompt, saas())

    assert tools_of(flow) == ["stripe_get_customer", "slack_post_message"]
    assert tool_node(flow, "stripe_get_customer").inputs == {"customer_id": '"cus_5"'}
    [branch] = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert branch.condition == "stripe_get_customer.lifetime_value > 1000.0"


def test_a_vendors_tool_that_gets_something_changes_nothing():
    from flows.core.planner.echoes import acts

    catalog = saas()
    assert not acts(catalog.get("stripe_get_customer").spec)
    assert acts(catalog.get("stripe_refund").spec)
    assert acts(catalog.get("hubspot_create_contact").spec)


def test_a_refund_logged_in_a_spreadsheet_is_a_row_of_what_it_returned():
    flow = plan("Refund $25 of charge ch_77, then log the refund in spreadsheet SS-1", saas())

    assert tools_of(flow) == ["stripe_refund", "sheets_append_row"]
    row = tool_node(flow, "sheets_append_row")
    assert row.inputs["spreadsheet_id"] == '"SS-1"'
    assert "stripe_refund.refund_id" in row.inputs["values"]


def test_logging_in_a_named_spreadsheet_appends_to_it():
    flow = plan("Create a ticket and log it in spreadsheet SS-2", saas())

    assert tools_of(flow) == ["create_ticket", "sheets_append_row"]
    assert tool_node(flow, "sheets_append_row").inputs["spreadsheet_id"] == '"SS-2"'


# -- skipping the invalid ones ---------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Send a welcome email to a@x.com unless it's invalid",
        "Send a welcome email to a@x.com, but skip it if the address is invalid",
    ],
)
def test_a_step_skipped_when_invalid_checks_first_and_runs_when_valid(demo, prompt):
    flow = plan(prompt, demo)

    assert tools_of(flow) == ["validate_email", "send_welcome_email"]
    [branch] = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert branch.condition == "validate_email.valid"
    assert branch.then == ["send_welcome_email"]


def test_a_step_when_invalid_runs_when_not_valid(demo):
    flow = plan("Send a welcome email to a@x.com if it's invalid", demo)

    [branch] = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert branch.condition == "!validate_email.valid"


@pytest.mark.parametrize(
    "prompt",
    [
        "Send a welcome email to a@x.com, b@x.com and c@x.com, but skip invalid addresses",
        "Send a welcome email to everyone in this list: a@x.com, b@x.com, c@x.com, but skip "
        "invalid addresses",
    ],
)
def test_a_list_sent_to_but_the_invalid_ones_is_validated_first(demo, prompt):
    from flows.core.ir import MapNode

    flow = plan(prompt, demo)

    loops = {n.tool: n for n in flow.nodes if isinstance(n, MapNode)}
    assert set(loops) == {"validate_email", "send_welcome_email"}
    assert loops["send_welcome_email"].items == "validate_email.filter(r, r.valid)"


# -- a person named to approve -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "users", "groups"),
    [
        ("Have Jane approve the shipment of order 8, then ship it", ["jane"], []),
        ("Ask jane@acme.io to approve the shipment of order 8, then ship it", ["jane@acme.io"], []),
        ("Get approval from Priya before charging order 8 $40", ["priya"], []),
        ("Have Legal approve the shipment of order 8, then ship it", [], ["legal"]),
        ("Get a manager's approval, then charge order 8 $40", [], ["managers"]),
    ],
)
def test_a_person_named_to_approve_is_a_user_a_role_a_group(demo, prompt, users, groups):
    flow = plan(prompt, demo)

    [approval] = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert approval.assignees.users == users
    assert approval.assignees.groups == groups


# -- amounts written the European way ----------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "amount"),
    [
        ("Charge order 19 49,90 EUR", "49.9"),
        ("Charge 3,50 € to order 5", "3.5"),
        ("Charge 50€ to order 5", "50.0"),
        ("Charge order 19 €1.299,00", "1299.0"),
        ("Charge $1,250 to order 3", "1250.0"),
    ],
)
def test_an_amount_with_a_decimal_comma_or_the_symbol_after_it(demo, prompt, amount):
    flow = plan(prompt, demo)

    assert tool_node(flow, "process_payment").inputs["amount"] == amount


def test_numbers_with_a_comma_and_no_currency_stay_apart():
    from flows.core.planner.wording import drop_thousands_separators

    assert drop_thousands_separators("Validate orders 12,34 and 56") == (
        "Validate orders 12,34 and 56"
    )


@pytest.mark.parametrize(
    ("prompt", "tools"),
    [
        (
            "Can you make an automation: when a support message arrives, classify it, and open "
            "a ticket with the right priority",
            ["classify_ticket", "create_ticket"],
        ),
        (
            "Build a workflow: validate the order, then charge it",
            ["validate_order", "process_payment"],
        ),
        ("I need a flow where each new signup gets a welcome email", ["send_welcome_email"]),
    ],
)
def test_a_flow_asked_for_before_a_colon_or_where_is_its_steps(demo, prompt, tools):
    assert tools_of(plan(prompt, demo)) == tools


def test_routes_listed_after_a_colon_are_each_a_case(demo):
    flow = plan(
        "Classify the message and route it: billing to billing@x.com, technical to a ticket, "
        "anything else to help@x.com",
        demo,
    )

    conditions = [n.condition for n in flow.nodes if isinstance(n, BranchNode)]
    assert conditions[:2] == [
        'classify_ticket.category == "billing"',
        'classify_ticket.category == "technical"',
    ]
    assert '!(classify_ticket.category == "billing")' in conditions[2]
    sent = [
        n.inputs["to"] for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "send_email"
    ]
    assert sent == ['"billing@x.com"', '"help@x.com"']
    assert "create_ticket" in tools_of(flow)


# -- someone named by their code ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "tool", "field", "reads"),
    [
        (
            "Send a welcome email to user 19",
            "send_welcome_email",
            "email",
            "lookup_user.user.email",
        ),
        (
            "Validate the email address of user 19",
            "validate_email",
            "email",
            "lookup_user.user.email",
        ),
        (
            "Check whether user 19's email is disposable",
            "validate_email",
            "email",
            "lookup_user.user.email",
        ),
    ],
)
def test_a_person_named_by_their_code_is_looked_up_first(demo, prompt, tool, field, reads):
    flow = plan(prompt, demo)

    assert tools_of(flow) == ["lookup_user", tool]
    assert tool_node(flow, "lookup_user").inputs["user_id"] == '"19"'
    assert tool_node(flow, tool).inputs[field] == reads
