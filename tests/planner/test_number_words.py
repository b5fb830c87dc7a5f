"""Amounts written in words read as digits (`flows.core.planner.number_words`)."""

from __future__ import annotations

import pytest

from flows.core.planner.number_words import amounts_in_words_as_digits, words_value
from tests.planner.offline_plans import plan


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("seventy five", 75),
        ("seventy-five", 75),
        ("one hundred and twenty", 120),
        ("a hundred", 100),
        ("two thousand five hundred", 2500),
        ("eleven hundred", 1100),
        ("twelve", 12),
        ("five six", None),
        ("twenty thirty", None),
        ("a", None),
    ],
)
def test_words_value(words, value):
    assert words_value(words) == value


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("charge order 5 seventy five dollars", "charge order 5 75 dollars"),
        ("pay fifty bucks", "pay 50 dollars"),
        ("refund order 5 and twenty euros", "refund order 5 and 20 euros"),
        ("one of the orders needs two approvals", "one of the orders needs two approvals"),
        ("a hundred ways to say it", "a hundred ways to say it"),
    ],
)
def test_only_an_amount_before_a_currency_is_rewritten(text, read):
    assert amounts_in_words_as_digits(text) == read


def test_a_charge_written_in_words_is_charged(demo):
    """ "seventy five dollars" asked the run for the amount."""
    flow = plan("charge order 5 seventy five dollars", demo)

    assert flow.nodes[0].inputs["amount"] == "75.0"
