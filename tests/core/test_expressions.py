"""CEL expressions: results, references, cost limits and error locations."""

from __future__ import annotations

import pytest

from flows.core.expressions import (
    MAX_EXPRESSION_LENGTH,
    ExpressionError,
    compile_expression,
    evaluate,
    render_template,
)


@pytest.mark.parametrize(
    ("source", "env", "expected"),
    [
        ("input.order.total", {"input": {"order": {"total": 12.5}}}, 12.5),
        ("42", {}, 42),
        ("'hello'", {}, "hello"),
        ("null", {}, None),
        (
            "check.valid && input.amount > 100",
            {"check": {"valid": True}, "input": {"amount": 150}},
            True,
        ),
        ("size(input.items) * 2", {"input": {"items": [1, 2, 3]}}, 6),
        (
            "input.items.map(i, i.price * i.qty)",
            {"input": {"items": [{"price": 2, "qty": 3}]}},
            [6],
        ),
        ("has(input.coupon) ? input.coupon : 'none'", {"input": {}}, "none"),
        ("{'name': input.name, 'n': 1}", {"input": {"name": "ada"}}, {"name": "ada", "n": 1}),
        ("timestamp('2024-01-01T00:00:00Z')", {}, "2024-01-01T00:00:00+00:00"),
    ],
)
def test_expressions_evaluate_like_cel(source, env, expected):
    assert evaluate(source, env) == expected


def test_paths_and_full_programs_agree_on_missing_keys():
    with pytest.raises(ExpressionError, match="no such key: 'missing'"):
        evaluate("input.missing", {"input": {}})
    with pytest.raises(ExpressionError, match="no such key: 'missing'"):
        evaluate("input.missing + 1", {"input": {}})
    with pytest.raises(ExpressionError, match=r"""no such key: 'total' in `"Sum: " \+"""):
        evaluate('"Sum: " + string(order.total)', {"order": {"sum": 3}})


def test_references_exclude_comprehension_variables():
    compiled = compile_expression("input.items.filter(x, x > limit.value).map(y, y + offset)")
    assert compiled.variables == {"input", "limit", "offset"}


def test_compiled_programs_are_cached():
    assert compile_expression("a.b + 1") is compile_expression("a.b + 1")


def test_syntax_errors_carry_the_column():
    with pytest.raises(ExpressionError) as info:
        compile_expression("a +* b")
    assert info.value.kind == "syntax"
    assert info.value.column == 4
    assert "column 4" in str(info.value)


def test_cost_limits_refuse_costly_expressions():
    with pytest.raises(ExpressionError, match="comprehension"):
        compile_expression("l.map(a, l.map(b, l.map(c, l.map(d, d))))")
    with pytest.raises(ExpressionError, match="characters"):
        compile_expression("1 + " * (MAX_EXPRESSION_LENGTH // 4) + "1")
    with pytest.raises(ExpressionError, match="nests"):
        compile_expression("(" * 40 + "1" + ")" * 40)


def test_type_errors_say_which_expression_failed():
    with pytest.raises(ExpressionError) as info:
        evaluate("input.a + input.b", {"input": {"a": 1, "b": "x"}})
    assert info.value.expression == "input.a + input.b"


def test_a_field_read_of_null_says_which_value_was_null():
    # A user not found: CEL's own words ("No such overload") name neither value nor field.
    env = {"lookup": {"found": False, "user": None}}

    with pytest.raises(ExpressionError) as caught:
        evaluate('lookup.user.plan == "free"', env)

    assert "`lookup.user` is null, so `lookup.user.plan` cannot be read" in str(caught.value)
    assert evaluate('lookup.found && lookup.user.plan == "free"', env) is False
    with pytest.raises(ExpressionError) as other:
        evaluate('1 + "a"', env)  # another failure keeps CEL's words
    assert "is null" not in str(other.value)


def test_templates_render_values_and_json():
    env = {"input": {"name": "Ada", "tags": ["x", "y"]}}
    assert render_template("Hi {{ input.name }}: {{ input.tags }}", env) == 'Hi Ada: ["x", "y"]'


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("string(check.valid)", "false"),
        ('"Valid: " + string(check.valid)', "Valid: false"),
        ("string(null)", "null"),
        ("string(check.lines)", "[1, true]"),
        # a map's keys in order, whatever order the runtime holds them in
        ("string(check)", "{lines: [1, true], valid: false}"),
        # what the runtime converts itself is unchanged
        ("string(2)", "2"),
        ("string(1.5)", "1.5"),
        ('string("text")', "text"),
    ],
)
def test_string_turns_any_value_into_text(source, expected):
    # "Valid: {{ check.valid }}" in the designer's Text mode is `"Valid: " + string(...)`:
    # true/false, null, lists and maps read as text instead of failing the run
    assert evaluate(source, {"check": {"valid": False, "lines": [1, True]}}) == expected
