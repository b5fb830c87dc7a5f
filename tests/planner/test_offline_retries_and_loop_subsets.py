"""The offline planner on a step said after retries that still waits on the failure, on
some items of a loop said in its first step, and on codes said as data ("SKU ABC-1")."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.graph import build_graph
from flows.core.ir import BranchNode, MapNode, ToolNode
from flows.core.planner.execution import failure_after_retries
from tests.planner.offline_plans import plan, refusal


def node_of(flow, tool):
    return next(n for n in flow.nodes if isinstance(n, (ToolNode, MapNode)) and n.tool == tool)


def under_a_branch(flow, node_id):
    branches = {n.id for n in flow.nodes if isinstance(n, BranchNode)}
    return bool(branches & build_graph(flow).ancestors(node_id))


@pytest.fixture(scope="module")
def shop():
    """The demo tools plus the shop, HR and content tools of evals/planner/registered_shop.json."""
    from flows.core.planner.evaluation import _WithRegistered, load_cases
    from tools_registry.catalog import default_catalog

    path = Path(__file__).resolve().parents[2] / "evals" / "planner" / "registered_shop.json"
    return _WithRegistered(default_catalog(), load_cases(path)[0].registered)


def test_retries_then_a_step_said_with_and_then_keep_the_failure_as_its_condition():
    assert (
        failure_after_retries(
            "Charge the card; if the payment fails, retry twice and then email the customer."
        )
        == "Charge the card; retry twice, then if the payment fails, email the customer."
    )
    # ", then" after the retries is a step of its own, whatever the outcome
    said = "Fetch the URL; if it fails, retry 3 times, then email the owner."
    assert failure_after_retries(said) == said


def test_the_email_after_the_retries_runs_only_when_the_payment_failed(demo):
    flow = plan(
        "Charge the card; if the payment fails, retry twice and then email the customer.", demo
    )

    payment = node_of(flow, "process_payment")
    email = node_of(flow, "send_email")
    assert payment.retry is not None
    assert payment.retry.max_attempts == 3
    assert not under_a_branch(flow, payment.id)
    assert under_a_branch(flow, email.id)
    branch = next(n for n in flow.nodes if isinstance(n, BranchNode))
    assert "process_payment" in branch.condition


@pytest.mark.parametrize(
    "prompt",
    [
        "Validate each contact's email and send the invalid ones to sales@acme.com",
        "For each contact, validate their email and send the invalid ones to sales@acme.com",
    ],
)
def test_the_invalid_ones_of_a_loop_are_sent_on_their_own(demo, prompt):
    flow = plan(prompt, demo)

    validate = node_of(flow, "validate_email")
    send = node_of(flow, "send_email")
    assert isinstance(validate, MapNode)
    assert isinstance(send, MapNode)
    assert send.items == "validate_email.filter(r, !r.valid)"
    assert send.inputs["to"] == '"sales@acme.com"'


@pytest.mark.parametrize(
    "prompt",
    [
        "validate each of the emails in the list and send a welcome email to the valid ones",
        "Validate every address in the input, then welcome the valid ones",
    ],
)
def test_the_valid_ones_of_a_list_are_welcomed_in_the_loop(demo, prompt):
    flow = plan(prompt, demo)

    welcome = node_of(flow, "send_welcome_email")
    assert isinstance(node_of(flow, "validate_email"), MapNode)
    assert isinstance(welcome, MapNode)
    assert welcome.items == "validate_email.filter(r, r.valid)"
    assert welcome.inputs["email"] == "item.email"


def test_a_kind_routed_outside_a_loop_is_still_a_condition(demo):
    flow = plan("Classify the ticket and route billing ones to finance@acme.com", demo)

    assert under_a_branch(flow, node_of(flow, "send_email").id)


def test_a_sku_looked_up_goes_to_the_tool_that_knows_skus(shop):
    flow = plan("Look up SKU ABC-1 in the warehouse", shop)

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == ["warehouse_stock_level"]
    assert node_of(flow, "warehouse_stock_level").inputs["sku"] == '"ABC-1"'


def test_a_sku_code_is_not_named_as_the_unknown_thing(demo):
    error = refusal("Look up SKU ABC-1 in the warehouse", demo)

    assert error.details["phrase"] == "warehouse"
    assert "abc" not in error.message.lower().replace("abc-1", "")


@pytest.fixture(scope="module")
def ops():
    """The demo tools plus the incident tools of evals/planner/registered_ops.json."""
    from flows.core.planner.evaluation import _WithRegistered, load_cases
    from tools_registry.catalog import default_catalog

    path = Path(__file__).resolve().parents[2] / "evals" / "planner" / "registered_ops.json"
    return _WithRegistered(default_catalog(), load_cases(path)[0].registered)


def test_a_state_the_status_never_takes_is_refused_naming_the_ones_it_does(ops):
    error = refusal(
        "Check the shipment status for tracking 1Z999; if it's delayed, post in #logistics.", ops
    )

    assert error.code == "unmapped_condition"
    assert error.details["not_returned"] is True
    assert error.details["tool"] == "get_shipment_status"
    assert "in_transit" in error.message
    assert "'delayed' is not a status" in error.message


def test_a_state_the_status_takes_is_a_condition(ops):
    flow = plan(
        "Check the shipment status for tracking 1Z999; if it was returned, open a Jira issue "
        "in LOG.",
        ops,
    )

    branch = next(n for n in flow.nodes if isinstance(n, BranchNode))
    assert branch.condition == 'get_shipment_status.status == "returned"'


def test_which_items_of_a_loop_are_out_of_stock_is_one_message_listing_them(demo):
    flow = plan(
        "For each order, check stock and tell me which orders are out of stock by email to "
        "ops@acme.com.",
        demo,
    )

    email = node_of(flow, "send_email")
    assert isinstance(email, ToolNode)
    assert email.inputs["body"].startswith("check_inventory.filter(r, !r.in_stock)")
    assert "l.sku" in email.inputs["body"]
    assert email.inputs["subject"] == '"Orders that are out of stock"'


def test_an_approval_a_condition_on_the_step_gates_leaves_the_steps_after_it_unconditional(demo):
    flow = plan(
        "If the order ships abroad, get a manager's approval before creating the shipment, then "
        "email the customer the tracking number.",
        demo,
    )

    assert not any(isinstance(n, BranchNode) for n in flow.nodes)
    approval = next(n for n in flow.nodes if n.type == "approval")
    assert approval.when is not None
    shipment = node_of(flow, "create_shipment")
    assert shipment.when is None
    assert approval.id in build_graph(flow).ancestors(shipment.id)
    assert node_of(flow, "send_email").inputs["body"] == "create_shipment.tracking_number"


def test_an_approval_before_a_step_the_condition_does_not_speak_of_gates_the_step_too(demo):
    flow = plan(
        "If the review is negative, ask my manager to approve before we open a ticket and email "
        "the customer.",
        demo,
    )

    assert under_a_branch(flow, node_of(flow, "create_ticket").id)
    assert under_a_branch(flow, node_of(flow, "send_email").id)


@pytest.fixture(scope="module")
def crm():
    """The demo tools plus the CRM and invoicing tools of evals/planner/registered_crm.json."""
    from flows.core.planner.evaluation import _WithRegistered, load_cases
    from tools_registry.catalog import default_catalog

    path = Path(__file__).resolve().parents[2] / "evals" / "planner" / "registered_crm.json"
    return _WithRegistered(default_catalog(), load_cases(path)[0].registered)


def test_a_plain_verb_picks_the_tool_whose_id_says_it_among_those_on_one_object(crm):
    flow = plan("Get invoice inv_77", crm)

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == ["InvoiceGet"]
    assert node_of(flow, "InvoiceGet").inputs["invoice_id"] == '"inv_77"'


def test_a_number_said_before_what_it_counts_compares_the_step_output(shop):
    flow = plan(
        "Check stock for SKU TSHIRT-M and if fewer than 10 are available, email "
        "purchasing@shop.com.",
        shop,
    )

    branch = next(n for n in flow.nodes if isinstance(n, BranchNode))
    assert branch.condition == "warehouse_stock_level.available < 10.0"
    assert "amount" not in flow.input_schema.get("properties", {})


def test_things_one_verb_is_said_of_listed_with_commas_are_each_a_step(shop):
    flow = plan(
        "Create her BambooHR record, her Google Workspace account, and order her a MacBook Pro.",
        shop,
    )

    tools = [n.tool for n in flow.nodes if isinstance(n, ToolNode)]
    assert tools == ["bamboohr_create_employee", "gworkspace_create_user", "order_laptop"]
    laptop = node_of(flow, "order_laptop")
    assert laptop.inputs["model"] == '"macbook_pro"'
    assert laptop.inputs["employee_id"] == "bamboohr_create_employee.employee_id"


def test_a_listed_value_of_several_words_written_out_is_the_inputs_value(ops):
    flow = plan(
        "check health of payments-api; if degraded update the status page component payments "
        "to degraded performance",
        ops,
    )

    assert node_of(flow, "statuspage_update").inputs["status"] == '"degraded_performance"'


def test_a_step_said_as_a_gerund_is_titled_by_its_verb(demo):
    flow = plan(
        "If the order ships abroad, get approval from the ops manager before creating the "
        "shipment.",
        demo,
    )

    assert flow.name == "Approve and create shipment"


def test_an_on_call_alerting_tool_pages_and_via_its_name_is_no_priority(ops):
    flow = plan(
        "Page the on-call team via Opsgenie with priority P1 saying the database is unreachable.",
        ops,
    )

    alert = node_of(flow, "opsgenie_alert")
    assert alert.inputs["priority"] == '"P1"'
    assert alert.inputs["message"] == '"The database is unreachable"'


def test_it_after_a_step_that_made_a_thing_goes_to_the_tool_named_for_that_thing(crm):
    flow = plan("Create an invoice for customer cus_9 for 1200 and email it to them.", crm)

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == [
        "InvoiceCreate",
        "InvoiceSend",
    ]
    assert node_of(flow, "InvoiceSend").inputs["invoice_id"] == "invoicecreate.invoice_id"


def test_it_said_in_what_a_message_says_is_no_object_of_the_step(demo):
    flow = plan("Open a ticket for the message and email the customer that we got it.", demo)

    assert "send_email" in [n.tool for n in flow.nodes if isinstance(n, ToolNode)]


def test_the_name_of_a_sheet_asks_nothing_of_the_tool_that_stores_there(shop):
    from flows.core.planner.wording import missing_capability

    spec = shop.get("sheets_append_row").spec

    assert missing_capability("append its id to sheet refunds", spec) is None
    assert missing_capability("refund the order and append it to the sheet", spec) is not None


def test_a_loop_over_only_the_items_that_failed_is_refused_not_run_over_all(demo):
    # "every order that failed validation" is some of the orders: a ticket for each of
    # them all would be wrong in silence
    error = refusal("create a ticket for every order that failed validation", demo)

    assert error.details["reason"] == "filtered_loop"
    assert "every order that failed" in error.message


@pytest.mark.parametrize(
    "prompt",
    [
        "validate the email of each signup and tell me how many were invalid",
        "for each email in the list, validate it and tell me how many are invalid",
    ],
)
def test_how_many_of_a_loop_are_so_is_one_message_counting_them(demo, prompt):
    from flows.core.expressions import evaluate

    flow = plan(prompt, demo)

    send = node_of(flow, "send_email")
    assert isinstance(send, ToolNode)  # one message after the loop, not one per item
    results = [{"valid": False}, {"valid": True}, {"valid": False}]
    body = evaluate(send.inputs["body"], {"validate_email": results})
    assert body.startswith("2 of 3 ")
    assert body.endswith(" are invalid")


def test_pages_listed_after_each_of_these_without_a_colon_are_the_loop(demo):
    flow = plan(
        "fetch each of these pages https://a.example.com, https://b.example.com and email "
        "ops@acme.io how many are down",
        demo,
    )

    fetch = node_of(flow, "fetch_url")
    assert isinstance(fetch, MapNode)
    assert fetch.items == '["https://a.example.com", "https://b.example.com"]'
    assert isinstance(node_of(flow, "send_email"), ToolNode)
