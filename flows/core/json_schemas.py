"""JSON Schemas written by people, planners and MCP servers: checking one, and validating
a value against one, with every `$ref` kept inside the schema.

jsonschema's default registry fetches any `$ref` it cannot resolve locally over the
network (a deprecated behaviour it still has). A flow's input schema, an approval form or a
tool schema comes from whoever wrote it, so that would let any user make the server request
any address, loopback and cloud metadata included, and read the answer back in validation
messages. `schema_problem` refuses such schemas before they are saved; `schema_validator`
never retrieves anything, whatever slipped past.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import referencing
import referencing.exceptions
import referencing.jsonschema

REF_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")
# Keywords whose values are data, not schemas: a "$ref" inside them is just a string.
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})
_ROOT_URI = "urn:dynamicflow:schema"

Unresolvable = referencing.exceptions.Unresolvable


def schema_validator(schema: Any, *, formats: bool = False) -> jsonschema.protocols.Validator:
    """A validator for `schema` (its `$schema` dialect, else 2020-12) that resolves
    references only within the schema itself: anything else raises `Unresolvable`.

    `formats`: also check the `format`s jsonschema knows (email, date, uuid, ipv4, ...), as
    the web app's forms do, for what a person or client sends (a run input, an approval's
    form); a tool's own answers are not held to them."""
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    checker = cls.FORMAT_CHECKER if formats else None
    return cls(schema, registry=referencing.Registry(), format_checker=checker)


def with_required_lists(schema: Any) -> Any:
    """`schema` with each required list property that sets no `minItems` asking for at least
    one item, in every object of it that lists `properties`.

    JSON Schema's `required` only asks for the key, so `[]` would do; a person who marks a
    list input or form field required means "give at least one", and the forms (run start,
    approval decision) read it the same way, so the server and the browser agree. A list
    that may be empty says `minItems: 0` (or is left out of `required`).
    """
    if not isinstance(schema, dict):
        return schema
    result = dict(schema)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        required = set(schema.get("required") or ())
        shaped: dict[str, Any] = {}
        for name, child in properties.items():
            child = with_required_lists(child)
            if (name in required and isinstance(child, dict) and child.get("type") == "array"
                    and "minItems" not in child):
                child = {**child, "minItems": 1}
            shaped[name] = child
        result["properties"] = shaped
    items = schema.get("items")
    if isinstance(items, dict):
        result["items"] = with_required_lists(items)
    return result


#: The most errors of one value that are reported: enough to fix a form in one go.
MAX_ERRORS = 20


def errors_by_path(
    validator: jsonschema.protocols.Validator, value: Any
) -> list[jsonschema.ValidationError]:
    """Every error of `value`, in the order of where they are (a missing field where it is
    wanted, not before the others), at most `MAX_ERRORS`."""
    errors = sorted(validator.iter_errors(value), key=error_path)
    return errors[:MAX_ERRORS]


def errors_found(
    errors: list[jsonschema.ValidationError], whole: str
) -> tuple[list[dict[str, str]], str]:
    """Each error as `{path, message}` (`whole` names the value itself), and all of them
    said in one line: "at amount: ...; at on: ...". """
    found = [{"path": error_path(e) or whole, "message": error_text(e)} for e in errors]
    return found, "; ".join(f"at {f['path']}: {f['message']}" for f in found)


def error_text(error: jsonschema.ValidationError) -> str:
    """What is wrong, in words a person can act on (jsonschema's, except for short lists)."""
    if error.validator == "minItems" and isinstance(error.validator_value, int):
        count = error.validator_value
        return f"give at least {count} item{'' if count == 1 else 's'}"
    return error.message


def error_path(error: jsonschema.ValidationError) -> str:
    """Where a value is wrong, as `a/0/b` ("" for the value as a whole). For a missing
    required field, its name: the path says where it is wanted, as for a wrong value
    (`amount`, not the form as a whole)."""
    return "/".join(str(p) for p in [*error.absolute_path, *_missing_field(error)])


def _missing_field(error: jsonschema.ValidationError) -> list[str]:
    """The required field a `required` error is about. jsonschema reports each missing field
    as its own error, naming it only in the message ("'name' is a required property")."""
    if error.validator != "required" or not isinstance(error.instance, dict):
        return []
    wanted = error.validator_value if isinstance(error.validator_value, list) else []
    missing = [name for name in wanted if name not in error.instance]
    named = [name for name in missing if error.message.startswith(f"{name!r} ")]
    return (named or missing)[:1]


def unknown_fields(value: Any, schema: Any) -> list[str]:
    """Top-level keys of `value` that the schema does not list. A schema with properties is
    closed unless it says otherwise (`additionalProperties`, `patternProperties`), as the
    validator reads tool inputs and run inputs: a form shows only its fields, so anything
    else is a typo that would be stored and then ignored."""
    if not isinstance(schema, dict):
        return []
    properties = schema.get("properties")
    if not isinstance(value, dict) or not isinstance(properties, dict) or not properties:
        return []
    if schema.get("additionalProperties", False) is not False:
        return []
    patterns = schema.get("patternProperties") or {}
    return sorted(
        key for key in value
        if key not in properties and not any(_matches(pattern, key) for pattern in patterns)
    )


def _matches(pattern: str, key: str) -> bool:
    try:
        return re.search(pattern, key) is not None
    except re.error:
        return False


def schema_problem(schema: Any) -> tuple[str, str] | None:
    """(where, what) is wrong with a JSON Schema, or None: its metaschema must accept it and
    every reference must point to a place inside it. `where` is a path like
    `['properties']['email']['$ref']` (empty for the whole schema)."""
    problem = schema_problem_at(schema)
    if problem is None:
        return None
    return "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in problem[0]), problem[1]


def schema_problem_at(schema: Any) -> tuple[tuple[str | int, ...], str] | None:
    """As `schema_problem`, with the place as the keys and indexes leading to it."""
    if not isinstance(schema, dict | bool):
        return (), "a JSON Schema is an object (or true/false)"
    if isinstance(schema, bool):
        return None
    dialect = schema.get("$schema")
    if dialect is not None and not isinstance(dialect, str):
        return ("$schema",), "`$schema` must be a URI string (or left out)"
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return tuple(exc.path), exc.message
    return _reference_problem(schema, cls)


def _reference_problem(
    schema: dict[str, Any], cls: Any
) -> tuple[tuple[str | int, ...], str] | None:
    references = list(_references(schema, ()))
    if not references:
        return None
    for path, keyword, target in references:
        if not target.startswith("#"):
            return path, (
                f"`{keyword}` {target!r} points outside the schema; only references within "
                "it are allowed (e.g. `#/$defs/address` with the definition under `$defs`)"
            )
    if _has_nested_ids(schema, top=True):
        return None  # references are then relative to those ids; resolved when validating
    specification = referencing.jsonschema.specification_with(
        cls.META_SCHEMA.get("$schema", ""), default=referencing.jsonschema.DRAFT202012
    )
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        _ROOT_URI, specification.create_resource(schema)
    )
    resolver = registry.resolver(base_uri=_ROOT_URI)
    for path, keyword, target in references:
        try:
            resolver.lookup(target)
        except Unresolvable:
            return path, (
                f"`{keyword}` {target!r} points to nothing in the schema; add the definition "
                "it names (e.g. under `$defs`) or fix the reference"
            )
    return None


def _references(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in REF_KEYWORDS and isinstance(item, str):
                yield (*path, key), key, item
            elif key not in _DATA_KEYWORDS:
                yield from _references(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _references(item, (*path, index))


def _has_nested_ids(value: Any, *, top: bool) -> bool:
    if isinstance(value, dict):
        if not top and isinstance(value.get("$id"), str):
            return True
        return any(
            _has_nested_ids(item, top=False)
            for key, item in value.items()
            if key not in _DATA_KEYWORDS
        )
    if isinstance(value, list):
        return any(_has_nested_ids(item, top=False) for item in value)
    return False


def with_defaults(schema: Any, value: Any) -> Any:
    """`value` with the `default` its schema gives each property it leaves out, at any depth
    of the objects it has, so a run reads an input left empty as the flow's author said it
    should read. The same object back when nothing was missing."""
    if not isinstance(schema, dict) or not isinstance(value, dict):
        return value
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return value
    filled: dict[str, Any] | None = None
    for name, sub in properties.items():
        if not isinstance(sub, dict):
            continue
        if name in value:
            inner = with_defaults(sub, value[name])
            if inner is not value[name]:
                filled = filled if filled is not None else dict(value)
                filled[name] = inner
        elif "default" in sub:
            filled = filled if filled is not None else dict(value)
            filled[name] = copy.deepcopy(sub["default"])
    return value if filled is None else filled

