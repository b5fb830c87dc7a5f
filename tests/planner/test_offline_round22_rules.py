"""Rules the twenty-first blind round asked for (`requests_round22.json`,
`registered_round22_*.json`), and weaknesses the rounds before left open: each test states
a request the planner got wrong before its rule (in other words than the round's), and what
it plans now."""

from __future__ import annotations

from flows.core.ir import ApprovalNode, BranchNode, MapNode, ToolNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import demo_catalog_with, eval_catalog, steps

VENUE = "registered_round21_venue.json"


def _tools(flow) -> list[str]:
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)]


def test_a_count_no_step_tells_is_refused_saying_what_the_lookup_returns():
    # "look up user 5 and if they have fewer than 3 orders, ...": the orders were compared
    # as the run's `amount`
    error = refusal(
        "find user u_77 and if they have more than 10 orders, send them the welcome email",
        demo_catalog_with([]),
    )
    assert error.details["reason"] == "count_untold"
    assert "lookup_user does not say how many orders" in error.message
    assert "signup_date" in error.message


def test_an_approval_of_the_step_said_next_leaves_that_step_to_its_clause():
    # "If it's valid, ask ops to approve shipping, then ship it": the shipment was planned
    # for the approval's words, and "ship it" refused as an empty condition
    flow = plan(
        "Validate order Q-9. If it is valid, have finance approve shipping and then create "
        "the shipment",
        demo_catalog_with([]),
    )
    assert _tools(flow) == ["validate_order", "create_shipment"]
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "validate_order.valid"
    assert branch.then == ["create_shipment"]
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.when == "validate_order.valid"


def test_a_message_asking_whether_it_was_approved_tells_the_decision_either_way():
    # "... then email ann whether it was approved": sent only when approved, its body asked
    # of the run
    flow = plan(
        "Validate order Q-3 and ask a manager to approve it, then email bo@shop.io whether "
        "it was approved or not",
        demo_catalog_with([]),
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.on_reject == "continue"
    email = steps(flow)["send_email"]
    assert email["body"].startswith(f"{approval.id}.approved ? ")
    assert "was not approved" in email["body"]
    assert "body" not in flow.input_schema.get("properties", {})


def test_one_item_picked_from_several_checked_is_refused_saying_why():
    # "check VEN-1, VEN-2 and VEN-3 and hold the first one that's free": refused as a
    # check that would put a hold on something
    error = refusal(
        "look at VEN-5 and VEN-6 for 2027-05-01 and hold whichever is available, 3 hours "
        "for a@b.co",
        eval_catalog(VENUE),
    )
    assert error.details["reason"] == "first_of_a_list"


WATER = "registered_round22_water.json"
FILMS = "registered_round22_filmfest.json"
MARINA = "registered_round22_marina.json"


def test_a_token_written_as_one_is_the_card_token():
    # "charge €64.90 to tok_mc_81 for order HP-3321": the token was left out
    flow = plan("charge order Z-5 $20.00 using tok_disc_7", demo_catalog_with([]))
    assert steps(flow)["process_payment"]["card_token"] == '"tok_disc_7"'


def test_countries_side_by_side_are_one_call_each():
    # "Compute VAT for €200 in DE and in FR": France was dropped
    flow = plan("work out the VAT on €90 in NL and BE", demo_catalog_with([]))
    (tax,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert tax.items == '["NL", "BE"]'


def test_there_is_room_reads_whether_it_is_available():
    # "if there's space book it": refused as a condition no step tells
    flow = plan(
        "check for a berth for a 7m boat arriving 2027-06-01 for 2 nights; if there is room, "
        "book it for the 'Kestrel', skipper li@k.io",
        eval_catalog(MARINA),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "marina_berth_availability.available"


def test_a_length_in_the_unit_an_input_ends_on_and_an_arrival_day_are_written():
    # "any berth for a 12 m boat arriving 2027-07-02": both asked of the run
    flow = plan(
        "is there a berth for a 15.5 m catamaran arriving 2027-09-09 for 4 nights?",
        eval_catalog(MARINA),
    )
    check = steps(flow)["marina_berth_availability"]
    assert check["length_m"] == "15.5"
    assert check["arrival"] == '"2027-09-09"'


def test_a_name_in_quotes_is_the_things_name():
    # "book berth B-14 for the 'Sea Lark'": the vessel's name was looked up off the berth
    flow = plan(
        "book berth D-9 for the 'Morning Star', 3 nights from 2027-05-05, skipper al@ms.io",
        eval_catalog(MARINA),
    )
    assert _tools(flow) == ["marina_berth_book"]
    assert steps(flow)["marina_berth_book"]["vessel_name"] == '"Morning Star"'


def test_the_listed_value_of_several_words_is_meant():
    # "a notice to all berth holders": it went to everyone
    flow = plan("post a notice to all berth holders: pontoon C is shut", eval_catalog(MARINA))
    assert steps(flow)["marina_harbour_notice"]["audience"] == '"berth_holders"'


def test_three_codes_with_commas_alone_are_one_call_each():
    # "pull up bookings MB-201, MB-202, MB-203": refused as several values for one
    flow = plan("get bookings MB-1, MB-2, MB-3, MB-4", eval_catalog(MARINA))
    (lookup,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert lookup.items == '["MB-1", "MB-2", "MB-3", "MB-4"]'


def test_sold_out_reads_the_field_named_so():
    # "if it's sold out email the box office": read as "not sold out"
    flow = plan(
        "check ticket sales for SCR-30 and if it is sold out, email fest@x.org",
        eval_catalog(FILMS),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "fest_ticket_sales.sold_out"


def test_a_verb_whose_participle_a_tool_lists_is_its_step():
    # "Accept SUB-66 once the festival director signs off, then schedule it": the
    # acceptance was dropped; "Waitlist SUB-1200, ...": no tool knew the word
    flow = plan(
        "Accept SUB-5 once the programme director signs off, then schedule it in Hall A on "
        "2027-10-01 at 20:00",
        eval_catalog(FILMS),
    )
    assert _tools(flow) == ["fest_submission_decide", "fest_screening_schedule"]
    assert steps(flow)["fest_submission_decide"]["decision"] == '"accepted"'
    assert steps(flow)["fest_screening_schedule"]["starts_at"] == '"2027-10-01T20:00"'
    flow = plan("waitlist SUB-9", eval_catalog(FILMS))
    assert steps(flow)["fest_submission_decide"]["decision"] == '"waitlisted"'


def test_a_field_named_after_an_address_is_sent():
    # "email ops@aqualine.gov the reading": the body was asked of the run
    flow = plan("read meter MTR-9 and email crew@w.gov the reading", eval_catalog(WATER))
    assert "water_meter_read.reading_m3" in steps(flow)["send_email"]["body"]


def test_a_number_with_cents_is_the_amount():
    # "adjust account ACC-20931's bill by 42.50": the amount was asked of the run
    flow = plan("adjust ACC-5's bill by 17.25, reason: meter misread", eval_catalog(WATER))
    assert steps(flow)["water_bill_adjust"]["amount"] == "17.25"


def test_a_figure_over_every_record_no_tool_lists_is_refused():
    # "the average water use across all accounts": one account was looked up
    error = refusal("what's the total balance due across all accounts?", eval_catalog(WATER))
    assert error.details["reason"] == "figure_over_every_record"


def test_a_question_goes_to_the_tool_that_reads_what_it_names():
    # "how many tickets sold for screening SCR-19?": a support ticket was to be opened
    flow = plan("how many tickets were sold for screening SCR-2?", eval_catalog(FILMS))
    assert _tools(flow) == ["fest_ticket_sales"]


def test_whatever_comes_back_is_what_the_step_before_gave():
    # "with whatever category and priority come back": 'come' as the priority
    flow = plan(
        "classify 'my card was declined twice' and open a ticket with whatever priority "
        "comes back for jo@x.io",
        demo_catalog_with([]),
    )
    assert steps(flow)["create_ticket"]["priority"] == "classify_ticket.priority"


def test_a_channel_a_notice_tool_lists_is_no_channel_missing():
    # "send them a letter saying ...": refused as a letter by post no tool sends
    flow = plan(
        "look up ACC-3 and send them a letter saying the main will be flushed on Monday",
        eval_catalog(WATER),
    )
    assert steps(flow)["water_customer_notice"]["channel"] == '"letter"'


def test_an_approval_of_it_after_a_step_comes_after_that_step():
    # "Validate order Q-3, have a manager approve it, then ...": the approval went first,
    # approving "validate order Q-3, it"
    flow = plan(
        "check order K-7 and get finance to approve it, then ship it", demo_catalog_with([])
    )
    ids = [node.id for node in flow.nodes]
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert ids.index("validate_order") < ids.index(approval.id) < ids.index("create_shipment")


def test_looking_for_a_thing_finds_one():
    # "look for a berth for a 7m boat ...": a booking was read by an id asked of the run
    flow = plan(
        "search for a berth for an 11 m ketch arriving 2027-04-04 for 1 night",
        eval_catalog(MARINA),
    )
    assert _tools(flow) == ["marina_berth_availability"]


def test_a_place_named_with_capitals_is_the_venue():
    # "schedule SUB-9 in the Odeon at ...": the venue was asked of the run
    flow = plan("schedule SUB-31 at the Palace Cinema on 2027-09-20 at 21:15", eval_catalog(FILMS))
    assert steps(flow)["fest_screening_schedule"]["venue"] == '"Palace Cinema"'
