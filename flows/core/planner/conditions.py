"""Conditions in words ("if the email is valid", "orders over 500", "unless the sentiment is
negative") turned into CEL over the values a step can see."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from flows.core.planner.lexicon import (
    FEELINGS,
    STOP_WORDS,
    singular,
    split_identifier,
    stem,
    synonyms,
)
from flows.core.planner.places import COUNTRY_CODES
from flows.core.planner.wiring import Source, schema_types, unwrap_nullable

_NUMBER = (
    r"(?:[$€£¥]|usd|eur|gbp)?\s*(?P<number>-?\d[\d,]*(?:\.\d+)?)\s*"
    r"(?:(?P<suffix>k|thousand|m|million|bn|billion)\b)?"
)
#: Currency words after a number, not what it counts.
_CURRENCY_WORDS = frozenset(
    "usd eur gbp cad aud jpy dollar dollars euro euros pound pounds bucks".split()
)
_COMPARISON = re.compile(
    r"(?P<subject>[\w\s'-]*?)\s*(?:is\s+|are\s+|was\s+|of\s+|with\s+(?:an?\s+)?|has\s+(?:an?\s+)?)?"
    r"(?P<operator>over|above|more\s+than|greater\s+than|larger\s+than|higher\s+than|exceeds?|"
    r"exceeding|bigger\s+than|longer\s+than|shorter\s+than|slower\s+than|faster\s+than|"
    r"quicker\s+than|cheaper\s+than|dearer\s+than|at\s+least|no\s+less\s+than|under|below|less\s+than|lower\s+than|"
    r"fewer\s+than|smaller\s+than|at\s+most|no\s+more\s+than|up\s+to|equals?|equal\s+to|"
    r">=|<=|>|<|==)\s*(?:of\s+)?" + _NUMBER,
    re.IGNORECASE,
)
_OPERATORS = {
    "over": ">",
    "above": ">",
    "more than": ">",
    "greater than": ">",
    "larger than": ">",
    "higher than": ">",
    "exceeds": ">",
    "exceed": ">",
    "exceeding": ">",
    "bigger than": ">",
    "longer than": ">",
    "shorter than": "<",
    # a duration or a price compared by its adjective ("responds slower than 500 ms")
    "slower than": ">",
    "faster than": "<",
    "quicker than": "<",
    "cheaper than": "<",
    "dearer than": ">",
    "at least": ">=",
    "no less than": ">=",
    "under": "<",
    "below": "<",
    "less than": "<",
    "lower than": "<",
    "fewer than": "<",
    "smaller than": "<",
    "at most": "<=",
    "no more than": "<=",
    "up to": "<=",
    "equals": "==",
    "equal": "==",
    "equal to": "==",
    ">=": ">=",
    "<=": "<=",
    ">": ">",
    "<": "<",
    "==": "==",
}
_NEGATIONS = re.compile(
    r"\b(?:not|no|never|isn't|aren't|wasn't|doesn't|don't|didn't|cannot|can't|fails?|failed|"
    r"false|without|nobody|no\s+one|nothing|none|unable|couldn't|won't|haven't|hasn't|"
    r"reject(?:s|ed)?|den(?:y|ies|ied)|refus(?:e|es|ed)|"
    # ("if he declines", "if legal vetoes it": an approval's answer, turned down; "the
    # decline code" is a noun)
    r"(?<!\bthe\s)(?<!\ba\s)(?<!\bits\s)declines?(?!\s+(?:code|reason|message|rate|status|"
    r"type)s?\b)|vetoe?s?|turns?\s+(?:it|them)\s+down)\b|n't\b",
    re.IGNORECASE,
)


def compared_with_a_number(text: str) -> str | None:
    """The comparison `text` ends on ("reads more than 90": "more than 90"), or None."""
    within = _BETWEEN.match(text.strip(" .,;:!?"))
    if within is not None and not _NEGATIONS.search(text):
        return f"between {within['low']} and {within['high']}"
    match = _COMPARISON.search(text.strip(" .,;:!?"))
    if match is None or _NEGATIONS.search(text):
        return None
    return match.group(0)[match.start("operator") - match.start() :].strip()


def compared_subject(text: str) -> str | None:
    """What `text` compares with a number when that is all it says ("the amount is over
    500", "the total exceeds $2k"): "the amount", "the total"; else None."""
    text = text.strip(" .,;:!?")
    match = _COMPARISON.match(text)
    if match is None or not match.group("subject").strip() or _NEGATIONS.search(text):
        return None
    rest = split_identifier(text[match.end() :])
    if len(rest) > 1 or any(word not in _CURRENCY_WORDS for word in rest):
        return None
    return match.group("subject").strip()


#: Words that say something is not there, and the field words that say it is.
ABSENT_STEMS = frozenset(stem(w) for w in "missing absent lacking unavailable short".split())
_PRESENT = frozenset(
    stem(w) for w in "stock inventory available availability found present exist".split()
)
#: Words that say a lookup matched nobody, and the fields that say it matched.
_UNKNOWN = frozenset(stem(w) for w in "new unknown unregistered".split())
_FOUND = frozenset(stem(w) for w in "found exist exists".split())
#: Word forms the stemmer cannot join.
_IRREGULAR = {
    "find": "found",
    "found": "find",
    "locat": "found",
    "exist": "found",
    "went": "go",
    "sent": "send",
    "paid": "pay",
}
#: ("if stock runs out", "when it sells out": not in stock, as "out of stock" is)
_OUT_OF = re.compile(
    r"\bout\s+of\b|\b(?:runs?|ran|running|sold|sells?|selling)\s+out\b", re.IGNORECASE
)
_NEGATIVE_PREFIXES = ("in", "un", "non", "im", "dis")
_SUCCESS_WORDS = frozenset(
    {"succeed", "success", "successful", "succeeded", "ok", "pass", "passed"}
)
#: Words of a yes/no field that says how a step went (`approved`, `valid`, `found`).
_OUTCOME_FIELDS = frozenset(
    stem(word)
    for word in "ok success successful succeeded approved valid found passed accepted sent "
    "delivered completed done exists available stock matched verified authorized paid "
    "processed covered eligible allowed permitted compliant".split()
)
#: Words that speak of an outcome: a condition on one reads the step's yes/no field.
_OUTCOME_WORDS = frozenset(
    stem(word)
    for word in "succeed succeeds succeeded success successful fail fails failed failure "
    "works worked pass passes passed ok okay goes go through fine good clean checks out looks "
    "look clear cleared paid charged approved accepted went processed reject rejects rejected "
    "deny denies denied refuse refuses refused declined decline declines".split()
)
#: Said last, how a step went badly without a word of negation ("if the card is declined"):
#: its yes/no outcome does not hold.
_WENT_BADLY = frozenset({"declined"})


def speaks_of_outcome(text: str) -> bool:
    """Whether a condition speaks of how a step went ("if the payment fails")."""
    return bool({stem(w) for w in split_identifier(text)} & _OUTCOME_WORDS)


#: Outcome words only an approval has ("if they reject it"): never a tool's yes/no field.
_APPROVAL_OUTCOMES = frozenset(
    stem(w) for w in "reject rejects rejected deny denies denied".split()
)
#: Words that name a quantity: a comparison on one of them names its run input field.
QUANTITY_WORDS = (
    "amount total price cost value sum count quantity score balance size age weight "
    "rating budget limit number"
).split()


#: Things whose comparison with a number is about what they cost ("if the order is over 500").
_PRICED_THINGS = frozenset(
    "order orders payment payments purchase purchases invoice invoices refund refunds "
    "transaction transactions cart basket bill charge charges request requests expense "
    "expenses claim claims deal deals quote quotes contract item items product products "
    "it this that they them anything everything something any all one ones".split()
)


@dataclass(frozen=True, slots=True)
class ResolvedCondition:
    expression: str
    #: The field the condition tests (for the branch's id).
    subject: str
    #: Set when the condition needs a run input field that does not exist yet.
    new_input: tuple[str, dict] | None = None
    #: Further run input fields it needs ("abroad": the country shipped from, too).
    more_inputs: tuple[tuple[str, dict], ...] = ()


_POSTFIX = re.compile(
    r"(?P<number>(?:[$€£¥])?\s*-?\d[\d,]*(?:\.\d+)?\s*(?:k|thousand|m|million)?"
    r"(?:\s*(?:usd|eur|gbp|dollars?|euros?|pounds?))?)\s+(?P<word>or\s+more|or\s+above|or\s+higher|"
    r"or\s+greater|and\s+(?:up|above|over)|or\s+less|or\s+fewer|or\s+below|or\s+lower|"
    r"and\s+(?:under|below))\b",
    re.IGNORECASE,
)


def _prefix_operator(match: re.Match[str]) -> str:
    """ "2500 or more" -> "at least 2500"."""
    word = match.group("word").lower()
    lower = any(w in word for w in ("less", "fewer", "below", "lower", "under"))
    return f"{'at most' if lower else 'at least'} {match.group('number')}"


#: "A and B", "A or B"; "A but B" is "A and B" ("invalid but there's a suggestion").
_JOINER = re.compile(r"\s*,?\s+\b(and|or|but)\b\s+", re.IGNORECASE)


def _joiners(text: str) -> set[str]:
    return {
        "and" if m.group(1).lower() == "but" else m.group(1).lower() for m in _JOINER.finditer(text)
    }


#: "if they're not in our system": whether a lookup found them.
_IN_OUR_RECORDS = re.compile(
    r"\b(?:in|on)\s+(?:our|the)\s+(?:system|database|db|records?|crm|directory)\b|"
    # "we have them on file"
    r"\bon\s+(?:file|record)\b|"
    # "if they're not there" after a lookup (not "if there is ...")
    r"(?:(?<=\bnot\s)|(?<='re\s)|(?<='s\s)|(?<=\bare\s)|(?<=\bis\s))there\b"
    r"(?!\s+(?:is|are|was|were)\b)",
    re.IGNORECASE,
)


#: "if we have them on file", "if we know the customer": the lookup found them.
_WE_HAVE_THEM = re.compile(
    # ("if we don't have her": not found)
    r"\b(?:we|i)\s+(?:(?P<neg>don't|do\s+not|didn't|did\s+not)\s+)?(?:already\s+)?"
    r"(?:have|know|hold)\s+(?P<who>them|him|her|(?:the|this|that)\s+"
    r"(?:customer|user|person|member|client))(?:\s+on\s+(?:file|record)|\s+(?:in|on)\s+(?:our|the)\s+"
    r"\w+)?",
    re.IGNORECASE,
)
_HAS_A_RECORD = re.compile(
    r"(?:\s+(?:already|still))?(?:\s+(?:has|have|had)\s+(?:an?|their|his|her)\s+"
    # ("they're already a user": no space before the contraction)
    r"(?:account|profile|record)|(?:\s+is|\s+are|'s|'re)\s+(?P<not>not\s+)?(?:already\s+)?"
    # ("he isn't registered", "if she's not a user yet": not found)
    r"(?:registered|signed\s+up|an?\s+(?:existing\s+)?(?:customer|user|member))"
    r"|\s+(?P<isnt>isn't|aren't|isnt|arent)\s+(?:registered|signed\s+up|"
    r"an?\s+(?:existing\s+)?(?:customer|user|member)))\b(?:\s+yet\b)?",
    re.IGNORECASE,
)


def _record_said(match: re.Match[str]) -> str:
    return " not found" if match["not"] or match["isnt"] else " found"


def said_of_a_record(text: str) -> str:
    """ "if we have them on file", "if they're not in our system": said of whether a
    lookup found them ("them found", "they're not found")."""
    return _IN_OUR_RECORDS.sub(
        "found",
        _WE_HAVE_THEM.sub(lambda m: f"{m['who']} {'not ' if m['neg'] else ''}found", text),
    )


#: "fewer than 10 are available", "over 3 were returned": as "there are fewer than 10
#: available", the number said before what it counts.
_COUNT_FIRST = re.compile(
    r"^\s*(?P<cmp>(?:fewer|less|more)\s+than\s+\d+(?:\.\d+)?|(?:under|over|below|above)\s+"
    r"\d+(?:\.\d+)?)\s+(?:are|is|were|was)\s+(?P<rest>[a-z].*)$",
    re.IGNORECASE,
)


#: "it worked", "the shipment went through": the step before did what it was asked.
_WENT_WELL_SAID = re.compile(
    r"^(?:it|they|(?:the|their|its)\s+[a-z]+)\s+(?:worked|works|succeeded|succeeds|"
    r"went\s+through|goes\s+through|was\s+successful|is\s+successful)$",
    re.IGNORECASE,
)


#: "a potential or confirmed match": two kinds of one thing
_TWO_KINDS = re.compile(
    r"\b(?P<det>an?|the|any)\s+(?P<a>[a-z]+)\s+or\s+(?:an?\s+)?(?P<b>[a-z]+)\s+(?P<noun>[a-z]+)\b",
    re.IGNORECASE,
)


def _two_kinds_of_one_noun(text: str, sources: Sequence[Source]) -> str:
    """ "if there's a potential or confirmed match" -> "a potential match or a confirmed
    match", when a value a step's output lists is each kind of that noun
    (`potential_match`, `confirmed_match`); only the second was read."""
    match = _TWO_KINDS.search(text)
    if match is None:
        return text
    listed = {
        str(value).lower()
        for source in sources
        for value in (source.schema.get("enum") or [] if isinstance(source.schema, dict) else [])
    }
    noun = match["noun"].lower()
    kinds = [f"{match[k].lower()}_{noun}" for k in ("a", "b")]
    if not all(kind in listed for kind in kinds):
        return text
    det = match["det"]
    said = f"{det} {match['a']} {noun} or {det} {match['b']} {noun}"
    return f"{text[: match.start()]}{said}{text[match.end() :]}"


#: "it hasn't checked in for more than 30 days", "they haven't paid in over 2 weeks"
_NOT_DONE_FOR_A_TIME = re.compile(
    r"\b(?P<who>it|they|he|she|the\s+\w+)\s+(?:has|have|had)(?:n't|\s+not)\s+(?P<verb>\w+ed|"
    r"\w+en|paid|sent|run|been\s+\w+)(?P<particle>\s+(?:in|on|up|back))?\s+(?:for|in)\s+"
    r"(?P<cmp>more\s+than|over|at\s+least|longer\s+than)\s+(?P<n>\d+)\s+(?P<unit>minutes?|hours?|"
    r"days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)


#: "there are no refills left", "it has 0 seats left", "no credits are left": a count of
#: what is left that is zero
_NONE_LEFT = re.compile(
    r"^(?:(?:there\s+(?:are|is|'s)|it\s+has|they\s+have|(?:he|she)\s+has)\s+)?(?:no|0|zero)\s+"
    r"(?P<what>[a-z]+(?:\s+[a-z]+)?)\s+(?:(?:are|is)\s+)?left$",
    re.IGNORECASE,
)


#: "if the lease ends before 2027-03-01", "if it expires on or after 2027-01-01": a date a
#: step returns, compared with a date written in full
_DATE_COMPARED = re.compile(
    r"^(?P<said>.*?)\s+(?P<op>before|after|by|earlier\s+than|later\s+than|"
    r"on\s+or\s+before|on\s+or\s+after)\s+(?P<date>\d{4}-\d{2}-\d{2})\s*$",
    re.IGNORECASE,
)
_DATE_OPERATORS = {
    "before": "<",
    "earlier than": "<",
    "after": ">",
    "later than": ">",
    "by": "<=",
    "on or before": "<=",
    "on or after": ">=",
}
_NEGATED_OPERATORS = {"<": ">=", ">": "<=", "<=": ">", ">=": "<"}


def _date_compared(text: str, sources: Sequence[Source], negate: bool) -> ResolvedCondition | None:
    """ "if the lease ends before 2027-03-01": the one date a step returned that the
    condition names a word of (`lease_end`), compared with that date (ISO dates compare as
    text); refused before, as no value a step tells."""
    match = _DATE_COMPARED.match(text.strip())
    if match is None:
        return None
    said = {stem(w) for w in split_identifier(match["said"]) if w not in STOP_WORDS}
    dates = [
        source
        for source in sources
        if source.node is not None
        and source.expression.count(".") == 1
        and unwrap_nullable(source.schema).get("format") in ("date", "date-time")
        and {stem(w) for w in split_identifier(source.name)} & said
    ]
    if len(dates) != 1:
        return None
    operator = _DATE_OPERATORS[" ".join(match["op"].lower().split())]
    if negate != _is_negated(match["said"]):
        operator = _NEGATED_OPERATORS[operator]
    expression = f"{dates[0].expression} {operator} {json.dumps(match['date'])}"
    return ResolvedCondition(expression, dates[0].name)


_BETWEEN_NUMBER = r"[$\u20ac\u00a3]?-?\d[\d,]*(?:\.\d+)?%?"
#: "the total is between 100 and 500", "it's between 1.05 and 1.10": a number within two
#: bounds, both counted in
_BETWEEN = re.compile(
    r"^(?P<subject>.+?)(?:\s+(?P<verb>is|are|was|were|stays|remains)|(?P<short>'s|'re))\s+"
    rf"between\s+(?P<low>{_BETWEEN_NUMBER})\s+and\s+(?P<high>{_BETWEEN_NUMBER})$",
    re.IGNORECASE,
)
#: A bound as a condition reads it: `<value> >= 100.0`
_BOUND = re.compile(r"^(?P<value>.+?) (?:>=|<=) (?P<number>-?[\d.]+)$")


def _between(
    text: str, sources: Sequence[Source], negate: bool
) -> ResolvedCondition | None:
    """ "if the total is between 100 and 500": the value read for "at least 100" is also
    at most 500 (one reading of both bounds, never the first alone)."""
    said = _BETWEEN.match(text.strip())
    if said is None:
        return None
    verb = said["verb"] or {"'s": "is", "'re": "are"}[said["short"].lower()]
    low = _resolve_one(f"{said['subject']} {verb} at least {said['low']}", sources)
    high = _resolve_one(f"{said['subject']} {verb} at most {said['high']}", sources)
    if low is None or high is None:
        return None
    low_bound, high_bound = _BOUND.match(low.expression), _BOUND.match(high.expression)
    if low_bound is None or high_bound is None or low_bound["value"] != high_bound["value"]:
        return None
    within = f"{low.expression} && {high.expression}"
    return replace(low, expression=f"!({within})" if negate else within)


def resolve_condition(
    text: str, sources: Sequence[Source], *, negate: bool = False
) -> ResolvedCondition | None:
    """CEL for `text` over `sources` (most relevant first), or None when nothing fits.
    "A or B" and "A and B" become `||` and `&&` when each part has a reading of its own."""
    # ("if 'cold food, never again' is negative": the words of a quoted text are what is
    # read, not what the condition says: no "never" that turns it around)
    text = _QUOTED_TEXT.sub("the text", text)
    # "if it hasn't checked in for more than 30 days": the time since it last did is over 30
    # days, not "not over 30 days" (the negation was read as the comparison's)
    text = _NOT_DONE_FOR_A_TIME.sub(
        lambda m: (
            f"it's been {m['cmp']} {m['n']} {m['unit']} since {m['who']} {m['verb']}"
            f"{m['particle'] or ''}"
        ),
        text,
    )
    # "if there are no refills left": the refills left are 0
    text = _NONE_LEFT.sub(lambda m: f"the {m['what']} left is 0", text.strip())
    text = temperatures_said(text, sources)
    within = _between(text, sources, negate)
    if within is not None:
        return within
    if _WENT_WELL_SAID.match(text.strip()) and not any(
        schema_types(source.schema) == {"boolean"} for source in sources if source.node
    ):
        # "ship it; if it worked, email them": a step with no yes/no result worked when it
        # ran; its free-text status is never "worked"
        return None
    nothing = _nothing_found(text, sources, negate)
    if nothing is not None:
        return nothing
    dated = _date_compared(text, sources, negate)
    if dated is not None:
        return dated
    some = _some_amount_named(text, sources, negate)
    if some is not None:
        return some
    if _IT_IS_THERE.match(text):
        # "check stock for 2x MUG-1 and if it's there, ship it": in stock, not a record found
        for source in sources:
            if (
                source.node is not None
                and source.name in ("in_stock", "available")
                and schema_types(source.schema) == {"boolean"}
            ):
                expression = f"!{source.expression}" if negate else source.expression
                return ResolvedCondition(expression, source.name)
    if _ROOM_SAID.match(text):
        # "if there's space, book it", "if there's room": the place is free (`available`)
        for source in sources:
            if (
                source.node is not None
                and source.name in ("available", "is_available", "free", "has_space")
                and schema_types(source.schema) == {"boolean"}
            ):
                expression = f"!{source.expression}" if negate else source.expression
                return ResolvedCondition(expression, source.name)
    counted = _there_are_some(text, sources, negate)
    if counted is not None:
        return counted
    abroad = _abroad(text, sources, negate)
    if abroad is not None:
        return abroad
    text = said_of_a_record(text)
    text = _two_kinds_of_one_noun(text, sources)
    on_a_plan = _ON_A_PLAN.search(text)
    if on_a_plan is not None and any(s.name == on_a_plan["field"].lower() for s in sources):
        # "if they're on the enterprise plan": the plan a step before returns is that one
        text = _ON_A_PLAN.sub(r"the \g<field> is \g<value>", text)
    # "fewer than 10 are available": the thing compared said after the number
    text = _COUNT_FIRST.sub(r"there are \g<cmp> \g<rest>", text)
    if any(source.name in ("found", "exists") for source in sources):
        # "they already have an account", "they're registered": the lookup found them
        text = _HAS_A_RECORD.sub(_record_said, text)
    text = _RETURNS_CODE.sub(_status_code_said, text)
    if any(source.name == "status_code" for source in sources):
        # "if the website returns an error": an HTTP error status
        text = _RETURNS_ERROR.sub("the status code is at least 400", text)
        text = _IS_DOWN.sub(_down_said, text)
    aside = _ASIDE.search(text)
    if aside is not None:
        # "if the request failed (status code 500 or higher)": the aside says what it means
        spelled_out = resolve_condition(aside.group(1), sources, negate=negate)
        if spelled_out is not None and spelled_out.new_input is None:
            return spelled_out
        text = _ASIDE.sub(" ", text)
    both = _both(text, sources, negate)
    if both is not None:
        return both
    compound = _compound(text, sources)
    if compound is not None:
        expression = f"!({compound.expression})" if negate else compound.expression
        return ResolvedCondition(expression, compound.subject)
    if _unread_part(text, sources):
        return None  # "valid and in stock" with nothing to tell stock: not just "valid"
    return _resolve_one(text, sources, negate=negate)


#: "they're on the enterprise plan", "the customer is on a free tier": a plan said as where
#: someone is
_ON_A_PLAN = re.compile(
    r"\b(?:(?:they|he|she|it|(?:the|this|that)\s+[a-z]+)\s+(?:is|are)|they're|he's|she's|it's)"
    r"\s+on\s+(?:the|a|an)\s+(?P<value>[\w-]+)\s+(?P<field>plan|tier|subscription|package)\b",
    re.IGNORECASE,
)
#: "anything abroad", "if it ships internationally", "orders outside the UK": the country a
#: thing goes to is not the one it leaves from; "domestic orders": it is.
_ABROAD = re.compile(
    r"\b(?:abroad|overseas|international(?:ly)?|cross-border|"
    r"outside\s+(?:of\s+)?(?P<home>(?:the\s+)?[A-Za-z]+(?:\s+[A-Z][a-z]+)?))\b",
    re.IGNORECASE,
)
_DOMESTIC = re.compile(r"\bdomestic(?:ally)?\b", re.IGNORECASE)
_DESTINATION = {"type": "string", "description": "The country it goes to (ISO 3166 code, e.g. DE)."}
_HOME = {"type": "string", "description": "The country it leaves from (ISO 3166 code, e.g. US)."}


def _abroad(text: str, sources: Sequence[Source], negate: bool) -> ResolvedCondition | None:
    """The destination country (a step's or the run's `country`) against home: the country
    named after "outside", else the one the run gives as `home_country`."""
    match = _ABROAD.search(text)
    domestic = _DOMESTIC.search(text)
    if match is None and domestic is None:
        return None
    home = None
    if match is not None and match.group("home"):
        name = match.group("home").lower()
        home = COUNTRY_CODES.get(name) or COUNTRY_CODES.get(name.removeprefix("the "))
        if home is None:
            return None  # "outside business hours": no country
    country = next(
        (
            source
            for source in sources
            if (source.name == "country" or source.name.endswith("_country"))
            and source.name != "home_country"
            and "string" in schema_types(source.schema)
        ),
        None,
    )
    needed: list[tuple[str, dict]] = []
    if country is None:
        needed.append(("country", dict(_DESTINATION)))
    if home is None:
        needed.append(("home_country", dict(_HOME)))
    went = country.expression if country is not None else "input.country"
    left_from = json.dumps(home) if home is not None else "input.home_country"
    abroad = (domestic is None) != negate
    expression = f"{went} {'!=' if abroad else '=='} {left_from}"
    return ResolvedCondition(
        expression,
        "country",
        new_input=needed[0] if needed else None,
        more_inputs=tuple(needed[1:]),
    )


#: "if nothing is found", "if the search comes back empty", "no results": a search's list
#: of results is empty (a lookup's `found` says it for one record).
_NOTHING_FOUND = re.compile(
    r"\b(?:nothing|no\s+(?:results?|matches|articles|hits|answers?)|none)\s+(?:is\s+|are\s+|was\s+|"
    r"were\s+|gets?\s+|comes?\s+(?:back|up)\s*)?(?:found|returned|matche[sd]|back)?\b|"
    r"\b(?:finds?|returns?|gets?)\s+(?:nothing|no\s+\w+)\b|"
    r"\b(?:comes?|came)\s+back\s+empty\b",
    re.IGNORECASE,
)


#: "if it's there", "if they're all there": what was checked for is at hand
#: "there's space", "there is room", "there's a spot free": a place is free.
_ROOM_SAID = re.compile(
    r"^\s*(?:there(?:'s|\s+is)|we\s+have|they\s+have)\s+(?:still\s+)?(?:some\s+|enough\s+)?"
    r"(?:space|room|(?:a\s+)?(?:spot|slot|berth|place|vacancy)(?:\s+(?:free|open|left))?)"
    r"(?:\s+(?:free|left|available))?\s*$",
    re.IGNORECASE,
)
_IT_IS_THERE = re.compile(
    r"^\s*(?:it|they|everything|all\s+of\s+(?:it|them))\s*(?:'s|'re|\s+is|\s+are)\s+"
    r"(?:all\s+)?(?:still\s+)?there\s*$",
    re.IGNORECASE,
)
#: "if a fee gets charged", "if any fee was charged": something of it, no number said
_SOME_OF_IT = re.compile(
    r"^\s*(?:there(?:'s|\s+is|\s+was)\s+)?(?:an?|any|some)\s+[a-z]+\s+(?:(?:gets?|got|is|was|"
    r"were|has\s+been|have\s+been)\s+)?[a-z]+(?:ed)?\s*$",
    re.IGNORECASE,
)


def _some_amount_named(
    text: str, sources: Sequence[Source], negate: bool
) -> ResolvedCondition | None:
    """ "If a fee gets charged" after a cancellation that returns `fee_charged` (a number):
    more than nothing of it, when every word of the field's name is said and no number is;
    no such condition was read."""
    if not _SOME_OF_IT.match(text) or re.search(r"\d", text):
        return None
    said = {stem(w) for w in re.findall(r"[a-z]+", text.lower())}
    for source in sources:
        words = split_identifier(source.name)
        if (
            source.node is None
            or len(words) < 2
            or schema_types(source.schema) not in ({"number"}, {"integer"})
            or not all(stem(w) in said for w in words)
        ):
            continue
        expression = f"{source.expression} {'<=' if negate else '>'} 0"
        return ResolvedCondition(expression, source.name)
    return None


def _nothing_found(text: str, sources: Sequence[Source], negate: bool) -> ResolvedCondition | None:
    if not _NOTHING_FOUND.search(text):
        return None
    for source in sources:  # the nearest step that says whether it found anything
        if source.node is None:
            continue
        types = schema_types(source.schema)
        if source.name in ("found", "exists") and types == {"boolean"}:
            expression = source.expression if negate else f"!{source.expression}"
            return ResolvedCondition(expression, source.name)
        if "array" in types:
            expression = f"size({source.expression}) {'>' if negate else '=='} 0"
            return ResolvedCondition(expression, source.name)
    return None


#: "it returns 404", "the page doesn't return a 200": the HTTP status code it answered with
_RETURNS_CODE = re.compile(
    r"^\s*(?:it|the\s+[a-z]+(?:\s+[a-z]+)?)\s+(?P<not>doesn't\s+|does\s+not\s+|didn't\s+|"
    r"did\s+not\s+)?(?:returns?|responds?\s+with|comes\s+back\s+with|gives?)\s+"
    # "returns anything other than 200": not that code
    r"(?P<other>(?:anything|something)\s+(?:other\s+than|but|except)\s+|other\s+than\s+)?"
    r"(?:an?\s+|http\s+|status\s+)*(?P<code>[1-5]\d\d|[1-5]xx)\b"
    # "it's not 200", "it isn't a 200", "it's a 5xx": the code it answered with, said with "is"
    r"|^\s*(?:it|the\s+[a-z]+(?:\s+[a-z]+)?)(?:'s|\s+is|\s+was)?(?P<isnot>n't|\s+not)?\s+"
    r"(?:an?\s+|http\s+|status\s+)*(?P<iscode>[1-5]\d\d|[1-5]xx)\s*$",
    re.IGNORECASE,
)


#: "it returns an error", "the site gives a server error", "the page errors out"
_RETURNS_ERROR = re.compile(
    r"^\s*(?:it|the\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:(?:returns?|gives?|throws?|responds?\s+with|"
    r"comes\s+back\s+with)\s+(?:an?\s+)?(?:http\s+|server\s+)?errors?|errors?\s+out)\s*$|"
    # "if the fetch fails", "if the request failed": a fetch that answered with an error
    r"^\s*the\s+(?:fetch|request|download|page\s+fetch|call|api\s+call)\s+(?:fails|failed|"
    r"does\s*n[o']t\s+work|errors)\s*$",
    re.IGNORECASE,
)


#: "it's down", "the site is unreachable", "they are offline": a web page that answered
#: with an error status; "it's up", "the page is reachable": one that did not.
_IS_DOWN = re.compile(
    r"^\s*(?:it|they|the\s+[a-z]+(?:\s+[a-z]+)?)\s*(?:'s|'re|\s+(?:is|are|was|were)(?P<nt>n't)?|"
    r"\s+goes|\s+went)\s+(?:(?P<not>not)\s+)?(?P<state>down|offline|unreachable|broken|"
    r"failing|up|online|reachable|working|live)\s*$",
    re.IGNORECASE,
)
_WORKING_STATES = frozenset({"up", "online", "reachable", "working", "live"})


def _down_said(match: re.Match[str]) -> str:
    negated = bool(match.group("not") or match.group("nt"))
    working = (match.group("state").lower() in _WORKING_STATES) != negated
    return f"the status code is {'less than' if working else 'at least'} 400"


def _status_code_said(match: re.Match[str]) -> str:
    negated = bool(match.group("not") or match.group("isnot")) != bool(match.group("other"))
    code = (match.group("code") or match.group("iscode")).lower()
    if code.endswith("xx"):
        # "a 5xx": any code of that hundred (a 4xx is below 500, a 5xx from 500 up)
        low = int(code[0]) * 100
        if code[0] == "5":
            return f"the status code is {'less than' if negated else 'at least'} {low}"
        if negated:
            return f"the status code is less than {low} or the status code is at least {low + 100}"
        return f"the status code is at least {low} and the status code is less than {low + 100}"
    return f"the status code is {'not ' if negated else ''}{code}"


_BOTH = re.compile(
    r"\b(?:both|all\s+(?:of\s+them|checks|three)|everything|all\s+(?:is|are|went|goes)\b)\b",
    re.IGNORECASE,
)
#: "if everything is fine": every step before it, not only the nearest two
_EVERY = re.compile(r"\b(?:everything|all\s+(?:is|are|went|goes|of\s+them))\b", re.IGNORECASE)


def _both(text: str, sources: Sequence[Source], negate: bool) -> ResolvedCondition | None:
    """ "If both pass" / "if all checks pass": the yes/no outcome of each of the nearest
    steps that have one, joined with `&&` (two, or three for "all three"); "if any step
    fails" / "if either fails": of every step (or the two nearest), joined with `||`."""
    said_any = _ANY_OF_THEM.search(text)
    if (
        said_any is not None
        and said_any.group(0).lower() == "anything"
        and not _FAILS_AT_ALL.search(text)
        and _resolve_one(_ANY_OF_THEM.sub("it", text, count=1), sources, negate=negate)
    ):
        return None  # "if anything is out of stock": what one step tells, not any failure
    if not (_BOTH.search(text) or said_any) or not (
        {stem(w) for w in split_identifier(text)} & _OUTCOME_WORDS
    ):
        return None
    wanted = 3 if re.search(r"\bthree\b", text, re.IGNORECASE) else 2
    if (said_any is not None and not said_any.group(0).lower().startswith("either")) or (
        _EVERY.search(text)
    ):
        wanted = len(sources)
    flags: dict[str, Source] = {}
    for source in sources:  # nearest first
        if source.node is None or source.node in flags or source.expression.count(".") != 1:
            continue
        if "approval" in source.context:
            # what follows an approval waits for it already (a rejection skips it), and one
            # asked only in some cases is skipped in the others, with all that reads it
            continue
        if schema_types(source.schema) != {"boolean"}:
            continue
        if {stem(w) for w in split_identifier(source.name)} & _OUTCOME_FIELDS:
            flags[source.node] = source
        if len(flags) == wanted:
            break
    if len(flags) < (2 if said_any is not None or _EVERY.search(text) else wanted):
        return None
    # "if both fail": each failed (not "one of them did")
    failed = "!" if _is_negated(text) != negate else ""
    joiner = " || " if said_any is not None else " && "
    expression = joiner.join(f"{failed}{source.expression}" for source in reversed(flags.values()))
    return ResolvedCondition(expression, next(iter(flags.values())).name)


#: "if any step fails", "if anything fails", "if either of them fails"
_ANY_OF_THEM = re.compile(
    r"\b(?:either(?:\s+of\s+them|\s+one)?|any\s+(?:of\s+(?:them|these|those|the\s+steps)|step|"
    r"check|part|stage)|anything)\b",
    re.IGNORECASE,
)


#: A failure of any kind, said of no step in particular ("anything fails", "goes wrong")
_FAILS_AT_ALL = re.compile(
    r"\b(?:fails?|failed|errors?|errored|goes\s+wrong|went\s+wrong|breaks?|broke|doesn't\s+work|"
    r"does\s+not\s+work|is\s+wrong|isn't\s+ok(?:ay)?)\b",
    re.IGNORECASE,
)
_ASIDE = re.compile(r"\(([^()]{3,80})\)")


def _unread_part(text: str, sources: Sequence[Source]) -> bool:
    """Whether a part of "A and B" has no reading of its own (even with A's subject); or
    a part of "A or B" that names its own subject ("the priority is urgent")."""
    joiners = _joiners(text)
    if joiners == {"or"}:
        parts = [part.strip() for part in _JOINER.split(text)[::2] if part.strip()]
        return any(
            _OWN_SUBJECT.match(part) and _resolve_one(part, sources) is None
            for part in parts[1:]
            if split_identifier(part)
        )
    if joiners != {"and"}:
        return False
    parts = [part.strip() for part in _JOINER.split(text)[::2] if part.strip()]
    said = re.split(r"(?:\s+(?:is|are|was|were|has|have)|'s|'re)\s+", parts[0], maxsplit=1)
    # ("valid and in stock": no subject said, so none to borrow)
    subject = said[0] if len(said) > 1 else None
    if _OWN_SUBJECT.match(parts[0]) and _resolve_one(parts[0], sources) is None:
        return True  # "the payment was approved and the order is valid" with no payment
    if _one_field_for_two_things(parts, sources):
        return True
    return any(
        _resolve_one(part, sources) is None
        and (
            subject is None
            or _OWN_SUBJECT.match(part)
            or _resolve_one(f"{subject} is {part}", sources) is None
        )
        for part in parts[1:]
        if split_identifier(part)
    )


_SUBJECT_OF = re.compile(
    r"^(?:the|their|his|her|its|our|your)\s+(?P<subject>[a-z]+(?:\s+[a-z]+)?)\s+"
    r"(?:is|are|was|were|has|have|had|got|went|did)\b",
    re.IGNORECASE,
)


def _one_field_for_two_things(parts: Sequence[str], sources: Sequence[Source]) -> bool:
    """ "the payment was approved and the order is valid": two things, each with its own
    subject, read as one field (the order's `valid`) say one of them nothing."""
    read: dict[str, str] = {}
    for part in parts:
        said = _SUBJECT_OF.match(part)
        resolved = _resolve_one(part, sources) if said is not None else None
        if said is None or resolved is None:
            continue
        subject = stem(said.group("subject").split()[-1].lower())
        other = read.setdefault(resolved.expression, subject)
        if other != subject:
            return True
    return False


#: "the user doesn't exist": a part that says what it is about (not "urgent" in "the
#: priority is high or urgent", which borrows the first part's subject)
_OWN_SUBJECT = re.compile(
    r"^(?:the|their|his|her|its|it|it's|they|they're|he|she|we|this|that|our|your)\s+\S",
    re.IGNORECASE,
)


def _compound(text: str, sources: Sequence[Source]) -> ResolvedCondition | None:
    joiners = _joiners(text)
    if len(joiners) != 1:
        return None
    joiner = joiners.pop()
    parts = [part.strip() for part in _JOINER.split(text)[::2] if part.strip()]
    if len(parts) < 2:
        return None
    resolved = []
    for index, part in enumerate(parts):
        found = _resolve_one(part, sources)
        if found is None and index > 0 and not _OWN_SUBJECT.match(part):
            # "the priority is high or urgent": the field comes from the first part.
            subject = re.split(r"\s+(?:is|are|was|were|has|have)\s+", parts[0], maxsplit=1)[0]
            found = _resolve_one(f"{subject} is {part}", sources)
        if found is None or found.new_input is not None:
            return None
        resolved.append(found)
    if len({r.expression for r in resolved}) < len(resolved):
        return None
    operator = " || " if joiner == "or" else " && "
    expression = operator.join(
        r.expression if re.fullmatch(r"!?[\w.]+", r.expression) else f"({r.expression})"
        for r in resolved
    )
    return ResolvedCondition(expression, resolved[0].subject)


def _resolve_one(
    text: str, sources: Sequence[Source], *, negate: bool = False
) -> ResolvedCondition | None:
    text = _FAKE.sub("not real", text)  # "if it's fake": not real (not valid)
    if _BAD.search(text):
        # "if the email is bad": not valid, where a step says whether it is valid
        found = _resolve_one(_BAD.sub("not valid", text), sources, negate=negate)
        if found is not None and ".valid" in found.expression:
            return found
    if _PROBLEMS.search(text):
        # "if there are no problems": no errors, where a step lists them
        found = _resolve_one(_PROBLEMS.sub("errors", text), sources, negate=negate)
        if found is not None and ".errors" in found.expression:
            return found
    words = [w for w in split_identifier(text) if w not in STOP_WORDS or w in ("not", "no", "new")]
    negated = negate != _is_negated(text)
    if _OUT_OF.search(text) and not _NEGATIONS.search(text) and _out_field_named(text, sources):
        # "if it's sold out" where a step says `sold_out`: that field, not "not in stock"
        negated = negate

    comparison = _COMPARISON.search(_POSTFIX.sub(_prefix_operator, text))
    if comparison is not None:
        return _comparison(comparison, sources, negated)

    found = _numeric_equality(text, sources, negated)
    if found is not None:
        return found

    found = _text_contains(text, sources, negated)
    if found is not None:
        return found

    found = _qualitative(text, words, sources, negated)
    if found is not None:
        return found

    # "if the payment fails because of insufficient funds": the failure is that value
    explained = _FAILED_BECAUSE.sub(" ", text)
    found = _enum_equality(text, words, sources, negate, explained)
    if found is None and (unlisted := _not_a_listed_value(text, sources)) != text:
        # "if it's unhealthy" of a status listing `healthy`: it is not healthy
        found = _enum_equality(unlisted, words, sources, negate, _FAILED_BECAUSE.sub(" ", unlisted))
    if found is not None:
        return found

    found = _boolean(words, sources, negated, text)
    if found is not None:
        return found

    found = _presence(text, sources, negated)
    if found is not None:
        return found

    found = _string_equality(text, sources, negated)
    if found is not None:
        return found
    found = _weather_said(text, sources, negated)
    if found is not None:
        return found
    return _state_said(text, sources, negate)


#: "if it's raining", "when it snows", "if it's sunny": the weather a step described in
#: words, by the word it would use.
_WEATHER = re.compile(
    r"\b(?P<word>rain|snow|sun|cloud|storm|wind|fog|thunder|drizzl|hail|sleet)"
    r"(?:s|y|ing|ed|e|ny|dy|my|gy)?\b",
    re.IGNORECASE,
)
#: The text fields a step describes the weather in.
WEATHER_FIELDS = ("conditions", "condition", "summary", "weather", "description", "forecast")


def _step_texts(sources: Sequence[Source], names: Sequence[str]) -> list[Source]:
    """The text fields of those `names` that steps return, nearest first."""
    return [
        source
        for source in sources
        if source.node is not None
        and source.name in names
        and schema_types(source.schema) == {"string"}
    ]


def weather_said(text: str) -> bool:
    """Whether a condition speaks of the weather in words ("if it's snowing")."""
    return _WEATHER.search(text) is not None


def _weather_said(text: str, sources: Sequence[Source], negated: bool) -> ResolvedCondition | None:
    said = _WEATHER.search(text)
    if said is None:
        return None
    described = _step_texts(sources, WEATHER_FIELDS)
    if not described:
        return None
    word = said.group("word").lower()
    expression = f"{described[0].expression}.lowerAscii().contains({json.dumps(word)})"
    return ResolvedCondition(f"!{expression}" if negated else expression, described[0].name)


#: "if it's delayed", "if the order isn't shipped yet", "when it is out for delivery": a
#: state said of the thing a step looked up, its `status` (free text, no list of values).
_STATE_SAID = re.compile(
    r"^\s*(?:it|they|the\s+[a-z]+(?:\s+[a-z]+)?)\s*(?:'s|'re|\s+(?:is|are|was|were)(?P<nt>n't)?|"
    r"\s+has\s+been|\s+gets?|\s+got)\s+(?P<not>not\s+)?(?:still\s+|already\s+)?"
    r"(?P<state>[a-z]+ed|late|open|closed|overdue|lost|stuck|paid|due|pending|in\s+transit|"
    r"on\s+hold|out\s+for\s+delivery)(?:\s+yet)?\s*$"
    # "if it has shipped", "if the order hasn't arrived yet", "once it shipped": the state
    # a step's `status` names, said with the verb
    r"|^\s*(?:it|they|the\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:(?:has|have)(?P<hnt>n't)?\s+"
    r"(?P<hnot>not\s+)?)?(?:already\s+)?(?P<done>[a-z]{3,}ed)(?:\s+yet)?\s*$",
    re.IGNORECASE,
)
_STATE_FIELDS = ("status", "state")


def _state_said(text: str, sources: Sequence[Source], negate: bool) -> ResolvedCondition | None:
    said = _STATE_SAID.match(text)
    if said is None:
        return None
    states = [s for s in _step_texts(sources, _STATE_FIELDS) if not _enum_values(s.schema)]
    if not states:
        return None
    nearest = states[0]  # sources come nearest first
    if any(other.node == nearest.node for other in states[1:]):
        return None
    negated = negate != any(said.group(name) for name in ("nt", "not", "hnt", "hnot"))
    state = re.sub(r"\s+", "_", (said.group("state") or said.group("done")).lower())
    operator = "!=" if negated else "=="
    return ResolvedCondition(f"{nearest.expression} {operator} {json.dumps(state)}", nearest.name)


#: "if it has a suggestion" / "if there are any errors" / "if it comes back with no reason"
_HAS = re.compile(
    r"\b(?:has|have|had|there\s+(?:is|are|was|were)|there's|comes?\s+back\s+with|"
    r"returns?|includes?|contains?|gives?|gets?)\s+(?:(?:a|an|any|some|no)\s+|(?=[a-z]+s\b))"
    r"(?:(?P<adjective>\w+)\s+)?(?P<noun>[a-z_]+)\b",
    re.IGNORECASE,
)


#: "if any refund comes back", "if a credit is issued": a thing a step gives back, or none
_ANY_COMES_BACK = re.compile(
    r"^\s*(?:any|a|an|some)\s+(?:(?P<adjective>\w+)\s+)?(?P<noun>[a-z_]+)\s+(?:comes?\s+back|"
    r"is\s+(?:returned|given|issued|paid)|was\s+(?:returned|given|issued|paid))\b",
    re.IGNORECASE,
)
#: The last word of a number field that says how much of its first word there is
#: (`refund_amount`: the refund)
_HOW_MUCH_OF = frozenset({"amount", "total", "sum", "value"})
_EMPTY = re.compile(
    r"\b(?P<noun>[a-z_]+)\s+(?:is|are|was|were|comes?\s+back|came\s+back)\s+(?:not\s+)?"
    r"(?:empty|blank)\b",
    re.IGNORECASE,
)


def _presence(text: str, sources: Sequence[Source], negated: bool) -> ResolvedCondition | None:
    """ "If it has a suggestion": a field that may be null is set; "if there are any
    errors": a list is not empty. The field is the one the noun names."""
    match = _HAS.search(text) or _EMPTY.search(text) or _ANY_COMES_BACK.match(text)
    if match is None:
        return _described_presence(text, sources, negated)
    if match.re is _EMPTY:
        # "if the summary is empty": the same test as "has no summary"
        negated = not negated
    noun = stem(singular(match.group("noun").lower()))
    # "there's a suggested correction": the field may be named by the word before the noun
    adjective = match.groupdict().get("adjective")
    said = stem(adjective.lower()) if adjective and adjective.lower() not in STOP_WORDS else None
    for source in sources:
        name = stem(singular(split_identifier(source.name)[-1] if source.name else ""))
        schema = source.schema if isinstance(source.schema, dict) else {}
        words = split_identifier(source.name) if source.name else []
        if (
            source.node
            and len(words) == 2
            and words[1] in _HOW_MUCH_OF
            and stem(singular(words[0])) == noun
            and schema_types(schema) & {"number", "integer"}
        ):
            # "if any refund comes back": how much of it the step gave is above nothing
            return ResolvedCondition(
                f"{source.expression} {'<=' if negated else '>'} 0.0", source.name
            )
        if name != noun and not (said and len(said) > 4 and name.startswith(said)):
            continue
        if "array" in schema_types(schema):
            expression = f"size({source.expression}) {'==' if negated else '>'} 0"
        elif schema_types(schema) == {"string"} and (
            match.re is _EMPTY or (source.node and not _nullable(schema))
        ):
            # "if the summary is empty"; "if there's an answer": a text a step gave, said
            expression = f'{source.expression} {"==" if negated else "!="} ""'
        elif _nullable(schema):
            expression = f"{source.expression} {'==' if negated else '!='} null"
        else:
            continue
        return ResolvedCondition(expression, source.name)
    return None


#: "A likely intended address when the domain looks like a typo, else null": what a field
#: that may be null is set for
_SET_WHEN = re.compile(r"\b(?:when|if)\s+(?P<what>[^,;.]+)", re.IGNORECASE)


def _described_presence(
    text: str, sources: Sequence[Source], negated: bool
) -> ResolvedCondition | None:
    """ "In case the domain looks like a typo": the field that may be null whose description
    says it is set when that holds (`validate_email.suggestion != null`)."""
    said = {stem(w) for w in split_identifier(text) if w not in STOP_WORDS}
    if len(said) < 2:
        return None
    for source in sources:
        schema = source.schema if isinstance(source.schema, dict) else {}
        if not _nullable(schema):
            continue
        for when in _SET_WHEN.finditer(str(schema.get("description") or "")):
            described = {stem(w) for w in split_identifier(when.group("what"))}
            if said <= described:
                return ResolvedCondition(
                    f"{source.expression} {'==' if negated else '!='} null", source.name
                )
    return None


def _nullable(schema: dict) -> bool:
    options = schema.get("anyOf") or schema.get("oneOf") or []
    return schema.get("type") == "null" or any(
        isinstance(option, dict) and option.get("type") == "null" for option in options
    )


_LOW = frozenset("low poor bad weak negative small tiny".split())
_HIGH = frozenset("high good great strong positive large big".split())
_NUMBER_RANGE = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:\(|to|-|\u2013|and)\s*\(?(-?\d+(?:\.\d+)?)")


def _qualitative(
    text: str, words: list[str], sources: Sequence[Source], negated: bool
) -> ResolvedCondition | None:
    """ "if the score comes back poor", "if the confidence is low": a numeric field the
    condition names, compared with the middle of its range (0 for a -1..1 score)."""
    quality = [w for w in words if w in _LOW or w in _HIGH]
    if not quality:
        return None
    numeric = [s for s in sources if schema_types(s.schema) & {"integer", "number"}]
    named = [w for w in words if w not in _LOW and w not in _HIGH]
    best = _best_by_words(named, numeric)
    if best is None or not {stem(w) for w in named} & {
        stem(w) for w in split_identifier(best.name)
    }:
        return None
    middle = _middle(best.schema)
    operator = "<" if quality[0] in _LOW else ">"
    expression = f"{best.expression} {operator} {_number_literal(middle)}"
    return ResolvedCondition(_wrap(expression, negated), best.name)


def _middle(schema: dict) -> float:
    low, high = schema.get("minimum"), schema.get("maximum")
    if isinstance(low, int | float) and isinstance(high, int | float):
        return (float(low) + float(high)) / 2
    described = _NUMBER_RANGE.search(str(schema.get("description", "")))
    if described is not None:
        return (float(described.group(1)) + float(described.group(2))) / 2
    return 0.0


_FAKE = re.compile(r"\b(?:fake|bogus|phony|phoney|made[- ]up)\b", re.IGNORECASE)
_PROBLEMS = re.compile(r"\b(?:problems?|issues?|mistakes?|faults?)\b", re.IGNORECASE)
_BAD = re.compile(r"\b(?:bad|no\s+good|wrong|broken|garbage|junk)\b", re.IGNORECASE)
#: A failure followed by its reason: the reason is what holds, not its opposite.
_FAILED_BECAUSE = re.compile(
    r"\b(?:fails?|failed|fail(?:ing|ure))\s+(?:because(?:\s+of)?|due\s+to|for|with|from|on)\b",
    re.IGNORECASE,
)


#: A quoted text of three words or more (a value a field lists is one or two).
_QUOTED_TEXT = re.compile(r"'[^']*?\w+\W+\w+\W+\w[^']*'(?!\w)|\"[^\"]*?\w+\W+\w+\W+\w[^\"]*\"")


def _out_field_named(text: str, sources: Sequence[Source]) -> bool:
    """Whether a yes/no field a step gives is named for being out ("sold out": `sold_out`,
    `out_of_stock`) by the words the condition says it with."""
    out = _OUT_OF.search(text)
    if out is None:
        return False
    said = {w.lower() for w in re.findall(r"[a-z]+", out[0], re.IGNORECASE)}
    return any(
        "out" in split_identifier(s.name)
        and set(split_identifier(s.name)) <= said | {"out", "of"}
        and schema_types(s.schema) == {"boolean"}
        for s in sources
    )


def _is_negated(text: str) -> bool:
    return bool(_NEGATIONS.search(text) or _OUT_OF.search(text))


def _wrap(expression: str, negated: bool) -> str:
    if not negated:
        return expression
    if re.fullmatch(r"[\w.]+", expression):
        return f"!{expression}"
    return f"!({expression})"


#: Words after a number that say what happens to the thing, not what is counted.
_THEN_SAID = frozenset(
    """
    arrives arrive comes come lands land gets get appears appear shows show needs need requires
    require must should will is are was were has have comes in gets placed submitted
    """.split()
)


#: Words that say a change went down: "down more than 3%" is a change under -3.
_FALLING = frozenset(
    "down fell fallen falls fall dropped drops drop declined declines decreased decreases lost "
    "loses sank sinks dipped dips slid slides plunged plunges tumbled tumbles".split()
)
_RISING = frozenset(
    "up rose risen rises rise gained gains increased increases jumped jumps climbed climbs grew "
    "grows surged surges".split()
)
_CHANGE_WORDS = frozenset("change changes delta diff difference movement growth".split())
_MIRRORED = {">": "<", ">=": "<=", "<": ">", "<=": ">="}


def _comparison(
    match: re.Match[str], sources: Sequence[Source], negated: bool
) -> ResolvedCondition:
    operator = _OPERATORS[" ".join(match.group("operator").lower().split())]
    number = float(match.group("number").replace(",", ""))
    suffix = (match.group("suffix") or "").lower()
    if suffix in ("k", "thousand"):
        number *= 1000
    elif suffix in ("m", "million"):
        number *= 1_000_000
    literal = _number_literal(number)
    # a letter alone is what is left of a contraction ("it's over 500"), not a name
    subject_words = [
        w
        for w in split_identifier(match.group("subject") or "")
        if w not in STOP_WORDS and len(w) > 1
    ]
    after = split_identifier(match.string[match.end() :])[:1]
    if after and after[0] in _DEGREES:
        # "if it's below 5 degrees": the temperature a step gave, not a number "degrees"
        return _temperature_compared(sources, operator, literal, negated, match.group(0))
    if not subject_words and not after and any(_is_temperature(s) for s in sources):
        # "get the weather in Oslo and if it's below 0": "it" is the weather, its temperature
        return _temperature_compared(sources, operator, literal, negated, match.group(0))
    if (
        after
        and after[0] not in STOP_WORDS
        and after[0] not in _CURRENCY_WORDS
        and after[0] not in _THEN_SAID
        and after[0] not in _TIMES
    ):
        subject_words.append(after[0])  # "more than 50 units" ("over $5000 arrives": no)
    if after and after[0] in _LENGTH_UNITS:
        # "if the summary is longer than 200 characters": the length of a text, not a count
        # a step reports of something else
        of_what = [w for w in subject_words if w not in _LENGTH_UNITS]
        texts = [s for s in sources if schema_types(s.schema) - {"null"} == {"string"}]
        text = _best_by_words(of_what, texts)
        if text is not None:
            expression = f"size({text.expression}) {operator} {literal}"
            return ResolvedCondition(_wrap(expression, negated), text.name)
    numeric = [s for s in sources if schema_types(s.schema) & {"integer", "number"}]
    if (
        after
        and after[0] in _COUNT_UNITS
        and _LEFT_SAID.match(match.string[match.end() :]) is None
    ):
        # "orders over 30 cases need approval": how many units a step before counts (or
        # its lines hold, added up), not its amount of money (the subtotal was compared)
        direct = [s for s in numeric if set(split_identifier(s.name)) & _UNITS_COUNTED]
        if direct:
            expression = f"{direct[0].expression} {operator} {literal}"
            return ResolvedCondition(_wrap(expression, negated), direct[0].name)
        counted = _units_in_lines(sources, operator, literal, negated)
        if counted is not None:
            return counted
    unnamed = not set(split_identifier(match.group("subject") or "")) - STOP_WORDS - _HOLDING
    if _LEFT_SAID.match(match.string[match.end() :]) is not None and unnamed:
        # ("if there are fewer than 5 left": how many remain, before a price said nowhere)
        counted = _left_in_records(match, sources, operator, literal, negated)
        if counted is not None:
            return counted
    best = _best_by_words(subject_words, numeric)
    if re.match(r"\s*(?:%|percent\b|per\s*cent\b|pct\b)", match.string[match.end() :], re.I):
        # "dropped more than 5%": a percentage, of how much it moved when it rose or fell
        moved = ["change"] if (_FALLING | _RISING) & set(subject_words) else []
        percent = _best_by_words([*subject_words, "percent", *moved], numeric)
        if percent is not None and {"percent", "pct", "change"} & set(
            split_identifier(percent.name)
        ):
            best = percent
    if best is None:
        best = next(
            (s for s in numeric if any(q in split_identifier(s.name) for q in QUANTITY_WORDS)),
            None,
        )
    if best is None and not subject_words:
        # "get the rate; if it's above 1.1": the one number the nearest step gave
        made = [s for s in numeric if s.node is not None]
        own = [s for s in made if made and s.node == made[0].node]
        best = own[0] if len(own) == 1 else None
    if best is not None:
        said = set(split_identifier(match.group("subject") or ""))
        if _FALLING & said and _CHANGE_WORDS & set(split_identifier(best.name)):
            # "if it's down more than 3 percent": a change below -3, not above 3
            operator, literal = _MIRRORED.get(operator, operator), _number_literal(-number)
        expression = f"{best.expression} {operator} {literal}"
        return ResolvedCondition(_wrap(expression, negated), best.name)
    counted = _left_in_records(match, sources, operator, literal, negated)
    if counted is not None:
        return counted
    name = next((w for w in subject_words if w in QUANTITY_WORDS), None)
    if name is None:
        # "the stock is over 10": the stock, not an amount; "the order is over 500": its amount
        # ("the price drops below 5": the price, not a "drops")
        named = [w for w in subject_words if w not in _MOVES]
        head = named[-1] if named else ""
        # ("charging more than 20000": what is charged, an amount, not a "charging")
        priced = head in _PRICED_THINGS or head.endswith("ing")
        # ("a refund request comes in over 500 EUR": money said, and a verb, not a noun)
        priced = priced or head in _MOTION_VERBS or bool(_MONEY_SAID.search(match.group(0)))
        name = head if head.isidentifier() and not priced else "amount"
    condition = match.group(0).strip()
    schema = {"type": "number", "description": f"The number the condition '{condition}' checks."}
    expression = f"input.{name} {operator} {literal}"
    return ResolvedCondition(_wrap(expression, negated), name, new_input=(name, schema))


#: What a temperature is said in, after its number ("below 5 degrees", "over 30°C").
_DEGREES = frozenset({"degrees", "degree", "celsius", "fahrenheit"})
#: When something is compared, said after the number ("drops more than 3% today"): no value.
_TIMES = frozenset("today tonight tomorrow yesterday now currently anymore again".split())
#: Words of a field (or its description) that holds a temperature.
_TEMPERATURE_WORDS = frozenset({"temp", "temperature", "celsius", "fahrenheit"})
#: "below freezing", "colder than 5", "over 30 °C", "warmer than 20 degrees": a
#: temperature compared, said in words a number comparison reads ("below 0 degrees").
_FREEZING = re.compile(
    r"\b(?P<cmp>below|under|above|over)\s+(?:the\s+)?(?:freezing(?:\s+point)?|zero)\b",
    re.IGNORECASE,
)
_COLDER = re.compile(
    r"\b(?P<cmp>colder|cooler|warmer|hotter)\s+than\s+(?P<number>-?\d+(?:\.\d+)?)"
    r"(?:\s*(?:°\s*[cf]?\b|degrees?\b(?:\s+(?:celsius|fahrenheit|c|f)\b)?))?",
    re.IGNORECASE,
)
_DEGREE_SIGN = re.compile(r"(?<=\d)\s*°\s*(?:[cf]\b)?", re.IGNORECASE)
#: "if it's below 0 in Oslo", "when it drops under 5 in Berlin": a number said of "it" and a
#: place is the weather there, a temperature (no unit said).
_IT_IN_A_PLACE = re.compile(
    r"\b(?P<said>it(?:'s|\u2019s|\s+is|\s+gets|\s+drops|\s+goes)\s+(?:below|under|above|over)"
    r"\s+-?\d+(?:\.\d+)?)(?=\s+(?:in|at)\s+[A-Z])"
)


def _named_or_described(source: Source) -> set[str]:
    """The words of a value's name and of its schema's description."""
    schema = source.schema if isinstance(source.schema, dict) else {}
    described = str(schema.get("description", ""))
    return set(split_identifier(source.name)) | set(split_identifier(described))


def _is_temperature(source: Source) -> bool:
    """A number a step gives that is a temperature (`temp_c`, `temperature`, or so
    described)."""
    if not schema_types(source.schema) & {"integer", "number"}:
        return False
    return bool(_named_or_described(source) & _TEMPERATURE_WORDS)


def _in_fahrenheit(source: Source) -> bool:
    return (
        "fahrenheit" in _named_or_described(source)
        or split_identifier(source.name)[-1:] == ["f"]
    )


def temperatures_said(text: str, sources: Sequence[Source]) -> str:
    """ "below freezing" as "below 0 degrees" (32 where the temperature a step gives is in
    Fahrenheit), "colder than 5" as "below 5 degrees", "30°C" as "30 degrees", "it's below 0
    in Oslo" as "below 0 degrees": the words a comparison of numbers reads."""
    fahrenheit = any(_is_temperature(s) and _in_fahrenheit(s) for s in sources)
    zero = "32" if fahrenheit else "0"
    below = {"below": "below", "under": "below", "above": "above", "over": "above"}
    text = _FREEZING.sub(lambda m: f"{below[m['cmp'].lower()]} {zero} degrees", text)
    text = _COLDER.sub(
        lambda m: ("below" if m["cmp"].lower() in ("colder", "cooler") else "above")
        + f" {m['number']} degrees",
        text,
    )
    text = _IT_IN_A_PLACE.sub(lambda m: f"{m['said']} degrees", text)
    return _DEGREE_SIGN.sub(" degrees", text)


def _temperature_compared(
    sources: Sequence[Source], operator: str, literal: str, negated: bool, said: str
) -> ResolvedCondition:
    """A temperature compared: the one a step gives, else one the run is asked for."""
    read = next((s for s in sources if _is_temperature(s)), None)
    if read is not None:
        expression = f"{read.expression} {operator} {literal}"
        return ResolvedCondition(_wrap(expression, negated), read.name)
    checks = f"The temperature the condition '{said.strip()}' checks."
    schema = {"type": "number", "description": checks}
    expression = f"input.temperature {operator} {literal}"
    return ResolvedCondition(
        _wrap(expression, negated), "temperature", new_input=("temperature", schema)
    )


#: What a count of goods is said in ("over 30 cases", "more than 100 units").
_COUNT_UNITS = frozenset(
    "cases units items pieces pcs boxes bottles crates pallets cartons packs bags kits".split()
)
#: A number a step gives that is already a count of units.
_UNITS_COUNTED = frozenset({"units", "unit", "quantity", "qty", "pieces", "cases"})
#: The field of an order's line that says how many of it there are.
_LINE_COUNT_FIELDS = ("quantity", "qty", "requested", "units", "count")


def _units_in_lines(
    sources: Sequence[Source], operator: str, literal: str, negated: bool
) -> ResolvedCondition | None:
    """The units of every line a step before lists, added up, compared; None when no step
    lists lines that say how many."""
    for source in sources:
        if source.node is None or "array" not in schema_types(source.schema):
            continue
        items = unwrap_nullable(unwrap_nullable(source.schema).get("items") or {})
        properties = items.get("properties") if isinstance(items, dict) else None
        for field in _LINE_COUNT_FIELDS:
            schema = (properties or {}).get(field)
            if schema is not None and schema_types(schema) & {"integer", "number"}:
                expression = f"{source.expression}.map(r, r.{field}).sum() {operator} {literal}"
                return ResolvedCondition(_wrap(expression, negated), field)
    return None


#: What the length of a text is counted in ("longer than 200 characters").
_LENGTH_UNITS = frozenset({"characters", "character", "chars", "char", "letters"})
#: "fewer than 10 are left", "under 5 in stock": how many of something remain.
_LEFT_SAID = re.compile(
    r"^\s*(?:units?\s+|items?\s+|pieces?\s+)?(?:are\s+|is\s+)?"
    r"(?:left|remaining|in\s+stock|available|on\s+hand)\b",
    re.IGNORECASE,
)
#: The fields a stock record says how many remain in.
_LEFT_FIELDS = frozenset(
    "available stock remaining left on_hand in_stock_count quantity_available".split()
)


#: Verbs of a number that moves ("the stock drops below 5"): not what is compared.
_MOVES = _FALLING | _RISING | frozenset("goes go gets get sink".split())
#: What a condition on how many are left may name instead of saying "left".
_STOCK_SAID = frozenset("stock stocks inventory level levels quantity quantities count".split())
#: "if we have fewer than 10", "if there are under 5": how many are on hand, said of us.
_HOLDING = frozenset("we have got there are is hold holding".split())


_MOTION_VERBS = frozenset(
    "comes come arrives arrive goes go gets get lands land runs run totals total costs cost "
    "adds add amounts amount".split()
)
_MONEY_SAID = re.compile(
    r"[$\u20ac\u00a3]|\b(?:usd|eur|gbp|chf|cad|aud|jpy|dollars?|euros?|pounds?)\b", re.IGNORECASE
)


def _left_in_records(
    match: re.Match[str],
    sources: Sequence[Source],
    operator: str,
    literal: str,
    negated: bool,
) -> ResolvedCondition | None:
    """ "Check the inventory of SKU-1; if fewer than 10 are left": a step before it that
    lists records (one per SKU) saying how many of each remain: true when any has that
    few, read off those records rather than asked of the run. None when no step before
    lists such records."""
    said = {w for w in split_identifier(match.group("subject") or "") if len(w) > 1}
    after = match.string[match.end() :]
    if _LEFT_SAID.match(after) is None and not (
        # "check stock of SKU-1 and SKU-2; if either is below 5", "if stock of both is under
        # 10", "if it's below 5": how many are left, when nothing else is named
        said - STOP_WORDS - _MOVES <= _STOCK_SAID | {"none"}
        # "if we have fewer than 10" (it asked the run for `have`), with nothing after the
        # number ("if they have fewer than 10 orders" counts orders)
        or (said - STOP_WORDS <= _HOLDING and not after.strip(" .,;!?"))
    ):
        return None
    if said & {"none", "neither"}:
        negated = not negated
    every = bool(said & {"both", "all", "each", "every"})
    for source in sources:
        if source.node is None or "array" not in schema_types(source.schema):
            continue
        items = unwrap_nullable(unwrap_nullable(source.schema).get("items") or {})
        properties = items.get("properties") if isinstance(items, dict) else None
        for field, schema in (properties or {}).items():
            if field in _LEFT_FIELDS and schema_types(schema) & {"integer", "number"}:
                test = "all" if every else "exists"
                expression = f"{source.expression}.{test}(r, r.{field} {operator} {literal})"
                return ResolvedCondition(_wrap(expression, negated), field)
    # ("check HOODIE-GRY; if fewer than 5 are left": one product's `inventory_quantity`)
    counts = [
        source
        for source in sources
        if source.node is not None
        and "." not in source.name
        and schema_types(source.schema) & {"integer", "number"}
        and set(split_identifier(source.name)) & _STOCK_FIELD_WORDS
    ]
    nearest = max((source.priority for source in counts), default=None)
    counts = [source for source in counts if source.priority == nearest]
    if len(counts) != 1:
        return None
    expression = f"{counts[0].expression} {operator} {literal}"
    return ResolvedCondition(_wrap(expression, negated), counts[0].name)


#: The words of a field that holds how many of one product remain
_STOCK_FIELD_WORDS = frozenset(
    "available stock remaining left inventory quantity qty on_hand onhand".split()
)


_IS_NUMBER = re.compile(
    r"^\s*(?P<subject>[\w\s'-]+?)\s+(?:is|was|equals|comes\s+back(?:\s+as)?|returns?|=|==|!=)"
    r"(?:\s+(?:not|n't))?\s+(?P<number>-?\d+(?:\.\d+)?)\s*$|"
    r"^\s*(?P<subject2>[\w\s'-]+?)(?:\s+is|\s+was|\s+does)?n't\s+(?:equal\s+)?"
    r"(?P<number2>-?\d+(?:\.\d+)?)\s*$",
    re.IGNORECASE,
)


def _numeric_equality(
    text: str, sources: Sequence[Source], negated: bool
) -> ResolvedCondition | None:
    """ "if the status code is not 200", "if the status code is 404": a numeric field the
    condition names, equal (or not) to the number. Nothing is read when no field is named."""
    match = _IS_NUMBER.match(text)
    if match is None:
        return None
    subject = match.group("subject") or match.group("subject2")
    number = float(match.group("number") or match.group("number2"))
    named = [w for w in split_identifier(subject) if w not in STOP_WORDS]
    numeric = [s for s in sources if schema_types(s.schema) & {"integer", "number"}]
    best = _best_by_words(named, numeric)
    if best is None or not {stem(w) for w in named} & {
        stem(w) for w in split_identifier(best.name)
    }:
        return None
    if "!=" in match.group(0):
        negated = not negated
    whole = schema_types(best.schema) == {"integer"} and number == int(number)
    literal = str(int(number)) if whole else _number_literal(number)
    operator = "!=" if negated else "=="
    return ResolvedCondition(f"{best.expression} {operator} {literal}", best.name)


#: "the page title contains 'Error'", "the summary mentions the word refund": words said
#: to be in a text.
_CONTAINS = re.compile(
    r"^(?P<subject>.+?)\s+(?:does\s*n[o']t\s+|do\s*n[o']t\s+)?(?:contains?|includes?|mentions?|"
    r"says?|has)\s+(?:the\s+(?:word|phrase|text|string)\s+)?(?:[\"'\u201c\u2018](?P<quoted>[^\"'\u201d\u2019]"
    r"{1,80})[\"'\u201d\u2019]|(?<=word\s)(?P<word>[\w-]+))\s*$"
    # "the summary mentions outage", "the page doesn't mention maintenance": a word or two
    # written without quotes (not "has an account", "contains any errors": what it holds)
    r"|^(?P<bare_subject>.+?)\s+(?:does\s*n[o']t\s+|do\s*n[o']t\s+)?(?:contains?|mentions?|"
    r"says?)\s+(?!(?:a|an|the|any|no|some|its|their|nothing|anything)\b)"
    r"(?P<bare>[a-z][\w-]{2,30}(?:\s+[a-z][\w-]{2,30})?)\s*$",
    re.IGNORECASE,
)
#: "it says there's an outage", "the page reports that there are errors": the word said
#: to be in the text ("it says outage").
_SAYS_THERE_IS = re.compile(
    r"\b(?:says?|mentions?|reports?)\s+(?:that\s+)?there(?:'s|\s+is|\s+are|\s+was|\s+were)\s+"
    r"(?:an?\s+|some\s+)?(?=[a-z])",
    re.IGNORECASE,
)
#: "it mentions an outage", "the summary mentions the refund": the word said ("mentions
#: outage"); "contains an error" and "has a" stay what a text holds.
_MENTIONS_A = re.compile(r"\b(?P<verb>mentions?)\s+(?:an?|the)\s+(?=[a-z])", re.IGNORECASE)
#: Text fields a condition on "it" or "the page" reads when it names none of them.
_TEXT_FIELDS = ("text", "content", "body", "message", "summary")


def _text_contains(text: str, sources: Sequence[Source], negated: bool) -> ResolvedCondition | None:
    """ "if the page title contains 'Error'": `fetch_url.title.contains("Error")`, on the text
    field the condition names (else the text of the step it speaks of)."""
    said = _MENTIONS_A.sub(r"\g<verb> ", _SAYS_THERE_IS.sub("says ", text))
    match = _CONTAINS.match(said.strip(" .,;:!?"))
    if match is None:
        return None
    bare = match.group("bare")
    value = match.group("quoted") or match.group("word") or bare
    subject = match.group("subject") or match.group("bare_subject")
    named = [w for w in split_identifier(subject) if w not in STOP_WORDS]
    texts = [s for s in sources if s.node is not None and schema_types(s.schema) == {"string"}]
    if bare is not None:
        if any(bare.lower() in map(str, _enum_values(s.schema)) for s in sources):
            return None  # "if the ticket mentions billing": the category it was given
        # a word written as it came to mind: any case of it
        texts = [s for s in texts if not _enum_values(s.schema)]
    best = _best_by_words(named, texts)
    if best is None or not {stem(w) for w in named} & {
        stem(w) for w in split_identifier(best.name)
    }:
        best = next((s for s in texts if s.name in _TEXT_FIELDS), None)
    if best is None:
        return None
    if bare is not None:
        expression = f"{best.expression}.lowerAscii().contains({json.dumps(value.lower())})"
    else:
        expression = f"{best.expression}.contains({json.dumps(value)})"
    return ResolvedCondition(f"!{expression}" if negated else expression, best.name)


def _number_literal(number: float) -> str:
    # A double literal compares with both int and double values in CEL.
    return repr(float(number)) if number != int(number) else f"{int(number)}.0"


def _enum_equality(
    text: str, words: list[str], sources: Sequence[Source], negate: bool, explained: str
) -> ResolvedCondition | None:
    """`source == "value"` for an enum value the condition names. "If the refund failed"
    with a status that can be `failed`: the word is the value, not a negation."""
    lowered = text.lower()
    # "if the customer is unhappy": a feeling reads the sentiment it is, where the enum
    # does not list the word itself
    felt = {FEELINGS[w] for w in split_identifier(lowered) if w in FEELINGS}
    reason = _REASON.search(lowered)
    if reason is not None:
        # "if it's declined because the card expired": the value is the reason's
        lowered = " " * reason.end() + lowered[reason.end() :]
    said_stems = {stem(w) for w in split_identifier(lowered)}
    found: list[tuple[float, Source, str, tuple[int, int]]] = []
    in_other_words: list[tuple[float, Source, str, tuple[int, int]]] = []
    for source in sources:
        values = _enum_values(source.schema)
        if not values:
            continue
        for value in values:
            if not isinstance(value, str) or not value:
                continue
            # "insufficient_funds" or "insufficient funds"
            said = r"[\s_-]+".join(re.escape(w) for w in _value_words(value))
            where = re.search(rf"\b{said}\b", lowered)
            value_stems = {stem(w) for w in _value_words(value) if w}
            if where is None and len(value_stems) > 1 and value_stems <= said_stems:
                # "the card expired" for "expired_card": every word of it, in another order
                score = 0.5 + _word_overlap(words, source) + source.priority * 0.001
                in_other_words.append((score, source, value, (-9, -9)))
            if where is None and len(value_stems) == 1 and value_stems <= said_stems:
                # "the refund fails" for "failed": the same word in another form
                score = 0.9 + _word_overlap(words, source) + source.priority * 0.001
                in_other_words.append((score, source, value, (-9, -9)))
            elif where is None and _outcome_said_of(value, said_stems):
                # "if the checks pass" for `checks` listing "success": the outcome a value
                # names, said with another verb
                score = 0.85 + _word_overlap(words, source) + source.priority * 0.001
                in_other_words.append((score, source, value, (-9, -9)))
            if where is not None or value.lower() in felt:
                score = (
                    1.0
                    + _word_overlap(words, source)
                    + 0.5 * _word_overlap(words, source, context_only=True)
                    + source.priority * 0.001
                )
                found.append((score, source, value, where.span() if where else (-9, -9)))
    found = found or in_other_words
    if not found:
        return None
    _, source, value, span = max(found, key=lambda match: match[0])
    # the value's own words ("failed", "rejected") say which value, not "not"
    value_words = r"|".join(
        rf"{re.escape(stem(w))}\w*" for w in [*_value_words(value), *_outcome_words(value)] if w
    )
    unsaid = re.sub(rf"\b(?:{value_words})\b", " ", explained, flags=re.IGNORECASE)
    negated = negate != _is_negated(unsaid)
    # "an urgent billing issue": a value of another field of the same step said next to
    # it must hold too
    tests = {source.expression: f"{source.expression} == {json.dumps(value)}"}
    for _, other, other_value, other_span in sorted(found, key=lambda match: -match[0]):
        beside = _beside(lowered, span, other_span)
        if beside and other.node == source.node and other.expression not in tests:
            tests[other.expression] = f"{other.expression} == {json.dumps(other_value)}"
    if len(tests) > 1:
        both = " && ".join(f"({test})" for test in tests.values())
        return ResolvedCondition(f"!({both})" if negated else both, source.name)
    operator = "!=" if negated else "=="
    return ResolvedCondition(f"{source.expression} {operator} {json.dumps(value)}", source.name)


#: Values that name how something went, and the words that say it went that way.
_OUTCOME_VALUE_WORDS = {
    frozenset(stem(w) for w in values.split()): frozenset(stem(w) for w in said.split())
    for values, said in (
        ("success succeeded successful passed pass", "pass passes passed succeed succeeds "
         "succeeded green"),
        ("failure failed fail", "fail fails failed failing red"),
    )
}


def _outcome_words(value: str) -> list[str]:
    """The words that say the outcome an enum value names ("fail" of `failure`): the value's
    own, so "if the checks fail" reads `== "failure"`, not a negation."""
    value_stem = stem(value.lower())
    said = (said for values, said in _OUTCOME_VALUE_WORDS.items() if value_stem in values)
    return sorted(next(said, ()))


def _outcome_said_of(value: str, said_stems: set[str]) -> bool:
    """Whether a condition says the outcome an enum value names ("the checks pass" of
    `success`, "the build is red" of `failure`) in words other than the value's own."""
    value_stem = stem(value.lower())
    return any(
        value_stem in values and said_stems & said for values, said in _OUTCOME_VALUE_WORDS.items()
    )


def _not_a_listed_value(text: str, sources: Sequence[Source]) -> str:
    """`text` with "unhealthy" said as "not healthy" where a step lists `healthy`."""
    for source in sources:
        for value in _enum_values(source.schema):
            if isinstance(value, str) and value.isalpha():
                text = re.sub(rf"\bun-?({re.escape(value)})\b", r"not \1", text, flags=re.I)
    return text


#: "declined because the card expired", "fails due to insufficient funds": why it happened
_REASON = re.compile(r"\b(?:because(?:\s+of)?|due\s+to|owing\s+to|as\s+a\s+result\s+of)\s+")


def _beside(text: str, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether two words of `text` stand next to each other ("urgent billing", "urgent and
    billing", "technical with urgent priority"), in either order."""
    if min(first[0], second[0]) < 0:
        return False
    left, right = sorted((first, second))
    return re.fullmatch(r"\s+(?:(?:and|with)\s+)?", text[left[1] : right[0]]) is not None


#: "there are unmatched transactions", "there are no failed payments": some of a kind.
_THERE_ARE = re.compile(
    r"^\s*there\s+(?:are|is|were|was)\s+(?P<no>no\s+|not\s+any\s+)?(?:any\s+|some\s+)?"
    r"(?P<what>[a-z]+(?:\s+[a-z]+){0,2})\s*$",
    re.IGNORECASE,
)
_COUNTS = frozenset({"count", "number", "total", "num"})


#: "if there are none", "if there aren't any", "if there are some": of what the step
#: before counted, no kind said
_THERE_ARE_NONE = re.compile(
    r"^\s*there\s+(?:are|is|were|was)(?:\s+(?P<none>none)|(?P<not>n't|\s+not)\s+any|"
    r"\s+(?:some|any))\s*$",
    re.IGNORECASE,
)


def _none_counted(text: str, sources: Sequence[Source], negate: bool) -> ResolvedCondition | None:
    """ "check for duplicates nearby; if there are none, open it": the one field of the
    nearest step that is only a count (`count`) is 0 ("if there are some": above 0)."""
    match = _THERE_ARE_NONE.match(text)
    if match is None:
        return None
    counts = [
        source
        for source in sources
        if source.node is not None
        and set(split_identifier(source.name)) <= _COUNTS
        and schema_types(source.schema) & {"integer", "number"}
    ]
    nearest = max((source.priority for source in counts), default=None)
    counts = [source for source in counts if source.priority == nearest]
    if len(counts) != 1:
        return None
    none = (match.group("none") or match.group("not")) is not None
    none = none != negate
    return ResolvedCondition(f"{counts[0].expression} {'==' if none else '>'} 0", counts[0].name)


def _there_are_some(text: str, sources: Sequence[Source], negate: bool) -> ResolvedCondition | None:
    """ "when there are unmatched transactions": the count a step returns of that kind
    (`unmatched_count`) is above 0 ("there are no ...": it is 0)."""
    found = _none_counted(text, sources, negate)
    if found is not None:
        return found
    match = _THERE_ARE.match(text)
    if match is None:
        return None
    said = {stem(w) for w in match.group("what").lower().split()}
    for source in sources:
        words = split_identifier(source.name)
        if not set(words) & _COUNTS or not schema_types(source.schema) & {"integer", "number"}:
            continue
        kind = {stem(w) for w in words if w not in _COUNTS}
        if kind and kind <= said:
            none = bool(match.group("no")) != negate
            return ResolvedCondition(f"{source.expression} {'==' if none else '>'} 0", source.name)
    return None


def _value_words(value: str) -> list[str]:
    """The words of an enum value, in lower case: "insufficient_funds", "out-of-stock",
    and "OutForDelivery" (a value written in CamelCase) alike."""
    if re.search(r"[a-z][A-Z]", value) and not re.search(r"[\s_-]", value):
        return [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", value)]
    return re.split(r"[\s_-]+", value.lower())


def _enum_values(schema: object) -> list[object]:
    """The values an enum field lists, also when it may be null (`anyOf` with null)."""
    if not isinstance(schema, dict):
        return []
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    for option in schema.get("anyOf") or schema.get("oneOf") or []:
        if isinstance(option, dict) and isinstance(option.get("enum"), list):
            return list(option["enum"])
    return []


#: "if it's clear", "if it comes back clean": a check that found nothing wrong
_CLEAR_WORDS = frozenset(stem(w) for w in "clear clean cleared".split())
#: Yes/no fields that say a check found a problem ("conflict", "fraud", "flagged").
_PROBLEM_FLAGS = frozenset(
    stem(w)
    for w in "conflict conflicts fraud fraudulent flagged flag hit hits match matched risk "
    "risky duplicate sanctioned blocked suspicious".split()
)


def _boolean(
    words: list[str], sources: Sequence[Source], negated: bool, text: str = ""
) -> ResolvedCondition | None:
    booleans = [s for s in sources if schema_types(s.schema) == {"boolean"}]
    # "if it's a business address": a kind of thing, not the state a field describes
    kind_said = _A_KIND_OF.search(text) is not None
    best: tuple[float, Source, bool] | None = None
    for source in booleans:
        field_stems = {stem(w) for w in split_identifier(source.name)}
        field_related = set().union(*(synonyms(f) for f in field_stems)) if field_stems else set()
        score = 0.0
        flip = False
        for word in words:
            word_stem = stem(word)
            if word_stem in field_stems or _IRREGULAR.get(word_stem) in field_stems:
                score += 1.0
            elif word_stem in field_related:
                score += 0.6
            elif word_stem in _SUCCESS_WORDS and field_stems & {"success", "succe", "ok"}:
                score += 0.8
            elif word_stem in ABSENT_STEMS and (field_stems | field_related) & _PRESENT:
                score += 1.0  # "if anything is missing" -> !in_stock
                flip = True
            elif word_stem in _UNKNOWN and field_stems & _FOUND:
                score += 1.0  # "if they're new" -> !found: nobody matched
                flip = True
            elif word_stem in _CLEAR_WORDS and field_stems & _PROBLEM_FLAGS:
                score += 1.0  # "if it's clear" -> !conflict: the check found nothing
                flip = True
            else:
                for prefix in _NEGATIVE_PREFIXES:
                    rest = word_stem[len(prefix) :]
                    if (
                        word_stem.startswith(prefix)
                        and len(rest) >= 3
                        # "unavailable": not `in_stock` (available is its synonym)
                        and {rest, stem(rest)} & (field_stems | field_related)
                    ):
                        score += 1.0
                        flip = True
                        break
        if score <= 0 and words and not kind_said:
            # "if they are suspended": `active`, described "False when ... suspended"
            described = _described_state(source, words[-1])
            if described is not None:
                score, flip = 0.9, not described
        if score <= 0:
            continue
        score += 0.5 * _word_overlap(words, source, context_only=True) + source.priority * 0.001
        if best is None or score > best[0]:
            best = (score, source, flip)
    if best is None:
        best = _outcome_flag(words, booleans)
    if best is None:
        return None
    _, source, flip = best
    return ResolvedCondition(_wrap(source.expression, negated != flip), source.name)


_A_KIND_OF = re.compile(r"\b(?:a|an)\s+[a-z-]+\s+[a-z]+\s*$", re.IGNORECASE)
_POLARITY = re.compile(r"^\s*(?P<value>true|false)\s+(?:when|if|for|once)\s+(?P<what>.+)$", re.I)


def _described_state(source: Source, word: str) -> bool | None:
    """The value a yes/no field has when its description says it has it for `word` ("False
    when the account is suspended": "suspended" -> False), else None."""
    description = source.schema.get("description") if isinstance(source.schema, dict) else None
    match = _POLARITY.match(description or "")
    if match is None or word in STOP_WORDS or len(word) < 4:
        return None
    said = [stem(w) for w in split_identifier(match.group("what")) if w not in STOP_WORDS]
    # "when the account is suspended": the state, not what has it ("a business address"
    # says nothing of "True when the address can be used")
    if stem(word) not in said[1:]:
        return None
    return match.group("value").lower() == "true"


#: Outcome words that only a payment tells.
_PAID_WORDS = frozenset(stem(w) for w in ("paid", "charged"))
_PAYMENT_STEMS = frozenset(
    stem(w) for w in "pay payment paid charge charged billing invoice".split()
)


def _said_of_a_payment(source: Source) -> bool:
    """Whether `source` is a payment step's field (its tool's words or its own say so)."""
    words = {stem(w) for w in (*source.context, *split_identifier(source.name))}
    return bool(_PAYMENT_STEMS & words)


def _outcome_flag(
    words: list[str], booleans: Sequence[Source]
) -> tuple[float, Source, bool] | None:
    """ "If the payment fails" / "if it succeeds": the yes/no field of the step it names
    (or of the latest step), when the condition speaks of success or failure."""
    word_stems = {stem(w) for w in words}
    if stem("like") in word_stems:
        word_stems -= {stem("looks")}  # "it looks like a typo" says what, not how it went
    if not word_stems & _OUTCOME_WORDS:
        return None
    if not word_stems & (_OUTCOME_WORDS - _APPROVAL_OUTCOMES):
        booleans = [source for source in booleans if "approval" in source.context]
    if words and words[-1].lower() in _WENT_BADLY:
        # ("if the card is declined": what a payment step tells, not whether the order was
        # valid)
        booleans = [source for source in booleans if _said_of_a_payment(source)]
    if not word_stems & (_OUTCOME_WORDS - _PAID_WORDS):
        # ("validate order 5 and if they paid, ship it": "paid" is what a payment step
        # tells, not whether the order was valid)
        booleans = [source for source in booleans if _said_of_a_payment(source)]
    best: tuple[float, Source, bool] | None = None
    for source in booleans:
        if source.expression.count(".") != 1:
            continue  # a top-level field of a step's output
        if not {stem(w) for w in split_identifier(source.name)} & _OUTCOME_FIELDS and not (
            _done_by_its_step(source)
        ):
            continue  # `truncated` says nothing of whether the fetch worked
        score = _word_overlap(words, source, context_only=True) + source.priority * 0.001
        if best is None or score > best[0]:
            # ("if the charge is declined": `approved` does not hold; it was read as holding)
            best = (score, source, bool(words) and words[-1].lower() in _WENT_BADLY)
    return best


def _done_by_its_step(source: Source) -> bool:
    """ "if the renewal is refused": `renewed` of the step that renews, the field that says
    whether the step's own doing went through."""
    node, _, field = source.expression.partition(".")
    words = split_identifier(field)
    return len(words) == 1 and stem(words[0]) == stem(node.rsplit("_", 1)[-1])


_EQUALS = re.compile(
    # ("the currency isn't USD": said negated, as "is not" is)
    r"(?P<field>[a-z_]+)\s+(?:is|isn't|equals|==|=)\s+(?P<not>not\s+)?[\"']?"
    # ("if the supplier is Acme Fasteners": a name of capitalised words is one value)
    r"(?P<value>(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w&-]*)+)|[\w-]+)[\"']?",
    re.IGNORECASE,
)


#: Last words of a field that holds free text or an address, never one word of a request
#: ("if their email is valid" is not `email == "valid"`).
_FREE_TEXT = frozenset(
    "email address url link name text body content title subject summary message id".split()
)


def _free_text(source: Source) -> bool:
    words = split_identifier(source.name)
    return bool(source.schema.get("format")) or (bool(words) and words[-1] in _FREE_TEXT)


def _string_equality(
    text: str, sources: Sequence[Source], negated: bool
) -> ResolvedCondition | None:
    match = _EQUALS.search(text)
    if match is None:
        return None
    field = match.group("field").lower()
    strings = [s for s in sources if schema_types(s.schema) == {"string"} and not _free_text(s)]
    candidates = [s for s in strings if stem(singular(s.name.lower())) == stem(field)]
    if not candidates:
        return None
    source = max(candidates, key=lambda s: s.priority)
    value = match.group("value")
    operator = "!=" if negated else "=="
    return ResolvedCondition(f"{source.expression} {operator} {json.dumps(value)}", source.name)


def _word_overlap(words: list[str], source: Source, *, context_only: bool = False) -> float:
    stems_of_words = {stem(w) for w in words}
    names = list(source.context) if context_only else [source.name, *source.context]
    source_stems = {stem(w) for name in names for w in split_identifier(name)}
    return float(len(stems_of_words & source_stems))


def _best_by_words(words: list[str], sources: Sequence[Source]) -> Source | None:
    if not words:
        return None
    best: tuple[float, Source] | None = None
    word_stems = {stem(w) for w in words} | {stem(singular(w)) for w in words}
    for source in sources:
        name_stems = {stem(w) for w in split_identifier(source.name)}
        related = set().union(*(synonyms(s) for s in name_stems)) if name_stems else set()
        score = 2.0 * len(word_stems & name_stems) + 1.0 * len(word_stems & related)
        # "the total" is the subtotal a step computed
        score += 1.0 * sum(
            1 for w in words if len(w) > 3 and source.name.lower().endswith(w) and w != source.name
        )
        score += 0.5 * _word_overlap(words, source, context_only=True)
        if score <= 0:
            continue
        score += source.priority * 0.001
        if best is None or score > best[0]:
            best = (score, source)
    return best[1] if best else None
