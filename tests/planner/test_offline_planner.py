"""The offline planner: deterministic plans from tool specs alone, no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core import events as ev
from flows.core.events import ListSink
from flows.core.graph import build_graph
from flows.core.ir import ApprovalNode, BranchNode, MapNode, ValueNode
from flows.core.planner.evaluation import load_cases, run_eval
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.phrasing import PromptReader
from flows.core.planner.session import plan_flow
from flows.core.validate import validate_flow

EVALS = Path(__file__).resolve().parents[2] / "evals" / "planner"


def plan(prompt, catalog, **options):
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog, **options)
    assert result.ok, result.error and result.error.to_json()
    assert validate_flow(result.flow, catalog) == []
    return result.flow


def ancestors(flow, node_id):
    return build_graph(flow).ancestors(node_id)


def test_steps_become_tools_wired_by_their_schemas(catalog):
    flow = plan("Verify the email address, then send an email.", catalog)

    verify, send = flow.nodes
    assert (verify.tool, send.tool) == ("verify_address", "send_email")
    assert verify.inputs == {"email": "input.email"}
    assert send.inputs["to"] == "verify_address.email"  # "to" ~ "email", from upstream
    assert set(flow.input_schema["required"]) == {"email", "subject", "body"}
    assert flow.metadata.planner == "offline"
    assert flow.metadata.model is None


def test_nested_output_fields_feed_inputs_by_synonym(catalog):
    flow = plan("Find the customer, then email them.", catalog)

    assert flow.node("send_email").inputs["to"] == "find_customer.customer.email"
    assert "customer_id" in flow.input_schema["properties"]


def test_the_same_prompt_gives_the_same_plan(catalog):
    prompt = "Verify the address; if it is ok, send an SMS."

    first, second = plan(prompt, catalog), plan(prompt, catalog)

    assert first.model_dump(exclude={"metadata"}) == second.model_dump(exclude={"metadata"})


def test_a_condition_on_a_boolean_output_becomes_a_branch(catalog):
    flow = plan("Verify the address; if it is ok, send an SMS.", catalog)

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "verify_address.ok"
    assert branch.then == ["send_sms"]


def test_a_condition_naming_an_enum_value_compares_to_it(catalog):
    flow = plan("Score the mood of the text; if it is angry, refund the order.", catalog)

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == 'score_mood.mood == "angry"'


@pytest.mark.parametrize(
    ("prompt", "condition"),
    [
        ("Refund the order if the amount is over 100.", "input.amount > 100.0"),
        ("Refund the order unless the amount is at least 2,500.", "!(input.amount >= 2500.0)"),
    ],
)
def test_a_comparison_reads_a_number_declared_in_the_run_input(catalog, prompt, condition):
    flow = plan(prompt, catalog)

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == condition
    assert flow.input_schema["properties"]["amount"]["type"] == "number"
    assert flow.node("refund_order").inputs["amount"] == "input.amount"


def test_otherwise_fills_the_else_arm_and_later_steps_wait_for_either(catalog):
    flow = plan(
        "Verify the address. If it is ok, send an email; otherwise send an SMS. "
        "Then refund the order.",
        catalog,
    )

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert (branch.then, branch.else_) == (["send_email"], ["send_sms"])
    join = next(node for node in flow.nodes if isinstance(node, ValueNode))
    assert join.trigger == "any"
    assert set(join.after) == {branch.id, "send_email", "send_sms"}
    assert flow.node("refund_order").after == [join.id]


def test_an_approval_comes_before_the_step_it_guards(catalog):
    flow = plan("Get manager approval within 2 days, then refund the order.", catalog)

    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.assignees.groups == ["managers"]
    assert approval.timeout_s == 172800
    assert approval.on_timeout == "reject"
    assert approval.form_schema["type"] == "object"
    assert approval.id in ancestors(flow, "refund_order")


def test_a_conditional_approval_does_not_make_the_step_conditional(catalog):
    flow = plan("Ask finance to approve refunds over 500, then refund the order.", catalog)

    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.when == "input.amount > 500.0"
    assert approval.assignees.groups == ["finance"]
    join = next(node for node in flow.nodes if node.id == f"{approval.id}_passed")
    assert join.trigger == "any"
    assert join.when == f"{approval.id} == null || {approval.id}.approved"
    assert flow.node("refund_order").after == [join.id]


def test_for_each_runs_the_steps_in_map_nodes(catalog):
    flow = plan("For each URL, download the page and score its mood.", catalog)

    download, score = flow.nodes
    assert isinstance(download, MapNode)
    assert isinstance(score, MapNode)
    assert (download.items, download.inputs) == ("input.urls", {"url": "item"})
    assert (score.items, score.inputs) == ("download_page", {"text": "item.content"})
    assert flow.input_schema["properties"]["urls"]["items"] == {"type": "string"}


def test_parallel_steps_share_a_predecessor_and_not_each_other(catalog):
    flow = plan(
        "Download the page, then score the mood and send an email at the same time.", catalog
    )

    assert "download_page" in ancestors(flow, "score_mood")
    assert "download_page" in ancestors(flow, "send_email")
    assert "score_mood" not in ancestors(flow, "send_email")
    assert "send_email" not in ancestors(flow, "score_mood")


def test_sequential_steps_are_ordered_even_without_data(catalog):
    flow = plan("Send an SMS, then refund the order.", catalog)

    assert flow.node("refund_order").after == ["send_sms"]


def test_a_quoted_value_after_a_field_name_becomes_a_literal(catalog):
    flow = plan('Send an email with subject "Your refund" to the customer.', catalog)

    assert flow.node("send_email").inputs["subject"] == '"Your refund"'


def test_a_step_with_no_matching_tool_fails_naming_it(catalog):
    sink = ListSink()

    result = plan_flow(
        "Verify the email, then translate it to French.",
        planner=OfflinePlanner(),
        catalog=catalog,
        sink=sink,
    )

    assert not result.ok
    assert result.error.code == "unmapped_step"
    assert result.error.step == "translate it to French"
    assert "step 2" in result.error.message
    assert sink.types() == [ev.PLAN_STARTED, ev.PLAN_ATTEMPT, ev.PLAN_FAILED]
    assert sink.events[-1].data["step"] == "translate it to French"


def test_filler_steps_are_dropped(catalog):
    flow = plan("Verify the email and return the result.", catalog)

    assert [node.id for node in flow.nodes] == ["verify_address"]


def test_only_the_offered_tools_are_used(catalog):
    result = plan_flow(
        "Verify the email, then send an email.",
        planner=OfflinePlanner(),
        catalog=catalog,
        tool_ids=["verify_address"],
    )

    assert not result.ok
    assert result.error.step == "send an email"
    assert result.tool_ids == ["verify_address"]


def test_unknown_tool_ids_are_refused(catalog):
    result = plan_flow(
        "Send an email.", planner=OfflinePlanner(), catalog=catalog, tool_ids=["nope"]
    )

    assert result.error.code == "unknown_tools"


@pytest.mark.parametrize(
    ("prompt", "actions"),
    [
        (
            "1. Verify the email\n2. Send an SMS\n3. Refund the order",
            ["Verify the email", "Send an SMS", "Refund the order"],
        ),
        (
            "Verify the email, look up the customer and then send an SMS.",
            ["Verify the email", "look up the customer", "send an SMS"],
        ),
        (
            "Send an email with the name and email of the customer.",
            ["Send an email with the name and email of the customer"],
        ),
    ],
)
def test_the_prompt_is_split_into_steps(prompt, actions):
    reader = PromptReader()

    assert [clause.action for clause in reader.read(prompt)] == actions


def test_every_evaluation_case_passes():
    """The tuning and held-out sets (`make eval-planner`) as a test: a change to the planner
    that breaks a case that passed, or plans a request it must refuse, fails the suite."""
    from tools_registry.catalog import default_catalog

    cases = load_cases(EVALS)

    report = run_eval(OfflinePlanner(), default_catalog(), cases)

    assert len(cases) >= 1000
    assert [(r.case.id, r.failures) for r in report.results if not r.passed] == []
