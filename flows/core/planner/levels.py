"""Levels said in other words: "a critical ticket" sets a priority whose enum has no
"critical" to the enum's value of the same rank ("urgent"), and "a minor bug" a severity of
["low", "medium", "high"] to "low"."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from flows.core.planner.lexicon import split_identifier
from flows.core.planner.wiring import unwrap_nullable

#: Inputs that hold a level (a ticket's priority, an incident's severity).
_LEVEL_INPUTS = frozenset({"priority", "severity", "urgency", "importance", "level", "impact"})

#: The words of each rank, lowest first. A word said in the request sets the enum's value
#: of the same rank; at the top rank, the enum's highest value when it has none of them.
_RANKS: tuple[frozenset[str], ...] = (
    frozenset({"low", "lowest", "minor", "trivial", "cosmetic", "info", "informational"}),
    frozenset({"medium", "normal", "moderate", "warning"}),
    frozenset({"high", "major", "important", "serious", "severe", "error"}),
    frozenset({"urgent", "critical", "emergency", "blocker", "blocking", "highest"}),
)
_SAID = re.compile(
    r"\b(?P<word>" + "|".join(sorted({w for rank in _RANKS for w in rank}, key=len)[::-1]) + r")"
    r"(?:[- ](?:priority|severity|urgency|importance))?\b",
    re.IGNORECASE,
)
#: "a low balance", "high value", "top customers": the word qualifies something else when
#: one of these follows it.
_NOT_A_LEVEL = frozenset(
    "balance value amount score stock price risk customers customer volume traffic "
    "quality confidence number count".split()
)


def level_literals(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """The enum value of a level input that a word of `text` names by its rank."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        if name in taken or not is_level_input(name):
            continue
        enum = unwrap_nullable(schema).get("enum")
        if enum is None and unwrap_nullable(schema).get("type") in ("string", None):
            written = _level_named(name, text)
            if written is not None:
                found[name] = json.dumps(written)  # "with high urgency": a free text, as said
            continue
        if not isinstance(enum, list) or not all(isinstance(v, str) for v in enum):
            continue
        for match in _SAID.finditer(text):
            if qualifies_another_noun(text, match.end()):
                continue
            value = _same_rank(match.group("word").lower(), enum)
            if value is not None:
                found[name] = json.dumps(value)
                break
    return found


_LEVEL_WORDS = "|".join(sorted({w for rank in _RANKS for w in rank}, key=len)[::-1])


def _level_named(name: str, text: str) -> str | None:
    """The level word `text` writes next to the input's own name ("high urgency",
    "severity: critical"), for an input that takes any text."""
    noun = "|".join(w for w in split_identifier(name) if w in _LEVEL_INPUTS)
    if not noun:
        return None
    said = re.search(
        rf"\b(?P<a>{_LEVEL_WORDS})[- ](?:{noun})\b|\b(?:{noun})\s*(?:of|:|=|is|set\s+to)?\s*"
        rf"(?P<b>{_LEVEL_WORDS})\b",
        text,
        re.IGNORECASE,
    )
    return (said.group("a") or said.group("b")).lower() if said else None


def is_level_input(name: str) -> bool:
    """Whether input `name` holds a level (priority, severity)."""
    return bool(_LEVEL_INPUTS & set(split_identifier(name)))


def qualifies_another_noun(text: str, end: int) -> bool:
    """Whether the word ending at `end` qualifies a noun that is no level ("the low stock",
    "a high value")."""
    after = text[end:].split(None, 1)
    return bool(after) and after[0].lower().strip(".,;:") in _NOT_A_LEVEL


def enum_level(word: str, enum: list[str]) -> str | None:
    """The value of `enum` that the level `word` names: itself, or the value of its rank;
    None when `word` is no level word the planner knows, or the list has no such rank."""
    lowered = {value.lower(): value for value in enum}
    if word.lower() in lowered:
        return lowered[word.lower()]
    if not any(word.lower() in words for words in _RANKS):
        return None
    return _same_rank(word.lower(), enum)


def _same_rank(word: str, enum: list[str]) -> str | None:
    rank = next(at for at, words in enumerate(_RANKS) if word in words)
    lowered = {value.lower(): value for value in enum}
    if word in lowered:
        return lowered[word]
    same = [value for low, value in lowered.items() if low in _RANKS[rank]]
    if same:
        return same[0]
    numbered = _numbered_levels(enum)
    if numbered:
        # "high urgency" on ["p1", "p2", "p3", "p4"]: number one is the most urgent
        return numbered[min(len(_RANKS) - 1 - rank, len(numbered) - 1)]
    if rank == len(_RANKS) - 1:
        # "critical" on ["low", "medium", "high"]: the highest level it offers
        ranked = [v for low, v in lowered.items() if any(low in words for words in _RANKS)]
        if ranked:
            return max(ranked, key=lambda v: _rank_of(v.lower()))
    return None


_NUMBERED = re.compile(r"^(?P<prefix>[a-z]{0,4})(?P<n>\d)$", re.IGNORECASE)


def _numbered_levels(enum: list[str]) -> list[str]:
    """Levels written as numbers ("p1".."p4", "sev1".."sev3", "1".."5"), most urgent
    first; empty when the values are not all so."""
    matches = [_NUMBERED.match(value) for value in enum]
    if len(enum) < 2 or any(m is None for m in matches):
        return []
    if len({m.group("prefix").lower() for m in matches if m}) != 1:
        return []
    return sorted(enum, key=lambda value: int(value[-1]))


def _rank_of(word: str) -> int:
    return next(at for at, words in enumerate(_RANKS) if word in words)
