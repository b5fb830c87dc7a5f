"""A run input a step passes to its tool is required, even when the tool could go without
it (a user looked up by email or by id) or only one arm of a branch reads it: a run started
without it failed at that step ('no such key')."""

from __future__ import annotations

import pytest

from flows.core.optional_inputs import optional_input_warnings
from tests.planner.offline_plans import plan


@pytest.mark.parametrize(
    ("prompt", "field"),
    [
        ("Look up the user by email; if they're not found, email sales@acme.com with their "
         "email address.", "email"),
        ("1) lookup the customer 2) check their plan 3) if free plan email them an upgrade "
         "offer", "user_id"),
        ("Classify the message and route it: billing questions go to finance by email, "
         "technical ones become a ticket, everything else gets a reply to the customer.",
         "customer_email"),
    ],
)
def test_an_input_a_step_reads_is_required(demo, prompt, field):
    flow = plan(prompt, demo)

    assert field in flow.input_schema["properties"]
    assert field in flow.input_schema["required"]
    assert list(optional_input_warnings(flow)) == []
