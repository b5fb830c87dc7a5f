"""Rates of pairs of codes a step looks up, and what a request asks of them beyond the rate.

An amount converted ("convert 250 USD to EUR", "how much is 100 GBP in USD?"): the lookup
gives the rate of the pair, and a value node works out the amount times the rate, which is
what the request asks for (the answer, or what is sent on). No tool converts an amount;
sending the rate alone (or asking the run for the amount converted) answers another
question. Several pairs sent ("post the EUR to USD and GBP to USD rates to #fx"): a lookup
of each, then one message of them all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flows.core.planner.echoes import acts
from flows.core.planner.lexicon import field_label, split_identifier
from flows.core.planner.named_values import CODE_PAIR
from flows.core.planner.retrieval import ScoredTool
from flows.core.planner.wiring import schema_types
from flows.core.tools import ToolSpec

_SIGNS = {"$": "USD", "\u20ac": "EUR", "\u00a3": "GBP", "\u00a5": "JPY"}
_NAMES = {"dollars": "USD", "euros": "EUR", "pounds": "GBP", "yen": "JPY"}
#: "250 USD to EUR", "$40 in GBP", "100 GBP into yen": an amount in one currency and the one
#: it is converted into
_AMOUNT_CONVERTED = re.compile(
    r"(?:(?P<sign>[$\u20ac\u00a3\u00a5])\s?(?P<signed>\d+(?:\.\d+)?)|(?P<amount>\d+(?:\.\d+)?)"
    r"\s?(?P<base>[A-Z]{3}\b|(?i:dollars|euros|pounds|yen)\b))\s+(?:to|into|in)\s+"
    r"(?P<target>[A-Z]{3}\b|(?i:dollars|euros|pounds|yen)\b)"
)
#: "post the EUR to USD and GBP to USD rates to #fx": two pairs sent, each looked up first
_PAIRS_SENT = re.compile(
    rf"\b(?P<verb>post|send|email|e-mail|text|share|message)\s+(?P<who>\S+@\S+\s+|me\s+)?"
    rf"the\s+(?:current\s+|latest\s+|live\s+)?(?P<first>{CODE_PAIR})\s*(?:,|and|&)\s*"
    rf"(?P<second>{CODE_PAIR})\s+(?P<noun>[a-z]+?)s\b"
)
_FROM_WORDS = frozenset({"base", "from", "source"})
_TO_WORDS = frozenset({"target", "to", "quote", "destination"})


@dataclass(frozen=True, slots=True)
class Conversion:
    """An amount written in `base`, asked in `target`."""

    amount: str
    base: str
    target: str

    @property
    def said(self) -> str:
        return f"{self.amount} {self.base}"


def amount_converted(text: str) -> Conversion | None:
    """The amount a step converts ("convert 250 USD to EUR"), if it writes one."""
    match = _AMOUNT_CONVERTED.search(text)
    if match is None:
        return None
    base = _SIGNS[match["sign"]] if match["sign"] else match["base"]
    base = _NAMES.get(base.lower(), base)
    target = _NAMES.get(match["target"].lower(), match["target"])
    amount = match["signed"] or match["amount"]
    return Conversion(amount, base, target) if base != target else None


def pairs_sent(text: str) -> str:
    """ "post the EUR to USD and GBP to USD rates to #fx" -> "get the EUR to USD rate and get
    the GBP to USD rate and post both to #fx": a lookup of each pair, then one message of
    both (the message had been asked of the run, and nothing looked up)."""

    def each(match: re.Match[str]) -> str:
        noun, who = match["noun"], (match["who"] or "").strip()
        return (
            f"get the {match['first']} {noun} and get the {match['second']} {noun} and "
            f"{match['verb']} both" + (f" to {who}" if who else "")
        )

    return _PAIRS_SENT.sub(each, text)


def given_to_each(inputs: Sequence[Mapping[str, str]]) -> list[str]:
    """What each of several calls of one tool was written ("EUR/USD", "GBP/USD"), by which
    a message tells their results apart; "" for all when the calls were written alike."""
    written = [
        {name: value for name, value in own.items() if value.startswith('"')} for own in inputs
    ]
    if all(own == written[0] for own in written):
        return ["" for _ in written]
    return ["/".join(str(json.loads(value)) for value in own.values()) for own in written]


def rate_field(spec: ToolSpec) -> str | None:
    """The one number a tool that changes nothing gives as a rate (`rate`, `fx_rate`)."""
    if acts(spec):
        return None
    fields = (spec.output_schema or {}).get("properties") or {}
    rates = [
        name
        for name, schema in fields.items()
        if "rate" in split_identifier(name) and schema_types(schema) & {"number", "integer"}
    ]
    return rates[0] if len(rates) == 1 else None


def _takes_a_pair(spec: ToolSpec) -> bool:
    """Whether the tool takes two codes, the one converted from and the one into."""
    names = [set(split_identifier(n)) for n in spec.input_properties()]
    return any(words & _FROM_WORDS for words in names) and any(
        words & _TO_WORDS for words in names
    )


def converter_first(
    text: str, ranked: list[tuple[float, ScoredTool]], min_score: float
) -> list[tuple[float, ScoredTool]]:
    """ "convert 100 GBP to JPY": when no tool scores enough, the one tool that gives a rate
    and takes the pair of codes converts it (the words of the step are codes and an amount,
    which no description shares)."""
    if (ranked and ranked[0][0] >= min_score) or amount_converted(text) is None:
        return ranked
    rating = [p for p in ranked if rate_field(p[1].spec) and _takes_a_pair(p[1].spec)]
    if len(rating) != 1:
        return ranked
    return [(min_score, rating[0][1]), *[p for p in ranked if p is not rating[0]]]


def converts_the_pair(inputs: Mapping[str, str], conversion: Conversion) -> bool:
    """Whether a lookup was given the pair of codes of `conversion`, in its order."""
    given = list(inputs.values())
    base, target = json.dumps(conversion.base), json.dumps(conversion.target)
    return base in given and target in given and given.index(base) < given.index(target)


def converted_value(lookup: str, rate: str, conversion: Conversion) -> dict[str, str]:
    """The value node's fields: the amount converted, its currency and the rate used."""
    return {
        # (in cents: the answer to "how much is 100 GBP in USD?" is 127.35, not 127.3499...)
        "amount": f"math.round({float(conversion.amount)!r} * double({lookup}.{rate}) * 100.0)"
        " / 100.0",
        "currency": json.dumps(conversion.target),
        "rate": f"{lookup}.{rate}",
    }


def converted_said(value_id: str, conversion: Conversion, lookup: str, spec: ToolSpec) -> str:
    """A message of the amount converted, then the rate and what else the lookup gave, a
    named line each ("250 USD = 231.50 EUR\\nRate: 0.926\\nAs of: 2026-12-04")."""
    fields: Mapping[str, Any] = (spec.output_schema or {}).get("properties") or {}
    others = [name for name in fields if "rate" not in split_identifier(name)]
    lines = [f"{conversion.said} = %.2f {conversion.target}", "Rate: %s"]
    lines += [f"{field_label(name)}: %s" for name in others]
    values = [f"{value_id}.amount", f"{value_id}.rate", *(f"{lookup}.{n}" for n in others)]
    template = json.dumps("\n".join(lines))
    return f"{template}.format([{', '.join(values)}])"
