"""The offline planner on a quoted message that holds commas or 'and then' (one message,
not more steps), a text sent to a phone number rather than an email address, 'email the
customer' when a step before tells their address, 'if it does' after a check, a tool that
says the step's own verb ranking above a look-alike, values written after an input's
name, and requests no tool can do refused rather than mapped to a tool that shares a
word with them."""

from __future__ import annotations

import json

import pytest

from flows.core.ir import BranchNode, MapNode, ToolNode
from tests.planner.offline_plans import refusal
from tests.planner.registered import demo_catalog_with, eval_catalog, plan, steps


def _tools(flow) -> list[str]:
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)]


@pytest.mark.parametrize(
    "message",
    ["Your account, finally, is ready", "Bad address; please check it and then retry."],
)
def test_a_quoted_message_is_one_message_whatever_it_holds(message):
    flow = plan(
        f'Look up user u_42 and if they exist, email them "{message}"',
        eval_catalog("registered.json"),
    )
    assert sorted(_tools(flow)) == ["lookup_user", "send_email"]
    assert steps(flow)["send_email"]["body"] == json.dumps(message)


def test_a_text_to_that_number_goes_to_the_number_written():
    flow = plan(
        "Look up the patient by phone +44 7700 900456. If they're not found, text that number "
        '"We couldn\'t find your booking, please call us".',
        eval_catalog("registered_round4.json"),
    )
    sms = steps(flow)["twilio_sms_send"]
    assert sms["to"] == '"+44 7700 900456"'
    assert sms["body"] == '"We couldn\'t find your booking, please call us"'
    assert "cliniko_book_appointment" not in _tools(flow)


def test_a_text_to_them_goes_to_their_phone_not_their_email():
    flow = plan(
        "find the patient by email and text them 'your results are ready'",
        eval_catalog("registered_round4.json"),
    )
    assert steps(flow)["twilio_sms_send"]["to"] == "cliniko_find_patient.phone"


def test_email_the_customer_sends_to_the_address_a_step_returned():
    flow = plan(
        "get conversation C-17 and email the customer a summary of their last message",
        eval_catalog("registered_round4_ops.json"),
    )
    assert steps(flow)["send_email"]["to"] == "intercom_get_conversation.customer_email"
    assert "customer_email" not in flow.input_schema.get("properties", {})


def test_email_each_student_in_a_loop_sends_to_the_items_address():
    flow = plan(
        "grade every submission of assignment ESSAY1 in course ENG-10 and email each student "
        "their score",
        eval_catalog("registered_round4.json"),
    )
    said = steps(flow)
    assert said["send_email"]["to"] == "item.student_email"
    assert said["canvas_list_submissions"] == {
        "course_id": '"ENG-10"',
        "assignment_id": '"ESSAY1"',
    }


def test_if_it_does_after_a_check_is_the_check_passing():
    flow = plan("check the stock and if it does, charge the card", eval_catalog("registered.json"))
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "check_inventory.in_stock"
    assert branch.then == ["process_payment"]


def test_a_tool_that_says_the_verb_ranks_above_a_look_alike():
    flow = plan(
        "Add jane@shop.io to list L-NEWS with first name Jane",
        eval_catalog("registered_round4_ops.json"),
    )
    assert steps(flow) == {
        "klaviyo_subscribe": {
            "list_id": '"L-NEWS"',
            "email": '"jane@shop.io"',
            "first_name": '"Jane"',
        }
    }


def test_values_written_after_an_inputs_name_and_in_iso_form():
    flow = plan(
        "pull the GA4 report from 2026-01-01 to 2026-01-31 and reconcile ACC-7 for period 2026-01",
        demo_catalog_with(
            [
                *(
                    spec
                    for spec in eval_catalog("registered_round4_ops.json").specs()
                    if spec.id == "ga4_report"
                ),
                *(
                    spec
                    for spec in eval_catalog("registered_round4.json").specs()
                    if spec.id == "bank_reconcile_account"
                ),
            ]
        ),
    )
    said = steps(flow)
    assert said["ga4_report"] == {"start_date": '"2026-01-01"', "end_date": '"2026-01-31"'}
    assert said["bank_reconcile_account"] == {"account_id": '"ACC-7"', "period": '"2026-01"'}


def test_a_channel_name_is_never_corrected_as_a_typo():
    flow = plan("post the deploy result in #sre", eval_catalog("registered_round4_ops.json"))
    assert steps(flow)["slack_chat_post"]["channel"] == '"#sre"'


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        ("Raise the rent for every tenant at PR-3 by 5%", "raise the rent"),
        ("Refund the patient's co-pay for appointment APT-5", "refund"),
        ("Pay the landlord's invoice through the bank", "paying someone"),
    ],
)
def test_a_step_no_tool_does_is_refused_not_mapped_to_a_look_alike(prompt, said):
    error = refusal(prompt, eval_catalog("registered_round4.json"))
    assert said in error.message


def test_a_code_after_the_verb_is_the_tools_one_id_and_a_camelcase_value_is_said_in_words():
    flow = plan(
        'track 1Z999AA10123456784 and if it\'s out for delivery post "Arriving today" to '
        "#deliveries",
        eval_catalog("registered_round4_ops.json"),
    )
    said = steps(flow)
    assert said["aftership_track"] == {"tracking_number": '"1Z999AA10123456784"'}
    assert said["slack_chat_post"]["text"] == '"Arriving today"'
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == 'aftership_track.tag == "OutForDelivery"'


def test_codes_listed_after_the_ids_noun_are_one_call_each():
    flow = plan("pause campaign G-12 and G-13", eval_catalog("registered_round4_ops.json"))
    (node,) = [n for n in flow.nodes if isinstance(n, MapNode)]
    assert json.loads(node.items) == ["G-12", "G-13"]
    assert node.inputs == {"campaign_id": "item"}


@pytest.mark.parametrize(
    "prompt",
    [
        "validate the email \u2014 if it's valid, send a welcome email",
        "validate the email - if it's valid, send a welcome email",
    ],
)
def test_a_dash_before_a_condition_parts_the_steps(prompt):
    flow = plan(prompt, eval_catalog("registered.json"))
    assert _tools(flow) == ["validate_email", "send_welcome_email"]
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.then == ["send_welcome_email"]


def test_a_quoted_text_is_what_a_reading_step_reads():
    flow = plan(
        'Give me the sentiment of "I love it, but the delivery was slow"',
        eval_catalog("registered.json"),
    )
    assert steps(flow)["analyze_sentiment"] == {"text": '"I love it, but the delivery was slow"'}
    assert "text" not in flow.input_schema.get("properties", {})


@pytest.mark.parametrize(("said", "expression"), [("are", "> 0"), ("are no", "== 0")])
def test_there_are_some_of_a_kind_reads_the_count_a_step_returns(said, expression):
    flow = plan(
        f"Reconcile bank account ACC-1 for period 2026-02; if there {said} unmatched "
        "transactions, email the controller at c@acme.io",
        eval_catalog("registered_round4.json"),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == f"bank_reconcile_account.unmatched_count {expression}"
