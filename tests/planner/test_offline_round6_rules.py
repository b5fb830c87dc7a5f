"""Rules the sixth round of unseen requests asked for: the currency a charge is made in when
the flow already knows it, a refusal that names every step no tool does, values listed after
"each of these ...:", approvals said in other words, and what registered tools are told
(a quoted title or text, a proper name after an input's name, a post of what a step made)."""

from __future__ import annotations

import pytest

from flows.core.ir import ApprovalNode, BranchNode, MapNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import eval_catalog, steps


@pytest.mark.parametrize(
    ("prompt", "currency"),
    [
        ("Work out German VAT on the invoice amount and then charge the card for the total", "EUR"),
        (
            "Calculate tax for an order shipped to Ontario, Canada, then take payment for it",
            "CAD",
        ),
        ("Orders to Japan: calculate the tax on the amount, then charge the total", "JPY"),
        ("If the amount is more than £5,000 get finance to approve it, then charge it", "GBP"),
    ],
)
def test_a_charge_is_made_in_the_currency_the_flow_already_knows(demo, prompt, currency):
    assert steps(plan(prompt, demo))["process_payment"]["currency"] == f'"{currency}"'


def test_a_currency_is_not_guessed_when_nothing_says_one(demo):
    charge = steps(plan("Calculate the tax on the amount, then charge the total", demo))
    assert charge["process_payment"].get("currency") in (None, "input.currency")


def test_a_currency_is_only_told_to_a_step_that_charges_an_amount(demo):
    flow = plan("validate the order and if the total is over 1000 dollars charge the card", demo)
    assert "currency" not in steps(flow)["validate_order"]


@pytest.mark.parametrize(
    ("prompt", "named"),
    [
        ("translate the ticket into Spanish, then send it by SMS to the customer", "SMS"),
        ("Add the lead to Salesforce and book a demo call in their calendar", "scheduling"),
        ("refund the order, then fax the receipt, then validate the email", "fax"),
    ],
)
def test_a_refusal_names_every_step_no_tool_does(demo, prompt, named):
    error = refusal(prompt, demo)
    assert named.lower() in error.message.lower()
    assert error.details["also_unmapped"]


def test_adding_someone_to_payroll_is_refused_by_name(demo):
    error = refusal("Add the new starter to payroll and order them a laptop", demo)
    assert "payroll" in error.message


@pytest.mark.parametrize(
    "prompt",
    [
        "Email each of these prospects an intro: ann@acme.com, bob@globex.com, cara@initech.com",
        "Email each of ann@acme.com, bob@globex.com and cara@initech.com a short intro",
    ],
)
def test_each_of_the_listed_addresses_gets_its_own_email(demo, prompt):
    (send,) = [node for node in plan(prompt, demo).nodes if isinstance(node, MapNode)]
    assert send.tool == "send_email"
    assert send.inputs["to"] == "item"
    assert "cc" not in send.inputs
    assert "ann@acme.com" in send.items
    assert "cara@initech.com" in send.items


def test_the_steps_before_a_listed_loop_stay_out_of_it(demo):
    flow = plan("Validate the order, then email each of these people: a@x.com, b@y.com", demo)
    maps = {node.tool for node in flow.nodes if isinstance(node, MapNode)}
    assert maps == {"send_email"}


@pytest.mark.parametrize(
    ("prompt", "quorum"),
    [
        (
            "When a payment over $10k comes in, two people from finance need to approve it first",
            2,
        ),
        (
            "charge the card, but if the total is over 1000 dollars someone in finance must OK it",
            1,
        ),
    ],
)
def test_an_approval_said_in_other_words_names_finance(demo, prompt, quorum):
    (approval,) = [node for node in plan(prompt, demo).nodes if isinstance(node, ApprovalNode)]
    assert approval.assignees.groups == ["finance"]
    assert approval.quorum == quorum


def test_an_id_with_u_in_it_is_not_chat_for_you(demo):
    flow = plan("look up user u-77 and email their record to dataops@example.com", demo)
    assert steps(flow)["lookup_user"]["user_id"] == '"u-77"'
    assert "lookup_user" in steps(flow)["send_email"]["body"]


def test_registered_tools_take_quoted_titles_texts_and_proper_names():
    ops = eval_catalog("registered_round6_ops.json")
    paged = steps(plan("page on-call via PagerDuty for checkout saying 'Error rate above 5%'", ops))
    assert paged["pagerduty.trigger"]["summary"] == '"Error rate above 5%"'
    assert paged["pagerduty.trigger"]["service"] == '"checkout"'
    issue = steps(
        plan("Create a Jira issue in project OPS titled 'Disk full' and post it to #infra", ops)
    )
    assert issue["jira.create_issue"]["summary"] == '"Disk full"'
    assert "jira_create_issue" in issue["slack.post_message"]["text"]
    crm = eval_catalog("registered_round6_crm.json")
    bill = steps(plan("Create a bill for vendor Acme Supplies for 1,200 EUR due 2026-12-31", crm))
    assert bill["quickbooks_create_bill"]["vendor"] == '"Acme Supplies"'
    assert bill["quickbooks_create_bill"]["due_date"] == '"2026-12-31"'
    refund = steps(plan("Refund charge ch_9 because it was a duplicate", crm))
    assert refund["stripe_refund_charge"]["reason"] == '"duplicate"'


def test_create_them_after_a_lookup_by_email_creates_the_contact():
    crm = eval_catalog("registered_round6_crm.json")
    flow = plan("Look up the contact by email in HubSpot; if they don't exist, create them", crm)
    assert steps(flow)["hubspot_create_contact"]["email"] == "input.email"


def test_a_step_after_then_follows_the_listed_loop_once(demo):
    flow = plan(
        "Validate each of the following emails: a@x.com, b@y.com and c@z.com, "
        "then email me the invalid ones at me@x.com",
        demo,
    )
    maps = [node.tool for node in flow.nodes if isinstance(node, MapNode)]
    assert maps == ["validate_email"]
    assert "filter" in steps(flow)["send_email"]["body"]


@pytest.mark.parametrize(
    "prompt",
    [
        "tell the customer whether their shipment was created after shipping the order",
        "ship the order and tell the customer whether it worked",
    ],
)
def test_telling_whether_a_step_worked_sends_its_result(demo, prompt):
    sent = steps(plan(prompt, demo))["send_email"]
    assert sent["to"] == "input.customer_email"
    assert "create_shipment" in sent["body"]


def test_it_worked_after_a_step_with_no_yes_or_no_result_is_no_status_compare(demo):
    error = refusal("ship the order; if it worked, email the customer", demo)
    assert "it worked" in error.message
    flow = plan("charge the card; if it worked, ship the order", demo)
    (branch,) = [node for node in flow.nodes if isinstance(node, BranchNode)]
    assert branch.condition == "process_payment.approved"
