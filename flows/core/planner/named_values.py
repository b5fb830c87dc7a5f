"""Values a step writes for inputs named after what they are, whatever the tool: the
channel of "post it to #ops", the number of "text it to +33 6 12 34 56 78", the language
of "translate it into French", the city of "the weather in Paris", the project of
"create an issue in project OPS". Each is found only for an input whose name says it
takes such a value, so a tool registered in the admin gets its values from the request
as the demo tools do, instead of asking for them when the run starts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flows.core.planner.lexicon import split_identifier
from flows.core.planner.wiring import schema_types, unwrap_nullable

#: "#ops", "#customer-success": a channel as chat tools write it (a letter first, so an
#: order number "#1001" is none).
#: "#ops", "#team-42"; not "#A-17", "#INV-2024" (a number, in capitals with a dash)
CHANNEL_NAME = re.compile(r"(?<![\w&#])#(?![A-Z]{1,5}-\d)(?P<value>[A-Za-z][\w-]*)")
#: An international or written-out phone number: seven digits or more.
#: (Not a date, "2027-03-20", nor a run of more digits than a phone number has, 15: a SIM
#: card's "8944100000000012345".)
_PHONE = re.compile(
    r"(?<![\w.+])(?!\d{4}-\d\d-\d\d\b|\d{16})(?P<value>\+?\d[\d\s().-]{5,}\d)\b"
)
_LANGUAGES = (
    "Arabic Bengali Bulgarian Catalan Chinese Croatian Czech Danish Dutch English Estonian "
    "Finnish French German Greek Hebrew Hindi Hungarian Icelandic Indonesian Irish Italian "
    "Japanese Korean Latvian Lithuanian Malay Norwegian Persian Polish Portuguese Romanian "
    "Russian Serbian Slovak Slovenian Spanish Swahili Swedish Tagalog Thai Turkish Ukrainian "
    "Urdu Vietnamese Welsh"
).split()
#: A language's name in any case ("to french"), but not "to polish the draft" (a verb).
_LANGUAGE_NAME = rf"(?i:{'|'.join(_LANGUAGES)})\b(?!\s+(?:the|it|this|that|them|up)\b)"
_LANGUAGE = re.compile(
    rf"\b(?:in|into|to)\s+(?P<value>{_LANGUAGE_NAME})(?!\s+(?:customers?|users?|team|speakers?))"
)
#: "in Paris", "for New York", "at São Paulo": a place's capitalised name after a
#: preposition (the input's name says a place is wanted).
_PLACE = re.compile(r"\b(?:in|for|at|of)\s+(?P<value>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})")
#: "10 Downing Street, London", "5 Main St.": a street address written out (a number, a
#: capitalised street name and its kind, then perhaps the town and a postcode).
STREET_ADDRESS = re.compile(
    # ("3 Rue Cler, Paris", "12 Rue de Rivoli, 75001 Paris": the street's kind first)
    r"\b(?P<value>\d{1,5}[A-Za-z]?,?\s+(?:Rue|Avenue|Boulevard|Calle|Via|Piazza|Plaza|Praça|Rua)"
    r"(?:\s+(?:de|del|de\s+la|des|du|di|da|do|la|le))?(?:\s+[A-Z][\w'-]*){1,3}"
    # ("44 Calle Mayor, Madrid 28013": the postcode after the town)
    r"(?:\s*,\s*(?:\d{4,5}\s+)?[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*){0,2}(?:\s+\d{4,5})?"
    r"(?![\w@])){0,2}"
    r"|\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'-]*\s+){1,4}?(?:Street|St|Road|Rd|Avenue|Ave|"
    r"Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Court|Ct|Place|Pl|Square|Sq|Terrace|Close|Crescent|"
    r"Parkway|Highway|Hwy|Loop|Plaza|Row|Walk|Alley|Circle|Cir|Trail|Pike|Quay|Mews|Gardens)\b\.?"
    # ("100 Queen St W, Toronto, Canada": a quarter of the city, then the city and country)
    r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?"
    r"(?:\s*,\s*[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*){0,2}(?![\w@])){0,2}"
    # a US state or Canadian province after the town ("Austin, TX 78701")
    # (or a province before a Canadian postal code: "Halifax NS B3J 1A1")
    r"(?:\s*,?\s+[A-Z]{2}(?=\s*,?\s+(?:\d{5}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b|\s*(?:$|[,;.)]))"
    r"(?![\w@]))?"
    # a postcode: "90210", "NW1 6XE", "B3J 1A1"
    r"(?:\s*,?\s+(?:\d{4,5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|"
    r"[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b)?"
    # ("Storgatan 12, 114 55 Stockholm", "Hauptstraße 5, 10115 Berlin": the street's name,
    # one word ending as streets do there, then its number, then the postcode and town)
    r"|[A-Z\u00c0-\u00de][\w'-]*(?:strasse|straße|str\.|gatan|gata|vägen|väg|gade|vej|"
    r"weg|laan|straat|plein|gasse|allee|platz|katu|tie|veien|gaten)\s+\d{1,5}[A-Za-z]?"
    r"(?:\s*,\s*(?:\d{3}\s\d{2}|\d{4,5}|\d{4}\s?[A-Z]{2})\s+[A-Z\u00c0-\u00de][\w'-]*"
    r"(?:\s+[A-Z\u00c0-\u00de][\w'-]*){0,2})?(?![\w@]))"
)
#: A code in capitals: "project OPS", "the SUP board".
_CODE = r"[A-Z][A-Z0-9_-]{1,15}"

#: Inputs that name where a work item is filed: "create an issue in OPS" says which.
_SPACE_NAMES = frozenset({"project", "board", "queue", "space", "workspace", "repo", "repository"})
_IN_A_SPACE = re.compile(rf"\bin\s+(?:the\s+)?(?P<value>{_CODE})\b")
_REASON_WORDS = frozenset({"reason", "note", "comment"})
#: "refund it because the item arrived damaged": why, to the end of the step
_BECAUSE = re.compile(r"\b(?:because|since|due\s+to|as\s+the)\s+(?P<value>[^,;.]{3,200})", re.I)
#: "refund donation DON-5521, the donor was charged twice": why, said after a comma as
#: what happened (a subject and its verb), to the end of the step
_WHAT_HAPPENED = re.compile(
    r",\s+(?P<value>(?:the|they|he|she|it|we|our|their|his|her)\b[^,;.]{0,80}?\b(?:was|were|"
    r"is|are|got|has|have|had)\b[^,;.]{2,120})$",
    re.I,
)
#: "cancel BK-8810 (reason: double booked)": why, after its label
_REASON_LABELLED = re.compile(
    r"\breason\s*[:=]\s*(?P<value>[^,;.!?()\n]{3,150}?)\s*(?=$|[,;.!?)\n])", re.I
)
#: "decline APP-7007 - incomplete medical history": why, after a dash that follows the
#: thing's code, to the end of the step
_WHY_AFTER_A_DASH = re.compile(
    r"\b[A-Za-z]*-?\d[\w-]*\s+[\u2014\u2013-]{1,2}\s+(?P<value>[a-z][^,;.!?@]{2,150}?)\s*$"
)
_CHANNEL_WORDS = frozenset({"channel", "room", "chat"})
_PHONE_WORDS = frozenset({"phone", "mobile", "cell", "msisdn", "telephone"})
#: Inputs named for where things are kept, by a name in capitals (`group`, `project`)
_CONTAINER_WORDS = frozenset({"group", "team", "project", "board", "folder", "department"})
#: "add lee@… to Engineering and Design", "to the Finance, Ops and Legal groups": names in
#: capitals listed after "to"/"in"/"into"/"from"
_CONTAINERS_LISTED = re.compile(
    r"\b(?:to|in|into|from)\s+(?:the\s+|both\s+)?"
    r"(?P<places>[A-Z][\w-]*(?:\s*,\s*[A-Z][\w-]*)*\s*,?\s+(?:and|&)\s+[A-Z][\w-]*)"
    r"(?![\w@.-])(?!\s+[A-Z])"
)
_LANGUAGE_WORDS = frozenset({"language", "lang", "locale"})
_PLACE_WORDS = frozenset({"city", "town", "location", "place"})
_ADDRESS_WORDS = frozenset({"address", "street"})
_POSTCODE_WORDS = frozenset({"postcode", "postal", "zip", "zipcode", "postcodes"})
#: A UK postcode ("SW1A 1AA", "EC1A1BB") or a US ZIP code ("90210", "10001-1234"), whole.
_POSTCODE = re.compile(
    r"(?<![\w-])(?P<value>[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{5}(?:-\d{4})?)(?![\w-])"
)
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
    found.update(measures(properties, text, {**taken, **found}))
    found.update(_address_for(properties, text, {**taken, **found}))
    found.update(_things_with(properties, text, {**taken, **found}))
    return {**found, **_named_one_by_one(properties, text, {**taken, **found}, texts_phones)}


#: How a size is said of a thing: "200 pixels wide", "480 tall".
_SIZE_ADJECTIVES = {"width": "wide", "height": "high|tall", "length": "long", "depth": "deep"}
_NUMBER = r"(?P<n>\d+(?:\.\d+)?)"
_UNIT = r"(?:\s*(?:px|pixels?|cm|mm|in|inches|m|meters?|metres?|pt|points?))?"
#: "64 by 64", "640x480": a width, then a height.
_BY = re.compile(rf"(?<![\w.]){_NUMBER}{_UNIT}\s*(?:by|x|\u00d7)\s*(?P<m>\d+(?:\.\d+)?)(?![\w.])")


def measures(properties: Mapping[str, Any], text: str, taken: Mapping[str, str]) -> dict[str, str]:
    """Numbers a step writes for inputs named for them: "a width of 640", "200 pixels
    wide", "64 by 64" (width, then height)."""
    numeric = {
        name: split_identifier(name)[-1]
        for name, schema in properties.items()
        if name not in taken and schema_types(unwrap_nullable(schema)) & {"integer", "number"}
    }
    found: dict[str, str] = {}
    for name, noun in numeric.items():
        adjective = _SIZE_ADJECTIVES.get(noun)
        said = re.search(
            rf"\b{re.escape(noun)}\s+(?:of\s+|=\s*|:\s*|to\s+)?{_NUMBER}\b", text, re.I
        )
        if said is None and adjective:
            said = re.search(rf"(?<![\w.]){_NUMBER}{_UNIT}\s+(?:{adjective})\b", text, re.I)
        if said is None and len(noun) > 1 and noun not in ("id", "of"):
            # "an 8.4 kW system", "a 6kw system" for `system_kw`: the unit the name ends in
            said = re.search(rf"(?<![\w.]){_NUMBER}\s*{re.escape(noun)}\b", text, re.I)
        if said is not None:
            found[name] = _number(said.group("n"), properties[name])
    by = _BY.search(text)
    sides = [
        next((n for n, noun in numeric.items() if noun == side), None)
        for side in ("width", "height")
    ]
    if by is not None and all(sides) and not {*found} & {*sides}:
        width, height = sides
        assert width is not None
        assert height is not None
        found[width] = _number(by.group("n"), properties[width])
        found[height] = _number(by.group("m"), properties[height])
    return found


def _things_with(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "Quote an 8 kW system with a battery" for a yes/no input `battery`: true ("without
    a battery": false), rather than a yes/no asked of the run."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        if name in taken or schema_types(unwrap_nullable(schema)) != {"boolean"}:
            continue
        words = split_identifier(name)
        thing = r"[\s_-]+".join(map(re.escape, words))
        said = re.search(
            rf"\b(?P<with>with|without|w/o|no)\s+(?:an?\s+|the\s+)?{thing}s?\b", text, re.I
        )
        if said is not None:
            found[name] = "false" if said["with"].lower() in ("without", "w/o", "no") else "true"
    return found


def _number(written: str, schema: Any) -> str:
    if "integer" in schema_types(unwrap_nullable(schema)) and float(written).is_integer():
        return str(int(float(written)))
    return repr(float(written))


_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _takes_text(schema: Any) -> bool:
    """An input a string fits (one whose schema says no type takes one too)."""
    return "string" in (schema_types(unwrap_nullable(schema)) or {"string"})


def _address_for(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "Create an event and invite ana@example.com": the one address the step writes goes
    to the one input named for an address (`attendee_email`) that nothing filled yet."""
    addresses = list(dict.fromkeys(a.rstrip(".") for a in _ADDRESS.findall(text)))
    emails = [
        name
        for name, schema in properties.items()
        if "email" in split_identifier(name) and _takes_text(schema)
    ]
    if len(addresses) != 1 or len(emails) != 1 or emails[0] in taken:
        return {}
    return {emails[0]: json.dumps(addresses[0])}


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
        if split_identifier(name)[-1:] == ["id"] and _takes_text(properties[name])
    ]
    if len(ids) != 1 or ids[0] in taken:
        return {}  # which of its ids the code is, the step does not say
    return {ids[0]: json.dumps(match.group("code"))}


#: "USD to JPY", "EUR/GBP": two codes paired, as one thing's name ("the USD to JPY rate")
CODE_PAIR = r"[A-Z]{3}(?:\s+(?:to|into)\s+|\s*/\s*)[A-Z]{3}"
#: "the USD to EUR rate", "from GBP into JPY": two currency codes, the first converted
_CURRENCY_PAIR = re.compile(
    r"\b(?P<base>[A-Z]{3})(?:\s+(?:to|into|in)\s+|\s*(?:/|->)\s*)(?P<target>[A-Z]{3})\b"
)
_FROM_WORDS = ("base", "from", "source")
_TO_WORDS = ("target", "to", "quote", "destination")


#: "50 dollars to euros": currencies by their names, as their codes
_CURRENCY_NAMES = {"dollars": "USD", "euros": "EUR", "pounds": "GBP", "yen": "JPY"}
_NAMED_CURRENCY = r"(?:dollars?|euros?|pounds?|yen)"
_NAMED_PAIR = re.compile(
    rf"\b(?P<base>{_NAMED_CURRENCY})\s+(?:to|into|in)\s+(?P<target>{_NAMED_CURRENCY})\b", re.I
)


def _currency_code(name: str) -> str:
    name = name.lower()
    return _CURRENCY_NAMES.get(name if name.endswith("s") or name == "yen" else f"{name}s", name)


def _currency_pair(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    pair = _CURRENCY_PAIR.search(text)
    if pair is None and (named := _NAMED_PAIR.search(text)) is not None:
        codes = {side: _currency_code(named.group(side)) for side in ("base", "target")}
        return _pair_inputs(properties, codes, taken)
    if pair is None:
        return _target_currency(properties, text, taken)
    return _pair_inputs(properties, {side: pair.group(side) for side in ("base", "target")}, taken)


#: "convert the total to EUR": the currency converted into, the one it is in unsaid
_INTO_CURRENCY = re.compile(
    r"\b(?:to|into)\s+(?P<target>USD|EUR|GBP|JPY|CHF|CAD|AUD|CNY|INR|SEK|NOK|DKK|PLN|MXN|BRL)\b"
)


def _target_currency(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    into = _INTO_CURRENCY.search(text)
    if into is None:
        return {}
    names = [
        n
        for n in properties
        if n not in taken
        and set(split_identifier(n)) & set(_TO_WORDS)
        and _takes_text(properties[n])
    ]
    return {names[0]: json.dumps(into.group("target"))} if len(names) == 1 else {}


def _pair_inputs(
    properties: Mapping[str, Any], pair: Mapping[str, str], taken: Mapping[str, str]
) -> dict[str, str]:
    found = {}
    for side, names in (("base", _FROM_WORDS), ("target", _TO_WORDS)):
        name = next(
            (
                n
                for n in properties
                if n not in taken
                and set(split_identifier(n)) & set(names)
                and _takes_text(properties[n])
            ),
            None,
        )
        if name is not None:
            found[name] = json.dumps(pair[side])
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
        if words & _CHANNEL_WORDS and unwrap_nullable(schema).get("enum"):
            continue  # a `channel` of sms or whatsapp names no chat room ("their room number")
        if listed_for(properties, name, text):
            continue  # "to Spanish and German": one call each, not the first alone
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
        return (
            _first(_REASON_LABELLED, text)
            or _first(_BECAUSE, text)
            or _first(_WHAT_HAPPENED, text.strip())
            or _first(_WHY_AFTER_A_DASH, text.strip())
        )
    if texts_phones and words <= {"to", "number", "recipient"}:
        return _phone(text)
    last = split_identifier(name)[-1:]
    if len(words) > 1 and last and last[0] in _TEAM_NOUNS and not words & set(_NOT_CODES):
        # "for the maintenance group": an `assignment_group` is named as a `group` is;
        # "an incident for facilities": a team people know by name
        return _name_before(last[0], text) or _first(_FOR_A_TEAM, text)
    parts = split_identifier(name)
    if len(parts) == 2 and parts[1] == "name" and parts[0] not in _PEOPLES_NAMES:
        # ("at the Oak Street stop", "stop Elm Park": a `stop_name`, asked of the run)
        return _thing_named(parts[0], text)
    if name in _FIRMS:
        # "company Lee & Co", "employer: Roe Labs": a firm's name, written whole after the
        # word (not its first word alone, as a code would be)
        firm = re.search(rf"(?i:\b{name})\s*:?\s+(?P<name>{_NAME_WORDS})", text)
        if firm is not None:
            return firm.group("name")
    if len(words) == 1 and name not in _NOT_CODES and name.isalpha():
        return (
            _code_after(name, text)
            or (_first(_IN_A_SPACE, text) if name in _SPACE_NAMES else None)
            or (_container_named(name, text) if name in _CONTAINERS else None)
            or (_name_before(name, text) if name not in _PROPER_NAMES else None)
        )
    return None


#: The first word of a `..._name` input for a person's name, not a thing's.
_PEOPLES_NAMES = frozenset(
    "first last full given family middle display user customer client contact recipient "
    "sender party person guest patient student owner company file".split()
)
_NAME_WORDS = r"[A-Z][\w'&-]*(?:\s+(?:&\s+)?[A-Z0-9][\w'&-]*){0,3}"
#: Inputs that take a firm's name ("company Lee & Co")
_FIRMS = frozenset("company organisation organization employer business vendor supplier".split())


def _thing_named(noun: str, text: str) -> str | None:
    """ "the Oak Street stop", "stop Elm Park", "stop: Elm Park": the capitalised name
    written before or after the noun a `<noun>_name` input is named for."""
    noun = re.escape(noun)
    match = re.search(rf"\b(?i:the|at|from|to)\s+(?P<value>{_NAME_WORDS})\s+(?i:{noun})s?\b", text)
    if match is None:
        match = re.search(rf"\b(?i:{noun})\s*:?\s+(?P<value>{_NAME_WORDS})", text)
    return match.group("value") if match else None


#: The last word of an input that names a group of people ("assignment_group").
_TEAM_NOUNS = frozenset({"group", "team", "queue", "department"})
#: "for facilities", "for the finance team": a team known by its name, after "for"
_FOR_A_TEAM = re.compile(
    r"\bfor\s+(?:the\s+)?(?P<value>facilities|maintenance|finance|legal|hr|security|support|"
    r"sales|compliance|marketing|engineering|ops|operations|accounting|procurement|it|"
    r"billing|warehouse|logistics|helpdesk|devops|payroll|networking|network)\b"
    r"(?!\s+(?:team|group|queue|department)\b)"
)
#: Words before a noun that qualify it without naming it ("the new metric").
_QUALIFIERS = frozenset(
    "a an the this that these those its their our your my his her same new right whole "
    "current last first next latest main other each every any all some one total average "
    "daily weekly monthly yearly usual default given right wrong old "
    # a role, not a name: "the shipping country", "the destination city"
    "shipping delivery destination origin preferred".split()
)
#: Inputs whose values are proper names or codes ("DE", "Berlin"): never a word in lower
#: case before the noun ("the billing country" names none).
_PROPER_NAMES = frozenset("country city state region province language currency".split())


def _name_before(noun: str, text: str) -> str | None:
    """ "the cpu metric", "in the prod namespace": a name in lower case written between an
    article and the input's own noun (a code in capitals is read by `_code_after`)."""
    match = re.search(
        rf"\b(?i:the|a|an|our|its|their)\s+(?P<value>[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*)\s+"
        rf"(?i:{re.escape(noun)})s?\b",
        text,
    )
    if match is None or match.group("value") in _QUALIFIERS:
        return None
    return match.group("value")


#: Inputs named for where rows or files are kept: "insert it into the signups table".
_CONTAINERS = frozenset("table sheet tab folder bucket collection index topic list".split())


def _container_named(noun: str, text: str) -> str | None:
    """ "into the signups table", "in our leads sheet": the name written before the noun,
    in any case ("the same table" names none)."""
    for match in re.finditer(
        rf"\b(?:in|into|to|from|on)\s+(?:the|our|my|your|their)\s+(?P<name>[A-Za-z][\w-]*)\s+"
        rf"{re.escape(noun)}\b",
        text,
        re.IGNORECASE,
    ):
        if match.group("name").lower() not in _NOT_CHANNEL_NAMES | _NOT_CONTAINER_NAMES:
            return match.group("name")
    return None


def _first(pattern: re.Pattern[str], text: str, keep: str = "") -> str | None:
    match = pattern.search(text)
    return keep + match.group("value") if match else None


def _phone(text: str) -> str | None:
    match = _PHONE.search(text)
    if match is None or sum(c.isdigit() for c in match.group("value")) < 7:
        return None
    return match.group("value").strip()


def _language(written: str | None) -> str | None:
    return written.capitalize() if written else None  # "french" -> "French"


#: "Teams channel finance", "the sales channel", "channel named alerts": a channel's name
#: written without its "#".
_CHANNEL_NAMES = (
    re.compile(r"\b(?:channel|room)\s+(?:named\s+|called\s+)?(?P<name>[A-Za-z][\w-]*)", re.I),
    re.compile(r"\b(?:the|our|a)\s+(?P<name>[A-Za-z][\w-]*)\s+(?:channel|room)\b", re.I),
)
#: Words around "channel" that name no channel: the chat app, or what says which one.
_NOT_CHANNEL_NAMES = frozenset(
    """
    teams microsoft slack discord mattermost chat google zoom webex the a an our their its it
    this that same right correct relevant appropriate usual default team company main and or
    to on in for with of as at by from when if then which where instead too also please
    """.split()
)


_NOT_CONTAINER_NAMES = frozenset(
    "database analytics new existing old other next last first google excel sql".split()
)


def _channel_named(text: str) -> str | None:
    for pattern in _CHANNEL_NAMES:
        for match in pattern.finditer(text):
            if match.group("name").lower() not in _NOT_CHANNEL_NAMES:
                return match.group("name")
    return None


#: Inputs that take a stock's ticker: "AAPL", "BRK.B", "$TSLA".
_SYMBOL_WORDS = frozenset({"ticker", "symbol", "tickers", "symbols"})
_TICKER = re.compile(r"(?<![\w$.#@-])\$?(?P<value>[A-Z]{2,5}(?:\.[A-Z])?)(?![\w@-])")
#: Capitals that are no ticker: the names of things, currencies and abbreviations.
_NOT_TICKERS = frozenset(
    """
    CRM API PDF SMS URL ID CEO CFO CTO CSV HR IT OK US USA UK EU UTC GMT AM PM ASAP FYI
    USD EUR GBP JPY CHF CAD AUD CNY INR ETA SKU VIP KPI ROI SLA QA PR JSON XML HTML HTTP
    IPO NYSE NASDAQ ETF AI ML LLM GPT SQL DB FAQ PO
    """.split()
)


def _symbols(text: str) -> list[str]:
    """The tickers a step writes ("the price of AAPL", "TSLA's stock price")."""
    found = [m.group("value") for m in _TICKER.finditer(text)]
    return list(dict.fromkeys(v for v in found if v not in _NOT_TICKERS))


#: Inputs that take a code repository written "owner/name" ("open an issue in acme/api").
_REPO_WORDS = frozenset({"repo", "repository"})
_REPO = re.compile(r"(?<![\w./:@-])(?P<value>[A-Za-z0-9][\w.-]*/[\w.-]*[A-Za-z0-9])(?![\w/@-])")
#: Inputs that take a web domain written bare ("look up the company for stripe.com"): not
#: an email's domain, a URL's host or a file name.
_DOMAIN_WORDS = frozenset({"domain", "hostname"})
_DOMAIN = re.compile(
    r"(?<![\w.@/:-])(?P<value>(?:[a-z0-9-]+\.)+(?!(?:pdf|png|jpe?g|gif|csv|txt|docx?|xlsx?|json|"
    r"html?|zip|md)\b)[a-z]{2,})(?![\w@/-]|\.\w)",
    re.IGNORECASE,
)


def takes_what_is_written(properties: Mapping[str, Any], text: str) -> bool:
    """Whether `text` writes a value of a kind only an input named for it takes (a ticker,
    a repository, a domain, a language): "what's the stock price of ORCL" is for the tool
    that takes a symbol, not for the one that checks stock levels."""
    kinds = (_SYMBOL_WORDS, _REPO_WORDS, _DOMAIN_WORDS, _LANGUAGE_WORDS)
    for name in properties:
        words = set(split_identifier(name))
        for kind, find in _FINDERS:
            if kind in kinds and words & kind and find(text):
                return True
    return False


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    values = (m.group("value") for m in pattern.finditer(text))
    return list(dict.fromkeys(v for v in values if v.lower() != "and/or"))


def _one(values: list[str]) -> str | None:
    return values[0] if len(values) == 1 else None  # two or more: one call each, or asked


def _street_address(text: str) -> str | None:
    match = STREET_ADDRESS.search(text)
    return match.group("value").rstrip(" .,") if match else None


#: By the words of an input's name, how its value is found in the step's words.
#: Inputs that take what is searched for.
_QUERY_WORDS = frozenset({"query", "q", "search", "term", "terms", "keywords", "phrase"})
#: "search the knowledge base for refund policy", "... for 'reset password'": what for
_SEARCHED_FOR = re.compile(
    r"\b(?:search(?:es|ing)?|query|look\s+up|browse)\b[^,;]*?\s+for\s+[\"'\u2018\u201c]?"
    # (not "for the customer's question", "for their issue": what the run brings)
    r"(?!(?:the|a|an|their|his|her|its|our|my|your|this|that|these|those|each|every|any|it|"
    r"them)\b|\w+'s\b)(?P<value>[^\"',;.\u2019\u201d]+?)[\"'\u2019\u201d]?(?=\s*(?:$|[,;.])|\s+(?:and|then)\b)",
    re.IGNORECASE,
)
#: Inputs that take who a task is given to
_ASSIGNEE_WORDS = frozenset({"assignee", "assigned", "assign"})
#: Words after "for" or "to" that name no one a task is given to
_NOT_AN_ASSIGNEE = frozenset(
    "the a an me us you him her them it this that each every all any both everyone "
    "today tomorrow tonight now later next monday tuesday wednesday thursday friday "
    "saturday sunday week month review approval".split()
)
_SOMEONE = r"@?(?P<value>[A-Za-z][\w.-]*[\w])"
#: "assign it to maria", "assigned to li", "for maria to renew ...", "for finance, due ..."
_ASSIGNED = (
    re.compile(rf"\bassign(?:ed)?\s+(?:it\s+|this\s+|that\s+|them\s+)?to\s+{_SOMEONE}", re.I),
    re.compile(
        rf"\b(?:task|todo|to-do|card|chore|reminder|action\s+item)s?\b[^,;]*?\bfor\s+{_SOMEONE}"
        r"(?=\s+(?:to|due|by|before|on)\b|\s*[,;.]|\s*$)",
        re.I,
    ),
)


def _assignee(text: str) -> str | None:
    """Who a step gives its task to ("assign it to maria", "a task for maria to ...")."""
    for pattern in _ASSIGNED:
        for match in pattern.finditer(text):
            if match["value"].lower() not in _NOT_AN_ASSIGNEE:
                return match["value"]
    return None


_FINDERS: tuple[tuple[frozenset[str], Callable[[str], str | None]], ...] = (
    (_ASSIGNEE_WORDS, _assignee),
    (_CHANNEL_WORDS, lambda text: _first(CHANNEL_NAME, text, keep="#") or _channel_named(text)),
    (_SYMBOL_WORDS, lambda text: _one(_symbols(text))),
    (_REPO_WORDS, lambda text: _one(_found(_REPO, text))),
    (_DOMAIN_WORDS, lambda text: _one(_found(_DOMAIN, text))),
    (_PHONE_WORDS, _phone),
    (_LANGUAGE_WORDS, lambda text: _language(_first(_LANGUAGE, text))),
    (_PLACE_WORDS, lambda text: _place(text)),
    (_ADDRESS_WORDS, lambda text: _street_address(text)),
    (_POSTCODE_WORDS, lambda text: _one(_found(_POSTCODE, text))),
    (_QUERY_WORDS, lambda text: _first(_SEARCHED_FOR, text)),
)


#: "SOCK-GRN-L", "TEE-BLK-M", "A4": a code in capitals with a hyphen or a digit
_CODE_IN_CAPITALS = re.compile(r"^(?=[A-Z0-9-]*[-\d])[A-Z0-9]+(?:-[A-Z0-9]+)*$")


def _place(text: str) -> str | None:
    """ "in Paris", "at Brooklyn Warehouse": a place by its name; not a code after "of"
    ("set stock of SOCK-GRN-L to 12": what the stock is of, the SKU)."""
    for match in _PLACE.finditer(text):
        said = match.group(0).split(None, 1)[0].lower()
        if said == "of" and _CODE_IN_CAPITALS.match(match.group("value")):
            continue
        return match.group("value")
    return None


def _code_after(noun: str, text: str) -> str | None:
    """ "in project OPS", "the OPS project", "project: OPS"."""
    noun_pattern = re.escape(noun)
    # the noun in any case, the code in capitals
    match = re.search(
        rf"(?i:\b{noun_pattern})\s*:?\s+(?P<value>{_CODE})\b"
        rf"|\b(?P<before>{_CODE})\s+(?i:{noun_pattern})\b"
        # "the Orders sheet", "in our Sales project": a name written before the noun
        rf"|(?i:\b(?:the|our|my|a|an)\s+)(?P<named>[A-Z][\w-]*)\s+(?i:{noun_pattern})\b"
        # "SKU-42": a code that starts with the noun itself
        rf"|\b(?P<whole>(?i:{noun_pattern})-\d[\w-]*)",
        text,
    )
    if match is None:
        return None
    return (
        match.group("value")
        or match.group("before")
        or match.group("named")
        or match.group("whole")
    )


_NAME = r"[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}"
#: "for Berlin and Madrid", "in Paris, London and Rome": places listed by name
_PLACES = re.compile(
    rf"\b(?:in|for|at|of)\s+(?P<places>{_NAME}(?:\s*,\s*{_NAME})*\s*,?\s+(?:and|&)\s+{_NAME})"
)

#: "our three offices (Paris, Berlin, Madrid)": the places named in an aside
_PLACES_ASIDE = re.compile(
    rf"\((?P<places>{_NAME}(?:\s*,\s*{_NAME})+(?:\s*,?\s+(?:and|&)\s+{_NAME})?)\)"
)


#: "to Spanish and German", "into french, german and italian"
_LANGUAGES_LISTED = re.compile(
    rf"\b(?:in|into|to)\s+(?P<places>{_LANGUAGE_NAME}(?:\s*,\s*{_LANGUAGE_NAME})*"
    rf"\s*,?\s+(?:and|&)\s+{_LANGUAGE_NAME})"
)


def written_places(properties: Mapping[str, Any], text: str) -> list[str]:
    """The values a step lists for a tool that takes one of them: places ("the weather for
    Berlin and Madrid"), languages ("translate it to Spanish and German"), tickers ("the
    price of AAPL and MSFT"): one call each."""
    for kind, listed in (
        (_PLACE_WORDS, lambda: _listed(_PLACES.search(text) or _PLACES_ASIDE.search(text))),
        (
            _LANGUAGE_WORDS,
            lambda: [_language(v) or v for v in _listed(_LANGUAGES_LISTED.search(text))],
        ),
        (_SYMBOL_WORDS, lambda: _symbols(text) if len(_symbols(text)) > 1 else []),
        # "post it to #ops and #eng", "text +1 555 0100 and +1 555 0199": each of them
        (_CHANNEL_WORDS, lambda: _several(f"#{c}" for c in CHANNEL_NAME.findall(text))),
        (_PHONE_WORDS, lambda: _several(_phones(text))),
        # ("add lee@… to Engineering and Design": one call for each group)
        (_CONTAINER_WORDS, lambda: _listed(_CONTAINERS_LISTED.search(text))),
    ):
        if len(_inputs_for(properties, kind)) == 1 and (values := listed()):
            return values
    return []


def listed_for(properties: Mapping[str, Any], name: str, text: str) -> bool:
    """Whether `text` lists several values for the input `name` (one call each, never the
    first of them alone)."""
    return bool(written_places({name: properties[name]}, text))


def _several(values: Iterable[str]) -> list[str]:
    distinct = list(dict.fromkeys(values))
    return distinct if len(distinct) > 1 else []


def _phones(text: str) -> list[str]:
    found = [m.group("value").strip() for m in _PHONE.finditer(text)]
    return [phone for phone in found if sum(c.isdigit() for c in phone) >= 7]


def _inputs_for(properties: Mapping[str, Any], kind: frozenset[str]) -> list[str]:
    return [
        name
        for name, schema in properties.items()
        if set(split_identifier(name)) & kind and _takes_text(schema)
    ]


def _listed(match: re.Match[str] | None) -> list[str]:
    if match is None:
        return []
    names = re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", match.group("places"))
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))
