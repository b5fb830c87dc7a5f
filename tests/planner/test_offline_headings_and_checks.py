"""The offline planner over catalogues an admin registers (the evaluation's shop and ops
tools): a heading that sets out who the steps are about keeps every step, a service's
state ("when api is down") is checked by the health tool rather than read as what starts
the run, a condition naming a check's field in full ("the error rate") plans that check,
and a step several tools can do goes to the one whose words rank first."""

from __future__ import annotations

from flows.core.ir import BranchNode, ToolNode
from tests.planner.registered import eval_catalog, plan


def _tools(flow) -> list[str]:
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode)]


def _branch(flow) -> BranchNode:
    return next(node for node in flow.nodes if isinstance(node, BranchNode))


def test_a_heading_carrying_who_it_is_about_keeps_every_step():
    flow = plan(
        "Onboard new hire Maria Lopez (maria@acme.com), engineering, starting Monday: create "
        "her BambooHR record, her Google Workspace account and order a laptop",
        eval_catalog("registered_shop.json"),
    )
    assert sorted(_tools(flow)) == [
        "bamboohr_create_employee",
        "gworkspace_create_user",
        "order_laptop",
    ]
    laptop = next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "order_laptop")
    assert laptop.inputs["employee_id"] == "bamboohr_create_employee.employee_id"


def test_a_service_down_heading_is_a_health_check_and_a_condition():
    flow = plan(
        "When api is down: roll back the last deploy and page the on-call",
        eval_catalog("registered_ops.json"),
    )
    assert _tools(flow)[0] == "get-service-health"
    branch = _branch(flow)
    assert branch.condition == 'get_service_health.status == "down"'
    assert set(branch.then) >= {"rollback_deploy"}
    assert "opsgenie_alert" in _tools(flow)


def test_a_condition_naming_a_field_in_full_checks_the_tool_returning_it():
    flow = plan(
        "If the error rate is above 5%, roll back the last deploy",
        eval_catalog("registered_ops.json"),
    )
    assert "calculate_tax" not in _tools(flow)
    assert _branch(flow).condition == "get_service_health.error_rate > 5.0"


def test_posting_to_a_database_stores_it_there():
    flow = plan(
        "Write a blog draft about remote work and post it to our Notion database",
        eval_catalog("registered_shop.json"),
    )
    assert _tools(flow) == ["generate_blog_draft", "notion_create_page"]


def test_moving_a_thing_to_a_value_an_update_takes_updates_it():
    flow = plan(
        "Look up the contact jane@acme.com and move her deal to won",
        eval_catalog("registered_crm.json"),
    )
    assert _tools(flow) == ["crm_get_contact", "crm_update_deal"]
    update = next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "crm_update_deal")
    assert update.inputs["stage"] == '"won"'


def test_moving_a_thing_to_a_value_no_update_takes_is_still_refused():
    from flows.core.planner.offline import OfflinePlanner
    from flows.core.planner.session import plan_flow

    result = plan_flow(
        "Look up the contact jane@acme.com and move her deal to archived",
        planner=OfflinePlanner(),
        catalog=eval_catalog("registered_crm.json"),
    )
    assert not result.ok
    assert "move" in result.error.message


def test_the_thing_a_field_is_said_of_is_no_run_input_of_its_own():
    flow = plan(
        "If the error rate for api is above 5%, page the on-call",
        eval_catalog("registered_ops.json"),
    )
    assert "api" not in flow.input_schema.get("properties", {})
    assert _branch(flow).condition == "get_service_health.error_rate > 5.0"


def test_a_count_a_step_returns_is_not_the_rate_the_condition_names():
    flow = plan(
        "Get the recent errors for api and if the error rate is above 5%, page the on-call",
        eval_catalog("registered_ops.json"),
    )
    assert _branch(flow).condition == "get_service_health.error_rate > 5.0"


def test_a_weak_verb_and_a_thing_a_tools_id_says_both_pick_that_tool():
    flow = plan("Get order 1002", eval_catalog("registered_shop.json"))
    assert _tools(flow) == ["shopify_get_order"]
    assert flow.nodes[0].inputs["order_id"] == '"1002"'
