"""Registry joins are checked on every save: CEL compiles, reads only `source`, targets
exist in the receiving tool's input schema, and inferable types fit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from flows.core.ir import Join as IrJoin
from tools_registry.catalog import registry_joins
from tools_registry.models import Join, Tool

pytestmark = pytest.mark.django_db


def make(mapping: object, *, to_tool: str = "send_welcome_email") -> Join:
    return Join(
        from_tool=Tool.objects.get(pk="lookup_user"), to_tool=Tool.objects.get(pk=to_tool),
        mapping=mapping,
    )


def problems(join: Join) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        join.save()
    assert not Join.objects.exists()
    return caught.value.message_dict["mapping"]


def test_a_good_join_saves_and_reaches_the_validator() -> None:
    make({"email": "source.user.email", "name": "source.user.name"}).save()

    assert registry_joins() == [
        IrJoin(from_tool="lookup_user", to_tool="send_welcome_email",
               mapping={"email": "source.user.email", "name": "source.user.name"})
    ]


def test_an_expression_that_does_not_compile() -> None:
    [message] = problems(make({"email": "source.email +"}))

    assert "`email`" in message
    assert "does not compile" in message


def test_an_expression_that_reads_something_else_than_source() -> None:
    [message] = problems(make({"email": "input.email"}))

    assert "reads input" in message
    assert "only read `source`" in message


def test_a_target_that_is_not_an_input() -> None:
    [message] = problems(make({"mail": "source.user.email"}))

    assert "`mail` is not an input of `send_welcome_email`" in message
    assert "Did you mean `email`?" in message


def test_a_misspelt_target_and_a_broken_expression_are_both_said_at_once() -> None:
    # The admin said the expression did not compile, and only once it did, that the target
    # was not an input
    messages = problems(make({"mail": "source.user.email +", "name": "source.user.name"}))

    assert len(messages) == 2, messages
    assert "`mail` is not an input of `send_welcome_email`" in messages[0]
    assert "does not compile" in messages[1]


def test_a_type_that_cannot_fit() -> None:
    messages = problems(make({"amount": "source.found", "country": "'US'"},
                             to_tool="calculate_tax"))

    assert any("amount" in m for m in messages), messages


def test_an_empty_mapping() -> None:
    with pytest.raises(ValidationError):
        make({}).save()


def test_an_existing_join_cannot_be_saved_broken() -> None:
    join = make({"email": "source.user.email"})
    join.save()
    join.mapping = {"email": "nope("}

    with pytest.raises(ValidationError):
        join.save()
    assert Join.objects.get(pk=join.pk).mapping == {"email": "source.user.email"}


def test_disabled_joins_are_left_out() -> None:
    join = make({"email": "source.user.email"})
    join.enabled = False
    join.save()

    assert registry_joins() == []
