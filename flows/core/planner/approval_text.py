"""Text a plan writes from the request rather than asking the run for it: what an approval
node tells its approver ("if the total is over 500 have finance approve it" becomes
"Approve the order: its total is over 500.") and the subject line of a message that says
what it sends ("email the customer a receipt": "Your receipt"); and the form an approval asks
its approver to fill in ("... and enter the discount": a number field)."""

from __future__ import annotations

import re
from typing import Any

from flows.core.planner.named_values import CODE_PAIR

_LEADING_IF = re.compile(r"^(?:only\s+)?(?:if|when|once|whenever|unless|in\s+case)\s+", re.I)
_THE_NOUN = re.compile(r"^(?:the|its|their)\s+(?P<noun>[\w-]+)\b", re.I)
_VERB = re.compile(r"\b(?P<verb>is|are|was|were|has|have|does|do)\b(?P<not>\s+not\b|n't\b)?", re.I)
#: What strip_approval_phrase leaves of "charge the card and have a manager approve it".
_LEFT_OVER = re.compile(
    r"(?:[\s,]+(?:and|then|but|so|only))*(?:\s+(?:it|them|this|that))?(?:\s+only)?\s*$", re.I
)
_UNITS = ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second"))
_ON_TIMEOUT = {
    "approve": "it is approved",
    "reject": "it is rejected",
    "fail": "the run fails",
    "escalate": "it is escalated",
}


def _negated(text: str) -> str:
    """ "the order is valid" -> "the order is not valid" (and back)."""
    match = _VERB.search(text)
    if match is None:
        return f"not ({text})"
    if match.group("not"):
        return text[: match.end("verb")] + text[match.end() :]
    return text[: match.end("verb")] + " not" + text[match.end("verb") :]


def _reason(condition: str, negate: bool, thing: str | None) -> str:
    text = _LEADING_IF.sub("", condition.strip().rstrip(".,;:"))
    if negate:
        text = _negated(text)
    noun = _THE_NOUN.match(text)
    if thing and noun is not None:
        rest = text[noun.end() :]
        if noun.group("noun").lower() == thing.lower() and (
            _VERB.match(rest.strip()) or not _VERB.search(rest)
        ):
            # "the order is not valid": it is not valid ("the order ships abroad": it ships)
            text = "it" + rest
        elif noun.group("noun").lower() == thing.lower():
            text = "its" + rest  # "the order total is over 2000": its total
        else:
            text = "its " + text[noun.start("noun") :]  # "the total": its total
    else:  # "it's over 1000": it is over 1000
        text = re.sub(
            r"^it's\b", "it is", re.sub(r"^they're\b", "they are", text, flags=re.I), flags=re.I
        )
    return text


def _duration(seconds: float) -> str:
    for size, unit in _UNITS:
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds:g} seconds"


def approval_instructions(
    *,
    thing: str | None,
    condition: str | None,
    step: str | None = None,
    negate: bool = False,
    gerund: bool = False,
    timeout_s: float | None = None,
    on_timeout: str | None = None,
    escalate_to: str | None = None,
) -> str:
    """An instruction to the approver: what to approve, why it needs approval (the
    condition that asked for it) and how long they have. `gerund`: `step` is said as an
    activity ("charging the card"), not as a request ("charge the card")."""
    what = f"the {thing}" if thing else "the request"
    if not thing and step:
        step = _LEFT_OVER.sub("", step.strip(" ,."))
        if step:
            step = f"{step[0].lower()}{step[1:]}"
            # "charging the card" is already what to approve; "charge the card" is a request
            what = step if gerund else f"the request to {step}"
    text = f"Approve {what}"
    if condition:
        text += f": {_reason(condition, negate, thing)}"
    text += "."
    if timeout_s:
        lapse = _ON_TIMEOUT.get(on_timeout or "reject", "it is rejected")
        if on_timeout == "escalate" and escalate_to:
            lapse = f"it goes to {escalate_to}"
        text += f" Decide within {_duration(timeout_s)}; after that {lapse}."
    return text


#: "email the customer a receipt", "send them the tracking number": what a message step
#: sends, after the verb and whom it goes to.
_SENT_THING = re.compile(
    r"^\s*(?:e-?mail|send|mail|message|text)\s+"
    # ("email the errors to the customer": what is sent, then whom to, is no one's)
    r"(?P<who>(?:the\s+)?[\w@.+-]+(?:\s+(?!(?:to|for|with|by|via)\b)[\w@.+-]+)?\s+)?"
    r"(?:a|an|the|their|his|her|its|our|my|your)\s+(?P<what>[\w'-]+(?:\s+[\w'-]+){0,3}?)"
    r"(?=\s+(?:to|for|with|by|via|about|from|in|on|at|that|saying|and|if|when|once|unless|"
    r"as|of)\b|\s*[,.;:!?]|\s*$)",
    re.IGNORECASE,
)
_CODE_PAIR = re.compile(rf"\b{CODE_PAIR}\b")
#: Nouns that say only that a message goes out, not what it is about.
_ONLY_A_MESSAGE = frozenset(
    {"email", "e-mail", "mail", "message", "note", "text", "sms", "line", "reply", "it", "them"}
)
_ADDRESSEES = frozenset({"customer", "user", "client", "buyer", "them", "him", "her", "requester"})


def subject_line(action: str) -> str | None:
    """The subject line of a message step that names what it sends, or None."""
    # ("email me the USD to JPY rate": the USD-JPY rate, not "USD")
    match = _SENT_THING.match(_CODE_PAIR.sub(lambda m: f"{m[0][:3]}-{m[0][-3:]}", action))
    if match is None:
        return None
    what = match.group("what").strip()
    if what.lower() in _ONLY_A_MESSAGE or what.lower().split()[-1] in _ONLY_A_MESSAGE:
        return None
    who = (match.group("who") or "").split()
    if who and who[-1].lower() in _ADDRESSEES:
        return f"Your {what}"
    return what[0].upper() + what[1:]


#: "ask a manager to approve it and enter the discount they give", "... and give a reason":
#: what the approver is asked to fill in besides the decision.
_ASKED_FIELD = re.compile(
    r"\b(?:enter|give|fill\s+in|provide|specify|set|choose|pick|write|type|state|confirm|"
    r"record)\s+"
    r"(?:the|a|an|their|his|her|its)\s+(?P<what>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2}?)"
    r"(?=\s+(?:they|he|she|we|you|it|to|for|that|which|who|of|on|in|with|then|and|before|"
    r"after|if|when|so)\b|\s*[,.;:!?]|\s*$)",
    re.IGNORECASE,
)
#: "... of boxes", "... of the pallets": what a number the approver gives counts
_COUNT_OF = re.compile(r"^\s+of\s+(?:the\s+)?(?P<what>[a-z][a-z-]*)", re.IGNORECASE)
#: What an approval records anyway (its comment), or words that name no value.
_NOT_A_FIELD = frozenset({"comment", "comments", "decision", "approval", "go-ahead", "ok", "okay"})
#: A field whose last word is one of these is a number.
_NUMBER_WORDS = frozenset(
    "amount discount price total quantity qty percent percentage rate limit budget fee cost "
    "credit count score days hours minutes weeks months years".split()
)


def asked_form(action: str) -> dict[str, Any] | None:
    """The form an approval asks its approver to fill in ("enter the discount": a number
    field `discount`), or None when the request asks only for the decision."""
    match = _ASKED_FIELD.search(action)
    if match is None:
        return None
    words = match.group("what").lower().split()
    if not words or words[-1] in _NOT_A_FIELD:
        return None
    counted = _COUNT_OF.match(action[match.end() :])
    if counted is not None and words[-1] in {"number", "count", "amount", "total"}:
        words += ["of", counted.group("what").lower()]  # "the number of boxes"
    name = "_".join(w.replace("-", "_") for w in words)
    field: dict[str, object] = {
        # ("the number of boxes", "the count of pallets": a number too)
        "type": "number"
        if words[-1] in _NUMBER_WORDS or words[0] in {"number", "count", "amount", "total"}
        else "string",
        "title": " ".join(words).capitalize(),
    }
    if field["type"] == "string":
        field["minLength"] = 1
    return {"type": "object", "properties": {name: field}, "required": [name]}
