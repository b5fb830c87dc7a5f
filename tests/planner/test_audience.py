"""Whom a step is for, said with "who ...", read as the condition it runs under."""

from __future__ import annotations

from flows.core.planner.audience import for_whom


def test_people_who_do_something_at_the_end_of_a_step():
    assert for_whom("Send a thank you email to customers who leave positive feedback") == (
        "if they leave positive feedback, Send a thank you email to them"
    )


def test_people_who_between_the_verb_and_what_they_get():
    assert for_whom("send everyone who isn't found a welcome email") == (
        "if they aren't found, send them a welcome email"
    )


def test_whose_says_what_is_theirs():
    assert for_whom("email a discount code to customers whose order was declined") == (
        "if their order was declined, email a discount code to them"
    )


def test_a_step_for_one_named_person_is_left_alone():
    assert for_whom("send the invoice to the customer") is None
