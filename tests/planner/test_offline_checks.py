"""The offline planner on a state the request says must hold ("check that the email is
valid, then ..."): the steps after it run only when it holds, and a check only a tool
that acts could answer is refused."""

from __future__ import annotations

import pytest

from flows.core.ir import BranchNode, ToolNode
from flows.core.planner.assertions import guard_after_assertions
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.phrasing import Clause, Condition
from flows.core.planner.session import plan_flow
from tests.planner.offline_plans import plan


def step(number, text, **fields):
    return Clause(number=number, text=text, action=text, sentence=0, **fields)


def test_a_checked_state_with_steps_after_it_stops_the_run_when_it_fails():
    check = step(1, "check the email is valid", asserts=Condition("the email is valid"))
    clauses = guard_after_assertions([check, step(2, "send the welcome email")])

    stop = clauses[1]
    assert stop.stop
    assert stop.condition == Condition("the email is valid", negate=True, checked=True)


def test_a_checked_state_the_request_answers_keeps_its_answer():
    check = step(1, "check the email is valid", asserts=Condition("the email is valid"))
    welcome = step(2, "send the welcome email")
    answer = step(3, "email support", condition=Condition("the email is valid", negate=True))

    clauses = guard_after_assertions([check, welcome, answer])

    assert not any(clause.stop for clause in clauses)
    assert welcome.condition == Condition("the email is valid")


def test_check_that_guards_the_steps_after_it(demo):
    flow = plan("Check that we have the stock, then charge the card and ship the order", demo)

    stop = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert stop.condition == "!check_inventory.in_stock"
    charge = next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "process_payment")
    assert stop.id in charge.after


def test_checking_what_only_an_acting_tool_does_is_refused(demo):
    result = plan_flow(
        "check that the payment went through and create the shipment",
        planner=OfflinePlanner(),
        catalog=demo,
    )

    assert not result.ok
    assert result.error.details["reason"] == "check_would_act"
    assert "process_payment" in result.error.message


@pytest.mark.parametrize(
    "prompt",
    [
        "When an order comes in, make sure it's valid and in stock, take payment, and ship it.",
        "verify that the order is valid and that the items are in stock, then charge it",
    ],
)
def test_each_of_two_states_to_hold_is_checked(demo, prompt):
    # the second state is no less a check than the first: never dropped in silence
    flow = plan(prompt, demo)

    tools = [n.tool for n in flow.nodes if isinstance(n, ToolNode)]
    assert tools[:3] == ["validate_order", "check_inventory", "process_payment"]
    conditions = {n.condition for n in flow.nodes if isinstance(n, BranchNode)}
    assert conditions == {"!validate_order.valid", "!check_inventory.in_stock"}


def test_a_schedule_said_in_the_request_is_noted_on_the_plan(demo):
    flow = plan("email me a summary of https://news.example.com every weekday at 8am", demo)

    [note] = flow.metadata.notes
    assert "every weekday at 8am" in note
    assert "started" in note
    assert plan("summarize https://news.example.com", demo).metadata.notes == []
