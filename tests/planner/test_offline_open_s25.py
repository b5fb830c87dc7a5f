"""Rules for requests known to be planned wrong or refused after the twenty-fourth round (over
the walkthrough of s23's tools, the round's store, GitHub and tasks tools, and the helpdesk):
each test states a request the planner got wrong before its rule, and what it plans now."""

from __future__ import annotations

import asyncio

from flows.core.engine import Engine
from flows.core.expressions import evaluate
from flows.core.ir import ValueNode
from flows.core.tools import FunctionTool, InMemoryCatalog
from tests.planner.offline_plans import plan
from tests.planner.registered import eval_catalog, steps

WALKTHROUGH = "registered_walkthrough_s23.json"


def _values(flow) -> dict[str, ValueNode]:
    return {node.id: node for node in flow.nodes if isinstance(node, ValueNode)}


def test_an_amount_converted_and_sent_is_the_amount_times_the_rate():
    # "convert 250 USD to EUR and post it to #finance" posted the rate alone
    flow = plan("convert 400 GBP to EUR and post it to #treasury", eval_catalog(WALKTHROUGH))
    assert steps(flow)["get_exchange_rate"] == {"base": '"GBP"', "quote": '"EUR"'}
    converted = _values(flow)["converted_amount"]
    assert converted.value["amount"] == (
        "math.round(400.0 * double(get_exchange_rate.rate) * 100.0) / 100.0"
    )
    content = steps(flow)["post_discord_message"]["content"]
    rate = {"rate": 1.15, "as_of": "2026-12-04"}
    amount = evaluate(converted.value["amount"], {"get_exchange_rate": rate})
    env = {"get_exchange_rate": rate, "converted_amount": {"amount": amount, "rate": 1.15}}
    assert evaluate(content, env).startswith("400 GBP = 460.00 EUR\nRate: 1.15")


def test_an_amount_converted_said_with_a_sign_or_a_name_is_sent_the_same_way():
    for prompt in (
        "convert 40 EUR into JPY and email it to ana@x.io",
        "convert \u20ac40 to JPY and email it to ana@x.io",
        "convert 40 euros to yen and email it to ana@x.io",
    ):
        flow = plan(prompt, eval_catalog(WALKTHROUGH))
        assert steps(flow)["get_exchange_rate"] == {"base": '"EUR"', "quote": '"JPY"'}
        assert "converted_amount.amount" in steps(flow)["send_email"]["body"]


def test_a_question_of_an_amount_in_another_currency_is_answered_by_the_amount_converted():
    # "How much is 100 GBP in USD?" was refused (no tool's words)
    for prompt in ("How much is 100 GBP in USD?", "what's 75 CHF in EUR"):
        flow = plan(prompt, eval_catalog(WALKTHROUGH))
        converted = _values(flow)["converted_amount"]
        assert "* double(get_exchange_rate.rate)" in converted.value["amount"]
        # the answer is the run's result: the value node is the flow's one leaf
        assert not any(converted.id in (n.after or []) for n in flow.nodes)


def test_the_answer_of_a_conversion_is_the_runs_result():
    # Given the plan of the question, and a rate tool that says 1.2735
    flow = plan("how much is 100 GBP in USD?", eval_catalog(WALKTHROUGH))
    spec = eval_catalog(WALKTHROUGH).get("get_exchange_rate").spec
    tools = InMemoryCatalog([FunctionTool(spec, lambda **_: {"rate": 1.2735}, inline=True)])
    # When it runs
    engine = Engine(tools)
    result = asyncio.run(engine.run(engine.compile(flow), {}, run_id="o25"))
    # Then its result is the amount converted, in cents
    assert result.status == "completed"
    assert result.output == {
        "converted_amount": {"amount": 127.35, "currency": "USD", "rate": 1.2735}
    }


def test_rates_of_two_pairs_sent_are_each_looked_up_and_named_by_their_pair():
    # "post the EUR to USD and GBP to USD rates to #fx" looked nothing up, and "post both"
    # said "Rate:" twice
    flow = plan("post the EUR to USD and GBP to USD rates to #fx", eval_catalog(WALKTHROUGH))
    rates = [dict(n.inputs) for n in flow.nodes if getattr(n, "tool", None) == "get_exchange_rate"]
    assert rates == [{"base": '"EUR"', "quote": '"USD"'}, {"base": '"GBP"', "quote": '"USD"'}]
    content = steps(flow)["post_discord_message"]["content"]
    env = {"get_exchange_rate": {"rate": 1.08}, "get_exchange_rate_2": {"rate": 1.27}}
    assert evaluate(content, env) == "EUR/USD rate: 1.08\nGBP/USD rate: 1.27"
    flow = plan("email me@x.io the USD/JPY and EUR/JPY rates", eval_catalog(WALKTHROUGH))
    assert "USD/JPY rate: " in steps(flow)["send_email"]["body"]


STORE = "registered_round24_store.json"
GITHUB = "registered_round24_github.json"
HELPDESK = "registered_round23_helpdesk.json"


def test_a_code_after_of_is_what_the_thing_is_of_not_a_place():
    # "set stock of SOCK-GRN-L to 12" put the SKU into `location` too
    flow = plan("set stock of TEE-RED-S to 30", eval_catalog(STORE))
    assert steps(flow)["shopify_inventory_set"] == {"sku": '"TEE-RED-S"', "available": "30"}
    flow = plan("set the stock of MUG-01 to 5 at Brooklyn Warehouse", eval_catalog(STORE))
    assert steps(flow)["shopify_inventory_set"]["location"] == '"Brooklyn Warehouse"'


def test_a_verb_that_names_an_input_is_done_by_the_tool_that_takes_it():
    # "label issues 11, 12 and 13 as bug" classified a message asked of the run
    flow = plan("label issue 8 as wontfix", eval_catalog(GITHUB))
    assert list(steps(flow)) == ["github_labels_add"]
    assert steps(flow)["github_labels_add"]["labels"] == '["wontfix"]'
    assert steps(flow)["github_labels_add"]["number"] == "8"
    flow = plan("label issues 21, 22 and 23 as bug and urgent in acme/web", eval_catalog(GITHUB))
    loop = next(n for n in flow.nodes if getattr(n, "tool", None) == "github_labels_add")
    assert loop.items == "[21, 22, 23]"
    assert loop.inputs["labels"] == '["bug", "urgent"]'


def test_a_reply_asking_whether_says_the_question():
    # "reply to ticket 42 asking whether the customer tried restarting" asked the run for
    # the reply's body
    flow = plan("reply to ticket 77 asking if they cleared the cache", eval_catalog(HELPDESK))
    assert steps(flow)["zd_ticket_comment"] == {
        "ticket_id": "77",
        "body": '"Could you let us know whether you cleared the cache?"',
    }


def test_things_made_for_people_listed_are_one_each_assigned_to_each():
    # "create tasks for ann, bob and cy to review the Q4 budget" was refused ("cy to review
    # the Q4 budget" read as a step)
    for prompt in (
        "create tasks for dev, kim and lu to update the roadmap",
        "make a task for each of dev, kim and lu to update the roadmap",
    ):
        flow = plan(prompt, eval_catalog(WALKTHROUGH))
        loop = next(n for n in flow.nodes if getattr(n, "tool", None) == "create_task")
        assert loop.items == '["dev", "kim", "lu"]'
        assert loop.inputs == {"title": '"Update the roadmap"', "assignee": "item"}


def test_a_day_said_without_its_year_is_asked_of_the_run_not_dropped():
    # "create a task called Renew domain, assign it to maria, due Dec 15" dropped the date
    flow = plan(
        "create a task called Pay the rent, assign it to omar, due Jan 3", eval_catalog(WALKTHROUGH)
    )
    assert steps(flow)["create_task"] == {
        "title": '"Pay the rent"',
        "assignee": '"omar"',
        "due_date": "input.due_date",
    }
    assert "Jan 3" in flow.input_schema["properties"]["due_date"]["description"]
    flow = plan("create a task for omar to pay the rent by friday", eval_catalog(WALKTHROUGH))
    assert steps(flow)["create_task"]["due_date"] == "input.due_date"
    flow = plan("create a task for omar to pay the rent by 2027-01-03", eval_catalog(WALKTHROUGH))
    assert steps(flow)["create_task"]["due_date"] == '"2027-01-03"'


TASKS = "registered_round24_tasks.json"


def test_names_listed_after_a_colon_are_one_thing_made_each():
    # "break task 1209988776655 into subtasks: draft outline, get quotes, book venue" read
    # the names as steps ("get quotes" refused)
    for prompt in (
        "split task 55 into subtasks: write specs, hire a designer, book the room",
        "add subtasks to task 55: write specs, hire a designer and book the room",
    ):
        flow = plan(prompt, eval_catalog(TASKS))
        loop = next(n for n in flow.nodes if getattr(n, "tool", None) == "asana_subtask_add")
        assert loop.items == '["write specs", "hire a designer", "book the room"]'
        assert loop.inputs == {"parent_gid": '"55"', "name": "item"}


def test_units_lost_and_taken_off_are_a_negative_change():
    # "we lost 3 units of MUG-WHT in a breakage, take them off inventory" planned nothing
    for prompt in (
        "we damaged 4 units of CUP-BLU in transit, take them off inventory",
        "take 4 units of CUP-BLU off inventory",
        "remove 4 units of CUP-BLU from stock",
    ):
        flow = plan(prompt, eval_catalog(STORE))
        assert steps(flow)["shopify_inventory_adjust"] == {"sku": '"CUP-BLU"', "delta": "-4"}
    flow = plan("add 10 units of CUP-BLU to stock", eval_catalog(STORE))
    assert steps(flow)["shopify_inventory_adjust"]["delta"] == "10"


def test_a_thing_added_as_a_listed_value_goes_to_the_tool_that_lists_it():
    # "Add tom@school.edu to MATH-300 as a TA" created a demo shipment ("add" is create)
    school = eval_catalog("registered_round8_school.json")
    flow = plan("add li@school.edu to CHEM-210 as an observer", school)
    assert steps(flow)["canvas.enroll"] == {
        "course_id": '"CHEM-210"',
        "student_email": '"li@school.edu"',
        "role": '"observer"',
    }


def test_a_value_a_tool_lists_breaks_a_tie_no_tool_scores_enough_for():
    # "order blood work for applications APP-1, APP-2 and APP-3" was refused: "order" tied
    # the exam with validate_order, too low for either
    flow = plan(
        "order a full workup for applications APP-7 and APP-8",
        eval_catalog("registered_round21_underwriting.json"),
    )
    loop = next(n for n in flow.nodes if getattr(n, "tool", None) == "uw_request_medical_exam")
    assert loop.items == '["APP-7", "APP-8"]'
    assert loop.inputs["exam_type"] == '"full"'


def test_how_much_a_thing_is_for_a_count_prices_it():
    # "how much is the taco bar for 60 people?" was refused, and "price the vegan lunch menu
    # for 45" asked the run for the menu
    catering = eval_catalog("registered_round16_catering.json")
    flow = plan("how much is the bbq buffet for 80 people?", catering)
    assert steps(flow)["cater_menu_price"] == {"menu": '"bbq buffet"', "headcount": "80"}
    flow = plan("price the kids brunch menu for 25 people", catering)
    assert steps(flow)["cater_menu_price"]["menu"] == '"kids brunch"'


def test_the_quote_sent_after_a_price_is_that_price():
    # "price the vegan lunch menu for 45 and email the quote to ..." was refused: "the
    # quote" was read as a document to make
    flow = plan(
        "price the sushi platter menu for 30 and send the quote to ev@x.io",
        eval_catalog("registered_round16_catering.json"),
    )
    assert steps(flow)["cater_menu_price"] == {"menu": '"sushi platter"', "headcount": "30"}
    assert "cater_menu_price.total" in steps(flow)["send_email"]["body"]


def test_a_thing_that_comes_back_is_an_amount_above_nothing_and_the_amount_is_sent():
    # "Cancel BK-8810 ... If any refund comes back, email accounts@... the amount" was
    # refused: the condition was read as no step's value
    flow = plan(
        "cancel BK-4410. if a refund is issued, email ar@venue.io the amount",
        eval_catalog("registered_round21_venue.json"),
    )
    branch = next(node for node in flow.nodes if getattr(node, "condition", None))
    assert branch.condition == "venue_booking_cancel.refund_amount > 0.0"
    assert "venue_booking_cancel.refund_amount" in steps(flow)["send_email"]["body"]


def test_assign_to_someone_with_it_left_out_is_the_assignee():
    # "create a task called Renew domain, assign to maria" was refused: the task was taken
    # for a heading, and "assign to maria" mapped to no tool
    flow = plan(
        "create task called Order toner, assign to li, due Feb 2", eval_catalog(WALKTHROUGH)
    )
    assert steps(flow)["create_task"] == {
        "title": '"Order toner"',
        "assignee": '"li"',
        "due_date": "input.due_date",
    }


def test_a_title_after_the_things_noun_and_a_colon_is_its_title():
    # "new task: Renew domain, assign it to maria" asked the run for the title
    flow = plan("new task: Order toner, assign it to ana", eval_catalog(WALKTHROUGH))
    assert steps(flow)["create_task"] == {"title": '"Order toner"', "assignee": '"ana"'}
