"""The offline planner on what requests say in passing: where a thing goes (abroad, a
postcode, a #channel), what a page's state or a parcel's status is, a level or a name
written beside its input, and how the request for a flow is asked."""

from __future__ import annotations

import pytest

from flows.core.ir import ApprovalNode, BranchNode, MapNode, ToolNode
from flows.core.planner.conditions import resolve_condition
from flows.core.planner.levels import level_literals
from flows.core.planner.named_values import named_values
from flows.core.planner.naming import flow_title
from flows.core.planner.wiring import output_sources
from flows.core.tools import ToolSpec
from tests.planner.offline_plans import plan
from tests.planner.registered import demo_catalog_with
from tests.planner.tools import S, _obj

SHIPMENT = _obj(["country"], country=S)
FETCHED = _obj([], url=S, status_code={"type": "integer"}, text=S)
TRACKED = _obj([], status=S, location=S)


def node_of(flow, tool):
    return next(n for n in flow.nodes if isinstance(n, ToolNode | MapNode) and n.tool == tool)


@pytest.mark.parametrize(
    ("said", "expression"),
    [
        ("it goes abroad", "shipment.country != input.home_country"),
        ("it ships internationally", "shipment.country != input.home_country"),
        ("the order is domestic", "shipment.country == input.home_country"),
    ],
)
def test_abroad_is_the_destination_against_home(said, expression):
    # a step said where it goes; home is what the run gives
    resolved = resolve_condition(said, output_sources("shipment", SHIPMENT))

    assert resolved is not None
    assert resolved.expression == expression
    assert resolved.new_input is not None
    assert resolved.new_input[0] == "home_country"


def test_outside_a_named_country_compares_with_it():
    resolved = resolve_condition("it goes outside the UK", [])

    assert resolved is not None
    assert resolved.expression == 'input.country != "GB"'
    assert resolved.new_input is not None
    assert resolved.new_input[0] == "country"
    assert resolved.more_inputs == ()


def test_outside_what_is_no_country_says_nothing_of_abroad():
    assert resolve_condition("it arrives outside business hours", []) is None


@pytest.mark.parametrize(
    ("said", "expression"),
    [
        ("it's down", "page.status_code >= 400.0"),
        ("the site is unreachable", "page.status_code >= 400.0"),
        ("it is up", "page.status_code < 400.0"),
        ("it isn't working", "page.status_code >= 400.0"),
    ],
)
def test_a_page_down_or_up_is_its_status_code(said, expression):
    resolved = resolve_condition(said, output_sources("page", FETCHED))

    assert resolved is not None
    assert resolved.expression == expression


@pytest.mark.parametrize(
    ("said", "expression"),
    [
        ("it's delayed", 'track.status == "delayed"'),
        ("the parcel isn't delivered yet", 'track.status != "delivered"'),
        ("it is out for delivery", 'track.status == "out_for_delivery"'),
    ],
)
def test_a_state_said_is_the_free_text_status(said, expression):
    resolved = resolve_condition(said, output_sources("track", TRACKED))

    assert resolved is not None
    assert resolved.expression == expression


def test_a_state_the_status_list_lacks_is_not_read_as_it():
    listed = _obj([], status={"type": "string", "enum": ["pending", "shipped"]})

    assert resolve_condition("it's delayed", output_sources("track", listed)) is None


def test_a_drop_in_percent_is_the_change_below_minus_it():
    quote = _obj([], price={"type": "number"}, change_percent={"type": "number"})

    resolved = resolve_condition("it dropped more than 5%", output_sources("quote", quote))

    assert resolved is not None
    assert resolved.expression == "quote.change_percent < -5.0"


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("book a pickup at postcode SW1A 1AA", "SW1A 1AA"),
        ("book a collection to EC1A1BB", "EC1A1BB"),
        ("ship to zip 10001-1234", "10001-1234"),
    ],
)
def test_a_postcode_is_taken_whole(text, postcode):
    found = named_values({"postcode": S}, text, {}, texts_phones=False)

    assert found == {"postcode": f'"{postcode}"'}


NUMBERED = {"type": "string", "enum": ["p1", "p2", "p3", "p4"]}


@pytest.mark.parametrize(
    ("name", "schema", "text", "value"),
    [
        ("urgency", S, "a ticket with high urgency", "high"),
        ("severity", S, "severity: critical", "critical"),
        ("urgency", NUMBERED, "with high urgency", "p2"),
        ("urgency", NUMBERED, "a critical one", "p1"),
    ],
)
def test_a_level_said_beside_its_input(name, schema, text, value):
    assert level_literals({name: schema}, text, {}) == {name: f'"{value}"'}


def test_a_title_leaves_codes_and_relative_clauses_out():
    assert flow_title(["Check SKU ABC-1 availability"]) == "Check SKU availability"
    assert flow_title(["Open a ticket whose priority is high"]) == "Open ticket"
    assert flow_title(["Fetch each of our status pages"]) == "Fetch status pages"


def test_before_shipping_abroad_said_mid_sentence_approves_only_what_goes_abroad(demo):
    flow = plan(
        "Validate the order, charge the card, and before shipping anything abroad, ask the "
        "ops manager to approve.",
        demo,
    )

    approval = next(n for n in flow.nodes if isinstance(n, ApprovalNode))
    assert approval.when == "input.country != input.home_country"
    assert node_of(flow, "create_shipment").inputs["country"] == "input.country"
    assert approval.instructions == "Approve the order: it goes abroad."


def test_a_message_lists_the_items_of_the_loop_that_hold_the_quality(demo):
    flow = plan(
        "Fetch each of our status pages and tell me which ones are down by email to "
        "ops@example.com.",
        demo,
    )

    email = node_of(flow, "send_email")
    assert isinstance(email, ToolNode)
    kept = "fetch_url.filter(r, r.status_code >= 400.0)"
    # (when none is down, the message says so: an empty body could not be sent)
    assert email.inputs["body"] == (
        f'size({kept}) > 0 ? {kept}.map(r, string(r.url)).join("\\n") : "None are down"'
    )
    assert email.inputs["subject"] == '"Pages that are down"'


def test_a_ticket_about_a_page_fetches_nothing(demo):
    flow = plan("Open a low-priority ticket about the broken link on our pricing page.", demo)

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == ["create_ticket"]


def test_the_value_a_classifier_returns_plans_the_classifier(demo):
    flow = plan("Create a ticket with the priority the classifier returns.", demo)

    assert node_of(flow, "create_ticket").inputs["priority"] == "classify_ticket.priority"
    assert "priority" not in flow.input_schema.get("properties", {})


def test_how_the_flow_is_asked_for_is_no_step(demo):
    flow = plan(
        "Hey, could you set up something that reads incoming support emails, figures out "
        "what they're about and opens a ticket for the right team?",
        demo,
    )

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == [
        "classify_ticket",
        "create_ticket",
    ]


SLACK = ToolSpec(
    id="post_slack_message",
    name="Post to Slack",
    description="Post a message to a Slack channel.",
    input_schema=_obj(["channel", "text"], channel=S, text=S),
    output_schema=_obj([], status=S),
)
TEAMS = ToolSpec(
    id="teams_post",
    name="Post to Teams",
    description="Post a message to a Microsoft Teams channel.",
    input_schema=_obj(["team_channel", "msg"], team_channel=S, msg=S),
    output_schema=_obj([], id=S),
)
SEARCH = ToolSpec(
    id="search_knowledge_base",
    name="Search the knowledge base",
    description="Find help-center articles that answer a question.",
    input_schema=_obj(["query"], query=S),
    output_schema=_obj([], articles={"type": "array"}, best_answer=S),
)
JIRA = ToolSpec(
    id="create_jira_issue",
    name="Create a Jira issue",
    description="Create an issue in a Jira project.",
    input_schema=_obj(["project", "summary"], project=S, summary=S, description=S),
    output_schema=_obj([], key=S, url=S),
)


def test_a_hash_channel_goes_to_slack_when_teams_is_registered_too():
    flow = plan("Post the deploy notes to #eng.", demo_catalog_with([TEAMS, SLACK]))

    assert node_of(flow, "post_slack_message").inputs["channel"] == '"#eng"'


def test_a_reply_with_what_was_found_is_only_for_when_something_was():
    flow = plan(
        "Search the help center for the question and reply with the best answer; if nothing "
        "matches, open a Jira ticket.",
        demo_catalog_with([SEARCH, JIRA]),
    )

    reply = node_of(flow, "send_email")
    branch = next(n for n in flow.nodes if isinstance(n, BranchNode))
    assert reply.when == "!(size(search_knowledge_base.articles) == 0)"
    assert branch.then == ["create_jira_issue"]


def test_a_title_names_no_pronoun_of_a_clause_as_what_a_step_acts_on():
    # "check that we have the stock": a clause after the verb, no object ("create we")
    title = flow_title(["validate it", "check that we have the stock", "charge the card"])

    assert title == "Validate, check and charge card"
