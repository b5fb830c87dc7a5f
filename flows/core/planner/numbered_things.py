"""Things a step writes by their number or code that the older literal rules miss: "close
acme/web#412", "merge pull request #230" for a tool whose id input is a bare `number`, and
product codes in capitals with no digit ("TEE-BLK-M", "CAP-RED") for a `sku`."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from flows.core.planner.lexicon import STOP_WORDS, split_identifier
from flows.core.planner.wiring import schema_types, unwrap_nullable
from flows.core.tools import ToolSpec

#: Inputs that are a thing's number with no noun in their name.
_BARE_NUMBER_NAMES = frozenset({"number", "num", "no", "id"})
#: "acme/web#412": a number joined to the repository (or project) it belongs to
_NUMBER_AFTER_A_PATH = re.compile(r"\b[\w.-]+/[\w.-]+#(?P<n>\d+)\b")


def number_of_the_tools_thing(
    spec: ToolSpec, text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "close issue 88", "merge pull request #230", "close acme/web#412" for an integer
    input named `number` alone: the thing the tool's id or the input's description names
    ("Issue or pull request number"), written with its number, is that input's value."""
    properties = spec.input_properties()
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken
        and split_identifier(name) in ([word] for word in _BARE_NUMBER_NAMES)
        and schema_types(unwrap_nullable(schema)) == {"integer"}
    ]
    if len(wanted) != 1:
        return {}
    schema = unwrap_nullable(properties[wanted[0]])
    nouns = _thing_phrases(spec.id, str(schema.get("description") or ""))
    said = {int(m["n"]) for m in _NUMBER_AFTER_A_PATH.finditer(text)}
    if nouns:
        said |= {
            int(m[1])
            for m in re.finditer(
                rf"\b(?:{'|'.join(map(re.escape, nouns))})s?\s+(?:#\s?|no\.?\s*|number\s+)?"
                r"(\d+)\b(?![.,:/-]?\d|\s*%)",
                text,
                re.IGNORECASE,
            )
        }
    return {wanted[0]: str(said.pop())} if len(said) == 1 else {}


def bare_number_nouns(spec: ToolSpec) -> list[str]:
    """The nouns of the thing a tool takes by an integer input named `number` alone ("issue",
    "pull request", "pr"), when it requires one; else none."""
    properties = spec.input_properties()
    bare = [
        name
        for name in spec.required_inputs()
        if split_identifier(name) in ([word] for word in _BARE_NUMBER_NAMES)
        and schema_types(unwrap_nullable(properties.get(name) or {})) == {"integer"}
    ]
    if len(bare) != 1:
        return []
    schema = unwrap_nullable(properties[bare[0]])
    return _thing_phrases(spec.id, str(schema.get("description") or ""))


def _thing_phrases(tool_id: str, description: str) -> list[str]:
    """The nouns a thing's number may follow: the words of the tool's id and the words
    (and pairs of words, "pull request") of its number's description, longest first."""
    words = [w for w in split_identifier(tool_id) if len(w) > 2]
    said = [w for w in re.findall(r"[a-z]+", description.lower()) if w not in STOP_WORDS]
    pairs = list(itertools.pairwise(said))
    # ("PR 61": a pair of words said by its initials)
    initials = [a[0] + b[0] for a, b in pairs]
    phrases = {*words, *(f"{a} {b}" for a, b in pairs), *initials, *said}
    phrases -= _BARE_NUMBER_NAMES | {"or", "and", "the"}
    return sorted(phrases, key=len, reverse=True)


#: "TEE-BLK-M", "CAP-RED": a product code of capitals joined by hyphens (no digit needed),
#: not an acronym pair of the language ("COVID-19" has a digit and other rules read it)
_CODE_IN_CAPITALS = re.compile(r"(?<![\w@./#-])(?P<code>[A-Z]{2,}(?:-[A-Z0-9]+)+)(?![\w@-])")


def code_in_capitals(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "change the price of CAP-RED to $24.99" for a `sku`: the one code in capitals the
    step writes is the value of the one string input named for a product code."""
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken
        and split_identifier(name)[-1:] == ["sku"]
        and "string" in schema_types(unwrap_nullable(schema))
    ]
    codes = {m["code"] for m in _CODE_IN_CAPITALS.finditer(text)}
    codes -= {value.strip('"') for value in taken.values()}
    if len(wanted) != 1 or len(codes) != 1:
        return {}
    return {wanted[0]: json.dumps(codes.pop())}


#: Inputs named for where things are kept: "in Website Relaunch" names one of them.
_CONTAINERS = frozenset("project board list folder workspace space team calendar queue".split())
#: A name in capitals: "Website Relaunch", "IT Ops", "Finance" (up to four words)
_NAME = r"(?-i:(?:[A-Z][a-z]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z]+|[A-Z]{2,}|&|[0-9]+)){0,3})"
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december i".split()
)


def container_named(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "a task in Website Relaunch", "the Mobile App project": the one name in capitals a
    step writes after "in"/"to"/"into", or before the input's own noun ("the Finance
    project"), is the value of the one string input named for where things are kept."""
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken
        and split_identifier(name)[-1:]
        and split_identifier(name)[-1] in _CONTAINERS
        and "string" in schema_types(unwrap_nullable(schema))
        and not unwrap_nullable(schema).get("enum")
    ]
    if len(wanted) != 1:
        return {}
    noun = re.escape(split_identifier(wanted[0])[-1])
    before_noun = {
        m["name"] for m in re.finditer(rf"\bthe\s+(?P<name>{_NAME})\s+{noun}\b", text)
    }
    after_in = {
        m["name"]
        for m in re.finditer(
            rf"\b(?:in|into|to)\s+(?:the\s+)?(?P<name>{_NAME})(?![\w@./-])(?!\s+{noun}\b)", text
        )
    }
    named = {n for n in before_noun or after_in if n.split()[0].lower() not in _NOT_NAMES}
    return {wanted[0]: json.dumps(named.pop())} if len(named) == 1 else {}


#: "set stock for TEE-BLK-M to 40", "change the quantity to 12": a plain number a thing is
#: set to (no currency, percentage or unit after it)
_SET_TO_A_NUMBER = re.compile(
    r"^\W*(?:please\s+)?(?:set|change|update|reset|bring|make)\b[^.;]*?\bto\s+"
    r"(?P<n>\d+)(?![\w.,:/%-]|\s*(?:%|percent|pct|kg|g|lbs?|m|cm|mm|km|ft|mi|hours?|minutes?|"
    r"days?|weeks?|months?|years?|dollars?|euros?|pounds?|usd|eur|gbp|am|pm)\b)",
    re.IGNORECASE,
)


def number_set_to(spec: ToolSpec, text: str, taken: dict[str, str]) -> dict[str, str]:
    """ "set stock for TEE-BLK-M to 40" for `shopify_inventory_set`: the number a step sets
    something to is the value of the one required number input nothing else filled."""
    said = _SET_TO_A_NUMBER.match(text)
    if said is None:
        return {}
    properties = spec.input_properties()
    wanted = [
        name
        for name in spec.required_inputs()
        if name not in taken
        and schema_types(unwrap_nullable(properties.get(name) or {})) & {"integer", "number"}
    ]
    if len(wanted) != 1:
        return {}
    number = int(said["n"])
    integer = schema_types(unwrap_nullable(properties[wanted[0]])) == {"integer"}
    return {wanted[0]: str(number) if integer else repr(float(number))}


#: List inputs whose values a step names after the input's own word ("labels bug and ui")
_NAMED_LISTS = frozenset("labels tags topics categories keywords".split())
_LIST_VALUE = r"[\"']?[A-Za-z0-9][\w:./-]*[\"']?"


def values_after_their_list_word(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "with labels bug and ui", "add the label needs-triage", "tagged urgent": the words
    said after a list input's own word (label, labels, labelled) are its values."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        schema = unwrap_nullable(schema)
        if name in taken or name not in _NAMED_LISTS or schema_types(schema) != {"array"}:
            continue
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        if schema_types(items) - {"string"}:
            continue
        word = re.escape(name[:-1])
        # (", assigned to lena" after the list: a value of another input, no label)
        more = rf"{_LIST_VALUE}(?![\w:./-])(?!\s+(?:to|for|by|on|in|at|from)\b)"
        said = re.search(
            rf"\b(?:{word}s?|{word}l?ed(?:\s+(?:as|with))?)\s+(?P<list>{_LIST_VALUE}"
            rf"(?:\s*,\s*{more})*(?:\s*,?\s+(?:and|&)\s+{more})?)",
            text,
            re.IGNORECASE,
        )
        if said is None:
            continue
        values = [
            v.strip("\"'")
            for v in re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", said["list"])
            if v.strip("\"'") and v.lower() not in {"to", "on", "in", "for", "the", "a", "an"}
        ]
        if values and not any(v.lower() in {"to", "on", "in"} for v in values):
            found[name] = json.dumps(values)
    return found
