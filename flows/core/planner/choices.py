"""Values a step writes for an input that takes one of a list (an enum): "ship it via FedEx"
(`carrier: "fedex"`), "a high priority ticket" (`priority: "high"`). A value written another
way ("Federal Express", "U.P.S.") is that value; one the list does not have ("via Royal
Mail", "a critical priority ticket") is named, so the planner refuses the step instead of
dropping what it asked for."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from flows.core.planner.levels import enum_level, is_level_input
from flows.core.planner.lexicon import split_identifier
from flows.core.planner.wiring import unwrap_nullable

#: "via Royal Mail", "using DHL Express", "with FedEx", "by UPS": a provider named by its
#: capitalised name (lower case only after via/using/through, which say nothing else).
_BY_NAME = re.compile(
    r"\b(?:via|using|through|with|by)\s+(?P<name>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})"
)
_BY_NAME_LOWER = re.compile(
    r"\b(?:via|using|through)\s+(?P<name>[a-z][\w&'-]*(?:\s+[a-z][\w&'-]*){0,2}?)"
    r"(?=\s*(?:$|[,.;:!?)]|\s(?:and|then|to|for|with|if|unless|when|once|so|but|or)\b))"
)
#: "by royal mail", "by pigeon post": a provider said in lower case after "by" (which
#: alone says too much else: "by Friday", "by the team") is a name before "mail" or "post"
_BY_POST = re.compile(
    # (a kind of service is no provider: "by standard post", "by registered mail")
    r"\bby\s+(?P<name>(?!(?:e-?|regular|normal|postal|snail|standard|express|priority|registered|"
    r"certified|first[- ]class|second[- ]class|overnight|air|surface|ordinary|tracked)\s)"
    r"[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?"
    r"\s+(?:mail|post))\b"
)
#: What follows "via" / "by" that names no provider.
_NOT_NAMES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april
    dr doctor mr mrs ms miss prof professor nurse
    may june july august september october november december today tomorrow tonight noon
    midnight eod eow the a an our their its his her my your this that email e-mail mail sms
    text api default hand i it them him us me
    """.split()
)
#: Words around an input's name that say nothing of its value ("the carrier", "a priority
#: ticket", "carrier and service").
_FUNCTION_WORDS = frozenset(
    """
    a an the its their his her our your my this that these those any each every some no
    same default usual right correct chosen selected given provided proper appropriate
    and or but to of for from in on at by as with is are be was set use used using via
    if when then level value field code whatever which what new whose one ones
    """.split()
)


@dataclass(frozen=True, slots=True)
class UnlistedChoice:
    """A value the step writes for `name` that its list (`allowed`) does not have."""

    phrase: str
    name: str
    allowed: tuple[str, ...]


def _choices(schema: Any) -> list[str]:
    enum = unwrap_nullable(schema).get("enum") if isinstance(schema, dict) else None
    return [v for v in enum or () if isinstance(v, str) and v]


def _squashed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def spelled_choice(phrase: str, allowed: Collection[str]) -> str | None:
    """The value of `allowed` that `phrase` is another spelling of: the same letters
    ("Fed-Ex", "U.P.S."), or the value made of the start of each word in turn ("Federal
    Express": fedex, "United Parcel Service": ups, "US Postal Service": usps)."""
    squashed = _squashed(phrase)
    words = [_squashed(w) for w in phrase.split() if _squashed(w)]
    if any(_squashed(value) == squashed for value in allowed):
        return next(value for value in allowed if _squashed(value) == squashed)
    if squashed.endswith("ing") and len(squashed) > 5:
        # "a cleaning task" for `task`: clean, the value the doing is named for
        done = {squashed[:-3], f"{squashed[:-3]}e"}
        named = [value for value in allowed if _squashed(value) in done]
        if len(named) == 1:
            return named[0]
    # the value that keeps most of what was written ("US Postal Service": usps, not ups)
    starts = [
        value
        for value in allowed
        if _squashed(value) and len(words) >= 2 and _starts_of(words, _squashed(value))
    ]
    return max(starts, key=lambda value: len(_squashed(value)), default=None)


def _starts_of(words: list[str], target: str) -> bool:
    """Whether `target` is a non-empty start of each of `words`, in order, joined."""
    if not words:
        return not target
    head, rest = words[0], words[1:]
    for size in range(min(len(head), len(target)), 0, -1):
        if head[:size] == target[:size] and _starts_of(rest, target[size:]):
            return True
    return False


def _names_enum(values: list[str], english: Collection[str]) -> bool:
    """Whether a list names providers (fedex, dhl, usps) rather than kinds (standard,
    express): most of its values are not English words, nor codes with a digit (P1..P5, a
    level or tier, which a provider said after "via" is not)."""
    return sum(
        v.lower() not in english and not any(c.isdigit() for c in v) for v in values
    ) * 2 > len(values)


def _kind_words(name: str) -> list[str]:
    return [w for w in split_identifier(name) if len(w) > 2 and w not in {"type", "kind"}]


def _written_values(
    text: str, name: str, values: list[str], known: Collection[str], english: Collection[str]
) -> list[str]:
    """What `text` writes as the value of the input `name` (its words next to the input's
    name, or a provider's name after via/with/by when the list names providers)."""
    if _named_in_words(text, values) is not None:
        # ("send a missing documents letter to APP-1": a value of several words said whole
        # is the one; "documents" and "APP-1" beside "letter" were read as others)
        return []
    written: list[str] = []
    for kind in _kind_words(name):
        before = re.compile(rf"\b([\w-]+)[\s-]+{kind}s?\b", re.IGNORECASE)
        after = re.compile(
            rf"\b{kind}s?(?:\s*[:=]\s*|\s+(?:(?:is|of|set\s+to|to)\s+)?)[\"']?"
            # ("carrier Royal Mail": a name of a few capitalised words, whole)
            r"((?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})|[\w-]+)",
            re.IGNORECASE,
        )
        said_before = list(before.finditer(text))
        listed = {v.lower() for v in values}
        # ("with high priority so an agent calls back": the value said before its name
        # is the one; the word after it starts the rest of the sentence)
        if any(match.group(1).lower() in listed for match in said_before):
            said_after = []
        else:
            said_after = list(after.finditer(text))
        for match in (*said_before, *said_after):
            word = match.group(1)
            lowered = word.lower()
            if lowered in _FUNCTION_WORDS or lowered.isdigit() or lowered in known:
                continue
            written.append(word)
    if _names_enum(values, english):
        for pattern in (_BY_NAME, _BY_NAME_LOWER, _BY_POST):
            for match in pattern.finditer(text):
                phrase = match.group("name").strip(".'")
                if phrase.split()[0].lower() not in _NOT_NAMES:
                    written.append(phrase)
    return written


def choice_literals(
    properties: Mapping[str, Any],
    text: str,
    taken: Mapping[str, str],
    *,
    known: Collection[str] = (),
    english: Collection[str] = (),
) -> dict[str, str]:
    """Literals for the list inputs `text` names by another spelling of a value."""
    literals: dict[str, str] = {}
    for name, schema in properties.items():
        values = _choices(schema)
        if name in taken or not values:
            continue
        for phrase in _written_values(text, name, values, known, english):
            value = spelled_choice(phrase, values)
            if value is not None:
                literals[name] = json.dumps(value)
                break
        else:
            named = _named_in_words(text, values)
            if named is not None:
                literals[name] = json.dumps(named)
    return literals


def _named_in_words(text: str, values: list[str]) -> str | None:
    """A value of several words written out in `text` ("order her a MacBook Pro":
    macbook_pro), wherever it stands; a value of one word says too little on its own.
    Else one with a word between two of its own ("from the next billing cycle":
    next_cycle); else "now" said as "right away", "immediately"."""
    for between in (r"[\s_-]*", r"[\s_-]+(?:[a-z]+\s+)?"):
        found = [
            value
            for value in values
            if len(parts := [p for p in re.split(r"[_\s-]+", value) if p]) > 1
            and re.search(
                r"(?<![\w-])" + between.join(re.escape(p) for p in parts) + r"(?![\w-])",
                text,
                re.IGNORECASE,
            )
        ]
        if found:
            return max(found, key=len)
    if "now" in values and _AT_ONCE.search(text):
        return "now"
    return None


#: "right away", "immediately": the value "now" a list may have (when a change applies).
_AT_ONCE = re.compile(
    r"\b(?:right\s+away|straight\s+away|immediately|right\s+now|effective\s+now)\b", re.I
)


def unlisted_choice(
    properties: Mapping[str, Any],
    text: str,
    *,
    known: Collection[str] = (),
    english: Collection[str] = (),
) -> UnlistedChoice | None:
    """A value `text` writes for a list input that the list does not have, in any spelling."""
    for name, schema in properties.items():
        values = _choices(schema)
        if not values:
            continue
        every = {v.lower() for spec_values in _all_values(properties) for v in spec_values}
        for phrase in _written_values(text, name, values, known, english):
            if phrase.lower() in every or spelled_choice(phrase, values) is not None:
                continue
            if all(_squashed(word) in {_squashed(v) for v in every} for word in phrase.split()):
                continue  # "DHL Express": a carrier and a service, each listed
            if any(spelled_choice(phrase, other) for other in _all_values(properties)):
                continue
            return UnlistedChoice(phrase, name, tuple(values))
    return _level_said_by_another_name(properties, text)


def _level_said_by_another_name(properties: Mapping[str, Any], text: str) -> UnlistedChoice | None:
    """ "with severity sev1" for a tool whose level input is its `urgency` (high, low): the
    level is asked for under another name, and its list has neither that value nor one of
    the same rank, so it would be dropped."""
    match = _SETTING.search(text)
    if match is None:
        return None
    field = (match.group("field") or match.group("field2")).lower()
    value = match.group("value") or match.group("before")
    levels = [
        (name, values)
        for name, schema in properties.items()
        if is_level_input(name) and (values := _choices(schema))
    ]
    if len(levels) != 1 or field in split_identifier(levels[0][0]):
        return None  # the input's own name: the words beside it were read already
    name, values = levels[0]
    if value.lower() in _FUNCTION_WORDS or enum_level(value, values) is not None:
        return None
    return UnlistedChoice(value, name, tuple(values))


def _all_values(properties: Mapping[str, Any]) -> list[list[str]]:
    return [values for schema in properties.values() if (values := _choices(schema))]


#: "with priority P0", "a high-priority ticket", "severity: sev1": a setting a step asks for.
_SETTING = re.compile(
    r"\b(?:with\s+(?:a\s+|an\s+)?|at\s+)(?P<field>priority|severity|urgency)\s*(?:[:=]\s*|of\s+|\s)"
    r"[\"']?(?P<value>[\w-]+)"
    r"|\b(?:with|as|at)\s+(?:a\s+|an\s+)?(?P<before>[\w]+)[\s-](?P<field2>priority|severity|urgency)\b",
    re.IGNORECASE,
)
#: Inputs that hold how urgent or serious something is, whatever the tool calls them.
_LEVEL_WORDS = frozenset({"priority", "severity", "urgency", "level", "importance", "sev"})


def setting_not_taken(properties: Mapping[str, Any], text: str) -> tuple[str, str] | None:
    """(setting, value) when `text` asks for a priority, severity or urgency and the tool
    has no input for any of them ("open a Jira issue with priority P0" where the issue
    tool takes only a project, a summary and a description): the value would be lost."""
    match = _SETTING.search(text)
    if match is None:
        return None
    if any(set(split_identifier(name)) & _LEVEL_WORDS for name in properties):
        return None
    field = (match.group("field") or match.group("field2")).lower()
    return field, match.group("value") or match.group("before")
