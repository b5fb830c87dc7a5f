"""Who a step is for, said with a relative clause: "send a thank-you email to customers who
leave positive feedback", "send everyone who isn't found a welcome email". The run is about
one person; "who ..." is then the condition the step runs under ("if they leave positive
feedback, send them a thank-you email")."""

from __future__ import annotations

import re

_PEOPLE = (
    r"(?:customers?|users?|people|clients?|members?|subscribers?|buyers?|shoppers?|"
    r"employees?|applicants?|signups?|anyone|everyone|everybody|anybody|those|them)"
)
#: "notify the customer that their payment failed": after "that", a subject of its own
#: starts what the message says, not who the people are
_SAID_TO_THEM = (
    r"(?!that\s+(?:their|our|the|we|we're|it|it's|its|they|they're|he|she|you|i|a|an|his|"
    r"her|this|there|your|my)\b)"
)
#: "... to customers who leave positive feedback" (the people end the step)
_TO_WHOM = re.compile(
    rf"^(?P<head>.+?)\s+to\s+(?:all\s+|any\s+|the\s+)?{_PEOPLE}\s+{_SAID_TO_THEM}"
    r"(?P<rel>who|that|whose)\s+"
    r"(?P<cond>.+)$",
    re.IGNORECASE,
)
#: "send everyone who isn't found a welcome email" (the people between verb and object)
_WHOM_FIRST = re.compile(
    rf"^(?P<verb>(?:\w+\s+){{0,2}}?(?:send|email|give|notify|message))\s+"
    rf"(?:all\s+|any\s+|the\s+)?{_PEOPLE}\s+{_SAID_TO_THEM}(?P<rel>who|that|whose)\s+"
    r"(?P<cond>.+?)\s+"
    r"(?P<object>(?:an?|the|their|our)\s+.+)$",
    re.IGNORECASE,
)
_IS = {"is": "are", "isn't": "aren't", "was": "were", "wasn't": "weren't", "has": "have"}
_HAS = {"hasn't": "haven't", "doesn't": "don't", "does": "do"}


def for_whom(sentence: str) -> str | None:
    """The sentence with its "to <people> who <condition>" said as a condition first, or
    None when it has none."""
    text = sentence.strip()
    match = _TO_WHOM.match(text)
    if match is not None:
        return f"if {_said_of_them(match)}, {match.group('head')} to them"
    match = _WHOM_FIRST.match(text)
    if match is not None:
        return f"if {_said_of_them(match)}, {match.group('verb')} them {match.group('object')}"
    return None


def _said_of_them(match: re.Match[str]) -> str:
    if match.group("rel").lower() == "whose":
        return f"their {match.group('cond')}"  # "whose order was declined"
    return f"they {_plural_verb(match.group('cond'))}"


def _plural_verb(condition: str) -> str:
    """ "leaves positive feedback" / "isn't found" said of "they"."""
    words = condition.split()
    if not words:
        return condition
    first = words[0].lower()
    if first in _IS:
        words[0] = _IS[first]
    elif first in _HAS:
        words[0] = _HAS[first]
    elif first.endswith("ies") and len(first) > 4:
        words[0] = first[:-3] + "y"
    elif first.endswith("s") and not first.endswith("ss"):
        words[0] = first[:-1]
    return " ".join(words)
