"""The offline planner on terse notes and run-on requests as people type them: "tracking
no.", a condition set off by dashes, a chat channel named as written ("a Teams message"),
a step that goes on in the arm of the condition before it. Over specs only (no Django)."""

from __future__ import annotations

from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.session import plan_flow
from flows.core.planner.wording import chat_spelling, missing_capability
from flows.core.tools import ToolSpec
from tests.planner.tools import SPECS, S, _obj, fixture_catalog

ROUTER = ToolSpec(
    id="route_ticket",
    name="Route ticket",
    description="Pick the team to route a support message to.",
    input_schema=_obj(["text"], text=S),
    output_schema=_obj(["team"], team=S),
)
TEAMS = ToolSpec(
    id="post_teams_message",
    name="Post a Teams message",
    description="Post a message to a Microsoft Teams channel.",
    input_schema=_obj(["channel", "text"], channel=S, text=S),
    output_schema=_obj(["id"], id=S),
)


def test_no_after_a_noun_is_its_number_and_a_dot_before_a_capital_still_ends_a_sentence():
    assert chat_spelling("ship + email tracking no. to them") == (
        "ship and email tracking number to them"
    )
    assert (
        chat_spelling("email the order no. Then ship it") == "email the order number. Then ship it"
    )
    assert chat_spelling("say no to them") == "say no to them"


def test_a_condition_between_dashes_is_the_condition_of_the_step_after_it():
    assert chat_spelling("validate it and then - only if it's valid - greet them") == (
        "validate it and then, only if it's valid, greet them"
    )


def test_teams_is_offered_only_by_a_tool_that_says_teams_not_by_one_that_names_a_team():
    asked = "send a Teams message to the sales channel"

    assert missing_capability(asked, ROUTER) is not None
    assert missing_capability(asked, TEAMS) is None


def test_a_teams_message_is_refused_when_no_tool_posts_to_teams():
    catalog = fixture_catalog([*SPECS, ROUTER])

    result = plan_flow(
        "Send a Teams message to the sales channel", planner=OfflinePlanner(), catalog=catalog
    )

    assert not result.ok
    assert "Teams" in result.error.message


def test_a_teams_message_goes_to_the_tool_that_posts_there():
    catalog = fixture_catalog([*SPECS, ROUTER, TEAMS])

    result = plan_flow(
        "Send a Teams message to the sales channel", planner=OfflinePlanner(), catalog=catalog
    )

    assert result.ok, result.error
    assert [node.tool for node in result.flow.nodes if node.type == "tool"] == [
        "post_teams_message"
    ]
