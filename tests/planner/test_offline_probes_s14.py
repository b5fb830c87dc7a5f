"""The offline planner on requests probed by hand in the fourteenth session: a retried step
said as a gerund ("Retry charging order 15 up to 3 times"), a carrier written in lower case
before "mail" or "post" ("by royal mail"), a person named in lower case ("approval from
alice") or by another word ("customer 88"), items kept by where or what they are ("only to
those on the pro plan"), a currency code after an order's number ("order 16 USD 75") and
the ones emailed to an address in one message."""

from __future__ import annotations

import pytest

from flows.core.ir import ToolNode
from tests.planner.offline_plans import plan, refusal


def tool_node(flow, tool):
    return next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == tool)


@pytest.mark.parametrize(
    ("prompt", "attempts"),
    [
        (
            "Retry charging order 15 up to 3 times, then ship it with DHL to 10 Rue de Rivoli, "
            "Paris",
            4,
        ),
        ("Retry charging order 15 3 times", 4),
        ("Retry the charge of order 15 up to 2 times", 3),
    ],
)
def test_a_retried_step_said_as_a_gerund_is_the_step_with_retries(demo, prompt, attempts):
    """ "Retry charging order 15 up to 3 times" was refused: no tool does 'retry'."""
    flow = plan(prompt, demo)

    charge = tool_node(flow, "process_payment")
    assert charge.retry.max_attempts == attempts
    assert charge.inputs["order_id"] == '"15"'
    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)].count("process_payment") == 1


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        ("Ship order 5 to 221B Baker Street, London NW1 6XE by royal mail", "royal mail"),
        ("Ship order 5 to 1 Main St, Boston by pigeon post", "pigeon post"),
    ],
)
def test_a_carrier_said_in_lower_case_before_mail_or_post_is_asked_for(demo, prompt, said):
    """ "by royal mail" shipped by no carrier named, then validated an email address the run
    was asked for."""
    error = refusal(prompt, demo)

    assert f"'{said}' as the carrier" in error.message
    assert "ups, fedex, dhl, usps" in error.message


def test_by_regular_mail_or_by_email_is_not_a_carrier(demo):
    flow = plan("Ship order 5 to 1 Main St, Boston by UPS, then email me@x.com the tracking", demo)

    assert tool_node(flow, "create_shipment").inputs["carrier"] == '"ups"'


@pytest.mark.parametrize(
    ("prompt", "users", "groups"),
    [
        (
            "Get approval from alice before shipping order 3 to 5 Oak Ave, Denver, CO 80202 "
            "via UPS",
            ["alice"],
            [],
        ),
        ("ask priya to approve charging order 9 $99", ["priya"], []),
        ("Get approval from the engineer before charging order 5 $10", [], ["engineers"]),
        ("Get approval from supervisor before charging order 5 $10", [], ["supervisors"]),
        ("get approval from marketing before charging order 5 $10", [], ["marketing"]),
    ],
)
def test_a_person_named_in_lower_case_decides_the_approval(demo, prompt, users, groups):
    """ "approval from alice" went to a group "alices" nobody is in."""
    flow = plan(prompt, demo)

    approval = next(n for n in flow.nodes if n.type == "approval")
    assert approval.assignees.users == users
    assert approval.assignees.groups == groups


@pytest.mark.parametrize(
    ("prompt", "code"),
    [
        ("look up customer 88 and open a ticket if they don't exist", '"88"'),
        ("find client 12", '"12"'),
        ("Look up user 42 and send them a welcome email", '"42"'),
    ],
)
def test_a_person_said_by_another_word_is_looked_up_by_their_code(demo, prompt, code):
    """ "look up customer 88" asked the run for the user id."""
    flow = plan(prompt, demo)

    assert tool_node(flow, "lookup_user").inputs["user_id"] == code


@pytest.mark.parametrize(
    ("prompt", "kept"),
    [
        (
            "Look up users 1, 2 and 3 and send a welcome email only to those on the pro plan",
            'lookup_user.filter(r, r.user.plan == "pro")',
        ),
        (
            "Look up users 1, 2 and 3 and send a welcome email to the ones on the pro plan",
            'lookup_user.filter(r, r.user.plan == "pro")',
        ),
        (
            "Look up users 1, 2 and 3 and send the enterprise users a welcome email",
            'lookup_user.filter(r, r.user.plan == "enterprise")',
        ),
    ],
)
def test_items_said_by_where_or_what_they_are_are_the_ones_kept(demo, prompt, kept):
    """ "send a welcome email only to those on the pro plan" welcomed one address the run
    was asked for; "the ones on the pro plan" was refused."""
    flow = plan(prompt, demo)

    welcome = next(n for n in flow.nodes if getattr(n, "tool", None) == "send_welcome_email")
    assert welcome.type == "map"
    assert welcome.items == kept
    assert welcome.inputs["email"] == "item.user.email"
    assert not (flow.input_schema or {}).get("properties")


@pytest.mark.parametrize(
    ("prompt", "amount", "currency"),
    [
        ("charge order 16 USD 75", "75.0", '"USD"'),
        ("charge order 16 EUR 1200 and email the receipt to a@b.co", "1200.0", '"EUR"'),
        ("Charge order 16 75 USD", "75.0", '"USD"'),
    ],
)
def test_a_currency_code_before_the_amount_after_an_order_number(
    demo, prompt, amount, currency
):
    """ "charge order 16 USD 75" charged 16: the order's number, read with the currency
    after it."""
    charge = tool_node(plan(prompt, demo), "process_payment")

    assert charge.inputs["order_id"] == '"16"'
    assert charge.inputs["amount"] == amount
    assert charge.inputs["currency"] == currency


@pytest.mark.parametrize(
    ("prompt", "kept"),
    [
        (
            "For every SKU in the order check stock, and email purchasing@acme.io the ones "
            "that are out of stock",
            "check_inventory.filter(r, !r.in_stock)",
        ),
        (
            "Validate each of these emails: a@x.com, b@y.com and email ops@acme.io the "
            "invalid ones",
            "validate_email.filter(r, !r.valid)",
        ),
    ],
)
def test_the_ones_emailed_to_an_address_are_listed_in_one_message(demo, prompt, kept):
    """ "email purchasing@acme.io the ones that are out of stock" was refused, as if each
    were to be sent on its own."""
    flow = plan(prompt, demo)

    email = tool_node(flow, "send_email")
    assert email.type == "tool"
    # (the lines of those kept; "None are invalid" when none is: round 17)
    assert email.inputs["body"].removeprefix(f"size({kept}) > 0 ? ").startswith(kept)


@pytest.mark.parametrize(
    ("prompt", "condition", "instead", "otherwise"),
    [
        (
            "Every time an order is placed: validate it, check stock for its items, charge the "
            "customer and ship it. If anything is out of stock, email ops@acme.io instead of "
            "shipping.",
            "!check_inventory.in_stock",
            "send_email",
            "create_shipment",
        ),
        (
            "Check stock for 2 units of SKU-4, then ship order 9 to 1 Main St, Boston, MA "
            "02110. If it is out of stock, email ops@acme.io instead of shipping it.",
            "!check_inventory.in_stock",
            "send_email",
            "create_shipment",
        ),
        (
            "Validate order 5 and charge it $20. If the order is invalid, open a ticket "
            "instead of charging.",
            "!validate_order.valid",
            "create_ticket",
            "process_payment",
        ),
    ],
)
def test_a_step_done_instead_of_one_said_before_takes_its_place(
    demo, prompt, condition, instead, otherwise
):
    """ "If anything is out of stock, email ops instead of shipping" shipped every order
    and then emailed when any check failed."""
    flow = plan(prompt, demo)

    branch = next(n for n in flow.nodes if n.type == "branch")
    assert branch.condition == condition
    assert branch.then == [tool_node(flow, instead).id]
    assert branch.else_ == [tool_node(flow, otherwise).id]


def test_anything_failing_is_still_any_step(demo):
    flow = plan(
        "Validate order 9, check stock for 2 units of SKU-4 and charge it $10; if anything "
        "fails, email ops@acme.io",
        demo,
    )

    branch = next(n for n in flow.nodes if n.type == "branch")
    assert "||" in branch.condition
