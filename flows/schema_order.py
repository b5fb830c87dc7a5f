"""The order of a form's fields, kept through Postgres: jsonb sorts an object's keys, so the
order in which a flow's `input_schema` and its approvals' `form_schema` list their
properties would come back alphabetical.

When an IR is stored, every schema object that lists `properties` gets `"x-order"`: the
names in the author's order. When it is read, the properties are put back in that order
and `x-order` is dropped, so the rest of the system (the API, the designer, the runner that
seals an approval's form) sees the schema as its author wrote it and nothing else. An IR
stored before this has no `x-order`: its fields are read in the order forms have always
shown them (required ones first, in `required` order, then the others; simple fields
before objects and lists).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ORDER_KEY = "x-order"
#: Where a JSON Schema holds other schemas: one, a list of them, or a map of them.
_ONE = ("items", "additionalProperties", "not", "if", "then", "else", "contains")
_MANY = ("anyOf", "oneOf", "allOf", "prefixItems")
_MAP = ("$defs", "definitions", "patternProperties", "dependentSchemas")

Schema = dict[str, Any]


def ir_with_recorded_order(ir: Any) -> Any:
    """The IR to store: each schema with properties says their order in `x-order`."""
    return _each_schema(ir, _recorded)


def ir_with_restored_order(ir: Any) -> Any:
    """The IR as stored, with each schema's properties in their recorded order and no
    `x-order` (a schema stored without one: the order forms used to guess)."""
    return _each_schema(ir, _restored)


def _each_schema(ir: Any, change: Callable[[Schema], Schema]) -> Any:
    """`ir` with `change` applied to its input schema and every approval's form schema (and
    to every schema nested in them). Anything that is not an IR comes back as it is."""
    if not isinstance(ir, dict):
        return ir
    result = dict(ir)
    if isinstance(ir.get("input_schema"), dict):
        result["input_schema"] = _walk(ir["input_schema"], change)
    nodes = ir.get("nodes")
    if isinstance(nodes, list):
        result["nodes"] = [
            {**node, "form_schema": _walk(node["form_schema"], change)}
            if isinstance(node, dict) and isinstance(node.get("form_schema"), dict)
            else node
            for node in nodes
        ]
    return result


def _walk(schema: Schema, change: Callable[[Schema], Schema]) -> Schema:
    result = dict(schema)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        result["properties"] = {
            name: _walk(sub, change) if isinstance(sub, dict) else sub
            for name, sub in properties.items()
        }
    for key in _ONE:
        if isinstance(schema.get(key), dict):
            result[key] = _walk(schema[key], change)
    for key in _MANY:
        if isinstance(schema.get(key), list):
            result[key] = [_walk(s, change) if isinstance(s, dict) else s for s in schema[key]]
    for key in _MAP:
        if isinstance(schema.get(key), dict):
            result[key] = {
                name: _walk(sub, change) if isinstance(sub, dict) else sub
                for name, sub in schema[key].items()
            }
    return change(result)


def listed_order(schema: Schema, key: str = ORDER_KEY) -> list[str] | None:
    """The names `key` (`x-order`, or a form's `ui:order`) lists that are properties, then
    any it leaves out (in the order the properties have); None when there is no usable
    list."""
    properties = schema.get("properties")
    order = schema.get(key)
    if not isinstance(properties, dict) or not isinstance(order, list):
        return None
    listed = [name for name in dict.fromkeys(order) if isinstance(name, str) and name in properties]
    return listed + [name for name in properties if name not in listed]


def _recorded(schema: Schema) -> Schema:
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        return schema
    # An `x-order` the author gave says the order; otherwise the properties' own.
    return {**schema, ORDER_KEY: listed_order(schema) or list(properties)}


def _restored(schema: Schema) -> Schema:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return schema
    order = listed_order(schema) or _guessed_order(schema)
    result = {key: value for key, value in schema.items() if key != ORDER_KEY}
    result["properties"] = {name: properties[name] for name in order}
    return result


def _guessed_order(schema: Schema) -> list[str]:
    """For a schema stored without its order: required fields first (in `required` order),
    then optional ones; simple fields before objects and lists; the rest alphabetical."""
    properties: Schema = schema["properties"]
    listed = schema.get("required")
    required = [n for n in listed if n in properties] if isinstance(listed, list) else []

    def rank(name: str) -> tuple[int, int, str]:
        sub = properties[name]
        nested = isinstance(sub, dict) and sub.get("type") in ("object", "array")
        first = required.index(name) if name in required else len(required)
        return (0 if name in required else 2) + (1 if nested else 0), first, name

    return sorted(properties, key=rank)
