"""The offline planner on requests for things no tool does: a real English word is never
"corrected" into a catalogue word, and a step whose action no tool does is refused naming
its phrase instead of being dropped while a neighbouring step picks a tool. Over the
fixture catalogue (specs only, no Django)."""

from __future__ import annotations

import pytest

from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.session import plan_flow
from flows.core.planner.wording import correct_typos, foreign_verb
from flows.core.validate import validate_flow

WORDS = frozenset({"case", "send", "look", "verify", "address", "email", "mood", "score"})


def refusal(prompt, catalog):
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)
    assert not result.ok, [node.id for node in result.flow.nodes]
    return result.error


def test_a_common_english_word_is_not_corrected_into_a_catalogue_word():
    text, fixed = correct_typos("fly me to the moon and bake a cake", WORDS, WORDS)

    assert text == "fly me to the moon and bake a cake"
    assert fixed == {}


def test_a_misspelling_that_is_no_english_word_is_still_corrected():
    text, fixed = correct_typos("sned the emial", WORDS, WORDS)

    assert text == "send the email"
    assert fixed == {"sned": "send", "emial": "email"}


def test_a_foreign_verb_is_an_english_word_no_tool_or_planner_word_knows():
    assert foreign_verb("bake", WORDS)
    assert foreign_verb("water", WORDS)
    assert not foreign_verb("send", WORDS)  # known
    assert not foreign_verb("sned", WORDS)  # not English: a typo
    assert not foreign_verb("try", WORDS)  # control word ("try to find the user")
    assert not foreign_verb("quickly", WORDS)  # an adverb, not the action


@pytest.mark.parametrize(
    ("prompt", "phrase"),
    [
        ("Bake a cake.", "bake"),
        ("fly me to the moon and bake a cake", "moon"),
        ("Verify the address and water the plants.", "water the plants"),
        ("Score the mood of the text, then mow the lawn.", "mow"),
        ("Score the mood of the text and bake a cake for the customer.", "bake"),
        ("Verify the address, clean the kitchen, and send an email.", "clean the kitchen"),
        ("Lock up the customer by id.", "lock"),
    ],
)
def test_a_step_no_tool_does_is_refused_naming_its_phrase(catalog, prompt, phrase):
    error = refusal(prompt, catalog)

    assert error.code == "unmapped_step"
    assert phrase in error.step.lower()
    assert phrase in error.message.lower()


def test_the_refused_part_of_a_joined_step_is_named_alone(catalog):
    error = refusal("Verify the address and water the plants.", catalog)

    assert error.step == "water the plants"
    assert error.details["phrase"] == "water the plants"


@pytest.mark.parametrize(
    "prompt",
    [
        "Verify the address and send an email.",
        "Verify the address (ignore disposable ones, they're fine) and send an email.",
        "Try to find the customer by id, then send them an email.",
        "Quickly verify the address, then send an email.",
    ],
)
def test_steps_every_part_of_which_maps_still_plan(catalog, prompt):
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)

    assert result.ok, result.error and result.error.to_json()
    assert validate_flow(result.flow, catalog) == []


@pytest.mark.parametrize(
    ("prompt", "phrase"),
    [
        ("Get me a pizza, then send an email.", "pizza"),
        ("Look up a hotel in Paris and send an email.", "hotel"),
    ],
)
def test_a_generic_verb_with_an_object_no_tool_knows_is_refused(catalog, prompt, phrase):
    # "get" and "look up" mean find_customer's "find", but the step gets something else
    error = refusal(prompt, catalog)

    assert error.code == "unmapped_step"
    assert error.details == {"phrase": phrase, "reason": "unknown_object"}
    assert "find_customer" in error.message


@pytest.mark.parametrize(
    "prompt",
    [
        "Get the customer by id, then send them an email.",
        "Look up the shopper by id and send them an email.",  # a person, as a customer is
        "Look up the customer ann@example.com and send them an email.",  # literals are data
        "Download the article at https://example.com, then send an email.",  # its own verb
    ],
)
def test_a_generic_verb_with_an_object_a_tool_knows_still_plans(catalog, prompt):
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)

    assert result.ok, result.error and result.error.to_json()
    assert validate_flow(result.flow, catalog) == []
