"""Retries and time limits said in words: what `run_settings` takes out of a step, and the
nodes the offline planner makes of them (over the fixture catalogue, no Django)."""

from __future__ import annotations

import pytest

from flows.core.ir import BranchNode, ToolNode
from flows.core.planner.execution import RunSettings, run_settings
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.session import plan_flow
from flows.core.validate import validate_flow


@pytest.mark.parametrize(
    ("text", "left", "attempts", "timeout"),
    [
        ("Charge the card and retry up to 3 times if it fails", "Charge the card", 4, None),
        ("Charge the card, retrying twice", "Charge the card", 3, None),
        ("retry 3 times on errors", "", 4, None),
        ("Charge the card with up to 2 retries", "Charge the card", 3, None),
        ("try up to 3 times to charge the card", "charge the card", 3, None),
        ("Try charging the card up to 5 times", "charging the card", 5, None),
        ("if it fails, retry 3 times", "", 4, None),
        ("then attempt to charge the card at most 3 times", "then charge the card", 3, None),
        ("Validate the order with a 10 second timeout", "Validate the order", None, 10.0),
        ("Fetch the page, giving up after 2 minutes", "Fetch the page", None, 120.0),
        ("Fetch the page with a 5-second timeout and retry once", "Fetch the page", 2, 5.0),
        ("Retry the payment", "Retry the payment", None, None),  # no count: not a setting
        ("Try to find the customer", "Try to find the customer", None, None),
    ],
)
def test_the_words_are_taken_out_and_say_attempts_and_time(text, left, attempts, timeout):
    rest, settings = run_settings(text)

    assert rest == left
    assert (settings.max_attempts, settings.timeout_s) == (attempts, timeout)


@pytest.mark.parametrize(
    ("text", "left", "attempts"),
    [
        ("Charge the card and retry if it fails", "Charge the card", 3),
        ("Charge the card, retrying on failure", "Charge the card", 3),
        ("Fetch the page and retry if needed", "Fetch the page", 3),
        ("Fetch the page and retry it if it times out", "Fetch the page", 3),
        ("charge it; if it fails, try again", "charge it", 3),
        ("Charge the card with retries", "Charge the card", 3),
        ("Charge the card and retry a couple of times", "Charge the card", 3),
        ("Charge $50 and retry a few times if it fails", "Charge $50", 4),
        # "retry" with nothing after it says nothing of when: a step's words
        ("Charge the card and retry", "Charge the card and retry", None),
    ],
)
def test_retries_said_without_a_count(text, left, attempts):
    """They were refused: "if it fails" was read as a condition no step before it told."""
    rest, settings = run_settings(text)

    assert rest == left
    assert settings.max_attempts == attempts


def test_a_step_after_uncounted_retries_still_waits_on_the_failure(demo):
    """ "If it fails, retry and then email ...": the email went out on every run."""
    tools, result = _plan(
        "Charge $20 for order 5. If it fails, retry and then email the customer at c@x.com",
        demo,
    )

    assert tools["process_payment"].retry.max_attempts == 3
    gate = next(n for n in result.flow.nodes if isinstance(n, BranchNode))
    assert gate.condition == "!process_payment.approved"
    assert gate.then == ["send_email"]


def test_attempts_stay_within_what_a_node_allows():
    assert run_settings("send it and retry 50 times")[1] == RunSettings(max_attempts=20)


def _plan(prompt, catalog):
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)
    assert result.ok, result.error and result.error.to_json()
    assert validate_flow(result.flow, catalog) == []
    return {node.tool: node for node in result.flow.nodes if isinstance(node, ToolNode)}, result


@pytest.mark.parametrize(
    "prompt",
    [
        "Send an email and retry up to 3 times if it fails.",
        "Send an email; retry 3 times on errors.",
    ],
)
def test_a_step_retried_says_so_in_its_node_not_in_a_condition(catalog, prompt):
    tools, result = _plan(prompt, catalog)

    assert list(tools) == ["send_email"]
    assert tools["send_email"].retry is not None
    assert tools["send_email"].retry.max_attempts == 4
    assert not any(isinstance(node, BranchNode) for node in result.flow.nodes)


def test_a_time_limit_is_the_steps_own(catalog):
    prompt = (
        "Download the page at https://example.com with a 10-second timeout, then score its mood."
    )
    tools, _ = _plan(prompt, catalog)

    assert tools["download_page"].timeout_s == 10.0
    assert tools["score_mood"].timeout_s is None
    assert tools["score_mood"].retry is None
