"""The offline planner over tools an admin registers that no rule was written for (a CRM
lead, a lead score, a stock price, a translation, a Teams post): a verb naming a tool's
action is that step, values written in the request (a ticker, a channel named without
"#", a language in lower case, a repository, a table, a size) fill the inputs named for
them, and two values for one input give one call each, never the first alone."""

from __future__ import annotations

import pytest

from flows.core.ir import BranchNode, MapNode, ToolNode
from flows.core.planner.named_values import measures, named_values, written_places
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.session import plan_flow
from flows.core.planner.wording import correct_typos
from flows.core.tools import ToolSpec
from tests.planner.registered import demo_catalog_with, plan, steps
from tests.planner.tools import N, S, _obj

INT = {"type": "integer"}

REGISTERED = [
    ToolSpec(
        id="create_crm_lead",
        name="Create CRM lead",
        description="Create a sales lead in the CRM with a name, email and company.",
        input_schema=_obj(["name", "email"], name=S, email=S, company=S),
        output_schema=_obj([], lead_id=S),
    ),
    ToolSpec(
        id="get_stock_price",
        name="Get stock price",
        description="Current price of a stock by its ticker symbol.",
        input_schema=_obj(["ticker"], ticker=S),
        output_schema=_obj([], price=N, currency=S),
    ),
    ToolSpec(
        id="translate_text",
        name="Translate text",
        description="Translate text into a target language.",
        input_schema=_obj(["text", "target_language"], text=S, target_language=S),
        output_schema=_obj([], translation=S),
    ),
    ToolSpec(
        id="post_to_teams",
        name="Post to Microsoft Teams",
        description="Post a message to a Microsoft Teams channel.",
        input_schema=_obj(["channel", "message"], channel=S, message=S),
        output_schema=_obj([], ok={"type": "boolean"}),
    ),
    ToolSpec(
        id="score_lead",
        name="Score lead",
        description="Score a sales lead from 0 to 100 by how likely it is to buy.",
        input_schema=_obj(["email"], email=S, company=S),
        output_schema=_obj([], score=INT),
    ),
    ToolSpec(
        id="generate_pdf",
        name="Generate PDF",
        description="Render a PDF document from text and return its URL.",
        input_schema=_obj(["content"], content=S, filename=S),
        output_schema=_obj([], pdf_url=S, pages=INT),
    ),
    ToolSpec(
        id="send_discord_message",
        name="Send Discord message",
        description="Send a message to a Discord channel.",
        input_schema=_obj(["channel", "content"], channel=S, content=S),
        output_schema=_obj([], message_id=S),
    ),
]


@pytest.fixture(scope="module")
def catalog():
    return demo_catalog_with(REGISTERED)


def asked(flow) -> set[str]:
    return set((flow.input_schema or {}).get("properties", {}))


def test_a_verb_naming_a_registered_tool_is_its_step_and_the_condition_reads_it(catalog):
    flow = plan(
        "When someone signs up, create a lead in the CRM, score it, and if the score is "
        "above 70 post it to the #sales Teams channel",
        catalog,
    )

    assert list(steps(flow)) == ["create_crm_lead", "score_lead", "post_to_teams"]
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "score_lead.score > 70.0"
    assert "score" not in asked(flow)


def test_a_thing_put_somewhere_is_still_what_it_means_later(catalog):
    # "in the CRM" is where the lead goes: "score it" scores the lead
    flow = plan("Create a lead in the CRM and score it", catalog)

    assert list(steps(flow)) == ["create_crm_lead", "score_lead"]


def test_a_ticker_and_a_channel_named_without_a_hash_are_written_values(catalog):
    flow = plan("Get the price of AAPL and post it to Teams channel finance", catalog)
    possessive = plan("Look up TSLA's stock price", catalog)

    assert steps(flow)["get_stock_price"]["ticker"] == '"AAPL"'
    assert steps(flow)["post_to_teams"]["channel"] == '"finance"'
    assert steps(possessive)["get_stock_price"]["ticker"] == '"TSLA"'
    assert not asked(flow) & {"ticker", "channel"}


def test_a_language_in_lower_case_after_to_is_the_language(catalog):
    flow = plan("translate the summary to french and post it to teams", catalog)

    assert steps(flow)["translate_text"]["target_language"] == '"French"'
    assert steps(flow)["post_to_teams"]["message"] == "translate_text.translation"


def test_two_languages_are_two_calls_never_the_first_alone(catalog):
    flow = plan("Translate the text to Spanish and German", catalog)

    loop = next(node for node in flow.nodes if isinstance(node, MapNode))
    assert loop.tool == "translate_text"
    assert loop.items == '["Spanish", "German"]'
    assert loop.inputs["target_language"] == "item"


def test_two_channels_and_two_tickers_are_one_call_each(catalog):
    posted = plan('Post "Maintenance tonight" to Discord channels #ops and #eng', catalog)
    priced = plan("Get the prices of AAPL and MSFT and post them to Teams channel finance", catalog)

    post = next(node for node in posted.nodes if isinstance(node, MapNode))
    assert (post.items, post.inputs["channel"]) == ('["#ops", "#eng"]', "item")
    maps = {node.tool: node for node in priced.nodes if isinstance(node, MapNode)}
    assert maps["get_stock_price"].items == '["AAPL", "MSFT"]'
    # each price found is posted, not the ticker it was found for
    assert maps["post_to_teams"].items == "get_stock_price"
    assert maps["post_to_teams"].inputs["message"] == (
        '"Price: %s\\nCurrency: %s".format([item.price, item.currency])'
    )


def test_what_the_email_says_is_the_price_when_the_request_says_so(catalog):
    flow = plan(
        "Look up TSLA's stock price; if it's over 300 email me the price at ops@example.com",
        catalog,
    )

    assert steps(flow)["send_email"]["body"] == "string(get_stock_price.price)"
    assert steps(flow)["send_email"]["to"] == '"ops@example.com"'


def test_posting_to_a_channel_is_what_a_tool_that_sends_to_channels_does(catalog):
    flow = plan('Post "Deploy done" to the #releases Discord channel', catalog)

    assert steps(flow) == {
        "send_discord_message": {"channel": '"#releases"', "content": '"Deploy done"'}
    }


def test_a_thing_a_step_before_makes_is_made_first_and_its_link_is_sent(catalog):
    flow = plan(
        "Make a PDF from the translated text and email the link to legal@example.com", catalog
    )

    assert list(steps(flow)) == ["translate_text", "generate_pdf", "send_email"]
    assert steps(flow)["generate_pdf"]["content"] == "translate_text.translation"
    assert steps(flow)["send_email"]["body"] == "generate_pdf.pdf_url"


def test_a_file_name_in_a_url_is_not_corrected_as_a_typo() -> None:
    known = frozenset({"ping", "resize", "image"})

    text, fixed = correct_typos("resize the imgae at https://example.com/logo.png", known)

    assert text == "resize the image at https://example.com/logo.png"
    assert fixed == {"imgae": "image"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("open an issue in acme/api", {"repo": '"acme/api"'}),
        ("look up the company for stripe.com", {"domain": '"stripe.com"'}),
        ("email jane@stripe.com", {}),  # an address's domain is no domain said
        ("insert it into the signups table", {"table": '"signups"'}),
        ("insert it into the same table", {}),
        ("post it to the sales channel", {"channel": '"sales"'}),
        ("post it to the Teams channel", {}),  # the app is no channel's name
        ("the price of NVDA", {"ticker": '"NVDA"'}),
        ("the price in USD", {}),  # a currency is no ticker
        ("translate it into japanese", {"language": '"Japanese"'}),
        ("use the LLM to polish the draft", {}),  # a verb, not a language
    ],
)
def test_named_values_of_unseen_inputs(text: str, expected: dict[str, str]) -> None:
    properties = {"repo": S, "domain": S, "table": S, "channel": S, "ticker": S, "language": S}

    assert named_values(properties, text, {}, texts_phones=False) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("resize it to a width of 640 and a height of 480", {"width": "640", "height": "480"}),
        ("make it 200 pixels wide", {"width": "200"}),
        ("resize the avatar to 64 by 64", {"width": "64", "height": "64"}),
        ("resize the image", {}),
    ],
)
def test_sizes_written_for_inputs_named_for_them(text: str, expected: dict[str, str]) -> None:
    assert measures({"width": INT, "height": INT}, text, {}) == expected


def test_values_listed_for_one_input(catalog) -> None:
    language = {"text": S, "target_language": S}

    assert written_places(language, "translate it into french, german and italian") == [
        "French",
        "German",
        "Italian",
    ]
    assert written_places({"ticker": S}, "the prices of AAPL, MSFT and GOOG") == [
        "AAPL",
        "MSFT",
        "GOOG",
    ]
    assert written_places(language, "translate it into French") == []


def test_a_condition_on_what_a_named_step_returns_is_never_another_tools_field(catalog):
    result = plan_flow(
        "If the fetch of https://status.example.com returns an error, create a ticket",
        planner=OfflinePlanner(),
        catalog=catalog,
    )

    # the fetch tells whether it failed; an order validation's `errors` does not
    tools = {n.tool for n in result.flow.nodes if isinstance(n, ToolNode)} if result.ok else set()
    assert "validate_order" not in tools
