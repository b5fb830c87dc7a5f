"""The offline planner on values the request writes once for several steps: a heading
that sets out who the request is about ("New hire: Jane Doe, jane@acme.io — ..."), the
service a condition names ("when api is down"), a thing moved to a value with no article
("move deal D-42 to won"), values listed for one call each ("restart api, web and db"), a
loop over values written ("for each of api, web and db, ...") or over the rows a tool
reads ("for each order in shopify"), and values a tool cannot take, refused by name."""

from __future__ import annotations

import json

import pytest

from flows.core.ir import MapNode, ToolNode
from tests.planner.offline_plans import refusal
from tests.planner.registered import eval_catalog, plan, steps


@pytest.mark.parametrize(
    "prompt",
    [
        "New hire: Jane Doe, jane@acme.io \u2014 create her account and send a welcome email",
        "New hire: Jane Doe, jane@acme.io. Create her account and send a welcome email",
        "New hire Jane Doe (jane@acme.io) - create her account and send a welcome email",
    ],
)
def test_a_heading_gives_its_name_and_address_to_the_steps(prompt):
    flow = plan(prompt, eval_catalog("registered_shop.json"))
    said = steps(flow)
    assert said["gworkspace_create_user"]["primary_email"] == '"jane@acme.io"'
    assert said["gworkspace_create_user"]["given_name"] == '"Jane"'
    assert said["gworkspace_create_user"]["family_name"] == '"Doe"'
    assert said["send_welcome_email"] == {"email": '"jane@acme.io"', "name": '"Jane Doe"'}
    assert flow.input_schema.get("properties", {}) == {}


def test_a_heading_with_a_phone_number_is_who_a_text_goes_to():
    flow = plan(
        "Customer: Bob Smith, +44 7700 900123. Text him that his order shipped",
        eval_catalog("registered.json"),
    )
    assert steps(flow)["send_sms"]["phone"] == '"+44 7700 900123"'


def test_a_heading_with_an_id_is_the_thing_the_step_updates():
    flow = plan("Deal D-42: move it to won", eval_catalog("registered_crm.json"))
    assert steps(flow) == {"crm_update_deal": {"deal_id": '"D-42"', "stage": '"won"'}}


def test_a_sentence_before_a_semicolon_is_no_heading():
    # its words are a request ("wants a refund"), which the demo tools cannot do
    refusal(
        "The customer wants a refund for order 42; process it and email them.",
        eval_catalog("registered_shop.json"),
    )


@pytest.mark.parametrize(
    ("prompt", "deal", "stage"),
    [
        ("Move deal D-42 to won", "D-42", "won"),
        ("Mark deal #42 as lost", "42", "lost"),
        ("set deal 42 stage to won", "42", "won"),
    ],
)
def test_a_thing_moved_to_a_value_without_an_article_is_an_update(prompt, deal, stage):
    flow = plan(prompt, eval_catalog("registered_crm.json"))
    assert steps(flow) == {"crm_update_deal": {"deal_id": f'"{deal}"', "stage": f'"{stage}"'}}


def test_the_service_a_condition_names_is_the_one_checked_and_acted_on():
    flow = plan(
        "When api is down: roll back the last deploy and page the on-call",
        eval_catalog("registered_ops.json"),
    )
    said = steps(flow)
    assert said["get-service-health"] == {"service": '"api"'}
    assert said["rollback_deploy"] == {"service": '"api"'}
    assert "service" not in flow.input_schema.get("properties", {})


def test_a_step_naming_another_service_acts_on_that_one():
    flow = plan("If api is down, restart web", eval_catalog("registered_ops.json"))
    said = steps(flow)
    assert said["get-service-health"] == {"service": '"api"'}
    assert said["restart_service"] == {"service": '"web"'}


@pytest.mark.parametrize(
    ("prompt", "tool"),
    [
        ("restart api, web and db", "restart_service"),
        ("check each of api, web and db", "get-service-health"),
        ("check the health of api, web and db", "get-service-health"),
    ],
)
def test_services_listed_are_one_call_each(prompt, tool):
    flow = plan(prompt, eval_catalog("registered_ops.json"))
    (node,) = [n for n in flow.nodes if isinstance(n, MapNode | ToolNode)]
    assert isinstance(node, MapNode)
    assert node.tool == tool
    assert json.loads(node.items) == ["api", "web", "db"]
    assert node.inputs["service"] == "item"


def test_a_loop_over_values_written_keeps_those_the_condition_holds_for():
    flow = plan(
        "for each of api, web and db, check its health and restart it if it is down",
        eval_catalog("registered_ops.json"),
    )
    maps = {n.tool: n for n in flow.nodes if isinstance(n, MapNode)}
    assert json.loads(maps["get-service-health"].items) == ["api", "web", "db"]
    restart = maps["restart_service"]
    assert restart.inputs == {"service": "item"}
    assert restart.items == (
        '[0, 1, 2].filter(i, get_service_health[i].status == "down")'
        '.map(i, ["api", "web", "db"][i])'
    )


def test_a_loop_over_what_a_tool_lists_reads_that_list_first():
    flow = plan(
        "for each order in shopify, send the customer an email",
        eval_catalog("registered_shop.json"),
    )
    lister = next(n for n in flow.nodes if isinstance(n, ToolNode))
    assert lister.tool == "shopify_list_orders"
    sender = next(n for n in flow.nodes if isinstance(n, MapNode))
    assert sender.items == f"{lister.id}.orders"
    assert sender.inputs["to"] == "item.email"


def test_a_carrier_of_two_words_is_named_whole_when_refused():
    error = refusal(
        "ship the order with carrier Royal Mail, next-day service", eval_catalog("registered.json")
    )
    assert "'Royal Mail' as the carrier" in error.message
    assert "ups, fedex, dhl, usps" in error.message


def test_a_priority_the_tool_cannot_take_is_refused_by_name():
    error = refusal(
        "open a Jira issue in OPS with priority P0", eval_catalog("registered_typed.json")
    )
    assert "priority 'P0'" in error.message
    assert "create_jira_issue has no priority" in error.message
    assert error.details["reason"] == "setting_not_taken"


def test_a_loop_over_the_rows_of_a_sheet_reads_the_sheet_and_goes_over_its_records():
    catalog = eval_catalog("registered_round4_sheets.json")
    flow = plan("for each row of the sheet, send an email", catalog)
    reader = next(n for n in flow.nodes if isinstance(n, ToolNode))
    assert reader.tool == "gsheets_get_rows"
    sender = next(n for n in flow.nodes if isinstance(n, MapNode))
    assert sender.items == f"{reader.id}.rows"
    assert sender.inputs["to"] == "item.email"
    each = plan("read the rows of sheet SS-2 and for each one validate the email", catalog)
    validator = next(n for n in each.nodes if isinstance(n, MapNode))
    assert validator.items.endswith(".rows")
    assert validator.inputs == {"email": "item.email"}
