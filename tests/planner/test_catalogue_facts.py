"""The offline planner reads a catalogue once: what it reads is shared by the plans over
the same catalogue, and read afresh for another one (a tool added is planned with)."""

from __future__ import annotations

from flows.core.planner.cache import catalog_hash
from flows.core.planner.catalogue_facts import catalogue_facts
from flows.core.planner.lexicon import stems
from flows.core.planner.retrieval import ToolIndex
from flows.core.tools import ToolSpec
from tests.planner.registered import demo_catalog_with, plan, steps
from tests.planner.tools import SPECS

TRANSLATE = ToolSpec(
    id="translate_text",
    name="Translate text",
    description="Translate a text into another language.",
    input_schema={
        "type": "object",
        "properties": {"text": {"type": "string"}, "language": {"type": "string"}},
        "required": ["text", "language"],
    },
    output_schema={"type": "object", "properties": {"translation": {"type": "string"}}},
)


def test_plans_over_one_catalogue_share_what_is_read_of_it() -> None:
    catalog = demo_catalog_with([])

    first = catalogue_facts(catalog.specs())
    again = catalogue_facts(catalog.specs())

    assert again is first
    assert "send" in first.verbs
    assert {"positive", "negative"} <= first.qualities  # analyze_sentiment's labels


def test_a_tool_added_is_read_and_planned_with() -> None:
    before = demo_catalog_with([])
    after = demo_catalog_with([TRANSLATE])

    assert catalogue_facts(after.specs()) is not catalogue_facts(before.specs())
    assert "translate" in catalogue_facts(after.specs()).verbs
    assert catalog_hash(after.specs()) != catalog_hash(before.specs())
    assert catalog_hash(after.specs()) == catalog_hash(list(after.specs()))
    flow = plan("Translate the text to German", after)
    assert steps(flow)["translate_text"]["language"] == '"German"'


def test_ranking_scores_the_tools_sharing_a_word_as_scoring_all_would() -> None:
    index = ToolIndex.build([*SPECS, TRANSLATE])
    for text in (
        "check the email address",
        "text the customer",  # "text": a synonym's tools too
        "translate it",
        "bake a cake",
    ):
        query = stems(text)
        every = [index.score(spec, query) for spec in index.specs]
        expected = sorted((s for s in every if s.score > 0), key=lambda s: -s.score)
        assert index.rank(text) == expected
