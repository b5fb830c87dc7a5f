"""The offline planner on requests typed into a fresh install over tools an admin registered
through the API (a weather lookup, a stock quote, a Slack post, a CRM lead): each test
states the request in other words than the walkthrough's, what went wrong before its rule,
and what it plans now."""

from __future__ import annotations

import pytest

from tests.planner.offline_plans import plan
from tests.planner.registered import demo_catalog_with, eval_catalog, steps

CATALOG = "registered_walkthrough_s22.json"


def _branch_conditions(flow) -> list[str]:
    return [node.condition for node in flow.nodes if node.type == "branch"]


def _tools(flow) -> list[str]:
    return [node.tool for node in flow.nodes if getattr(node, "tool", None)]


@pytest.mark.django_db
def test_a_temperature_compared_reads_the_temperature_a_step_gives():
    # "if it's below 5 degrees" compared a run input `degrees`; "below freezing" and
    # "colder than" had no reading at all
    tools = eval_catalog(CATALOG)
    for request, condition in {
        "look up the weather in Leeds, and if it's under 3 degrees email grit@leeds.gov": (
            "get_weather.temp_c < 3.0"
        ),
        "check the weather in Boston; if it's below freezing email ops@city.gov": (
            "get_weather.temp_c < 0.0"
        ),
        "get the weather in Lyon and if it is colder than -2 email ops@city.gov": (
            "get_weather.temp_c < -2.0"
        ),
        "get the weather in Seville and if it's over 35°C email ops@city.gov": (
            "get_weather.temp_c > 35.0"
        ),
    }.items():
        flow = plan(request, tools)
        assert _branch_conditions(flow) == [condition], request
        assert "degrees" not in flow.input_schema.get("properties", {}), request


@pytest.mark.django_db
def test_freezing_is_32_where_the_temperature_is_in_fahrenheit():
    from flows.core.tools import ToolSpec

    fahrenheit = ToolSpec(
        id="station_reading",
        name="Station reading",
        description="The latest reading of a weather station: temperature and wind.",
        input_schema={
            "type": "object",
            "properties": {"station": {"type": "string"}},
            "required": ["station"],
        },
        output_schema={
            "type": "object",
            "properties": {
                "temperature": {"type": "number", "description": "Degrees Fahrenheit."},
                "wind_mph": {"type": "number"},
            },
        },
    )
    flow = plan(
        "get the reading of station KBOS and if it's below freezing email ops@city.gov",
        demo_catalog_with([fahrenheit]),
    )
    assert _branch_conditions(flow) == ["station_reading.temperature < 32.0"]


@pytest.mark.django_db
def test_a_state_of_a_named_thing_is_looked_up_first_even_after_when():
    # "when the temperature in Chicago is below freezing, email ..." emailed every time:
    # the condition was taken for what starts the run
    tools = eval_catalog(CATALOG)
    flow = plan("When the temperature in Denver drops below freezing, email ops@city.gov", tools)
    assert _tools(flow) == ["get_weather", "send_email"]
    assert steps(flow)["get_weather"]["city"] == '"Denver"'
    assert _branch_conditions(flow) == ["get_weather.temp_c < 0.0"]
    # what starts a run still does: an order that comes in brings its amount
    flow = plan("when an order over $800 comes in, ask finance to approve, then charge it", tools)
    assert "calculate_tax" not in _tools(flow)
    assert "validate_order" not in _tools(flow)


@pytest.mark.django_db
def test_a_number_named_of_a_thing_written_in_the_condition_is_looked_up():
    # "if the price of AAPL is over 200" and "if AAPL drops more than 3% today" compared
    # run inputs (`price`, `today`): the quote tool gives both numbers, of the symbol
    tools = eval_catalog(CATALOG)
    flow = plan("if the price of MSFT is below 300, post to #desk that it's cheap", tools)
    assert steps(flow)["get_stock_price"]["symbol"] == '"MSFT"'
    assert _branch_conditions(flow) == ["get_stock_price.price < 300.0"]
    flow = plan("if NVDA falls more than 5% today, post to #desk", tools)
    assert _branch_conditions(flow) == ["get_stock_price.change_pct < -5.0"]
    assert not {"today", "nvda"} & set(flow.input_schema.get("properties", {}))
    # a number of the request is no lookup's: a tax calculation also returns `amount`, but
    # "the amount" with nothing named to calculate it of is the run's
    flow = plan("if the amount is over 900 ask finance to approve, then charge order 3 it", tools)
    assert "calculate_tax" not in _tools(flow)


@pytest.mark.django_db
def test_a_person_named_before_their_address_is_the_lead_not_its_company():
    # "create a lead for Jane Roe, jane@roe.io" named the lead "Jane" at a company
    # "Jane Roe"; "add ... (jane@roe.io) ... as a lead" was refused as adding an "io"
    tools = eval_catalog(CATALOG)
    flow = plan("create a lead for Omar Haddad, omar@haddad.dev", tools)
    assert steps(flow)["create_lead"] == {"name": '"Omar Haddad"', "email": '"omar@haddad.dev"'}
    flow = plan("add Lena Ruiz (lena@ruiz.studio) from Ruiz Studio as a new lead", tools)
    assert steps(flow)["create_lead"]["name"] == '"Lena Ruiz"'
    assert steps(flow)["create_lead"]["email"] == '"lena@ruiz.studio"'


@pytest.mark.django_db
def test_each_line_of_a_loop_s_results_names_the_item_it_is_of():
    # "get the weather for London, Paris and Berlin and post a summary" listed three lines
    # without the city each was of
    tools = eval_catalog(CATALOG)
    flow = plan("get the weather in Oslo and Bergen and email me the results at kim@x.no", tools)
    body = steps(flow)["send_email"]["body"]
    assert body.startswith("[0, 1].map(i, ")
    assert '["Oslo", "Bergen"][i]' in body
    assert "get_weather[i].temp_c" in body


@pytest.mark.django_db
def test_a_message_of_what_a_lookup_gives_looks_it_up_first():
    # "send me the weather in Paris at kim@x.no" looked the weather up and sent nothing;
    # "post the price of TSLA to #finance" asked the run for the message; "post the current
    # weather in Tokyo to #general" was refused: no tool "does the weather"
    tools = eval_catalog(CATALOG)
    for request, (lookup, key, value, sender, content) in {
        "email the weather in Madrid to ops@city.gov": (
            "get_weather",
            "city",
            '"Madrid"',
            "send_email",
            "body",
        ),
        "post today's weather in Lima to #travel": (
            "get_weather",
            "city",
            '"Lima"',
            "post_slack",
            "text",
        ),
        "slack #desk the latest price of AMZN": (
            "get_stock_price",
            "symbol",
            '"AMZN"',
            "post_slack",
            "text",
        ),
    }.items():
        flow = plan(request, tools)
        assert _tools(flow) == [lookup, sender], request
        assert steps(flow)[lookup][key] == value, request
        assert f"{lookup}." in steps(flow)[sender][content], request


@pytest.mark.django_db
def test_what_a_step_works_out_of_a_quote_is_what_is_sent_not_the_quote():
    # "analyze the sentiment of '...' and email it to a@b.co" asked the run for the body;
    # "email a@b.co the sentiment of '...'" emailed the quoted text itself
    demo = demo_catalog_with([])
    flow = plan("work out the sentiment of 'slow, rude driver' and mail it to q@x.io", demo)
    assert "analyze_sentiment.sentiment" in steps(flow)["send_email"]["body"]
    flow = plan("email q@x.io the sentiment of 'slow, rude driver'", demo)
    assert steps(flow)["send_email"]["body"] == "analyze_sentiment.sentiment"
    # "it" after a verdict on a thing the step was given is still that thing
    flow = plan("check the sentiment of the review and if it's negative, email it to q@x.io", demo)
    assert "analyze_sentiment.sentiment" not in steps(flow)["send_email"]["body"]


@pytest.mark.django_db
def test_a_labelled_address_among_a_person_s_details_is_a_value_not_an_email_sent():
    # "create a lead with name Ann Ito and email ann@ito.jp" (or "name: ..., email: ...")
    # emailed the address and asked the run for the lead's; "name: Ann Ito" was "Ann"
    tools = eval_catalog(CATALOG)
    for request in (
        "create a lead with name Kofi Mensah and email kofi@mensah.gh",
        "new lead please. name: Kofi Mensah, email: kofi@mensah.gh",
        "create a lead: name Kofi Mensah, email kofi@mensah.gh, company Mensah & Sons",
    ):
        flow = plan(request, tools)
        assert _tools(flow) == ["create_lead"], request
        assert steps(flow)["create_lead"]["name"] == '"Kofi Mensah"', request
        assert steps(flow)["create_lead"]["email"] == '"kofi@mensah.gh"', request
    assert steps(flow)["create_lead"]["company"] == '"Mensah & Sons"'
    # an address after a step's own values, with no one's name, is still sent to
    flow = plan("open a ticket with priority high and email ops@x.com", tools)
    assert _tools(flow) == ["create_ticket", "send_email"]


@pytest.mark.django_db
def test_a_record_named_by_its_address_is_read_for_its_id_and_it_is_the_amount():
    # "invoice the customer carl@acme.io for $1,200" asked the run for `customer_id`;
    # once the customer was looked up, "if it's over 1000" compared their monthly revenue
    tools = eval_catalog(CATALOG)
    flow = plan(
        "invoice the customer dana@acme.io for $2,400; if it's over 2000 ask finance to approve",
        tools,
    )
    assert _tools(flow) == ["get_customer", "create_invoice"]
    assert steps(flow)["create_invoice"]["customer_id"] == "get_customer.id"
    approval = next(node for node in flow.nodes if node.type == "approval")
    assert approval.when == "2400.0 > 2000.0"
    # a number the lookup was asked for is still its own
    flow = plan("find customer dee@acme.io and if their mrr is above 5000 post to #vip", tools)
    assert _branch_conditions(flow) == ["get_customer.mrr > 5000.0"]


@pytest.mark.django_db
def test_a_thing_s_link_is_its_url_where_its_tool_gives_one():
    # "text ... the invoice link" was read as "the invoice id": it sent the invoice's id and
    # the customer's, both labelled "Invoice id"
    tools = eval_catalog(CATALOG)
    flow = plan(
        "invoice the customer fay@acme.io 80 EUR and email fay@acme.io the invoice url", tools
    )
    assert steps(flow)["send_email"]["body"] == "create_invoice.url"


@pytest.mark.django_db
def test_what_the_one_messaged_is_asked_to_do_is_the_message():
    # "email ops@x.com to salt the roads", "post in #ops to bring umbrellas" asked the run
    # for the message
    tools = eval_catalog(CATALOG)
    flow = plan("text +15550001111 to lock the back door", tools)
    assert steps(flow)["send_sms"]["message"] == '"Lock the back door"'
    flow = plan("email them to confirm their address", demo_catalog_with([]))
    assert steps(flow)["send_email"]["body"] == '"Confirm your address"'
    # an address or a channel after "to" is where it goes, not what it says
    flow = plan("post the release notes to #eng", tools)
    assert steps(flow)["post_slack"]["channel"] == '"#eng"'
    assert steps(flow)["post_slack"]["text"].startswith("input.")


@pytest.mark.django_db
def test_the_thing_a_step_before_is_named_for_is_what_it_found():
    # "check the weather in Boston and post the weather to #general" asked the run
    flow = plan("get the weather in Oslo and email the weather to kim@x.no", eval_catalog(CATALOG))
    assert "get_weather.temp_c" in steps(flow)["send_email"]["body"]


def test_a_unit_a_field_s_name_ends_on_is_written_out_in_its_label():
    # "Temp c: 3", "Change pct: -4.2" in a message
    from flows.core.planner.lexicon import field_label

    assert field_label("temp_c") == "Temp (C)"
    assert field_label("change_pct") == "Change (percent)"
    assert field_label("price_usd") == "Price (USD)"
    assert field_label("tracking_number") == "Tracking number"
    assert field_label("c") == "C"  # a name that is only a letter is no unit


@pytest.mark.django_db
def test_a_rule_said_of_things_in_the_plural_is_no_step_of_its_own():
    # "charges over $1000 need sign-off from finance. charge cus_N8xQ2 $600" charged twice:
    # "charges" was read as the verb, a demo charge of its own before the one asked for
    flow = plan(
        "Payments over $900 need approval from finance. invoice the customer gil@acme.io $950",
        eval_catalog(CATALOG),
    )
    assert _tools(flow) == ["get_customer", "create_invoice"]
    approval = next(node for node in flow.nodes if node.type == "approval")
    assert approval.when == "950.0 > 900.0"
