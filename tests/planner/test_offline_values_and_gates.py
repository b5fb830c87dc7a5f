"""The offline planner on values a tool lists (a carrier, a priority), product names in any
case, approvals that gate a step said before them, and text a plan writes itself (an
approval's instructions, a receipt's subject line) rather than asks the run for."""

from __future__ import annotations

import pytest

from flows.core.graph import build_graph
from flows.core.ir import ApprovalNode, BranchNode, MapNode, ToolNode
from flows.core.planner.approval_text import approval_instructions, subject_line
from flows.core.planner.choices import spelled_choice
from tests.planner.offline_plans import plan, refusal


def tool_node(flow, tool):
    return next(n for n in flow.nodes if isinstance(n, (ToolNode, MapNode)) and n.tool == tool)


def approval_of(flow):
    return next(n for n in flow.nodes if isinstance(n, ApprovalNode))


def ancestors(flow, node_id):
    return build_graph(flow).ancestors(node_id)


# -- values a tool lists ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "phrase", "name"),
    [
        ("Create the shipment for the order via Royal Mail", "Royal Mail", "carrier"),
        ("ship the order via royal mail", "royal mail", "carrier"),
        ("Ship the order with overnight service", "overnight", "service"),
        ("Create a critical priority ticket for the message", "critical", "priority"),
        ("Create a ticket with priority critical", "critical", "priority"),
    ],
)
def test_a_value_the_tool_does_not_list_is_refused_naming_it(demo, prompt, phrase, name):
    error = refusal(prompt, demo)

    assert error.code == "unmapped_step"
    assert error.details["reason"] == "value_not_offered"
    assert (error.details["phrase"], error.details["input"]) == (phrase, name)
    assert phrase in error.message


@pytest.mark.parametrize(
    ("prompt", "carrier"),
    [
        ("Create the shipment via Federal Express", "fedex"),
        ("Ship the order using fed ex", "fedex"),
        ("Ship the order via United Parcel Service", "ups"),
        ("Validate the order and ship it via DHL", "dhl"),
    ],
)
def test_another_spelling_of_a_listed_value_is_that_value(demo, prompt, carrier):
    flow = plan(prompt, demo)

    assert tool_node(flow, "create_shipment").inputs["carrier"] == f'"{carrier}"'


def test_a_spelling_is_the_same_letters_or_the_start_of_each_word():
    carriers = ["ups", "fedex", "dhl", "usps"]

    assert spelled_choice("U.P.S.", carriers) == "ups"
    assert spelled_choice("US Postal Service", carriers) == "usps"
    assert spelled_choice("Federal Express", carriers) == "fedex"
    assert spelled_choice("Royal Mail", carriers) is None


def test_a_listed_value_and_a_word_around_the_input_name_plan(demo):
    flow = plan("Classify the message and create a ticket with its category and priority", demo)

    ticket = tool_node(flow, "create_ticket")
    assert ticket.inputs["priority"] == "classify_ticket.priority"
    assert (
        tool_node(plan("Create a high-priority ticket", demo), "create_ticket").inputs["priority"]
        == '"high"'
    )


# -- products named in lower case ------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "phrase"),
    [
        ("Validate the email and add them to salesforce", "salesforce"),
        ("create a trello card for the order", "trello"),
        ("log the ticket in zendesk", "zendesk"),
        ("Create a jira issue for the bug", "jira"),
    ],
)
def test_a_product_named_in_lower_case_is_refused(demo, prompt, phrase):
    error = refusal(prompt, demo)

    assert error.details["reason"] == "no_tool_offers"
    assert error.details["phrase"] == phrase


def test_a_product_name_that_is_an_english_word_counts_only_capitalised(demo):
    flow = plan("Summarize the text and keep the outlook short", demo)

    assert tool_node(flow, "summarize_text")


# -- approvals -------------------------------------------------------------------------------


def test_an_approval_said_after_the_step_it_gates_comes_before_it(demo):
    flow = plan(
        "Validate the order, charge the card, and if the total is over 500 have finance approve it",
        demo,
    )

    approval = approval_of(flow)
    payment = tool_node(flow, "process_payment")
    assert approval.id in ancestors(flow, payment.id)
    assert "process_payment" not in (approval.when or "")
    assert approval.instructions == "Approve the order: its total is over 500."


@pytest.mark.parametrize(
    ("prompt", "group"),
    [
        ("Validate the order, send it to a manager for approval, then charge the card", "managers"),
        ("Validate the order and forward it to the finance team for sign-off", "finance"),
        (
            "Check inventory; if the total is over 500, pass the order to a manager for approval",
            "managers",
        ),
    ],
)
def test_sending_something_to_someone_for_approval_is_their_approval_alone(demo, prompt, group):
    flow = plan(prompt, demo)

    approval = approval_of(flow)
    assert approval.assignees is not None
    assert approval.assignees.groups == [group]
    # no message of its own: the approval is what reaches them
    assert not [n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "send_email"]


def test_waiting_for_an_approval_of_what_was_done_stays_after_it(demo):
    flow = plan("Create the shipment, and wait for the warehouse lead to approve it", demo)

    assert "create_shipment" in ancestors(flow, approval_of(flow).id)


def test_otherwise_get_approval_first_checks_then_gates_the_step(demo):
    flow = plan("Ship it if the order is valid, otherwise get approval first", demo)

    approval = approval_of(flow)
    ship = tool_node(flow, "create_shipment")
    assert approval.when == "!validate_order.valid"
    assert approval.id in ancestors(flow, ship.id)
    assert approval.instructions == "Approve the order: it is not valid."


def test_a_pronoun_in_a_condition_is_what_the_step_works_on(demo):
    flow = plan("Ship the order if it's valid", demo)

    branch = next(n for n in flow.nodes if isinstance(n, BranchNode))
    assert branch.condition == "validate_order.valid"
    error = refusal("Charge the card if it's valid", demo)
    assert error.code == "unmapped_condition"


def test_approval_instructions_speak_to_the_approver():
    assert (
        approval_instructions(thing="order", condition="the total is over 500")
        == "Approve the order: its total is over 500."
    )
    assert (
        approval_instructions(
            thing="payment",
            condition="the total is below 1000",
            negate=True,
            timeout_s=172800,
            on_timeout="approve",
        )
        == "Approve the payment: its total is not below 1000. Decide within 2 days; after "
        "that it is approved."
    )
    assert (
        approval_instructions(thing=None, condition=None, step="charge the card and it")
        == "Approve the request to charge the card."
    )


def test_an_approval_said_before_a_step_approves_that_step(demo):
    # what the request spoke of until then (the stock) is not what the manager approves
    flow = plan(
        "Check inventory and, if the amount is over 800, have a manager approve before "
        "charging the card",
        demo,
    )
    approval = next(n for n in flow.nodes if n.type == "approval")
    assert approval.instructions == "Approve charging the card: the amount is over 800."

    flow = plan("check stock; if the total is over 300 finance signs off before we charge it", demo)
    approval = next(n for n in flow.nodes if n.type == "approval")
    assert approval.instructions.startswith("Approve the request to charge")
    # "anything" is no step: what to approve comes from elsewhere, never "anything is ..."
    flow = plan("validate the order, get approval before anything is charged, then charge it", demo)
    approval = next(n for n in flow.nodes if n.type == "approval")
    assert "anything" not in approval.instructions


def test_what_the_approver_is_asked_to_fill_in_is_a_field_of_the_form(demo):
    flow = plan(
        "ask a manager to approve the order and enter the discount they want to give, "
        "then charge the card",
        demo,
    )
    approval = next(n for n in flow.nodes if n.type == "approval")
    discount = {"type": "number", "title": "Discount"}
    assert approval.form_schema["properties"] == {"discount": discount}
    assert approval.form_schema["required"] == ["discount"]

    # said as a step of its own, it is still the approver's to fill in, not a step
    flow = plan("have finance approve the refund and give a reason, then email the customer", demo)
    approval = next(n for n in flow.nodes if n.type == "approval")
    assert list(approval.form_schema["properties"]) == ["reason"]
    assert approval.form_schema["properties"]["reason"]["type"] == "string"
    assert [n.tool for n in flow.nodes if n.type == "tool"] == ["send_email"]
    # ("... and to enter a discount percentage": the same, said with "to")
    flow = plan(
        "Validate the order. Ask a manager to approve it and to enter a discount percentage. "
        "Then charge the card.",
        demo,
    )
    approval = next(n for n in flow.nodes if n.type == "approval")
    assert approval.form_schema["required"] == ["discount_percentage"]
    assert approval.form_schema["properties"]["discount_percentage"]["type"] == "number"

    # an approval that asks for nothing more has the decision alone
    flow = plan("get a manager's approval for the order, then ship it", demo)
    approval = next(n for n in flow.nodes if n.type == "approval")
    assert approval.form_schema["properties"] == {}


# -- subject lines ---------------------------------------------------------------------------


def test_a_receipt_is_sent_with_a_subject_line_of_its_own(demo):
    flow = plan("Charge the card and email the customer a receipt", demo)

    assert tool_node(flow, "send_email").inputs["subject"] == '"Your receipt"'
    assert "subject" not in flow.input_schema.get("properties", {})


def test_a_message_whose_body_the_run_gives_still_asks_for_its_subject(demo):
    flow = plan("Email the customer a confirmation", demo)

    assert tool_node(flow, "send_email").inputs["subject"] == "input.subject"


def test_a_subject_line_is_what_the_step_sends():
    assert subject_line("email the customer the tracking number") == "Your tracking number"
    assert subject_line("send ops@example.com a status report") == "Status report"
    assert subject_line("send them an email") is None
    # whom it goes to may take two words: the team is no part of what is sent
    assert subject_line("send the sales team a summary of the week") == "Summary"


# -- loops -----------------------------------------------------------------------------------


def test_an_id_in_a_loop_is_never_the_phone_a_text_goes_to(demo):
    flow = plan("For each order ID in the list, email the order ID to ops@example.com", demo)

    email = tool_node(flow, "send_email")
    assert isinstance(email, MapNode)
    assert email.inputs["to"] == '"ops@example.com"'


# -- steps said other ways ---------------------------------------------------------------------


def test_steps_said_in_the_passive_are_steps(demo):
    flow = plan("The order should be validated and the card charged.", demo)

    payment = tool_node(flow, "process_payment")
    assert tool_node(flow, "validate_order").id in ancestors(flow, payment.id)


def test_what_arrives_said_in_the_passive_is_still_the_trigger(demo):
    flow = plan("An order is placed. Validate it and charge the card.", demo)

    assert not any(isinstance(n, (BranchNode, ApprovalNode)) for n in flow.nodes)
    assert {n.tool for n in flow.nodes if isinstance(n, ToolNode)} == {
        "validate_order",
        "process_payment",
    }


def test_arrow_cases_on_one_line_are_cases_of_their_own(demo):
    flow = plan(
        "Analyze the review's sentiment; negative -> open a ticket, positive -> send a "
        "thank-you email.",
        demo,
    )

    conditions = sorted(n.condition for n in flow.nodes if isinstance(n, BranchNode))
    assert conditions == [
        'analyze_sentiment.sentiment == "negative"',
        'analyze_sentiment.sentiment == "positive"',
    ]


@pytest.mark.parametrize(
    "prompt",
    [
        "Check the order's valid and in stock, then charge it",
        "Check the order is valid and in stock, then charge it",
    ],
)
def test_two_states_checked_are_both_told_before_the_step(demo, prompt):
    flow = plan(prompt, demo)

    payment = tool_node(flow, "process_payment")
    before = ancestors(flow, payment.id)
    assert {"validate_order", "check_inventory"} <= before


def test_a_noun_of_the_catalogue_said_as_a_verb_on_something_else_is_refused(demo):
    error = refusal("Order pizza for the office.", demo)

    assert error.details["reason"] == "unknown_object"
    assert error.details["phrase"] == "pizza"


def test_sending_what_a_tool_that_changes_something_makes_is_refused():
    from pathlib import Path

    from flows.core.planner.evaluation import _WithRegistered, load_cases
    from tools_registry.catalog import default_catalog

    path = Path(__file__).resolve().parents[2] / "evals" / "planner" / "registered.json"
    catalog = _WithRegistered(default_catalog(), load_cases(path)[0].registered)

    error = refusal("Email the customer their invoice.", catalog)

    assert error.details["reason"] == "sends_what_another_makes"
    assert error.details["tool"] == "create_invoice"


# -- loops -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "For each order, if it's over 1000 get finance approval, then charge it.",
        "For every order in the list, get a manager's approval and ship it",
    ],
)
def test_an_approval_for_each_item_of_a_loop_is_refused(demo, prompt):
    error = refusal(prompt, demo)

    assert error.details["reason"] == "approval_in_loop"


def test_one_by_one_and_a_bare_each_loop_over_the_list(demo):
    flow = plan("Go through the orders one by one and validate each.", demo)

    assert [n.tool for n in flow.nodes if isinstance(n, (ToolNode, MapNode))] == ["validate_order"]
    assert isinstance(tool_node(flow, "validate_order"), MapNode)


def test_texting_every_one_of_a_list_never_emails_them(demo):
    error = refusal("Text every subscriber in the list", demo)

    assert error.details["capability"] == "an SMS / text message"


@pytest.mark.parametrize(
    ("prompt", "asked"),
    [
        ("Look up the order, then refund it.", "giving money back (a refund) ('refund')"),
        ("Look up the order, then cancel it.", "cancelling something ('cancel')"),
        ("Translate the ticket into French.", "translation ('Translate')"),
    ],
)
def test_a_refusal_names_what_is_missing_as_a_thing_asked_for(demo, prompt, asked):
    error = refusal(prompt, demo)

    assert f"it asks for {asked}, and no tool in the catalogue does that" in error.message


def test_a_decision_said_in_the_perfect_is_an_approval(demo):
    flow = plan("Once finance has signed off, process the payment.", demo)

    approval = approval_of(flow)
    assert approval.assignees.groups == ["finance"]
    assert approval.id in ancestors(flow, tool_node(flow, "process_payment").id)


def test_a_check_whose_tool_lacks_what_the_condition_names_is_not_planned(demo):
    error = refusal("Authorise the payment if the fraud score is low.", demo)

    assert error.code == "unmapped_condition"


def test_a_value_the_condition_says_is_not_the_steps(demo):
    flow = plan("Open a ticket if the sentiment score is low", demo)

    assert "priority" not in tool_node(flow, "create_ticket").inputs
    assert (
        tool_node(plan("Create the shipment via DHL Express", demo), "create_shipment").inputs[
            "service"
        ]
        == '"express"'
    )


@pytest.mark.parametrize(
    "prompt",
    [
        "Check if the customer's review is negative; if so create a high priority ticket",
        "Read the customer's review, figure out if it's negative and if so create a ticket",
        "Read the review and find out whether it is negative. If it is, open an urgent ticket.",
    ],
)
def test_checking_for_a_value_a_tool_returns_is_that_tool_whatever_the_verb(demo, prompt):
    """ "Check if it's negative" took check_inventory (by its verb), "find out whether"
    lookup_user: the tool that returns "negative" among its values answers it."""
    flow = plan(prompt, demo)

    tools = [node.tool for node in flow.nodes if isinstance(node, ToolNode)]
    assert tools == ["analyze_sentiment", "create_ticket"]
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == 'analyze_sentiment.sentiment == "negative"'


@pytest.mark.parametrize(
    ("prompt", "condition"),
    [
        (
            "Summarize https://blog.example.com/post and if the summary mentions outage, "
            "open an urgent ticket",
            'summarize_text.summary.lowerAscii().contains("outage")',
        ),
        (
            "Fetch https://status.example.com; if the text doesn't mention maintenance, "
            "open a ticket",
            '!fetch_url.text.lowerAscii().contains("maintenance")',
        ),
    ],
)
def test_a_word_a_text_mentions_unquoted_is_looked_for_in_any_case(demo, prompt, condition):
    flow = plan(prompt, demo)

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == condition
    assert branch.then == ["create_ticket"]


def test_a_word_that_is_a_value_a_step_returns_is_that_value_not_a_mention(demo):
    flow = plan("Classify the support message and if it mentions billing, open a ticket", demo)

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == 'classify_ticket.category == "billing"'


def test_emailing_the_result_sends_what_the_step_before_found(demo):
    """ "Analyze the sentiment and email me the result" emailed the text analyzed."""
    analyzed = plan("Analyze the sentiment of the text and email me the result", demo)
    summarized = plan("Summarize the text and email the result to boss@acme.io", demo)
    created = plan("Create a ticket and email me the result", demo)

    body = tool_node(analyzed, "send_email").inputs["body"]
    assert body.startswith('"Sentiment: %s\\nScore: %s')
    assert "analyze_sentiment.sentiment, analyze_sentiment.score" in body
    assert tool_node(summarized, "send_email").inputs["body"] == "summarize_text.summary"
    # what a step that changes something did is its result too: the ticket it made
    assert "create_ticket.ticket_id" in tool_node(created, "send_email").inputs["body"]


@pytest.mark.parametrize(
    "prompt",
    [
        "Classify the ticket. Urgent ones need approval from the support lead; others are "
        "created right away.",
        "Classify the ticket. Urgent ones need approval from the support lead, then create "
        "the ticket.",
    ],
)
def test_ones_of_a_kind_that_need_approval_get_it_before_the_step_all_get(demo, prompt):
    """ "Urgent ones need approval ..., others are created right away" planned an approval
    for every ticket, and a shipment instead of the ticket."""
    flow = plan(prompt, demo)

    approval = approval_of(flow)
    assert approval.when == 'classify_ticket.priority == "urgent"'
    assert approval.assignees is not None
    assert approval.assignees.groups == ["support"]
    ticket = tool_node(flow, "create_ticket")
    assert approval.id in ancestors(flow, ticket.id)
    assert ticket.when is None  # every ticket is created, the urgent ones once approved
    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == [
        "classify_ticket",
        "create_ticket",
    ]


def test_a_lead_of_a_team_who_approves_is_that_team(demo):
    flow = plan("Ship order 77 with UPS after a warehouse lead approves it", demo)

    assert approval_of(flow).assignees.groups == ["warehouse"]


def test_a_step_made_with_both_results_gets_each_of_them_not_a_loop(demo):
    """ "... then create a ticket with both" was a loop over a list the run was asked for."""
    flow = plan(
        "Analyze the sentiment and summarize the review in parallel, then create a ticket "
        "with both",
        demo,
    )

    ticket = tool_node(flow, "create_ticket")
    assert not isinstance(ticket, MapNode)
    assert "analyze_sentiment.sentiment" in ticket.inputs["body"]
    assert "summarize_text.summary" in ticket.inputs["body"]


@pytest.mark.parametrize(
    "prompt",
    [
        "Summarize this: 'Our Q3 revenue grew 12% while costs fell.' and send it to cfo@acme.io",
        'Summarize the following: "Our Q3 revenue grew 12% while costs fell."',
    ],
)
def test_a_quote_after_this_or_the_following_is_the_text_read(demo, prompt):
    flow = plan(prompt, demo)

    assert tool_node(flow, "summarize_text").inputs["text"] == (
        '"Our Q3 revenue grew 12% while costs fell."'
    )
    assert "text" not in (flow.input_schema or {}).get("properties", {})


# -- an approval with its own threshold under a condition --------------------------------


def branches(flow):
    return [n for n in flow.nodes if isinstance(n, BranchNode)]


@pytest.mark.parametrize(
    ("prompt", "condition", "threshold"),
    [
        (
            "Validate the order and check inventory. If everything is in stock, a manager "
            "must approve orders over 500, then charge the card.",
            "check_inventory.in_stock",
            "validate_order.subtotal > 500.0",
        ),
        (
            "Validate the order. If the order is valid, a manager approves it when the total "
            "is over 500, then charge the card.",
            "validate_order.valid",
            "validate_order.subtotal > 500.0",
        ),
    ],
)
def test_the_condition_decides_the_sentence_and_the_threshold_only_the_approval(
    demo, prompt, condition, threshold
):
    flow = plan(prompt, demo)

    (branch,) = branches(flow)
    approval = approval_of(flow)
    assert branch.condition == condition
    assert approval.when == threshold
    # the charge, after the approval, runs only on the branch's side (not when the
    # condition is false and the approval is skipped as not needed)
    assert {branch.id, approval.id} <= ancestors(flow, tool_node(flow, "process_payment").id)
    assert approval.id in branch.then


def test_what_follows_a_conditional_approval_is_kept_from_the_other_case(demo):
    flow = plan(
        "When an order comes in, validate it and check inventory. If everything is in stock, "
        "a manager must approve orders over 500, then charge the card, create the shipment "
        "and email the customer the tracking number. If something is out of stock, open a "
        "ticket for the warehouse.",
        demo,
    )

    in_stock, out_of_stock = branches(flow)
    assert in_stock.condition == "check_inventory.in_stock"
    assert out_of_stock.condition == "!check_inventory.in_stock"
    for tool in ("process_payment", "create_shipment", "send_email"):
        assert in_stock.id in ancestors(flow, tool_node(flow, tool).id), tool
    assert out_of_stock.id in ancestors(flow, tool_node(flow, "create_ticket").id)
    assert approval_of(flow).when == "validate_order.subtotal > 500.0"


def test_a_state_said_with_a_threshold_keeps_what_follows_the_approval_to_that_state(demo):
    flow = plan(
        "Validate the order. If it's valid and the subtotal is over 1000, get a manager's "
        "approval, then charge the card. If it's not valid, email the customer that the "
        "order was rejected.",
        demo,
    )

    approval = approval_of(flow)
    assert approval.when == "validate_order.valid && (validate_order.subtotal > 1000.0)"
    valid, invalid = branches(flow)
    assert valid.condition == "validate_order.valid"
    assert invalid.condition == "!validate_order.valid"
    # an invalid order is never charged: the charge is on the valid side, after the approval
    assert {valid.id, approval.id} <= ancestors(flow, tool_node(flow, "process_payment").id)
    assert invalid.id in ancestors(flow, tool_node(flow, "send_email").id)


# -- two approvers named together ---------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "groups"),
    [
        (
            "Get approval from both a manager and someone in finance before charging the card "
            "for the order.",
            [["managers"], ["finance"]],
        ),
        (
            "Get approval from a manager and from finance before charging the card.",
            [["managers"], ["finance"]],
        ),
        (
            "A manager and finance must both approve before we charge the card.",
            [["managers"], ["finance"]],
        ),
        (
            "Charge the card after a manager and the finance team approve it.",
            [["managers"], ["finance"]],
        ),
        ("Have legal and finance sign off, then charge the card.", [["legal"], ["finance"]]),
    ],
)
def test_two_approvers_named_together_each_approve_before_the_step(demo, prompt, groups):
    flow = plan(prompt, demo)

    approvals = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert [a.assignees.groups for a in approvals] == groups
    charge = tool_node(flow, "process_payment").id
    assert {a.id for a in approvals} <= ancestors(flow, charge)
    assert approvals[0].id in ancestors(flow, approvals[1].id)  # one, then the other


# -- what "the result", "characters" and "it" in the other case read -----------------------


def test_the_result_of_a_calculation_is_every_figure_it_made_not_its_one_text(demo):
    flow = plan(
        "Calculate tax on 250 EUR for Germany and email the result to accounting@example.com.",
        demo,
    )

    body = tool_node(flow, "send_email").inputs["body"]
    assert body != "calculate_tax.country"
    for field in ("tax", "total", "rate"):
        assert f"calculate_tax.{field}" in body, field


@pytest.mark.parametrize(
    ("prompt", "condition"),
    [
        (
            "Summarize the text and email the summary to ops@example.com if the summary is "
            "longer than 200 characters.",
            "size(summarize_text.summary) > 200.0",
        ),
        (
            "Fetch the page; if the text is shorter than 50 characters email ops@example.com "
            "that the page looks empty.",
            "size(fetch_url.text) < 50.0",
        ),
    ],
)
def test_a_length_in_characters_is_the_size_of_the_text(demo, prompt, condition):
    flow = plan(prompt, demo)

    (branch,) = branches(flow)
    assert branch.condition == condition


def test_it_in_the_other_case_is_not_what_the_first_case_made(demo):
    flow = plan(
        "Classify the message. If it's urgent, open a ticket, otherwise summarize it.", demo
    )

    (branch,) = branches(flow)
    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == [
        "classify_ticket",
        "create_ticket",
        "summarize_text",
    ]
    assert branch.else_ == ["summarize_text"]


@pytest.mark.parametrize(
    "prompt",
    [
        "Go through the signups and validate each email.",
        "Go through the signups, validate each email.",
        "Loop over the signups: validate the email and send the welcome email if it's valid.",
        "Go through the list of signups: validate the email and send the welcome email if "
        "it's valid.",
    ],
)
def test_going_through_the_things_named_is_a_loop_over_them(demo, prompt):
    flow = plan(prompt, demo)

    validate = tool_node(flow, "validate_email")
    assert isinstance(validate, MapNode)
    assert validate.items == "input.signups"
    assert validate.inputs["email"] == "item"
    if "welcome" in prompt:  # each valid one is welcomed, none of the others
        welcome = tool_node(flow, "send_welcome_email")
        assert isinstance(welcome, MapNode)
        assert welcome.items == "validate_email.filter(r, r.valid)"


def test_letting_an_address_know_is_a_message_to_it_not_the_step_before_sent_there(demo):
    flow = plan(
        "Validate their email. If it's valid, send them the welcome email and let "
        "sales@acme.com know about the new signup.",
        demo,
    )

    assert tool_node(flow, "send_welcome_email").inputs["email"] == "validate_email.email"
    assert tool_node(flow, "send_email").inputs["to"] == '"sales@acme.com"'


def test_counted_things_written_out_are_the_list_to_run_over(demo):
    flow = plan(
        "Fetch the two pages at https://a.example.com and https://b.example.com and "
        "summarize both.",
        demo,
    )

    fetch = tool_node(flow, "fetch_url")
    assert isinstance(fetch, MapNode)
    assert fetch.items == '["https://a.example.com", "https://b.example.com"]'
    assert fetch.inputs["url"] == "item"


def test_a_level_given_to_the_thing_just_made_is_a_value_of_that_step(demo):
    flow = plan("Open a ticket for the complaint and give it high priority.", demo)

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == ["create_ticket"]
    assert tool_node(flow, "create_ticket").inputs["priority"] == '"high"'


def test_a_level_given_afterwards_in_some_cases_is_refused_not_a_second_ticket(demo):
    error = refusal(
        "Classify the complaint and open a ticket; if it's about billing, give it high priority.",
        demo,
    )

    assert error.code == "unmapped_step"
    assert error.details["reason"] == "value_after_made"


def test_a_value_said_not_to_be_with_a_contraction_is_compared(demo):
    flow = plan("Validate the order. If the currency isn't USD, email finance@acme.com.", demo)

    (branch,) = branches(flow)
    assert branch.condition == 'validate_order.currency != "USD"'


def test_a_notice_in_the_other_case_says_that_case(demo):
    flow = plan(
        "Validate the email and, if it's valid, send a welcome email; otherwise notify "
        "admin@example.com.",
        demo,
    )

    notice = tool_node(flow, "send_email")
    assert notice.inputs["subject"] == '"Validate email: not valid"'


def test_a_summary_of_everything_a_loop_did_is_refused_not_made_of_the_run_input(demo):
    error = refusal(
        "For each order, validate it and then process the payment, and email a summary of "
        "all payments to finance@example.com.",
        demo,
    )

    assert error.details["reason"] == "results_not_text"


@pytest.mark.parametrize("role", ["shipping", "destination", "billing"])
def test_a_role_before_an_inputs_noun_is_no_value_of_it(demo, role):
    flow = plan(f"Calculate the tax on the amount for the {role} country.", demo)

    assert tool_node(flow, "calculate_tax").inputs["country"] == "input.country"


def test_a_route_said_without_its_verb_takes_the_verb_of_the_one_before(demo):
    flow = plan(
        "Classify the message. Billing questions go to a billing ticket, technical ones to a "
        "technical ticket with high priority, and everything else gets a reply by email.",
        demo,
    )

    tickets = [n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "create_ticket"]
    assert [t.inputs["category"] for t in tickets] == ['"billing"', '"technical"']
    # the high priority is the technical ticket's, not the billing one's
    assert [t.inputs["priority"] for t in tickets] == ["classify_ticket.priority", '"high"']
    assert [b.condition for b in branches(flow)] == [
        'classify_ticket.category == "billing"',
        'classify_ticket.category == "technical"',
        '!(classify_ticket.category == "billing") && !(classify_ticket.category == "technical")',
    ]


@pytest.mark.parametrize(
    "prompt",
    [
        "Grab the webpage, summarize it and analyze its sentiment, all in one email to "
        "me@example.com.",
        "Grab the webpage, summarize it and analyze its sentiment, and email them all to "
        "me@example.com.",
        "Grab the webpage, summarize it and analyze its sentiment, and email everything to "
        "me@example.com.",
    ],
)
def test_everything_sent_in_one_message_is_every_result_together(demo, prompt):
    flow = plan(prompt, demo)

    (email,) = [n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "send_email"]
    assert email.inputs["to"] == '"me@example.com"'
    assert "summarize_text.summary" in email.inputs["body"]
    assert "analyze_sentiment.sentiment" in email.inputs["body"]


def test_a_step_for_anything_in_a_state_runs_only_when_something_is(demo):
    flow = plan(
        "Check inventory for the items; for anything out of stock, email purchasing@acme.com "
        "the SKUs.",
        demo,
    )

    (branch,) = branches(flow)
    assert branch.condition == "!check_inventory.in_stock"
    assert branch.id in ancestors(flow, tool_node(flow, "send_email").id)


def test_both_results_of_a_loop_are_posted_to_a_channel():
    from tests.planner.registered import eval_catalog

    flow = plan(
        "Get the weather in Paris and Berlin and post both to #travel.",
        eval_catalog("registered.json"),
    )

    post = tool_node(flow, "post_slack_message")
    assert post.inputs["channel"] == '"#travel"'
    assert "get_weather" in post.inputs["text"]
    assert not post.inputs["text"].startswith("input.")


def test_what_a_search_is_for_is_its_query_not_a_step_it_asks_for():
    from tests.planner.registered import eval_catalog

    flow = plan(
        "Search the knowledge base for refund policy and post the best answer in #support.",
        eval_catalog("registered.json"),
    )

    tools = [n.tool for n in flow.nodes if isinstance(n, ToolNode)]
    assert tools == ["search_knowledge_base", "post_slack_message"]  # no refund
    assert tool_node(flow, "search_knowledge_base").inputs["query"] == '"refund policy"'
    post = tool_node(flow, "post_slack_message")
    assert post.inputs["text"] == "search_knowledge_base.best_answer"
    # what the run brings is still asked of the run
    flow = plan(
        "Search the knowledge base for the customer's question.", eval_catalog("registered.json")
    )
    assert tool_node(flow, "search_knowledge_base").inputs["query"] == "input.query"


def test_it_posted_in_a_case_is_what_the_case_tested():
    from tests.planner.registered import eval_catalog

    flow = plan(
        "Get the exchange rate from GBP to EUR; if it's above 1.2, post it to #treasury.",
        eval_catalog("registered.json"),
    )

    post = tool_node(flow, "post_slack_message")
    assert "get_exchange_rate.rate" in post.inputs["text"]


# -- ops: values a tool lists, said with spaces or an "un" ---------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        'Update the status page for the api component to "major outage".',
        "Check the api service health; if it's down, set the status page for api to major outage.",
    ],
)
def test_a_listed_value_said_in_words_picks_and_fills_the_tool_that_lists_it(prompt):
    from tests.planner.registered import eval_catalog

    flow = plan(prompt, eval_catalog("registered_ops.json"))

    update = tool_node(flow, "statuspage_update")  # not a fetch of a "page"
    assert update.inputs["status"] == '"major_outage"'
    assert update.inputs["component"] == '"api"'


def test_un_before_a_listed_value_is_any_other_value():
    from tests.planner.registered import eval_catalog

    flow = plan(
        "Check the health of the payments service; if it's unhealthy, restart it and page the "
        "on-call via PagerDuty.",
        eval_catalog("registered_ops.json"),
    )

    (branch,) = branches(flow)
    assert branch.condition == 'get_service_health.status != "healthy"'


def test_a_summary_of_what_a_step_returned_as_no_text_is_refused():
    from tests.planner.registered import eval_catalog

    error = refusal(
        "Get the recent errors for the checkout service and post a summary to #incidents.",
        eval_catalog("registered_ops.json"),
    )

    assert error.details["reason"] == "results_not_text"


def test_a_receipt_of_a_step_in_a_case_is_sent_in_that_case_unless_said_either_way(demo):
    flow = plan(
        "Validate the order. If it's valid, charge the card. Email the customer a receipt.", demo
    )

    (branch,) = branches(flow)
    assert branch.then == ["process_payment", "send_email"]  # no receipt for no charge
    assert "process_payment." in tool_node(flow, "send_email").inputs["body"]

    flow = plan(
        "Validate the order. If it's valid, charge the card. Either way, email the customer a "
        "receipt.",
        demo,
    )
    (branch,) = branches(flow)
    assert branch.then == ["process_payment"]  # "either way": after the case, in both


def test_creating_her_after_finding_a_contact_creates_the_contact_and_notes_as_typed():
    from tests.planner.registered import eval_catalog

    flow = plan(
        "Find the contact jane@acme.com in HubSpot; if she doesn't exist, create her, then "
        "add a note saying she attended the webinar.",
        eval_catalog("registered_round6_crm.json"),
    )

    tools = [n.tool for n in flow.nodes if isinstance(n, ToolNode)]
    assert tools == ["hubspot_find_contact", "hubspot_create_contact", "hubspot_add_note"]
    assert tool_node(flow, "hubspot_create_contact").inputs["email"] == '"jane@acme.com"'
    # what the note says is written as typed ("webinar" is no typo of a catalogue word)
    assert tool_node(flow, "hubspot_add_note").inputs["note"] == '"She attended the webinar"'


def test_each_new_thing_in_a_system_named_loops_over_what_it_lists():
    from tests.planner.registered import eval_catalog

    flow = plan(
        "For each new hire in Greenhouse, create their directory account and invite them to "
        "#general",
        eval_catalog("registered_round5_hr.json"),
    )

    for tool in ("jumpcloud_create_user", "slack_invite_to_channel"):
        step = tool_node(flow, tool)
        assert isinstance(step, MapNode), tool
        assert step.items == "greenhouse_list_new_hires.hires"
        assert step.inputs["email"] == "item.email"


def test_posting_to_a_channel_with_only_a_tool_that_invites_to_it_is_refused():
    from tests.planner.registered import eval_catalog

    catalog = eval_catalog("registered_round5_hr.json")
    error = refusal("Check out laptop asset A-100 to employee E-5 and post it in #it.", catalog)

    assert error.details["reason"] == "no_sender"
    # inviting someone to a channel is still that tool's step
    flow = plan("Invite ana@acme.com to #design.", catalog)
    assert tool_node(flow, "slack_invite_to_channel").inputs["channel"] == '"#design"'


def test_a_message_in_each_case_of_an_approval_goes_to_whom_each_case_names(demo):
    flow = plan(
        "Have the team lead approve the expense; if approved, email finance@acme.com; if "
        "rejected, email the employee the reason.",
        demo,
    )

    emails = [n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "send_email"]
    assert [e.inputs["to"] for e in emails] == ['"finance@acme.com"', "input.employee_email"]
    (branch,) = branches(flow)
    assert branch.condition == "!lead_approval.approved"
    assert branch.then == [emails[1].id]


@pytest.mark.parametrize(
    ("prompt", "approval", "subject"),
    [
        (
            "Have the team lead approve the expense. If rejected, email the employee the reason.",
            "lead_approval",
            "Your expense was not approved",
        ),
        (
            "Have a manager approve the refund. If rejected, email the customer why.",
            "manager_approval",
            "Your refund was not approved",
        ),
    ],
)
def test_the_reason_sent_when_an_approval_is_turned_down_is_the_approvers_comment(
    demo, prompt, approval, subject
):
    flow = plan(prompt, demo)

    email = tool_node(flow, "send_email")
    assert email.inputs["body"] == f'"Reason: " + {approval}.comment'
    assert email.inputs["subject"] == f'"{subject}"'


@pytest.mark.parametrize(
    ("prompt", "on_timeout"),
    [
        (
            "A manager must approve the refund within 24 hours, or it is approved "
            "automatically. Then email the customer.",
            "approve",
        ),
        (
            "A manager has 24 hours to approve the refund, otherwise it's automatically "
            "approved; then email the customer.",
            "approve",
        ),
        (
            "A manager must approve the refund within 24 hours, otherwise it's rejected. Then "
            "email the customer.",
            "reject",
        ),
    ],
)
def test_what_happens_when_nobody_answers_said_in_the_passive(demo, prompt, on_timeout):
    flow = plan(prompt, demo)

    approval = approval_of(flow)
    assert approval.timeout_s == 86400.0
    assert approval.on_timeout == on_timeout


def test_a_value_the_approver_chose_is_what_a_later_message_tells(demo):
    flow = plan(
        "Send the refund request to finance for approval and let them choose the refund "
        "amount. Then email the customer the amount approved.",
        demo,
    )

    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]  # one, not two
    assert list(approval.form_schema["properties"]) == ["refund_amount"]
    body = tool_node(flow, "send_email").inputs["body"]
    assert body == f'"Refund amount: %s".format([{approval.id}.data.refund_amount])'


def test_what_the_approver_should_confirm_is_a_field_of_the_form(demo):
    flow = plan(
        "Before shipping, someone from the warehouse team has to approve, and they should "
        "confirm the number of boxes.",
        demo,
    )

    approval = approval_of(flow)
    assert approval.form_schema["properties"] == {
        "number_of_boxes": {"type": "number", "title": "Number of boxes"}
    }
    assert approval.id in ancestors(flow, tool_node(flow, "create_shipment").id)


def test_retries_said_before_the_next_step_are_the_steps_own(demo):
    flow = plan(
        "Charge the card and, if it fails, retry up to 3 times before emailing the customer.",
        demo,
    )

    # as "..., then email the customer": the charge retried, then the email (no user
    # lookup planned for "emailing the customer", with the retries)
    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == [
        "process_payment",
        "send_email",
    ]
    assert tool_node(flow, "process_payment").retry.max_attempts == 4
    assert tool_node(flow, "send_email").retry is None
