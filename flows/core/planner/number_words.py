"""Amounts written in words ("seventy five dollars", "one hundred and twenty euros") as the
digits the rest of the planner reads ("75 dollars", "120 euros").

Only an amount followed by a currency word is rewritten: "one of the orders", "two
approvals" and "a hundred ways" stay words.
"""

from __future__ import annotations

import re

_UNITS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate(
        "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2
    )
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, *_SCALES, "a", "and"])
#: "bucks" is dollars; the rest are read by the planner's money patterns as they are.
_CURRENCY_WORDS = r"dollars?|bucks|euros?|pounds?|usd|eur|gbp|cad|aud|chf|yen"
_CENTS_WORD = "|".join([*_TENS, *(w for w in _UNITS if w != "zero")])
_AMOUNT_IN_WORDS = re.compile(
    rf"\b(?P<words>(?!and\b)(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}))*)\s+"
    rf"(?P<currency>{_CURRENCY_WORDS})\b"
    # ("fifteen euros fifty", "ten dollars and five cents": the cents said after it)
    rf"(?:(?:\s+and)?\s+(?P<cents>(?:{_CENTS_WORD})(?:[\s-]+(?:{_CENTS_WORD}))?)"
    r"(?:\s+(?:cents?|pence|p))?\b(?!\s+(?:times|of|more|percent|items|units|people)\b))?",
    re.IGNORECASE,
)


def amounts_in_words_as_digits(text: str) -> str:
    """ "charge order 5 seventy five dollars" -> "charge order 5 75 dollars"."""
    return _AMOUNT_IN_WORDS.sub(_as_digits, text)


def _as_digits(match: re.Match[str]) -> str:
    value = words_value(match["words"])
    if value is None:
        return match.group(0)
    currency = "dollars" if match["currency"].lower() == "bucks" else match["currency"]
    cents = words_value(match["cents"]) if match["cents"] else None
    if match["cents"] and (cents is None or cents >= 100):
        return f"{value} {currency}{match.group(0)[match.end('currency') - match.start() :]}"
    return f"{value}.{cents:02d} {currency}" if cents is not None else f"{value} {currency}"


def words_value(words: str) -> int | None:
    """The number `words` say ("one hundred and twenty" -> 120), or None if they say none
    ("a", "and" alone, or words in an order no number is written in)."""
    total, current, said = 0, 0, False
    for word in re.split(r"[\s-]+", words.lower().strip()):
        if word == "and":
            continue
        if word == "a":
            if said or current:
                return None  # ("one a hundred")
            current = 1
            continue
        if word in _UNITS:
            if current % 10 or (current and current < 10):
                return None  # ("five six")
            current += _UNITS[word]
        elif word in _TENS:
            if current % 100:
                return None  # ("twenty thirty")
            current += _TENS[word]
        elif word == "hundred":
            if not current or current >= 100:
                return None
            current *= 100
        else:
            scale = _SCALES[word]
            if not current:
                return None
            total, current = total + current * scale, 0
        said = True
    return total + current if said else None
