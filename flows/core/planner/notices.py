"""What a notice says when the request names only its topic: "notify support about the failed
payment" gets the subject "Failed payment" and a body that says it, with what the step before
reported, rather than asking the run for a subject and a body."""

from __future__ import annotations

import re

#: "notify support about the failed payment", "alert the team regarding the outage", "let
#: the customer know about the delay", "email ops about the refund": a message on a topic.
_ON_A_TOPIC = re.compile(
    r"^\W*(?:notify|alert|inform|warn|tell|ping|update|e-?mail|message|write\s+to|"
    r"send\s+(?:a\s+|an\s+)?(?:note|notice|notification|alert|heads[- ]up|email|e-mail|message)"
    r"(?:\s+to)?|let"
    # ("open a ticket about the broken printer": a work item on a topic)
    r"|(?:open|create|file|log|raise|submit)\s+(?:a|an|the)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:ticket|issue|case|incident))\b"
    r"(?P<who>.*?)\s+(?:know\s+)?(?:about|regarding|concerning|on\s+the\s+subject\s+of)\s+"
    r"(?P<topic>[^,;.!?\"]+)",
    re.IGNORECASE,
)
#: "notify support", "alert the on-call engineer": a notice with no topic said.
_NOTICE = re.compile(
    r"^\W*(?:notify|alert|inform|warn|ping|let\s+\S+(?:\s+\S+)?\s+know"
    # "post an alert in #fx", "send me a warning", "email ops a heads-up"
    r"|(?:send|post|email|e-mail|text|message|sms|page)\s+(?:\S+\s+)?(?:an?\s+)?"
    r"(?:alert|warning|notification|notice|heads[\s-]up)s?)\b",
    re.IGNORECASE,
)
#: Words that end the topic ("about the failed payment if it fails"), and a channel named
#: after it ("about the outage on Slack"), which the step still asks for.
_TOPIC_ENDS = re.compile(
    r"\s+(?:if|when|unless|once|after|before|and\s+then|then|with|by|via|through|using|"
    r"so\s+that|(?:on|in|over)\s+(?-i:[A-Z])\w*)\b.*$",
    re.IGNORECASE,
)
#: What a message may say of instead of the thing it is about ("tell them it shipped").
PRONOUN_OBJECTS = frozenset("it this that them these those".split())
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|this|that|their|our|its|his|her)\s+", re.IGNORECASE)


def notice_topic(action: str) -> str | None:
    """The topic a message step names ("about the failed payment" -> "the failed payment"),
    None when it names none."""
    match = _ON_A_TOPIC.match(action)
    if match is None:
        return None
    topic = _TOPIC_ENDS.sub("", match.group("topic")).strip()
    if topic.lower() in PRONOUN_OBJECTS:
        return None  # "notify support about it": the topic is the step before's
    return topic or None


def without_notice_topic(action: str) -> str:
    """The step without its topic ("email ops about the refund" -> "email ops"): what a
    message is about asks nothing of the catalogue."""
    match = _ON_A_TOPIC.match(action)
    if match is None:
        return action
    topic = _TOPIC_ENDS.sub("", match.group("topic"))
    start = match.start("topic")
    cut = re.search(
        r"\s+(?:know\s+)?(?:about|regarding|concerning|on\s+the\s+subject\s+of)\s+$",
        action[:start],
        re.IGNORECASE,
    )
    head = action[: cut.start()] if cut else action[:start]
    return f"{head}{action[start + len(topic) :]}".strip()


def is_notice(action: str) -> bool:
    """Whether the step sends a notice (on a topic, or "notify support" alone)."""
    return notice_topic(action) is not None or bool(_NOTICE.match(action))


def notice_subject(topic: str | None, fallback: str) -> str:
    """The subject line: the topic without its article, capitalised."""
    text = _LEADING_ARTICLE.sub("", topic or fallback).strip()
    return text[:1].upper() + text[1:]
