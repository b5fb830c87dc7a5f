"""Who a message goes to: "email the admin", "send the manager an email", "notify finance
by email", "email it to me". A recipient other than the flow's subject (the customer or
user it works on) has an address of their own, which the run is given."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.core.planner.quotes import without_quotes

#: People and groups a message can be addressed to who are not the flow's subject.
#: An email address written in a request ("ops@example.com").
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_ROLES = (
    "admins?|administrators?|managers?|supervisors?|boss|owners?|team|staff|finance|"
    "accounting|accountants?|sales|support|ops|operations|legal|hr|security|marketing|"
    "engineering|engineers?|developers?|devops|compliance|procurement|management|directors?|"
    "ceo|cfo|cto|coo|reviewers?|approvers?|moderators?|helpdesk|warehouse|logistics|"
    "department|desk|on-call|leads?|heads?|agents?|founders?|executives?|editors?|authors?|"
    "writers?|reps?|representatives?|partners?|vendors?|suppliers?|analysts?|coordinators?|"
    "assistants?|recruiters?|dispatchers?|couriers?|me|us|myself|ourselves"
)
#: Words that join or introduce, never part of a recipient's name.
_JOINERS = r"(?:and|or|to|of|for|with|by|via|the|an?|it|them|me|us)\b"
#: Words that may qualify a role ("the support team", "the account manager", "the customer
#: success manager": up to two).
_QUALIFIED_ROLE = (
    r"(?:both\s+)?(?:(?:the|our|my|your|their|his|her|its|an?)\s+)?(?:[a-z]+'s\s+)?"
    rf"(?P<qualifier>(?:(?!{_JOINERS})[a-z][a-z-]+\s+){{1,2}})?"
    rf"(?P<role>{_ROLES})"
)
#: What may follow the recipient: the end, a preposition, or the message itself.
_AFTER = (
    r"(?=\s*(?:$|[,.;:!?)\"“]|\b(?:about|with|by|of|that|when|if|whether|and|so|via|on|in|at|to|before|"
    r"after|once|unless|for|whenever|regarding|from|"
    r"saying|telling|asking|know|a|an|one|the|it|this|that|them|their|its|our|his|her|all|"
    r"every|each|both|"
    r"immediately|right|now|too|as\s+well)\b))"
)
_MESSAGE_VERB = (
    r"\b(?:e-?mail|mail|notify|alert|message|tell|inform|ping|warn|contact|let|send|remind)"
    # ("approve before emailing the customer": the step, said with its gerund)
    r"(?:ing)?"
)
_PATTERNS = (
    # "email the admin", "notify finance by email", "send the manager an email"
    re.compile(rf"{_MESSAGE_VERB}\s+{_QUALIFIED_ROLE}{_AFTER}", re.IGNORECASE),
    # "email IT", "notify QA": a team named by its initials (in capitals, so never "it")
    re.compile(
        rf"(?:(?i:{_MESSAGE_VERB})|\b(?i:to))\s+(?:the\s+)?(?P<role>(?!I\b)[A-Z]{{2,4}})\b"
        rf"(?!\s+(?i:team|department|group)\b){_AFTER}"
    ),
    # "send an email to the manager", "forward the summary to finance"
    re.compile(rf"\bto\s+{_QUALIFIED_ROLE}{_AFTER}", re.IGNORECASE),
    # "send the summary to my email": to the one who asks
    re.compile(
        r"\bto\s+(?P<role>my|our)\s+(?:e-?mail(?:\s+address)?|inbox|address)\b", re.IGNORECASE
    ),
)
#: "... to the admin and the manager": a second recipient after "and".
_AND_ALSO = re.compile(
    rf"(?:@[\w.-]+|\b(?:{_ROLES}|customer|user|client))\s+and\s+{_QUALIFIED_ROLE}{_AFTER}",
    re.IGNORECASE,
)
#: Qualifiers that are not part of the recipient's name.
_NOT_QUALIFIERS = frozenset(
    """
    the our my your a an their his her its this that these those it them me us and or to
    customer customers user users client clients whole entire relevant right appropriate
    assigned responsible
    """.split()
)
#: The people a flow works on: they qualify a role only with a word after them ("the
#: customer success manager"), not alone ("the customer manager" is the manager).
_PEOPLE_WORDS = frozenset("customer customers user users client clients".split())
_SELF = {"me": "my", "myself": "my", "my": "my", "us": "our", "ourselves": "our", "our": "our"}
_SELF_DESCRIPTIONS = {"my": "Your email address.", "our": "Your team's email address."}
#: Groups named by their department: "notify finance" writes to the finance team.
_DEPARTMENTS = frozenset(
    """
    finance accounting sales support ops operations legal hr security marketing engineering
    compliance procurement management logistics helpdesk warehouse devops
    """.split()
)


@dataclass(frozen=True, slots=True)
class Recipient:
    #: The run input that holds the address ("admin_email", "support_team_email").
    field: str
    #: What the run form says about it.
    description: str


_COPIED = re.compile(
    rf"\b(?:b?cc(?:'?d|ing)?|copy(?:ing)?\s+in)\s+{_QUALIFIED_ROLE}{_AFTER}", re.IGNORECASE
)


_COPIED_IN = re.compile(r"\s*(?:b?cc(?:'?d|ing)?|copy(?:ing)?)\b", re.IGNORECASE)


def copied_recipients(action: str) -> list[Recipient]:
    """The people a step copies in ("and cc the account manager")."""
    matches = sorted(
        [*_COPIED.finditer(action), *_COPIED_SUBJECT.finditer(action)], key=lambda m: m.start()
    )
    found = [_recipient(match) for match in matches]
    return [recipient for recipient in found if recipient is not None]


def message_recipient(action: str) -> Recipient | None:
    """The recipient a step names other than the flow's subject, or None when it names the
    subject ("email the customer", "email them") or no one."""
    found = message_recipients(action)
    return found[0] if found else None


def message_recipients(action: str) -> list[Recipient]:
    """Every recipient other than the subject a step names, in the order it names them
    ("send it to the admin and the manager")."""
    found: dict[str, tuple[int, Recipient]] = {}
    # ("email their account owner 'renewal due'": what it says names no one)
    action = without_quotes(action)
    for pattern in (*_PATTERNS, _AND_ALSO):
        for match in pattern.finditer(action):
            if _COPIED_IN.match(match.groupdict().get("qualifier") or ""):
                continue  # "and cc my manager": copied in, not sent to
            recipient = _recipient(match)
            if recipient is not None and recipient.field not in found:
                found[recipient.field] = (match.start("role"), recipient)
    return [recipient for _, recipient in sorted(found.values(), key=lambda pair: pair[0])]


def _recipient(match: re.Match[str]) -> Recipient | None:
    role = match.group("role").lower()
    if "qualifier" not in match.re.groupindex:
        return Recipient(f"{role}_email", f"Email address of the {role.upper()} team.")
    if role in _SELF:
        whose = _SELF[role]
        return Recipient(f"{whose}_email", _SELF_DESCRIPTIONS[whose])
    words = [*_qualifier_words((match.group("qualifier") or "").lower().split()), role]
    name = " ".join(words)
    if words == [role] and role in _DEPARTMENTS:
        name = f"{role} team"
    field = "_".join(w.replace("-", "_") for w in words) + "_email"
    return Recipient(field, f"Email address of the {name}.")


def _qualifier_words(qualifier: list[str]) -> list[str]:
    """The words of a qualifier that name the recipient: "account" of "the relevant account
    manager", both of "the customer success manager"."""
    kept = []
    for index, word in enumerate(qualifier):
        compound = word in _PEOPLE_WORDS and index + 1 < len(qualifier)
        if word.endswith("'s") or (word in _NOT_QUALIFIERS and not compound):
            continue
        kept.append(word)
    return kept


#: The people a flow usually works on: a message to one of them goes to their address.
_SUBJECTS = (
    "customer|user|client|buyer|subscriber|member|applicant|requester|sender|signup|employee|"
    "candidate|hire|guest|tenant|student|patient|lead|submitter|commenter|shopper|purchaser|"
    "caller|visitor"
)
_SUBJECT_PATTERNS = (
    re.compile(
        # ("email customer": a terse note leaves the article out)
        rf"{_MESSAGE_VERB}\s+(?:both\s+)?(?:(?:the|this|that|our|each)\s+)?(?:new\s+)?"
        rf"(?P<role>{_SUBJECTS}){_AFTER}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\bto\s+(?:the|this|that|our|each)\s+(?:new\s+)?(?P<role>{_SUBJECTS}){_AFTER}",
        re.IGNORECASE,
    ),
)


#: "and cc the customer": the person the flow is about, copied in
_COPIED_SUBJECT = re.compile(
    rf"\b(?:b?cc(?:'?d|ing)?|copy(?:ing)?\s+in)\s+(?:the|this|that|our)\s+(?P<qualifier>)"
    rf"(?P<role>{_SUBJECTS}){_AFTER}",
    re.IGNORECASE,
)
_SUBJECT_ADDRESS = re.compile(rf"^input\.(?:{_SUBJECTS})_email$|\.user\.email$|^input\.email$")


def addresses_the_subject(expression: str) -> bool:
    """Whether a message's recipient expression is the address of the person the flow is
    about (the customer who wrote in), not someone told about them."""
    return bool(_SUBJECT_ADDRESS.search(expression))


_PERSON_PRONOUN = re.compile(
    rf"{_MESSAGE_VERB}\s+(?:them|him|her)\b|\bto\s+(?:them|him|her)\b", re.IGNORECASE
)
_SUBJECT_WORD = re.compile(rf"\b(?P<role>{_SUBJECTS})s?\b", re.IGNORECASE)


#: "the support lead", "our team lead": a colleague who leads, not a sales lead the flow
#: works on (who would be "them" in a later "send them a thank-you note")
_LEADS_A_TEAM = re.compile(
    r"\b(?:support|team|tech|technical|project|engineering|design|qa|product|ops|shift|group|"
    r"squad|program|programme|on-call|security|it|hr|finance|legal|dev|devops|release|"
    r"incident|customer\s+success|cs)\s+leads?\b",
    re.IGNORECASE,
)


def subject_named(text: str) -> str | None:
    """The last of the people a flow works on that `text` names ("the customer's order")."""
    text = _LEADS_A_TEAM.sub(" ", EMAIL_ADDRESS.sub(" ", text))  # (not "lead" of lead@…)
    found = [match.group("role").lower() for match in _SUBJECT_WORD.finditer(text)]
    return found[-1] if found else None


def subject_addressee(action: str, person: str | None = None) -> Recipient | None:
    """ "Email the customer" with no step that knows their address: the run input that
    holds it, named after them. "Email them": the person the request last named
    (`person`), else the customer."""
    for pattern in _SUBJECT_PATTERNS:
        match = pattern.search(action)
        if match is not None:
            who = match.group("role").lower()
            return Recipient(f"{who}_email", f"Email address of the {who}.")
    if _PERSON_PRONOUN.search(action):
        who = person or "customer"
        return Recipient(f"{who}_email", f"Email address of the {who}.")
    return None
