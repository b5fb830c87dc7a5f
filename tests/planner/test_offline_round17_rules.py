"""Rules the sixteenth blind round asked for (`requests_round16.json`,
`registered_round16_*.json`: an admissions office, a catering desk, a utility's outage
desk): each test states a request the planner got wrong before its rule (in other words
than the round's), and what it plans now."""

from __future__ import annotations

from flows.core.ir import BranchNode, MapNode, ToolNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import demo_catalog_with, eval_catalog, steps

ADMISSIONS = "registered_round16_admissions.json"
CATERING = "registered_round16_catering.json"
OUTAGE = "registered_round16_outage.json"


def _tools(flow) -> list[str]:
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)]


def _condition(flow) -> str:
    return next(node for node in flow.nodes if isinstance(node, BranchNode)).condition


def test_a_quick_one_before_the_request_asks_for_nothing():
    # "hi, quick one - how much sales tax ... in texas?": the opener was read as a step,
    # and "sales" as a ticket category to classify
    flow = plan("quick question: what's the vat on 300 eur in france", demo_catalog_with([]))
    assert _tools(flow) == ["calculate_tax"]
    assert steps(flow)["calculate_tax"]["amount"] == "300.0"


def test_a_condition_on_the_sentiment_reads_the_quote_said_before():
    # "customer wrote '...'. if the sentiment is negative open a ... ticket": the text
    # was asked of the run ("wrote" with no colon was no quote said first either)
    flow = plan(
        "a guest wrote 'nobody answered the phone all night'. if the sentiment is negative "
        "open an urgent ticket",
        demo_catalog_with([]),
    )
    assert steps(flow)["analyze_sentiment"]["text"] == '"nobody answered the phone all night"'
    assert _condition(flow) == 'analyze_sentiment.sentiment == "negative"'


def test_a_school_named_after_from():
    # "request the transcript for APP-20931 from Lincoln High School": the school was
    # asked of the run
    inputs = steps(
        plan("request a transcript for APP-5001 from Westfield Academy", eval_catalog(ADMISSIONS))
    )["adm.transcript.request"]
    assert inputs["school"] == '"Westfield Academy"'
    assert inputs["application_id"] == '"APP-5001"'


def test_a_verb_that_is_a_value_a_tool_lists():
    # "admit APP-20931 ...", "reject APP-7781, note: ...": refused (the step shares only
    # its code with adm.decision.record); "otherwise waitlist them" booked an interview
    flow = plan("reject APP-9120", eval_catalog(ADMISSIONS))
    assert steps(flow)["adm.decision.record"]["decision"] == '"reject"'
    flow = plan(
        "look up APP-9121; if their GPA is below 2.5, waitlist them", eval_catalog(ADMISSIONS)
    )
    # (not the tool that emails a waitlist letter, which lists "waitlist" too)
    assert _tools(flow) == ["adm.applicant.lookup", "adm.decision.record"]
    assert steps(flow)["adm.decision.record"]["decision"] == '"waitlist"'


def test_an_input_named_for_an_application_and_its_id_takes_no_name():
    # "waitlist the applicant": the application's id was "applicant" (`application_id`
    # read as the name of an application, a service)
    flow = plan("look up APP-9122, then waitlist the applicant", eval_catalog(ADMISSIONS))
    assert steps(flow)["adm.decision.record"]["application_id"] == '"APP-9122"'


def test_a_state_said_first_of_an_order_reads_the_tool_that_looks_it_up():
    # "if order CO-4410 is confirmed, send the downtown kitchen a prep note": the demo's
    # validate_order was read ("confirmed" as "valid"), not the catering order's status
    flow = plan("if order CO-9001 is quoted, cancel it", eval_catalog(CATERING))
    assert _tools(flow) == ["cater_order_lookup", "cater_order_cancel"]
    assert _condition(flow) == 'cater_order_lookup.status == "quoted"'


def test_a_thing_read_checked_or_shown_that_no_tool_gives():
    # "read the smart meter at account 5500-1234", "show me a map of all outages ...",
    # "verify APP-20931's SAT score with the College Board": the account was looked up,
    # an account number asked of the run, an order validated
    for prompt, catalogue in (
        ("check the gas meter at account 4410-2000", OUTAGE),
        ("show me a chart of outages by street", OUTAGE),
        ("confirm APP-3001's ACT score", ADMISSIONS),
    ):
        assert "gives that" in refusal(prompt, eval_catalog(catalogue)).message
    # (a thing the tool returns is still read)
    flow = plan("check APP-3001's GPA", eval_catalog(ADMISSIONS))
    assert _tools(flow) == ["adm.applicant.lookup"]


def test_a_check_that_if_so_answers():
    # "check maria.gomez@brightlane.io is a real address and if so send her the welcome
    # email": refused, "so" tested nothing ("check if ..." was read)
    flow = plan(
        "verify ann.lee@quill.io is a real address and if so send her the welcome email",
        demo_catalog_with([]),
    )
    assert _tools(flow) == ["validate_email", "send_welcome_email"]
    assert _condition(flow) == "validate_email.valid"
    flow = plan("check bo@quill.io is valid. if not email help@quill.io", demo_catalog_with([]))
    assert _condition(flow) == "!validate_email.valid"


def test_a_value_of_several_words_said_whole_before_its_noun():
    # "send a missing documents letter to APP-1001, ...": refused, "APP-1001" read as the
    # letter type (the word after "letter to")
    flow = plan("send a missing documents letter to APP-7001", eval_catalog(ADMISSIONS))
    assert steps(flow)["adm.letter.send"]["letter_type"] == '"missing_documents"'
    assert steps(flow)["adm.letter.send"]["application_id"] == '"APP-7001"'


def test_a_thing_sent_to_records_listed_by_code():
    # "... letter to APP-1001, APP-1002 and APP-1003": one letter, to the second of them
    flow = plan("send an offer letter to APP-7002, APP-7003 and APP-7004", eval_catalog(ADMISSIONS))
    node = next(node for node in flow.nodes if isinstance(node, MapNode))
    assert node.tool == "adm.letter.send"
    assert node.items == '["APP-7002", "APP-7003", "APP-7004"]'


def test_do_we_have_counts_of_codes_asks_for_their_stock():
    # "do we have 5 SKU-MUG-01 and 2 SKU-TEE-L?": refused (no word of a tool), and a code
    # of capitals with no digit after a count was no line
    flow = plan("do we have 3 CUP-RED and 8 SKU-PLATE-22?", demo_catalog_with([]))
    assert _tools(flow) == ["check_inventory"]
    assert steps(flow)["check_inventory"]["items"] == (
        '[{"sku": "CUP-RED", "quantity": 3}, {"sku": "SKU-PLATE-22", "quantity": 8}]'
    )


def test_what_is_wrong_after_a_colon_in_phrases():
    # "report an outage at 12 Elm Rd: transformer blew, whole street dark": refused, the
    # phrase after the comma read as a step no tool does
    flow = plan(
        "report an outage at 9 Oak Ave: pole down, wires on the road", eval_catalog(OUTAGE)
    )
    assert steps(flow)["outage_report"]["description"] == '"pole down, wires on the road"'
    assert steps(flow)["outage_report"]["address"] == '"9 Oak Ave"'


def test_the_text_below_on_lines_of_its_own():
    # "summarize the text below and send it to ...:\n\nOur third quarter ...": refused, or
    # with two sentences a shipment planned from the second ("Two new warehouses opened")
    flow = plan(
        "summarise the text below and email it to board@quill.io:\n\n"
        "Sales rose 9% in May. Two stores opened in Leeds. Staff turnover fell.",
        demo_catalog_with([]),
    )
    assert _tools(flow) == ["summarize_text", "send_email"]
    assert steps(flow)["summarize_text"]["text"] == (
        '"Sales rose 9% in May. Two stores opened in Leeds. Staff turnover fell."'
    )


def test_people_counted_and_the_client_named_after_for():
    # "create an order for Globex, 30 guests, 2027-05-02, ...", "how much is the taco bar
    # for 60 people": the headcount and the client were asked of the run
    flow = plan("create an order for Initech, 85 guests, 2027-06-11", eval_catalog(CATERING))
    inputs = steps(flow)["cater_order_create"]
    assert inputs["headcount"] == "85"
    assert inputs["client"] == '"Initech"'
    assert inputs["event_date"] == '"2027-06-11"'


def test_a_complaint_after_a_comma_is_what_the_record_says():
    # "log an outage at 55 Birch Lane, no power since 6pm, ...", "open a ticket for
    # sam@..., cant reset my pasword, ...": refused, the complaint read as a step
    flow = plan("log an outage at 3 Mill Rd, no lights on the whole block", eval_catalog(OUTAGE))
    assert steps(flow)["outage_report"]["description"] == '"no lights on the whole block"'
    flow = plan("open a ticket for jo@quill.io, my invoice won't download", demo_catalog_with([]))
    assert steps(flow)["create_ticket"]["body"] == "\"my invoice won't download\""


def test_reject_them_when_a_tool_records_a_rejection():
    # found probing the round: "if their GPA is below 3.0, reject them" dropped its branch
    # (read as "nothing is done with them"), though adm.decision.record lists "reject"
    flow = plan(
        "look up APP-9130; if their GPA is below 2.0, reject them", eval_catalog(ADMISSIONS)
    )
    assert _tools(flow) == ["adm.applicant.lookup", "adm.decision.record"]
    assert _condition(flow) == "adm_applicant_lookup.gpa < 2.0"
    assert steps(flow)["adm.decision.record"]["decision"] == '"reject"'
