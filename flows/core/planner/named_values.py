"""Values a step writes for inputs named after what they are, whatever the tool: the
channel of "post it to #ops", the number of "text it to +33 6 12 34 56 78", the language
of "translate it into French", the city of "the weather in Paris", the project of
"create an issue in project OPS". Each is found only for an input whose name says it
takes such a value, so a tool registered in the admin gets its values from the request
as the demo tools do, instead of asking for them when the run starts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from flows.core.planner.lexicon import split_identifier
from flows.core.planner.wiring import schema_types, unwrap_nullable

#: "#ops", "#customer-success": a channel as chat tools write it (a letter first, so an
#: order number "#1001" is none).
_CHANNEL = re.compile(r"(?<![\w&#])#(?P<value>[A-Za-z][\w-]*)")
#: An international or written-out phone number: seven digits or more.
_PHONE = re.compile(r"(?<![\w.+])(?P<value>\+?\d[\d\s().-]{5,}\d)\b")
_LANGUAGES = (
    "Arabic Bengali Bulgarian Catalan Chinese Croatian Czech Danish Dutch English Estonian "
    "Finnish French German Greek Hebrew Hindi Hungarian Icelandic Indonesian Irish Italian "
    "Japanese Korean Latvian Lithuanian Malay Norwegian Persian Polish Portuguese Romanian "
    "Russian Serbian Slovak Slovenian Spanish Swahili Swedish Tagalog Thai Turkish Ukrainian "
    "Urdu Vietnamese Welsh"
).split()
_LANGUAGE = re.compile(
    rf"\b(?:in|into|to)\s+(?P<value>{'|'.join(_LANGUAGES)})\b(?!\s+(?:customers?|users?|team))"
)
#: "in Paris", "for New York", "at São Paulo": a place's capitalised name after a
#: preposition (the input's name says a place is wanted).
_PLACE = re.compile(r"\b(?:in|for|at|of)\s+(?P<value>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})")
#: "10 Downing Street, London", "5 Main St.": a street address written out (a number, a
#: capitalised street name and its kind, then perhaps the town and a postcode).
STREET_ADDRESS = re.compile(
    r"\b(?P<value>\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'-]*\s+){1,4}?(?:Street|St|Road|Rd|Avenue|Ave|"
    r"Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Court|Ct|Place|Pl|Square|Sq|Terrace|Close|Crescent|"
    r"Parkway|Highway|Hwy|Loop|Plaza|Row|Walk|Alley|Circle|Cir|Trail|Pike|Quay|Mews|Gardens)\b\.?(?:\s*,\s*[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*){0,2}(?![\w@]))?"
    # a postcode: "90210", "NW1 6XE"
    r"(?:\s*,?\s+(?:\d{4,5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b)?)"
)
#: A code in capitals: "project OPS", "the SUP board".
_CODE = r"[A-Z][A-Z0-9_-]{1,15}"

#: Inputs that name where a work item is filed: "create an issue in OPS" says which.
_SPACE_NAMES = frozenset({"project", "board", "queue", "space", "workspace", "repo", "repository"})
_IN_A_SPACE = re.compile(rf"\bin\s+(?:the\s+)?(?P<value>{_CODE})\b")
_REASON_WORDS = frozenset({"reason", "note", "comment"})
#: "refund it because the item arrived damaged": why, to the end of the step
_BECAUSE = re.compile(r"\b(?:because|since|due\s+to|as\s+the)\s+(?P<value>[^,;.]{3,200})", re.I)
_CHANNEL_WORDS = frozenset({"channel", "room", "chat"})
_PHONE_WORDS = frozenset({"phone", "mobile", "cell", "msisdn", "telephone"})
_LANGUAGE_WORDS = frozenset({"language", "lang", "locale"})
_PLACE_WORDS = frozenset({"city", "town", "location", "place"})
_ADDRESS_WORDS = frozenset({"address", "street"})
_NOT_STREET = frozenset({"email", "mail", "ip", "url", "web", "wallet", "mac"})
#: Inputs named for a thing a code names ("project", "board"); never a message's parts.
_NOT_CODES = frozenset(
    "name text body subject message email to from url amount title summary description "
    "content note comment".split()
)


def named_values(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str], *, texts_phones: bool
) -> dict[str, str]:
    """{input: JSON literal} for the inputs of a step (`properties`) whose value its words
    (`text`) spell out; inputs in `taken` are left alone. `texts_phones`: the tool sends
    text messages, so its bare `to` or `number` input is a phone number."""
    found = {**_currency_pair(properties, text, taken), **_code_after_verb(properties, text, taken)}
    return {**found, **_named_one_by_one(properties, text, {**taken, **found}, texts_phones)}


#: "Refund pay_9", "cancel A-1001": a code right after the step's verb (a letter and a
#: digit or an underscore in it), what the step acts on.
_ACTED_ON_CODE = re.compile(
    r"^\s*[A-Za-z]+\s+(?P<code>[A-Za-z]+_[\w-]*\d[\w-]*|[A-Za-z]{1,5}-\d[\w-]*)\b"
)


def _code_after_verb(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    match = _ACTED_ON_CODE.match(text)
    if match is None:
        return {}
    ids = [
        name
        for name in properties
        if split_identifier(name)[-1:] == ["id"]
        and "string" in (schema_types(unwrap_nullable(properties[name])) or {"string"})
    ]
    if len(ids) != 1 or ids[0] in taken:
        return {}  # which of its ids the code is, the step does not say
    return {ids[0]: json.dumps(match.group("code"))}


#: "the USD to EUR rate", "from GBP into JPY": two currency codes, the first converted
_CURRENCY_PAIR = re.compile(r"\b(?P<base>[A-Z]{3})\s+(?:to|into|in|/|->)\s+(?P<target>[A-Z]{3})\b")
_FROM_WORDS = ("base", "from", "source")
_TO_WORDS = ("target", "to", "quote", "destination")


def _currency_pair(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    pair = _CURRENCY_PAIR.search(text)
    if pair is None:
        return {}
    found = {}
    for side, names in (("base", _FROM_WORDS), ("target", _TO_WORDS)):
        name = next(
            (
                n
                for n in properties
                if n not in taken
                and set(split_identifier(n)) & set(names)
                and "string" in (schema_types(unwrap_nullable(properties[n])) or {"string"})
            ),
            None,
        )
        if name is not None:
            found[name] = json.dumps(pair.group(side))
    return found if len(found) == 2 else {}


def _named_one_by_one(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str], texts_phones: bool
) -> dict[str, str]:
    """The inputs each named for one kind of value (a channel, a phone, a city...)."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        if name in taken or "string" not in (schema_types(unwrap_nullable(schema)) or {"string"}):
            continue
        words = set(split_identifier(name))
        value = _value_for(name, words, text, texts_phones)
        if value is not None:
            found[name] = json.dumps(value)
    return found


def _value_for(name: str, words: set[str], text: str, texts_phones: bool) -> str | None:
    for kind, find in _FINDERS:
        if kind is _ADDRESS_WORDS and words & _NOT_STREET:
            continue  # an `email_address` is no street
        if words & kind:
            return find(text)
    if words & _REASON_WORDS:
        return _first(_BECAUSE, text)
    if texts_phones and words <= {"to", "number", "recipient"}:
        return _phone(text)
    if len(words) == 1 and name not in _NOT_CODES and name.isalpha():
        return _code_after(name, text) or (
            _first(_IN_A_SPACE, text) if name in _SPACE_NAMES else None
        )
    return None


def _first(pattern: re.Pattern[str], text: str, keep: str = "") -> str | None:
    match = pattern.search(text)
    return keep + match.group("value") if match else None


def _phone(text: str) -> str | None:
    match = _PHONE.search(text)
    if match is None or sum(c.isdigit() for c in match.group("value")) < 7:
        return None
    return match.group("value").strip()


#: By the words of an input's name, how its value is found in the step's words.
_FINDERS: tuple[tuple[frozenset[str], Callable[[str], str | None]], ...] = (
    (_CHANNEL_WORDS, lambda text: _first(_CHANNEL, text, keep="#")),
    (_PHONE_WORDS, _phone),
    (_LANGUAGE_WORDS, lambda text: _first(_LANGUAGE, text)),
    (_PLACE_WORDS, lambda text: _first(_PLACE, text)),
    (_ADDRESS_WORDS, lambda text: _street_address(text)),
)


def _street_address(text: str) -> str | None:
    match = STREET_ADDRESS.search(text)
    return match.group("value").rstrip(" .,") if match else None


def _code_after(noun: str, text: str) -> str | None:
    """ "in project OPS", "the OPS project", "project: OPS"."""
    noun_pattern = re.escape(noun)
    # the noun in any case, the code in capitals
    match = re.search(
        rf"(?i:\b{noun_pattern})\s*:?\s+(?P<value>{_CODE})\b"
        rf"|\b(?P<before>{_CODE})\s+(?i:{noun_pattern})\b"
        # "the Orders sheet", "in our Sales project": a name written before the noun
        rf"|(?i:\b(?:the|our|my|a|an)\s+)(?P<named>[A-Z][\w-]*)\s+(?i:{noun_pattern})\b",
        text,
    )
    if match is None:
        return None
    return match.group("value") or match.group("before") or match.group("named")


_NAME = r"[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}"
#: "for Berlin and Madrid", "in Paris, London and Rome": places listed by name
_PLACES = re.compile(
    rf"\b(?:in|for|at|of)\s+(?P<places>{_NAME}(?:\s*,\s*{_NAME})*\s*,?\s+(?:and|&)\s+{_NAME})"
)

#: "our three offices (Paris, Berlin, Madrid)": the places named in an aside
_PLACES_ASIDE = re.compile(
    rf"\((?P<places>{_NAME}(?:\s*,\s*{_NAME})+(?:\s*,?\s+(?:and|&)\s+{_NAME})?)\)"
)


def written_places(properties: Mapping[str, Any], text: str) -> list[str]:
    """The places a step lists by name for a tool that takes one place ("the weather for
    Berlin and Madrid"): one call each."""
    takes = [
        name
        for name, schema in properties.items()
        if set(split_identifier(name)) & _PLACE_WORDS
        and "string" in (schema_types(unwrap_nullable(schema)) or {"string"})
    ]
    listed = _PLACES.search(text) or _PLACES_ASIDE.search(text)
    if len(takes) != 1 or listed is None:
        return []
    names = re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", listed.group("places"))
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))
