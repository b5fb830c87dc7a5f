"""The offline planner over tools registered for incidents and returns: a value written
beside an input's name or after "for" (the cpu metric for api), the same tool twice with
its own values side by side, a level asked for under another name that the tool's list
lacks (refused), a count of units, a tool whose id ends in the words the step says
together, and a step on only the customers of whom something holds (refused)."""

from __future__ import annotations

import pytest

from flows.core.ir import ApprovalNode, MapNode, ToolNode
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.session import plan_flow
from flows.core.tools import ToolConfig, ToolSpec
from tests.planner.registered import demo_catalog_with, eval_catalog, plan
from tests.planner.tools import S, _obj

N = {"type": "integer"}

METRIC = ToolSpec(
    id="datadog_query_metric",
    name="Datadog: query metric",
    description="Read the current value of a metric for a service over the last minutes.",
    input_schema=_obj(["metric", "service"], metric=S, service=S, window_minutes=N),
    output_schema=_obj([], value={"type": "number"}),
    config=ToolConfig(cacheable=True),
)
INCIDENT = ToolSpec(
    id="pagerduty_create_incident",
    name="PagerDuty: create incident",
    description="Open an incident that pages the on-call engineer.",
    input_schema=_obj(
        ["service", "title"],
        service=S,
        title=S,
        urgency={"type": "string", "enum": ["high", "low"]},
    ),
    output_schema=_obj([], incident_id=S),
)
SCALE = ToolSpec(
    id="k8s_scale_deployment",
    name="Kubernetes: scale deployment",
    description="Scale a deployment to a number of replicas.",
    input_schema=_obj(["deployment", "replicas"], deployment=S, namespace=S, replicas=N),
    output_schema=_obj([], ready_replicas=N),
)
RETURN_LABEL = ToolSpec(
    id="easypost_return_label",
    name="EasyPost: return label",
    description="Create a prepaid return shipping label for an order.",
    input_schema=_obj(
        ["order_id"], order_id=S, carrier={"type": "string", "enum": ["usps", "ups"]}
    ),
    output_schema=_obj([], label_url=S, tracking_number=S),
)
RESTOCK = ToolSpec(
    id="inventory_restock",
    name="Inventory: restock",
    description="Put returned units back into sellable stock.",
    input_schema=_obj(["sku", "quantity"], sku=S, quantity=N),
    output_schema=_obj([], on_hand=N),
)
RETURNS = ToolSpec(
    id="returns_list_requests",
    name="Returns: list requests",
    description="List the return requests opened since a date.",
    input_schema=_obj(["since"], since=S),
    output_schema=_obj(
        [],
        requests={
            "type": "array",
            "items": _obj([], order_id=S, customer_email=S, reason=S),
        },
    ),
    config=ToolConfig(cacheable=True),
)
CREDIT = ToolSpec(
    id="issue_store_credit",
    name="Store credit",
    description="Give a customer store credit as a gift card code.",
    input_schema=_obj(["customer_email", "amount"], customer_email=S, amount={"type": "number"}),
    output_schema=_obj([], code=S),
)


@pytest.fixture(scope="module")
def tools():
    return demo_catalog_with([METRIC, INCIDENT, SCALE, RETURN_LABEL, RESTOCK, RETURNS, CREDIT])


def _tool_nodes(flow, tool):
    return [n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == tool]


def test_the_same_metric_for_two_services_is_two_calls_side_by_side(tools):
    flow = plan("In parallel: query the cpu metric for api, query the cpu metric for worker", tools)

    calls = _tool_nodes(flow, "datadog_query_metric")
    assert sorted(n.inputs["service"] for n in calls) == ['"api"', '"worker"']
    assert all(n.inputs["metric"] == '"cpu"' for n in calls)
    assert all(not n.after for n in calls)
    assert flow.input_schema.get("properties", {}) == {}


def test_names_beside_the_inputs_noun_are_its_values(tools):
    flow = plan("scale the checkout deployment to 10 replicas in the prod namespace", tools)

    (scale,) = _tool_nodes(flow, "k8s_scale_deployment")
    assert scale.inputs == {"deployment": '"checkout"', "namespace": '"prod"', "replicas": "10"}


def test_a_level_under_another_name_the_list_lacks_is_refused(tools):
    result = plan_flow(
        "open a pagerduty incident for api with severity sev1 titled 'API down'",
        planner=OfflinePlanner(),
        catalog=tools,
    )

    assert not result.ok
    assert result.error.details["reason"] == "value_not_offered"
    assert result.error.details["phrase"] == "sev1"
    assert result.error.details["input"] == "urgency"
    # a level the list has, said under another name, is kept
    flow = plan("open a pagerduty incident for api with severity high titled 'API down'", tools)
    assert _tool_nodes(flow, "pagerduty_create_incident")[0].inputs["urgency"] == '"high"'


def test_a_tool_named_by_the_two_words_said_together_goes_first(tools):
    flow = plan("create a UPS return label for order O-1", tools)

    (label,) = _tool_nodes(flow, "easypost_return_label")
    assert label.inputs == {"order_id": '"O-1"', "carrier": '"ups"'}
    assert not _tool_nodes(flow, "create_shipment")


def test_a_count_of_units_is_the_quantity(tools):
    flow = plan("Restock 3 units of SKU TS-RED-M", tools)

    assert _tool_nodes(flow, "inventory_restock")[0].inputs == {
        "sku": '"TS-RED-M"',
        "quantity": "3",
    }


def test_only_the_customers_whose_something_holds_is_refused(tools):
    result = plan_flow(
        "List the return requests since 2026-11-01 and give a 10 USD store credit to every "
        "customer whose parcel arrived late",
        planner=OfflinePlanner(),
        catalog=tools,
    )

    assert not result.ok
    assert result.error.details["reason"] == "filtered_loop"
    assert "whose parcel" in result.error.details["phrase"]


def test_a_department_manager_approves_as_the_department(tools):
    flow = plan(
        "If the payment amount is over 2000 USD, a finance manager must approve before we "
        "charge the card.",
        tools,
    )

    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert approval.assignees.groups == ["finance"]


def test_services_listed_after_the_measure_are_one_call_each_and_posted_together(tools):
    flow = plan(
        "Check the p99_latency metric for search and for checkout side by side, then email "
        "both numbers to perf@example.com",
        tools,
    )

    (metric,) = [n for n in flow.nodes if isinstance(n, MapNode)]
    assert metric.items == '["search", "checkout"]'
    assert metric.inputs == {"metric": '"p99_latency"', "service": "item"}
    (email,) = _tool_nodes(flow, "send_email")
    assert email.inputs["body"] == (
        '"search: " + string(datadog_query_metric[0].value) + "\\n" + '
        '"checkout: " + string(datadog_query_metric[1].value)'
    )


@pytest.mark.parametrize(
    "prompt",
    [
        "Validate each email in the list and email me the invalid ones.",
        "Validate each address in the list and email me (admin@shop.io) the invalid ones in "
        "one email",
    ],
)
def test_a_message_to_one_recipient_lists_the_items_a_loop_judged(tools, prompt):
    flow = plan(prompt, tools)

    (check,) = [n for n in flow.nodes if isinstance(n, MapNode)]
    assert check.tool == "validate_email"
    (email,) = _tool_nodes(flow, "send_email")
    kept = "validate_email.filter(r, !r.valid)"
    # (when none is invalid, the message says so: an empty body could not be sent)
    assert email.inputs["body"] == (
        f'size({kept}) > 0 ? {kept}.map(r, string(r.email)).join("\\n") : "None are invalid"'
    )


def test_only_the_ones_a_loop_judged_is_a_filtered_loop(tools):
    flow = plan("for every order in the batch: validate it, and charge only the valid ones", tools)

    maps = {n.tool: n for n in flow.nodes if isinstance(n, MapNode)}
    assert maps["process_payment"].items == "validate_order.filter(r, r.valid)"
    assert not _tool_nodes(flow, "validate_email")


def test_a_step_named_again_gives_the_values_the_run_was_to_be_asked_for(tools):
    flow = plan(
        "Before shipping order O-9, get approval from logistics. Then create the shipment "
        "with DHL to 12 King St, Toronto.",
        tools,
    )

    (shipment,) = _tool_nodes(flow, "create_shipment")
    assert shipment.inputs["address"] == '"12 King St, Toronto"'
    assert shipment.inputs["carrier"] == '"dhl"'
    assert "address" not in flow.input_schema.get("properties", {})


def test_what_a_message_says_ends_at_the_next_steps_number(tools):
    flow = plan(
        "1) look up the user by email jo@ex.com 2) if found, send them an email saying hi "
        "3) if not, send a welcome email to jo@ex.com with name Jo",
        tools,
    )

    assert _tool_nodes(flow, "send_welcome_email")[0].inputs == {
        "email": '"jo@ex.com"',
        "name": '"Jo"',
    }


def test_one_message_after_a_loop_lists_each_items_result(tools):
    flow = plan(
        "For each review in the list run sentiment analysis, then send one email to "
        "cx@shop.com with the results",
        tools,
    )

    (email,) = _tool_nodes(flow, "send_email")
    assert email.inputs["body"] == (
        'analyze_sentiment.map(r, "Sentiment: %s, Score: %s".format([r.sentiment, r.score]))'
        '.join("\\n")'
    )


def test_the_same_tax_for_two_states_side_by_side_then_both_totals(tools):
    flow = plan(
        "In parallel: calculate the tax on 100 for US state CA, and calculate the tax on 100 "
        "for US state NY. Then email finance@acme.com both totals.",
        tools,
    )

    taxes = _tool_nodes(flow, "calculate_tax")
    assert sorted(n.inputs["region"] for n in taxes) == ['"CA"', '"NY"']
    (email,) = _tool_nodes(flow, "send_email")
    assert email.inputs["to"] == '"finance@acme.com"'
    # (each line says which call it is of, by what that call was given: "Total:" twice
    # did not, docs/planner.md "Rules added for the open cases of s25")
    assert email.inputs["body"] == (
        '"US/CA total: " + string(calculate_tax.total) + "\\n" + '
        '"US/NY total: " + string(calculate_tax_2.total)'
    )


@pytest.fixture(scope="module")
def people():
    return eval_catalog("registered_round5_hr.json")


def test_a_heading_gives_the_date_the_department_and_the_managers_address(people):
    flow = plan(
        "New hire: Maria Lopez, maria.lopez@acme.com, starts 2027-01-11 in engineering, "
        "manager is dev.lead@acme.com. Add her to Rippling and create her JumpCloud account.",
        people,
    )

    assert _tool_nodes(flow, "rippling_add_employee")[0].inputs == {
        "full_name": '"Maria Lopez"',
        "work_email": '"maria.lopez@acme.com"',
        "start_date": '"2027-01-11"',
        "department": '"engineering"',
        "manager_email": '"dev.lead@acme.com"',
    }
    assert _tool_nodes(flow, "jumpcloud_create_user")[0].inputs["email"] == (
        '"maria.lopez@acme.com"'
    )
    assert flow.input_schema.get("properties", {}) == {}


def test_their_manager_is_the_address_the_lookup_returned(people):
    flow = plan(
        "look up employee by email sam@acme.com; if they're on leave, email their manager",
        people,
    )

    assert _tool_nodes(flow, "send_email")[0].inputs["to"] == (
        "rippling_get_employee.manager_email"
    )
    assert "manager_email" not in flow.input_schema.get("properties", {})


@pytest.fixture(scope="module")
def returns():
    return eval_catalog("registered_round5_returns.json")


def test_marking_as_a_listed_value_is_the_tool_that_sets_it_and_each_step_its_own_code(returns):
    flow = plan("Mark RMA-12 as received and put the 2 units of SKU MUG-01 back in stock", returns)

    assert _tool_nodes(flow, "returns_set_status")[0].inputs == {
        "rma_id": '"RMA-12"',
        "status": '"received"',
    }
    assert _tool_nodes(flow, "inventory_restock")[0].inputs == {"sku": '"MUG-01"', "quantity": "2"}
    assert not _tool_nodes(flow, "returns_get_rma")


def test_what_is_said_to_be_so_is_no_step_of_its_own(tools):
    flow = plan(
        "Open an urgent ticket in the shipping queue: parcel 7781 is lost, customer is sam@x.org",
        tools,
    )

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == ["create_ticket"]
    assert _tool_nodes(flow, "create_ticket")[0].inputs["email"] == '"sam@x.org"'


def test_approve_and_reject_are_the_steps_of_a_tool_that_does_them(returns):
    flow = plan(
        "Get the return request for RMA-9; if the reason is damaged, approve it, otherwise "
        "reject it with the note 'outside policy'",
        returns,
    )

    assert not [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert _tool_nodes(flow, "returns_get_rma")[0].inputs == {"rma_id": '"RMA-9"'}
    statuses = sorted(n.inputs["status"] for n in _tool_nodes(flow, "returns_set_status"))
    assert statuses == ['"approved"', '"rejected"']
    assert not _tool_nodes(flow, "returns_list_requests")


def test_approve_with_no_tool_that_approves_is_still_an_approval(tools):
    flow = plan("Validate the order, approve it, then charge the card", tools)

    assert [n for n in flow.nodes if isinstance(n, ApprovalNode)]


def test_a_tool_named_by_an_id_word_written_as_two_words(returns):
    flow = plan(
        "Get RMA-31 and reply on help desk ticket 4455 telling the customer the return status",
        returns,
    )

    assert _tool_nodes(flow, "helpdesk_add_comment")[0].inputs == {
        "ticket_id": '"4455"',
        "body": "returns_get_rma.status",
    }
    assert not _tool_nodes(flow, "send_email")


def test_money_moved_a_way_no_tool_offers_is_refused_naming_the_way(returns):
    result = plan_flow(
        "Refund RMA-3 to the customer's bank account by wire transfer",
        planner=OfflinePlanner(),
        catalog=returns,
    )

    assert not result.ok
    assert "transfer" in result.error.message
    assert result.error.details["phrase"] == "to the customer's bank account"


def test_how_many_there_are_is_the_size_of_the_list_returned(returns):
    flow = plan(
        "list return requests since 2026-12-01 and email returns@shop.com how many there are",
        returns,
    )

    assert _tool_nodes(flow, "send_email")[0].inputs["body"] == (
        '"Requests: " + string(size(returns_list_requests.requests))'
    )


def test_check_out_is_the_step_of_a_tool_that_checks_things_out(people):
    flow = plan("Check out laptop asset LT-0042 to employee E-5521", people)

    assert _tool_nodes(flow, "snipeit_checkout_asset")[0].inputs == {
        "asset_tag": '"LT-0042"',
        "employee_id": '"E-5521"',
    }


def test_approving_a_thing_after_a_sign_off_is_the_tool_that_approves(returns):
    flow = plan(
        "approve return RMA-2, but a returns manager must sign off first (they get 1 day, "
        "otherwise approve it automatically)",
        returns,
    )

    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert approval.timeout_s == 86400
    (status,) = _tool_nodes(flow, "returns_set_status")
    assert status.inputs == {"rma_id": '"RMA-2"', "status": '"approved"'}
    assert approval.id in status.after
    assert not _tool_nodes(flow, "returns_get_rma")


def test_a_loop_over_items_its_lead_qualifies_lists_them_with_the_tool_that_does(people):
    flow = plan(
        "For each person starting on 2027-02-01, create their directory account and invite "
        "them to #general",
        people,
    )

    (listed,) = _tool_nodes(flow, "greenhouse_list_new_hires")
    assert listed.inputs == {"start_date": '"2027-02-01"'}
    maps = {n.tool: n for n in flow.nodes if isinstance(n, MapNode)}
    assert set(maps) == {"jumpcloud_create_user", "slack_invite_to_channel"}
    assert maps["jumpcloud_create_user"].items == "greenhouse_list_new_hires.hires"
    assert maps["jumpcloud_create_user"].inputs == {"email": "item.email"}
    assert not _tool_nodes(flow, "lookup_user")


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        (
            "validate the email and if it's invalid, email the user the reason",
            "Email validation: reason",
        ),
        (
            "analyze the sentiment of the review and email me the result",
            "Sentiment analysis: result",
        ),
        ("charge the card and email the customer the receipt", "Your receipt"),
    ],
)
def test_a_subject_of_a_fields_name_says_which_step_found_it(tools, prompt, subject):
    flow = plan(prompt, tools)

    assert _tool_nodes(flow, "send_email")[0].inputs["subject"] == f'"{subject}"'


def test_each_tenant_with_overdue_rent_loops_over_the_tool_that_lists_them():
    flow = plan(
        "email each tenant with overdue rent at property PR-3 a reminder",
        eval_catalog("registered_round4.json"),
    )

    assert _tool_nodes(flow, "buildium_list_overdue_rent")[0].inputs == {"property_id": '"PR-3"'}
    (email,) = [n for n in flow.nodes if isinstance(n, MapNode)]
    assert email.items == "buildium_list_overdue_rent.tenants"
    assert email.inputs["to"] == "item.tenant_email"
    assert "tenants" not in flow.input_schema.get("properties", {})


@pytest.mark.parametrize("lead", ["ok so ", "Okay, ", "alright so basically ", "so basically "])
def test_words_a_request_opens_with_ask_for_nothing(tools, lead):
    flow = plan(f"{lead}when a new user signs up, validate their email", tools)

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == ["validate_email"]


def test_a_known_word_with_its_last_letter_typed_twice_is_that_word(tools):
    flow = plan("validate the order, then shipp it", tools)

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == [
        "validate_order",
        "create_shipment",
    ]


def test_a_report_at_a_link_is_fetched_and_sent_after_a_sign_off_that_lapses_into_go(tools):
    flow = plan(
        "Email the weekly report at https://reports.example.com/weekly to the board "
        "(board@corp.com) but only after the CFO signs off; give her 3 days and if she "
        "doesn't respond just send it anyway",
        tools,
    )

    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert (approval.timeout_s, approval.on_timeout) == (259200, "approve")
    assert _tool_nodes(flow, "fetch_url")[0].inputs["url"] == (
        '"https://reports.example.com/weekly"'
    )
    assert _tool_nodes(flow, "send_email")[0].inputs["body"] == "fetch_url.content"


def test_the_page_at_a_written_link_is_what_the_message_says(tools):
    flow = plan("email the page at https://x.example.com to bob@x.com", tools)

    assert _tool_nodes(flow, "send_email")[0].inputs["body"] == "fetch_url.content"


def test_a_deadline_in_brackets_with_what_happens_if_no_answer(people):
    flow = plan(
        "Terminate E-77 with last day 2027-04-30 but only after HR approves (48h, reject if "
        "no answer)",
        people,
    )

    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert (approval.timeout_s, approval.on_timeout) == (172800, "reject")
    assert approval.assignees.groups == ["hr"]
    assert "(48h" not in approval.instructions
    assert _tool_nodes(flow, "rippling_terminate_employee")[0].inputs == {
        "employee_id": '"E-77"',
        "last_day": '"2027-04-30"',
    }


def test_an_address_said_of_someone_is_theirs_when_a_later_step_speaks_of_them(demo):
    flow = plan("check if user bob@example.com exists; if not, send him the welcome email", demo)

    welcome = next(n for n in flow.nodes if getattr(n, "tool", None) == "send_welcome_email")
    assert welcome.inputs["email"] == '"bob@example.com"'
    assert "email" not in flow.input_schema.get("properties", {})
