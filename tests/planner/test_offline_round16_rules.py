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
