"""The offline planner on requests typed into a fresh install over tools an admin registered
through the API (current weather, a CRM contact lookup, calendar events, SMS, invoices, GitHub
issues, a website check): each test states the request in other words than the walkthrough's,
what went wrong before its rule, and what it plans now."""

from __future__ import annotations

import json

import pytest

from flows.core.ir import ApprovalNode, BranchNode, Flow
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import eval_catalog, steps

CATALOG = "registered_walkthrough_s24.json"

pytestmark = pytest.mark.django_db


@pytest.fixture
def tools():
    return eval_catalog(CATALOG)


def _conditions(flow: Flow) -> list[str]:
    return [node.condition for node in flow.nodes if isinstance(node, BranchNode)]


def test_a_number_said_of_it_in_a_place_is_the_temperature_there(tools):
    # "if it's below 0 in Oslo" compared a number asked of the run and looked nothing up
    flow = plan("if it drops under -5 in Tromso, text +4791234567 'stay in'", tools)

    assert steps(flow)["get_weather"]["city"] == json.dumps("Tromso")
    assert _conditions(flow) == ["get_weather.temp_c < -5.0"]


def test_it_after_a_weather_lookup_is_its_temperature(tools):
    # "get the weather in Oslo and if it's below 0" compared `input.amount`
    flow = plan("check the weather in Bergen and if it's above 25, text +4791234567 'swim'", tools)

    assert _conditions(flow) == ["get_weather.temp_c > 25.0"]
    assert "amount" not in flow.input_schema.get("properties", {})


def test_weather_said_in_words_looks_the_weather_up_first(tools):
    # "if it's snowing in Berlin" was refused: no step before it tells the weather
    flow = plan("when it's raining in Lisbon, text +351912345678 'take the bus'", tools)

    assert steps(flow)["get_weather"]["city"] == json.dumps("Lisbon")
    assert _conditions(flow) == ['get_weather.conditions.lowerAscii().contains("rain")']


def test_slower_and_faster_compare_a_time_the_right_way(tools):
    # "slower than 500 ms" compared below 500
    slow = plan("if https://api.acme.io is slower than 800 ms, open an issue in acme/api", tools)
    fast = plan("check https://acme.io and if it's quicker than 90 ms, text +15551234567 'ok'",
                tools)

    assert _conditions(slow) == ["check_website.response_ms > 800.0"]
    assert _conditions(fast) == ["check_website.response_ms < 90.0"]


def test_whether_a_site_is_up_is_asked_of_the_tool_that_checks_sites(tools):
    # "check if https://... is up" fetched the page with the demo pack's fetch_url, and
    # "Is https://... up? If not, ..." was refused
    checked = plan(
        "see whether https://docs.acme.io is online; if not, open an issue in acme/docs", tools
    )
    asked = plan(
        "Is https://status.acme.io down? If so, text +15551234567 'status page down'", tools
    )

    for flow in (checked, asked):
        assert "check_website" in steps(flow)
        assert "fetch_url" not in steps(flow)
        assert _conditions(flow) == ["!(check_website.status_code < 400.0)"]
    # a page fetched as such is still fetched
    fetched = plan("fetch https://acme.io and text +15551234567 the status code", tools)
    assert "fetch_url" in steps(fetched)


def test_their_account_owner_is_the_owner_a_lookup_returned(tools):
    # "email their account owner" asked the run for `account_owner_email`
    flow = plan("find the contact max@bigco.com and email their account owner 'renewal due'", tools)

    assert steps(flow)["send_email"]["to"] == "find_contact.owner_email"


def test_a_meeting_or_an_issue_called_unquoted_is_titled_so(tools):
    # "a meeting called Quarterly review on ..." and "an issue in acme/api called ..." asked
    # the run for the title; "... on Safari" was cut as if it said when
    meeting = plan(
        "book a meeting called Budget kickoff on 2026-12-14 at 09:30 with cfo@acme.io", tools
    )
    issue = plan("open an issue in acme/app called Crash on launch in iOS 18", tools)

    assert steps(meeting)["create_calendar_event"]["title"] == json.dumps("Budget kickoff")
    assert steps(issue)["create_github_issue"]["title"] == json.dumps("Crash on launch in iOS 18")


def test_a_thank_you_texted_to_their_phone_is_a_thank_you(tools):
    # "text their phone a thank-you note" sent the phone number as the text
    flow = plan("look up lee@client.io in the CRM and text their phone a thank-you message", tools)

    sms = steps(flow)["send_sms"]
    assert sms["to"] == "find_contact.phone"
    assert sms["body"] == json.dumps("Thank you.")


def test_calling_a_number_is_refused_when_tools_only_text(tools):
    # "Call +1555..." was planned as a text message
    error = refusal("call +447700900123 and tell them the invoice is paid", tools)

    assert error.details["capability"] == "a phone call"
    # a phone number a text goes to is still texted
    assert "send_sms" in steps(plan("text their phone +447700900123 'paid'", tools))


def test_an_approval_asked_before_a_message_lets_the_message_say_its_quote(tools):
    # "ask my manager for approval before texting ... 'quote'" asked the run for the text,
    # named no approver and told the approver "the request to ask my manager before ..."
    flow = plan(
        "ask my manager for approval before emailing all@acme.io 'Office closed Friday'", tools
    )

    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.assignees.groups == ["managers"]
    assert approval.instructions == "Approve emailing all@acme.io 'Office closed Friday'."
    assert steps(flow)["send_email"]["body"] == json.dumps("Office closed Friday")


def test_my_managers_approval_then_a_step_plans_no_lookup_for_get(tools):
    # "get my manager's approval, then ..." planned an invoice lookup for "get"
    flow = plan("Get my manager's sign-off, then text +15551234567 'We open late'", tools)

    assert set(steps(flow)) == {"send_sms"}
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.instructions == "Approve the request to text +15551234567 'We open late'."


def test_a_step_when_a_named_thing_is_in_a_state_checks_it_first(tools):
    # "text me at ... when invoice INV-1007 is overdue" texted at once, whatever the invoice
    flow = plan("email ar@acme.io when invoice INV-2044 is overdue", tools)

    assert steps(flow)["get_invoice"]["number"] == json.dumps("INV-2044")
    assert _conditions(flow) == ['get_invoice.status == "overdue"']


def test_the_summary_of_lookups_in_a_loop_is_a_line_each(tools):
    # "get the weather for A, B and C and email the summary" summarized a text asked of the run
    flow = plan(
        "get the weather in Rome, Paris and Oslo and email a quick overview to me@x.io", tools
    )

    assert "summarize_text" not in steps(flow)
    body = steps(flow)["send_email"]["body"]
    assert "get_weather[i].temp_c" in body
    assert json.dumps(["Rome", "Paris", "Oslo"]) in body


def test_a_meeting_with_them_invites_the_one_looked_up(tools):
    # "... create a calendar event ... with them" after a contact lookup invited nobody
    flow = plan(
        "look up dana@corp.io in the CRM and invite her to a meeting 'Demo' on 2026-12-18T10:00",
        tools,
    )

    assert steps(flow)["create_calendar_event"]["attendees"] == json.dumps(["dana@corp.io"])


def test_each_looked_up_thing_is_sent_to_the_one_it_names(tools):
    # "for each of INV-101 and INV-102, get the invoice and email the customer" was refused
    # (the codes were read as the addresses); with "if it's overdue" the codes were the
    # addresses
    every = plan("for each of INV-7 and INV-9, fetch the invoice and email the customer", tools)
    overdue = plan(
        "for each of INV-7 and INV-9, get the invoice and if it is overdue email the customer",
        tools,
    )

    for flow in (every, overdue):
        email = next(node for node in flow.nodes if getattr(node, "tool", "") == "send_email")
        assert email.inputs["to"] == "item.customer_email"
        assert email.items.startswith("get_invoice")


def test_a_text_sends_what_a_lookup_tells(tools):
    # "text the weather in Madrid to ..." was refused (texting was no sending step), and
    # "email ... the temperature in Berlin" looked nothing up
    texted = plan("text +15551234567 the weather in Porto", tools)
    emailed = plan("email me@x.io the temperature in Vienna", tools)

    for flow, sender in ((texted, "send_sms"), (emailed, "send_email")):
        assert steps(flow)["get_weather"]["city"] in (json.dumps("Porto"), json.dumps("Vienna"))
        assert "get_weather.temp_c" in (steps(flow)[sender].get("body") or "")


def test_below_zero_is_below_zero_degrees(tools):
    # "if it's below zero" was refused: no number to compare
    flow = plan("get the weather in Riga and email me@x.io if it is below zero", tools)

    assert _conditions(flow) == ["get_weather.temp_c < 0.0"]


def test_the_code_said_of_the_checked_thing_is_what_its_check_reads(tools):
    # "open an issue ... for invoice INV-1007 if it is overdue" asked the run for the number
    flow = plan("email ar@acme.io about invoice INV-88 if it is overdue", tools)

    assert steps(flow)["get_invoice"]["number"] == json.dumps("INV-88")


def test_what_is_due_on_a_thing_is_looked_up_to_send(tools):
    # "with the amount due on invoice INV-1042" looked nothing up
    flow = plan("text +15551234567 the amount owed on invoice INV-77", tools)

    assert steps(flow)["get_invoice"]["number"] == json.dumps("INV-77")
    assert "get_invoice.amount" in steps(flow)["send_sms"]["body"]


def test_a_step_said_with_its_gerund_after_an_approval_keeps_its_addressee(tools):
    # "ask finance to approve before emailing the customer" asked the run for the address
    flow = plan("get invoice INV-5; have finance approve it before emailing the customer", tools)

    assert steps(flow)["send_email"]["to"] == "get_invoice.customer_email"


def test_a_text_never_goes_to_an_email_address(tools):
    # "remind the customer of invoice INV-1042 by SMS" texted the invoice's customer_email
    flow = plan("get invoice INV-3 and text the customer that it is overdue", tools)

    assert "email" not in steps(flow)["send_sms"]["to"]


@pytest.fixture
def s23_tools():
    return eval_catalog("registered_walkthrough_s23.json")


def test_a_pair_compared_is_the_number_looked_up_for_it(s23_tools):
    # "if EUR to USD is above 1.10" compared a number asked of the run
    flow = plan("if GBP/CHF drops below 1.05, post 'GBP weak' to #fx", s23_tools)

    assert _conditions(flow) == ["get_exchange_rate.rate < 1.05"]
    assert "amount" not in flow.input_schema.get("properties", {})


def test_each_of_a_loop_posted_is_what_the_loop_made(s23_tools):
    # "translate ... into French, German and Spanish and post each" posted the languages
    flow = plan(
        "translate 'Sale ends today' into Italian and Dutch and post each to #eu", s23_tools
    )

    post = next(n for n in flow.nodes if getattr(n, "tool", "") == "post_discord_message")
    assert post.items == "translate_text"
    assert post.inputs["content"] == "item.translated_text"
