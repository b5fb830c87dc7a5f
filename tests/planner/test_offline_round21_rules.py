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


def test_words_about_them_sent_to_a_desk_keep_them():
    # "email intake@... saying we can't take them": the intake desk got "We can't take you"
    flow = plan(
        "look up user u_5 and if they're not found email support@shop.io saying we "
        "couldn't find them",
        demo_catalog_with([]),
    )
    assert steps(flow)["send_email"]["body"] == '"We couldn\'t find them"'
    # a message to a person's address still speaks to them
    flow = plan("email jo@shop.io saying their refund is on its way", demo_catalog_with([]))
    assert steps(flow)["send_email"]["body"] == '"Your refund is on its way"'


def test_a_level_and_its_name_after_a_comma_is_a_value_of_the_step():
    # "log repair tickets ..., high severity, for each of these bikes: ...": a ticket was
    # classified for "high severity", and the bikes dropped
    bikes = eval_catalog("registered_round19_bikeshare.json")
    flow = plan("open a repair ticket for bike B-7, high severity", bikes)
    assert _tools(flow) == ["bike_repair_ticket"]
    assert steps(flow)["bike_repair_ticket"]["severity"] == '"high"'
    flow = plan(
        "file a repair ticket, low severity, for each of these bikes: B-31, B-32, B-40", bikes
    )
    assert _tools(flow) == ["bike_repair_ticket"]
    (loop,) = _maps(flow)
    assert loop.items == '["B-31", "B-32", "B-40"]'
    assert loop.inputs["bike_id"] == "item"


def test_how_many_were_approved_after_a_loop_counts_its_results():
    # "email me how many were approved" after charges: an approval was asked before the
    # email (and "approved" dropped from what it said)
    flow = plan(
        "charge $15 for each of these orders: Q-1, Q-2, Q-3, then email ops@shop.io how "
        "many got approved",
        demo_catalog_with([]),
    )
    assert not [node for node in flow.nodes if node.type == "approval"]
    assert "r.approved" in steps(flow)["send_email"]["body"]


def test_the_same_thing_sent_twice_asks_its_words_once():
    # two emails of "the weekly update": the second asked its own subject and body
    # (`input.email_subject`, `input.email_body`)
    flow = plan(
        "email ann@shop.io the monthly update, then send the same update to bo@shop.io",
        demo_catalog_with([]),
    )
    sends = [node for node in flow.nodes if isinstance(node, ToolNode)]
    assert [node.inputs["subject"] for node in sends] == ["input.subject", "input.subject"]
    assert [node.inputs["body"] for node in sends] == ["input.body", "input.body"]
    assert set(flow.input_schema["properties"]) == {"subject", "body"}


def test_a_things_name_is_written_around_its_noun():
    # "put her on route R-3 at the Oak Street stop": the stop was read off a lookup of the
    # student (looked up by the route's code)
    buses = eval_catalog(BUSES)
    flow = plan("assign student S-12 to route R-8 at the Birch Avenue stop", buses)
    assert _tools(flow) == ["bus_assign_stop"]
    assert steps(flow)["bus_assign_stop"]["stop_name"] == '"Birch Avenue"'
    flow = plan("assign student S-13 to route R-8, stop Town Hall", buses)
    assert steps(flow)["bus_assign_stop"]["stop_name"] == '"Town Hall"'


def test_put_on_a_thing_a_tool_assigns_to_is_assigning():
    # "student S-40211 moved house - put her on route R-3 ...": the student was looked up
    flow = plan(
        "student S-77 changed schools, put him on route R-5 at the Quarry Road stop",
        eval_catalog(BUSES),
    )
    assert _tools(flow) == ["bus_assign_stop"]
    assert steps(flow)["bus_assign_stop"]["route_id"] == '"R-5"'


def test_a_step_after_a_dash_with_a_verb_no_tool_does_is_refused():
    # "student S-40211 moved house - enrol her in ...": a lookup of her was all the plan
    error = refusal(
        "student S-88 is new to the district \u2014 register her for the swim team",
        eval_catalog(BUSES),
    )
    assert "register" in error.message


def test_why_after_a_dash_that_follows_the_code_is_the_reason():
    # "decline APP-7007 - incomplete medical history": the reason was asked of the run
    flow = plan("decline APP-3021 \u2014 missing beneficiary details", eval_catalog(UNDERWRITING))
    assert steps(flow)["uw_decline_application"]["reason"] == '"missing beneficiary details"'


def test_each_of_a_plural_noun_then_codes_is_a_loop_over_the_codes():
    # "for each of routes check the status": refused as the same call
    flow = plan("for each of routes R-11, R-12, R-19 get the status", eval_catalog(BUSES))
    (loop,) = _maps(flow)
    assert loop.items == '["R-11", "R-12", "R-19"]'
    assert loop.inputs["route_id"] == "item"


def test_codes_listed_are_no_addresses_to_email():
    # "for each of these students: S-1, S-2, S-3, email their guardian ...": each code was
    # the email's recipient
    error = refusal(
        "for each of these riders: M-10, M-11, M-12, email them their balance",
        demo_catalog_with([]),
    )
    assert error.details["reason"] == "codes_as_addresses"


def test_a_coded_thing_that_broke_down_said_first_before_a_dash():
    # "bus BUS-2 broke down on route R-8 - log a major incident ...": the route's status
    # was looked up, and the incident's bus read off it
    flow = plan(
        "bus BUS-14 stalled at the depot \u2014 log a minor incident for it", eval_catalog(BUSES)
    )
    assert _tools(flow) == ["bus_incident_report"]
    assert steps(flow)["bus_incident_report"]["bus_id"] == '"BUS-14"'


def test_one_person_is_not_told_through_a_tool_that_tells_everyone():
    # "look up student S-100 and text their guardian ...": every guardian on the route
    # was texted
    error = refusal(
        "look up student S-61 and text her guardian that pickup moved to 3pm",
        eval_catalog(BUSES),
    )
    assert error.details["reason"] == "one_sent_to_all"


def test_a_notice_in_the_if_not_case_says_the_negation():
    # "check whether nora@... is a real address; if not, let support@... know": the notice
    # said "Nora@... is a real address"
    flow = plan(
        "check whether pat@shop.io is a working address; if not, let ops@shop.io know",
        demo_catalog_with([]),
    )
    assert steps(flow)["send_email"]["subject"] == '"Pat@shop.io is not a working address"'


def test_a_department_named_by_what_it_does_is_no_plural():
    # "once underwriting approves": the approval went to the group "underwritings"
    flow = plan(
        "issue a 10-year, $150k policy for APP-64 once underwriting signs off",
        eval_catalog(UNDERWRITING),
    )
    (approval,) = [node for node in flow.nodes if node.type == "approval"]
    assert approval.assignees.groups == ["underwriting"]


def test_a_reason_after_its_label_is_the_reason():
    # "Cancel BK-8810 (reason: double booked)": the reason was asked of the run
    flow = plan("cancel booking BK-4410 (reason: venue flooded)", eval_catalog(VENUE))
    assert steps(flow)["venue_booking_cancel"]["reason"] == '"venue flooded"'


def test_a_coded_things_number_no_step_tells_is_not_asked_of_the_run():
    # "if VEN-8 costs more than $300 an hour on ..., email finance ...": the condition
    # compared an amount asked of the run, and the hold asked for the venue
    error = refusal(
        "if VEN-14 has more than 12 parking spaces, email ops@brightevents.co",
        eval_catalog(VENUE),
    )
    assert error.details["reason"] == "coded_value_asked"
    # a tool that tells the number, of what the condition writes, is asked first (the
    # walkthrough of s22: "if the price of AAPL is over 200")
    flow = plan(
        "if VEN-14 costs over $450 an hour on 2027-07-07, email ops@brightevents.co",
        eval_catalog(VENUE),
    )
    assert _tools(flow) == ["venue_availability", "send_email"]
    (branch,) = [node for node in flow.nodes if node.id.startswith("if_")]
    assert branch.condition == "venue_availability.price_per_hour > 450.0"
    assert steps(flow)["venue_availability"] == {"venue_id": '"VEN-14"', "date": '"2027-07-07"'}
    assert "amount" not in flow.input_schema.get("properties", {})


def test_a_condition_on_a_coded_thing_said_first_is_no_report():
    # "if VEN-14 is free, email ops@...": "if VEN-14 is ..." was read as what someone
    # reported, and the email was sent always
    flow = plan("if VEN-30 is available on 2027-09-01, email ops@shop.io", eval_catalog(VENUE))
    assert _tools(flow) == ["venue_availability", "send_email"]
    (branch,) = [node for node in flow.nodes if node.id.startswith("if_")]
    assert branch.condition == "venue_availability.available"
    assert branch.then == ["send_email"]
