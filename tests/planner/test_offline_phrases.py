"""The offline planner's readings of single phrases: who a message goes to, what a loop
runs over, and what a comparison reads."""

from __future__ import annotations

import pytest

from flows.core.planner.phrasing import for_each_phrase
from flows.core.planner.recipients import message_recipients


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("email the customer success manager", ["customer_success_manager_email"]),
        ("notify the relevant account manager", ["account_manager_email"]),
        ("email the customer and the manager", ["manager_email"]),
        ("email the customer and manager", ["manager_email"]),
        ("email the customer manager", ["manager_email"]),
        ("email it to me", ["my_email"]),
    ],
)
def test_a_role_takes_the_words_that_name_it(action, fields):
    assert [recipient.field for recipient in message_recipients(action)] == fields


def test_a_loop_runs_over_the_last_noun_of_its_phrase():
    assert for_each_phrase("For each customer feedback message in the list") == (
        "message",
        "list",
        0,
    )
    assert for_each_phrase("for each support ticket in the queue")[:2] == ("ticket", "queue")


def test_every_one_with_a_quality_is_not_a_loop_of_its_own():
    assert for_each_phrase("send a welcome email to every valid one") is None
    assert for_each_phrase("summarize every single one") is not None
