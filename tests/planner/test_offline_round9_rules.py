"""Rules the probes of s11 asked for: ids listed after a lookup's verb, "make sure" checks
that stay gates when a later step has its own "if not", "if both" after two checks, one
email with everything in it, a document named with words before it, the address a step
worked on sent "with the address", and the person a message goes to not copied in."""

from __future__ import annotations

import pytest

from flows.core.ir import ApprovalNode, BranchNode, MapNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import eval_catalog, steps

OPS = "registered_ops.json"


def _branches(flow) -> dict[str, BranchNode]:
    return {node.condition: node for node in flow.nodes if isinstance(node, BranchNode)}


@pytest.mark.parametrize(
    "prompt",
    [
        "look up u_3 and u_4 and email each of them",
        "look up users u_3 and u_4 and email them",
    ],
)
def test_ids_listed_for_a_lookup_by_id_or_email_are_one_lookup_each(demo, prompt):
    flow = plan(prompt, demo)
    loops = {node.tool: node for node in flow.nodes if isinstance(node, MapNode)}
    assert loops["lookup_user"].items == '["u_3", "u_4"]'
    assert loops["lookup_user"].inputs["user_id"] == "item"
    # each user found (and only those: the others have no address) at their own address
    assert loops["send_email"].items == "lookup_user.filter(r, r.found)"
    assert loops["send_email"].inputs["to"] == "item.user.email"


def test_make_sure_checks_stay_gates_when_the_payment_has_its_own_if_not(demo):
    flow = plan(
        "When an order is placed, make sure it's valid and in stock, then take payment. If "
        "payment goes through, ship it and email the tracking number; if not, tell the "
        "customer their card was declined.",
        demo,
    )
    branches = _branches(flow)
    # the card is charged only for a valid order in stock
    assert branches["!validate_order.valid"].else_ == ["check_inventory"]
    assert branches["!check_inventory.in_stock"].else_ == ["process_payment"]
    # "if not" is the payment's other outcome
    paid = branches["process_payment.approved"]
    assert set(paid.then) == {"create_shipment", "send_email"}
    assert paid.else_ == ["send_email_2"]


def test_if_not_right_after_a_make_sure_check_still_answers_it(demo):
    flow = plan(
        "Check that the email is valid, then send the welcome email. If it isn't, email "
        "support@acme.com.",
        demo,
    )
    branches = _branches(flow)
    assert branches["validate_email.valid"].then == ["send_welcome_email"]
    assert branches["!validate_email.valid"].then == ["send_email"]


@pytest.mark.parametrize("both", ["If both", "If both are true", "If both hold"])
def test_if_both_after_two_checks_is_both_holding(demo, both):
    flow = plan(
        "Check whether the customer's email is valid and whether they already have an "
        f"account. {both}, send the welcome email.",
        demo,
    )
    branch = _branches(flow)["validate_email.valid && lookup_user.found"]
    assert branch.then == ["send_welcome_email"]


def test_a_summary_and_a_tone_told_to_me_all_in_one_email_go_in_that_email(demo):
    flow = plan(
        "Grab the webpage, give me a short summary and tell me whether the tone is positive "
        "or negative, all in one email to me@example.com.",
        demo,
    )
    email = steps(flow)["send_email"]
    assert email["to"] == '"me@example.com"'
    assert "summarize_text.summary" in email["body"]
    assert "analyze_sentiment.sentiment" in email["body"]
    assert "cc" not in email  # the one asking reads it at that address
    assert [n.tool for n in flow.nodes if getattr(n, "tool", None) == "send_email"] == [
        "send_email"
    ]


@pytest.mark.parametrize(
    "prompt",
    [
        "Email the customer the tax invoice for order 5",
        "Email the client their final invoice for order 5",
    ],
)
def test_an_invoice_named_with_words_before_it_is_a_document_no_tool_makes(demo, prompt):
    error = refusal(prompt, demo)
    assert error.details["capability"].startswith("making a document")


def test_with_the_address_sends_the_address_the_check_worked_on(demo):
    flow = plan(
        "Validate the email; if it's invalid, email support@acme.com with the address.", demo
    )
    email = steps(flow)["send_email"]
    assert email["to"] == '"support@acme.com"'
    assert email["body"] == "validate_email.email"


def test_with_their_address_after_a_lookup_that_found_nobody_is_the_address_looked_up(demo):
    flow = plan(
        "Look up the user by email; if they're not found, email sales@acme.com with their "
        "email address.",
        demo,
    )
    # the user record is null when nobody was found: the address is the one looked up
    assert steps(flow)["send_email"]["body"] == steps(flow)["lookup_user"]["email"]


def test_with_their_address_after_a_lookup_by_id_is_the_address_found(demo):
    flow = plan(
        "Look up user u_5; if they're found, email ops@acme.com with their email address.",
        demo,
    )
    assert steps(flow)["send_email"]["body"] == "lookup_user.user.email"


@pytest.mark.parametrize(
    "prompt",
    [
        "Classify the ticket and if it's urgent, email the lead",
        "Open a ticket for the outage and notify the lead",
    ],
)
def test_the_person_a_message_goes_to_is_not_copied_in_as_well(demo, prompt):
    email = steps(plan(prompt, demo))["send_email"]
    assert email["to"] == "input.lead_email"
    assert "cc" not in email


def test_a_retry_said_of_a_declined_charge_is_refused_saying_how_to_say_it(demo):
    error = refusal(
        "Charge the card for the order; if the charge is declined, retry once, and if it "
        "still fails email the customer",
        demo,
    )
    assert error.details["reason"] == "retry_on_a_result"
    assert "retrying up to 3 times on errors" in error.message


@pytest.mark.parametrize(
    "prompt",
    [
        "Unless the email is disposable, send the welcome email to kim@x.io",
        "If the address is valid, send the welcome email to kim@x.io",
    ],
)
def test_a_check_said_before_its_step_checks_the_address_the_step_writes(demo, prompt):
    flow = plan(prompt, demo)
    assert steps(flow)["validate_email"]["email"] == '"kim@x.io"'
    assert steps(flow)["send_welcome_email"]["email"] == '"kim@x.io"'


def test_a_check_said_before_a_message_to_someone_does_not_check_their_address(demo):
    flow = plan("If the address is valid, email ops@acme.com", demo)
    assert steps(flow)["validate_email"]["email"] != '"ops@acme.com"'


@pytest.mark.parametrize(
    "prompt",
    [
        "Send the welcome email to a@x.io, b@y.io and c@z.io",
        "Send the welcome email to these people: a@x.io, b@y.io, c@z.io",
        "Send the welcome email to each of these: a@x.io, b@y.io, c@z.io",
    ],
)
def test_addresses_listed_for_a_sender_that_copies_no_one_are_one_message_each(demo, prompt):
    (loop,) = [node for node in plan(prompt, demo).nodes if isinstance(node, MapNode)]
    assert loop.tool == "send_welcome_email"
    assert loop.items == '["a@x.io", "b@y.io", "c@z.io"]'
    assert loop.inputs["email"] == "item"


def test_addresses_listed_for_a_sender_that_copies_go_to_the_first_and_copy_the_rest(demo):
    email = steps(plan("Email a@x.io and b@y.io the agenda", demo))["send_email"]
    assert email["to"] == '"a@x.io"'
    assert email["cc"] == '["b@y.io"]'


def test_links_listed_after_each_of_these_are_fetched_each(demo):
    flow = plan("Summarize each of these: https://a.com/x, https://b.com/y", demo)
    loops = {node.tool: node for node in flow.nodes if isinstance(node, MapNode)}
    assert loops["fetch_url"].items == '["https://a.com/x", "https://b.com/y"]'
    assert loops["summarize_text"].items == "fetch_url"


@pytest.mark.parametrize(
    "prompt",
    [
        "Charge order 14 $2,500; anything over $2,000 needs approval from finance first",
        "Charge order 14 $2,500. Anything over $2,000 needs the CFO's sign-off first.",
        "Charge order 14 $2,500; amounts above $2,000 must be approved by a manager",
        "Charge order 14 $2,500; anything above 2000 USD must be approved by a manager",
    ],
)
def test_an_amount_rule_said_after_a_charge_approves_the_charge_before_it_runs(demo, prompt):
    flow = plan(prompt, demo)
    (approval,) = [node for node in flow.nodes if isinstance(node, ApprovalNode)]
    assert approval.when == "2500.0 > 2000.0"  # the amount the charge writes
    order = [node.id for node in flow.nodes]
    assert order.index(approval.id) < order.index("process_payment")
    assert steps(flow)["process_payment"]["amount"] == "2500.0"


@pytest.mark.parametrize(
    ("prompt", "service"),
    [
        (
            "If the error rate of checkout is above 5%, roll back the last deploy and post to "
            "#incidents",
            "checkout",
        ),
        ("Check the health of search; if it's degraded, roll back the last deploy", "search"),
    ],
)
def test_a_service_named_by_what_is_measured_of_it_is_the_service(prompt, service):
    flow = plan(prompt, eval_catalog(OPS))
    assert steps(flow)["get-service-health"]["service"] == f'"{service}"'
    assert steps(flow)["rollback_deploy"]["service"] == f'"{service}"'


def test_texting_the_person_the_request_is_about_asks_for_their_phone_not_their_email():
    flow = plan(
        "Book patient P-55 with C-21 on 2027-03-01 at 09:30 unless their insurance doesn't "
        "cover it, and text them a confirmation",
        eval_catalog("registered_round8_clinic.json"),
    )
    assert steps(flow)["twilio_sms_send"]["to"] == "input.patient_phone"


def test_a_second_part_read_of_the_run_is_read_of_the_check_planned_for_the_first(demo):
    flow = plan(
        "Only if the sentiment is positive and the score is above 0.8, email "
        "marketing@acme.com the review",
        demo,
    )
    assert _branches(flow).keys() == {
        '(analyze_sentiment.sentiment == "positive") && (analyze_sentiment.score > 0.8)'
    }
    assert "score" not in flow.input_schema.get("properties", {})


@pytest.mark.parametrize(
    "prompt",
    [
        "Look up u_7; unless they're on the free plan, send them the welcome email",
        "Find u_7 and email them their plan",
    ],
)
def test_a_code_after_a_lookup_that_requires_no_input_is_its_id(demo, prompt):
    assert steps(plan(prompt, demo))["lookup_user"] == {"user_id": '"u_7"'}


@pytest.mark.parametrize(
    ("prompt", "catalog", "first"),
    [
        ("Charge order 5 $50 and ship it; a manager must approve first", None, "process_payment"),
        (
            "Validate order 5, charge it $50 and ship it. A manager must approve first.",
            None,
            "process_payment",
        ),
        (
            "Terminate employee E-12 and suspend their JumpCloud account; HR must approve first",
            "registered_round5_hr.json",
            "rippling_terminate_employee",
        ),
    ],
)
def test_an_approval_said_first_after_several_steps_goes_before_the_first_change(
    demo, prompt, catalog, first
):
    flow = plan(prompt, eval_catalog(catalog) if catalog else demo)
    (approval,) = [node for node in flow.nodes if isinstance(node, ApprovalNode)]
    by_id = {node.id: node for node in flow.nodes}
    assert by_id[first].after == [approval.id]  # nothing changes before it is approved


@pytest.mark.parametrize(
    "prompt",
    [
        "Email ops@acme.com if stock for the order runs out",
        "If we ran out of stock, email the customer",
    ],
)
def test_stock_that_runs_out_is_not_in_stock(demo, prompt):
    assert "!check_inventory.in_stock" in _branches(plan(prompt, demo))


def test_else_a_value_then_one_is_the_step_before_with_that_value(demo):
    flow = plan(
        "Look up the customer by email and if they're a pro user, open a high priority "
        "ticket, else a low priority one",
        demo,
    )
    tickets = [n for n in flow.nodes if getattr(n, "tool", None) == "create_ticket"]
    assert sorted(t.inputs["priority"] for t in tickets) == ['"high"', '"low"']
    assert not [n for n in flow.nodes if getattr(n, "tool", None) == "classify_ticket"]


@pytest.mark.parametrize(
    ("prompt", "condition"),
    [
        (
            "Fetch https://x.com/blog; if the page fails to load, email jo@x.io",
            "!(fetch_url.status_code < 400.0)",
        ),
        (
            "Email jo@x.io the summary of https://x.com/blog unless the page fails to load",
            "fetch_url.status_code < 400.0",
        ),
        (
            "Email jo@x.io the summary of https://x.com/blog if the page loads",
            "fetch_url.status_code < 400.0",
        ),
    ],
)
def test_a_page_that_fails_to_load_is_read_of_the_fetch_of_that_page(demo, prompt, condition):
    flow = plan(prompt, demo)
    assert list(_branches(flow)) == [condition]
    assert steps(flow)["fetch_url"]["url"] == '"https://x.com/blog"'
    assert "lookup_user" not in steps(flow)


@pytest.mark.parametrize(
    "prompt",
    [
        "Send the welcome email to pat@x.io unless they already have an account",
        "Unless they already have an account, send the welcome email to pat@x.io",
        "Send the welcome email to pat@x.io unless they are already a user",
    ],
)
def test_already_having_an_account_is_a_lookup_of_the_address_the_step_writes(demo, prompt):
    flow = plan(prompt, demo)
    assert list(_branches(flow)) == ["!lookup_user.found"]
    assert steps(flow)["lookup_user"] == {"email": '"pat@x.io"'}
    assert "classify_ticket" not in steps(flow)


@pytest.mark.parametrize(
    ("prompt", "told", "condition"),
    [
        (
            "Check if order 5 is valid; if it isn't, don't charge it and email the customer why",
            "send_email",
            "!validate_order.valid",
        ),
        (
            "Validate the email. If it's disposable, don't send the welcome email and notify "
            "security@acme.com.",
            "send_email",
            "validate_email.disposable",
        ),
    ],
)
def test_a_message_joined_to_a_step_not_done_is_sent_when_the_condition_holds(
    demo, prompt, told, condition
):
    branches = _branches(plan(prompt, demo))
    assert branches[condition].then == [told]


@pytest.mark.parametrize(
    "prompt",
    [
        "Charge order 11 $80; if the payment is declined twice, email billing@acme.com",
        "Fetch https://x.com; if it fails 3 times in a row, email ops@acme.com",
    ],
)
def test_an_outcome_counted_over_several_runs_is_refused(demo, prompt):
    error = refusal(prompt, demo)
    assert error.details["reason"] == "counted_outcome"


@pytest.mark.parametrize(
    ("prompt", "catalog", "condition"),
    [
        (
            "Validate order 4 and if it's over $500, email a@x.io",
            None,
            "validate_order.subtotal > 500.0",
        ),
        (
            "Convert €300 to USD and, if it's over $320, post to #finance",
            "registered_round6_crm.json",
            "fx_convert.converted > 320.0",
        ),
    ],
)
def test_an_amount_said_of_it_is_the_one_amount_the_step_before_returns(
    demo, prompt, catalog, condition
):
    flow = plan(prompt, eval_catalog(catalog) if catalog else demo)
    assert list(_branches(flow)) == [condition]
    assert "amount" not in flow.input_schema.get("properties", {})
