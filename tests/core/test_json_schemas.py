"""Required lists: `required` asks for at least one item unless the list says `minItems`."""

from __future__ import annotations

from flows.core.json_schemas import error_text, schema_validator, with_required_lists

ITEMS = {"type": "array", "items": {"type": "string"}}


def _errors(schema: dict, value: dict) -> list[str]:
    validator = schema_validator(with_required_lists(schema))
    return [f"{'/'.join(map(str, e.absolute_path))}: {error_text(e)}"
            for e in validator.iter_errors(value)]


def test_a_required_list_needs_an_item_and_an_optional_one_may_be_empty():
    schema = {"type": "object", "properties": {"tags": ITEMS, "notes": ITEMS},
              "required": ["tags"]}

    assert _errors(schema, {"tags": [], "notes": []}) == ["tags: give at least 1 item"]
    assert _errors(schema, {"tags": ["a"], "notes": []}) == []


def test_minitems_is_kept_and_nested_required_lists_count_too():
    schema = {
        "type": "object",
        "required": ["lines", "maybe"],
        "properties": {
            "maybe": {**ITEMS, "minItems": 0},
            "lines": {**ITEMS, "minItems": 2},
            "order": {"type": "object", "required": ["skus"], "properties": {"skus": ITEMS}},
        },
    }

    assert _errors(schema, {"lines": ["a"], "maybe": [], "order": {"skus": []}}) == [
        "lines: give at least 2 items", "order/skus: give at least 1 item",
    ]


def test_the_schema_given_is_not_changed():
    schema = {"type": "object", "properties": {"tags": ITEMS}, "required": ["tags"]}

    with_required_lists(schema)

    assert schema == {"type": "object", "properties": {"tags": ITEMS}, "required": ["tags"]}
    assert "minItems" not in ITEMS
