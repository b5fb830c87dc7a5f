"""The offline planner over the demo tools plus tools an admin registers (a Slack post, the
weather, an SMS, a Jira issue, a translation): values the request spells out for them go
into the plan, and a step that sends "it" on picks the tool by its own verb, not by what
"it" is."""

from __future__ import annotations

from typing import Any

import pytest

from flows.core.ir import BranchNode, MapNode
from flows.core.planner.named_values import named_values
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.session import plan_flow
from flows.core.tools import FunctionTool, InMemoryCatalog, ToolConfig, ToolSpec
from tests.planner.registered import demo_catalog_with, plan, steps
from tests.planner.tools import S, _obj

REGISTERED = [
    ToolSpec(
        id="post_slack_message",
        name="Post a Slack message",
        description="Post a message to a Slack channel.",
        input_schema=_obj(["channel", "text"], channel=S, text=S),
        output_schema=_obj([], status={"type": "integer"}),
    ),
    ToolSpec(
        id="get_weather",
        name="Get the weather",
        description="Current weather for a city: temperature and conditions.",
        input_schema=_obj(["city"], city=S),
        output_schema=_obj([], temperature_c={"type": "number"}, conditions=S),
        config=ToolConfig(cacheable=True),
    ),
    ToolSpec(
        id="send_sms",
        name="Send SMS",
        description="Send a text message to a phone number.",
        input_schema=_obj(["phone", "message"], phone=S, message=S),
        output_schema=_obj([], sid=S),
    ),
    ToolSpec(
        id="create_jira_issue",
        name="Create Jira issue",
        description="Create an issue in a Jira project.",
        input_schema=_obj(["project", "summary"], project=S, summary=S),
        output_schema=_obj([], key=S),
    ),
    ToolSpec(
        id="get_order_status",
        name="Get order status",
        description="Look up the fulfilment status of an order.",
        input_schema=_obj(["order_id"], order_id=S),
        output_schema=_obj(
            [], status={"type": "string", "enum": ["pending", "shipped", "delivered"]}
        ),
        config=ToolConfig(cacheable=True),
    ),
    ToolSpec(
        id="search_knowledge_base",
        name="Search the knowledge base",
        description="Find help-center articles that answer a question.",
        input_schema=_obj(["query"], query=S),
        output_schema=_obj(
            [],
            articles={"type": "array", "items": _obj([], title=S, url=S)},
            best_answer=S,
        ),
        config=ToolConfig(cacheable=True),
    ),
    ToolSpec(
        id="create_invoice",
        name="Create invoice",
        description="Create an invoice for a customer.",
        input_schema=_obj(
            ["customer_id", "amount"],
            customer_id=S,
            amount={"type": "number"},
            currency={"type": "string", "enum": ["USD", "EUR", "GBP"]},
            due_days={"type": "integer"},
        ),
        output_schema=_obj([], invoice_id=S, url=S),
    ),
    ToolSpec(
        id="append_sheet_row",
        name="Append a row to a spreadsheet",
        description="Add a row of values to a Google Sheet.",
        input_schema=_obj(["sheet", "values"], sheet=S, values={"type": "array", "items": S}),
        output_schema=_obj([], row={"type": "integer"}),
    ),
    ToolSpec(
        id="translate_text",
        name="Translate text",
        description="Translate a text into another language.",
        input_schema=_obj(["text", "target_language"], text=S, target_language=S),
        output_schema=_obj([], translation=S),
        config=ToolConfig(cacheable=True),
    ),
]


@pytest.fixture(scope="module")
def catalog():
    return demo_catalog_with(REGISTERED)


def test_posting_it_to_a_channel_is_the_post_whatever_it_is(catalog):
    flow = plan("Get the weather for the city and post it to the #ops Slack channel", catalog)

    assert list(steps(flow)) == ["get_weather", "post_slack_message"]
    assert steps(flow)["post_slack_message"]["channel"] == '"#ops"'
    assert "channel" not in (flow.input_schema or {}).get("properties", {})


def test_texting_it_to_a_number_is_an_sms_to_that_number(catalog):
    flow = plan("Check the weather in Paris and text it to +33 6 12 34 56 78", catalog)

    assert list(steps(flow)) == ["get_weather", "send_sms"]
    assert steps(flow)["get_weather"]["city"] == '"Paris"'
    assert steps(flow)["send_sms"]["phone"] == '"+33 6 12 34 56 78"'


def test_a_language_and_a_project_code_written_in_the_request_are_the_inputs(catalog):
    translated = plan("Translate the message into French", catalog)
    filed = plan("Create a Jira issue in project OPS for the message", catalog)

    assert steps(translated)["translate_text"]["target_language"] == '"French"'
    assert steps(filed)["create_jira_issue"]["project"] == '"OPS"'


def test_a_ticket_classified_as_urgent_is_a_condition_the_flow_checks(catalog):
    flow = plan("When a ticket is classified as urgent, post it to #support on Slack", catalog)

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == 'classify_ticket.priority == "urgent"'
    assert branch.then == ["post_slack_message"]


def test_an_order_placed_is_still_what_starts_the_run(catalog):
    flow = plan("When an order is placed, validate it and email the customer", catalog)

    assert not any(isinstance(node, BranchNode) for node in flow.nodes)


def test_emailing_it_is_still_an_email(catalog):
    flow = plan("Check the weather in Paris and email it to the customer", catalog)

    assert list(steps(flow)) == ["get_weather", "send_email"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("post to #customer-success", {"channel": '"#customer-success"'}),
        ("post order #1001 to the channel", {}),  # a number is no channel
        ("text them on 12-3456", {}),  # too short to be a phone number
        ("text them on +1 (415) 555-0100", {"phone": '"+1 (415) 555-0100"'}),
        ("the weather for New York", {"city": '"New York"'}),
        ("an issue in the OPS project", {"project": '"OPS"'}),
        ("an issue in the project", {}),
    ],
)
def test_named_values(text: str, expected: dict[str, str]) -> None:
    properties = {"channel": S, "phone": S, "city": S, "project": S, "text": S}

    assert named_values(properties, text, {}, texts_phones=False) == expected


def test_what_is_posted_on_is_what_the_step_before_made(catalog):
    weather = plan("Get the weather for the city and post it to the #ops Slack channel", catalog)
    translated = plan("Translate the message into French and email it to the customer", catalog)
    classified = plan("Classify the ticket; if it's urgent, post it to #support on Slack", catalog)

    assert steps(weather)["post_slack_message"]["text"] == (
        '"Temperature (C): %s\\nConditions: %s".format([get_weather.temperature_c,'
        " get_weather.conditions])"
    )
    assert "text" not in weather.input_schema.get("properties", {})
    assert steps(translated)["send_email"]["body"] == "translate_text.translation"
    # a verdict is not what is posted: "it" is the ticket itself
    assert steps(classified)["post_slack_message"]["text"] == "input.text"


def test_a_planned_forecast_reaches_the_phone_it_was_texted_to():
    import asyncio

    from flows.core.engine import Engine
    from flows.core.events import NullSink

    sent: list[dict[str, Any]] = []

    async def forecast(city: str) -> dict[str, Any]:
        return {"temperature_c": 21.5, "conditions": f"Sunny in {city}"}

    async def sms(phone: str, message: str) -> dict[str, Any]:
        sent.append({"phone": phone, "message": message})
        return {"sid": "SM1"}

    by_id = {spec.id: spec for spec in REGISTERED}
    tools = InMemoryCatalog(
        [FunctionTool(by_id["get_weather"], forecast), FunctionTool(by_id["send_sms"], sms)]
    )
    flow = plan("Check the weather in Paris and text it to +33612345678", tools)

    result = asyncio.run(Engine(tools).run(flow, {}, run_id="r1", sink=NullSink()))

    assert result.status == "completed"
    [text] = sent
    assert text["phone"] == "+33612345678"
    # one named line a field, as a person reads a message
    assert text["message"] == "Temperature (C): 21.5\nConditions: Sunny in Paris"


@pytest.mark.parametrize(
    "prompt",
    [
        "Every morning post the weather in Paris to #general",
        "Send the weather in Paris to ops@acme.com",
    ],
)
def test_sending_what_another_tool_makes_makes_it_first(catalog, prompt):
    flow = plan(prompt, catalog)

    sender = next(tool for tool in steps(flow) if tool != "get_weather")
    assert list(steps(flow)) == ["get_weather", sender]
    assert steps(flow)["get_weather"]["city"] == '"Paris"'
    assert "get_weather" in next(
        iter(v for k, v in steps(flow)[sender].items() if k in ("text", "body"))
    )


def test_a_channel_named_picks_the_tool_that_posts_there(catalog):
    flow = plan("Create a jira issue for the bug report and notify #eng", catalog)

    assert list(steps(flow)) == ["create_jira_issue", "post_slack_message"]
    assert steps(flow)["post_slack_message"]["channel"] == '"#eng"'


@pytest.mark.parametrize(
    ("prompt", "phrase"),
    [
        ("Post the weather in Paris to Teams", "Teams"),  # Slack is not Teams
        ("Email the customer the weather forecast", "forecast"),  # the weather now is not one
    ],
)
def test_what_no_registered_tool_offers_is_refused(catalog, prompt, phrase):
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)

    assert not result.ok
    assert phrase in result.error.message


def test_a_number_texted_is_an_sms_to_it(catalog):
    flow = plan("Text 555-123-4567 that the package is out for delivery", catalog)

    assert steps(flow) == {
        "send_sms": {"phone": '"555-123-4567"', "message": '"The package is out for delivery"'}
    }


@pytest.mark.parametrize(
    ("prompt", "tool", "content"),
    [
        ('Post "Deploy finished" to #deploys on Slack', "post_slack_message", "text"),
        ('Text +15551234567 saying "Your order shipped"', "send_sms", "message"),
        ('Email the customer saying "Thanks for your order"', "send_email", "body"),
    ],
)
def test_quoted_words_a_message_says_are_its_content(catalog, prompt, tool, content):
    flow = plan(prompt, catalog)

    written = steps(flow)[tool][content]
    assert written.startswith('"')
    assert written.strip('"') in prompt


def test_posting_the_result_of_a_verdict_posts_the_verdict(catalog):
    flow = plan("Analyze the sentiment of the review and post the result to #reviews", catalog)

    # each field on a line of its own, named ("Sentiment: negative"), not the raw map
    text = steps(flow)["post_slack_message"]["text"]
    assert text.startswith('"Sentiment: %s\\nScore: %s')
    assert text.endswith(".format([analyze_sentiment.sentiment, analyze_sentiment.score, "
                         "analyze_sentiment.positive_terms, analyze_sentiment.negative_terms])")


def test_each_one_made_in_a_loop_is_posted_on(catalog):
    flow = plan("For each city in the list, get the weather and post it to #weather", catalog)

    post = next(node for node in flow.nodes if getattr(node, "tool", None) == "post_slack_message")
    assert isinstance(post, MapNode)
    assert post.items == "get_weather"
    # each weather found, its fields named on lines of their own, not the raw map
    assert dict(post.inputs) == {
        "channel": '"#weather"',
        "text": '"Temperature (C): %s\\nConditions: %s"'
        ".format([item.temperature_c, item.conditions])",
    }


def test_an_issue_filed_in_a_project_code_goes_there(catalog):
    flow = plan("Create a Jira issue in OPS for the message", catalog)

    assert steps(flow)["create_jira_issue"]["project"] == '"OPS"'


def test_a_summary_asked_for_is_what_is_posted_not_the_page(catalog):
    flow = plan("Fetch https://example.com/orders and post a summary to #ops", catalog)

    assert steps(flow)["post_slack_message"]["text"] == "summarize_text.summary"
    helper = next(node for node in flow.nodes if getattr(node, "tool", None) == "summarize_text")
    assert helper.title == "Summarize text"  # what it does, not the post's words


@pytest.mark.parametrize(
    ("prompt", "posted"),
    [
        ("Look up the user by email and post their name to #signups", "lookup_user.user.name"),
        (
            "Create a Jira issue in project SUP for the message, then post the issue key to #ops",
            "create_jira_issue.key",
        ),
    ],
)
def test_a_value_named_for_a_post_is_what_it_says(catalog, prompt, posted):
    flow = plan(prompt, catalog)

    assert steps(flow)["post_slack_message"]["text"] == posted


def test_an_invoice_due_in_30_days_is_no_wait(catalog):
    flow = plan("Create an invoice for customer C-42 for $250 in EUR due in 30 days", catalog)

    assert steps(flow)["create_invoice"] == {
        "customer_id": '"C-42"',
        "amount": "250.0",
        "currency": '"EUR"',
        "due_days": "30",
    }


@pytest.mark.parametrize(
    "prompt",
    [
        "Add the order id and amount to the Orders sheet",
        "Look up the order and log it to the spreadsheet",
        "Record the order in the spreadsheet",
    ],
)
def test_keeping_values_in_a_sheet_is_the_sheet_tool(catalog, prompt):
    flow = plan(prompt, catalog)

    assert list(steps(flow))[-1] == "append_sheet_row"
    assert not {"create_shipment", "validate_order"} & set(steps(flow))


def test_a_sheet_named_before_its_noun_is_the_sheet(catalog):
    flow = plan("Add the order id and amount to the Orders sheet", catalog)

    assert steps(flow)["append_sheet_row"]["sheet"] == '"Orders"'


@pytest.mark.parametrize(
    ("prompt", "tool", "content", "said"),
    [
        ("Send a Slack message to #general saying hello", "post_slack_message", "text", "Hello"),
        (
            "Email the customer saying that their order has shipped",
            "send_email",
            "body",
            "Your order has shipped",
        ),
    ],
)
def test_words_after_saying_are_the_message(catalog, prompt, tool, content, said):
    flow = plan(prompt, catalog)

    assert steps(flow)[tool][content] == f'"{said}"'


def test_a_condition_said_after_the_step_with_when_is_checked(catalog):
    flow = plan(
        "Check the status of order A-1001 and text +15551234567 when it has shipped", catalog
    )

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == 'get_order_status.status == "shipped"'
    assert branch.then == ["send_sms"]


def test_an_event_said_after_the_step_with_when_is_what_starts_the_run(catalog):
    flow = plan("Email ops@acme.com when the order ships", catalog)

    assert list(steps(flow)) == ["send_email"]
    assert not any(isinstance(node, BranchNode) for node in flow.nodes)


def test_the_registered_tools_evaluation_plans_over_the_tools_it_registers():
    from pathlib import Path

    from flows.core.planner.evaluation import load_cases, run_eval
    from tools_registry.catalog import default_catalog

    path = Path(__file__).resolve().parents[2] / "evals" / "planner" / "registered.json"
    cases = load_cases(path)

    report = run_eval(OfflinePlanner(), default_catalog(), cases)

    assert {spec.id for spec in cases[0].registered} >= {"post_slack_message", "get_weather"}
    assert [(r.case.id, r.failures) for r in report.results if not r.passed] == []
    assert default_catalog().get("post_slack_message") is None  # registered for the eval only


def test_what_a_message_tells_them_is_not_who_they_are(catalog):
    from flows.core.planner.audience import for_whom

    assert for_whom("Notify the customer that their payment failed") is None
    assert for_whom("Email the customers that haven't paid a reminder") == (
        "if they haven't paid, Email them a reminder"
    )
    flow = plan(
        "Check if the item is in stock; if not, email the customer that it's backordered", catalog
    )
    assert steps(flow)["send_email"]["body"] == '"It\'s backordered"'


def test_a_field_of_each_item_named_in_a_loop_is_what_the_step_takes(catalog):
    flow = plan(
        "Search the knowledge base for the question and post each article's title to #kb", catalog
    )

    post = next(node for node in flow.nodes if getattr(node, "tool", None) == "post_slack_message")
    assert post.items == "search_knowledge_base.articles"
    assert dict(post.inputs)["text"] == "item.title"
    assert post.title == "Post its title to #kb (for each article)"


def test_each_item_of_a_loop_reaches_the_step(demo):
    flow = plan("For each order, validate it and create a ticket for each one.", demo)

    ticket = next(node for node in flow.nodes if getattr(node, "tool", None) == "create_ticket")
    assert isinstance(ticket, MapNode)
    assert dict(ticket.inputs)["body"] == (
        '"Order id: %s\\nItems: %s".format([item.order_id, item.items])'
    )


def test_a_message_saying_something_was_approved_asks_for_no_approval(demo):
    flow = plan("Email the customer that their refund was approved", demo)

    assert steps(flow) == {
        "send_email": {
            "to": "input.customer_email",
            "subject": '"Your refund was approved"',  # short enough to be its own subject
            "body": '"Your refund was approved"',
        }
    }
    assert not any(node.type == "approval" for node in flow.nodes)


def test_a_channel_said_after_what_a_message_is_about_is_still_asked_for(demo):
    result = plan_flow(
        "Email the support team about the outage on Slack", planner=OfflinePlanner(), catalog=demo
    )

    assert not result.ok
    assert "Slack" in result.error.message


def test_a_subject_said_for_a_message_wins_over_the_message_as_its_subject(demo):
    flow = plan('Email ops@acme.com saying "All good" with the subject "Daily check"', demo)

    assert steps(flow)["send_email"]["subject"] == '"Daily check"'
    assert steps(flow)["send_email"]["body"] == '"All good"'


#: An order lookup an admin registered over HTTP: its status is free text, no list of values.
ORDER_LOOKUP = ToolSpec(
    id="get_order_status",
    name="Get order status",
    description="Look up an order by its id: its status, total and the customer's email.",
    input_schema=_obj(["order_id"], order_id=S),
    output_schema=_obj([], status=S, total={"type": "number"}, customer_email=S),
)


def test_the_customer_is_emailed_at_the_address_a_step_before_returned():
    catalog = demo_catalog_with([ORDER_LOOKUP])

    looked_up = plan("Get the status of order A-1009 and email the customer about it", catalog)
    nobody_knows = plan("Check the order's total, then email the customer the total", catalog)

    assert steps(looked_up)["send_email"]["to"] == "get_order_status.customer_email"
    assert "customer_email" not in (looked_up.input_schema or {}).get("properties", {})
    # with no step returning the address, the run is asked for it
    assert steps(nobody_knows)["send_email"]["to"] in (
        "get_order_status.customer_email",
        "input.customer_email",
    )


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("If it has shipped", 'get_order_status.status == "shipped"'),
        ("If the order hasn't shipped yet", 'get_order_status.status != "shipped"'),
        ("If it has not arrived", 'get_order_status.status != "arrived"'),
    ],
)
def test_a_state_said_with_its_verb_is_the_status_a_step_returned(condition, expected):
    flow = plan(
        f"Look up order 5512. {condition}, open a support ticket.",
        demo_catalog_with([ORDER_LOOKUP]),
    )

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == expected
    assert branch.then == ["create_ticket"]


@pytest.mark.parametrize(
    ("prompt", "order_id"),
    [
        ("get order status for 1234 then email the customer", "1234"),
        ("Get the order details for #A-17 and email the customer the total", "A-17"),
    ],
)
def test_a_number_written_after_what_it_is_of_is_the_lookup_input(prompt, order_id):
    flow = plan(prompt, demo_catalog_with([ORDER_LOOKUP]))

    assert steps(flow)["get_order_status"]["order_id"] == f'"{order_id}"'
    assert "order_id" not in (flow.input_schema or {}).get("properties", {})


def test_a_number_after_a_hash_is_no_chat_channel_but_a_lowercase_name_is(catalog):
    posted = plan("Get the weather in Paris and post it to #ops-42", catalog)

    assert steps(posted)["post_slack_message"]["channel"] == '"#ops-42"'
