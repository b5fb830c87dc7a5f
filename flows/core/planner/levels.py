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


def is_level_input(name: str) -> bool:
    """Whether input `name` holds a level (priority, severity)."""
    return bool(_LEVEL_INPUTS & set(split_identifier(name)))


def qualifies_another_noun(text: str, end: int) -> bool:
    """Whether the word ending at `end` qualifies a noun that is no level ("the low stock",
    "a high value")."""
    after = text[end:].split(None, 1)
    return bool(after) and after[0].lower().strip(".,;:") in _NOT_A_LEVEL


def _same_rank(word: str, enum: list[str]) -> str | None:
    rank = next(at for at, words in enumerate(_RANKS) if word in words)
    lowered = {value.lower(): value for value in enum}
    if word in lowered:
        return lowered[word]
    same = [value for low, value in lowered.items() if low in _RANKS[rank]]
    if same:
        return same[0]
    if rank == len(_RANKS) - 1:
        # "critical" on ["low", "medium", "high"]: the highest level it offers
        ranked = [v for low, v in lowered.items() if any(low in words for words in _RANKS)]
        if ranked:
            return max(ranked, key=lambda v: _rank_of(v.lower()))
    return None


def _rank_of(word: str) -> int:
    return next(at for at, words in enumerate(_RANKS) if word in words)
