"""Routing said of the thing a run is about, read as steps: "urgent tickets go to the
on-call engineer" is a message to that person, "the rest get a ticket" a ticket made,
and "send high priority tickets to the manager" is for high-priority ones only.

The run handles one thing; a quality said of a plural ("urgent tickets") is which of
them the step is for, so it becomes the step's condition ("if the priority is high").
"""

from __future__ import annotations

import re

from flows.core.planner.lexicon import singular
from flows.core.planner.recipients import EMAIL_ADDRESS, message_recipients, subject_addressee

_MESSAGE_WORD = re.compile(r"\b(?:e-?mail|message|notification|note|reply|sms|text)\b", re.I)
#: "go to", "goes to": where a thing is handed; "go into": what it is filed as.
_HANDED_TO = re.compile(
    r"^(?:goes|go|(?:are\s+|be\s+|get\s+)?(?:escalated|sent|forwarded|routed|passed|handed|"
    r"assigned))\s+to$",
    re.IGNORECASE,
)
_RECEIVES = re.compile(r"^(?:gets?|receives?)$", re.IGNORECASE)
#: "a summary sent to the team", "the details emailed to ops@example.com"
_SENT_TO = re.compile(
    r"^(?P<what>.+?)\s+(?:sent|emailed|mailed|forwarded)\s+to\s+(?P<who>.+)$", re.IGNORECASE
)


def routed_action(verb: str, rest: str) -> tuple[str, str]:
    """The step a routing verb asks for, and its object: "goes to the on-call engineer":
    email them; "gets an email": send it; "gets a ticket" / "becomes a ticket": create it."""
    if rest.lower() == "nothing":
        return "do", "nothing"  # "bad ones get nothing"
    if _HANDED_TO.match(verb.strip()) and _names_a_person(rest):
        return "email", rest
    if _RECEIVES.match(verb.strip()) and _MESSAGE_WORD.search(rest):
        return "send", rest
    sent = _SENT_TO.match(rest)
    if _RECEIVES.match(verb.strip()) and sent is not None:
        # "everything else gets a summary sent to triage@": the summary, emailed to them
        return "email", f"{sent.group('what')} to {sent.group('who')}"
    return "create", rest


def _names_a_person(rest: str) -> bool:
    if EMAIL_ADDRESS.match(rest.strip()):
        return True  # "billing questions go to billing@example.com (and ...)"
    said = f"email {rest}"
    return bool(message_recipients(said)) or subject_addressee(said) is not None


#: "send urgent tickets to the on-call engineer", "forward high priority tickets to the
#: manager", "escalate negative reviews to support"
_QUALIFIED_ROUTE = re.compile(
    r"^(?P<lead>(?:(?:then|and|also|please|just)\s+)*)"
    r"(?P<verb>send|forward|route|escalate|assign|pass|hand)\s+(?:all\s+|any\s+)?(?:the\s+)?"
    r"(?P<quality>[a-z]+)(?:[\s-]+(?P<field>priority|sentiment|category))?\s+"
    r"(?P<noun>[a-z]+s|ones)\s+(?P<to>to\s+.+)$",
    re.IGNORECASE,
)
#: "... and everything else to the queue", "..., the rest to sales"
_THE_REST_TO = re.compile(
    r"(?:\s*,\s*|\s+)(?:and\s+|but\s+)?(?:(?:everything|anything|all)\s+else|the\s+rest|"
    r"(?:all\s+)?(?:the\s+)?others)\s+(?P<to>to\s+.+)$",
    re.IGNORECASE,
)


def qualified_route(sentence: str, qualities: frozenset[str]) -> str | None:
    """ "Send urgent tickets to the on-call engineer and everything else to the queue" as
    "if it's urgent, send it to the on-call engineer; otherwise send it to the queue";
    None when the sentence is no such routing or the quality is none a step can tell."""
    rest = _THE_REST_TO.search(sentence)
    head = sentence[: rest.start()] if rest is not None else sentence
    match = _QUALIFIED_ROUTE.match(head.strip())
    if match is None or match.group("quality").lower() not in qualities:
        return None
    quality, field = match.group("quality").lower(), match.group("field")
    noun = match.group("noun").lower()
    # "urgent tickets": the ticket is urgent (its noun helps tell which step can say so)
    subject = f"the {field.lower()} is" if field else "it's" if noun == "ones" else None
    subject = subject or f"the {singular(noun)} is"
    verb = match.group("verb").lower()
    routed = f"{match.group('lead')}if {subject} {quality}, {verb} it {match.group('to')}"
    if rest is not None:
        routed += f"; otherwise {verb} it {rest.group('to')}"
    return routed


#: "depending on the priority", "based on its category", "according to the sentiment"
_DEPENDS_ON = re.compile(
    r"\b(?:depending\s+on|based\s+on|according\s+to|by)\s+(?:the\s+|its\s+|their\s+)?"
    r"(?P<what>[a-z]+(?:\s+[a-z]+)?)",
    re.IGNORECASE,
)
_ALTERNATIVES = re.compile(r"\beither\b|\w\s+or\s+\w", re.IGNORECASE)


def unstated_cases(action: str) -> str | None:
    """What a routing depends on when the request names the choices but not which case
    leads where ("either page the on-call or email the team depending on the priority")."""
    depends = _DEPENDS_ON.search(action)
    if (
        depends is None
        or depends.group(0).lower().startswith("by ")
        or not _ALTERNATIVES.search(action)
    ):
        return None
    return depends.group("what")
