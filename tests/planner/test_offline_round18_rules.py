"""Rules the seventeenth blind round asked for (`requests_round17.json`,
`registered_round17_*.json`: an airline's baggage desk, a solar installer, a telecom
support desk): each test states a request the planner got wrong before its rule (in other
words than the round's), and what it plans now."""

from __future__ import annotations

from flows.core.expressions import evaluate
from flows.core.ir import BranchNode, MapNode, ToolNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import demo_catalog_with, eval_catalog, steps

BAGGAGE = "registered_round17_baggage.json"
SOLAR = "registered_round17_solar.json"
TELECOM = "registered_round17_telecom.json"


def _tools(flow) -> list[str]:
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)]


def _branches(flow) -> list[BranchNode]:
    return [node for node in flow.nodes if isinstance(node, BranchNode)]


def test_a_message_of_a_lists_lines_is_sent_only_when_the_list_has_any():
    # "validate order ... and email the errors to the customer": a valid order has no
    # errors, and the email's body (required, at least one character) was empty
    flow = plan(
        "validate order A-7 (1 x SKU-MUG-01) and send the errors to ops@shop.io",
        demo_catalog_with([]),
    )
    (branch,) = _branches(flow)
    assert branch.condition == "size(validate_order.errors) > 0"
    assert branch.then == ["send_email"]
    assert steps(flow)["send_email"]["body"] == 'validate_order.errors.join("\\n")'


def test_which_items_of_a_loop_are_kept_says_so_when_none_are():
    # "validate these ... and tell me which ones aren't valid": with every address valid
    # the body was empty
    flow = plan(
        "check these addresses: a@x.io, b@y.io and tell ops@shop.io which ones are invalid",
        demo_catalog_with([]),
    )
    body = steps(flow)["send_email"]["body"]
    assert evaluate(body, {"validate_email": [{"valid": True, "email": "a@x.io"}]}) == (
        "None are invalid"
    )
    assert evaluate(body, {"validate_email": [{"valid": False, "email": "b@y"}]}) == "b@y"


def test_how_much_is_refused_when_no_step_tells_an_amount():
    # "how much does an extra checked bag cost on a flight to Lisbon?": a bag traced
    # (its description speaks of a checked bag), which tells a status, no amount
    error = refusal("how much is it to send a checked bag to Rome?", eval_catalog(BAGGAGE))
    assert error.details["reason"] == "no_amount_told"
    # a tool that returns one still answers the question
    assert _tools(plan("how much vat on 80 eur in germany?", demo_catalog_with([]))) == [
        "calculate_tax"
    ]


def test_a_number_said_with_the_unit_an_input_is_named_for():
    # "quote an 8.4 kW system ...", "a 6kw system": `system_kw` was asked of the run
    inputs = steps(plan("quote a 12.5kw system for 9 Oak St, Provo UT", eval_catalog(SOLAR)))[
        "solar_quote"
    ]
    assert inputs["system_kw"] == "12.5"


def test_a_thing_said_with_or_without_for_a_yes_no_input():
    # "... with a battery": `battery` was a yes/no asked of the run
    inputs = steps(plan("quote a 5 kW system without a battery for 9 Oak St", eval_catalog(SOLAR)))[
        "solar_quote"
    ]
    assert inputs["battery"] == "false"
    inputs = steps(plan("quote a 5 kW system with battery for 9 Oak St", eval_catalog(SOLAR)))[
        "solar_quote"
    ]
    assert inputs["battery"] == "true"


def test_codes_listed_for_a_tool_whose_thing_comes_first_in_its_id():
    # "submit building permits for SP-4001, SP-4002 and SP-4005" (`permit_submit`): one
    # call, with the project asked of the run
    flow = plan("submit interconnection permits for SP-7, SP-8 and SP-9", eval_catalog(SOLAR))
    (node,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert node.tool == "permit_submit"
    assert node.items == '["SP-7", "SP-8", "SP-9"]'


def test_if_we_do_after_a_check_is_the_check_passing():
    # "check we've got 3 SKU-DESK-OAK in stock and if we do ship order ...": refused, "we
    # do ship order ..." read as a condition nothing could test
    flow = plan(
        "check we have 2 SKU-MUG-01 in stock and if we do ship order A-9 to 5 Main St, Reno NV",
        demo_catalog_with([]),
    )
    (branch,) = _branches(flow)
    assert branch.condition == "check_inventory.in_stock"
    assert branch.then == ["create_shipment"]


def test_a_report_said_first_up_to_a_comma_is_what_the_steps_are_about():
    # "customer on 07700 900456 says no signal, run a line test and ...": "says" took every
    # step after it (no step was planned)
    flow = plan(
        "caller on 07700 900999 reported slow broadband, run a line test",
        eval_catalog(TELECOM),
    )
    assert steps(flow)["tel_line_diagnostics"]["msisdn"] == '"07700 900999"'


def test_a_date_is_no_phone_number():
    # "... book an engineer for 2027-03-20": the date was the line's number too
    flow = plan(
        "run a line test on 07700 900111 and if there's a fault book an engineer for 2027-04-02",
        eval_catalog(TELECOM),
    )
    assert steps(flow)["tel_tech_visit"]["msisdn"] != '"2027-04-02"'
    assert steps(flow)["tel_tech_visit"]["date"] == '"2027-04-02"'


def test_a_subject_written_after_its_label_unquoted_is_read_whole():
    # "email the summary to board@..., subject Q3 update": refused ("update" read as a
    # step's verb); "with subject Q3 update" gave the subject "Q3"
    for said in (", subject Q3 update", " with subject Q3 update"):
        flow = plan(
            f"summarize https://x.io/a and email the summary to b@x.io{said}",
            demo_catalog_with([]),
        )
        assert steps(flow)["send_email"]["subject"] == '"Q3 update"'


def test_a_code_of_letters_and_digits_is_no_thing_made():
    # "look up booking ZP44RT ...": refused, as if it asked to look up an "rt"
    flow = plan("look up booking QK77MX", eval_catalog(BAGGAGE))
    assert steps(flow)["booking_lookup"]["booking_ref"] == '"QK77MX"'


def test_two_states_said_side_by_side_are_one_call_each():
    # "compare sales tax on a $500 sale in california vs oregon": California's alone
    flow = plan("what is the sales tax on $120 in Texas versus Ohio?", demo_catalog_with([]))
    (node,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert node.items == '["Texas", "Ohio"]'
    assert node.inputs["region"] == "item"
    assert node.inputs["country"] == '"US"'


def test_a_report_said_first_gives_its_code_to_the_step_asked_politely_after_it():
    # "hiya - customer ACC-44120 rang, broadband's crawling ..., can u credit them £10":
    # the account was asked of the run
    flow = plan(
        "customer ACC-5120 called, line keeps dropping, could you credit them £7",
        eval_catalog(TELECOM),
    )
    assert steps(flow)["tel_bill_credit"]["account_number"] == '"ACC-5120"'
    assert steps(flow)["tel_bill_credit"]["amount"] == "7.0"


def test_a_run_of_more_digits_than_a_phone_number_has_is_none():
    # "swap 07700 900789 onto the new SIM 8944100000000012345": a loop over the phone and
    # the SIM card's number, each as the phone
    flow = plan("swap 07700 900100 onto the new SIM 8944100000000099999", eval_catalog(TELECOM))
    assert not [node for node in flow.nodes if isinstance(node, MapNode)]
    assert steps(flow)["tel_sim_swap"]["msisdn"] == '"07700 900100"'


def test_applying_for_a_thing_is_no_step_of_a_tool_that_only_looks():
    # "apply for the federal solar tax credit on behalf of the Hendersons": a tax
    # calculated (from "tax")
    error = refusal("apply for the state tax credit for the Lees", eval_catalog(SOLAR))
    assert error.details["reason"] == "applies_to_a_tool_that_looks"
    # a tool that makes the application still takes it
    flow = plan("apply for a building permit for SP-3012", eval_catalog(SOLAR))
    assert _tools(flow) == ["permit_submit"]


def test_a_thing_that_turned_up_said_first_is_what_the_steps_are_about():
    # "bag WN660104 turned up in Denver, deliver it to ...": the bag was traced first
    flow = plan(
        "bag UA100200 turned up in Boston, text +1 617 555 0100 that it's found",
        eval_catalog(BAGGAGE),
    )
    assert _tools(flow) == ["pax_notify_sms"]


def test_the_text_below_after_an_empty_line():
    # "classify the message below, then open a ticket ...\n\nHi, I can't log into ...,
    # please help asap": its phrases were steps ("help asap" refused)
    flow = plan(
        "classify the email below and open a ticket with its category\n\n"
        "Hello, my parcel never arrived and the tracking page is blank",
        demo_catalog_with([]),
    )
    assert "parcel never arrived" in steps(flow)["classify_ticket"]["text"]
    assert steps(flow)["create_ticket"]["category"] == "classify_ticket.category"


def test_a_text_after_this_and_a_colon_unquoted_on_the_same_line():
    # "tldr of this pls: The board met on Tuesday ... . Sales of kettles were up ...":
    # the second sentence was a step (refused)
    flow = plan(
        "summary of this please: The shop opens at nine. Deliveries come on Mondays. "
        "Staff park behind the building.",
        demo_catalog_with([]),
    )
    assert _tools(flow) == ["summarize_text"]
    assert steps(flow)["summarize_text"]["text"].startswith('"The shop opens at nine.')


def test_a_thing_moved_or_put_on_a_listed_value_said_with_an_article():
    # "move account ACC-55102 to the unlimited plan ...": refused (no tool "moves"); the
    # update is said with the verb of the tool that takes the value (`tel_plan_change`)
    inputs = steps(plan("move ACC-9 to the basic plan", eval_catalog(TELECOM)))["tel_plan_change"]
    assert inputs["plan"] == '"basic"'
    assert inputs["account_number"] == '"ACC-9"'
    inputs = steps(plan("put ACC-9 on the unlimited plan", eval_catalog(TELECOM)))[
        "tel_plan_change"
    ]
    assert inputs["plan"] == '"unlimited"'


def test_a_listed_value_of_two_words_said_with_one_between_or_now_said_otherwise():
    # "... from the next billing cycle" (`next_cycle`), "... right away" (`now`): left to
    # the tool's default
    inputs = steps(
        plan("change ACC-9 to the family plan from the next billing cycle", eval_catalog(TELECOM))
    )["tel_plan_change"]
    assert inputs["effective"] == '"next_cycle"'
    inputs = steps(plan("change ACC-9 to the family plan immediately", eval_catalog(TELECOM)))[
        "tel_plan_change"
    ]
    assert inputs["effective"] == '"now"'


def test_a_tax_added_to_an_amount_is_the_tax_worked_out_on_it():
    # "add uk vat to £200 and charge order FH-6120 the total in GBP": refused ("add" a
    # vat, as a record made)
    flow = plan("add german vat to 50 eur and charge order Q-1 the total", demo_catalog_with([]))
    assert steps(flow)["calculate_tax"]["amount"] == "50.0"
    assert steps(flow)["process_payment"]["amount"] == "calculate_tax.total"


def test_a_labelled_code_after_a_comma_is_a_value_of_the_step():
    # "... file a damage report ..., tag UA009123": "tag UA009123" was a step (tag is a
    # verb too), refused; "a damage report" left `kind` (delayed, damaged, ...) to the run
    flow = plan("file a damage report for booking QX1234, tag AA556677", eval_catalog(BAGGAGE))
    inputs = steps(flow)["bag_file_report"]
    assert inputs["tag_number"] == '"AA556677"'
    assert inputs["booking_ref"] == '"QX1234"'
    assert inputs["kind"] == '"damaged"'


def test_a_labelled_code_said_after_a_report_is_part_of_it():
    # "passenger on booking RT55XY says ..., tag UA009123. pls file a damage report ..."
    flow = plan(
        "passenger on booking QX1234 says her case is missing, tag AA556677. file a lost "
        "bag report",
        eval_catalog(BAGGAGE),
    )
    inputs = steps(flow)["bag_file_report"]
    assert inputs["tag_number"] == '"AA556677"'
    assert inputs["kind"] == '"lost"'


def test_one_long_number_left_is_the_one_required_input_left():
    # "swap 07700 900789 onto the new SIM 8944100000000012345": `iccid` was asked of the
    # run (after the number was no longer read as a second phone)
    inputs = steps(
        plan("move 07700 900555 to SIM card 8944200000000077777", eval_catalog(TELECOM))
    )["tel_sim_swap"]
    assert inputs["iccid"] == '"8944200000000077777"'
    assert inputs["msisdn"] == '"07700 900555"'


def test_a_role_with_no_article_that_needs_to_approve_after_a_comma():
    # "put ACC-77810 on the family plan right away, manager needs to okay it first":
    # refused, "manager needs to it first" read as a step
    flow = plan(
        "change ACC-3 to the basic plan, supervisor needs to okay it first",
        eval_catalog(TELECOM),
    )
    kinds = [node.type for node in flow.nodes]
    assert kinds == ["approval", "tool"]
    assert steps(flow)["tel_plan_change"]["plan"] == '"basic"'


def test_it_after_a_thing_said_first_by_its_code_is_that_thing():
    # "bag WN660104 turned up in Denver, deliver it to 2290 Larimer St ...": a demo
    # shipment of "it", its order asked of the run
    flow = plan(
        "bag DL300400 showed up in Austin, deliver it to 12 Oak St, Austin TX 78701",
        eval_catalog(BAGGAGE),
    )
    assert _tools(flow) == ["bag_schedule_delivery"]
    assert steps(flow)["bag_schedule_delivery"]["tag_number"] == '"DL300400"'
