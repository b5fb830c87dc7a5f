"""Rules the twentieth blind round asked for (`requests_round21.json`,
`registered_round21_*.json`: an event venue's bookings, life-insurance underwriting, a
school district's buses), and silent wrongs the rounds before left: each test states a
request the planner got wrong before its rule (in other words than the round's), and what
it plans now."""

from __future__ import annotations

from flows.core.ir import MapNode, ToolNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import demo_catalog_with, eval_catalog, steps

VENUE = "registered_round21_venue.json"
UNDERWRITING = "registered_round21_underwriting.json"
BUSES = "registered_round21_schoolbus.json"


def _tools(flow) -> list[str]:
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)]


def _maps(flow) -> list[MapNode]:
    return [node for node in flow.nodes if isinstance(node, MapNode)]


def test_a_day_written_fills_an_input_named_for_a_date():
    # "is VEN-12 free on 2027-03-14?": the venue's `date` (no format said) was asked of the
    # run
    flow = plan("check whether VEN-40 is available on 2027-11-02", eval_catalog(VENUE))
    assert steps(flow)["venue_availability"]["date"] == '"2027-11-02"'
    assert flow.input_schema.get("properties", {}) == {}


def test_a_short_unit_after_a_number_is_the_unit():
    # "$1,000,000 cover, 30 yrs": the term was asked of the run
    flow = plan("quote APP-77 for $250,000 over 12 yrs", eval_catalog(UNDERWRITING))
    assert steps(flow)["uw_quote_premium"]["term_years"] == "12"


def test_a_number_joined_to_a_word_is_no_code():
    # "quote a 20-year term for APP-4402": the application quoted was "20-year"
    flow = plan(
        "price a 25-year term for APP-5150 with $400,000 coverage", eval_catalog(UNDERWRITING)
    )
    quote = steps(flow)["uw_quote_premium"]
    assert quote["application_id"] == '"APP-5150"'
    assert quote["term_years"] == "25"


def test_a_verb_and_its_object_before_a_colon_is_a_step_not_a_heading():
    # "report a major incident for bus BUS-4: rear-ended ... also email the director": the
    # first sentence was a heading (no tool says "report"), and the incident dropped
    flow = plan(
        "report a minor incident on bus BUS-71: a window cracked on the school run. "
        "then email safety@district.k12.us",
        eval_catalog(BUSES),
    )
    assert _tools(flow) == ["bus_incident_report", "send_email"]
    assert steps(flow)["bus_incident_report"]["bus_id"] == '"BUS-71"'


def test_a_question_is_not_answered_by_a_tool_that_changes_something():
    # "how many people does VEN-22 hold?": the venue was put on hold
    error = refusal("how many guests does VEN-31 hold?", eval_catalog(VENUE))
    assert "asks a question" in error.message
    # a tool that tells still answers one
    flow = plan("what's the VAT on 120 EUR in Spain?", demo_catalog_with([]))
    assert _tools(flow) == ["calculate_tax"]


def test_a_verb_a_tool_only_says_of_what_it_returns_is_not_what_it_does():
    # "track parcel 1Z999..." created a shipment ("... return the tracking number")
    error = refusal("track package 1Z12345E0205271688 for me", demo_catalog_with([]))
    assert "track" in error.message


def test_the_thing_a_verb_acts_on_must_be_the_tools_not_what_it_is_for():
    # "book a DJ for booking BK-550": a booking was confirmed, the code taken as a hold
    error = refusal("book an MC for booking BK-812", eval_catalog(VENUE))
    assert "MC" in error.message


def test_country_codes_after_each_of_and_a_colon_are_a_loop():
    # "what's the VAT on 75 EUR in each of: DE, FR, IT": a list asked of the run
    flow = plan("what is the VAT on 60 EUR in each of: NL, BE, AT", demo_catalog_with([]))
    (loop,) = _maps(flow)
    assert loop.items == '["NL", "BE", "AT"]'
    assert loop.inputs["country"] == "item"


def test_a_value_named_with_no_verb_for_each_of_a_list():
    # "sales tax on $250 for each of: OR, TX, NV" (the known open weakness): no verb, and
    # the states were dropped (the country asked of the run)
    flow = plan("sales tax on $90 for each of: AZ, NM, UT", demo_catalog_with([]))
    (loop,) = _maps(flow)
    assert loop.items == '["AZ", "NM", "UT"]'
    assert loop.inputs["region"] == "item"
    assert loop.inputs["country"] == '"US"'


def test_a_text_shown_under_a_kind_in_two_words_is_what_it_is():
    # "Here's a customer message: '...'. classify it": a user was looked up for "customer",
    # and the text classified was asked of the run
    flow = plan(
        "here is a support email: 'the blender lid cracked on day two'. classify it",
        demo_catalog_with([]),
    )
    assert _tools(flow) == ["classify_ticket"]
    assert steps(flow)["classify_ticket"]["text"] == '"the blender lid cracked on day two"'


def test_there_being_no_such_record_is_the_lookup_finding_no_one():
    # "if there's no such account, ...": a ticket was classified and its category compared
    flow = plan(
        "find the user with email lee@shop.io and if there is no such account send him the "
        "welcome email (name Lee)",
        demo_catalog_with([]),
    )
    assert _tools(flow) == ["lookup_user", "send_welcome_email"]
    (branch,) = [node for node in flow.nodes if node.id.startswith("if_")]
    assert branch.condition == "!lookup_user.found"
