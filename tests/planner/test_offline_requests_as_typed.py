"""The offline planner on requests as people type them over the demo catalogue (plus a
calendar tool an admin registers): every link named is fetched, a loop's results feed the
step after it, goods sent are shipped, level words set a priority, approvals awaited in a
subordinate clause, inline parallel lists, checks planned for a condition, notices that say
their topic, and a short title for the flow."""

from __future__ import annotations

import pytest

from flows.core.graph import build_graph
from flows.core.ir import ApprovalNode, BranchNode, MapNode, ToolNode
from flows.core.planner.levels import level_literals
from flows.core.planner.naming import flow_title
from flows.core.tools import ToolSpec
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import demo_catalog_with
from tests.planner.tools import S, _obj

URL_A, URL_B = "https://a.example/x", "https://b.example/y"


def tools(flow):
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)]


def node_of(flow, tool):
    return next(n for n in flow.nodes if getattr(n, "tool", None) == tool)


def ancestors(flow, node):
    return build_graph(flow).ancestors(node.id)


# -- every link named is fetched ------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        f"Summarize the articles at {URL_A} and {URL_B}",
        f"please summarise {URL_A} and {URL_B}",
        f"Analyze the sentiment of {URL_A}, {URL_B}",
    ],
)
def test_each_link_a_step_names_is_fetched_and_worked_on(demo, prompt):
    flow = plan(prompt, demo)

    fetch = node_of(flow, "fetch_url")
    assert isinstance(fetch, MapNode)
    assert fetch.items == f'["{URL_A}", "{URL_B}"]'
    worker = next(n for n in flow.nodes if isinstance(n, MapNode) and n.tool != "fetch_url")
    assert worker.items == fetch.id  # each page fetched, not the first only
    assert worker.inputs["text"] == "item.text"


def test_pages_summarized_together_read_every_page(demo):
    flow = plan(f"Summarize {URL_A} and {URL_B} together in one summary", demo)

    summary = node_of(flow, "summarize_text")
    assert isinstance(summary, ToolNode)
    assert summary.inputs["text"] == 'fetch_url.map(each, each.text).join("\\n\\n")'
    assert "text" not in flow.input_schema.get("properties", {})


# -- a loop's results feed the step after it --------------------------------------------------


def test_summaries_of_a_loop_are_one_per_page_and_all_go_in_the_email(demo):
    flow = plan("For each URL in the input, fetch it; then email me all the summaries", demo)

    summary = node_of(flow, "summarize_text")
    assert isinstance(summary, MapNode)
    assert summary.items == node_of(flow, "fetch_url").id
    assert summary.inputs["text"] == "item.text"
    body = node_of(flow, "send_email").inputs["body"]
    assert body == 'summarize_text.map(each, each.summary).join("\\n\\n")'
    assert "text" not in flow.input_schema.get("properties", {})


def test_each_page_is_what_the_loop_fetched(demo):
    flow = plan("fetch each of the urls and summarize each page", demo)

    assert node_of(flow, "summarize_text").items == node_of(flow, "fetch_url").id
    assert "pages" not in flow.input_schema.get("properties", {})


# -- goods are shipped, a carrier not offered is refused ----------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Send the parcel with Parcelforce",
        "post the package via Hermes",
        "Dispatch the box with Evri",
    ],
)
def test_a_carrier_the_shipping_tool_lacks_is_refused_by_name(demo, prompt):
    error = refusal(prompt, demo)

    assert error.details["reason"] == "value_not_offered"
    assert error.details["input"] == "carrier"
    assert error.details["phrase"].lower() in prompt.lower()


def test_goods_sent_are_shipped_not_emailed(demo):
    assert tools(plan("send the package via DHL", demo)) == ["create_shipment"]
    assert tools(plan("send the order to the customer by courier", demo)) == ["create_shipment"]
    # a message is still an email
    assert tools(plan("send the customer an email", demo)) == ["send_email"]


# -- level words fill a level input -------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "priority"),
    [
        ("Open a critical ticket about the login outage", "urgent"),
        ("open a ticket about the minor typo on the pricing page", "low"),
        ("file a severe ticket for the data loss", "high"),
        ("Open an urgent ticket about the outage", "urgent"),
    ],
)
def test_a_level_word_sets_the_priority_of_the_same_rank(demo, prompt, priority):
    flow = plan(prompt, demo)

    assert node_of(flow, "create_ticket").inputs["priority"] == f'"{priority}"'


def test_level_words_map_by_rank_onto_any_enum():
    severity = {"severity": {"type": "string", "enum": ["minor", "major", "critical"]}}
    assert level_literals(severity, "a blocker in checkout", {}) == {"severity": '"critical"'}
    assert level_literals(severity, "a low impact bug", {}) == {"severity": '"minor"'}
    three = {"priority": {"type": "string", "enum": ["low", "medium", "high"]}}
    assert level_literals(three, "a critical outage", {}) == {"priority": '"high"'}
    # the word qualifies something else, or the input holds no level
    assert level_literals(three, "their low balance", {}) == {}
    assert level_literals({"mode": {"enum": ["low", "high"]}}, "critical", {}) == {}


# -- an approval awaited in a subordinate clause -------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Once the managers have approved, ship it",
        "ship the order once the managers have approved",
        "When finance has signed off, charge the card",
        "After the team leads approve, ship the order",
    ],
)
def test_an_approval_awaited_comes_before_the_step(demo, prompt):
    flow = plan(prompt, demo)

    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    step = next(n for n in flow.nodes if isinstance(n, ToolNode))
    assert approval.id in ancestors(flow, step)
    assert approval.assignees.groups


# -- explicit parallel wording ------------------------------------------------------------------


def test_an_inline_parallel_list_runs_its_items_side_by_side(demo):
    flow = plan("In parallel: fetch the url; classify the message.", demo)

    fetch, classify = node_of(flow, "fetch_url"), node_of(flow, "classify_ticket")
    assert fetch.id not in ancestors(flow, classify)
    assert classify.id not in ancestors(flow, fetch)
    assert classify.inputs["text"] == "input.text"


def test_steps_after_an_inline_parallel_list_wait_for_all_of_it(demo):
    prompt = "Validate the order. In parallel: charge the card; check the stock. Ship it."
    flow = plan(prompt, demo)

    charge, stock = node_of(flow, "process_payment"), node_of(flow, "check_inventory")
    validate, ship = node_of(flow, "validate_order"), node_of(flow, "create_shipment")
    assert charge.id not in ancestors(flow, stock)
    assert stock.id not in ancestors(flow, charge)
    assert validate.id in ancestors(flow, charge)
    assert validate.id in ancestors(flow, stock)
    assert {charge.id, stock.id} <= ancestors(flow, ship)


def test_a_sentence_after_a_list_is_a_step_of_its_own(demo):
    prompt = "Validate the order.\nIn parallel:\n- charge the card\n- check the stock\nShip it."
    flow = plan(prompt, demo)

    ship = node_of(flow, "create_shipment")
    assert {node_of(flow, "process_payment").id, node_of(flow, "check_inventory").id} <= (
        ancestors(flow, ship)
    )


# -- a condition a check tells ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "step"),
    [
        ("Only ship the order if it's in stock", "create_shipment"),
        ("If the items are in stock, ship the order", "create_shipment"),
        ("charge the card only when the order is in stock", "process_payment"),
    ],
)
def test_a_condition_on_stock_checks_the_stock_first(demo, prompt, step):
    flow = plan(prompt, demo)

    (branch,) = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert branch.condition == "check_inventory.in_stock"
    assert branch.then == [node_of(flow, step).id]


CALENDAR = ToolSpec(
    id="create_calendar_event",
    name="Create calendar event",
    description="Create an event in the team calendar and invite an attendee.",
    input_schema=_obj(["title", "start_time"], title=S, start_time=S, attendee_email=S),
    output_schema=_obj([], event_id=S, link=S),
)


@pytest.mark.parametrize(
    "prompt",
    [
        "Schedule a meeting with jane@example.com on Friday",
        "book an appointment with the customer",
        'set up a meeting titled "Kickoff" with bob@acme.com',
    ],
)
def test_a_meeting_is_a_calendar_event_when_one_is_registered(demo, prompt):
    flow = plan(prompt, demo_catalog_with([CALENDAR]))

    assert tools(flow) == ["create_calendar_event"]
    # without a calendar tool it is refused, never planned on another tool
    assert refusal(prompt, demo).code == "unmapped_step"


# -- a notice says its topic --------------------------------------------------------------------


def test_a_notice_on_a_topic_writes_its_subject_and_body(demo):
    flow = plan("notify support about the failed payment", demo)

    email = node_of(flow, "send_email")
    assert email.inputs["subject"] == '"Failed payment"'
    assert email.inputs["body"] == '"Failed payment."'
    assert set(flow.input_schema["properties"]) == {"support_email"}


def test_a_notice_in_an_arm_tells_what_the_step_before_reported(demo):
    flow = plan("Charge the card; if the payment fails, notify support", demo)

    email = node_of(flow, "send_email")
    assert email.inputs["subject"] == '"Payment fails"'
    assert "process_payment.reason" in email.inputs["body"]
    assert not {"subject", "body"} & set(flow.input_schema["properties"])


def test_what_a_person_writes_is_still_asked_for(demo):
    flow = plan("Email the customer an apology", demo)

    assert node_of(flow, "send_email").inputs["body"] == "input.body"


def test_the_topic_of_a_message_asks_nothing_of_the_catalogue(demo):
    flow = plan("email ops about the refund request and open a ticket", demo)

    assert tools(flow) == ["send_email", "create_ticket"]
    assert node_of(flow, "send_email").inputs["subject"] == '"Refund request"'
    # a channel said after the topic is still asked for
    assert refusal("Email the support team about the outage on Slack", demo).code == (
        "unmapped_step"
    )


# -- a short title ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        (f"Summarize the article at {URL_A} and email it to me", "Summarize and email article"),
        ("pls valiate the emal and if it's fine send teh welcome email", None),
        ("Once the managers have approved, ship the order", "Approve and ship order"),
        (
            "Validate the order, check stock, charge the card and ship it, then email the "
            "customer a receipt with the tracking number and the total",
            None,
        ),
    ],
)
def test_a_flow_is_named_by_a_short_title_and_described_by_the_request(demo, prompt, name):
    flow = plan(prompt, demo)

    assert len(flow.name) <= 60
    assert len(flow.name.split()) <= 8
    assert flow.name[:1].isupper()
    assert "http" not in flow.name
    if name is not None:
        assert flow.name == name
    assert flow.description == prompt


def test_a_title_is_the_steps_verbs_and_what_the_first_acts_on():
    assert flow_title(["Summarize the articles", "email me the summaries"]) == (
        "Summarize articles and email summaries"
    )
    assert flow_title(["validate the order", "charge the card", "ship it", "email them"]) == (
        "Validate, charge, ship and email order"
    )
    assert flow_title(["ship it"], approvals=[]) == "Ship"
    assert flow_title(["get approval", "ship the order"], approvals=[True, False]) == (
        "Approve and ship order"
    )
    assert flow_title(["look up the user by email"]) == "Look up user"
    assert flow_title([]) is None
    # what a loop says of its items is no step ("For and charge order" read "for" as one)
    assert flow_title(["for each order that comes in", "charge it"]) == "Charge order"
    assert flow_title(["who signed up today send the welcome email"]) == "Send welcome email"
    assert flow_title(["for each review, analyze its sentiment"]) == "Analyze sentiment"


def test_links_listed_with_and_stay_one_step_and_the_next_step_is_kept(demo):
    # more links do not make the step a fetch, and "and" between links splits nothing
    summary = plan(f"Give me a summary of {URL_A} and {URL_B}", demo)
    assert tools(summary) == ["fetch_url", "summarize_text"]
    emailed = plan(f"Summarise {URL_A} and {URL_B} and mail the summaries to me", demo)
    assert tools(emailed) == ["fetch_url", "summarize_text", "send_email"]
    assert node_of(emailed, "send_email").inputs["body"] == (
        'summarize_text.map(each, each.summary).join("\\n\\n")'
    )


# -- found by probing: approvals before several steps, "only ... when", one message ---------


@pytest.mark.parametrize(
    "prompt",
    [
        "When the manager approves the order, ship it and email the customer.",
        "Ship it and email the customer after the manager approves the order.",
    ],
)
def test_an_approval_awaited_guards_every_step_it_is_said_of(demo, prompt):
    flow = plan(prompt, demo)

    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    for tool in ("create_shipment", "send_email"):
        assert approval.id in ancestors(flow, node_of(flow, tool))


def test_only_a_step_when_something_holds_is_a_condition(demo):
    flow = plan("Only charge the card when everything is in stock.", demo)

    (branch,) = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert branch.then == [node_of(flow, "process_payment").id]


def test_one_message_to_me_lists_what_each_item_gave(demo):
    prompt = f"Fetch {URL_A}, {URL_B} and https://c.example/z and tell me their titles."
    flow = plan(prompt, demo)

    email = node_of(flow, "send_email")
    assert isinstance(email, ToolNode)
    assert email.inputs["body"] == 'fetch_url.map(each, each.title).join("\\n\\n")'


def test_a_level_word_about_another_noun_sets_no_priority(demo):
    flow = plan("Open a ticket about the low stock of blue mugs.", demo)

    assert "priority" not in node_of(flow, "create_ticket").inputs


def test_a_side_effect_asked_twice_is_refused_and_a_retry_is_not(demo):
    error = refusal("Charge the card twice.", demo)
    assert error.details["reason"] == "repeated_call"
    assert tools(plan("Charge the card and retry 3 times if it fails", demo)) == ["process_payment"]


PAGER = ToolSpec(
    id="pagerduty_trigger",
    name="PagerDuty: trigger incident",
    description="Trigger a PagerDuty incident that pages the on-call responder.",
    input_schema=_obj(
        ["summary", "severity"],
        summary=S,
        severity={"type": "string", "enum": ["critical", "error", "warning", "info"]},
    ),
    output_schema=_obj([], incident_key=S),
)
PAGERDUTY = ToolSpec(
    id="pagerduty_trigger",
    name="PagerDuty trigger",
    description="Trigger a PagerDuty incident that pages the on-call responder.",
    input_schema=_obj(["summary"], summary=S, severity=S, service=S),
    output_schema=_obj([], incident_key=S),
)
AVAILABILITY = ToolSpec(
    id="sku_availability",
    name="SKU availability",
    description="Tell whether a SKU is available in the warehouse and how many units are left.",
    input_schema=_obj(["sku"], sku=S),
    output_schema=_obj([], available={"type": "boolean"}, units_left={"type": "integer"}),
)


def test_a_step_said_by_its_description_verb_waits_for_the_approval(demo):
    catalog = demo_catalog_with([PAGER])
    for prompt in (
        "Once the ops team has approved, trigger the incident.",
        "Once the ops team approves, page the on-call engineer.",
    ):
        flow = plan(prompt, catalog)
        (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
        assert approval.id in ancestors(flow, node_of(flow, "pagerduty_trigger"))


def test_an_id_led_by_a_field_is_no_verb(demo):
    # "if SKU-42 is available" is a condition, never a step of sku_availability's: the
    # tool that tells it is checked first, on the SKU written
    flow = plan(
        "Only create the shipment if SKU-42 is available.", demo_catalog_with([AVAILABILITY])
    )
    check = next(n for n in flow.nodes if getattr(n, "tool", None) == "sku_availability")
    branch = next(n for n in flow.nodes if isinstance(n, BranchNode))
    assert check.inputs == {"sku": '"SKU-42"'}
    assert branch.condition == "sku_availability.available"
    assert "create_shipment" in branch.then


@pytest.mark.parametrize(
    "prompt",
    [
        "Check availability of SKU ABC-1; if fewer than 5 units are left, trigger a PagerDuty "
        "incident.",
        "If SKU ABC-1 has fewer than 5 units left, trigger a PagerDuty incident.",
    ],
)
def test_a_stock_level_is_told_by_the_tool_that_answers_it(prompt):
    # a tool named by a noun whose description answers a question ("Tell whether ...")
    # changes nothing: it is checked first, and its count decides
    flow = plan(prompt, demo_catalog_with([AVAILABILITY, PAGERDUTY]))
    check = next(n for n in flow.nodes if getattr(n, "tool", None) == "sku_availability")
    branch = next(n for n in flow.nodes if isinstance(n, BranchNode))
    assert check.inputs == {"sku": '"ABC-1"'}
    assert branch.condition == "sku_availability.units_left < 5.0"
    assert branch.then == ["pagerduty_trigger"]


def test_a_summary_for_steps_side_by_side_is_made_ahead_of_them(demo):
    slack = ToolSpec(
        id="post_slack_message",
        name="Post a Slack message",
        description="Post a message to a Slack channel.",
        input_schema=_obj(["channel", "text"], channel=S, text=S),
        output_schema=_obj([], status={"type": "integer"}),
    )
    sms = ToolSpec(
        id="send_sms",
        name="Send SMS",
        description="Send a text message to a phone number.",
        input_schema=_obj(["phone", "message"], phone=S, message=S),
        output_schema=_obj([], sid=S),
    )
    prompt = "In parallel: post the summary to #exec on Slack; text it to +15551234567."
    flow = plan(prompt, demo_catalog_with([slack, sms]))

    post, text = node_of(flow, "post_slack_message"), node_of(flow, "send_sms")
    assert post.inputs["text"] == "summarize_text.summary"
    assert text.inputs["message"] == "summarize_text.summary"
    assert post.id not in ancestors(flow, text)
    assert text.id not in ancestors(flow, post)


def test_what_it_returns_is_never_read_from_a_new_check(demo):
    # "it returns an error" speaks of the fetch (its status code): no order validation is
    # planned to answer it
    prompt = f"Grab the page at {URL_A} and let ops@example.com know if it returns an error."
    flow = plan(prompt, demo)

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == ["fetch_url", "send_email"]
    (branch,) = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert branch.condition == "fetch_url.status_code >= 400.0"


@pytest.mark.parametrize(
    ("prompt", "step"),
    [
        ("Before charging more than 1000 USD, get approval from a manager.", "process_payment"),
        ("Before shipping orders over 1200, get approval from a manager", "create_shipment"),
        ("Get a manager's approval before charging more than 1000 USD.", "process_payment"),
    ],
)
def test_an_approval_before_a_step_over_an_amount_is_asked_above_it_only(demo, prompt, step):
    flow = plan(prompt, demo)

    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert approval.when is not None
    assert "input.amount >" in approval.when
    tool = node_of(flow, step)
    assert tool.when is None  # the step runs below the amount too, without approval
    assert approval.id in ancestors(flow, tool)


def test_already_a_user_reads_the_lookup(demo):
    prompt = (
        "Whenever someone signs up, look them up; if they're already a user, do nothing, "
        "otherwise send the welcome email."
    )
    (branch,) = [n for n in plan(prompt, demo).nodes if isinstance(n, BranchNode)]
    assert branch.condition == "!lookup_user.found"


def test_out_of_stock_checks_the_stock_unless_a_step_came_first(demo):
    (branch,) = [
        n
        for n in plan("Ship the order unless it's out of stock.", demo).nodes
        if isinstance(n, BranchNode)
    ]
    assert branch.condition == "check_inventory.in_stock"
    # "instead" after a charge: a check planned now would come after what it should stop
    prompt = "Charge the card; if the order is out of stock, email the customer instead"
    assert refusal(prompt, demo).code == "unmapped_condition"


def test_a_notice_about_it_tells_what_the_step_before_did(demo):
    prompt = (
        "Open a severe ticket about the checkout crash and notify support@example.com about it."
    )
    email = node_of(plan(prompt, demo), "send_email")

    assert email.inputs["subject"] != '"It"'
    assert "create_ticket.ticket_id" in email.inputs["body"]


def test_someone_sent_a_package_is_shipped_it(demo):
    flow = plan("Send the customer a package with their order via DHL.", demo)

    assert tools(flow) == ["create_shipment"]


def test_a_request_lead_is_no_part_of_the_title(demo):
    prompt = "Please could you set up a flow: validate the order, then charge the card."
    assert plan(prompt, demo).name == "Validate order and charge card"


def test_skip_the_approval_below_an_amount_asks_it_above(demo):
    prompt = (
        "If the order total is under 50, skip the approval; otherwise a manager must "
        "approve. Then charge the card."
    )
    flow = plan(prompt, demo)

    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert approval.when == "!(input.total < 50.0)"
    assert approval.id in ancestors(flow, node_of(flow, "process_payment"))


def test_a_summary_of_results_no_step_writes_as_text_is_refused(demo):
    prompt = "Validate every email in the list, then send me a summary of the results."
    error = refusal(prompt, demo)

    assert error.details["reason"] == "results_not_text"
    # a summary of what a step wrote is made from it
    flow = plan("Fetch the page and email me a summary of it", demo)
    assert node_of(flow, "summarize_text").inputs["text"] == "fetch_url.text"


def test_paying_out_is_no_charge_of_a_card(demo):
    error = refusal("Get the CFO's sign-off before paying out more than 10000 EUR.", demo)

    assert error.details["reason"] == "no_tool_offers"
    assert "paying out" in error.step


@pytest.mark.parametrize(
    "prompt",
    [
        "Check the inventory of SKU-1; if fewer than 10 are left, open a ticket for purchasing",
        "check inventory for the order and if under 5 in stock, open a ticket",
    ],
)
def test_how_many_are_left_reads_the_stock_check_never_the_run(demo, prompt):
    flow = plan(prompt, demo)

    [branch] = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert branch.condition.startswith("check_inventory.lines.exists(r, r.available < ")
    assert "amount" not in (flow.input_schema or {}).get("properties", {})


# -- a run input that a step every run takes needs ------------------------------------------


def test_an_input_a_step_every_run_takes_needs_is_required():
    # the lookup takes the email as one of two ways to find the user (optional there), but
    # the email sent after it is addressed to it: a run without it would fail at the send
    flow = plan(
        "Look up the customer by their email address and send them an email with the "
        "subject 'Your account' saying we found their account.",
        demo_catalog_with([]),
    )

    assert node_of(flow, "send_email").inputs["to"] == "input.email"
    assert "email" in flow.input_schema["required"]
    # and its description is the tool's own words, not an identifier
    assert flow.input_schema["properties"]["email"]["description"] == (
        "Email address (case-insensitive)."
    )
