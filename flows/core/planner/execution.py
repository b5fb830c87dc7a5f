"""How a step should run, said in words: retries ("retry up to 3 times if it fails") and a
time limit ("with a 10-second timeout"). The words are taken out of the step before it is
read, and become the node's `retry` and `timeout_s`."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The most attempts a node may have (the IR's limit).
MAX_ATTEMPTS = 20

_COUNTS = {
    "once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_COUNT = r"(?P<count>\d{1,2}|" + "|".join(_COUNTS) + r")"
_UNIT = r"(?P<unit>seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)"
#: Seconds in a unit, by its first letter (the planner's other durations use days too).
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: "... if it fails", "on errors", "when the payment service times out"
_FAILURE = (
    r"\s+(?:if|when|whenever|on|upon|in\s+case(?:\s+of)?)\s+"
    r"(?:(?:it|that|this|they|there\s+(?:is|are)\s+(?:an?\s+)?)\s+|the\s+[\w-]+(?:\s+[\w-]+)?\s+)?"
    r"(?:fails?|failures?|errors?|errs|times?\s+out|timeouts?|goes\s+wrong|is\s+down|"
    r"is\s+unavailable|does\s*n[o']t\s+(?:answer|respond))\b"
)
_ON_FAILURE = f"(?:{_FAILURE})?"
_LEAD = r"[\s,;:(]*(?:(?:and|but)\s+)?"
#: "if it fails, retry 3 times": the failure said before the retry.
_FAILURE_FIRST = (
    r"(?:(?:if|when|whenever|should)\s+(?:it|that|this|they|the\s+[\w-]+(?:\s+[\w-]+)?)\s+"
    r"(?:fails?|errors?|times?\s+out|goes\s+wrong)\s*,?\s*(?:then\s+)?)?"
)
_RETRIES = re.compile(
    _LEAD
    + _FAILURE_FIRST
    + r"(?:(?:retry|re-try|retrying|retried)(?:\s+(?:it|them|that|the\s+\w+))?|"
    r"try(?:ing)?\s+(?:it\s+|them\s+)?again)\s+(?:up\s+to\s+|at\s+most\s+|a\s+maximum\s+of\s+)?"
    + _COUNT
    + r"(?:\s+(?:more\s+)?times?)?"
    + _ON_FAILURE
    + r"|"
    + _LEAD
    + r"with\s+(?:up\s+to\s+|at\s+most\s+)?"
    + _COUNT.replace("count", "count2")
    + r"\s+retr(?:y|ies)"
    + _ON_FAILURE,
    re.IGNORECASE,
)
#: Retries said with no count: "retry if it fails", "retrying on failure", "retry if
#: needed", "with retries", "retry a few times". A few is three, a couple two, and none
#: said is DEFAULT_RETRIES (three attempts in all, as n8n's and Celery's retries default to).
DEFAULT_RETRIES = 2
_FEW = {"a few": 3, "a couple": 2, "a couple of": 2, "several": 3}
_WHEN_NEEDED = r"\s+(?:if|when|as)\s+(?:needed|necessary|required)\b"
_RETRIES_UNCOUNTED = re.compile(
    _LEAD
    + f"(?P<first>{_FAILURE_FIRST})"
    + r"(?:(?:retrying|retried|retry|re-try)\b(?:\s+(?:it|them|that|the\s+\w+))?|"
    r"try(?:ing)?\s+(?:it\s+|them\s+)?again)"
    r"(?:\s+(?P<few>a\s+few|a\s+couple(?:\s+of)?|several)\s+(?:more\s+)?times?)?"
    rf"(?P<why>{_FAILURE}|{_WHEN_NEEDED})?"
    + "|"
    + _LEAD
    + r"(?P<with>with\s+(?:automatic\s+)?retries)\b"
    + _ON_FAILURE,
    re.IGNORECASE,
)
_ATTEMPTS = re.compile(
    _LEAD
    + r"(?:(?:try|trying)(?:\s+(?:it|them))?\s+(?:up\s+to\s+|at\s+most\s+)?"
    + _COUNT
    + r"\s+times|with\s+(?:up\s+to\s+|at\s+most\s+)?"
    + _COUNT.replace("count", "count2")
    + r"\s+attempts)",
    re.IGNORECASE,
)
#: "Retry the page fetch up to 5 times": a step named by a noun, to run with retries.
#: "with no retries", "and without retrying", "don't retry": one attempt
_NO_RETRIES = re.compile(
    r"(?:,?\s*(?:and\s+|but\s+)?(?:with\s+)?no\s+retr(?:y|ies)|,?\s*(?:and\s+|but\s+)?"
    r"without\s+(?:any\s+)?retr(?:y|ies|ying)|,?\s*(?:and\s+|but\s+)?(?:do\s+not|don't|never)"
    r"\s+retry(?:\s+(?:it|them))?)\b",
    re.IGNORECASE,
)
_RETRY_STEP = re.compile(
    r"^\s*(?:please\s+)?(?:retry|re-try)\s+(?P<step>(?:the|a|an|each)\s+[\w-]+(?:\s+[\w-]+)?"
    # "Retry the charge of order 15 up to 3 times", "Retry charging order 15 3 times"
    r"(?:\s+of\s+[\w-]+(?:\s+[\w-]+)?)?|[a-z]+ing(?:\s+(?!up\b|at\b)[\w$.-]+){0,4})\s+"
    r"(?:up\s+to\s+|at\s+most\s+|a\s+maximum\s+of\s+)?"
    + _COUNT
    + r"(?:\s+(?:more\s+)?times?)?"
    + _ON_FAILURE,
    re.IGNORECASE,
)
#: "try charging the card up to 5 times", "attempt to charge it at most 3 times": the step
#: sits between "try" and the count.
_TRY_STEP = re.compile(
    r"\b(?:try|trying|attempt|attempting)\s+(?:to\s+)?(?P<step>(?!(?:it|them|again)\b)[a-z]"
    r"[^,;.]*?)\s+(?:up\s+to\s+|at\s+most\s+|a\s+maximum\s+of\s+)?" + _COUNT + r"\s+times\b",
    re.IGNORECASE,
)
_TIMEOUT = re.compile(
    _LEAD
    + r"(?:with\s+an?\s+(?P<n1>\d+(?:\.\d+)?)[\s-]*"
    + _UNIT.replace("unit", "u1")
    + r"\s+time-?\s?out|(?:with\s+)?an?\s+time-?\s?out\s+of\s+(?P<n2>\d+(?:\.\d+)?)\s*"
    + _UNIT.replace("unit", "u2")
    + r"|(?:giving\s+up|give\s+up|timing\s+out|time\s+out|stop(?:ping)?)\s+after\s+"
    r"(?P<n3>\d+(?:\.\d+)?)\s*" + _UNIT.replace("unit", "u3") + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RunSettings:
    """A step's attempts in all (the first included) and time limit, where the words said."""

    max_attempts: int | None = None
    timeout_s: float | None = None

    def __bool__(self) -> bool:
        return self.max_attempts is not None or self.timeout_s is not None

    def node_fields(self) -> dict[str, object]:
        """The node's fields that say so."""
        fields: dict[str, object] = {}
        if self.max_attempts is not None:
            fields["retry"] = {"max_attempts": self.max_attempts}
        if self.timeout_s is not None:
            fields["timeout_s"] = self.timeout_s
        return fields


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNTS[word.lower()]


def retries_of(said: str | None) -> int:
    """The retries a count says ("3", "twice", "a few"), or DEFAULT_RETRIES when none is."""
    if not said:
        return DEFAULT_RETRIES
    words = " ".join(said.lower().split())
    return _FEW[words] if words in _FEW else _count(words)


#: "if the payment fails, retry twice and then email the customer": the retries, then the
#: email, which still waits on the failure the retries did not mend ("if it fails, retry 3
#: times, then email the owner" is a step of its own after the retried one).
_RETRY_THEN = re.compile(
    r"(?P<failure>\b(?:if|when|whenever|should)\s+(?:it|that|this|they|the\s+[\w-]+(?:\s+[\w-]+)?)"
    r"\s+(?:fails?|errors?|times?\s+out|goes\s+wrong|is\s+declined))\s*,?\s*(?:then\s+)?"
    r"(?P<retry>(?:retry|re-try|try\s+again)(?:\s+(?:it|them|that))?(?:\s+(?:up\s+to\s+|"
    r"at\s+most\s+)?"
    + _COUNT
    + r"(?:\s+(?:more\s+)?times?)?)?)\s*,?\s+and\s+(?:then|after\s+that|afterwards)\s*,?\s+"
    r"(?=\w)",
    re.IGNORECASE,
)


def failure_after_retries(sentence: str) -> str:
    """`sentence` with "if it fails, retry (N times) and then X" said as "retry N times, then
    if it fails, X": X is still conditional on the failure."""

    def retries_first(match: re.Match[str]) -> str:
        # with no count, the retries are said with their failure ("retry if it fails")
        retry = match["retry"] if match["count"] else f"{match['retry']} {match['failure']}"
        return f"{retry}, then {match['failure']}, "

    return _RETRY_THEN.sub(retries_first, sentence)


def _retries_uncounted(text: str) -> re.Match[str] | None:
    """Retries said with no count, and with why or how many ("retry" alone names a step:
    "retry the payment")."""
    for match in _RETRIES_UNCOUNTED.finditer(text):
        if any(match.group(said) for said in ("first", "few", "why", "with")):
            return match
    return None


def run_settings(text: str) -> tuple[str, RunSettings]:
    """`text` without the words about retries and a time limit, and what they said.

    "retry up to 3 times" is three retries (four attempts); "try up to 3 times" and "with
    3 attempts" are three attempts."""
    attempts = None
    match = _RETRY_STEP.match(text)
    if match is not None:
        # "Retry the page fetch up to 5 times": the fetch, with retries
        attempts = _count(match.group("count")) + 1
        text = match.group("step") + text[match.end() :]
        match = None
    else:
        match = _RETRIES.search(text)
    if match is not None:
        retries = _count(match.group("count") or match.group("count2"))
        attempts = retries + 1
        text = text[: match.start()] + text[match.end() :]
    else:
        match = _ATTEMPTS.search(text)
        if match is not None:
            attempts = _count(match.group("count") or match.group("count2"))
            text = text[: match.start()] + text[match.end() :]
            if match.start() == 0:
                text = re.sub(r"^\s*to\s+", "", text)  # "try up to 3 times to charge ..."
        elif (match := _TRY_STEP.search(text)) is not None:
            attempts = _count(match.group("count"))
            text = text[: match.start()] + match.group("step") + text[match.end() :]
    if attempts is None and (match := _retries_uncounted(text)) is not None:
        attempts = retries_of(match.group("few")) + 1
        text = text[: match.start()] + text[match.end() :]
    if attempts is None and (match := _NO_RETRIES.search(text)) is not None:
        # "charge the card with no retries": one attempt
        attempts = 1
        text = text[: match.start()] + text[match.end() :]
    timeout = None
    match = _TIMEOUT.search(text)
    if match is not None:
        number = match.group("n1") or match.group("n2") or match.group("n3")
        unit = (match.group("u1") or match.group("u2") or match.group("u3")).lower()[0]
        timeout = float(number) * UNIT_SECONDS[unit]
        text = text[: match.start()] + text[match.end() :]
    if attempts is not None:
        attempts = max(1, min(attempts, MAX_ATTEMPTS))
    if timeout is not None:
        timeout = min(max(timeout, 0.001), 86400.0)
    return " ".join(text.split()), RunSettings(attempts, timeout)
