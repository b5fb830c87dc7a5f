"""Codes a step writes that no rule gave to an input: "charge £840 for booking TRV-5521"
(the tool's id input is `order_id`), "enrol these students in CHEM-210" (`course_id`).
A code whose letters start the name of one of the ids left is that id's ("with C-21":
the clinician, "for P-55": the patient). Then a code is the value of the step's one
required id left unfilled; with two left, the code after "in" is the id of the one named
for where things are (a course, a project), and the other code is the other id. Anything
less clear is left to the run's input."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from flows.core.planner.lexicon import split_identifier
from flows.core.planner.wiring import schema_types, unwrap_nullable

#: A code: letters and digits together ("CHEM-210", "lab5", "TRV-5521", "u_9"), not an
#: email, a URL, a date, a version ("v2.1") or an amount ("30-minute", "2x").
_CODE = re.compile(
    r"(?<![\w@./:#+$£€-])(?P<code>(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z][\w]*(?:-[\w]+)*)"
    r"(?![\w@]|\.\w|:\d)"
)
_NOT_CODES = re.compile(
    r"^(?:v\d.*|\d+(?:st|nd|rd|th|x|k|m|h|s|am|pm|px|mb|gb|kg)|[a-z]+-(?:minute|hour|day|week)s?)$",
    re.IGNORECASE,
)
#: Nouns for where things are kept: "in CHEM-210" names one of them.
_PLACES = frozenset(
    "course class section project board folder workspace space team channel group repo "
    "repository account org organisation organization list calendar table sheet queue".split()
)
_ID_SUFFIXES = frozenset({"id", "code", "ref", "reference", "number", "no", "num"})


def leftover_codes(
    properties: Mapping[str, Any],
    required: list[str],
    text: str,
    taken: Mapping[str, str],
    *,
    description: str = "",
) -> dict[str, str]:
    """{input: JSON literal} for the required id inputs not in `taken` that a code of
    `text` nothing else used fills; `description` is the tool's, which may say what a code
    after "to" or "from" is."""
    wanted = _ids_left(properties, required, taken)
    if not wanted or len(wanted) > 2:
        return {}
    used = " ".join(str(value) for value in taken.values())
    enums = {
        str(value).lower()
        for schema in properties.values()
        for value in unwrap_nullable(schema or {}).get("enum") or []
    }
    codes = [
        match
        for match in _CODE.finditer(text)
        # ("add tom@... to MATH-300": where to, which no id input says it takes)
        if not re.search(r"\b(?:to|from|at|into|onto)\s+(?:the\s+)?$", text[: match.start()], re.I)
        and match.group("code") not in used
        and not _NOT_CODES.match(match.group("code"))
        and match.group("code").lower() not in enums
    ]
    found = _codes_where_the_tool_says(wanted, text, description, used)
    wanted = [name for name in wanted if name not in found]
    for match in list(codes):
        # "book them with C-21": C for the clinician, P for the patient
        noun = _id_its_letters_begin(match.group("code"), wanted)
        if noun is not None and noun not in found:
            found[noun] = json.dumps(match.group("code"))
            codes.remove(match)
    wanted = [name for name in wanted if name not in found]
    listed = {m.span() for m in codes}
    for match in _CODE.finditer(text):
        # ("is there a bike free at ST-112": a code after "at" whose letters begin the noun
        # of an id left is that id's, as any code's is: `station_id`)
        code = match.group("code")
        if (
            match.span() in listed
            or code in used
            or json.dumps(code) in found.values()
            or _NOT_CODES.match(code)
        ):
            continue
        noun = _id_its_letters_begin(match.group("code"), wanted)
        if noun is not None and noun not in found and len(code.split("-")[0]) > 1:
            found[noun] = json.dumps(code)
    wanted = [name for name in wanted if name not in found]
    if not codes or not wanted:
        return found
    if len(codes) != len(wanted):
        return found
    if len(wanted) == 1:
        return {**found, wanted[0]: json.dumps(codes[0].group("code"))}
    places = [name for name in wanted if split_identifier(name)[0] in _PLACES]
    inside = [m for m in codes if re.search(r"\bin\s+(?:the\s+)?$", text[: m.start()], re.I)]
    if len(places) != 1 or len(inside) != 1:
        return found
    other = next(name for name in wanted if name != places[0])
    rest = next(m for m in codes if m is not inside[0])
    return {
        **found,
        places[0]: json.dumps(inside[0].group("code")),
        other: json.dumps(rest.group("code")),
    }


def codes_by_their_letters(
    properties: Mapping[str, Any], required: list[str], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """{input: JSON literal} for the required ids left whose noun the letters of a code
    in `text` begin: "for P-7781 (a cat): record ..." said first is the pet's (`pet_id`)."""
    wanted = _ids_left(properties, required, taken)
    found: dict[str, str] = {}
    for match in _CODE.finditer(text):
        noun = _id_its_letters_begin(match.group("code"), wanted)
        if noun is not None and noun not in found and not _NOT_CODES.match(match.group("code")):
            found[noun] = json.dumps(match.group("code"))
    return found


def _ids_left(
    properties: Mapping[str, Any], required: list[str], taken: Mapping[str, str]
) -> list[str]:
    """The required id inputs (`pet_id`, `order_no`) no value fills yet."""
    return [
        name
        for name in required
        if name not in taken
        and split_identifier(name)[-1:]
        and split_identifier(name)[-1] in _ID_SUFFIXES
        and "string" in (schema_types(unwrap_nullable(properties.get(name) or {})) or set())
    ]


def _id_its_letters_begin(code: str, wanted: list[str]) -> str | None:
    """The one id of `wanted` whose noun the code's letters begin (C-21: `clinician_id`)."""
    prefix = re.match(r"[A-Za-z]+", code)
    nouns = [
        name
        for name in wanted
        if prefix and split_identifier(name)[0].startswith(prefix.group(0).lower())
    ]
    return nouns[0] if len(nouns) == 1 else None


_AFTER_A_PLACE_WORD = re.compile(r"\b(?P<word>to|from|into|onto)\s+(?:the\s+)?$", re.IGNORECASE)


def _codes_where_the_tool_says(
    wanted: list[str], text: str, description: str, used: str
) -> dict[str, str]:
    """ "Assign job J-12 to TRK-20" over "Assign a delivery job to a vehicle", "a donation
    from DN-9" over "Record a donation from a donor": a code after "to"/"from" is the id of
    what the tool's description puts after that word (`vehicle_id`, `donor_id`), not a
    place it goes to, which is left to the run."""
    found: dict[str, str] = {}
    for match in _CODE.finditer(text):
        before = _AFTER_A_PLACE_WORD.search(text[: match.start()])
        code = match.group("code")
        if before is None or code in used or _NOT_CODES.match(code):
            continue
        # ("add tom@... to MATH-300" over "Enrol a student in a Canvas course": what a thing
        # is added to is what the tool puts it in)
        word = "(?:to|in|into)" if before["word"].lower() == "to" else before["word"]
        said = re.compile(
            rf"\b{word}\s+(?:an?|the|its|their)\s+(?P<noun>[a-z]+)(?:\s+(?P<head>[a-z]+))?\b",
            re.I,
        )
        # ("Book a member into a group class": the class, a word after the first too)
        nouns = {
            word.lower()
            for m in said.finditer(description)
            for word in m.group("noun", "head")
            if word
        }
        ids = [name for name in wanted if split_identifier(name)[0] in nouns]
        if not ids and nouns and len(wanted) == 1:
            # "Post a charge to a reservation's guest folio": a thing goes after "to", and the
            # one id left (`confirmation_no`) is how the tool takes it ("to HX-812's folio")
            ids = list(wanted)
        sends = before["word"].lower() == "to" and _SENDS.match(description)
        if not ids and len(wanted) == 1 and sends:
            # "send the offer letter to APP-7" over "Email the applicant a letter": whom a
            # message goes to, by the one id the tool takes
            ids = list(wanted)
        if len(ids) == 1 and ids[0] not in found:
            found[ids[0]] = json.dumps(code)
    return found


#: A description that says the tool sends someone something ("Email the applicant ...").
_SENDS = re.compile(r"^\s*(?:e-?mail|send|text|mail|message|notify)\b", re.IGNORECASE)


#: A long number written alone (ten digits or more): a card's, a meter's, a SIM's.
_LONG_NUMBER = re.compile(r"(?<![\w.+-])(?P<number>\d{10,})(?![\w.-])")
#: Inputs that hold words, never a number written alone.
_WORDED = frozenset(
    "text body message description note notes name address subject reason title comment "
    "email url phone msisdn to".split()
)


def long_number_left(
    properties: Mapping[str, Any], required: list[str], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "swap 07700 900789 onto the new SIM 8944100000000012345" for `tel_sim_swap`
    (`msisdn`, `iccid`): one long number no value used, for the one required text input
    left, whose name says no words (`iccid`), is its value rather than a run input."""
    left = [
        name
        for name in required
        if name not in taken
        and schema_types(unwrap_nullable(properties.get(name) or {})) == {"string"}
        and not unwrap_nullable(properties.get(name) or {}).get("enum")
        and not unwrap_nullable(properties.get(name) or {}).get("format")
        and not set(split_identifier(name)) & _WORDED
    ]
    used = " ".join(str(value) for value in taken.values())
    numbers = [
        m["number"] for m in _LONG_NUMBER.finditer(text) if m["number"] not in used.replace(" ", "")
    ]
    if len(left) != 1 or len(numbers) != 1:
        return {}
    return {left[0]: json.dumps(numbers[0])}
