"""Rules the fifteenth blind round asked for (`requests_round15.json`,
`registered_round15_*.json`: an event box office, a car-repair garage, a city 311 desk):
each test states a request the planner got wrong before its rule (in other words than the
round's), and what it plans now."""

from __future__ import annotations

from flows.core.ir import BranchNode, MapNode, ToolNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import demo_catalog_with, eval_catalog, steps

BOXOFFICE = "registered_round15_boxoffice.json"
GARAGE = "registered_round15_garage.json"
CITY311 = "registered_round15_city311.json"


def _tools(flow) -> list[str]:
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)]


def _condition(flow) -> str:
    return next(node for node in flow.nodes if isinstance(node, BranchNode)).condition


def test_a_number_of_a_code_and_the_supplier_it_comes_from():
    # "order 2 of ALT-5540 from Parts4U": the part number was read as "s4U" (the "part"
    # of "Parts4U" read as the noun), the quantity and the supplier asked of the run
    inputs = steps(plan("order 3 of WPR-2210 from Partsmart", eval_catalog(GARAGE)))[
        "garage_parts_order"
    ]
    assert inputs["part_number"] == '"WPR-2210"'
    assert inputs["quantity"] == "3"
    assert inputs["supplier"] == '"Partsmart"'


def test_summarise_this_reads_the_quote_the_request_ends_on():
    # "summarise this and email it to board@...: '...'": the email sent the quote itself
    # (and the summary read it too), not the summary
    flow = plan(
        "summarize this and send it to ops@farm.io: 'The barn roof leaked again. Hay got wet.'",
        demo_catalog_with([]),
    )
    assert steps(flow)["summarize_text"]["text"] == '"The barn roof leaked again. Hay got wet."'
    assert steps(flow)["send_email"]["body"] == "summarize_text.summary"


def test_a_description_that_starts_with_the_verb_and_whom_it_goes_to():
    # "if it's closed email the resident that it's been fixed": the demo's send_email sent
    # it to an address asked of the run, though "Email the resident who reported ..." is
    # how the 311 desk's tool starts
    flow = plan(
        "check the status of SR-7781, if it's closed email the resident that the tree was "
        "cleared",
        eval_catalog(CITY311),
    )
    assert "send_email" not in _tools(flow)
    assert steps(flow)["city311_reporter_update"]["request_id"] == '"SR-7781"'


def test_no_page_fetched_for_a_step_that_writes_a_code_and_no_link():
    # found while writing the rule above: "look up the status of SR-7781" fetched a page
    # at an address asked of the run (fetch_url matched "look" and "status" as well)
    flow = plan("look up the status of SR-4410", eval_catalog(CITY311))
    assert _tools(flow) == ["city311_request_status"]
    assert steps(flow)["city311_request_status"]["request_id"] == '"SR-4410"'


def test_a_tool_that_orders_from_a_supplier_pays_no_one():
    # "pay the supplier invoice for parts order PO-5521" ordered parts (the tool names the
    # supplier it orders from) instead of being refused
    error = refusal("pay our tyre supplier for order PO-881", eval_catalog(GARAGE))
    assert "paying someone" in error.message


def test_people_sent_somewhere_are_no_email():
    # "send the roads crew to SR-44120, urgent" sent an email to an address asked of the run
    flow = plan("send the parks crew to SR-3120", eval_catalog(CITY311))
    assert _tools(flow) == ["city311_crew_dispatch"]
    assert steps(flow)["city311_crew_dispatch"]["crew"] == '"parks"'
    assert steps(flow)["city311_crew_dispatch"]["request_id"] == '"SR-3120"'


def test_a_country_after_a_postcode_and_a_state_without_its_comma():
    # "..., Madrid 28013, Spain" lost its postcode and its country; "Hood River OR 97031"
    # (no comma after the town) was no US address
    madrid = steps(
        plan("ship order W-7 to Luis Gil, 9 Calle Sol, Sevilla 41001, Spain", demo_catalog_with([]))
    )["create_shipment"]
    assert madrid["country"] == '"ES"'
    assert madrid["address"] == '"9 Calle Sol, Sevilla 41001, Spain"'
    oregon = steps(
        plan("ship order W-8 to 40 Pine Road, Bend OR 97701 via UPS", demo_catalog_with([]))
    )["create_shipment"]
    assert oregon["country"] == '"US"'


def test_a_record_code_then_the_word_the_input_is_named_for():
    # "check availability for EV-3050 floor section": the section was "EV-3050" and the
    # event asked of the run
    inputs = steps(plan("seats left for EV-7000 mezzanine section", eval_catalog(BOXOFFICE)))[
        "box_event_availability"
    ]
    assert inputs["event_id"] == '"EV-7000"'
    assert inputs["section"] == '"mezzanine"'


def test_a_tool_whose_description_texts_someone_sends_a_text():
    # "text the owner of V-3312 that the car is ready" was refused: no tool sends an SMS,
    # though the garage's tool starts "Text the vehicle's owner a message"
    inputs = steps(plan("text the owner of V-1200 that the brakes are done", eval_catalog(GARAGE)))[
        "garage_customer_text"
    ]
    assert inputs["vehicle_id"] == '"V-1200"'


def test_three_codes_listed_with_commas_alone_for_a_tool_that_reads():
    # "status of SR-1001, SR-1002, SR-1003, SR-1004?" was refused (no "and" before the last)
    flow = plan("check the status of SR-2001, SR-2002, SR-2003", eval_catalog(CITY311))
    loop = next(node for node in flow.nodes if isinstance(node, MapNode))
    assert loop.tool == "city311_request_status"
    assert loop.items == '["SR-2001", "SR-2002", "SR-2003"]'


def test_a_question_for_a_thing_no_tool_gives():
    # "what's the MOT history for plate 7ABC123" looked the vehicle up; its mileage is one
    # of the fields the lookup returns and stays planned
    catalog = eval_catalog(GARAGE)
    assert "MOT" in refusal("what's the MOT record for plate 4KLM220", catalog).message
    mileage = plan("what's the mileage for plate 4KLM220", catalog)
    assert _tools(mileage) == ["garage_vehicle_lookup"]


def test_order_them_orders_as_many_as_the_check_counted():
    # "check if we've got 4 of part BRK-PAD-220 in stock, if not order them": the part
    # number was carried, how many was asked of the run
    flow = plan(
        "see if we have 6 of part FLT-0092 in stock, if not order them", eval_catalog(GARAGE)
    )
    assert steps(flow)["garage_parts_order"]["quantity"] == "6"
    assert steps(flow)["garage_parts_order"]["part_number"] == '"FLT-0092"'


def test_what_was_done_by_whom_said_after_closing_a_record():
    # "close SR-11800, tree removed by parks" was refused as deleting something
    flow = plan("close SR-5100, graffiti cleaned by the parks crew", eval_catalog(CITY311))
    assert _tools(flow) == ["city311_request_close"]
    assert steps(flow)["city311_request_close"]["request_id"] == '"SR-5100"'


def test_are_these_valid_asked_of_a_list_after_it():
    # "are these emails valid? a@..., b@..., c@..." was refused
    flow = plan("are these emails valid? x@farm.io, y@farm.io, z@farm.io", demo_catalog_with([]))
    loop = next(node for node in flow.nodes if isinstance(node, MapNode))
    assert loop.tool == "validate_email"
    assert loop.items == '["x@farm.io", "y@farm.io", "z@farm.io"]'


def test_a_part_of_a_place_after_in_the():
    # "how many seats left in the balcony for EV-2201?": the availability of the whole
    # event was asked (`section` left out)
    inputs = steps(plan("seats left in the mezzanine for EV-3300?", eval_catalog(BOXOFFICE)))[
        "box_event_availability"
    ]
    assert inputs["section"] == '"mezzanine"'
    assert inputs["event_id"] == '"EV-3300"'


def test_a_fine_is_no_support_ticket():
    # "issue a parking ticket to the car blocking 12 Pine St" classified a support message
    catalog = eval_catalog(CITY311)
    assert "fining someone" in refusal("give the van on 3rd Ave a parking ticket", catalog).message
    flow = plan("open a ticket about a parking ticket I was given", demo_catalog_with([]))
    assert _tools(flow) == ["create_ticket"]
