"""Rules the twenty-fifth blind round asked for (`requests_round26.json`,
`registered_round26_*.json`: a Shippo-style shipping API, a BambooHR-style HR API with an SMS
tool and a Mailchimp-style marketing API an admin registers): each test states a request the
planner got wrong before its rule (in other words than the round's), and what it plans now."""

from __future__ import annotations

import pytest

from flows.core.ir import ApprovalNode, MapNode
from tests.planner.offline_plans import plan
from tests.planner.registered import eval_catalog, steps

SHIPPING = "registered_round26_shipping.json"
HR = "registered_round26_hr.json"
MARKETING = "registered_round26_marketing.json"


def test_codes_fitting_an_ids_pattern_listed_are_one_call_each():
    # "refund the labels txn_a1, txn_b2 and txn_c3" refunded the first only: the step calls
    # them labels, the id is `transaction_id` (pattern ^txn_[a-z0-9]+$)
    for prompt in ("please refund txn_9f and txn_8e", "refund these: txn_k1, txn_k2, and txn_k3"):
        flow = plan(prompt, eval_catalog(SHIPPING))
        (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
        assert loop.tool == "shippo_refund_request"
        assert loop.inputs["transaction_id"] == "item"


def test_an_input_named_then_set_to_words_in_capitals():
    # "change 4012's job title to Senior Engineer" asked the run for the title
    flow = plan("set the job title of employee 7001 to Staff Designer", eval_catalog(HR))
    assert steps(flow)["bamboo_job_title_update"]["job_title"] == '"Staff Designer"'
    flow = plan("update 7002's title to VP of Marketing", eval_catalog(HR))
    assert steps(flow)["bamboo_job_title_update"]["job_title"] == '"VP of Marketing"'


def test_what_follows_as_fills_the_input_named_by_the_tools_verb():
    # "tag dev@zx.io as VIP in audience a1b2c3d4e5" asked the run for the tag
    flow = plan("tag lee@zx.io as Early Adopter in a1b2c3d4e5", eval_catalog(MARKETING))
    assert steps(flow)["mailchimp_member_tag"]["tag"] == '"Early Adopter"'
    assert steps(flow)["mailchimp_member_tag"]["email_address"] == '"lee@zx.io"'


def test_a_number_an_ids_description_calls_a_number_fills_it():
    # "request sick leave for 5150 from ..." and "change 4012's job title": the employee
    # number ("Employee number") was asked of the run
    flow = plan("request personal time for 8123 from 2027-02-01 to 2027-02-02", eval_catalog(HR))
    assert steps(flow)["bamboo_timeoff_request"]["employee_id"] == '"8123"'
    flow = plan("change 7310's job title to Data Lead", eval_catalog(HR))
    assert steps(flow)["bamboo_job_title_update"]["employee_id"] == '"7310"'


def test_asking_someone_before_with_no_but_is_an_approval_and_no_note():
    # ", ask my manager before" left "my manager must it first" in the step and its note
    flow = plan(
        "request vacation for 8123 from 2027-03-01 to 2027-03-05, ask my manager first",
        eval_catalog(HR),
    )
    assert any(isinstance(node, ApprovalNode) for node in flow.nodes)
    assert "note" not in steps(flow)["bamboo_timeoff_request"]


def test_a_tool_named_by_a_question_answers_it():
    # "who's out today?" was refused: scored too low, then read as a change
    for prompt in ("who's out on 2026-12-24?", "who is out today?"):
        flow = plan(prompt, eval_catalog(HR))
        assert "bamboo_whos_out" in steps(flow)


def test_a_question_stays_with_the_reader_that_tells_it():
    # "what's the job title of employee 4012?" went to the tool that changes job titles
    # (the head of "job title" is a word of its id), then was refused as a question to it
    for prompt in (
        "what is the job title of employee 5521?",
        "what's the job title of employee 77?",
    ):
        flow = plan(prompt, eval_catalog(HR))
        assert "bamboo_job_title_update" not in steps(flow)
        assert "bamboo_employee_get" in steps(flow)


def test_a_value_its_inputs_pattern_refuses_is_refused():
    # "buy $500 of shipping insurance for 794644790138" bought a label with that number as
    # its `rate_id` (pattern ^rate_[a-z0-9]+$)
    for prompt in ("buy $200 of insurance for 9400111899", "buy extra coverage for 794644790138"):
        with pytest.raises(AssertionError, match="pattern"):
            plan(prompt, eval_catalog(SHIPPING))
    flow = plan("buy a label for rate_77ab", eval_catalog(SHIPPING))
    assert steps(flow)["shippo_label_buy"]["rate_id"] == '"rate_77ab"'


def test_a_street_line_input_takes_the_street_written_up_to_its_comma():
    # "is 215 Clayton St, San Francisco, CA 94117, US a valid address?" asked the run for
    # the `street1`
    flow = plan(
        "check whether 1600 Amphitheatre Parkway, Mountain View, CA 94043, US is a valid address",
        eval_catalog(SHIPPING),
    )
    inputs = steps(flow)["shippo_address_validate"]
    assert inputs["street1"] == '"1600 Amphitheatre Parkway"'
    assert inputs["city"] == '"Mountain View"'
    assert inputs["zip"] == '"94043"'


def test_a_persons_address_told_by_a_field_whose_description_names_them():
    # "email his manager" asked the run for `manager_email` though the HR reader returns a
    # `supervisor_email` described as "The employee's manager's email" (and the demo user
    # lookup, with no manager, read the address)
    flow = plan(
        "look up kai@acme.com and email his manager that he starts monday", eval_catalog(HR)
    )
    assert steps(flow)["send_email"]["to"] == "bamboo_employee_get.supervisor_email"
    flow = plan("look up sam@acme.com and email their manager that it shipped", eval_catalog(HR))
    assert steps(flow)["send_email"]["to"] == "bamboo_employee_get.supervisor_email"


def test_a_text_to_someones_manager_never_goes_to_the_number_of_the_one_read():
    # "look up leo@acme.com and text his manager ..." texted no one it could know (and, with
    # the reader above, would have texted Leo's own mobile)
    with pytest.raises(AssertionError, match="manager"):
        plan("look up kai@acme.com and text his manager that he is late", eval_catalog(HR))
    flow = plan("look up employee 4012 and text them: your badge is ready", eval_catalog(HR))
    assert steps(flow)["twilio_sms_send"]["to"] == "bamboo_employee_get.mobile_phone"


def test_a_readers_whole_name_said_as_what_a_message_sends_is_read_first():
    # "email the list of who is out today to frontdesk@acme.com" sent a body asked of the run
    flow = plan("send ops@acme.com the names of who's out today", eval_catalog(HR))
    assert "bamboo_whos_out" in steps(flow)["send_email"]["body"]
    flow = plan("email the list of who is out to desk@acme.com", eval_catalog(HR))
    assert "bamboo_whos_out" in steps(flow)["send_email"]["body"]


def test_a_step_said_as_a_tools_description_says_it_when_nothing_scores():
    # "add ana@zx.io, bo@zx.io and cy@zx.io to list a1b2c3d4e5" scored too low for
    # "Add or resubscribe an email address to an audience (list)"
    flow = plan("add kim@zx.io to audience a1b2c3d4e5", eval_catalog(MARKETING))
    assert steps(flow)["mailchimp_member_subscribe"]["email_address"] == '"kim@zx.io"'
    flow = plan("please add jo@zx.io and al@zx.io to list f0f0f0f0f0", eval_catalog(MARKETING))
    (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert loop.tool == "mailchimp_member_subscribe"


def test_a_state_checked_before_where_goes_to_the_reader_that_lists_it():
    # "is lu@zx.io still subscribed to a1b2c3d4e5?" went to the tool that subscribes: the
    # state read was "subscribed to a1b2c3d4e5", which no output lists
    flow = plan("check whether max@zx.io is unsubscribed from a1b2c3d4e5", eval_catalog(MARKETING))
    assert "mailchimp_member_get" in steps(flow)
    assert "mailchimp_member_unsubscribe" not in steps(flow)


def test_a_verb_a_description_leads_with_picks_the_tool():
    # "..., if not, resubscribe them" scored too low for "Add or resubscribe an email ..."
    flow = plan("resubscribe pat@zx.io to a1b2c3d4e5", eval_catalog(MARKETING))
    assert steps(flow)["mailchimp_member_subscribe"]["email_address"] == '"pat@zx.io"'


def test_a_value_listed_otherwise_is_not_wired_into_an_input_that_lists_fewer():
    # the member's status ("unsubscribed", "cleaned", ...) was wired into the subscribe
    # tool's `status` (subscribed or pending)
    flow = plan(
        "is lu@zx.io still subscribed to a1b2c3d4e5? if not, resubscribe them",
        eval_catalog(MARKETING),
    )
    assert "status" not in steps(flow)["mailchimp_member_subscribe"]


def test_a_code_in_the_shape_of_an_inputs_example_fills_it():
    # "still subscribed to a1b2c3d4e5" asked the run for the `list_id` ("Audience id, e.g.
    # a1b2c3d4e5"): a code of the same letters-and-digits shape is that input's
    flow = plan("is sam@zx.io still subscribed to f9e8d7c6b5?", eval_catalog(MARKETING))
    assert steps(flow)["mailchimp_member_get"]["list_id"] == '"f9e8d7c6b5"'
