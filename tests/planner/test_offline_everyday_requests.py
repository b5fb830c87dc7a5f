"""The offline planner on everyday requests over the demo catalogue: the order words put
steps in, checks of a state, pronouns, conditions said in passing, and who gets a message."""

from __future__ import annotations

import pytest

from flows.core.graph import build_graph
from flows.core.ir import BranchNode, MapNode, ToolNode
from tests.planner.offline_plans import plan, refusal


def tools(flow):
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)]


def node_of(flow, tool, nth=0):
    return [n for n in flow.nodes if getattr(n, "tool", None) == tool][nth]


def comes_before(flow, first, second):
    graph = build_graph(flow)
    return node_of(flow, first).id in graph.ancestors(node_of(flow, second).id)


def branches(flow):
    return [node for node in flow.nodes if isinstance(node, BranchNode)]


@pytest.mark.parametrize(
    ("prompt", "first", "then"),
    [
        (
            "Before charging the card, make sure the order is valid.",
            "validate_order",
            "process_payment",
        ),
        ("Before shipping, validate the order.", "validate_order", "create_shipment"),
        (
            "Make sure the order is in stock before we ship it.",
            "check_inventory",
            "create_shipment",
        ),
        ("Email the customer after we ship the order.", "create_shipment", "send_email"),
    ],
)
def test_before_and_after_put_the_steps_in_the_order_they_say(demo, prompt, first, then):
    flow = plan(prompt, demo)

    assert sorted(tools(flow)) == sorted([first, then])
    assert comes_before(flow, first, then)


def test_a_check_of_a_state_is_the_tool_that_tells_the_state(demo):
    flow = plan("Make sure the order is in stock, then ship it.", demo)

    assert tools(flow) == ["check_inventory", "create_shipment"]


@pytest.mark.parametrize(
    ("prompt", "condition", "guarded"),
    [
        (
            "Look up the user by their email; if we can't find them, create a ticket.",
            "!lookup_user.found",
            "create_ticket",
        ),
        (
            "- validate the email\n- look up the user\n- if not found, send the welcome email",
            "!lookup_user.found",
            "send_welcome_email",
        ),
        (
            "Check if the user is active. If they are suspended, email the admin.",
            "!lookup_user.user.active",
            "send_email",
        ),
        (
            "Validate the email, and if it has a suggestion, email the user.",
            "validate_email.suggestion != null",
            "send_email",
        ),
        (
            "Validate the order; if there are any errors, open a ticket.",
            "size(validate_order.errors) > 0",
            "create_ticket",
        ),
        (
            "Validate the email. If it has no suggestion, send the welcome email.",
            "validate_email.suggestion == null",
            "send_welcome_email",
        ),
    ],
)
def test_a_condition_said_in_passing_reads_the_field_that_decides_it(
    demo, prompt, condition, guarded
):
    flow = plan(prompt, demo)

    (branch,) = branches(flow)
    assert branch.condition == condition
    assert node_of(flow, guarded).id in branch.then


def test_one_stands_for_the_thing_last_spoken_of(demo):
    flow = plan(
        "Look up the user and, if their plan is enterprise, create an urgent ticket; "
        "otherwise create a normal one.",
        demo,
    )

    assert tools(flow) == ["lookup_user", "create_ticket", "create_ticket"]
    (branch,) = branches(flow)
    assert branch.else_ == [node_of(flow, "create_ticket", 1).id]


def test_a_loop_item_feeds_a_tool_whose_inputs_are_all_optional(demo):
    flow = plan("For each user in the list, look them up and send them a welcome email.", demo)

    lookup = node_of(flow, "lookup_user")
    assert isinstance(lookup, MapNode)
    assert lookup.inputs == {"user_id": "item"}
    assert "user_id" not in flow.input_schema["properties"]


def test_a_welcome_email_to_someone_else_goes_to_their_address(demo):
    flow = plan("Send a welcome email to the admin.", demo)

    assert node_of(flow, "send_welcome_email").inputs["email"] == "input.admin_email"
    assert "email" not in flow.input_schema["properties"]


@pytest.mark.parametrize(
    ("prompt", "to"),
    [
        (
            "Check the sentiment of the review and notify them by email if it's negative.",
            "input.customer_email",
        ),
        ("Look at the user's message, analyze it and email them.", "input.user_email"),
        (
            "Summarize the text and analyze its sentiment, then email both to the editor.",
            "input.editor_email",
        ),
    ],
)
def test_who_a_message_goes_to_is_named_after_them(demo, prompt, to):
    flow = plan(prompt, demo)

    assert node_of(flow, "send_email").inputs["to"] == to
    assert "to" not in flow.input_schema["properties"]


def test_a_second_message_does_not_read_the_first_ones_subject(demo):
    flow = plan(
        "Send the customer an email confirming their order, then send a second email to "
        "the warehouse with the shipping details.",
        demo,
    )

    second = node_of(flow, "send_email", 1)
    assert second.inputs["to"] == "input.warehouse_email"
    assert not any("send_email." in value for value in second.inputs.values())


def test_looking_at_the_message_takes_in_the_request(demo):
    flow = plan("Look at the user's message, analyze it and email them.", demo)

    assert tools(flow) == ["analyze_sentiment", "send_email"]


def test_logging_a_ticket_opens_one_and_logging_elsewhere_is_still_refused(demo):
    flow = plan("Classify the message and log a support ticket with the category.", demo)

    assert tools(flow) == ["classify_ticket", "create_ticket"]
    error = refusal("Classify the message and log the result to a spreadsheet.", demo)
    assert error.code == "unmapped_step"
    assert "log" in error.step.lower()


@pytest.mark.parametrize(
    ("prompt", "phrase"),
    [
        ("Remind all users who haven't paid.", "all users who haven't paid"),
        ("Validate each email in the list and email me the ones that failed.", "the ones"),
    ],
)
def test_a_step_on_only_some_of_the_items_is_refused(demo, prompt, phrase):
    error = refusal(prompt, demo)

    assert error.code == "unmapped_step"
    assert error.details["reason"] == "filtered_loop"
    assert error.details["phrase"] == phrase


def test_a_step_that_says_one_leaves_the_loop_even_after_and(demo):
    flow = plan("For each order, validate it and create one ticket with the results.", demo)

    assert isinstance(node_of(flow, "validate_order"), MapNode)
    assert isinstance(node_of(flow, "create_ticket"), ToolNode)


def test_each_one_is_the_item_of_the_loop_already_running(demo):
    flow = plan("For each order, validate it and create a ticket for each one.", demo)

    ticket = node_of(flow, "create_ticket")
    assert isinstance(ticket, MapNode)
    assert ticket.items == "input.orders"
    assert "ones" not in flow.input_schema["properties"]


def test_every_ticket_that_comes_in_is_the_trigger_not_a_loop(demo):
    flow = plan("Classify every ticket that comes in.", demo)

    assert isinstance(node_of(flow, "classify_ticket"), ToolNode)


def test_send_me_one_email_goes_to_me(demo):
    flow = plan("For each review in the batch, analyze the sentiment and send me one email.", demo)

    assert node_of(flow, "send_email").inputs["to"] == "input.my_email"


def test_a_detail_after_a_trailing_condition_belongs_to_the_step(demo):
    flow = plan(
        "Charge the card. Email support@acme.io if the payment fails, with the decline "
        "reason in the body.",
        demo,
    )

    (branch,) = branches(flow)
    assert branch.condition == "!process_payment.approved"
    assert node_of(flow, "send_email").inputs["body"] == "process_payment.reason"
    # without a payment step, nothing decides it: refused, not checked by another tool
    error = refusal("Email support@acme.io if the payment fails, with the reason.", demo)
    assert error.code == "unmapped_condition"


@pytest.mark.parametrize(
    ("prompt", "body"),
    [
        (
            "Create the shipment and email the customer the tracking number.",
            "create_shipment.tracking_number",
        ),
        ("Look up the customer and email them their plan.", "lookup_user.user.plan"),
    ],
)
def test_what_a_message_is_told_to_say_is_its_body(demo, prompt, body):
    flow = plan(prompt, demo)

    assert node_of(flow, "send_email").inputs["body"] == body


def test_an_aside_in_a_condition_says_what_it_means(demo):
    flow = plan(
        "Get the web page, and if the request failed (status code 500 or higher), create a ticket.",
        demo,
    )

    (branch,) = branches(flow)
    assert branch.condition.startswith("fetch_url.status_code >= 500")


def test_taking_in_the_incoming_support_email_is_the_request(demo):
    flow = plan(
        "Take the incoming support email, work out how the customer feels, and if they're "
        "angry create an urgent ticket.",
        demo,
    )

    assert tools(flow) == ["analyze_sentiment", "create_ticket"]


def test_once_after_the_step_is_a_condition_or_the_trigger_not_an_approval(demo):
    alone = plan("Send the customer a confirmation email once the payment is approved.", demo)
    assert [node.type for node in alone.nodes] == ["tool"]

    charged = plan(
        "Charge the card and send the customer a confirmation email once the payment is approved.",
        demo,
    )
    (branch,) = branches(charged)
    assert node_of(charged, "send_email").id in branch.then
    assert not [node for node in charged.nodes if node.type == "approval"]


@pytest.mark.parametrize(
    ("prompt", "tool", "items"),
    [
        (
            "For each url in the input list, fetch the page with a 20 second timeout.",
            "fetch_url",
            "input.urls",
        ),
        ("Validate all the orders in the batch.", "validate_order", "input.orders"),
    ],
)
def test_a_loop_over_a_named_list_is_one_map(demo, prompt, tool, items):
    flow = plan(prompt, demo)

    assert tools(flow) == [tool]
    assert isinstance(flow.nodes[0], MapNode)
    assert flow.nodes[0].items == items


def test_a_condition_only_a_step_in_the_arm_can_decide_nests_in_it(demo):
    flow = plan(
        "Validate the email. If valid, look up the user. If they don't exist, send the "
        "welcome email.",
        demo,
    )

    outer, inner = branches(flow)
    assert outer.condition == "validate_email.valid"
    assert inner.id in outer.then
    assert inner.condition == "!lookup_user.found"
    assert node_of(flow, "send_welcome_email").id in inner.then


@pytest.mark.parametrize(
    ("prompt", "condition"),
    [
        ("Summarize the text; if the summary is empty, email me.", 'summarize_text.summary == ""'),
        (
            "Validate the order; if the errors are empty, charge the card.",
            "size(validate_order.errors) == 0",
        ),
    ],
)
def test_empty_is_a_test_of_the_field_it_names(demo, prompt, condition):
    (branch,) = branches(plan(prompt, demo))

    assert branch.condition == condition


def test_for_some_ones_is_a_condition_and_a_question_is_asked_of_a_tool_that_tells(demo):
    flow = plan(
        "Figure out how urgent the ticket is; for urgent ones, get a manager to sign off, "
        "then create the ticket.",
        demo,
    )

    assert tools(flow) == ["classify_ticket", "create_ticket"]
    approval = next(node for node in flow.nodes if node.type == "approval")
    assert approval.when == 'classify_ticket.priority == "urgent"'
    assert comes_before(flow, "classify_ticket", "create_ticket")


def test_a_routing_said_of_the_thing_becomes_conditions(demo):
    flow = plan(
        "Analyze the customer's feedback. Negative feedback should become a high-priority "
        "ticket; positive feedback gets a thank-you email.",
        demo,
    )

    assert tools(flow) == ["analyze_sentiment", "create_ticket", "send_email"]
    first, second = branches(flow)
    assert first.condition == 'analyze_sentiment.sentiment == "negative"'
    assert second.condition == 'analyze_sentiment.sentiment == "positive"'
    assert node_of(flow, "send_email").inputs["to"] == "input.customer_email"


def test_the_rest_of_a_routing_is_the_else_arm(demo):
    flow = plan(
        "Run a sentiment analysis on the message and route it: negative goes to a ticket, "
        "anything else gets an email reply.",
        demo,
    )

    (branch,) = branches(flow)
    assert branch.then == [node_of(flow, "create_ticket").id]
    assert branch.else_ == [node_of(flow, "send_email").id]


@pytest.mark.parametrize(
    ("prompt", "tool"),
    [
        ("New users get a welcome email.", "send_welcome_email"),
        ("Every order gets a confirmation email.", "send_email"),
    ],
)
def test_who_gets_a_message_is_who_it_is_sent_to(demo, prompt, tool):
    flow = plan(prompt, demo)

    assert tools(flow) == [tool]
    assert isinstance(flow.nodes[0], ToolNode)


def test_who_a_message_copies_goes_into_cc_or_is_refused_without_one(demo):
    flow = plan("Email the customer and cc the account manager.", demo)

    send = node_of(flow, "send_email")
    assert send.inputs["to"] == "input.customer_email"
    assert send.inputs["cc"] == "[input.account_manager_email]"
    assert tools(flow) == ["send_email"]

    error = refusal("Send a welcome email to the new user, and cc the account manager.", demo)
    assert error.code == "unmapped_step"
    assert error.details["phrase"] == "cc"
    assert error.details["closest"] == "send_welcome_email"


@pytest.mark.parametrize(
    ("prompt", "condition"),
    [
        (
            "Validate the order and check inventory in parallel, then charge the card if both "
            "pass.",
            "validate_order.valid && check_inventory.in_stock",
        ),
        (
            "Validate the order and check the stock; if both fail, email me.",
            "!validate_order.valid && !check_inventory.in_stock",
        ),
    ],
)
def test_both_reads_the_outcome_of_each_of_the_two_steps(demo, prompt, condition):
    (branch,) = branches(plan(prompt, demo))

    assert branch.condition == condition


def test_a_title_sentence_is_not_a_step(demo):
    flow = plan(
        "New signup flow. First validate the email address. Then send the welcome email.", demo
    )

    assert tools(flow) == ["validate_email", "send_welcome_email"]


def test_the_valid_ones_without_a_loop_is_the_one_of_the_run(demo):
    flow = plan(
        "Hey! Could you set up something that checks new signups' emails and greets the "
        "valid ones?",
        demo,
    )

    (branch,) = branches(flow)
    assert branch.condition == "validate_email.valid"
    assert node_of(flow, "send_welcome_email").id in branch.then


def test_i_need_a_workflow_colon_leads_the_request(demo):
    flow = plan(
        "I need a workflow: when a customer writes in, figure out what the issue is about, "
        "open a ticket for it, and let the customer know we got it.",
        demo,
    )

    assert tools(flow) == ["classify_ticket", "create_ticket", "send_email"]


def test_should_anything_be_missing_is_a_condition(demo):
    flow = plan(
        "Check the inventory and, should anything be missing, alert the warehouse team by email.",
        demo,
    )

    (branch,) = branches(flow)
    assert branch.condition == "!check_inventory.in_stock"


def test_both_before_two_objects_plans_both(demo):
    flow = plan("Verify both the email and the order, then charge the card.", demo)

    assert tools(flow) == ["validate_email", "validate_order", "process_payment"]


def test_dont_after_a_comma_is_a_step_not_the_conditions_verb(demo):
    flow = plan("In case the email is disposable, don't send the welcome email.", demo)

    (branch,) = branches(flow)
    assert branch.condition == "!validate_email.disposable"


def test_the_answer_to_find_out_whether_is_the_checks_verdict(demo):
    flow = plan(
        "Find out whether the email is deliverable; if it's not, email the sales rep.", demo
    )

    (branch,) = branches(flow)
    assert branch.condition == "!validate_email.valid"
    assert node_of(flow, "send_email").inputs["to"] == "input.sales_rep_email"


def test_stop_and_do_something_does_it_before_stopping_and_gates_the_rest(demo):
    flow = plan(
        "Validate the order. If the order is invalid, stop and email the customer the errors. "
        "Charge the card.",
        demo,
    )

    first, stop = branches(flow)
    assert first.condition == stop.condition == "!validate_order.valid"
    assert node_of(flow, "send_email").id in first.then
    assert stop.else_ == [node_of(flow, "process_payment").id]


def test_before_we_do_x_puts_x_after_everything_the_request_asks(demo):
    flow = plan(
        "Before we charge anything, validate the order. If the order is invalid, stop.", demo
    )

    assert tools(flow) == ["validate_order", "process_payment"]
    (stop,) = branches(flow)
    assert stop.else_ == [node_of(flow, "process_payment").id]


@pytest.mark.parametrize(
    "prompt",
    [
        "If the amount is under 100, skip the approval. Otherwise get a manager to approve "
        "it. Then charge the card.",
        "If the amount is under 100, skip the manager approval, otherwise require it. Then "
        "charge the card.",
    ],
)
def test_skipping_an_approval_under_a_condition_asks_for_it_otherwise(demo, prompt):
    flow = plan(prompt, demo)

    (approval,) = [node for node in flow.nodes if node.type == "approval"]
    assert approval.when == "!(input.amount < 100.0)"
    assert approval.assignees.groups == ["managers"]
    assert tools(flow) == ["process_payment"]


def test_a_step_on_rejection_runs_when_the_approval_is_rejected(demo):
    flow = plan(
        "Get approval from legal. If they approve, create the shipment. If they reject it, "
        "email the customer.",
        demo,
    )

    (approval,) = [node for node in flow.nodes if node.type == "approval"]
    assert approval.on_reject == "continue"
    assert node_of(flow, "create_shipment").when == f"{approval.id}.approved"
    (branch,) = branches(flow)
    assert branch.condition == f"!{approval.id}.approved"
    assert branch.then == [node_of(flow, "send_email").id]
    assert node_of(flow, "create_shipment").id not in build_graph(flow).ancestors(branch.id)


def test_a_part_led_by_to_is_part_of_the_message_step(demo):
    flow = plan(
        "Send an email to the customer and to the sales team with the summary of the text.",
        demo,
    )

    assert tools(flow) == ["summarize_text", "send_email"]
    assert node_of(flow, "send_email").inputs["cc"] == "[input.sales_team_email]"


def test_a_tool_that_takes_the_list_is_called_once_and_the_head_noun_breaks_a_tie(demo):
    flow = plan(
        "Take the order, check stock for every line, and if any SKU is unavailable, open a "
        "shipping ticket with the unavailable SKUs.",
        demo,
    )

    assert tools(flow) == ["check_inventory", "create_ticket"]
    assert isinstance(node_of(flow, "check_inventory"), ToolNode)
    (branch,) = branches(flow)
    assert branch.condition == "!check_inventory.in_stock"
    assert node_of(flow, "create_ticket").inputs["category"] == '"shipping"'


@pytest.mark.parametrize(
    ("prompt", "condition", "guarded"),
    [
        (
            "Look up the customer by their id and make sure their account is active before "
            "shipping their order.",
            "lookup_user.user.active",
            "create_shipment",
        ),
        (
            "Before charging the card, make sure the order is valid and everything is in stock.",
            "validate_order.valid && check_inventory.in_stock",
            "process_payment",
        ),
        (
            "Make sure the email isn't disposable before sending the welcome email.",
            "!validate_email.disposable",
            "send_welcome_email",
        ),
    ],
)
def test_what_a_step_makes_sure_of_before_another_guards_it(demo, prompt, condition, guarded):
    flow = plan(prompt, demo)

    (branch,) = branches(flow)
    assert branch.condition == condition
    assert node_of(flow, guarded).id in branch.then


def test_a_step_done_by_email_sends_and_where_it_goes_is_not_its_body(demo):
    flow = plan("Classify the message, then route it to the team it belongs to by email.", demo)

    assert tools(flow) == ["classify_ticket", "send_email"]
    send = node_of(flow, "send_email")
    assert send.inputs["to"] == "input.team_email"
    assert send.inputs["body"] == "input.text"


def test_if_x_send_nothing_after_a_step_guards_that_step(demo):
    flow = plan(
        "Validate the email and greet the user by name; if the email is invalid, send nothing.",
        demo,
    )

    assert tools(flow) == ["validate_email", "send_welcome_email"]
    (branch,) = branches(flow)
    assert branch.condition == "validate_email.valid"
    assert node_of(flow, "send_welcome_email").id in branch.then
    # the step that decides it is not guarded by it
    flow = plan(
        "Validate the email, look up the user. If they exist, do nothing; otherwise send the "
        "welcome email.",
        demo,
    )
    (branch,) = branches(flow)
    assert node_of(flow, "lookup_user").id not in branch.then


def test_a_summary_a_record_has_is_not_made_from_a_text(demo):
    assert tools(plan("Email the customer the order summary.", demo)) == ["send_email"]
    assert tools(plan("Email me the text summary.", demo)) == ["summarize_text", "send_email"]


def test_retry_the_named_step_and_a_check_of_its_output_reads_it(demo):
    flow = plan(
        "Retry the page fetch up to 5 times, then check the status code; if it's 404, open a "
        "ticket.",
        demo,
    )

    assert tools(flow) == ["fetch_url", "create_ticket"]
    assert node_of(flow, "fetch_url").retry.max_attempts == 6
    (branch,) = branches(flow)
    assert branch.condition == "fetch_url.status_code == 404"


def test_good_ones_get_it_and_bad_ones_get_nothing(demo):
    flow = plan(
        "Whenever someone fills in the signup form, check their email. Good emails get the "
        "welcome email; bad ones get nothing.",
        demo,
    )

    assert tools(flow) == ["validate_email", "send_welcome_email"]
    (branch,) = branches(flow)
    assert branch.condition == "validate_email.valid"


def test_on_success_and_on_failure_are_conditions(demo):
    flow = plan(
        "Process the payment for the order. On success, create a shipment; on failure, open "
        "a billing ticket.",
        demo,
    )

    # one branch on the charge: the failure is its other case
    [branch] = branches(flow)
    assert branch.condition == "process_payment.approved"
    assert branch.then == [node_of(flow, "create_shipment").id]
    assert branch.else_ == [node_of(flow, "create_ticket").id]


def test_once_a_step_decides_part_of_it_is_a_condition_not_the_trigger(demo):
    # the part no step tells (stock) is checked first by the tool that tells it
    both = plan("Validate the order, and once it's valid and in stock, ship it with UPS.", demo)
    (branch,) = branches(both)
    assert branch.condition == "(validate_order.valid) && (check_inventory.in_stock)"
    assert branch.then == [node_of(both, "create_shipment").id]
    flow = plan("Validate the order, and once it's valid, ship it with UPS.", demo)
    (branch,) = branches(flow)
    assert branch.condition == "validate_order.valid"


@pytest.mark.parametrize(
    "prompt",
    [
        "Charge the card; if the decline code is insufficient_funds, email the customer.",
        "Charge the card. If it was declined for insufficient funds, email the customer.",
    ],
)
def test_an_enum_value_of_a_field_that_may_be_null_is_read(demo, prompt):
    (branch,) = branches(plan(prompt, demo))

    assert branch.condition == 'process_payment.decline_code == "insufficient_funds"'


def test_real_is_a_word_for_valid(demo):
    flow = plan(
        "After a user registers, we want to make sure their address is real, then greet "
        "them by name.",
        demo,
    )

    assert tools(flow) == ["validate_email", "send_welcome_email"]


@pytest.mark.parametrize(
    "prompt",
    [
        "Classify the message, and if it's urgent create a ticket for the support team.",
        "Classify the ticket and assign it by creating a ticket with that team.",
    ],
)
def test_whom_a_ticket_is_for_is_not_what_it_says(demo, prompt):
    flow = plan(prompt, demo)

    assert node_of(flow, "create_ticket").inputs["body"] != "classify_ticket.team"


@pytest.mark.parametrize(
    ("prompt", "planned"),
    [
        ("Validate the email; if it's disposable, reject it, otherwise send a welcome email.",
         ["validate_email", "send_welcome_email"]),
        ("Validate the email. If it's disposable, reject it and email security@acme.io; "
         "otherwise send a welcome email.", ["validate_email", "send_email", "send_welcome_email"]),
    ],
)  # fmt: skip
def test_reject_it_in_an_arm_turns_it_away_with_no_step_of_its_own(demo, prompt, planned):
    flow = plan(prompt, demo)

    assert tools(flow) == planned
    (branch,) = branches(flow)
    assert "validate_email.disposable" in branch.condition
    assert node_of(flow, "send_welcome_email").id in (branch.then + branch.else_)


@pytest.mark.parametrize(
    ("prompt", "planned"),
    [
        ("A new support email comes in. Summarize it.", ["summarize_text"]),
        ("An order is placed. Validate it and charge the card.",
         ["validate_order", "process_payment"]),
    ],
)  # fmt: skip
def test_a_sentence_saying_what_arrives_is_the_trigger_of_the_next(demo, prompt, planned):
    assert tools(plan(prompt, demo)) == planned


def test_a_reply_is_an_email_to_the_one_who_wrote(demo):
    flow = plan("Reply to the customer with a thank-you note.", demo)
    assert tools(flow) == ["send_email"]
    assert "reply_to" not in node_of(flow, "send_email").inputs

    flow = plan(
        "Summarize the message. If the customer is angry, open a ticket; otherwise just reply "
        "with the summary.",
        demo,
    )
    (branch,) = branches(flow)
    assert branch.else_ == [node_of(flow, "send_email").id]
    assert node_of(flow, "send_email").inputs["body"] == "summarize_text.summary"


@pytest.mark.parametrize(
    "prompt",
    [
        "Fetch the pages and summarize each one.",
        "Fetch each page in the list and summarize each one.",
        "Fetch the pages in the list and summarize each of them.",
    ],
)
def test_each_one_after_a_list_loops_over_what_the_step_before_made(demo, prompt):
    flow = plan(prompt, demo)

    fetch, summarize = (node_of(flow, tool) for tool in ("fetch_url", "summarize_text"))
    assert isinstance(fetch, MapNode)
    assert isinstance(summarize, MapNode)
    assert fetch.items.startswith("input.")
    assert summarize.items == fetch.id
    assert summarize.inputs["text"] == "item.text"


@pytest.mark.parametrize(
    ("prompt", "condition"),
    [
        ("If the temperature is above 30, email me.", "input.temperature > 30.0"),
        ("If the order is over 500, email finance.", "input.amount > 500.0"),
    ],
)
def test_a_number_no_step_gives_is_a_run_input_named_after_it(demo, prompt, condition):
    (branch,) = branches(plan(prompt, demo))
    assert branch.condition == condition


@pytest.mark.parametrize(
    ("prompt", "condition", "guarded"),
    [
        ("Look up the user. If they're new, send a welcome email.",
         "!lookup_user.found", "send_welcome_email"),
        ("Look up the user to make sure they're new, and send a welcome email.",
         "!lookup_user.found", "send_welcome_email"),
        ("Check the inventory to make sure everything is in stock, then create the shipment.",
         "check_inventory.in_stock", "create_shipment"),
    ],
)  # fmt: skip
def test_what_a_step_makes_sure_of_guards_the_steps_after_it(demo, prompt, condition, guarded):
    flow = plan(prompt, demo)

    (branch,) = branches(flow)
    assert branch.condition == condition
    assert branch.then == [node_of(flow, guarded).id]


def test_skip_anyone_whose_state_is_the_step_guarded_by_its_opposite(demo):
    flow = plan(
        "Send a welcome email to every new subscriber, but skip anyone whose email address "
        "is invalid.",
        demo,
    )

    (branch,) = branches(flow)
    assert branch.condition == "validate_email.valid"
    assert branch.then == [node_of(flow, "send_welcome_email").id]


def test_a_step_named_in_a_condition_is_not_read_from_another_step(demo):
    # the welcome email may not have run, so nothing says whether it failed: refused, not
    # the lookup's `found`
    error = refusal(
        "Look up the user to make sure they're new, and send them a welcome email. If the "
        "welcome email fails, create a ticket for the support team.",
        demo,
    )
    assert error.code == "unmapped_condition"
    assert "welcome email fails" in error.message
    # a step the condition names and reads is kept
    (branch,) = branches(plan("Charge the card. If the payment fails, email the customer.", demo))
    assert branch.condition == "!process_payment.approved"
