"""A heading that sets out who or what a request is about ("New hire: Jane Doe,
jane@acme.io — create her account and send a welcome email", "Deal D-42: move it to
won"): it is no step, and its values (a name, an address, a phone number, an id) are the
inputs of the steps after it that take them, instead of fields asked when the run starts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from flows.core.planner.lexicon import split_identifier
from flows.core.planner.phrasing import LIST_ITEM
from flows.core.planner.recipients import EMAIL_ADDRESS
from flows.core.planner.wiring import schema_types, unwrap_nullable

#: Where a heading may end and the steps begin: a dash, a full stop, a semicolon, a colon
#: or a new line (a comma goes on with the heading: "Jane Doe, jane@acme.io").
_HEADING_END = re.compile(r"\s*(?:[:.;]\s+|\s[\u2014\u2013-]+\s+|[\u2014\u2013]\s*|\n\s*)")
#: "new customer Leo Martins leo@x.br validate his email ...": the space after an address
#: that a step follows, with no stop typed between them
_SPACE_AFTER_AN_ADDRESS = re.compile(rf"{EMAIL_ADDRESS.pattern}(?P<gap>\s+)(?=[a-z])")
_POLITE = re.compile(r"^(?:please|kindly|pls|then|now|also)\s+", re.IGNORECASE)
#: "+44 7700 900123": seven digits or more, the way a phone number is written.
_PHONE = re.compile(r"(?<![\w.+])\+?\d[\d\s().-]{5,}\d\b")
#: "D-42", "#1001", "ORD_7": a code with a digit in it.
_CODE = re.compile(r"(?<![\w@.])#?[A-Za-z]*[-_]?\d[\w-]*")
#: Words that turn a heading into a step or its condition ("If the deal closes: ...").
_NOT_A_HEADING = re.compile(
    r"\b(?:if|unless|when|whenever|once|after|before|each|every|then|else|otherwise|approv\w*|"
    r"sign\s+off|in\s+parallel|at\s+the\s+same\s+time)\b|->|=>|\u2192",
    re.IGNORECASE,
)
#: "report a major incident for bus B-4: ...": a word then an article is a verb and its
#: object, a step even when no tool uses the verb (the sentence was dropped as a heading)
_VERB_AND_ITS_OBJECT = re.compile(r"^[a-z]+\s+(?:a|an|the)\s+\w")
#: A sentence, not a heading: it opens as one does ("The customer wants ...", "We have ...").
_SAYS_SOMETHING = re.compile(
    r"(?:the|a|an|we|i|our|my|this|that|these|they|he|she|it|there|please|you)\b", re.IGNORECASE
)
#: 'Review from order BK-3390: "The book arrived torn"', "Message from tenant 4B: '...'": a
#: thing and where it came from, then what it says; its first word is no verb
_LABELLED_QUOTE = re.compile(
    r"^[A-Za-z]+\s+(?:from|by)\s+[^:\"'\u201c]{1,80}:\s*[\"'\u201c\u2018][^\"'\u201d\u2019]{3,}[\"'\u201d\u2019]\s*$"
)
_CAPITALISED = r"[A-Z][a-z'\u00e0-\u00ff-]+"
#: "Jane Doe, jane@acme.io", "Maria Lopez (maria@acme.com)": the person an address is for.
_NAME_BY_ADDRESS = re.compile(
    rf"(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}})\s*(?:,|\(|<|-|\u2013|\u2014)\s*"
    rf"{EMAIL_ADDRESS.pattern}"
)
#: "Bob Smith", "Anna Maria Kowalski": two or three capitalised words.
_FULL_NAME = re.compile(rf"(?<![\w@.])(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED}){{1,2}})\b")
#: Inputs whose address is someone else's than the person the heading is about.
_OTHER_PEOPLE = frozenset(
    "cc bcc reply sender from manager admin approver owner support notify alert assignee "
    "reporter agent author".split()
)
_NAMED_THINGS = frozenset(
    "file template sheet table list campaign channel product company project repo "
    "display user".split()
)
_QUOTED = re.compile(
    r"[\"\u201c]([^\"\u201d]{3,1000})[\"\u201d]"
    # ("Message from order OR-7: 'the box was crushed'": single quotes, not apostrophes)
    r"|(?<!\w)['\u2018]([^'\u2019\n]{3,1000})['\u2019](?!\w)"
)
#: Inputs that hold the text a step reads (a message written to us).
_TEXT_INPUTS = frozenset({"text", "message", "body", "content", "comment", "feedback"})
_PHONE_WORDS = frozenset({"phone", "mobile", "cell", "msisdn", "telephone"})
_FIRST = frozenset({"first", "given", "fname"})
_LAST = frozenset({"last", "surname", "family", "lname"})
_WEEKDAYS_AND_MONTHS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)


def split_data_heading(
    text: str, starts_with_verb: Callable[[str], bool]
) -> tuple[str, str] | None:
    """(heading, steps) when `text` opens with a heading that carries data and the
    steps follow it after a dash, a full stop, a semicolon or a colon. A heading ended by
    its only colon ("Deal D-42: move it to won") is left to the request's reader, which
    takes it as the steps' title (the values are read from it the same way)."""
    ends = sorted(
        [(m.start(), m.end(), m.group(0)) for m in _HEADING_END.finditer(text)]
        + [(m.start("gap"), m.end("gap"), "") for m in _SPACE_AFTER_AN_ADDRESS.finditer(text)]
    )
    for start, stop, said in ends:
        heading, rest = text[:start].strip(), text[stop:]
        if len(heading) > 160 or "\n" in heading.strip() or LIST_ITEM.match(heading):
            return None  # ("- look up user 42\n- email them": a list's first item)
        # ("Re: order 1234. Please validate it": a polite word before the first verb)
        if not rest or not starts_with_verb(_POLITE.sub("", rest)):
            continue
        if heading.count("(") > heading.count(")"):
            continue  # ("cancel booking BK-4 (reason: venue flooded)": inside an aside)
        if (
            (starts_with_verb(heading) or _VERB_AND_ITS_OBJECT.match(_POLITE.sub("", heading)))
            and not _LABELLED_QUOTE.match(heading)
        ) or _NOT_A_HEADING.search(heading):
            return None
        if said.strip() == ":" and ":" not in heading:
            return None
        if not carries_data(heading) or _SAYS_SOMETHING.match(heading):
            return None
        if said.strip() in (".", ";", "") and not (
            ":" in heading or EMAIL_ADDRESS.search(heading) or _PHONE.search(heading)
        ):
            return None  # "The customer wants a refund for order 42; process it": a sentence
        return heading, rest
    return None


def carries_data(heading: str) -> bool:
    """Whether a heading says who or what the steps are about: an address, a phone
    number, a code with a digit, or a name set out after a colon or between commas."""
    return bool(
        EMAIL_ADDRESS.search(heading)
        or _PHONE.search(heading)
        or _CODE.search(heading)
        or (re.search(r"[:,(]", heading) and _FULL_NAME.search(heading))
    )


def heading_literals(
    properties: dict[str, Any],
    heading: str,
    taken: dict[str, str],
    *,
    known_words: Iterable[str] = (),
    identifiers: Callable[[dict[str, Any], str, dict[str, str]], dict[str, str]] | None = None,
    texts_phones: bool = False,
    verb: Callable[[str], bool] | None = None,
) -> dict[str, str]:
    """Values for the inputs of a step that the heading gives and the step itself does
    not: the address for an email input, the name (or its first or last part) for a name
    input, a phone number, a place, an id ("Deal D-42" for `deal_id`)."""
    if not heading or not carries_data(heading):
        return {}
    found: dict[str, str] = {}
    # "manager is dev.lead@acme.com": an address said to be someone else's
    roles = {
        m.group("role").lower(): m.group("address").rstrip(".")
        for m in _ROLE_ADDRESS.finditer(heading)
        if m.group("role").lower() in _OTHER_PEOPLE and not _sent_by(m)
    }
    addresses = list(
        dict.fromkeys(
            a.rstrip(".")
            for a in EMAIL_ADDRESS.findall(heading)
            if a.rstrip(".") not in roles.values()
        )
    )
    name = _person_named(heading, set(known_words), verb)
    for field, schema in properties.items():
        if field in taken or "string" not in (schema_types(unwrap_nullable(schema)) or {"string"}):
            continue
        words = set(split_identifier(field))
        role = next((w for w in words & _OTHER_PEOPLE if w in roles), None)
        if role is not None and "email" in words:
            found[field] = json.dumps(roles[role])
            continue
        if words & _OTHER_PEOPLE or words & _PHONE_WORDS:
            continue
        if "email" in words and len(addresses) == 1:
            found[field] = json.dumps(addresses[0])
        elif name is not None and "name" in words and not words & _NAMED_THINGS:
            first, _, last = name.partition(" ")
            if words & _FIRST:
                found[field] = json.dumps(first)
            elif words & _LAST:
                if last:
                    found[field] = json.dumps(last)
            else:
                found[field] = json.dumps(name)
    said = [a or b for a, b in _QUOTED.findall(heading)]
    if len(said) == 1:
        # 'Customer Tom (tom@x.com) wrote in: "My parcel never arrived"': what they wrote is
        # the text the steps read
        for field in properties:
            if field not in taken and field not in found and field in _TEXT_INPUTS:
                found[field] = json.dumps(said[0])
    taken = {**taken, **found}
    if identifiers is not None:
        found.update(identifiers(properties, heading, taken))
        taken = {**taken, **found}
    found.update(_said_of_the_subject(properties, heading, {**taken, **found}))
    taken = {**taken, **found}
    phones = [p.strip() for p in _PHONE.findall(heading)]
    # (a tool that sends text messages: its bare `to` or `number` is the phone number)
    phone_words = _PHONE_WORDS | ({"to", "number", "recipient"} if texts_phones else set())
    for field in properties:
        if field not in taken and set(split_identifier(field)) & phone_words and len(phones) == 1:
            found[field] = json.dumps(phones[0])
    return found


#: "amount $1,250", "total: 300 EUR", "price of €80": an amount the heading labels as one.
_LABELLED_AMOUNT = re.compile(
    r"\b(?:amount|total|price|sum|cost|value|fee)\s*(?::|\bis\b|\bof\b)?\s*"
    r"(?:[$€£¥]\s?(?P<a>\d[\d,]*(?:\.\d+)?)|(?P<b>\d[\d,]*(?:\.\d+)?)\s?"
    r"(?:usd|eur|gbp|dollars?|euros?|pounds?)?)(?![\w-])",
    re.IGNORECASE,
)
_AMOUNT_INPUTS = ("amount", "total", "price", "sum")


def amount_labelled(
    properties: dict[str, Any], heading: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "Order ORD-77, amount $1,250. ... charge the card": the one amount the heading
    labels is the step's amount (the charge asked the run for it)."""
    amounts = {
        float((m.group("a") or m.group("b")).replace(",", ""))
        for m in _LABELLED_AMOUNT.finditer(heading)
    }
    if len(amounts) != 1:
        return {}
    numbers = [
        name
        for name, schema in properties.items()
        if schema_types(unwrap_nullable(schema)) & {"number", "integer"}
    ]
    wanted = next((name for name in _AMOUNT_INPUTS if name in numbers), None)
    if wanted is None or wanted in taken:
        return {}
    return {wanted: repr(amounts.pop())}


#: "manager is x@acme.com", "manager: x@acme.com", "manager x@acme.com"
_ROLE_ADDRESS = re.compile(
    rf"\b(?P<role>[A-Za-z]+)(?:'s)?(?:\s+(?:email|e-mail|address))?\s*(?:\s(?:is|at)\s|[:=]\s*|\s)"
    rf"\s*(?P<address>{EMAIL_ADDRESS.pattern})"
)


def _sent_by(match: re.Match[str]) -> bool:
    """ "new signup from x@y.io": the address the heading's thing came from, the person it
    is about ("From: x@y.io" labels a sender's address, someone else's)."""
    return match.group("role").lower() == "from" and not re.search(r"[:=]", match.group(0))


#: A date written as ISO 8601 ("2027-01-11").
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b(?!T)")


def _said_of_the_subject(
    properties: dict[str, Any], heading: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "New hire: Maria, starts 2027-01-11 in engineering": the one date the heading writes
    for the step's one date input, and a value of a list input (a department) it names."""
    found: dict[str, str] = {}
    dates = _ISO_DATE.findall(heading)
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken and unwrap_nullable(schema).get("format") == "date"
    ]
    if len(dates) == 1 and len(wanted) == 1:
        found[wanted[0]] = json.dumps(dates[0])
    for name, schema in properties.items():
        values = unwrap_nullable(schema).get("enum")
        if name in taken or name in found or not isinstance(values, list):
            continue
        if set(split_identifier(name)) & _LEVELS:
            continue  # "High-value customer": no priority
        named = [
            v
            for v in values
            if isinstance(v, str)
            and re.search(rf"(?<![\w-]){re.escape(v).replace('_', '[ _]')}(?![\w-])", heading, re.I)
        ]
        if len(named) == 1:
            found[name] = json.dumps(named[0])
    return found


_LEVELS = frozenset({"priority", "severity", "urgency", "importance", "level", "impact"})


def _person_named(
    heading: str, known_words: set[str], verb: Callable[[str], bool] | None = None
) -> str | None:
    """The person a heading is about: the name written by their address, else two or
    three capitalised words that are no words of the catalogue ("New Hire"), no day or
    month."""
    by_address = _NAME_BY_ADDRESS.search(heading)
    candidates = [by_address] if by_address else []
    candidates += list(_FULL_NAME.finditer(heading))
    for match in candidates:
        words = match.group("name").split()
        if match.start() == 0 and len(words) > 2 and verb is not None and verb(words[0]):
            words = words[1:]  # "Onboard Lena Park <lena@...>": the verb, then the person
        while words and (
            words[0].lower() in known_words or words[0].lower() in _WEEKDAYS_AND_MONTHS
        ):
            words = words[1:]  # "Patient Anna Kowalski": the person, not what they are
        if any(w.lower() in _WEEKDAYS_AND_MONTHS for w in words):
            continue
        if words and (len(words) > 1 or match is by_address):
            return " ".join(words)
    return None
