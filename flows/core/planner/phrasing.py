"""Reading a request: steps (numbered lists, sentences, "then", "and"), and the phrasing
around them — conditions, approvals, for-each and parallel — for the offline planner."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from flows.core.planner.audience import for_whom
from flows.core.planner.base import PlanningError
from flows.core.planner.conditions import compared_subject
from flows.core.planner.echoes import looks_only
from flows.core.planner.execution import (
    UNIT_SECONDS,
    RunSettings,
    failure_after_retries,
    run_settings,
)
from flows.core.planner.lexicon import (
    FEELINGS,
    STOP_WORDS,
    singular,
    split_identifier,
    stem,
    synonyms,
)
from flows.core.planner.routing import qualified_route, routed_action
from flows.core.planner.wording import (
    Deadline,
    approval_deadline,
    is_context,
    is_exclusion,
    is_nothing,
    remove_durations,
    request_lead_removed,
    without_what_is_said,
)

#: Imperative verbs that start a new step after "and" or a comma. Tool ids add their own
#: leading verbs (validate_email -> "validate") when the planner builds its reader.
COMMON_VERBS = frozenset(
    """
    add alert analyse analyze ask assess assign book build calculate call cancel charge check
    greet obtain require dispatch raise triage categorise categorize grab download verify
    charge bill gauge produce work give contact delete remove cancel edit modify amend post
    tweet share print export upload archive reimburse repay fax void revoke take
    classify collect compare compute confirm convert create deliver detect determine download
    draft email enrich escalate estimate evaluate extract fetch file find flag forward gather
    generate get issue log look lookup message notify open parse ping post prepare process
    publish rank read record refund remind reply request resolve retrieve review route run
    save schedule score search send ship sms store submit summarise summarize tag text
    translate update upload validate verify welcome write ensure decide tell inform warn make
    slack pay deny whatsapp
    """.split()
) | {"make sure", "figure out"}
#: Verbs that are also nouns ("email the customer" vs "name and email"): they start a step
#: only when an object follows.
NOUN_VERBS = frozenset(
    {"email", "text", "message", "sms", "ping", "file", "log", "call", "page", "slack", "whatsapp"}
)
_DETERMINERS = (
    r"(?:(?:the|a|an|them|him|her|it|their|his|its|this|that|these|those|each|every|all|both|our|"
    r"your|me|us|customer|user|client|team|support|sales|finance|billing|admin|ops|marketing|"
    r"someone|everyone|people|buyer|seller|staff|accounting|hr|legal|security|warehouse|"
    r"logistics|engineering|compliance|procurement|devops|helpdesk|payroll|managers?|"
    r"everybody|anyone)\b"
    # "ping oncall@example.com": an address written out
    r"|[\w.+-]+@[\w-]+\.)"
)

#: "text +1 555…", "email ops@acme.com", "message #general": a noun-verb before where the
#: message goes is the verb.
_ADDRESS_START = r"(?:\+?\d[\d\s().-]{5,}\d\b|#[A-Za-z][\w-]*|[\w.+-]+@[\w-]+\.[\w.-]+)"

#: The mark that starts a list's item: "- ", "2. ", "3) ", "Step 4: ".
LIST_ITEM = re.compile(
    r"^\s*(?:\(?\d+[.)]|[-*•+\u2013\u00b7]|step\s+\d+\s*[:.)-])\s+", re.IGNORECASE
)
#: "Out of stock? Email the customer an apology.": a short question, then what to do
_QUESTION_THEN_STEP = re.compile(
    # (a stop inside an address, "outlook.com saying hi? thanks", ends no sentence)
    r"(?P<lead>^|(?<=[.!;:\n])(?=\s)\s*|(?<=\n))(?P<question>[A-Za-z][^.?!;:\n]{1,60})\?[ \t]+"
    # the step ends with its sentence, so that "Negative? Open a ticket." after it is
    # read as a question too
    r"(?P<step>[A-Za-z].*?(?:[.!;](?=\s|$)|$))",
    re.MULTILINE,
)
#: "If it's invalid, don't send the welcome email; otherwise send it": the step, unless
_IF_THEN_DONT = re.compile(
    r"\b(?P<if>if)\s+(?P<condition>[^,;.?!]+),\s*(?:then\s+)?(?:don't|do\s+not|never)\s+"
    # (the step ends where ", otherwise ..." starts: "don't send anything, otherwise ...")
    r"(?P<verb>[a-z]+)(?P<rest>(?:(?!\s*,\s*(?:otherwise|else|if\s+not)\b)[^;.?!])*)"
    r"(?P<end>[;.?!]|,(?=\s*(?:otherwise|else|if\s+not)\b)|$)"
    r"(?:\s*(?:otherwise|else|if\s+not)\s*,?\s*(?P<other>[^;.?!]+)(?P<other_end>[;.?!]|$))?",
    re.IGNORECASE,
)


_NOT_UNTIL_APPROVED = re.compile(
    r"\s*,?\s+(?:but|and)\s+(?:don't|do\s+not|never)\s+(?P<step>[^,.;]+?)\s+(?:until|before)\s+"
    r"(?P<who>(?:the\s+|a\s+|an\s+|our\s+)?[a-z]+(?:\s+team)?)\s+(?:approves?|signs?\s+off|"
    r"has\s+approved)(?:\s+(?:it|them))?(?P<end>\s*(?:[.;!]|$))",
    re.IGNORECASE,
)
_BOTH_OF_THEM = re.compile(
    # (no verb inside an address: "email finance@acme.com both totals")
    r"\b(?<![.@/-])(?!(?:if|when|unless|once|and|or|but|me|us|you|him|her|them|with|of|about|from|to|"
    r"for|in|on|into|containing|including|using)\b)(?P<verb>[a-z]+)\s+"
    r"(?:them\s+)?"
    r"(?:both|all\s+of\s+them|them\s+all)"
    # "summarize both pages": the plural names what both are
    r"(?:\s+(?:the\s+)?[a-z]+[a-rt-z]s)?(?=\s*(?:[.;!?,]|$))",
    re.IGNORECASE,
)
#: "fetch https://a… and fetch https://b…": one verb on two written values, so that a
#: later "both" / "each one" has the list of them to run over.
_SAME_VERB_TWICE = re.compile(
    r"\b(?P<verb>[a-z]+)\s+(?P<first>https?://\S+?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"\s+and\s+(?P=verb)\s+(?P<second>https?://\S+?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"(?=[\s.,;!?]|$)",
    re.IGNORECASE,
)
_IF_THEN_SKIP = re.compile(
    r"\b(?P<if>if)\s+(?P<condition>[^,;.?!]+),\s*(?:then\s+)?(?:just\s+)?skip\s+"
    r"(?P<what>(?:the|this|that|their|its)\s+(?!(?:[a-z-]+\s+)?(?:approval|sign-?off)\b)"
    r"[^;.?!]+?)(?P<end>[;.?!]|$)"
    # "...; otherwise send it": the same step, said again
    r"(?:\s*(?:otherwise|else)\s*,?\s*[a-z]+\s+(?:it|them)\s*(?=[.;!]|$))?",
    re.IGNORECASE,
)


#: "... and email the customer why": a message joined to a step not done
_TOLD_AFTER_DONT = re.compile(
    r"\s+and\s+(?:then\s+)?(?=(?:e-?mail|tell|notify|text|message|alert|inform|warn|let)\b)",
    re.IGNORECASE,
)


#: Verbs of a message, and what a "send" sends when it is one
_MESSAGE_VERBS = frozenset({"email", "e-mail", "send", "message", "text", "notify", "mail"})
_A_MESSAGE = re.compile(r"\b(?:e-?mail|message|text|sms|note|notification)\b", re.IGNORECASE)


def _said_again_otherwise(verb: str, other: str) -> bool:
    """Whether what "otherwise" asks for is the step not done, said again in full ("don't
    charge it; otherwise charge $5", "don't email her, otherwise send her a welcome email").
    """
    first = (other.split() or [""])[0].lower()
    if first == verb.lower():
        return True
    if verb.lower() not in _MESSAGE_VERBS or first not in _MESSAGE_VERBS:
        return False
    return first != "send" or _A_MESSAGE.search(other) is not None


def _unless_instead(match: re.Match[str]) -> str:
    """ "If X, don't Y; otherwise Y it" -> "Unless X, Y."; "If X, don't ship it; otherwise
    email them" -> "Unless X, ship it and email them." (what is not done when X holds is
    done otherwise, with what "otherwise" asks for)."""
    unless = "Unless" if match.group("if")[0].isupper() else "unless"
    step = f"{match.group('verb')}{match.group('rest')}".strip()
    if _ANYTHING.match(step):
        # "if it's disposable, don't send anything(, otherwise ...)": nothing then
        if not match.group("other"):
            return match.group(0)
        return (
            f"{match.group('if')} {match.group('condition')}, do nothing; otherwise "
            f"{match.group('other').strip()}{match.group('other_end') or '.'}"
        )
    other = (match.group("other") or "").strip()
    told = _TOLD_AFTER_DONT.search(step)
    if told is not None and not other:
        # "if it isn't, don't charge it and email the customer why": the message is sent
        # when it holds; only the charge is left out then
        cond, end = match.group("condition"), match.group("end") or "."
        return f"{unless} {cond}, {step[: told.start()]}; if {cond}, {step[told.end() :]}{end}"
    again = re.fullmatch(r"(?P<verb>[a-z]+)\s+(?:it|them|that)", other, re.IGNORECASE)
    if again and again.group("verb").lower() == match.group("verb").lower():
        pass  # "don't send the welcome email; otherwise send it": the step, as said first
    elif other and _said_again_otherwise(match.group("verb"), other):
        step = other  # "don't charge it, otherwise charge $5": the charge, as said then
    elif other:
        step = f"{step} and {other}"
    end = (match.group("other_end") if other else match.group("end")) or "."
    return f"{unless} {match.group('condition')}, {step}{end}"


#: "I want the message classified", "we need every order validated": the step, said as
#: what should be done to a thing
_WANTED_DONE = re.compile(
    r"(?P<lead>^|(?<=[,.;:!]\s)|(?<=\n))(?:(?:i|we)\s+(?:want|need|would\s+like|'d\s+like)|"
    r"(?:please\s+)?(?:get|have))\s+"
    r"(?P<thing>(?:the|this|that|each|every|all|their|our|any)\s+(?:[a-z-]+\s+){0,2}?[a-z-]+)\s+"
    r"(?P<done>[a-z]+ed)\b(?P<detail>(?:\s+(?:for|to|in|with|by|via)\s+[\w-]+(?:\s+[\w-]+)?)?)"
    # "... and the card charged"
    r"(?P<more>(?:\s*(?:,\s*and|,|and)\s+(?:the|this|that|each|every|all|their|our|any)\s+"
    r"(?:[a-z-]+\s+){0,2}?[a-z-]+\s+[a-z]+ed\b"
    r"(?:\s+(?:for|to|in|with|by|via)\s+[\w-]+(?:\s+[\w-]+)?)?)*)",
    re.IGNORECASE,
)
#: "The customer is emailed after ...", "a ticket should be opened", "the order must be
#: validated and the card charged": a step said in the passive, its thing first.
_PASSIVE_STEP = re.compile(
    r"(?P<lead>^|(?<=[,.;:!]\s)|(?<=\n))(?P<and>and\s+(?:then\s+)?)?"
    # ("every order should be validated" says which orders come in: left to the loop rules)
    r"(?P<thing>(?:the|this|that|their|our|a|an|its)\s+(?:[a-z-]+\s+){0,2}?[a-z-]+)\s+"
    r"(?P<be>(?:should|must|will|shall|can|needs?\s+to|has\s+to|have\s+to|is\s+to|are\s+to)\s+be|"
    r"(?:is|are|gets?)(?=\s+[a-z]+ed\s+\S))\s+"
    r"(?P<done>[a-z]+ed|sent|paid)\b(?P<detail>(?:\s+(?:for|to|in|with|by|via)\s+[\w-]+(?:\s+[\w-]+)?)?)"
    r"(?P<more>(?:\s*(?:,\s*and|,|and)\s+(?:the|this|that|each|every|all|their|our|any)\s+"
    r"(?:[a-z-]+\s+){0,2}?[a-z-]+\s+[a-z]+ed\b"
    r"(?:\s+(?:for|to|in|with|by|via)\s+[\w-]+(?:\s+[\w-]+)?)?)*)",
    re.IGNORECASE,
)
#: "I need the VAT on 250 EUR for Germany", "we'd like a ticket opened for ...": what the
#: writer wants, said first: the step that gets it or does it (not their situation)
_WANTED_THING = re.compile(
    r"^(?:so\s+|and\s+)?(?:i|we)(?:\s+(?:really\s+|just\s+|also\s+)?(?:need|want|would\s+like)|"
    r"'d\s+like)\s+(?P<thing>(?:the|a|an|this|that|my|our|some|their|every|each|all|any)\s+"
    r"[a-z0-9].*)$",
    re.IGNORECASE | re.DOTALL,
)
#: ... unless what is wanted is the flow itself ("I need a workflow", "we want a new process")
_A_FLOW_WANTED = re.compile(
    r"^\S+\s+(?:new\s+|simple\s+|small\s+)?(?:flow|workflow|process|pipeline|automation|bot)\b",
    re.IGNORECASE,
)
#: The past form that says what is done to the thing wanted ("a ticket opened for ...",
#: "the tracking number emailed to ..."): before a preposition or the end of a part.
_DONE_TO_IT = re.compile(
    r"\s(?P<done>[a-z]+ed|sent|paid)\b(?=\s+(?:to|for|in|with|by|via|at|on|as|and|then|when|"
    r"whenever|if|once|after|before|unless|only)\b|"
    r"\s*(?:[,;:.!?]|$))",
    re.IGNORECASE,
)
#: A step's noun a retry names it by, for the verb the step was said with ("retry the
#: payment": the charge)
_VERB_OF_NOUN = {
    "payment": "charge",
    "shipment": "ship",
    "lookup": "look",
    "validation": "validate",
    "request": "fetch",
    "message": "send",
}
_BECOME_PLURAL = re.compile(
    r"\b(?P<verb>becomes?|turns?\s+into)\s+(?P<noun>[a-z]+?)s\b(?=\s*(?:[,.;!?]|$))", re.IGNORECASE
)
#: Past forms a passive step may use that no rule turns into the verb.
_IRREGULAR_DONE = {"sent": "send", "paid": "pay"}
#: Verbs of steps no tool's id starts with ("the customer is emailed", "a ticket is opened").
_PASSIVE_VERBS = frozenset(
    {"email", "e-mail", "text", "notify", "open", "message", "ping", "alert"}
)


def _done_bases(done: str) -> tuple[str, ...]:
    """ "classified": classify, "charged": charge, "emailed": email, "shipped": ship."""
    return (done[:-3] + "y", done[:-1], done[:-2], done[:-3])


_AND_DONE = re.compile(
    r"\s*(?:,\s*and|,|and)\s+(?P<thing>(?:the|this|that|each|every|all|their|our|any)\s+"
    r"(?:[a-z-]+\s+){0,2}?[a-z-]+)\s+(?P<done>[a-z]+ed)\b"
    r"(?P<detail>(?:\s+(?:for|to|in|with|by|via)\s+[\w-]+(?:\s+[\w-]+)?)?)",
    re.IGNORECASE,
)
_CUT_DOWN = re.compile(
    r"\b(?:boils?|boiled|boiling|sums?|summed|summing)\s+(?P<what>it|them|this|that|"
    r"(?:the|their|its)\s+[a-z]+)\s+(?:down|up)\b",
    re.IGNORECASE,
)
#: "can you ...?", "what ...?": a question that asks for something, not a condition
_ASKS_FOR_SOMETHING = re.compile(
    r"^(?:can|could|would|will|should|shall|may|might|do|did|have|what|why|how|when|where|"
    r"who|which|any\s+questions|ok|okay|right)\b",
    re.IGNORECASE,
)
#: "Is it urgent?", "Are they new?": the condition is the statement
_INVERTED_QUESTION = re.compile(
    r"^(?P<be>is|are|was|were)\s+(?P<subject>it|they|he|she|this|that|the\s+\w+|their\s+\w+)"
    r"\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
#: "1) fetch it 2) summarize it": the numbers of a list written on one line
_INLINE_NUMBER = re.compile(r"(?:^|(?<=\s))\(?(?P<n>\d{1,2})[.)]\s+")


def _inline_items(line: str) -> list[str]:
    """ "1) fetch the page 2) summarize it 3) email it" -> one line per item, when the
    numbers count up from 1."""
    found = list(_INLINE_NUMBER.finditer(line))
    heading = line[: found[0].start()].strip() if found else ""
    if len(found) < 2 or (heading and not heading.endswith(":")):
        return [line]  # ("Steps: 1) ... 2) ...": a heading over the list, on its line)
    if [int(match.group("n")) for match in found] != list(range(1, len(found) + 1)):
        return [line]
    ends = [match.start() for match in found[1:]] + [len(line)]
    items = [line[match.start() : end].strip() for match, end in zip(found, ends, strict=True)]
    return [heading, *items] if heading else items


_CONDITION_COLON = re.compile(
    r"\b(?P<head>(?:if|when|unless)\s+[^:,;.]{1,40}?|else|otherwise)\s*:\s+(?=\S)",
    re.IGNORECASE,
)
#: "Negative -> open a ticket", "urgent: page the on-call engineer": a case, then its step
#: ("anything else -> email help@": the case no other case takes)
_OTHER_CASE = r"(?:anything|everything|everyone|all)\s+else|the\s+rest|others?|otherwise|default"
_CASE_ARROW = re.compile(
    rf"^\s*(?:if\s+)?(?P<case>{_OTHER_CASE}|[A-Za-z-]+)\s*(?:->|=>|\u2192|\u27f6|:)\s*"
    r"(?P<rest>\S.*)$",
    re.IGNORECASE,
)
_OTHER_CASE_NAMED = re.compile(rf"^(?:{_OTHER_CASE})$", re.IGNORECASE)
_ARROW = re.compile(r"\s*(?:->|=>|\u2192|\u27f6)\s*")
#: ", positive -> ...": a case after another on the same line
_NEXT_CASE = re.compile(
    rf"\s*[,;:]\s*(?:and\s+)?(?=(?:{_OTHER_CASE}|[A-Za-z-]+)\s*(?:->|=>|\u2192|\u27f6))",
    re.IGNORECASE,
)
#: "classify it and route it: billing -> ...": the cases after the colon are the routing
_ROUTE_BEFORE_CASES = re.compile(
    r"\s*,?\s*(?:and\s+|then\s+)?route(?:\s+(?:it|them|this|the\s+\w+))?(?:\s+as\s+follows)?"
    r"\s*(?=:\s*[A-Za-z-][\w\s-]{0,30}?(?:->|=>|\u2192|\u27f6))",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")
_SEQUENCE = re.compile(
    r"\s*(?:,\s*|\s)(?:and\s+then|then|after\s+that|afterwards|and\s+finally|finally|"
    # ("at their next visit", "next week": a time, not the next step)
    r"(?<!\btheir\s)(?<!\bthe\s)(?<!\bhis\s)(?<!\bher\s)(?<!\bour\s)(?<!\byour\s)"
    r"(?<!\bmy\s)(?<!\bits\s)(?<!\ba\s)next(?!\s+(?:visit|appointment|week|month|year|"
    r"time|day|morning|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)|"
    r"and\s+after\s+that)\s*,?\s+",
    re.IGNORECASE,
)
#: What "if not" says of the thing before a step ("if not found", "if not yet paid"): a
#: participle (not "proceed", "feed") or a state, which makes it a condition of its own
_STATE_AFTER_NOT = (
    r"(?:yet\s+)?(?:[a-z]+(?<!e)ed|found|paid|sent|made|done|known|seen|given|shown|"
    r"valid|available|active|there|present)\b"
)
_OTHERWISE = re.compile(
    r"\s*[,;]?\s*\b(?:otherwise|else|or\s+else|"
    # "in all other cases, ...", "for anything else, ..."
    r"(?:for|in|with)\s+(?:any|all|every)\s+other\s+(?:cases?|situations?|scenarios?|things?|"
    r"ones?|results?|outcomes?)(?=\s*,)|"
    r"for\s+(?:anything|everything)\s+else(?=\s*,)|"
    # "if not, ..." (but "if not found, ..." is a condition of its own)
    # ("... if not found" at the end, too)
    r"if\s+not(?!\s+[a-z]+(?:\s+[a-z]+){0,2}\s*(?:,|[.;!?]|$))"
    # ("if not found send them a welcome email": a state said of the thing, then the step)
    rf"(?!\s+{_STATE_AFTER_NOT}))\b\s*,?\s*",
    re.IGNORECASE,
)
_LEADING_CONDITION = re.compile(
    r"^(?P<word>only\s+if|only\s+when|if|unless|when|whenever|in\s+case|provided\s+that|once|"
    r"(?:every|each|any)\s*time|as\s+soon\s+as|"
    r"should(?=\s+(?:it|this|that|they|he|she|the|anything|something|any|an?|there)\b)|"
    r"as\s+long\s+as|so\s+long\s+as)\s+"
    r"(?P<condition>.+)$",
    re.IGNORECASE,
)
#: Words that start a condition that may be the flow's trigger ("when an order comes in").
_TRIGGER_WORDS = frozenset({"when", "whenever", "once", "as soon as"})
#: "if the amount is over 1000 | it needs approval": a subject and what it must do, after
#: a condition said in words of its own (no comma between them)
_SECOND_SUBJECT = re.compile(
    r"(?<=\w)\s+(?=(?:it|they|this|that|we|someone|somebody|(?:a|an|the|their|its)\s+\w+)"
    r"\s+(?:needs?|must|should|has\s+to|have\s+to|requires?|will\s+need)\b)",
    re.IGNORECASE,
)
_THERE_ARE_ANY = re.compile(r"^(?:there\s+(?:are|is)\s+)?any$", re.IGNORECASE)
#: "figure out if", "check if", "see if": "if" asks whether, it states no condition
_ASKS_WHETHER = re.compile(
    r"\b(?:(?:figure|find|work)\s+out|check|see|ask(?:ing|s)?|determine|know|tell|verify|"
    r"confirm|test|"
    r"decide|look|wonder)\s*$",
    re.IGNORECASE,
)
_TRAILING_CONDITION = re.compile(
    r"^(?P<action>.+?),?\s+(?:but\s+)?(?P<word>only\s+if|only\s+when|if|unless|in\s+case|"
    r"provided\s+that|as\s+long\s+as|so\s+long\s+as|assuming|once|as\s+soon\s+as|whenever|"
    # "ping me when the shipment is created" (not "tell them when to expect it")
    r"when(?=\s+(?:the|their|its|it|it's|they|a|an|this|that|our|your)\s"
    # ("text me when invoice INV-1007 is overdue": a thing named by its code)
    r"|\s+[a-z]+\s+#?[A-Za-z]*-?\d[\w-]*\s+(?:is|are|gets|goes)\b))\s+"
    r"(?P<condition>.+)$",
    re.IGNORECASE,
)
#: "..., and if X, ..." / "... but only if X" / "... and for each X ...": a condition or a
#: loop starts a clause of its own.
_CONDITION_START = re.compile(
    r"(?:\s*,\s*(?:and\s+|but\s+)?|\s+and\s+|\s+but\s+)"
    r"(?=(?:only\s+)?(?:if|unless)\b|only\s+when\b|in\s+case\b|provided\s+that\b|"
    r"should\s+(?:anything|something|any|it|they|there|the)\b|"
    r"(?:once|as\s+soon\s+as)\s+(?:it|they|this|that|the)\b|"
    r"as\s+long\s+as\b|for\s+(?:each|every|all)\b|"
    r"but\s+(?:do\s+not|don't|never|not|no\s+need|without|skip|ignore)\b)"
    # "..., when the subtotal exceeds 1000, ..." / "... and, when it's ...": set off by a comma
    r"|(?:\s*,\s*(?:and\s+|but\s+)?|\s+(?:and|but)\s*,\s*)"
    # ("..., and when invalid, file a ticket": a state alone before a comma too)
    r"(?=when\s+(?:(?:the|it|it's|its|they|their|this|that)\b|[a-z]+(?:\s+[a-z]+)?\s*,))",
    re.IGNORECASE,
)
_PARALLEL = re.compile(
    r"\b(?:in\s+parallel|at\s+the\s+same\s+time|simultaneously|concurrently|meanwhile|"
    r"side\s+by\s+side|at\s+once|in\s+the\s+meantime|while\s+that(?:'s|\s+is)\s+"
    r"(?:happening|running|going\s+on)|while\s+that\s+runs)\b",
    re.IGNORECASE,
)
_BOTH = re.compile(
    r"^\s*(?:(?:do|run)\s+)?(?:both|all)(?:\s+of\s+(?:these|them|the\s+following)(?:\s+steps)?)?"
    r"\s*:?\s+",
    re.IGNORECASE,
)
#: A sentence that starts like this runs beside the sentence before it.
_PARALLEL_LEAD = re.compile(
    r"^\s*(?:meanwhile|in\s+the\s+meantime|at\s+the\s+same\s+time|simultaneously|"
    r"in\s+parallel|while\s+that(?:'s|\s+is)\s+(?:happening|running|going\s+on)|"
    r"while\s+that\s+runs)\b",
    re.IGNORECASE,
)
#: A heading line such as "In parallel:" over a list.
_PARALLEL_HEADING = re.compile(
    r"^\s*(?:(?:do|run)\s+(?:these|the\s+following|all\s+of\s+these)\s+)?(?:in\s+parallel|"
    r"at\s+the\s+same\s+time|simultaneously|concurrently|all\s+at\s+once)\s*:?\s*$",
    re.IGNORECASE,
)
#: "In parallel: A; B; C" on one line: a parallel heading with its items after it.
_INLINE_PARALLEL = re.compile(
    r"(?:^|(?<=[.!?])\s+)\s*"
    r"(?P<heading>(?:(?:do|run)\s+(?:these|the\s+following|all\s+of\s+these|both)\s+)?"
    r"(?:in\s+parallel|at\s+the\s+same\s+time|simultaneously|concurrently|all\s+at\s+once))"
    # (a dot inside a word, "ana@acme.com", "example.com/a", ends nothing)
    r"\s*:\s*(?P<items>(?:[^.!?;]|[.!?](?=\S))+(?:;(?:[^.!?;]|[.!?](?=\S))+)+)(?:[.!?]|$)",
    re.IGNORECASE,
)
#: Words that put a step after a loop rather than in it ("then send one email").
_ONCE_MARKERS = re.compile(
    r"\b(?:one|single|once|all\s+of\s+them|everything|the\s+(?:batch|results|digest|report|"
    r"whole\s+list)|when\s+(?:done|finished|complete)|afterwards|at\s+the\s+end|overall|"
    r"in\s+total|summary\s+of\s+(?:all|everything|the\s+[a-z]+s\b)|"
    # "email me all the summaries": what the loop made, together ("all the orders in the
    # batch" is the list a loop runs over)
    r"all\s+(?:of\s+)?(?:the|these|those)\s+[a-z]+s(?!\s+(?:in|from|on|of)\b)|"
    # "email me the titles": the loop's results, sent to me together
    r"(?:e-?mail|send|mail|message)\s+(?:me|us)\s+(?:the|their|both|all(?:\s+the)?)\s+[a-z]+[a-rt-z]s"
    r"(?!\s+(?:in|from|on|of)\b)|"
    # "tell me which orders are out of stock": one message listing some of the items
    r"which\s+(?:ones|of\s+them|[a-z]+[a-rt-z]s)\s+(?:are|were|failed|passed))\b",
    re.IGNORECASE,
)
#: "after the payment goes through", "after it succeeds": an outcome, not only an order
_AFTER_AN_OUTCOME = re.compile(
    r"\bafter\s+(?=(?:the|its|their|this|that|it|they)\b\s*(?:[\w-]+\s+){0,2}?"
    r"(?:goes\s+through|went\s+through|(?:has|have)\s+gone\s+through|succeeds?|succeeded|"
    r"(?:is|was|has\s+been|gets?)\s+(?:approved|successful|confirmed|accepted|cleared)|"
    r"clears|cleared|is\s+ok(?:ay)?)\b)",
    re.IGNORECASE,
)
_APPROVAL_BEFORE_THRESHOLD = re.compile(
    r"(?P<approval>\b(?:have|get|ask|need|require)s?\b[^.!?;]*?\b(?:approv\w*|sign[- ]?off|"
    r"signs?\s+off)\b[^.!?;]*?)\s+before\s+(?P<who>(?:we|you|i|they)\s+)?(?P<verb>[a-z]+)\s+"
    r"(?P<what>anything|any\s+[a-z]+|all\s+[a-z]+|[a-z]+s)\s+"
    r"(?P<limit>(?:over|above|more\s+than|greater\s+than|exceeding|under|below|less\s+than)\s+"
    r"[$\u20ac\u00a3]?\d+(?:[.,]\d+)*k?(?:\s*(?:usd|eur|gbp|dollars|euros|pounds))?)",
    re.IGNORECASE,
)


_EVERYONE_ELSE = re.compile(
    r"(?P<lead>(?:^|(?<=[.!?;])\s+))(?P<step>[A-Za-z][^.!?;,]*?)\s+"
    r"(?P<who>everyone|everybody|anyone|anybody|everything|anything)\s+else\b",
    re.IGNORECASE,
)


def _otherwise_them(match: re.Match[str]) -> str:
    if re.match(r"(?:if|when|unless|for|in)\b", match.group("step"), re.IGNORECASE):
        return match.group(0)  # "for anything else, ...": read as it is
    thing = "it" if match.group("who").lower().endswith("thing") else "them"
    return f"{match.group('lead')}Otherwise, {match.group('step')} {thing}"


def _approval_on_those_over(match: re.Match[str]) -> str:
    what = match.group("what")
    thing = "it" if what.lower() == "anything" else re.sub(r"^(?:any|all)\s+", "the ", what)
    return (
        f"{match.group('approval')} on {what} {match.group('limit')} before "
        f"{match.group('who') or ''}{match.group('verb')} {thing}"
    )


#: "X first if C." (a step, "first", then its condition, to the sentence's end)
_FIRST_IF = re.compile(
    r"(?P<lead>(?:^|(?<=[.!?])\s+))(?P<main>[A-Za-z][^.!?;]*?)\s+first\s+"
    r"(?P<cond>(?:only\s+)?(?:if|when|in\s+case)\s+[^.!?;]+?)(?P<end>[.!?]|$)",
    re.IGNORECASE,
)
_APPROVAL_WORDS = r"(?:approv\w*|sign[-\s]?off|signs?\s+off|sign\s+it\s+off)"
#: "X only if C, otherwise get approval (first)" (or "if C, X; otherwise ... first"): X in
#: both cases, after an approval when C does not hold ("X, but unless C get approval first");
#: an approval alone in the other case would gate nothing
_OTHERWISE_APPROVAL_FIRST = re.compile(
    r"(?P<lead>(?:^|(?<=[.!?,;])\s+))(?:"
    # (a decimal point is no stop: "if the total is under $49.99")
    r"(?P<main>[A-Za-z][^.!?;,]*?)\s+(?:only\s+)?(?:if|when)\s+(?P<cond>(?:[^.!?;,]|\.(?=\d))+?)"
    r"|(?:only\s+)?(?:if|when)\s+(?P<cond2>(?:[^.!?;,]|\.(?=\d))+?)\s*,\s*(?P<main2>[^.!?;,]+?))"
    r"\s*[,;]?\s*(?:and\s+|but\s+)?(?:otherwise|else|or\s+else|if\s+not)\s*,?\s+"
    # (a dot inside an address is no stop: "... approve it and then email x@acme.com")
    rf"(?P<approval>[^.!?;]*?\b{_APPROVAL_WORDS}\b(?:[^.!?;]|\.(?=\w))*?)(?P<first>\s+first)?"
    r"(?P<end>\s*[.!?](?!\w)|$)",
    re.IGNORECASE,
)


#: "If the manager rejects it, ..." / "if they don't respond within 24 hours, ...": a
#: condition on someone's decision, which only an approval asks for
_ON_A_DECISION = re.compile(
    r"(?P<lead>(?:^|(?<=[.!?;\n])))(?P<space>\s*)(?P<word>if|when|should|in\s+case|once)\s+"
    r"(?P<who>(?:the|a|an|our|your)\s+(?:[a-z]+\s+)?(?:manager|lead|director|approver|"
    r"reviewer|team|head|supervisor|boss|officer|owner|admin)s?|finance|legal|compliance|"
    r"ops|they|nobody|no\s+one|someone)\s+"
    r"(?P<verb>(?P<no>rejects?|declines?|denies|deny|turns?\s+(?P<what>it|this|them)\s+down)|"
    r"(?P<neg>does\s*n[o']?t|do\s*n[o']?t|has\s*n[o']?t|have\s*n[o']?t|never)\s+"
    r"(?P<act>(?:respond|answer|reply|decide|get\s+back)\w*)|"
    r"(?:responds?|answers?|replies|decides?)\s+within)\b",
    re.IGNORECASE,
)
_MESSAGED = re.compile(
    r"\b(?:email|e-mail|mail|message|text|sms|notify|ask|contact|call|ping|remind)\w*\b",
    re.IGNORECASE,
)


def _decision_asked_for(prompt: str) -> str:
    """ "Validate the order. If the manager rejects it, email the customer": with no
    approval asked for before, the condition asks for one ("Get the manager's approval.
    If the manager rejects it, ..."); "they" only when nobody was written to before."""
    for match in _ON_A_DECISION.finditer(prompt):
        before = prompt[: match.start()]
        if _APPROVAL.search(before):
            return prompt
        who = match.group("who").lower()
        if who in ("they", "nobody", "no one", "someone"):
            if _MESSAGED.search(before):
                return prompt
            asked = "Get approval."
        else:
            asked = f"Get approval from {match.group('who')}."
        start = match.start("space")
        joined = f" {asked} " if before.strip() else f"{asked} "
        # said of "they", as the approval's answers are read ("if they reject it", "if they
        # don't respond within 24 hours")
        if match.group("no"):
            verb = f"reject {match.group('what')}" if match.group("what") else "reject"
        elif match.group("neg"):
            negation = match.group("neg").lower()
            verb = (
                "never"
                if negation == "never"
                else ("haven't" if negation.startswith("ha") else "don't")
            )
            verb = f"{verb} {match.group('act')}"
        else:
            verb = "respond within"
        said = f"{match.group('word')} they {verb}"
        return prompt[:start] + joined + said + prompt[match.end() :]
    return prompt


#: "Reject disposable addresses. Welcome everyone else.": turning away those of a kind,
#: with another case said after it, is "if it's disposable, reject it"
_TURN_AWAY_A_KIND = re.compile(
    r"(?P<lead>(?:^|(?<=[.!?;])\s+))(?P<verb>reject|decline|refuse|drop|discard|block|"
    r"turn\s+away|filter\s+out|weed\s+out)\s+(?:(?:the|any|all)\s+)?"
    r"(?P<kind>[a-z][a-z-]+)\s+(?P<things>[a-z]+s)\b(?P<end>\s*[.;!]|\s*,\s*(?:and\s+)?)"
    r"(?=[^.!?]*?\b(?:(?:everyone|everybody|anyone|anybody|everything|anything)\s+else|"
    r"otherwise)\b)",
    re.IGNORECASE,
)


def _turned_away_if(match: re.Match[str]) -> str:
    if match.group("kind").lower() in ("the", "all", "any", "some", "every", "each"):
        return match.group(0)
    end = match.group("end")
    end = end if end.strip() in (".", ";", "!") else ". "
    verb = match.group("verb").split()[0].lower()
    return f"{match.group('lead')}If it's {match.group('kind')}, {verb} it{end}"


def _approval_first_unless(match: re.Match[str]) -> str:
    main = match.group("main") or match.group("main2")
    cond = match.group("cond") or match.group("cond2")
    if not match.group("first") and not re.search(r"\d", cond):
        return match.group(0)  # "otherwise ask a manager to approve it": that case's step
    if _ASKS_WHETHER.search(main):
        # "check if 40 of SKU-1 are in stock; if not, ask a manager to approve a backorder":
        # the "if" asks whether, so the approval is that case's step, not a threshold
        return match.group(0)
    return (
        f"{match.group('lead')}{main}, but unless {cond}, {match.group('approval')} first"
        f"{match.group('end')}"
    )


#: A sentence that ends like this goes before the one ahead of it.
_FIRST = re.compile(
    r"\b(?:first|beforehand|before\s+that|before\s+anything\s+else|up\s+front|to\s+begin\s+with)"
    # ("categorize it first so the ticket gets the right category": why, after it)
    r"(?:,?\s+so\s+(?:that\s+)?[^.;!?]*)?"
    r"\s*[.!]?\s*$",
    re.IGNORECASE,
)
#: ", validate it first", ", but categorize the ticket first so ...": a step said after a
#: comma, done first
_COMMA_STEP_FIRST = re.compile(
    r",\s+(?:but\s+)?(?P<step>(?!(?:and|then|if|when|so|but|or|unless)\b)[a-z]+\s+"
    r"(?:it|them|this|that|(?:the|their|its)\s+[a-z]+(?:\s+[a-z]+)?)\s+first"
    r"(?:,?\s+so\s+(?:that\s+)?[^.;!?]*)?)(?=\s*(?:[.!;]|$))",
    re.IGNORECASE,
)
#: "the order", "the customer's email text": a thing a step speaks of
_THING_SAID = re.compile(
    r"\b(?P<object>(?:the|this|their|our)\s+[a-z]+(?:'s)?"
    r"(?:\s+(?!(?:to|for|from|with|and|by|in|on|at|of|but|or|first)\b)[a-z]+){0,2})",
    re.IGNORECASE,
)
#: "reply to them thanking them if it's positive and apologizing if it's negative": a
#: step said once, done one way in one case and another way in the other
_GERUND_ARMS = re.compile(
    r"(?P<lead>^|(?<=[.;!?])\s+|\band\s+|,\s+(?:then\s+)?)"
    r"(?P<step>(?!(?:if|when|and|then)\b)[a-z]+\b(?:(?!\b(?:and|if|then)\b)[^.;!?,])*?)"
    r"\s+(?P<one>[a-z]+ing\b(?:(?!\bif\b)[^.;!?,])*?)\s+if\s+(?P<c1>(?:(?!\band\b)[^.;!?,])+?)"
    r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)"
    r"(?P<two>[a-z]+ing\b(?:(?!\bif\b)[^.;!?,])*?)\s+if\s+(?P<c2>[^.;!?,]+?)"
    r"(?P<end>\s*(?:[.;!?]|$))",
    re.IGNORECASE,
)
#: "replying to the reviewer thanking them": a courtesy message, to whom the reply goes
_COURTESY_GERUND = re.compile(
    r"^(?P<verb>thank|apologi[sz]|congratulat)ing\b(?:\s+(?:them|him|her))?\s*$", re.IGNORECASE
)
_REPLY_TO = re.compile(
    r"^(?:reply|respond|write|answer|email|e-mail|message)\b(?:\s+(?:back\s+)?to)?\s+"
    r"(?P<who>(?:the|our)\s+[a-z]+|them|him|her|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
    re.IGNORECASE,
)


def _each_arm_said(match: re.Match[str]) -> str:
    """ "reply to the reviewer thanking them if it's positive and apologizing if it's
    negative" -> "if it's positive, thank the reviewer by email; if it's negative,
    apologize to the reviewer by email" (a courtesy said as the message it is)."""
    step = match["step"].strip()

    def arm(doing: str) -> str:
        courtesy = _COURTESY_GERUND.match(doing.strip())
        replied = _REPLY_TO.match(step)
        if courtesy is None or replied is None:
            return f"{step} {doing.strip()}"
        verb = {"thank": "thank", "apolo": "apologize to", "congr": "congratulate"}[
            courtesy["verb"][:5].lower()
        ]
        return f"{verb} {replied['who']} by email"

    return (
        f"{match['lead']}if {match['c1']}, {arm(match['one'])}; "
        f"if {match['c2']}, {arm(match['two'])}{match['end']}"
    )


#: "X after doing Y": Y, then X.
_BEFORE_GERUND = re.compile(
    r"^(?P<main>.+?),?\s+before\s+(?P<then>(?!(?:any|some|no|every)thing\b)[a-z]+ing\b.*)$", re.I
)
_AFTER_GERUND = re.compile(
    # ("after charging" on its own: the charge, said with no object)
    r"^(?P<main>.+?),?\s+after\s+(?P<first>(?!(?:every|any|some|no)thing\b|morning\b|"
    r"evening\b)[a-z]+ing\b.*)$",
    re.IGNORECASE,
)
#: "X before we do Y" / "X after they do Y": the same order as with a gerund, said with a
#: subject ("make sure it is in stock before we ship it").
_BEFORE_SUBJECT = re.compile(
    r"^(?P<main>.+?),?\s+before\s+(?:we|you|they|i|someone|anyone)\s+(?P<then>[a-z]+\b.*)$", re.I
)
_AFTER_SUBJECT = re.compile(
    r"^(?P<main>.+?),?\s+after\s+(?:we|you|they|i|someone)\s+(?:have\s+|'ve\s+)?"
    r"(?P<first>[a-z]+\b.*)$",
    re.IGNORECASE,
)
_LOOP_VERBS = re.compile(
    r"^\s*(?:(?:go|loop|iterate|run|work|cycle|step)\s+(?:through|over)\s+(?:each|every|"
    r"all(?:\s+(?:the|of\s+the))?)|"
    # "take each review from the list": the loop, no step
    r"(?:take|grab|pick)\s+(?:each|every))\s+",
    re.IGNORECASE,
)
#: "take the list of new signups", "go through the list of orders": each one of the list.
_LIST_OF = re.compile(
    r"^\s*(?:(?:go|loop|iterate|run|work|cycle|step)\s+(?:through|over)|take|grab|pick)\s+"
    r"the\s+list\s+of\s+(?P<what>[a-z]+(?:\s+[a-z]+)?)(?=\s*(?:,|:|\band\b|$))",
    re.IGNORECASE,
)
#: "go through the signups, validate each email", "loop over the orders: ...": each one of
#: them (a plural noun, then the steps)
_GO_THROUGH = re.compile(
    r"^\s*(?:go|loop|iterate|run|work|cycle|step)\s+(?:through|over)\s+"
    r"(?:the|our|these|those|all(?:\s+of)?\s+the|all)\s+(?!list\b)"
    r"(?P<what>[a-z]+(?:\s+[a-z]+)?s)(?=\s*(?:,|:|\band\b|$))",
    re.IGNORECASE,
)
#: "negative feedback should become a ticket", "urgent ones go to a ticket", "anything
#: else gets an email reply"
_NOT_A_NOUN = r"(?!(?:should|must|will|gets?|goes?|go|becomes?)\b)"
_ROUTED = re.compile(
    r"^\s*(?P<quality>[a-z-]+)(?:\s+" + _NOT_A_NOUN + r"(?P<also>[a-z-]+))?"
    r"(?:\s+"
    + _NOT_A_NOUN
    + r"(?P<noun>[a-z-]+))?\s+(?:(?:should|must|will|needs?\s+to|has\s+to)\s+)?"
    r"(?P<verb>becomes?|turns?\s+into|goes?\s+(?:straight\s+|directly\s+|right\s+)?(?:in)?to|"
    r"go\s+(?:straight\s+|directly\s+|right\s+)?(?:in)?to|gets?|receives?|"
    # "urgent ones should be escalated to oncall@example.com"
    r"(?:are\s+|be\s+|get\s+)?(?:escalated|sent|forwarded|routed|passed|handed|assigned)\s+to)\s+"
    # "... go to billing@example.com" / "... go to finance": bare, a person or team
    r"(?P<rest>(?:an?|the|one)\b.+|nothing|(?P<bare>[a-z].+))$",
    re.IGNORECASE,
)
#: "for anything out of stock, ...", "for any item that's missing, ...": a condition on the
#: things a step checked, said as who the step is for
_FOR_ANYTHING = re.compile(
    r"(?P<lead>^|[;,]\s*|\bthen\s+)for\s+(?:anything|any\s+(?:item|line|product|sku)s?|"
    r"everything)\s+(?:that(?:'s|\s+is|\s+are)\s+|which\s+(?:is|are)\s+)?"
    r"(?P<state>out\s+of\s+stock|unavailable|missing|invalid|failed|declined|overdue|expired|"
    r"back-?ordered|damaged|low\s+on\s+stock)\s*,\s*",
    re.IGNORECASE,
)


def gerund_bases(gerund: str) -> tuple[str, ...]:
    """The verbs a gerund may be the "-ing" of: "charging" (charg, charge), "shipping"
    (shipp, ship), "emailing" (email)."""
    stem_ = gerund.lower()[:-3]
    return tuple(v for v in (stem_, f"{stem_}e", stem_[:-1]) if v)


#: "If anything is out of stock, email ops@acme.io instead of shipping": a condition's step
#: said in place of one said before
_INSTEAD_OF_DOING = re.compile(
    # (a dot inside a word, "ops@acme.io", "$1.50", ends no sentence)
    r"(?P<cond>\bif\b(?:[^.;!?,]|\.(?=\w))*?),\s*(?:then\s+)?(?P<act>(?:[^.;!?]|\.(?=\w))+?)"
    r"\s+instead\s+of\s+"
    r"(?P<doing>[a-z]+ing)\b(?:\s+(?:it|them|the\s+[a-z]+))?(?P<end>\s*[.;!?]|\s*$)",
    re.IGNORECASE,
)


def instead_of_doing(prompt: str) -> str:
    """ "Charge it and ship it. If anything is out of stock, email ops instead of shipping"
    -> "Charge it. If anything is out of stock, email ops; otherwise ship it.": the step
    said before, done only in the condition's other case (it was done in both)."""
    match = _INSTEAD_OF_DOING.search(prompt)
    if match is None:
        return prompt
    before = prompt[: match.start()]
    for base in gerund_bases(match["doing"]):
        said = re.search(
            rf"(?:,\s*(?:and\s+)?(?:then\s+)?|\s+and\s+(?:then\s+)?|\s+then\s+)"
            rf"(?P<step>{re.escape(base)}\s+(?:it|them|the\s+[a-z]+|order\s+[\w-]+)\b"
            r"(?:[^.;!?]|\.(?=\w))*?)"
            r"(?=\s*(?:[.;!?,]|\band\b|$))",
            before,
            re.IGNORECASE,
        )
        if said is not None:
            break
    else:
        return prompt  # nothing said before is that step: read as written
    kept = before[: said.start()] + before[said.end() :]
    otherwise = f"; otherwise {said['step'].strip()}"
    return f"{kept}{match['cond']}, {match['act']}{otherwise}{match['end']}{prompt[match.end() :]}"


#: "charge the card and, if it fails, retry up to 3 times before emailing the customer"
_RETRY_THEN = re.compile(
    r"(?P<lead>[^.;!?]+?)(?:\s*[,;]\s*|\s+and\s*,?\s*)(?:and\s+)?if\s+it\s+fails\s*,\s*"
    r"retry(?:\s+it)?\s+(?P<times>(?:up\s+to\s+)?\w+\s+times?)"
    r"\s+before\s+(?P<next>[a-z]+ing)(?P<rest>[^.;!?]*?)(?P<end>[.;!?]|$)",
    re.IGNORECASE,
)
#: ", all in one email to me@…", "in a single message to #ops": one message with it all
_IN_ONE_EMAIL = re.compile(
    r",?\s+(?:and\s+)?(?:(?:all|both|everything)\s+)?(?:in|as)\s+(?:one|a\s+single)\s+"
    r"(?:e-?mail|message)\s+to\s+(?=[\w.+-]+@|#)",
    re.IGNORECASE,
)
#: "technical ones to a technical ticket" after "billing ones go to a billing ticket": a
#: route whose verb the one before it gives
_ROUTED_WITHOUT_VERB = re.compile(
    r"^\s*(?P<who>[a-z-]+(?:\s+(?:ones|[a-z-]+s))?)\s+(?:in)?to\s+(?P<rest>(?:an?|the)\b.+)$",
    re.IGNORECASE,
)
#: "valid orders get charged", "urgent tickets should be escalated": a step said in the
#: passive of the things of one kind
_ROUTED_DONE = re.compile(
    r"^\s*(?P<quality>[a-z-]+)\s+(?:[a-z-]+s|ones)\s+(?:get|are|should\s+be|must\s+be|"
    r"will\s+be|need\s+to\s+be)\s+(?P<done>[a-z]+ed)\b(?P<rest>[^,;:]*)$",
    re.IGNORECASE,
)
#: "... and route it", "then sort them as follows": what announces a list of routes.
_ROUTING_LEAD = re.compile(
    r"(?:^|\s*,\s*(?:and\s+|then\s+)?|\s+(?:and|then)\s+)(?:then\s+)?"
    r"(?P<verb>route|sort|triage|dispatch|direct|handle)\s+(?:it|them|the\s+\w+|each\s+one)"
    r"(?:\s+as\s+follows|\s+like\s+this)?\s*$",
    re.IGNORECASE,
)
#: A step that only says to go over a list ("loop over", "go through"): the loop itself.
_LOOP_ONLY = re.compile(
    r"^(?:go|loop|iterate|run|work|cycle|step)\s+(?:through|over)(?:\s+(?:them|it|all))?$",
    re.IGNORECASE,
)
_THE_REST = frozenset({"anything", "everything", "others", "rest"})
_ROUTE_IT = re.compile(
    r"(?:^|\s*,?\s*(?:and|then)\s+)(?:route|triage|sort|dispatch|direct)\s+(?:it|them)"
    r"(?:\s+(?:accordingly|as\s+follows))?\s*$",
    re.IGNORECASE,
)
#: How a step went, said of the thing ("good emails get a welcome email").
_OUTCOME_QUALITIES = frozenset("good bad valid invalid successful failed ok".split())
_EVERY = frozenset({"every", "each", "any", "all"})
_MESSAGE_WORD = re.compile(r"\b(?:e-?mail|message|notification|note|reply)\b", re.IGNORECASE)
_ON_OUTCOME = re.compile(
    r"(?P<lead>^|[;,]\s*(?:and\s+|but\s+)?)(?:on|upon|in\s+case\s+of|after\s+a)\s+"
    r"(?P<outcome>success|failure|error|decline)(?:\s*,\s*|\s+(?=[a-z]))",
    re.IGNORECASE,
)


#: "for any other decline reason, open a ticket": the other cases that have one.
_ANY_OTHER = re.compile(
    r"(?P<lead>^|[;,]\s*)(?:for|with|on)\s+(?:any|every|all)\s+other\s+"
    r"(?!(?:cases?|situations?|scenarios?|things?|ones?|results?|outcomes?)\b)"
    r"(?P<what>[a-z]+(?:\s+[a-z]+)?)\s*,\s*",
    re.IGNORECASE,
)


def _on_outcome(match: re.Match[str]) -> str:
    verb = "succeeds" if match.group("outcome").lower() == "success" else "fails"
    return f"{match.group('lead')}if it {verb}, "


_FOR_ONES = re.compile(
    r"^\s*(?:and\s+)?for\s+(?:the\s+|any\s+)?(?P<quality>[a-z-]+)\s+ones\s*,\s*", re.IGNORECASE
)
_ALL_FOR_EACH = re.compile(
    r"^(?P<steps>.+?)\s*,?\s+(?:and\s+)?(?:all|both|each\s+of\s+(?:these|them))\s+"
    r"(?:for|on|with)\s+(?:each|every)\s+(?P<what>[^,.;!?]+?)\s*[.!]?$",
    re.IGNORECASE,
)
_FOR_KIND = re.compile(
    r"(?P<lead>^\s*|,\s*)(?:and\s+)?for\s+(?:(?:the\s+|any\s+|all\s+)?(?P<quality>[a-z-]+)\s+"
    r"(?P<noun>[a-z]+s)\b|(?:anything|everything|any\s+one|those|ones)\s+(?:that's\s+|that\s+is\s+|"
    r"marked\s+)?(?P<quality2>[a-z-]+))\s*,?\s*(?=[a-z])",
    re.IGNORECASE,
)
_ONLY_FOR_KIND = re.compile(
    r",?\s+(?:but\s+)?only\s+(?:for|to|with)\s+(?:the\s+)?(?P<quality>[a-z-]+)\s+"
    r"(?P<noun>[a-z]+s)(?P<end>\s*(?:[.;]|$))",
    re.IGNORECASE,
)


def _only_if_its_kind(match: re.Match[str]) -> str:
    noun = singular(match["noun"])
    kind = match["quality"] if noun == "one" else f"a {match['quality']} {noun}"
    return f" only if it's {kind}{match['end']}"


_FOR_ONES_AFTER = re.compile(
    r"\s+(?:for|on)\s+(?:the\s+|any\s+)?(?P<quality>[a-z-]+)\s+ones(?P<end>\s*(?:[.;]|$))",
    re.IGNORECASE,
)
#: "..., so someone can respond": why, not a step.
_PURPOSE = re.compile(
    r",?\s+(?:so\s+(?:that\s+)?|in\s+order\s+(?:that|for)\s+)(?:someone|somebody|we|they|he|she|"
    # ("so the front desk can call him": who, in a word or two)
    r"i|you|the\s+\w+(?:\s+\w+)?|our\s+\w+(?:\s+\w+)?|people|customers?)\s+(?:can|could|will|may|know|"
    r"knows|gets?|sees?)\b"
    # (up to a step or condition that follows: "so someone can follow up and if ...")
    r"(?:(?!\s+(?:and\s+)?(?:if|when|unless|once|then|otherwise)\b)[^,;.])*",
    re.IGNORECASE,
)
#: "open a ticket for the onboarding team to call them": what the team will do with it,
#: not a step ("to approve it" stays: that asks for an approval).
_FOR_SOMEONE_TO = re.compile(
    r"(?P<kept>\bfor\s+(?:the\s+|our\s+|an?\s+|their\s+)?(?:[a-z-]+\s+){0,2}?(?:team|someone|"
    r"somebody|agents?|reps?|representatives?|managers?|staff|people|person|sales|support|desk|"
    r"department|engineers?|crew|ops|hr|finance))\s+to\s+(?!approv|sign\b|authori[sz]|review)"
    r"[a-z]+\b(?:(?!\s+(?:and\s+)?(?:if|when|unless|once|then|otherwise)\b)[^,;.])*",
    re.IGNORECASE,
)
#: "a task for finance to hedge": what a task is given to someone to do
_A_TASK_BEFORE = re.compile(r"\b(?:task|todo|to-do|chore|card|action\s+item)\s+$", re.IGNORECASE)


def _what_they_do_left_out(match: re.Match[str]) -> str:
    """ "open a ticket for the onboarding team to call them" -> "... for the onboarding
    team"; but "create a task for finance to hedge" keeps what the task asks (its title)."""
    if _A_TASK_BEFORE.search(match.string[: match.start()]):
        return match[0]
    return match["kept"]


#: "ask them for a review by email": an email that asks, not a check of an address.
_ASKED_BY_EMAIL = re.compile(
    r"\bask\s+(?P<who>them|him|her|(?:the|our|their)\s+[\w-]+)\s+(?P<what>(?:for|to)\s+[^,;.]+?)"
    r"\s+(?:by|via|over|in\s+an?)\s+e-?mail\b",
    re.IGNORECASE,
)
_PERSON_GETS_EMAIL = re.compile(
    r"(?P<lead>(?:^|[,;]\s*|\band\s+|\bthen\s+|\b(?:if|when|unless)\s+[^,;]+?\s))"
    r"(?P<who>(?:the|our|their|his|her)\s+[\w-]+"
    r"(?:\s+[\w-]+){0,2}?)\s+(?:should\s+|must\s+|will\s+)?(?:gets?|receives?)\s+"
    r"(?:an?\s+)?(?:e-?mail|notification|message|heads[- ]up)\b",
    re.IGNORECASE,
)
#: "page the on-call engineer by email": an email to them (a page is also a web page)
_PAGED_BY_EMAIL = re.compile(
    r"\b(?:page|buzz|alert)\s+(?:(?P<who>(?:the|our|an?|my)\s+[\w-]+(?:\s+[\w-]+){0,2})\s+"
    # ("page the on-call engineer at oncall@acme.com": at an email address)
    r"(?:(?:by|via|over|through)\s+e-?mail\b|(?=at\s+[\w.+-]+@[\w-]+\.))"
    # ("page ops@co.com": an email address is paged by email)
    r"|(?=(?P<address>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)))",
    re.IGNORECASE,
)
#: "post the summary to ops@acme.io": to an email address is by email (a post goes to a
#: channel; "share it with bo@x.com" may be a drive's sharing)
_POSTED_TO_AN_ADDRESS = re.compile(
    r"\b(?:post|publish)\s+(?P<what>it|this|that|them|these|those|(?:the|a|an|our|its|"
    r"their)\s+[\w-]+(?:\s+[\w-]+){0,2}?)\s+to\s+(?=[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
    re.IGNORECASE,
)
_LET_KNOW = re.compile(
    # "let the sales team know", "let their account manager know"
    r"\b(?:let\s+(?P<who>me|us|them|him|her|(?:the|their|our|his|her|my|your)\s+[\w-]+"
    # ("let sales@acme.com know": an address)
    r"(?:\s+[\w-]+){0,2}?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s+know|tell\s+(?P<told>me|us)|"
    r"reach\s+out\s+to|get\s+in\s+touch\s+with)\b\s*",
    re.IGNORECASE,
)


def _notify(match: re.Match[str]) -> str:
    """ "let the sales team know" -> "notify the sales team": who is told stays."""
    who = match.group("who") or match.group("told")
    return f"notify {who} " if who else "notify "


#: "For every new order, ...": the trigger (one order a run), as "when a new order comes in".
_EACH_NEW = re.compile(
    r"^\s*(?:for|on|with)\s+(?:each|every|any)\s+(?P<what>(?:new|incoming|arriving)\s+[a-z-]+"
    r"(?:\s+[a-z-]+)?)\s*,\s*",
    re.IGNORECASE,
)


def _arrives(match: re.Match[str]) -> str:
    return f"When a {match.group('what')} comes in, "


_DONT_UNLESS = re.compile(
    r"^(?P<lead>(?:please\s+|and\s+|but\s+)*)(?:do\s+not|don't|never)\s+(?P<action>.+?),?\s+"
    r"(?P<word>unless|if|until)\s+(?P<condition>.+)$",
    re.IGNORECASE,
)


def _negative_conditional(sentence: str) -> str:
    """ "Don't ship unless the payment went through" -> "Only if the payment went through,
    ship"; "don't email them if the order is invalid" -> "unless ..., email them"; "only
    ship orders that are in stock" -> "only if the order is in stock, ship it"."""
    kind = _ONLY_KIND.match(sentence.strip())
    if kind is not None and kind.group("noun").lower() == "ones":
        # "charge only the valid ones": some of a loop's items (or, with no loop, the one
        # item of the run when it is so), read as "charge the valid ones"
        verb = kind.group("verb") or kind.group("verb2")
        return f"{kind.group('lead') or ''}{verb} the {kind.group('state')} ones"
    if kind is not None and kind.group("state").lower() in _KIND_STATES:
        # "only ship paid orders": "only if the order is paid, ship it"
        noun = singular(kind.group("noun").lower())
        lead = kind.group("lead") or ""
        word = "only if" if lead else "Only if"
        step = kind.group("verb") or kind.group("verb2")
        return f"{lead}{word} the {noun} is {kind.group('state')}, {step} it"
    only = _ONLY_THOSE.match(sentence.strip())
    # ("ship only the ones that are in stock" is said of a loop's items: not this)
    if only is not None and only.group("noun").lower() != "ones":
        noun = only.group("noun").lower()
        noun = noun[:-3] + "y" if noun.endswith("ies") else noun[:-1]
        state = only.group("state").strip(" .!")
        verb = {"are": "is", "were": "was", "have": "has"}.get(only.group("be").lower(), "is")
        lead = only.group("lead") or ""
        word = "only if" if lead else "Only if"
        step = only.group("verb") or only.group("verb2")
        return f"{lead}{word} the {noun} {verb} {state}, {step} it"
    match = _DONT_UNLESS.match(sentence.strip())
    if match is None:
        return sentence
    word = "only if" if match.group("word").lower() in ("unless", "until") else "unless"
    if word == "unless" and _ANYTHING.match(match.group("action").strip(" ,.")):
        # "do not send anything if it's disposable": nothing happens then
        return f"If {match.group('condition')}, do nothing"
    return f"{word.capitalize()} {match.group('condition')}, {match.group('action')}"


#: "Only ship orders that are in stock", "charge only the orders which are valid": a step
#: for the things of one kind, said of the plural
_ONLY_THOSE = re.compile(
    r"^(?P<lead>.*?(?:,\s*(?:and\s+|then\s+)?|\s+and\s+(?:then\s+)?|\s+then\s+))?"
    r"(?:only\s+(?P<verb>[a-z]+)|(?P<verb2>[a-z]+)\s+only)\s+(?:the\s+)?(?P<noun>[a-z]+s)\s+"
    r"(?:that|which|who)\s+(?P<be>are|were|have)\s+(?P<state>[^,;]+)$",
    re.IGNORECASE,
)
#: "only ship paid orders", "charge only valid orders": a step for things in one state
_ONLY_KIND = re.compile(
    r"^(?P<lead>.*?(?:,\s*(?:and\s+|then\s+)?|\s+and\s+(?:then\s+)?|\s+then\s+))?"
    r"(?:only\s+(?P<verb>[a-z]+)|(?P<verb2>[a-z]+)\s+only)\s+(?:the\s+)?(?P<state>[a-z-]+)\s+"
    r"(?P<noun>[a-z]+s)\s*[.!]?$",
    re.IGNORECASE,
)
_KIND_STATES = frozenset(
    "paid unpaid valid invalid approved declined verified unverified urgent negative positive "
    "active inactive suspended disposable confirmed".split()
)
#: "send anything", "do anything", "email anyone": no step at all
_ANYTHING = re.compile(r"^(?:[a-z]+\s+)?(?:anything|anyone|anybody)$", re.IGNORECASE)


_BEFORE_LEAD = re.compile(
    r"^\s*before\s+(?:(?P<step>[a-z]+ing\b[^,]{0,100})|(?:we|you|they|i)\s+"
    r"(?P<said>[a-z]+\b[^,]{0,100})),\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
#: "Before charging orders above 1000 get approval from finance": where the "before" part
#: ends with no comma, at the approval asked
_BEFORE_APPROVAL_NO_COMMA = re.compile(
    r"(?P<lead>(?:^|(?<=[.;!?]\s))\s*before\s+[a-z]+ing\b[^,.;!?]{0,80}?)\s+"
    r"(?=(?:get|obtain|require|request|need|ask\s+for|seek)\s+(?:[\w']+\s+){0,3}?"
    r"(?:approval|sign[- ]?off|authori[sz]ation|go-ahead|ok)\b"
    r"|(?:have|get|ask)\s+(?:[\w']+\s+){1,3}?(?:to\s+)?(?:approve|sign\s+off|authori[sz]e)\b"
    r"|(?:a|an|the|our)\s+(?:[\w-]+\s+){0,2}?(?:must|needs?\s+to|has\s+to|should)\s+"
    r"(?:approve|sign\s+off|authori[sz]e)\b)",
    re.IGNORECASE,
)
#: "For orders above 1000 get approval": where a condition on an amount ends with no comma,
#: at the approval asked ("if ..." is read so already)
_OVER_AN_AMOUNT_NO_COMMA = re.compile(
    r"(?P<lead>(?:^|(?<=[.;!?]\s))\s*(?:for|on)\s+(?:[\w'-]+\s+){0,4}?(?:over|above|"
    r"under|below|more\s+than|less\s+than|at\s+least|exceeding)\s+[$€£]?\s*\d[\d,.]*\s*"
    r"(?:k|usd|eur|gbp|dollars|euros|pounds)?)\s+"
    r"(?=(?:get|obtain|require|request|need|ask\s+for|seek)\s+(?:[\w']+\s+){0,3}?"
    r"(?:approval|sign[- ]?off|authori[sz]ation|go-ahead)\b)",
    re.IGNORECASE,
)
#: "..., and before shipping it, ask ...": where a "before" part starts within a sentence.
_BEFORE_MIDWAY = re.compile(
    r"\s*[,;]?\s+and\s+(?=before\s+[a-z]+ing\b[^,]{0,100},\s*\S)", re.IGNORECASE
)
#: "shipping anything abroad", "shipping orders outside the UK": a step, only for what goes
#: to another country.
_STEP_ABROAD = re.compile(
    r"^(?P<verb>[a-z]+ing)\s+(?:(?P<thing>anything|any\s+\w+|\w+s|it|them)\s+)?"
    r"(?P<where>abroad|overseas|internationally|outside\s+(?:of\s+)?(?:the\s+)?[A-Za-z]+"
    r"(?:\s+[A-Z][a-z]+)?)\s*$",
    re.IGNORECASE,
)
#: "charging anything over 1000 USD", "shipping orders above 1,200": a step and an amount.
_STEP_OVER_AMOUNT = re.compile(
    r"^(?P<verb>[a-z]+ing)\s+(?:(?P<thing>anything|any\s+\w+|\w+s)\s+)?"
    r"(?P<compare>over|above|more\s+than|greater\s+than|exceeding|under|below|less\s+than)\s+"
    r"(?P<amount>[$€£]?\s*\d[\d,.]*\s*(?:k|thousand)?(?:\s*(?:usd|eur|gbp|dollars?|euros?|"
    r"pounds?))?)\s*$",
    re.IGNORECASE,
)
_ANY_THING = frozenset({"anything", "any"})
_SKIP_APPROVAL_OTHERWISE = re.compile(
    r"(?P<lead>^|(?<=[.!?\n])\s*)if\s+(?P<cond>[^,;.]+?)\s*,\s*(?:then\s+)?(?:skip|no(?:\s+need\s+for)?|"
    r"don't\s+(?:need|ask\s+for))\s+(?:the\s+|an?\s+|any\s+)?(?:approval|sign[- ]?off)"
    r"(?:\s+(?:is\s+)?(?:needed|required))?\s*[;,.]\s*"
    r"(?:otherwise|else|if\s+not)\s*,?\s*(?P<approval>[^.;\n]+)",
    re.IGNORECASE,
)
#: A request cut into sentences, their ends kept ("A. B" -> "A", ". ", "B").
_SENTENCE_PARTS = re.compile(r"((?<=[.!?])\s+|\n+)")
#: "get a manager's approval before charging more than 1000 USD": the same, said after.
_APPROVAL_BEFORE_OVER = re.compile(
    r"^\s*(?P<rest>[^,;]*\b(?:approv\w*|sign[- ]?off|ok|okay)\b[^,;]*?)\s+before\s+"
    r"(?P<step>[a-z]+ing\s+(?:(?:anything|any\s+\w+|\w+s)\s+)?(?:over|above|more\s+than|"
    r"greater\s+than|exceeding|under|below|less\s+than)\s+[$€£]?\s*\d[^,;]*?)\s*(?P<end>[.!?]?)\s*$",
    re.IGNORECASE,
)
_APPROVED_LEAD = re.compile(
    r"^\s*(?P<word>once|when|whenever|after|as\s+soon\s+as)\s+(?P<approval>[^,;]{3,80}?)\s*,\s*"
    r"(?:then\s+)?(?P<rest>\S.+)$",
    re.IGNORECASE,
)
#: "Only charge the card when everything is in stock": the condition of the step.
_ONLY_STEP_WHEN = re.compile(
    r"^(?P<lead>\W*)only\s+(?P<step>[a-z]+\b[^,;]*?)\s+(?P<word>when|whenever)\s+",
    re.IGNORECASE,
)
#: "ship it and email them after the manager approves (the order)": a trailing approval.
_APPROVED_TRAILING = re.compile(
    r"^(?P<rest>\S.+?)\s*,?\s+(?:after|once|when|as\s+soon\s+as)\s+(?P<approval>"
    r"(?:the\s+|a\s+|an\s+|our\s+)?(?:[a-z]+\s+)?[a-z]+(?:\s+team)?\s+"
    r"(?:approves|signs\s+off)(?:\s+on)?(?:\s+[^,;]{1,60}?)?)\s*$",
    re.IGNORECASE,
)
#: Who approves and what, in "the manager approves the order".
_SOMEONE_APPROVES = re.compile(
    r"^\s*(?P<who>(?:the\s+|a\s+|an\s+|our\s+)?(?:[a-z]+\s+)?[a-z]+(?:\s+team)?)\s+"
    r"(?:approves|signs\s+off(?:\s+on)?)(?P<what>(?:\s+[^,;]*)?)$",
    re.IGNORECASE,
)
_IN_WHICH_CASE = re.compile(r"\s*,?\s*\bin\s+which\s+case\b\s*,?\s*", re.IGNORECASE)
_AFTER_LEAD = re.compile(r"^\s*after\s+(?P<first>[a-z]+ing\b[^,]{1,80}),\s*", re.IGNORECASE)
#: "charge the card and ship it after validating the order": the steps joined before a
#: trailing "after doing Y" all wait for Y, not only the last of them.
_AFTER_TRAILING = re.compile(
    r"^(?P<steps>[^;]+?(?:,|\band\b)[^;]+?),?\s+after\s+(?P<first>[a-z]+ing\b[^,;]{1,80}?)"
    r"(?P<end>\s*[.!]?\s*)$",
    re.IGNORECASE,
)
_BOTH_INSIDE = re.compile(r"(?P<lead>(?:,|\bthen)\s+)both\s+(?=\w+\s.+\band\b)", re.IGNORECASE)
_GIVEN = re.compile(r"^\s*(?:given|with|using|from|for)\s+(?:a|an|the)\s+[^,]{1,40},\s*", re.I)
_FOR_EACH = re.compile(
    # "for all the items": the article after "all" is not the noun looped over
    r"\b(?:for\s+(?:each|every|all(?:\s+(?:of\s+)?(?:the|our|your|their|these|those)(?=\s))?)|"
    r"(?:on|to|with|over)\s+(?:each|every)|each\s+of\s+the|"
    # "validate all the orders in the batch": every one of a list the request names
    r"all(?:\s+of)?(?:\s+(?:the|our|their|these|those))?(?=\s+[a-z]+\s+(?:[a-z]+\s+)?(?:in|from|on|of)"
    r"\s+(?:the|this|a|our|that)\s+(?:\w+\s+)?(?:list|batch|file|csv|sheet|spreadsheet|queue|"
    r"table|export)\b)|"
    # "send the newsletter to all subscribers", "email all customers": each of them
    r"(?:(?<=\bto\s)|(?<=\bemail\s)|(?<=\bnotify\s)|(?<=\bmessage\s))all(?:\s+(?:of\s+)?"
    r"(?:the|our|your|their))?(?=\s+[a-z]+s\b)|"
    r"every|each(?!\s+(?:other|one\s+of)\b))\s+(?:one\s+of\s+(?:the|their|its|our|your|these|those)\s+|"
    r"of\s+(?:the|their|its|our|your|these|those|his|her)\s+)?"
    r"(?!(?:time|day|week|month|hour|minute|morning|night|year|case|way|step|other|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday)s?\b)"
    r"(?P<first>[a-z][a-z_-]*)"
    r"(?:\s+(?P<second>[a-z][a-z_-]*))?",
    re.IGNORECASE,
)
_CONTAINER = re.compile(
    r"^\s*(?:in|of|from|on|inside|within)\s+(?:the\s+|their\s+|its\s+|his\s+|her\s+|"
    r"this\s+|that\s+)?(?:[a-z]+'s\s+)?(?P<container>[a-z_]+)"
    # "in the input list": the list word after the name goes with it
    r"(?:\s+(?:list|batch|file|csv|array|sheet|spreadsheet|queue|table|export|set|payload)\b"
    # ("of the Design group", "in the Finance team": a name, then the kind of thing it names)
    r"|\s+(?:group|team|project|folder|board|channel|department)\b)?",
    re.IGNORECASE,
)
#: Words that qualify the noun after "each"/"every" rather than being it.
_QUALIFIERS = frozenset(
    "new single one other incoming selected active open pending line given remaining".split()
)
#: "ignore API-1A2 for 60 minutes", "skip job 42": a verb said of a thing by its code
_A_TOOL_VERB_ON_A_CODE = re.compile(
    r"^\W*(?:please\s+)?(?:and\s+|then\s+)*(?P<verb>[a-z]+)\s+(?:(?:(?:issue|the\s+[a-z]+|[a-z]+)\s+)?"
    r"#?(?-i:[A-Z][A-Z0-9]*-[A-Z0-9]+|\d{2,})\b"
    # ("ignore it for 30 minutes": for how long, so a doing, not "ignore it")
    r"|(?:it|them)\s+for\s+(?:\d+|an?|one|two)\s+(?:minutes?|mins?|hours?|days?|weeks?)\b)",
    re.IGNORECASE,
)
_APPROVAL = re.compile(
    # ("list the authorised bills", "all approved expenses": a state things are in, said
    # before their noun after a determiner, asks no one to approve)
    r"\b(?!(?:(?<=\bthe\s)|(?<=\ball\s)|(?<=\bany\s)|(?<=\bonly\s)|(?<=\bthose\s)|"
    r"(?<=\bthese\s))(?:approved|authori[sz]ed)\s+[a-z]+s\b)"
    r"(?:approv\w*|sign[- ]?off|signs?\s+off|signoff|authori[sz]\w*|human\s+review)\b|"
    # "have the support lead review it": a person looks at it before it goes on
    r"\b(?:have|get|ask|let)\s+(?:the\s+|a\s+|an\s+|our\s+)?[a-z]+(?:\s+(?:lead|team|manager))?"
    r"\s+(?:to\s+)?review\s+(?:it|this|them|the\s+\w+)\b|"
    r"\b\w+'s\s+(?:ok|okay|go-ahead|green\s+light)\b|"
    r"\b(?:an?\s+)?(?:ok|okay|go-ahead|green\s+light)\s+from\b",
    re.IGNORECASE,
)
#: "create her BambooHR record, her Google Workspace account, and order her a laptop": the
#: things one verb is said of, listed with commas, are said with "and" (one step each).
_LISTED_OBJECT = re.compile(
    r",\s+(?=(?:her|his|their|its|our|my|the|a|an)\s+[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,3}"
    r"(?:\s*,\s*and\s+|\s+and\s+))",
    re.IGNORECASE,
)
#: "If it ships abroad, get approval before creating the shipment, then email the customer":
#: the condition is the approval's; the shipment and what follows it run in every case, so
#: the steps after "before ..." are a sentence of their own.
_CONDITIONAL_APPROVAL_BEFORE_THEN = re.compile(
    r"(?P<head>(?:^|(?<=[.!?;]\s))\s*(?:if|when|whenever|unless)\b(?P<cond>[^,.;!?]+),\s*"
    r"[^.;!?]*?(?:\b(?:approv\w*|sign[- ]?off|signs?\s+off|authori[sz]\w*)\b|\bok\b|\bokay\b)"
    r"[^.;!?]*?\bbefore\s+(?:(?:we|you|they|i)\s+)?(?P<step>[a-z]+\s+(?:the|a|an|their|its|it|them)\b"
    r"[^,.;!?]*?))(?:\s*,\s*(?:and\s+)?then\s+|\s+and\s+(?:then\s+)?)(?P<rest>[a-z][^.;!?]*)",
    re.IGNORECASE | re.MULTILINE,
)
_TIMEOUT = re.compile(
    r"\bwithin\s+(?P<count>\d+)\s*(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?)\b",
    re.IGNORECASE,
)
#: "send it to a manager for approval": handing something to someone to approve is the
#: approval itself, not a message of its own (the run's approval reaches them).
_SENT_FOR_APPROVAL_TO = (
    r"\b(?:send|forward|submit|pass|route|hand|refer|escalate|give)\s+"
    r"(?:(?:it|this|that|them|(?:the|this|that|their|its)\s+[a-z-]+(?:\s+[a-z-]+)?)\s+)?"
    r"(?:on\s+|over\s+|up\s+)?to\s+(?:the\s+|a\s+|an\s+|our\s+|my\s+|their\s+)?"
)
_FOR_APPROVAL = (
    r"\s+for\s+(?:(?:an?|the|their|his|her|final)\s+)?"
    r"(?:approval|sign[- ]?off|authori[sz]ation|(?:a\s+)?go-ahead)\b"
)
#: The word after a department that says it is one: "the finance team", "the managers
#: group", "the legal department"
_UNIT = "(?:team|group|department)"
_ASSIGNEE_PATTERNS = (
    re.compile(
        r"\b(?:ask|have|let|get|needs?|requires?|wait\s+for)\s+(?:the\s+|a\s+|an\s+|our\s+|my\s+)?"
        # ("have a finance manager approve": finance's manager)
        rf"(?P<who>[a-z]+)(?:\s+(?:{_UNIT}|leads?|managers?))?\s+(?:to\s+)?(?:approv|sign|authori|review)",
        re.IGNORECASE,
    ),
    # "ask a manager for approval", "get finance for sign-off"
    re.compile(
        r"\b(?:ask|get|request|go\s+to)\s+(?:the\s+|a\s+|an\s+|our\s+|my\s+)?(?P<who>[a-z]+)"
        rf"(?:\s+(?:{_UNIT}|leads?))?\s+for\s+(?:an?\s+|their\s+|the\s+)?(?:approv|sign|authori)",
        re.IGNORECASE,
    ),
    re.compile(
        # ("a finance manager must approve": finance's manager, as above)
        rf"\b(?:the\s+|a\s+|an\s+|our\s+)?(?P<who>(?!{_UNIT}\s)[a-z]+)(?:\s+(?:{_UNIT}|leads?|managers?))?\s+(?:must|should|"
        r"has\s+to|have\s+to|needs?\s+to|to|will)\s+(?:approv|sign|authori)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<who>(?!{_UNIT}\s)[a-z]+)(?:\s+leads?(?=(?:'s)?\s))?(?:'s)?(?:\s+{_UNIT})?\s+"
        r"(?:approval|sign[- ]?off|ok|okay|go-ahead)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:approvals?|sign[- ]?offs?|approved)\s+(?:from|by)\s+(?:the\s+|a\s+|an\s+|our\s+)?"
        r"(?P<who>[a-z]+)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:the\s+|a\s+|an\s+)?(?P<who>(?!{_UNIT}\s)[a-z]+)(?:\s+(?:{_UNIT}|leads?))?\s+"
        r"(?:approves|signs\s+off)\b",
        re.IGNORECASE,
    ),
    # "send it to a manager for approval", "forward the refund to finance for sign-off"
    re.compile(
        rf"{_SENT_FOR_APPROVAL_TO}(?P<who>[a-z]+)(?:\s+(?:{_UNIT}|leads?))?{_FOR_APPROVAL}",
        re.IGNORECASE,
    ),
)
#: "someone from compliance", "a member of the finance team": the group is who approves.
_ONE_OF_THEM = re.compile(
    r"\b(?:someone|somebody|anyone|a\s+person|a\s+member|one|people|members|approvers)"
    r"\s+(?:from|in|of|on)\s+"
    r"(?:the\s+|our\s+)?",
    re.IGNORECASE,
)
#: "have a support lead review it", "ask finance to review the refund": a person's review is
#: their approval
_PERSON_REVIEWS = re.compile(
    r"\b(?P<lead>have|get|ask|let)\s+(?P<who>(?:the\s+|a\s+|an\s+|our\s+)(?:[a-z-]+\s+)?"
    r"(?:manager|lead|supervisor|reviewer|team|director|admin|agent|editor|officer|owner|head)s?"
    r"|finance|legal|compliance|hr|support|sales|security)\s+(?:to\s+)?review\b(?!\s+and\b)",
    re.IGNORECASE,
)
_PLUS_TAX = re.compile(
    r"\b(?P<verb>charge|bill)\b(?P<mid>[^.;]*?)\s+(?:plus|including|incl\.?|with|and)\s+"
    # ("plus California sales tax": the place said before the tax)
    # ("German VAT": a word for the people, not a place; left to the tax step to ask)
    r"(?:the\s+)?(?:(?P<place>(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+))?)\s+(?=(?:sales\s+)?tax\b)|"
    r"(?-i:[A-Z][a-z]+)\s+(?=(?:vat|gst|hst)\b))?"
    r"(?:sales\s+)?(?:tax|vat|gst|hst)\b"
    r"(?P<where>\s+(?:for|in)\s+(?-i:[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*))?",
    re.IGNORECASE,
)
_CURRENCY_SIGNS = (("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"))
#: An amount written in a charge: "$100", "€64.50", "250 EUR"
_AMOUNT_WRITTEN = re.compile(
    r"(?:[$€£¥]\s?\d+(?:\.\d+)?|\b\d+(?:\.\d+)?\s?(?:usd|eur|gbp|cad|aud|dollars?|euros?|pounds?)\b)",
    re.IGNORECASE,
)
#: "calculate the tax", "work out VAT for Germany": a tax step asked for in its own words
_TAX_STEP = re.compile(
    r"\b(?:calculate|compute|work\s+out|figure\s+out|determine|get|add|apply)\s+(?:the\s+)?"
    r"(?:[a-z]+\s+){0,2}?(?:tax|taxes|vat)\b",
    re.IGNORECASE,
)


def _tax_first(match: re.Match[str]) -> str:
    """ "charge the card for the order amount plus tax" -> "calculate the tax, then charge
    the card for the total"."""
    mid = re.sub(
        r"\b(?:the\s+)?(?:order\s+)?(?:amount|subtotal|sum|price)\b",
        "the total",
        match.group("mid"),
        flags=re.IGNORECASE,
    )
    where = match.group("where") or ""
    if match.group("place") and not where:
        where = f" in {match.group('place').strip()}"  # "plus California sales tax"
    on = ""
    written = list(_AMOUNT_WRITTEN.finditer(mid))
    if len(written) == 1 and "the total" not in mid:
        # "charge order 5 $100 plus VAT": the tax on $100, and the total charged
        amount = written[0].group(0)
        on = f" on {amount}"
        code = next((c for sign, c in _CURRENCY_SIGNS if sign in amount), None)
        total = f"the total in {code}" if code else "the total"  # ("$100": in dollars still)
        mid = f"{mid[: written[0].start()]}{total}{mid[written[0].end() :]}"
    return f"calculate the tax{on}{where}, then {match.group('verb')}{mid}"


#: "thank the customer (by email)", "apologize to them", "congratulate the winner": a
#: message that says so (never "thank you")
_COURTESY = re.compile(
    r"\b(?P<verb>thank|apologi[sz]e|congratulate)(?:\s+to)?"
    r"(?:\s+(?P<who>them|him|her|(?:the|our|this|that)\s+[a-z]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+))?"
    r"(?:\s+by\s+e-?mail|\s+(?P<sms>(?:by|via)\s+(?:sms|text(?:\s+message)?)))?"
    # ("thank the customer at c@x.com": an email; "... at +1 415 555 0199": a text)
    r"(?P<at>\s+(?:at|on)\s+(?:\+?[\d(][\d\s().-]{5,}\d|[\w.+-]+@[\w-]+(?:\.[\w-]+)+))?"
    r"(?=\s*(?:[,.;!]|$|\b(?:and|otherwise|if|for|when|then)\b))",
    re.IGNORECASE,
)
_COURTESY_NOTES = {"thank": "a thank-you note", "apolog": "an apology", "congra": "congratulations"}


#: "route billing ones to #billing", "send technical tickets to eng@…", "route billing to
#: finance@…, technical to eng@… and everything else to help@…": the items of one kind sent
#: somewhere (a value some step tells, such as a category), and where the rest go
_KIND_NOUNS = r"(?:ones|tickets|messages|emails|requests|issues|cases|questions|orders|reviews)"
#: Where a kind goes: a channel, an address, or a work item made for it ("to a ticket")
_KIND_DEST = (
    r"(?P<dest>#[\w-]+|[\w.+-]+@[\w.-]+\w|(?:an?|one)\s+(?:new\s+)?(?:support\s+)?"
    r"(?:ticket|issue|case|incident)\b"
    # ("route billing ones to a manager for approval": an approval of those)
    rf"|(?:(?:the|an?|our)\s+)?[a-z]+(?:\s+(?:{_UNIT}|leads?))?{_FOR_APPROVAL})"
)
_SENT_KIND = re.compile(
    rf"\b(?P<verb>route|send|forward|escalate|pass|direct|dispatch)\s+(?:the\s+|all\s+|any\s+)?"
    rf"(?P<value>[a-z][a-z-]*)(?P<noun>\s+{_KIND_NOUNS})?\s+to\s+{_KIND_DEST}",
    re.IGNORECASE,
)
_SENT_KIND_MORE = re.compile(
    r"\s*[,;]?\s+(?:and\s+)?(?:(?P<other>(?:everything|anything|all)\s+else|the\s+rest|"
    rf"(?:all\s+|the\s+)?others|all\s+other\s+{_KIND_NOUNS})|(?P<value>[a-z][a-z-]*)"
    rf"(?:\s+{_KIND_NOUNS})?)\s+(?:goes\s+|go\s+)?to\s+{_KIND_DEST}",
    re.IGNORECASE,
)
#: Words after "route" that are not a kind ("route it to …", "route the rest to …")
_NOT_KINDS = frozenset(
    "it them this that these those everything anything all each every rest others other "
    "one everyone nobody".split()
)
_ROUTING_VERBS = frozenset({"route", "forward", "direct", "dispatch"})


#: "Urgent ones need approval from the support lead; others are created right away": a
#: kind of the thing that needs an approval (and, after it, what every one gets).
_ONES_NEED_APPROVAL = re.compile(
    r"(?P<lead>^|(?<=[.;!?])\s+)(?P<kind>[A-Za-z][a-z-]+)\s+ones\s+(?:need|require|must\s+get|"
    r"should\s+get|have\s+to\s+get|must\s+have|get)\s+"
    r"(?P<asked>(?:(?:an?|the)\s+)?(?:[\w-]+(?:'s)?\s+){0,3}?(?:approval|sign[- ]?off)\b[^.;!?]*?"
    r"|to\s+be\s+approved\b[^.;!?]*?)"
    r"(?:\s*[;,]\s*(?:the\s+)?(?:others|rest|other\s+ones)\s+(?:are|get|can\s+be)\s+"
    r"(?P<done>[a-z]+)(?:\s+(?:right\s+away|immediately|directly|straight\s+away|at\s+once|"
    r"automatically))?)?\s*(?:[.;!?]|$)",
)


#: An approval that only some amounts need: "orders over $1000 need finance approval".
_APPROVAL_OVER_AN_AMOUNT = re.compile(
    r"\b(?:over|above|more\s+than|greater\s+than|exceed(?:s|ing)?|bigger\s+than|larger\s+than)"
    r"\s+[$€£]?\d[\d,.]*k?\b.*\b(?:approv|sign[- ]?off|authori[sz])"
    r"|\b(?:approv|sign[- ]?off|authori[sz]).*\b(?:over|above|more\s+than|greater\s+than|"
    r"exceed(?:s|ing)?)\s+[$€£]?\d",
    re.IGNORECASE | re.DOTALL,
)
#: "; smaller ones are charged straight away", "; anything less goes straight through",
#: "; the rest don't need it": the items an approval over an amount does not hold up.
_THE_REST_GO_THROUGH = re.compile(
    r"(?:\s*[;.]\s*|\s*,\s*(?:and|while|but)\s+|\s+(?:and|while)\s+)"
    r"(?:(?:the\s+)?(?:smaller|cheaper|lower|other|remaining)\s+(?:ones|orders|requests|payments|"
    r"amounts|purchases|expenses|invoices|bills|claims)"
    r"|anything\s+(?:less|smaller|cheaper|lower|under|below|else)(?:\s+than\s+that)?"
    r"|everything\s+else|the\s+rest|others|(?:those|ones)\s+(?:under|below)\s+(?:that|it|"
    r"[$€£]?\d[\d,.]*k?))"
    r"\s+(?:go(?:es)?\s+(?:straight\s+|right\s+)?through"
    r"|(?:do\s+not|don't|does\s+not|doesn't)\s+need\s+(?:it|one|any|(?:an?\s+)?approval|"
    r"sign[- ]?off)"
    r"|need\s+no\s+(?:approval|sign[- ]?off)"
    r"|(?:are|is|get|gets|can\s+be)\s+(?P<done>[a-z]+ed|paid|sent|made|done)\s+"
    r"(?:right\s+away|straight\s+away|immediately|automatically|directly|at\s+once|"
    r"without\s+(?:it|one|approval|sign[- ]?off)))"
    r"(?P<end>\s*(?:[.!?]|$))",
    re.IGNORECASE,
)


def _participle_bases(done: str) -> tuple[str, ...]:
    """What "classified", "charged", "opened", "shipped" may be the participle of."""
    return (done[:-3] + "y", done[:-1], done[:-2], done[:-3])


_IRREGULAR_PARTICIPLES = dict(
    pair.split(":")
    for pair in "sent:send paid:pay made:make done:do written:write given:give built:build "
    "put:put set:set held:hold".split()
)


def _routed_ones(text: str) -> str:
    """ "Classify it and route billing ones to #billing and technical ones to #eng." ->
    "Classify it. If it's billing, send it to #billing. If it's technical, send it to
    #eng.": each kind a condition of its own (refused when no step tells the kind), and
    "… everything else to help@…" the other case."""
    match = next((m for m in _SENT_KIND.finditer(text) if _names_a_kind(m)), None)
    if match is None:
        return text
    sentence = re.split(r"[.!?;]\s", text[: match.start()])[-1]
    if for_each_phrase(sentence) is not None:
        # "validate each contact's email and send the invalid ones to sales@": some items
        # of the loop, which the loop picks out, not one value a step tells
        return text
    cases: list[tuple[str | None, str]] = [(match.group("value"), match.group("dest"))]
    end = match.end()
    while (more := _SENT_KIND_MORE.match(text, end)) is not None:
        if more.group("value") and more.group("value").lower() in _NOT_KINDS:
            break
        cases.append((None if more.group("other") else more.group("value"), more.group("dest")))
        end = more.end()
        if more.group("other"):
            break
    if not match.group("noun") and len(cases) < 2:
        # "route billing to finance@…" alone may name a thing, not a kind
        return text
    said = ". ".join(
        f"{'Otherwise' if value is None else f'If it is {value}'}, {_routed_to(dest)}"
        for value, dest in cases
    )
    head = re.sub(r"[\s,;]*(?:and|then)?\s*$", "", text[: match.start()], flags=re.I)
    rest = text[end:]
    return f"{head}. {said}{rest}" if head.strip() else f"{said}{rest}"


def _routed_to(dest: str) -> str:
    """ "send it to billing@co.com"; "technical ones to a ticket": a ticket made for it."""
    if re.search(_FOR_APPROVAL, dest, re.IGNORECASE):
        return f"send it to {dest}"  # "to a manager for approval": their approval
    if re.fullmatch(r"(?:an?|one)\s+(?:new\s+)?[a-z][a-z -]*", dest.strip(), re.IGNORECASE):
        return f"create {dest.strip()} for it"
    return f"send it to {dest}"


def _names_a_kind(match: re.Match[str]) -> bool:
    """Whether "route X to …" names a kind X: with its noun ("billing ones"), or a word
    that is not a pronoun after a verb that routes ("route billing to …")."""
    if match.group("value").lower() in _NOT_KINDS:
        return False
    return bool(match.group("noun")) or match.group("verb").lower() in _ROUTING_VERBS


def _courtesy_message(match: re.Match[str]) -> str:
    said = match.group("verb").lower()
    note = next(text for start, text in _COURTESY_NOTES.items() if said.startswith(start))
    at = match.group("at") or ""
    verb = "text" if match.group("sms") or (at and "@" not in at) else "email"
    verb = verb.capitalize() if match.group(0)[0].isupper() else verb
    return f"{verb} {match.group('who') or 'them'}{match.group('at') or ''} {note}"


#: "have compliance review and approve it": the approval is what they do.
_REVIEW_AND = re.compile(r"\b(?:review|check|look\s+at)\s+and\s+(?=approv)", re.IGNORECASE)
_NOT_ASSIGNEES = frozenset(
    """
    get needs need requires require human manual an a the to for it them this that must
    skip skipping bypass waive omit drop no without
    someone somebody one ask have let wait should will be is an approval approve explicit
    their his her our my your me us i and or then first final two three four five both any at least
    after before until upon with on pending following awaiting receiving prior without
    """.split()
)
_HOW_MANY = re.compile(
    r"\b(?:(?P<number>two|three|four|five|2|3|4|5)|(?P<both>both))\s+(?:of\s+the\s+)?(?:\w+\s+)?"
    r"(?:managers|approvers|people|members|directors|leads|reviewers|officers|admins)\b"
    # "two approvals from finance", "3 sign-offs"
    r"|\b(?P<count>two|three|four|five|2|3|4|5)\s+(?:approvals|sign[- ]?offs)\b",
    re.IGNORECASE,
)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}


def approvals_needed(text: str) -> int:
    """ "approval from two managers" -> 2 (the approval's quorum)."""
    match = _HOW_MANY.search(text)
    if match is None:
        return 1
    if match.group("both"):
        return 2
    word = (match.group("number") or match.group("count")).lower()
    return _NUMBERS.get(word) or int(word)


def _without_counts(text: str) -> str:
    return re.sub(r"\b(?:two|three|four|five|both|[2-5])\s+(?=[a-z])", "", text, flags=re.I)


#: Groups named by a department stay singular; roles become plural group names.
DEPARTMENTS = frozenset(
    """
    finance legal hr security support sales compliance marketing engineering ops operations
    accounting procurement management it billing warehouse logistics helpdesk devops payroll
    fulfillment fulfilment shipping
    """.split()
)
#: When the flow runs ("every morning", "daily at 9am", "on Mondays"): a schedule starts
#: runs from outside the flow (a person, the API, a batch), so it makes no step.
_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_PART_OF_DAY = r"(?:morning|afternoon|evening|night)s?"
_RECURRENCE = (
    rf"(?:every|each)\s+(?:{_PART_OF_DAY}|day|hour|week|month|weekday|{_DAY}|"
    r"\d+\s+(?:minutes?|hours?|days?))|(?:daily|nightly|hourly|weekly|monthly)|"
    rf"on\s+{_DAY}"
)
# "every Monday morning", "on Friday afternoons": the part of the day goes with the day
_SCHEDULE = rf"(?:{_RECURRENCE})(?:\s+{_PART_OF_DAY})?"
_TIME_OF_DAY = r"(?:\s+at\s+\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\.?)?)?"
_SCHEDULE_LEAD = re.compile(rf"^\s*(?:{_SCHEDULE}){_TIME_OF_DAY}\s*,\s*", re.IGNORECASE)
_SCHEDULE_SAID = re.compile(rf"\b(?:{_SCHEDULE}){_TIME_OF_DAY}\b", re.IGNORECASE)


def schedule_said(prompt: str) -> str | None:
    """When the request says the flow should run ("every morning", "daily at 9am"), as
    said: a flow runs when it is started, so a plan makes no step of it (see above)."""
    match = _SCHEDULE_SAID.search(prompt)
    return match.group(0).strip() if match else None


_SCHEDULE_NO_COMMA = re.compile(rf"^\s*(?:{_SCHEDULE}){_TIME_OF_DAY}\s+", re.IGNORECASE)
_LEADING_FILLER = re.compile(
    r"^(?:(?:and|then|also|finally|next|lastly|afterwards|after\s+that|please|just|so|first|"
    r"firstly|secondly|thirdly|fourthly|(?:second|third|fourth|fifth)(?=\s*,|\s*$)|"
    r"to\s+start(?:\s+with)?|to\s+begin(?:\s+with)?|"
    r"simply|additionally|plus|go\s+ahead\s+and|once\s+(?:both|all|they|these)\s+(?:are\s+)?(?:done|finish\w*|"
    r"complete\w*)|when\s+(?:both|all|they|these)\s+(?:are\s+)?(?:done|finish\w*|complete\w*)|"
    r"regardless\s+of\s+the\s+(?:result|outcome)|regardless|in\s+(?:any|either|both)\s+cases?|"
    r"either\s+way|whatever\s+happens|in\s+all\s+cases|"
    rf"no\s+matter\s+what|(?:{_SCHEDULE}){_TIME_OF_DAY})\b[\s,]*)+",
    re.IGNORECASE,
)
_REGARDLESS = re.compile(
    r"\b(?:regardless|in\s+(?:any|either|both|all|every)\s+cases?|either\s+way|"
    r"whatever\s+happens|no\s+matter\s+what|anyway|always|unconditionally|in\s+every\s+case)\b",
    re.IGNORECASE,
)
#: "ship it either way": said after the step
_TRAILING_REGARDLESS = re.compile(
    r"[\s,]+(?:regardless(?:\s+of\s+the\s+(?:result|outcome))?|in\s+(?:any|either|all|every)\s+"
    r"cases?|either\s+way|no\s+matter\s+what|anyway)\s*$",
    re.IGNORECASE,
)
#: A quoted literal: in double quotes (an apostrophe inside, "we'll", ends nothing) or in
#: single quotes that stand apart from words.
_QUOTED = re.compile(r"[\"“]([^\"”]{1,200})[\"”]|(?<!\w)'([^']{1,200})'(?!\w)")
_LABELLED_QUOTE = re.compile(
    r"\b(?P<label>[a-z_]+)\s*(?P<joiner>of|to|as|=|:|is|saying|reading|that\s+says)?\s*"
    r"(?:[\"“](?P<value>[^\"”]{1,500})[\"”]|'(?P<single>[^']{1,500})'(?!\w))",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Condition:
    text: str
    negate: bool = False
    #: "if"-style conditions must resolve; "when"-style ones may just describe the trigger.
    optional: bool = False
    #: What a "check whether X" step was asked: the check's own verdict can answer it.
    checked: bool = False


@dataclass(slots=True)
class Approval:
    groups: list[str] = field(default_factory=list)
    #: People named to decide ("have Jane approve", "ask jane@acme.io to approve"): users
    #: by username or address, not a group of their own.
    users: list[str] = field(default_factory=list)
    #: Who approves, as the request says it ("manager", "finance"), for the node's id.
    role: str | None = None
    timeout_s: float | None = None
    #: What happens when the timeout passes: approve, reject, fail or escalate (None: reject).
    on_timeout: str | None = None
    #: The group the step is escalated to when nobody decides in time.
    escalate_to: str | None = None
    #: The approval guards the step planned just before it ("..., a manager approves first").
    before_previous: bool = False
    #: How many approvers must approve ("two managers").
    quorum: int = 1


@dataclass(slots=True)
class Clause:
    """One step of the request, and the phrasing around it."""

    number: int
    text: str
    action: str
    sentence: int
    condition: Condition | None = None
    #: This clause is the else arm of the latest condition.
    otherwise: bool = False
    #: The condition is a clause of its own that applies to what follows.
    condition_only: bool = False
    #: "If X do Y and Z": the condition comes first, so it holds for the rest of the
    #: sentence, as it does when a comma parts it from the step ("If X, do Y and Z").
    condition_leads: bool = False
    approval: Approval | None = None
    for_each: str | None = None
    for_each_container: str | None = None
    parallel_group: int | None = None
    quoted: list[tuple[str | None, str]] = field(default_factory=list)
    #: "if X, do nothing": the arm has no step (what follows "otherwise" gets "not X").
    nothing: bool = False
    #: retries and a time limit the request gave the step ("retry up to 3 times")
    settings: RunSettings = field(default_factory=RunSettings)
    #: "if X, stop": no step; nothing after it runs when the condition holds
    stop: bool = False
    #: "Process an order: validate it, ...": the title the step came under (what "it" is)
    title: str = ""
    #: "greet them; if the email is invalid, send nothing": a condition said after the
    #: step, which guards it when a step before it can decide it
    guard: Condition | None = None
    #: "Check whether the amount is over 500": what the check compares with a number
    compares: str | None = None
    #: "Check that the email is valid" / "make sure we have the stock": a state the rest
    #: of the request needs (see `assertions`)
    asserts: Condition | None = None
    #: "send a welcome email to the valid ones" in a request with a loop: the phrase its
    #: condition came from, refused unless the step is in the loop (see `_check_no_subset`)
    subset: str | None = None
    #: "Check whether it's disposable": the question the step asks (a step planned before
    #: may already answer it)
    asks: Condition | None = None
    #: "either way, create the shipment": the step runs whatever a condition before said
    regardless: bool = False
    #: "validate the order and the email": one of the things one verb is said of, each a
    #: step of its own (the words of the whole clause)
    part_of: str | None = None

    @property
    def label(self) -> str:
        return f"step {self.number} ({self.text.strip()!r})"


def nested_conditions_joined(clauses: list[Clause]) -> list[Clause]:
    """ "if it's valid, if the total is over 100, get approval, then charge it": a
    condition said right after another, before any step, holds inside it; both hold for
    what follows ("if it's valid and the total is over 100, ..."), so the first is not
    dropped (the charge of an invalid order)."""
    result: list[Clause] = []
    for clause in clauses:
        previous = result[-1] if result else None
        first = previous.condition if previous is not None else None
        second = clause.condition
        if (
            previous is not None
            and first is not None
            and second is not None
            and _leading_condition_only(previous)
            and _leading_condition_only(clause)
            and previous.sentence == clause.sentence
        ):
            previous.condition = Condition(f"{first.text} and {second.text}")
            continue
        result.append(clause)
    return result


def _leading_condition_only(clause: Clause) -> bool:
    condition = clause.condition
    return (
        condition is not None
        and clause.condition_only
        and clause.condition_leads
        and not clause.action
        and not clause.otherwise
        and not condition.negate
        and not condition.optional
        and not clause.stop
        and not clause.nothing
    )


class PromptReader:
    """Splits a request into clauses; `verbs` are the words that may start a step."""

    def __init__(self, extra_verbs: Iterable[str] = (), qualities: Iterable[str] = ()) -> None:
        #: Words a step's output can say of a thing ("negative", "urgent"): "negative
        #: feedback gets a ticket" routes on one of them.
        self.qualities = frozenset(q.lower() for q in qualities if q.isalpha())
        #: the verbs of the catalogue's own tools ("route" when a tool routes)
        self.tool_verbs = frozenset(v.lower() for v in extra_verbs)
        verbs = set(COMMON_VERBS) | {v for v in extra_verbs if v.isalpha() and len(v) > 2}
        self.verbs = frozenset(verbs - NOUN_VERBS)
        plain = sorted(verbs - NOUN_VERBS, key=len, reverse=True)
        noun_verbs = sorted(NOUN_VERBS, key=len, reverse=True)
        verb = (
            rf"(?:also\s+|then\s+|finally\s+|only\s+|just\s+)?(?:(?:{'|'.join(plain)})\b"
            rf"|(?:{'|'.join(noun_verbs)})\s+(?:{_DETERMINERS}|{_ADDRESS_START}"
            # ("... and email Kim the tracking number": a person named, then what is sent)
            r"|(?-i:[A-Z][a-z]+)\s+(?:the|a|an|their|his|her|our|your)\b"
            # ("if its valid welcome him if not ...": someone by a pronoun)
            r"|(?:him|them)\b(?!\s+(?:is|are|was|were)\b)"
            # ("... is refused text card 2900118 that ...": someone by a thing's code)
            r"|(?!(?:address|message|number)\b)[a-z]+\s+#?[A-Za-z]*[-_]?\d[\w-]*\s+(?:that|to|about|saying)\b"
            # ("... and email tracking info to the customer": a thing sent to someone)
            rf"|(?!(?:every|any|some)thing\b)(?:[a-z][\w-]*\s+){{1,3}}to\s+"
            rf"(?:{_DETERMINERS}|me\b|us\b|him\b|her\b|them\b|"
            rf"{_ADDRESS_START})))"
        )
        self._and_split = re.compile(rf"(?:\s*,\s*and\s+|\s+and\s+|\s*,\s*)(?={verb})", re.I)
        #: "ship and email tracking number": a verb alone, then a verb that is also a noun
        self._bare_verb_and = re.compile(
            rf"^(?P<first>(?:then\s+)?(?:{'|'.join(plain)}))\s+and\s+"
            rf"(?P<second>(?:{'|'.join(noun_verbs)})\s+\S.*)$",
            re.IGNORECASE,
        )
        self._verb_start = re.compile(rf"^\s*{verb}", re.IGNORECASE)
        self._verb_inside = re.compile(rf"[\s,]+(?={verb})", re.IGNORECASE)
        #: "we check the tone", "if they're angry we open a ticket": the flow is who acts,
        #: so the step is the verb ("before we charge" keeps its conjunction)
        self._we_act = re.compile(
            r"(?:(?P<comma>,)|(?<!\bbefore)(?<!\bafter)(?<!\bwhen)(?<!\bonce)(?<!\bif)"
            r"(?<!\buntil)(?<!\bunless)(?<!\bthat)(?<!\bso)(?<!\bas)(?<!\bwhile)"
            r"(?<!\bbecause)(?<=[a-z']))\s+(?:then\s+)?(?:we|i)(?:'ll|\s+will|\s+should|"
            rf"\s+can)?\s+(?={verb})",
            re.IGNORECASE,
        )
        #: sentence -> the inline title it came under ("Process an order: ...")
        self._titles: dict[str, str] = {}
        self._other_case = False
        #: "Either way, ...": said alone before a comma, for the step after it
        self._regardless_next = False

    def _routed(self, sentence: str) -> str:
        """ "Negative feedback should become a ticket; anything else gets an email": a
        routing said of the thing, as conditions ("if the feedback is negative, create a
        ticket; otherwise send an email"). Only for qualities a step can tell."""
        qualities = self.qualities | frozenset(FEELINGS)
        routed = qualified_route(sentence, qualities)
        if routed is not None:
            return routed
        parts = re.split(r"(\s*[;,:]\s*(?:and\s+|while\s+|but\s+)?)", sentence)
        changed = False
        routed_by = None  # the verb of the route before ("go to"), for one said without it
        for index in range(0, len(parts), 2):
            elliptical = _ROUTED_WITHOUT_VERB.match(parts[index]) if routed_by else None
            if elliptical is not None and _ROUTED.match(parts[index]) is None:
                # "billing ones go to a billing ticket, technical ones to a technical one":
                # the second route said with the first one's verb left out
                parts[index] = f"{elliptical['who']} {routed_by} {elliptical['rest']}"
            if changed is False and index > 0 and _ROUTED.match(parts[index]):
                # "classify it and route it: billing ones go to finance": the cases that
                # follow are the routing, no step of its own
                parts[index - 2] = _ROUTE_IT.sub("", parts[index - 2]) or parts[index - 2]
            done = _ROUTED_DONE.match(parts[index])
            base = self._verb_of(done.group("done").lower()) if done is not None else None
            if (
                done is not None
                and base is not None
                and done.group("quality").lower()
                in (self.qualities | frozenset(FEELINGS) | _OUTCOME_QUALITIES)
            ):
                # "valid orders get charged": "if it's valid, charge it"
                parts[index] = f"if it's {done.group('quality')}, {base} it{done.group('rest')}"
                changed = True
                continue
            match = _ROUTED.match(parts[index])
            if match is None:
                continue
            quality = match.group("quality").lower()
            verb = re.sub(r"\s+(?:straight|directly|right)\b", "", match.group("verb"))
            routed_by = verb if re.search(r"\bto$", verb) else None
            action, rest = routed_action(verb, match.group("rest"))
            if match.group("bare") and action != "email":
                continue  # "go to finance": a person or team with no article; else a noun
            noun = (match.group("noun") or "").lower()
            also = (match.group("also") or "").lower()
            if also and also not in self.qualities:
                noun, also = noun or also, ""  # "negative feedback": the thing it is said of
            known = self.qualities | frozenset(FEELINGS) | _OUTCOME_QUALITIES
            if quality in _THE_REST and (also or noun) in known:
                # "anything urgent should become a ticket": what is urgent, not the rest
                parts[index] = f"if it's {also or noun}, {action} {rest}"
            elif quality in _THE_REST or noun in _THE_REST:
                parts[index] = f"otherwise {action} {rest}"
            elif quality in self.qualities or quality in FEELINGS or quality in _OUTCOME_QUALITIES:
                subject = f"the {noun} is" if noun and noun not in ("one", "ones") else "it's"
                said = f"{quality} and {also}" if also else quality  # "urgent billing issues"
                parts[index] = f"if {subject} {said}, {action} {rest}"
            elif action == "send" and _MESSAGE_WORD.search(rest):
                # "new users get a welcome email": sent to them; "every order gets a
                # confirmation email": the one order of a run
                who = "" if quality in _EVERY else f" to {quality} {noun}".rstrip()
                parts[index] = f"send {rest}{who}"
            else:
                continue
            changed = True
        if not changed:
            return sentence
        if len(parts) > 2 and parts[1].strip() == ":":
            parts[0] = self._without_routing_lead(parts[0])
            if not parts[0]:
                del parts[:2]
        return "".join(parts)

    def _without_routing_lead(self, text: str) -> str:
        """ "Classify it and route it: ...": "route it" only announces the routes that
        follow the colon, unless a tool of the catalogue routes."""
        match = _ROUTING_LEAD.search(text)
        if match is None or match.group("verb").lower() in self.tool_verbs:
            return text
        return text[: match.start()]

    def _step_then_if_then_step(self, sentence: str) -> str:
        """ "validate his email if its valid welcome him": a step, then a condition with
        the step it guards right after it, no comma typed -> "validate his email and if
        its valid, welcome him" (the first step was read as guarded by "its valid welcome
        him")."""
        trailing = _TRAILING_CONDITION.match(sentence.strip())
        if (
            trailing is None
            or trailing["word"].lower() != "if"
            or "," in trailing["condition"]
            or not self.starts_with_verb(trailing["action"])
            or _ASKS_WHETHER.search(trailing["action"])  # ("figure out if it's negative")
        ):
            return sentence
        parts = self._split_at_verb(trailing["condition"])
        if len(parts) != 2 or len(parts[0].split()) > 6:
            return sentence
        return f"{trailing['action']} and if {parts[0].strip()}, {parts[1].strip()}"

    def _split_at_verb(self, text: str) -> list[str]:
        """ "the amount is over 500 get approval" -> condition, action; a verb after a
        determiner is a noun ("the charge succeeds") and does not split."""
        for match in self._verb_inside.finditer(text):
            before = text[: match.start()].split()
            if (
                before
                and before[-1].lower() in _NOUN_MARKERS
                # ("if anything is wrong with it open a ticket": "it" after a preposition
                # ends the condition; the verb starts the step)
                and not (
                    len(before) > 1
                    and before[-1].lower() in ("it", "them")
                    and (
                        before[-2].lower() in _PREPOSITIONS_BEFORE_IT
                        or _ANSWER_VERB.fullmatch(before[-2])
                    )
                )
            ):
                continue
            if "," not in match.group() and before and before[-1].lower() in _NO_STEP_AFTER:
                continue  # "when a new user signs up with email sam@x.com": a verb's word
                # after a preposition is its noun ("email"), or an infinitive ("fails to ship")
            if (
                "," not in match.group()
                and len(before) > 1
                and re.fullmatch(r"[$€£¥]?\d[\d.,]*%?", before[-1])
                and before[-2].lower() in ("a", "an", "the", "its", "their", "his", "her")
            ):
                continue  # "before we apply a $100 late fee": a word after "a" and an
                # amount is what the amount is of, a noun ("late" was read as a step's verb)
            if (
                "," not in match.group()
                and before
                and re.fullmatch(r"\d[\d,.]*", before[-1])
                and re.match(r"open\s+[a-z]+s\b", text[match.end() :], re.IGNORECASE)
            ):
                continue  # "if they have more than 3 open tickets": what is counted, the
                # tickets still open ("open" was read as a step opening tickets)
            if len(text[match.end() :].split()) < 2 and len(before) > 1:
                continue  # "if it's an urgent billing issue": a last word with no object
                # is the noun the condition is about
            if (
                "," not in match.group()
                and len(before) > 1
                and before[-1].lower() in _AUXILIARIES
                and not before[-2].endswith(",")
            ):
                continue  # "if we can't find them": the condition's own verb (", don't send
                # the email" is a step)
            if "," not in match.group() and _NOUN_NOT_VERB.match(text, match.end()):
                continue  # "a support request comes in": a noun, not "request ..."
            if re.match(
                r"\w+\s+(?:is|are|was|were|has|have|exceeds|equals)\b", text[match.end() :], re.I
            ):
                continue  # "if the sentiment score is above 0.5": the subject's noun
            if (
                "," not in match.group()
                and len(before) > 1
                and before[-2].lower() in _NOUN_MARKERS
                and _COMPARED_OF_IT.match(text[match.end() :])
            ):
                continue  # "if the fraud score for claim CLM-77 is above 0.8": a noun too
            after = text[match.end() :].split()
            if (
                "," not in match.group()
                and len(after) > 2
                and after[1].lower() in self.verbs
                and after[2].lower() in _OBJECT_STARTS
            ):
                continue  # "if it's a billing issue forward it": "issue" names the thing,
                # the step's verb comes next
            return [text[: match.start()], text[match.end() :]]
        return [text]

    def _purpose_guards_the_rest(self, sentence: str) -> str:
        """ "Look them up to make sure they're new, and send a welcome email": the lookup,
        then what it makes sure of guards the steps after it ("...; if they're new, send
        ...")."""
        purpose = _TO_MAKE_SURE.search(sentence)
        if purpose is None:
            return sentence
        tail = sentence[purpose.end() :]
        for joint in _STEP_JOINT.finditer(tail):
            state, rest = tail[: joint.start()].strip(), tail[joint.end() :].strip()
            if state and self.starts_with_verb(rest):
                return f"{sentence[: purpose.start()].strip()}, and if {state}, {rest}"
            if state and re.match(r"(?:if|unless|when|once)\b", rest, re.IGNORECASE):
                # "look them up to make sure they don't exist, and if they're new, ...": the
                # condition said next is what it makes sure of
                return f"{sentence[: purpose.start()].strip()}, and {rest}"
        return sentence

    def _case_for_kind(self, match: re.Match[str]) -> str:
        """ "for billing issues create a billing ticket": "if it's billing, create ..."
        when the word is a value a step's output can have."""
        quality = match.group("quality") or match.group("quality2")
        if quality.lower() not in self.qualities:
            return match.group(0)
        lead = "If" if not match.group("lead").strip() else ", and if"
        return f"{lead} it's {quality}, "

    def _done_as_step(self, match: re.Match[str]) -> str:
        """ "I want the message classified" -> "classify the message" (when the word is
        the past form of a verb a step can start with)."""
        steps = [(match["thing"], match["done"], match["detail"])]
        steps += [(m["thing"], m["done"], m["detail"]) for m in _AND_DONE.finditer(match["more"])]
        said = []
        for thing, done, detail in steps:
            base = self._verb_of(done.lower())
            if base is None:
                return match.group(0)
            said.append(f"{base} {thing}{detail or ''}")
        return match.group("lead") + " and ".join(said)

    def _passive_as_step(self, match: re.Match[str]) -> str:
        """ "The customer is emailed after the shipment is created" -> "email the customer
        after ..."; "the order should be validated and the card charged" -> "validate the
        order and charge the card" (when each word is the past form of a step's verb; an
        approval said so stays one)."""
        steps = [(match["thing"], match["done"], match["detail"])]
        steps += [(m["thing"], m["done"], m["detail"]) for m in _AND_DONE.finditer(match["more"])]
        said = []
        for thing, done, detail in steps:
            base = (
                _IRREGULAR_DONE.get(done.lower())
                or self._verb_of(done.lower())
                or next((b for b in _done_bases(done.lower()) if b in _PASSIVE_VERBS), None)
            )
            if base is None or base in ("approve", "place", "receive", "submit"):
                return match.group(0)
            said.append(f"{base} {thing[0].lower()}{thing[1:]}{detail or ''}")
        return match.group("lead") + (match.group("and") or "") + " and ".join(said)

    def _wanted_as_step(self, sentence: str) -> str | None:
        """ "I need the VAT on 250 EUR for Germany, then ..." -> "get the VAT on ...";
        "I need a ticket opened for the printer" -> "open a ticket for the printer"; None
        when the sentence does not start by saying what is wanted."""
        match = _WANTED_THING.match(sentence.strip())
        if match is None or _A_FLOW_WANTED.match(match["thing"]):
            return None
        thing = match["thing"]
        for done in _DONE_TO_IT.finditer(thing):
            word = done["done"].lower()
            base = (
                _IRREGULAR_DONE.get(word)
                or self._verb_of(word)
                or next((b for b in _done_bases(word) if b in _PASSIVE_VERBS), None)
            )
            if base is not None and base not in ("approve", "need", "want"):
                return f"{base} {thing[: done.start()].strip()}{thing[done.end() :]}"
        return f"get {thing}"

    def _step_retried(self, piece: str, before: list[Clause]) -> Clause | None:
        """The step said before that a retry names by its noun ("retry the charge", "the
        fetch"), once the retries are read off it (`piece` is what is left: "the charge")."""
        named = re.fullmatch(
            r"\s*(?:the|that|this)\s+(?:[\w-]+\s+)?(?P<noun>[\w-]+)\s*[.!]?", piece
        )
        if named is None or not before or self.starts_with_verb(piece):
            return None
        noun = named["noun"].lower()
        words = {noun, _VERB_OF_NOUN.get(noun, noun)}
        for clause in reversed(before):
            said = set(re.findall(r"[a-z-]+", clause.action.lower()))
            if said & words and not clause.condition_only:
                return clause
        return None

    def _verb_of(self, done: str) -> str | None:
        """ "classified" -> "classify", "charged" -> "charge", "shipped" -> "ship"."""
        return next((base for base in _participle_bases(done) if base in self.verbs), None)

    def _asked_condition(self, match: re.Match[str]) -> str:
        """ "Out of stock? Email the customer": "If out of stock, email the customer";
        "Is it urgent? Page them": "If it is urgent, ..." (a question that asks for
        something, "Can you ...?", stays as it is)."""
        question, step = match.group("question").strip(), match.group("step")
        if _ASKS_FOR_SOMETHING.match(question) or self.starts_with_verb(question):
            return match.group(0)
        inverted = _INVERTED_QUESTION.match(question)
        if inverted is not None:
            subject, rest = inverted.group("subject"), inverted.group("rest")
            question = f"{subject} {inverted.group('be').lower()} {rest}"
        return f"{match.group('lead')}If {question}, {step[0].lower()}{step[1:]}"

    def _approved_by_a_tool(self, sentence: str) -> bool:
        """ "If the reason is damaged, approve it": with a tool that approves (its
        description says so) and nobody named to decide, the step is that tool's."""
        return (
            "approve" in self.tool_verbs
            and _APPROVE_A_THING.search(sentence) is not None
            and _APPROVAL.search(_APPROVE_A_THING.sub(" ", sentence)) is None
            and assignee_role(sentence) is None
        )

    def _leaves_out(self, text: str) -> bool:
        """Whether `text` says what not to do ("ignore refunds here"); "ignore API-1A2 for
        60 minutes" is a step when a tool's own verb is "ignore" and a thing's code
        follows it."""
        if not is_exclusion(text):
            return False
        done = _A_TOOL_VERB_ON_A_CODE.match(text.strip())
        return done is None or done["verb"].lower() not in self.tool_verbs

    def starts_with_verb(self, text: str) -> bool:
        return bool(self._verb_start.match(text))

    def _ones_approved(self, match: re.Match[str]) -> str:
        """ "Urgent ones need approval from the lead; others are created right away." ->
        "If it is urgent, get approval from the lead, then create it." """
        asked = match.group("asked").strip()
        asked = re.sub(r"^to\s+be\s+approved\b", "approval", asked, flags=re.IGNORECASE)
        done = match.group("done")
        verb = self._verb_of_participle(done.lower()) if done else None
        if done and verb is None:
            return match.group(0)  # "others are fine": no step the planner can tell
        then = f", then {verb} it" if verb else ""
        return f"{match.group('lead')}If it is {match.group('kind').lower()}, get {asked}{then}."

    def _step_said_first(self, match: re.Match[str]) -> str:
        """ "Ship the order, validate it first" -> "Ship the order. Validate the order
        first": a sentence of its own, saying what "it" was (it goes first, before the
        words that said it)."""
        step = match["step"]
        if not self.starts_with_verb(step):
            return match.group(0)
        sentence = re.split(r"[.;!?]\s+", match.string[: match.start()])[-1]
        said = list(_THING_SAID.finditer(sentence))
        if said:
            # (the thing said last: "create the shipment for the order": the order)
            step = re.sub(r"\b(?:it|them)\b", said[-1]["object"], step, count=1)
        return f". {step[:1].upper()}{step[1:]}"

    def _rest_go_through(self, match: re.Match[str]) -> str:
        """The clause of the items no approval holds up, dropped when it says only that
        they go on to a step the request asks for anyway."""
        done = match["done"]
        if done:
            verb = self._verb_of_participle(done.lower())
            rest = match.string[: match.start()] + match.string[match.end() :]
            if verb is None or not re.search(rf"\b{re.escape(verb)}\b", rest, re.IGNORECASE):
                return match.group(0)  # "smaller ones are shipped right away": a step
        return match["end"]

    def _verb_of_participle(self, participle: str) -> str | None:
        """ "created" -> "create", "shipped" -> "ship", "sent" -> "send" (a verb a step may
        start with)."""
        irregular = _IRREGULAR_PARTICIPLES.get(participle)
        if irregular is not None:
            candidates: tuple[str, ...] = (irregular,)
        else:
            candidates = _participle_bases(participle) if participle.endswith("ed") else ()
        # (a verb that is also a noun, "ship", starts a step before "it" too)
        return next((c for c in candidates if c and self.starts_with_verb(f"{c} it")), None)

    def read(self, prompt: str) -> list[Clause]:
        #: "if it's disposable, reject the signup; otherwise welcome them": with another
        #: case to go on in, turning the thing away is not going on (see `_turned_away`)
        self._other_case = _OTHERWISE.search(prompt) is not None
        self._regardless_next = False
        # "charge it and ship it. If anything is out of stock, email ops instead of
        # shipping": the shipment is what happens otherwise
        prompt = instead_of_doing(prompt)
        # "charge the card; if it fails, retry up to 3 times before emailing the customer":
        # the retries are the charge's, then the email (as "..., then email the customer")
        prompt = _RETRY_THEN.sub(self._retries_then, prompt)
        # "after the payment goes through, ship it": once it did, a condition
        prompt = _AFTER_AN_OUTCOME.sub("once ", prompt)
        # "Reject disposable addresses. Welcome everyone else.": if it's disposable
        prompt = _TURN_AWAY_A_KIND.sub(_turned_away_if, prompt)
        # "Welcome everyone else.": the other case of the condition before
        prompt = _EVERYONE_ELSE.sub(_otherwise_them, prompt)
        # "If it's under 50, skip the approval; otherwise a manager must approve": the
        # approval unless the condition holds
        prompt = _SKIP_APPROVAL_OTHERWISE.sub(r"\g<lead>Unless \g<cond>, \g<approval>", prompt)
        # "Before charging anything over 1000 USD, get a manager's approval": the charge,
        # with the approval first when the amount is over it
        # ("validate it, and before shipping it, get approval": the "before ..." part is a
        # sentence of its own, as if written so)
        prompt = _BEFORE_MIDWAY.sub(". ", prompt)
        # "Before charging orders above 1000 get approval from finance": with its comma
        prompt = _BEFORE_APPROVAL_NO_COMMA.sub(r"\g<lead>, ", prompt)
        prompt = "".join(self._approval_over_amount(part) for part in _SENTENCE_PARTS.split(prompt))
        # "a manager must approve first if it's over 5k": "if ..., a manager must approve
        # first", which goes before the step ahead of it
        prompt = _FIRST_IF.sub(r"\g<lead>\g<cond>, \g<main> first\g<end>", prompt)
        # "charge it only if it's below 1000, otherwise get approval first": the charge in
        # both cases, behind the approval when it is not below 1000
        prompt = _OTHERWISE_APPROVAL_FIRST.sub(_approval_first_unless, prompt)
        # "If the manager rejects it, ..." with no approval before: the approval it speaks of
        prompt = _decision_asked_for(prompt)
        # "have a manager sign off before we charge anything over 1000": the approval is
        # for those over 1000, as "... sign off on anything over 1000 before we charge it"
        prompt = _APPROVAL_BEFORE_THRESHOLD.sub(_approval_on_those_over, prompt)
        # "if invalid stop": the comma a hurried writer left out
        prompt = _STOP_NO_COMMA.sub(r"\g<condition>, \g<stop>", prompt)
        # "if it's invalid, email the customer and stop": the email, then the stop, which
        # is how "stop and email the customer" reads
        prompt = _STEPS_THEN_STOP.sub(r"\g<lead>\g<stop> and \g<steps>\g<end>", prompt)
        prompt = _FILLER_NO_COMMA.sub(r"\g<condition>, \g<filler> ", prompt)
        # "for each url, fetch it; if it's 200, summarize it": the loop goes on past ";"
        prompt = _LOOP_THEN_CONDITION.sub(r"\g<loop>, and ", prompt)
        # "validate each order in the list and charge the valid ones": the loop leads
        prompt = _LOOP_IN_FIRST_STEP.sub(_loop_leads, prompt)
        prompt = _PLURAL_THEN_EACH_ONE.sub(_loop_leads, prompt)
        prompt = _EACH_THEN_SOME_ONES.sub(_each_leads, prompt)
        # "..., all other tickets become a ticket": the rest; "all other billing tickets":
        # the rest that are billing ones
        prompt = _ALL_OTHER.sub(_the_rest, prompt)
        # "approve it automatically if small, otherwise ask a manager": ask them to approve
        prompt = _ASK_SOMEONE.sub(_ask_to_approve, prompt)
        # "approve the order automatically if it's under 50, otherwise ...": as "orders
        # under 50 are approved automatically; otherwise ..."
        prompt = _APPROVE_AUTOMATICALLY_IF.sub(r"\g<condition>, do nothing", prompt)
        # "validate it and then, in parallel, charge and check stock": the parallel part is
        # what follows the "then", a sentence of its own after the step before it
        prompt = _THEN_IN_PARALLEL.sub(r"\g<before>. Then, \g<marker>, ", prompt)
        prompt = _CONDITIONAL_APPROVAL_BEFORE_THEN.sub(_steps_after_the_gated_one, prompt)
        prompt = _LISTED_OBJECT.sub(" and ", prompt)
        # "reply saying we'll get back to them": what the message says, no step of its own
        prompt = _SAYING_UNQUOTED_WORDS.sub(_saying_what, prompt)
        # "ship the order, validate it first": the step said last is a sentence of its
        # own, which goes before the one ahead of it (`steps_first`)
        prompt = _COMMA_STEP_FIRST.sub(self._step_said_first, prompt)
        # "reply thanking them if it's positive and apologizing if it's negative": the
        # step once in each case, not one step on both conditions at once
        prompt = _GERUND_ARMS.sub(_each_arm_said, prompt)
        # "tell me if the tone is positive or negative and email the result to a@x.io": the
        # question the sentiment answers, whose result goes to a@x.io (not one more email,
        # to me, on a condition that always holds)
        prompt = _ASKED_WHETHER_POSITIVE_THEN_SENT.sub("check the sentiment", prompt)
        # "tell me whether it's positive or negative": a message of its sentiment
        prompt = _TOLD_WHETHER_POSITIVE.sub(r"\g<lead>the sentiment", prompt)
        # "unless the warehouse has fewer than 5 of SKU-9": 5 of SKU-9 out of stock, which
        # the stock check tells (it was a number asked of the run)
        prompt = _FEWER_THAN_N_OF_CODE.sub(r"\g<count>x \g<code> are out of stock", prompt)
        # "get their details and email them to the manager": what is sent, not to whom
        prompt = _SEND_THEM_TO.sub(r"\g<verb> it to ", prompt)
        # "fetch each of these pages: https://…, https://…": the values written are the list
        prompt = _EACH_OF_THESE.sub(r"\g<these> \g<noun>:", prompt)
        # "charge it, but only after checking that it's in stock": the state to hold, then
        # the step (and what follows it) only when it does
        prompt = _ONLY_AFTER_CHECKING.sub(_checked_first, prompt)
        # "make sure the order is valid and in stock": a check of each state
        # ("check that the order is valid and that the items are in stock": each its own)
        prompt = _AND_THAT.sub(r"\g<head>, and \g<verb> that ", prompt)
        prompt = _ASSERTED_TWO.sub(_two_checks, prompt)
        # "check the stock, but only ship it if ...": a step of its own, under its condition
        prompt = _BUT_ONLY_VERB.sub(
            lambda m: f", and {m['verb']}" if self.starts_with_verb(m["verb"]) else m.group(0),
            prompt,
        )
        # "orders under $100 are approved automatically; larger ones need a manager's
        # approval": no approval when it holds, the approval otherwise
        prompt = _auto_approved(prompt)
        # "urgent ones need the lead's approval; others are created right away": the
        # approval when it holds, then the step for every one
        prompt = _ONES_NEED_APPROVAL.sub(self._ones_approved, prompt)
        # "orders over $1000 need finance's sign-off before we charge the card; smaller
        # ones are charged straight away": what the others get is what follows anyway
        if _APPROVAL_OVER_AN_AMOUNT.search(prompt):
            prompt = _THE_REST_GO_THROUGH.sub(self._rest_go_through, prompt)
        # "route billing ones to #billing and technical ones to #eng": one case each
        prompt = _routed_ones(prompt)
        prompt = _QUESTION_THEN_STEP.sub(self._asked_condition, prompt)
        prompt = _IF_THEN_DONT.sub(_unless_instead, prompt)
        # "fetch a and b and summarize both": each one of them
        both = _BOTH_OF_THEM.search(prompt)
        if both is not None:
            prompt = _SAME_VERB_TWICE.sub(r"\g<verb> \g<first> and \g<second>", prompt)
        prompt = _BOTH_OF_THEM.sub(r"\g<verb> each one", prompt)
        # "if they're on the enterprise plan, skip the welcome email": the email, unless so
        prompt = _IF_THEN_SKIP.sub(
            lambda m: (
                f"{'U' if m['if'][0] == 'I' else 'u'}nless {m['condition']}, {m['what']}{m['end']}"
            ),
            prompt,
        )
        # "boil it down to a few sentences", "sum it up": a summary
        prompt = _CUT_DOWN.sub(r"summarize \g<what>", prompt)
        prompt = _WANTED_DONE.sub(self._done_as_step, prompt)
        prompt = _PASSIVE_STEP.sub(self._passive_as_step, prompt)
        # "the rest become tickets": each becomes one
        prompt = _BECOME_PLURAL.sub(r"\g<verb> a \g<noun>", prompt)
        taxed = _TAX_STEP.search(prompt) is not None
        clauses: list[Clause] = []
        groups = 0
        last_approval: Approval | None = None
        negated: Condition | None = None
        last_condition: Condition | None = None
        #: "...; if it fails, email them": the step after is the other case
        other_outcome_next = False
        #: "Check if X" whose answer no condition has read yet
        open_check: Condition | None = None
        #: "if X, skip the approval": the approval is planned for not-X, and an
        #: "otherwise require it" after it is that same approval
        waived: Approval | None = None
        previous_text: str | None = None
        heading_group: int | None = None
        previous: list[Clause] = []
        #: "if it's disposable, reject it" (its condition and sequence segment), for the
        #: step joined to it by "and"
        turned_away: tuple[Condition, int] | None = None
        for sentence_index, raw in enumerate(steps_first(_trigger_joined(self.sentences(prompt)))):
            if raw == PARALLEL_HEADING:
                groups += 1
                heading_group = groups
                continue
            sentence = _STEP_PREFIX.sub("", raw)
            case = _CASE_ARROW.match(sentence)
            if case is not None and case.group("case").lower() in self.qualities:
                # "Positive -> send a thank-you email": what to do in that case
                sentence = f"If it's {case.group('case')}, {case.group('rest')}"
            elif case is not None and _OTHER_CASE_NAMED.match(case.group("case")) and clauses:
                sentence = f"Otherwise, {case.group('rest')}"  # "anything else -> ..."
            sentence = _ARROW.sub(", then ", sentence)
            # "if valid: welcome email, else: ticket": a colon after a condition is a comma
            sentence = _CONDITION_COLON.sub(r"\g<head>, ", sentence)
            sentence = _PERSON_REVIEWS.sub(r"\g<lead> \g<who> approve", sentence)
            if not taxed:
                # "charge the card for the amount plus tax": the tax is worked out first
                sentence = _PLUS_TAX.sub(_tax_first, sentence)
            # "thank the customer", "apologize by email": a message to them
            sentence = _COURTESY.sub(_courtesy_message, sentence)
            deadline: Deadline | None = None
            # "email them that their refund was approved": what a message says asks for no
            # approval
            asks_approval = _APPROVAL.search(
                without_what_is_said(_SENT_DECIDED.sub(r"\g<1>decided", sentence))
            ) is not None and not self._approved_by_a_tool(sentence)
            goes_first = asks_approval and approval_goes_first(sentence, previous_text)
            if last_approval is not None:
                rest, found = approval_deadline(sentence)
                if (found.on_timeout or found.timeout_s) and not _has_words(remove_durations(rest)):
                    # "...; if they haven't answered within 48 hours, reject it."
                    last_approval.timeout_s = found.timeout_s or last_approval.timeout_s
                    last_approval.on_timeout = found.on_timeout or last_approval.on_timeout
                    if found.escalate_to:
                        last_approval.escalate_to = group_of(found.escalate_to)
                    continue
                lapsed = found.on_timeout == "reject" and found.timeout_s
                timed_out = _TIMED_OUT_SAID.match(sentence)
                if (
                    timed_out
                    and found.timeout_s
                    and found.on_timeout is None
                    and "approv" in timed_out[0].lower()
                ):
                    # "if nobody approves within 2 days, email me": not approved in time,
                    # rejected included (unlike "if they don't respond", which a rejection
                    # is not: that one is refused, asking which)
                    lapsed = True
                    rest = re.sub(
                        r"^\s*(?:(?:it|them|this|that)\b)?\s*(?:in\s+time\b)?\s*,?",
                        "",
                        sentence[timed_out.end() :],
                    )
                if lapsed and timed_out:
                    # "if nobody approves within 2 days, cancel it and email the customer": it
                    # is rejected then, and the steps after are what happens when it is
                    last_approval.timeout_s = found.timeout_s
                    last_approval.on_timeout = "reject"
                    steps = re.sub(r"^\s*(?:,\s*)?(?:and\s+|then\s+)+", "", remove_durations(rest))
                    sentence = f"if they reject it, {steps}"
            if asks_approval:
                sentence, deadline = approval_deadline(sentence)
            # "validate the order, but don't charge the card until finance approves": the
            # approval, then the step
            sentence = _NOT_UNTIL_APPROVED.sub(
                r", then have \g<who> approve, then \g<step>\g<end>", sentence
            )
            sentence = _negative_conditional(sentence)
            lead_removed = request_lead_removed(sentence)
            wanted = self._wanted_as_step(sentence)
            if lead_removed != sentence:
                sentence = lead_removed
            elif wanted is not None:
                sentence = wanted
            elif self._leaves_out(sentence) or (
                # "Given a URL, fetch the article": what comes with the request, then a step
                is_context(_GIVEN.sub("", sentence)) and not _APPROVAL.search(sentence)
            ):
                continue  # context, an aside, or something not to do
            sentence = _negative_conditional(
                _LET_KNOW.sub(_notify, _EACH_NEW.sub(_arrives, sentence))
            )
            sentence = _PAGED_BY_EMAIL.sub(
                lambda m: "email " if m["address"] else f"email {m['who']} ", sentence
            )
            sentence = _POSTED_TO_AN_ADDRESS.sub(r"email \g<what> to ", sentence)
            # "... and the on-call person should get an email": an email to them
            sentence = _PERSON_GETS_EMAIL.sub(r"\g<lead>email \g<who>", sentence)
            sentence = _ASKED_BY_EMAIL.sub(r"email \g<who> asking \g<what>", sentence)
            sentence = self._purpose_guards_the_rest(sentence)
            # "Validate the order and wait for a manager to approve it": the approval of
            # what was just done, after it (not a gate in front of it).
            sentence = _WAIT_FOR_APPROVAL.sub(", then ", sentence)
            sentence = _PURPOSE.sub("", sentence)
            sentence = _FOR_SOMEONE_TO.sub(_what_they_do_left_out, sentence)
            # "for urgent ones, get approval": the one a run is about, when it is urgent
            # "validate the email and send the welcome email, all for each signup": the loop
            # is the whole sentence's
            sentence = _ALL_FOR_EACH.sub(r"For each \g<what>, \g<steps>", sentence.strip())
            sentence = _FOR_ONES.sub(r"If it's \g<quality>, ", sentence)
            # "for billing issues create a billing ticket, for technical issues ...": cases
            sentence = _FOR_KIND.sub(self._case_for_kind, sentence)
            # "notify the on-call engineer for urgent ones": that step, when it is urgent
            sentence = _FOR_ONES_AFTER.sub(r" if it's \g<quality>\g<end>", sentence)
            # "..., but only for business addresses": a condition, not nothing
            # ("only to the valid ones": if it's valid, in a loop a filter of its items)
            sentence = _ONLY_FOR_KIND.sub(_only_if_its_kind, sentence)
            # "to everyone on the attendee list": each attendee of a list
            sentence = _EVERYONE_ON_LIST.sub(_each_on_list, sentence)
            # "approval from both legal and finance": one approval from each, in turn
            sentence = _TWO_APPROVERS.sub(_each_approves, sentence)
            # "include the discount in the approval form": the approval shows the request
            if _APPROVAL_DETAIL.match(sentence.strip()):
                continue
            # "On success, ship it; on failure, open a ticket"
            sentence = _ON_OUTCOME.sub(_on_outcome, sentence)
            sentence = self._step_then_if_then_step(sentence)
            sentence = _ANY_OTHER.sub(r"\g<lead>otherwise, if there is a \g<what>, ", sentence)
            # "Each morning, take the list of signups, ...": the schedule starts runs from
            # outside; the loop is what the sentence does
            sentence = _SCHEDULE_LEAD.sub("", sentence)
            unmarked = _SCHEDULE_NO_COMMA.match(sentence)
            if unmarked is not None and (
                self.starts_with_verb(sentence[unmarked.end() :])
                or _LIST_OF.match(sentence[unmarked.end() :])
            ):
                sentence = sentence[unmarked.end() :]  # "Each night go through the list"
            sentence = _LIST_OF.sub(r"For each \g<what> in the list", sentence)
            sentence = _GO_THROUGH.sub(r"For each \g<what> in the list", sentence)
            sentence = _LOOP_VERBS.sub("For each ", _GIVEN.sub("", sentence))
            # "After fetching the page, summarize it": fetch, then summarize.
            sentence = _AFTER_LEAD.sub(r"\g<first>, then ", sentence)
            sentence = _after_trailing(sentence)
            # "Only charge the card when it's in stock": "charge the card only when ..."
            sentence = _ONLY_STEP_WHEN.sub(r"\g<lead>\g<step> only \g<word> ", sentence)
            # "once the managers have approved": as "once the managers approves" reads
            sentence = _APPROVED_PERFECT.sub(r"\g<lead>\g<who> approves", sentence)
            # "Once a manager approves it, create the shipment": the approval goes first
            sentence = self._we_act.sub(", ", sentence)
            sentence = _SUM_UP.sub("summarize", sentence)  # "sum up the message": no sum
            # "for anything out of stock, email purchasing": if anything is
            sentence = _FOR_ANYTHING.sub(r"\g<lead>if anything is \g<state>, ", sentence)
            # "summarize it and analyze its sentiment, all in one email to me@…" (or "give
            # me a summary and tell me ..., all in one email to"): a step that sends what the
            # steps before made, together
            sentence = _IN_ONE_EMAIL.sub(", and email everything to ", sentence)
            # "roll out 2.0 to production": a release, not a roll back
            sentence = _ROLL_OUT.sub("release", sentence)
            # "take EUR 80 from the card": charge it
            sentence = _TAKE_MONEY.sub(r"charge \g<money> to ", sentence)
            # "put it in the calendar": add it there
            sentence = _PUT_IN.sub(r"add \g<what> to \g<where>", sentence)
            # "before it goes out for signature": before it is sent
            sentence = _GOES_OUT.sub(r"we send \g<what>", sentence)
            # "legal and finance must both sign off": two approvals, one after the other
            sentence = _BOTH_MUST_APPROVE.sub(_one_approver_then_the_other, sentence)
            sentence = _HAVE_BOTH_APPROVE.sub(_one_approver_then_the_other, sentence)
            sentence = _AFTER_BOTH_APPROVE.sub(_one_approver_then_the_other, sentence)
            # "..., and once both finish charge the total": after them, not a condition
            sentence = _BOTH_DONE.sub("then ", sentence)
            # "a customer writes in, check the tone ...": what starts the run
            sentence = _ARRIVES_FIRST.sub(r"When \g<arrival>, ", sentence)
            # "After a payment is approved, ship it": the payment's outcome starts the run
            sentence = _PASSIVE_APPROVED_LEAD.sub(r"When \g<what> is \g<state>, ", sentence)
            approved_first = _APPROVED_LEAD.match(sentence)
            if approved_first is not None and _approved_by_someone(
                approved_first.group("word"), approved_first.group("approval")
            ):
                sentence = self._after_approval(
                    approved_first.group("rest"), approved_first.group("approval")
                )
            else:
                # "ship it and email the customer after the manager approves": both wait
                trailing = _APPROVED_TRAILING.match(sentence)
                if trailing is not None and len(self._pieces(trailing.group("rest"))) > 1:
                    sentence = self._after_approval(
                        trailing.group("rest"), trailing.group("approval")
                    )
            # "Before shipping orders over 1200, get approval": the approval guards the step.
            before = _BEFORE_LEAD.match(sentence)
            if before is not None and before.group("step") is not None:
                step = before.group("step")
                if _APPROVAL.search(before.group("rest")):
                    sentence = f"{before.group('rest')} before {step}"
                else:
                    # "Before charging the card, make sure it's valid": the check comes first
                    # (and what it makes sure of guards the step).
                    ensured = _ENSURED.match(before.group("rest").strip())
                    guard = f" only if {ensured.group('s')}" if ensured else ""
                    sentence = f"{before.group('rest')}, then {step}{guard}"
            if re.search(r"\bunless\b", sentence, re.IGNORECASE):
                # "email the team unless it is urgent, in which case open a ticket"
                sentence = _IN_WHICH_CASE.sub("; otherwise ", sentence)
            if _BOTH_INSIDE.search(sentence):
                sentence = _BOTH_INSIDE.sub(r"\g<lead>", sentence) + " in parallel"
            joins_previous = bool(previous) and (
                bool(_PARALLEL_LEAD.match(sentence))
                or (
                    bool(_PARALLEL.search(sentence))
                    and len(self._pieces(_PARALLEL.sub(" ", sentence))) == 1
                )
            )
            parallel = bool(_PARALLEL.search(sentence)) or bool(_BOTH.match(sentence))
            sentence_text = _BOTH.sub("", _PARALLEL.sub(" ", sentence)).strip(" ,:")
            sentence_text = re.sub(r"\s+,", ",", sentence_text)
            sentence_text = failure_after_retries(sentence_text)
            if heading_group is not None and _SEQUENCE_START.match(sentence_text.strip()):
                heading_group = None  # "In parallel: - A - B. Then C": C comes after them
            loop = for_each_phrase(sentence_text)
            # "For each X, do A and B": every clause loops. "Do A, then do B for each X":
            # only the clause that says so. "For each X, do A, then send one email": A only.
            loop_leads = loop is not None and loop[2] == 0
            title = self._titles.get(raw, "")
            sentence_clauses: list[Clause] = []
            segment_groups: dict[int, int] = {}
            first_segment: int | None = None
            stopped: tuple[Clause, int] | None = None
            for piece, otherwise, segment in self._pieces(sentence_text):
                if first_segment is None:
                    first_segment = segment
                piece, settings = run_settings(piece)
                target = sentence_clauses or clauses
                retried = self._step_retried(piece, target) if settings else None
                if retried is not None:
                    # "Validate the order, then charge it. Retry the charge up to 3 times if
                    # it errors.": the retries of the step it names, said before
                    retried.settings = settings
                    continue
                if settings and not _has_words(piece):
                    # "Charge the card; retry 3 times on errors": the step before's
                    if target and target[-1].condition_only:
                        raise _retry_on_a_result(target[-1], piece)
                    if target:
                        target[-1].settings = settings
                    continue
                piece = for_whom(piece) or piece  # "... to customers who leave feedback"
                asserted = _ASSERTED.match(piece.strip())
                site = _SITE_STATE.match(piece.strip()) or _SITE_ASKED.match(piece.strip())
                if site is not None:
                    # "check if https://example.com is up": fetch it; up is an answer below 400
                    piece = f"fetch {site.group('url')}"
                    if site.groupdict().get("code"):
                        last_condition = open_check = Condition(
                            f"the status code is {site.group('code')}", checked=True
                        )
                    else:
                        down = site.group("state").lower() in _DOWN_STATES
                        last_condition = open_check = Condition(
                            "the status code is under 400", negate=down, checked=True
                        )
                # "check their email is legit": "check whether their email is legit"
                piece = _CHECK_STATE.sub(r"\g<lead>\g<verb> whether \g<what>", piece.strip())
                checked = _CHECK_IF.match(piece.strip())
                if checked is not None:
                    # "Check if the email is valid. If yes, ...": a check, then its answer.
                    what = _TRAILING_JOINER.sub("", checked.group("what"))
                    verb = checked.group("verb")
                    # "figure out if it's in stock": what checks it
                    verb = "check" if _WORKED_OUT.match(verb) else verb
                    piece = f"{verb} {what}"
                    last_condition = open_check = Condition(what, checked=True)
                purpose = _TO_SEE_IF.match(piece.strip()) if checked is None else None
                if purpose is not None:
                    # "look them up to see if they have an account": the step is the check,
                    # and what it finds out is what "if they don't" answers
                    piece = purpose.group("step")
                    last_condition = open_check = Condition(purpose.group("what"), checked=True)
                    checked = purpose
                compared = compared_subject(checked.group("what")) if checked else None
                skip = _SKIP_IF.match(piece.strip())
                skipped = _skipped_people(piece) if skip is None else skip.group("c")
                if skipped is not None and sentence_clauses:
                    # "send the welcome email, but skip it if the address is disposable" /
                    # "... but skip anyone whose email is invalid"
                    if sentence_clauses[-1].condition is None:
                        sentence_clauses[-1].condition = Condition(skipped, negate=True)
                    continue
                bare = _LEADING_FILLER.sub("", piece).strip(" .,;!")
                if (
                    otherwise
                    and open_check is not None
                    and negated is None
                    and (is_nothing(bare) or _STOP.match(bare))
                ):
                    # "Check whether it's valid. If not, stop." / "If not, do nothing.
                    # Otherwise ...": the check's answer, negated, is the condition
                    failed = Condition(
                        open_check.text, not open_check.negate, checked=open_check.checked
                    )
                    if _STOP.match(bare):
                        stop = Clause(
                            number=len(clauses) + 1,
                            text=piece,
                            action="",
                            sentence=sentence_index,
                            condition=failed,
                            stop=True,
                        )
                        clauses.append(stop)
                        stopped = (stop, segment)
                    # what follows "otherwise" runs when the check holds
                    negated = Condition(
                        open_check.text, open_check.negate, checked=open_check.checked
                    )
                    last_condition, open_check = failed, None
                    continue
                if self._leaves_out(piece) or is_nothing(_LEADING_FILLER.sub("", piece)):
                    said = sentence_clauses[-1] if sentence_clauses else None
                    if (
                        said is not None
                        and said.condition_only
                        and said.condition is not None
                        and is_nothing(_LEADING_FILLER.sub("", piece))
                    ):
                        # "if the email is invalid, send nothing": as "..., do nothing"
                        sentence_clauses.pop()
                        clauses.remove(said)
                        condition = said.condition
                        negated = Condition(condition.text, not condition.negate)
                        if _guards_the_step_before(clauses, sentence_clauses, condition):
                            clauses[-1].guard = negated
                    continue
                if otherwise and clauses:
                    piece = _the_same_step_with(piece, clauses[-1])
                said_before = sentence_clauses[-1] if sentence_clauses else None
                gate = (
                    said_before.condition.text
                    if said_before is not None
                    and said_before.condition_only
                    and said_before.condition is not None
                    else None
                )
                for part in _after_gerund(piece, self.verbs | NOUN_VERBS, gate=gate):
                    clause = self._clause(part, len(clauses) + 1, sentence_index, otherwise)
                    if clause is None:
                        continue
                    if settings and clause.condition_only:
                        raise _retry_on_a_result(clause, "")
                    clause.settings = settings
                    clause.title, title = title, ""
                    if clause.condition is not None and clauses:
                        # "check the status code; if it's 404": "it" is what was checked
                        clause.condition = _checked_thing(clause.condition, clauses[-1])
                    if clause.condition is not None and (
                        any(_FETCHED_URL.search(c.action) for c in clauses)
                        # ("email me the summary of https://… unless the page fails to load")
                        or (
                            _URL_IN.search(clause.action)
                            and _SITE_LOADS.match(clause.condition.text.strip(" .,;"))
                        )
                    ):
                        # "check https://… and alert ops if it's down": how it answered
                        clause.condition = _site_answer(clause.condition)
                    clause.compares = compared
                    if checked is not None and clause.condition is None:
                        clause.asks = Condition(checked.group("what").strip(" ,."))
                        checked = None  # the check, not the step after its gerund
                    if asserted is not None:
                        state = (
                            asserted.group("what")
                            or asserted.group("what2")
                            or asserted.group("what3")
                        )
                        clause.asserts = Condition(state.strip(" ,."))
                        asserted = None  # the check, not the step after its gerund
                    if (
                        clause.condition is not None
                        and last_condition is not None
                        and _the_other_outcome(clause.condition, last_condition)
                    ):
                        # "if the charge succeeds, ship it; if it fails, email them": the
                        # other case of the condition before
                        if clause.condition_only:
                            other_outcome_next = True
                            continue
                        clause.condition, clause.otherwise = None, True
                    elif other_outcome_next and clause.condition is None:
                        clause.otherwise = True
                    other_outcome_next = False
                    if clause.condition is not None and last_condition is not None:
                        clause.condition = _elliptical(clause.condition, last_condition)
                        clause.condition = _compared_again(clause.condition, last_condition)
                    if clause.condition is not None:
                        last_condition = clause.condition
                    if clause.condition is not None and (
                        clause.nothing
                        or is_nothing(clause.action)
                        or _STOP.match(clause.action.strip(" .,;!"))
                        or _turned_away(clause, self.tool_verbs, other_case=self._other_case)
                    ):
                        # "if we can, do nothing" / "when X do nothing, otherwise Y":
                        # no step here; what follows "otherwise" runs when X is false.
                        condition = clause.condition
                        negated = Condition(condition.text, not condition.negate)
                        if _STOP.match(clause.action.strip(" .,;!")) and not condition.optional:
                            # "if it's invalid, stop": nothing after it runs when it holds
                            clause.stop, clause.action = True, ""
                            clauses.append(clause)
                            stopped = (clause, segment)
                        elif _turned_away(clause, self.tool_verbs, other_case=self._other_case):
                            # "if it's disposable, reject it and email security": what is
                            # joined to the turning away is done in that case too
                            turned_away = (condition, segment)
                        elif _guards_the_step_before(clauses, sentence_clauses, condition):
                            # "validate the email and greet them; if it's invalid, send
                            # nothing": the greeting is for valid emails only
                            clauses[-1].guard = negated
                        continue
                    if (
                        turned_away is not None
                        and turned_away[1] == segment
                        and clause.condition is None
                        and not clause.otherwise
                        and not clause.condition_only
                    ):
                        # (its "otherwise" is then this branch's else arm)
                        clause.condition = Condition(turned_away[0].text, turned_away[0].negate)
                        negated = None
                    turned_away = None
                    if clause.otherwise and clause.condition is None and negated is not None:
                        clause.condition, clause.otherwise = negated, False
                        # "if X, do nothing; otherwise validate it and charge": both steps
                        clause.condition_leads = True
                    elif clause.otherwise and clause.condition is None and open_check:
                        # "Check if they exist; if not, ...": the check's answer, negated
                        clause.condition = Condition(
                            open_check.text, not open_check.negate, checked=open_check.checked
                        )
                        clause.otherwise = False
                    if clause.condition is not None:
                        open_check = None
                    negated = None
                    own_loop = for_each_phrase(part)
                    if (
                        own_loop is not None
                        and own_loop[0] in ("one", "ones")
                        and sentence_clauses
                        and not _looping(sentence_clauses)
                        and not (loop_leads and loop is not None)
                    ):
                        # "fetch the pages and summarize each one": the pages were a list
                        _loop_over_its_object(sentence_clauses[-1])
                    if (
                        own_loop is not None
                        and own_loop[0] in ("one", "ones")
                        and ((loop_leads and loop is not None) or _looping(sentence_clauses))
                    ):
                        own_loop = None  # "a ticket for each one": the loop already running
                    if (
                        own_loop is not None
                        and own_loop[1] is None
                        and _looping(sentence_clauses)
                        and _ONCE_MARKERS.search(_EACH_ONE.sub(" ", part))
                    ):
                        # "for every URL, fetch the page and summarize it, then email all the
                        # summaries to ops": what the loop made, together, not a list of its own
                        own_loop = None
                    if (
                        loop_leads
                        and (segment != first_segment or sentence_clauses)
                        and _ONCE_MARKERS.search(_EACH_ONE.sub(" ", part))
                    ):
                        loop_leads = False
                    if (
                        own_loop is not None
                        and loop_leads
                        and loop is not None
                        and own_loop[1] is None
                        and own_loop[0] not in ("one", "ones")
                        and sentence_clauses
                    ):
                        # "for each signup in the list, validate each email": the email of
                        # the signup the loop is on, not a list of its own
                        clause.for_each, clause.for_each_container = loop[0], loop[1]
                        clause.action = _EACH_OF_ITEM.sub("the ", clause.action, count=1)
                    elif own_loop is not None or (loop_leads and loop is not None):
                        noun, container, _ = own_loop or loop  # type: ignore[misc]
                        clause.for_each = noun
                        clause.for_each_container = container
                        clause.action = remove_for_each(clause.action)
                    elif (
                        sentence_clauses
                        and sentence_clauses[-1].for_each
                        and (_ITEM_PRONOUN.search(part) or _ITEM_RESULT.search(part))
                        and not _ONCE_MARKERS.search(_EACH_ONE.sub(" ", part))
                    ):
                        # "Fetch each URL and analyze its sentiment": "its" is each URL's;
                        # "... and summarize the page": the page is each URL's too.
                        clause.for_each = sentence_clauses[-1].for_each
                        clause.for_each_container = sentence_clauses[-1].for_each_container
                    if not clause.condition_only:
                        if joins_previous and segment == first_segment:
                            last = previous[-1]
                            if last.parallel_group is None:
                                groups += 1
                                last.parallel_group = groups
                            clause.parallel_group = last.parallel_group
                        elif parallel:
                            # "A, then B and C in parallel": the clauses between two "then"s
                            # run side by side; the sequence around them stays.
                            if segment not in segment_groups:
                                groups += 1
                                segment_groups[segment] = groups
                            clause.parallel_group = segment_groups[segment]
                        elif heading_group is not None and segment == first_segment:
                            clause.parallel_group = heading_group
                        elif heading_group is not None:
                            heading_group = None
                    if (
                        waived is not None
                        and clause.otherwise
                        and (_REQUIRE_IT.match(clause.action) or clause.approval is not None)
                    ):
                        # "..., otherwise get a manager to approve it": the approval already
                        # planned, by whom this one names
                        if clause.approval is not None and not waived.groups:
                            waived.groups, waived.role = (
                                clause.approval.groups,
                                clause.approval.role,
                            )
                        continue
                    waived = None
                    if clause.approval is not None and _WAIVE.match(clause.action):
                        # "if so, skip the manager approval": the approval is for the others
                        if clause.condition is None or last_approval is not None:
                            continue  # (one asked for already: the waiver adds nothing)
                        clause.condition = Condition(
                            clause.condition.text, not clause.condition.negate
                        )
                        waived = clause.approval
                    if last_approval is None and _approval_awaited(clause):
                        # "if their manager approves, create a ticket": nobody was asked
                        # yet, so the condition is the approval to wait for, and the steps
                        # after it run once it is given
                        assert clause.condition is not None
                        who = clause.condition.text
                        clause.approval = Approval(
                            groups=assignee_groups(who),
                            users=assignee_users(who),
                            role=assignee_role(who),
                            timeout_s=timeout_seconds(who),
                            quorum=approvals_needed(who),
                        )
                        clause.action, clause.condition = who, None
                        clause.condition_only = False
                    if clause.approval is not None:
                        clause.approval.before_previous = goes_first and not sentence_clauses
                        if deadline is not None:
                            clause.approval.timeout_s = (
                                deadline.timeout_s or clause.approval.timeout_s
                            )
                            clause.approval.on_timeout = deadline.on_timeout
                            if deadline.escalate_to:
                                clause.approval.escalate_to = group_of(deadline.escalate_to)
                        last_approval = clause.approval
                    sentence_clauses.append(clause)
                    if stopped is not None and _before_stopping(clause, segment, *stopped):
                        # "if it's invalid, stop and email the customer": the email is sent
                        # when it's invalid, before the run stops
                        stop = stopped[0]
                        assert stop.condition is not None
                        clause.condition = Condition(stop.condition.text, stop.condition.negate)
                        clauses.insert(clauses.index(stop), clause)
                        continue
                    clauses.append(clause)
            # "loop over the orders and validate each one": the loop is no step of its own
            clauses[:] = [
                clause
                for clause in clauses
                if not (clause.for_each and _LOOP_ONLY.match(clause.action.strip(" ,.")))
            ]
            closing = sentence_clauses[-1] if sentence_clauses else None
            if (
                closing is not None
                and closing.approval is not None
                and len(sentence_clauses) > 1
                and _FIRST.search(closing.text)
            ):
                # "Charge the card, but if it is over 500 get a manager's approval first":
                # the approval goes before the step it follows in the sentence.
                closing.approval.before_previous = True
            _attach_trailing_condition(sentence_clauses, clauses, sentence_text)
            if sentence_clauses:
                previous = sentence_clauses
                previous_text = sentence
        for number, clause in enumerate(clauses, 1):
            clause.number = number
        return clauses

    def sentences(self, prompt: str) -> list[str]:
        """Numbered or bulleted items, then sentences within each. A heading over a list is
        not a step (an "In parallel:" heading makes its items run side by side)."""
        self._titles.clear()
        lines: list[str] = []
        for line in prompt.replace("\r", "").split("\n"):
            if len(_ARROW.findall(line)) > 1:
                # "negative -> open a ticket, positive -> send a thank-you email": each case
                # is a sentence of its own
                line = _NEXT_CASE.sub(". ", _ROUTE_BEFORE_CASES.sub("", line))
            if lines and _CASE_ARROW.match(line):
                lines.append("")  # "urgent: page them" on a line of its own is its own step
            inline = _INLINE_PARALLEL.search(line)
            if inline is not None:
                # "In parallel: fetch the page; classify the message.": a heading and its
                # items, as if each were on a line of its own
                items = [i.strip(" .") for i in inline.group("items").split(";") if i.strip(" .")]
                before, after = line[: inline.start()].strip(), line[inline.end() :].strip()
                lines += [before] if before else []
                lines += [f"{inline.group('heading')}:", *(f"- {item}" for item in items)]
                lines += [after] if after else []
                continue
            lines += _inline_items(line)
        has_list = any(LIST_ITEM.match(line) for line in lines)
        segments: list[str] = []
        current: list[str] = []

        def flush() -> None:
            if current:
                segments.append(" ".join(current))
                current.clear()

        for index, line in enumerate(lines):
            stripped = line.strip()
            if not stripped:
                flush()
            elif has_list and LIST_ITEM.match(line):
                flush()
                current.append(LIST_ITEM.sub("", line, count=1).strip())
            elif has_list and stripped.endswith(":") and _list_follows(lines, index):
                flush()
                heading = stripped.rstrip(":").strip()
                if _PARALLEL_HEADING.match(heading):
                    segments.append(PARALLEL_HEADING)
                elif _LEADING_CONDITION.match(heading) or for_each_phrase(heading):
                    segments.append(heading)
                # anything else is a title ("Order flow:")
            elif (
                has_list
                and current
                and re.match(r"(?:then|after\s+that|finally|next)\b", stripped, re.I)
            ):
                flush()
                current.append(stripped)
            elif (
                has_list
                and current
                and stripped[:1].isupper()
                and (current[-1].endswith((".", "!", "?")) or self.starts_with_verb(stripped))
            ):
                # "- check the stock" then "Ship it." on a line of its own: a new sentence
                # after the list (so after all its items), not more words of its last item
                flush()
                current.append(f"Then {stripped[:1].lower()}{stripped[1:]}")
            else:
                current.append(stripped)
        flush()
        sentences = []
        for segment in segments:
            if segment == PARALLEL_HEADING:
                sentences.append(segment)
                continue
            for sentence in _SENTENCE_END.split(segment):
                for text in self._at_colon(self._routed(sentence.strip().rstrip(".!?;:").strip())):
                    if text:
                        sentences.append(text)
        return self._last_what_comes_after(sentences)

    def _last_what_comes_after(self, sentences: list[str]) -> list[str]:
        """ "Before we charge anything, validate the order. If it's invalid, stop.": the
        charge comes after everything else the request asks for."""
        last: list[str] = []
        for index, sentence in enumerate(sentences):
            before = _BEFORE_LEAD.match(sentence)
            if before is None or before.group("said") is None:
                continue
            said = before.group("said")
            if said.split()[0].lower() in self.verbs | NOUN_VERBS:
                sentences[index] = before.group("rest")
                last.append(said)
        return sentences + last

    def _at_colon(self, sentence: str) -> list[str]:
        """ "Onboard the new user: check their email, then greet them": what comes before
        the colon names the work the steps after it do; it is not a step of its own.
        "Classify the message: if it's billing, ...": a step, then what depends on it."""
        # "Loop over the signups: validate ...": the loop, said before the steps it runs
        for loop in (_LIST_OF, _GO_THROUGH):
            sentence = loop.sub(r"For each \g<what> in the list", sentence)
        match = _INLINE_TITLE.match(sentence)
        if match is None or match["title"].count("(") > match["title"].count(")"):
            # ("cancel booking BK-4 (reason: venue flooded)": a label inside an aside; the
            # reason was a step of its own, a venue's availability)
            return [sentence]
        title, rest = match.group("title"), match.group("rest")
        if _NAMED_APPROVAL.match(title) and _LEADING_CONDITION.match(rest):
            # "Refund approval: if the amount is over 200, finance must sign off": a title
            self._titles[rest] = title
            return [rest]
        if _LEADING_CONDITION.match(rest) and self.starts_with_verb(title):
            return [title, rest]
        return [self._inline_title_removed(sentence, match)]

    def _inline_title_removed(self, sentence: str, match: re.Match[str]) -> str:
        if not self.starts_with_verb(match.group("rest")):
            return sentence
        title = match.group("title")
        if self._heading_with_data(title):
            # "Onboard Maria Lopez (maria@x.com), engineering, starting Monday: create ...":
            # the commas set out who it is about; the steps are after the colon
            self._titles[match.group("rest")] = title
            return match.group("rest")
        if (
            title.strip().lower() in self.qualities  # "billing: email billing@…": a case
            # "validate email -> if valid: welcome email": a condition, not a title
            or re.search(r"->|=>|\u2192|\b(?:if|unless|else|otherwise)\b", title, re.IGNORECASE)
            or len(title.split()) > self._longest_title(title)
            or re.search(r",|\band\b|\bthen\b", title, re.IGNORECASE)
            or _OTHERWISE.match(f" {title}")
            or _LEADING_CONDITION.match(title)
            or for_each_phrase(title)
            or _PARALLEL.search(title)
            or _BOTH.match(f"{title}: ")
            or _APPROVAL.search(title)
        ):
            return sentence  # "When an order comes in: ...", "For each order: ..."
        self._titles[match.group("rest")] = title
        return match.group("rest")

    def _longest_title(self, title: str) -> int:
        """Six words, or ten when the title is no step: "client paid deposit for the Lisbon
        trip: charge ..." says what happened, and the steps come after its colon."""
        return 6 if self.starts_with_verb(title) else 10

    def _heading_with_data(self, title: str) -> bool:
        """ "Onboard new hire Maria Lopez (maria@acme.com), engineering, starting Monday":
        who or what the steps are about, set out between commas (no step in it)."""
        parts = [part.strip() for part in re.split(r",|\(|\)", title) if part.strip()]
        return (
            len(parts) > 1
            and not re.search(
                r"->|=>|\u2192|\b(?:if|unless|else|otherwise|and|then|when|once|each|every)\b",
                title,
                re.IGNORECASE,
            )
            and not any(self.starts_with_verb(part) for part in parts[1:])
            and not _LEADING_CONDITION.match(title)
            and not for_each_phrase(title)
            and not _APPROVAL.search(title)
            and not _PARALLEL.search(title)
        )

    def _approval_over_amount(self, sentence: str) -> str:
        """ "Before charging anything over 1000 USD, get a manager's approval" (or the
        approval said first) -> "charge it; if the amount is over 1000 USD get a manager's
        approval first": the step always, the approval only above the amount."""
        trailing = _APPROVAL_BEFORE_OVER.match(sentence)
        if trailing is not None:
            sentence = (
                f"before {trailing.group('step')}, {trailing.group('rest')}{trailing.group('end')}"
            )
        before = _BEFORE_LEAD.match(sentence)
        if before is None or before.group("step") is None:
            return sentence if trailing is None else trailing.group(0)
        rest = before.group("rest").strip().rstrip(".!;")
        abroad = _STEP_ABROAD.match(before.group("step").strip())
        verb = self._verb_of_gerund(abroad.group("verb")) if abroad is not None else None
        if abroad is not None and verb is not None and _APPROVAL.search(rest):
            # "Before shipping anything abroad, get approval": the step always, the
            # approval only for what goes to another country
            end = before.group("rest")[len(before.group("rest").rstrip(".!;")) :]
            where = abroad.group("where")
            where = where if where.lower().startswith("outside") else "abroad"
            return f"{verb} it; if it goes {where} {rest} first{end}"
        over = _STEP_OVER_AMOUNT.match(before.group("step").strip())
        verb = self._verb_of_gerund(over.group("verb")) if over is not None else None
        if over is None or verb is None or not _APPROVAL.search(rest):
            return sentence if trailing is None else trailing.group(0)
        thing = (over.group("thing") or "").strip().lower()
        noun = thing.split()[-1] if thing else ""
        said = f"the {singular(noun)}" if noun and noun not in _ANY_THING else "it"
        end = before.group("rest")[len(before.group("rest").rstrip(".!;")) :]
        return (
            f"{verb} {said}; if the amount is {over.group('compare')} "
            f"{over.group('amount').strip()} {rest} first{end}"
        )

    def _retries_then(self, match: re.Match[str]) -> str:
        rest = match["rest"]
        # ("emailing": email, a verb a step starts with, though no tool's own verb)
        verb = next(
            (v for v in gerund_bases(match["next"]) if self.starts_with_verb(f"{v}{rest}")), ""
        )
        if not verb:
            return match[0]
        lead, times = match["lead"], match["times"]
        return f"{lead}, retrying {times} on errors, then {verb}{rest}{match['end']}"

    def _verb_of_gerund(self, gerund: str) -> str | None:
        """ "charging" -> "charge", "shipping" -> "ship": the verb the reader knows."""
        return next((verb for verb in gerund_bases(gerund) if verb in self.verbs), None)

    def _after_approval(self, rest: str, approval: str) -> str:
        """ "When the manager approves the order, ship it and email the customer": every
        step of `rest` waits for the approval, so it is asked for first ("have the manager
        approve the order, then ..."); a single step keeps it after ("ship it after ...")."""
        said = _SOMEONE_APPROVES.match(approval)
        if said is None or len(self._pieces(rest)) < 2:
            return f"{rest} after {approval}"
        return f"have {said.group('who')} approve{said.group('what')}, then {rest}"

    def _pieces(self, sentence: str) -> list[tuple[str, bool, int]]:
        """Clauses of one sentence: (text, follows "otherwise", sequence segment)."""
        result: list[tuple[str, bool, int]] = []
        segment = 0
        for index, part in enumerate(_OTHERWISE.split(sentence)):
            first = True
            for sequenced in _SEQUENCE.split(part):
                segment += 1
                for conditioned in _CONDITION_START.split(sequenced):
                    for piece in self._bare_verbs_apart(self._and_split.split(conditioned)):
                        if piece and piece.strip(" ,"):
                            result.append((piece.strip(" ,"), index > 0 and first, segment))
                            first = False
        return result

    def _bare_verbs_apart(self, pieces: list[str]) -> list[str]:
        apart: list[str] = []
        for piece in pieces:
            match = self._bare_verb_and.match(piece.strip(" ,")) if piece else None
            apart += [match.group("first"), match.group("second")] if match else [piece]
        return apart

    def _clause(self, piece: str, number: int, sentence: int, otherwise: bool) -> Clause | None:
        text = piece.strip()
        if not text:
            return None
        regardless = _REGARDLESS.search(text) is not None
        text = _LEADING_FILLER.sub("", text).strip(" ,")
        if not text:
            # "Afterwards, regardless of the outcome," leads into the next step: it is that
            # step's to run either way
            self._regardless_next = self._regardless_next or regardless
            return None
        text = re.sub(r"[\s,]+(?:and|but|or|then)$", "", text, flags=re.IGNORECASE) or text
        text = _TRAILING_REGARDLESS.sub("", text) or text
        clause = Clause(number=number, text=text, action=text, sentence=sentence)
        clause.regardless = regardless or self._regardless_next
        self._regardless_next = False
        clause.otherwise = otherwise
        leading = _LEADING_CONDITION.match(text)
        trailing = _TRAILING_CONDITION.match(text)
        if leading and not self.starts_with_verb(leading.group("condition")):
            word = leading.group("word").lower()
            condition_text = leading.group("condition")
            nothing = _DO_NOTHING.search(condition_text)
            if nothing is not None:
                condition_text = condition_text[: nothing.start()]
                clause.nothing = True
            # "If the amount is over 500 get approval": no comma between the two.
            parts = self._split_at_verb(condition_text)
            turned = _TURNING_AWAY_SAID_LAST.search(condition_text)
            if (
                len(parts) == 1
                and turned is not None
                and _SAID_STATE.search(condition_text[: turned.start()])
            ):
                # "if it's disposable reject the signup": read as with its comma
                parts = [condition_text[: turned.start()], turned["turn"]]
            if len(parts) == 1 and "," in condition_text:
                parts = [part.strip() for part in condition_text.split(",", 1)]
            if len(parts) == 1:
                # "if the amount is over 1000 it needs approval from finance"
                parts = [part.strip() for part in _SECOND_SUBJECT.split(condition_text, 1)]
            clause.condition = Condition(
                parts[0].strip(),
                negate=word == "unless",
                optional=word in _TRIGGER_WORDS or word.endswith("time"),
            )
            clause.condition_only = len(parts) == 1
            clause.condition_leads = True
            clause.action = parts[1].strip() if len(parts) > 1 else ""
        elif (
            trailing
            and not self.starts_with_verb(trailing.group("condition"))
            and not _approved_by_someone(trailing.group("word"), trailing.group("condition"))
            # ("reply to the customer asking if they still need help": what it asks)
            and not (trailing["word"].lower() == "if" and _ASKS_WHETHER.search(trailing["action"]))
        ):
            word = trailing.group("word").lower()
            condition_text, action = trailing.group("condition").strip(), trailing.group("action")
            tail = _STEP_DETAIL.search(condition_text)
            if tail is not None:
                # "email X if the payment fails, with the reason in the body": the detail
                # is the email's, not part of the condition
                condition_text = condition_text[: tail.start()].strip()
                action = f"{action.strip()} {tail.group('detail') or tail.group('detail2')}"
            if _THERE_ARE_ANY.match(condition_text):
                # "email the validation errors to them if there are any": any errors
                plurals = [
                    w
                    for w in re.findall(r"\b[a-z]{3,}s\b", action.lower())
                    if w not in STOP_WORDS and not w.endswith("ss")
                ]
                if plurals:
                    condition_text = f"there are any {plurals[-1]}"
            clause.condition = Condition(
                condition_text, negate=word == "unless", optional=word in _TRIGGER_WORDS
            )
            clause.action = action.strip()
        turned_away = _TURNED_AWAY.match(clause.action)
        if (
            turned_away is not None
            and (self._other_case or _TURNED_AWAY_PRONOUN.match(clause.action))
            and clause.condition is not None
            and not _ABOUT_AN_ANSWER.search(clause.condition.text)
            and not self.tool_verbs & _TURN_AWAY_VERBS
        ):
            # "if it's disposable, reject it and email security": the email is the step
            clause.action = turned_away.group("rest")
        if (
            _APPROVAL.search(clause.action)
            and _BY_ITSELF.search(clause.action)
            and timeout_seconds(text) is None
        ):
            # "approve all orders automatically": nobody decides, so no approval step
            clause.action = ""
        elif _APPROVAL.search(
            # ('summarize this: "Budget was approved. ..."': what a quote says asks nothing)
            without_what_is_said(
                _SENT_DECIDED.sub(r"\g<1>decided", _QUOTED.sub('""', clause.action))
            )
        ) and not self._approved_by_a_tool(clause.action):
            # (not "email them that their refund was approved": what a message says; nor
            # "approve it" when a tool approves and nobody is named to decide)
            who = remove_durations(text)
            groups, role = assignee_groups(who), assignee_role(who)
            quorum = approvals_needed(who)
            clause.approval = Approval(
                groups=groups,
                users=assignee_users(who),
                role=role,
                timeout_s=timeout_seconds(text),
                quorum=quorum,
            )
        clause.quoted = quoted_values(text, clause.action)
        return clause


#: "email the customer the amount approved": a message telling what was decided before
#: asks for no approval of its own
_SENT_DECIDED = re.compile(
    r"(\b(?:e-?mail|send|tell|notify|text|message|post)\b[^.;]*?\bthe\s+(?:[a-z]+\s+){1,2}|"
    # "email ann whether it was approved", "tell me how many got approved": what a message
    # reports of a decision taken
    r"\b(?:e-?mail|send|tell|notify|text|message|post|let)\b(?:[^.;]|\.(?=\w))*?"
    r"\b(?:whether|if|how\s+many)\s+(?:[a-z]+\s+){0,3}?"
    r"(?:was|were|got|has\s+been|have\s+been|had\s+been)\s+)"
    r"approved\b(?!\s+by\b)",
    re.IGNORECASE,
)
_BY_ITSELF = re.compile(
    r"^\s*(?:auto-?approve\b|approve\b.*\bautomatically\b)(?!.*\b(?:and|then)\b)", re.IGNORECASE
)
#: "Refund approval", "Expense sign-off": what a request is about, named, not asked for
_NAMED_APPROVAL = re.compile(
    r"^\s*(?:[a-z-]+\s+){1,2}(?:approvals?|sign-?offs?)\s*$", re.IGNORECASE
)
PARALLEL_HEADING = "\x00parallel"
#: "Title: steps" on one line (a colon between words, not in "10:30" or a URL).
_INLINE_TITLE = re.compile(r"^(?P<title>[^:]{3,80}?):\s+(?P<rest>\S.*)$")
_CHECK_IF = re.compile(
    r"^(?:please\s+|first\s+|then\s+|and\s+)*(?P<verb>check|see|verify|confirm|determine|test|"
    r"find\s+out|figure\s+out|work\s+out|make\s+sure|ensure|look\s+up|look)\s+"
    r"(?:if|whether|that)\s+(?P<what>.+?)(?:,?\s+or\s+not)?$",
    re.IGNORECASE,
)
_WORKED_OUT = re.compile(r"^(?:figure|work)\s+out$", re.IGNORECASE)
#: "look them up to see if they already have an account": a step done to find something
#: out, not a step under a condition.
_TO_SEE_IF = re.compile(
    r"^(?P<step>[a-z].+?)\s*,?\s+(?:in\s+order\s+)?to\s+(?:see|check|find\s+out|learn|know|"
    r"determine|verify|confirm|tell)\s+(?:if|whether)\s+(?P<what>.+?)(?:,?\s+or\s+not)?$",
    re.IGNORECASE,
)
#: "check their email is legit", "verify the order is complete": a check of a state said
#: with no "if", "whether" or "that"
_CHECK_STATE = re.compile(
    r"^(?P<lead>(?:please\s+|first\s+|then\s+|and\s+)*)(?P<verb>check|verify|confirm)\s+"
    r"(?!(?:if|whether|that)\s+(?:the|their|his|her|its|our|your|this|it|they)\b)"
    r"(?P<what>(?:the|their|his|her|its|our|your|this|that)\s+[a-z]+(?:\s+[a-z]+)?\s+"
    r"(?:is|are)\s+\S.*)$",
    re.IGNORECASE,
)
#: ", and" / " then" left at the end of a piece ("check whether X, and if not, ...")
_TRAILING_JOINER = re.compile(r"[\s,;]+(?:and|but|or|then)?\s*$", re.IGNORECASE)
#: "check if https://example.com is up": whether the site answers, a fetch of it.
_SITE_STATE = re.compile(
    r"^(?:please\s+|first\s+|then\s+|and\s+)*(?:check|see|verify|test|confirm|find\s+out)\s+"
    r"(?:if|whether)\s+(?:the\s+(?:url|site|website|page|endpoint|api|server)\s+)?"
    r"(?P<url>https?://\S+?)\s+(?:is\s+(?:still\s+)?(?P<state>up|down|online|"
    r"offline|reachable|unreachable|available|unavailable|live|working|responding|accessible)\b|"
    # "check if https://… returns 200": the status code it answers with
    r"(?:returns|gives|responds\s+with|answers\s+with|comes\s+back\s+with)\s+(?:an?\s+)?"
    r"(?:(?:http\s+)?status\s+(?:code\s+)?)?(?P<code>[1-5]\d\d)\b)",
    re.IGNORECASE,
)
def sites_asked_up(request: str) -> set[str]:
    """The addresses a request asks whether they are up ("check if https://... is up", "is
    https://... down?"), which a check answers rather than a fetch of the page."""
    return {
        match.group("url")
        for piece in re.split(r"(?<=[?;!])\s+|\.\s+|,\s+(?=if\b)|\s+and\s+(?=if\b)", request)
        for pattern in (_SITE_STATE, _SITE_ASKED)
        if (match := pattern.match(piece.strip())) is not None and match.group("state")
    }


#: "Is https://example.com up?": the same check, asked as a question.
_SITE_ASKED = re.compile(
    r"^(?:is|are)\s+(?:the\s+(?:url|site|website|page|endpoint|api|server)\s+)?"
    r"(?P<url>https?://\S+?)\s+(?:still\s+)?(?P<state>up|down|online|offline|reachable|"
    r"unreachable|available|unavailable|live|working|responding|accessible)\s*\??$",
    re.IGNORECASE,
)
_LIMIT = r"(?:under|below|over|above|less\s+than|more\s+than|up\s+to|at\s+most|at\s+least)\b"
_AUTOMATIC = (
    r"(?:auto(?:matically)?[- ]?approved|approved\s+automatically|approved\s+without\s+review)"
)
_AUTO_APPROVED = (
    # "orders under $100 are approved automatically"
    re.compile(
        rf"(?P<lead>^|[;,.]\s*)(?:all\s+|any\s+)?(?P<noun>[a-z]+?)s?\s+(?P<cmp>{_LIMIT}[^;,.]*?)"
        rf"\s+(?:are|is|get|gets|will\s+be|can\s+be)\s+{_AUTOMATIC}\b",
        re.IGNORECASE,
    ),
    # "auto-approve expenses below $20", "approve all refunds under $50 automatically"
    re.compile(
        r"(?P<lead>^|[;,.]\s*)(?:(?:auto(?:matically)?[- ]?approve)\s+(?:all\s+|any\s+)?"
        rf"(?P<noun>[a-z]+?)s?\s+(?P<cmp>{_LIMIT}[^;,.]*?)"
        r"|approve\s+(?:all\s+|any\s+)?(?P<noun2>[a-z]+?)s?\s+"
        rf"(?P<cmp2>{_LIMIT}[^;,.]*?)\s+automatically)(?=\s*(?:[;,.]|$))",
        re.IGNORECASE,
    ),
)
#: "larger ones", "anything above that": the other case, after an automatic approval
_THE_LARGER = re.compile(
    r"(?P<lead>[;,.]\s*)(?:the\s+)?(?:larger|bigger|higher|more\s+expensive|other|remaining)"
    r"\s+ones\b|(?P<lead2>[;,.]\s*)anything\s+(?:above|over|more\s+than)\s+that\b",
    re.IGNORECASE,
)


def _otherwise_after(match: re.Match[str]) -> str:
    return f"{match.group('lead') or match.group('lead2')}otherwise"


def _auto_approved(sentence: str) -> str:
    for pattern in _AUTO_APPROVED:
        match = pattern.search(sentence)
        if match is None:
            continue
        noun = singular((match.group("noun") or match.groupdict().get("noun2") or "").lower())
        limit = (match.group("cmp") or match.groupdict().get("cmp2") or "").strip()
        said = f"{match.group('lead')}if the {noun} is {limit}, do nothing"
        sentence = sentence[: match.start()] + said + sentence[match.end() :]
        return _THE_LARGER.sub(_otherwise_after, sentence)
    return sentence


#: Who approves, in a request naming two: "legal", "the finance team", "a manager",
#: "someone in finance" (the department decides).
_SOMEONE_IN = r"(?:someone|somebody|a\s+person|one\s+person)\s+(?:in|from|on)\s+(?:the\s+)?"
_APPROVER = (
    rf"(?:(?:the|a|an|our)\s+)?(?:{_SOMEONE_IN})?"
    r"[a-z]+(?:\s+(?:team|group|lead|manager|director|department)s?)?"
)


def _approver(said: str) -> str:
    """An approver as the rewritten request names them ("someone in finance": finance)."""
    return re.sub(rf"^(?:(?:the|a|an|our)\s+)?{_SOMEONE_IN}", "", said, flags=re.IGNORECASE)


#: "get approval from both the legal team and the finance team"
_TWO_APPROVERS = re.compile(
    r"\b(?P<verb>(?:get|obtain|require|request|need|ask\s+for)\s+)?(?P<what>approval|sign[- ]?off)"
    rf"\s+(?P<by>from|by)\s+(?:both\s+)?(?P<first>{_APPROVER})\s+and\s+"
    rf"(?:from\s+)?(?P<second>{_APPROVER})\b",
    re.IGNORECASE,
)
#: Words after "and" that are no approver ("approval from the manager and then ...").
_NOT_PEOPLE = frozenset("then ship charge send create email notify process it them".split())
#: "Include the customer's name in the approval form", "show the amount to the approver"
_APPROVAL_DETAIL = re.compile(
    r"^(?:please\s+|also\s+|and\s+)*(?:include|show|add|put|display|mention)\b.*\b(?:in|on|to)\s+"
    r"the\s+(?:approval(?:\s+(?:form|request|step|screen))?|approvers?)[.!]?$",
    re.IGNORECASE,
)


def _each_approves(match: re.Match[str]) -> str:
    first, second = _approver(match.group("first")), _approver(match.group("second"))
    if any(
        assignee_role(f"get approval from {who}") is None or who.split()[-1].lower() in _NOT_PEOPLE
        for who in (first, second)
    ):
        return match.group(0)  # "approval from the manager and ship it": one approver
    verb = match.group("verb") or "get "
    what, by = match.group("what"), match.group("by")
    return f"{verb}{what} {by} {first}, then {verb.strip().lower()} {what} {by} {second}"


#: "everyone on the attendee list", "all the people in our mailing list"
_EVERYONE_ON_LIST = re.compile(
    r"\b(?:everyone|everybody|every\s+person|each\s+person|all(?:\s+the)?\s+people|"
    r"all\s+(?:the\s+)?contacts)\s+(?:on|in|from)\s+(?:the|our|this|my|that)\s+"
    r"(?P<noun>[a-z]+)\s+list\b",
    re.IGNORECASE,
)
#: Lists named after what they are for, not whom they hold.
_LIST_PURPOSES = frozenset({"mailing", "email", "contact", "distribution", "guest", "call"})


def _each_on_list(match: re.Match[str]) -> str:
    noun = match.group("noun").lower()
    if noun in _LIST_PURPOSES:
        noun = "guest" if noun == "guest" else "recipient"
    return f"each {singular(noun)} in the list"


_DOWN_STATES = frozenset({"down", "offline", "unreachable", "unavailable"})
#: "it's down", "the site is unreachable": said of a page fetched before.
_SITE_SAID = re.compile(
    r"^(?:it|the\s+(?:site|website|page|url|server|api|service|endpoint))\s*(?:'s|\s+is)\s+"
    r"(?:still\s+)?(?P<state>up|down|online|offline|reachable|unreachable|available|unavailable|"
    r"live|working|responding|accessible)$",
    re.IGNORECASE,
)
_FETCHED_URL = re.compile(r"\b(?:fetch|check|get|ping|call|hit|open|load)\b.*https?://", re.I)


#: "the page fails to load", "it loads": said of a page fetched
_SITE_LOADS = re.compile(
    r"^(?:it|the\s+(?:site|website|page|url|link|server|api|endpoint))\s+(?:(?P<not>fails\s+to|"
    r"doesn't|does\s+not|won't|will\s+not|can't|cannot|didn't|did\s+not)\s+)?loads?$",
    re.IGNORECASE,
)
_URL_IN = re.compile(r"https?://", re.IGNORECASE)


def _site_answer(condition: Condition) -> Condition:
    said = _SITE_SAID.match(condition.text.strip(" .,;"))
    loads = _SITE_LOADS.match(condition.text.strip(" .,;"))
    if loads is not None:
        failed = loads.group("not") is not None
        return Condition(
            "the status code is under 400", negate=failed != condition.negate, checked=True
        )
    if said is None:
        return condition
    down = said.group("state").lower() in _DOWN_STATES
    return Condition("the status code is under 400", negate=down != condition.negate, checked=True)


#: A state said to hold before going on ("check that the email is valid", "make sure we
#: have the stock"), as opposed to a question ("check whether ...") a condition answers.
_STATE_VERB = (
    r"\b(?:is|are|was|were|has|have|had|exists?|went|goes|succeeded|passed|matches|can|"
    r"isn't|aren't|doesn't|don't|hasn't|haven't|looks?)\b|'s\b|'re\b"
)
_ASSERTED = re.compile(
    r"^(?:(?:please|first|then|and|also|just)\s+)*(?:(?:double[-\s]?)?check|verify|confirm|"
    rf"make\s+sure|ensure)\s+that\s+(?P<what>.+)$|"
    r"^(?:(?:please|first|then|and|also|just)\s+)*(?:make\s+sure|ensure)\s+(?!to\b|that\b)"
    rf"(?P<what2>(?=.*(?:{_STATE_VERB})).+)$|"
    # "check it is in stock", "verify the order is valid": "that" left out
    r"^(?:(?:please|first|then|and|also|just)\s+)*(?:(?:double[-\s]?)?check|verify|confirm)\s+"
    r"(?P<what3>(?:it|they|(?:the|its|their)\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:is|are)\s+"
    r"(?!(?:it|there)\b)[a-z].*)$",
    re.IGNORECASE,
)
#: "reject it", "drop them": what is turned away, nothing done with it.
_TURN_AWAY_VERBS = frozenset({"reject", "decline", "discard", "drop", "refuse", "deny"})
_TURN_AWAY = (
    r"(?:reject|decline|discard|drop|refuse|deny)\s+(?:it|them|this|that|him|her|"
    r"(?:the|this|that|their|his|her|its)\s+(?:[a-z-]+\s+)??[a-z-]+)"
)
_TURNED_AWAY = re.compile(
    rf"^{_TURN_AWAY}\s*,?\s+(?:and\s+)?(?:then\s+)?(?P<rest>\S.*)$", re.IGNORECASE
)
#: "reject it" on its own, and a condition about someone's answer (an approval's deadline,
#: which only an approval step can have).
_TURNED_AWAY_ONLY = re.compile(rf"^{_TURN_AWAY}$", re.IGNORECASE)
_TURNED_AWAY_PRONOUN = re.compile(
    r"^(?:reject|decline|discard|drop|refuse|deny)\s+(?:it|them|this|that|him|her)\b", re.I
)
_ABOUT_AN_ANSWER = re.compile(
    r"\b(?:answer|respond|repl|react|approv|decid|sign|hear|get\s+back)\w*", re.IGNORECASE
)


def _turned_away(clause: Clause, tool_verbs: frozenset[str], *, other_case: bool) -> bool:
    """ "If it's disposable, reject it": nothing is done with it (as "do nothing"), unless
    the condition is about someone's answer or a tool turns things away. "Reject the
    signup" is that only when the request says what to do otherwise ("otherwise welcome
    them"); alone, it asks a system to do it, which a tool would have to."""
    assert clause.condition is not None
    action = clause.action.strip(" .,;!")
    return bool(
        _TURNED_AWAY_ONLY.match(action)
        and (other_case or _TURNED_AWAY_PRONOUN.match(action))
        and not _ABOUT_AN_ANSWER.search(clause.condition.text)
        and not tool_verbs & _TURN_AWAY_VERBS
    )


#: "skip anyone whose email is invalid", "leave out customers who have unsubscribed"
_SKIP_WHO = re.compile(
    r"^(?:but\s+|and\s+)?(?:skip|omit|leave\s+out|exclude)\s+(?:anyone|anybody|those|the\s+ones?|"
    r"(?:any|all|the)\s+[a-z]+|people|users|customers|subscribers)\s+"
    r"(?:(?P<whose>whose)|who|that|which)\s+(?P<c>.+)$",
    re.IGNORECASE,
)


def _skipped_people(piece: str) -> str | None:
    """The condition of "skip anyone whose email is invalid": "their email is invalid"."""
    match = _SKIP_WHO.match(piece.strip())
    if match is None:
        return None
    return f"their {match.group('c')}" if match.group("whose") else f"they {match.group('c')}"


_SKIP_IF = re.compile(
    r"^(?:but\s+|and\s+)?(?:skip|omit|don't\s+do|do\s+not\s+do|leave\s+out)\s+(?:it|this|that|"
    r"this\s+step|that\s+step|the\s+\w+)\s+(?:if|when|whenever)\s+(?P<c>.+)$",
    re.IGNORECASE,
)
_DO_NOTHING = re.compile(
    r"[\s,]*(?:then\s+)?(?:do\s+nothing|nothing\s+(?:happens|to\s+do)|no\s+action|"
    r"(?:send|email|create|charge|ship)\s+nothing|"
    r"(?:do\s+not|don't|never)\s+[a-z]+\s+anything|"
    r"ignore\s+it|skip\s+it|leave\s+it|(?:just\s+)?(?:drop|discard|bin)\s+(?:it|them))\b.*$",
    re.IGNORECASE,
)
#: "if it's disposable reject the signup": turning the thing away, said with no comma
_TURNING_AWAY_SAID_LAST = re.compile(rf"\s+(?:then\s+)?(?P<turn>{_TURN_AWAY})\s*$", re.I)
#: "it's disposable", "the domain is blocked": a state said before the turning away (not "if
#: they reject it", an approval's answer)
_SAID_STATE = re.compile(r"\b(?:is|are|isn't|aren't|it's|they're|was|were|looks|seems)\b", re.I)
#: The run ends here: "stop", "abort", "halt", "end the run", "don't continue".
_STOP = re.compile(
    r"^(?:(?:then|just|simply)\s+)*(?:stop|abort|halt|end\s+(?:the\s+(?:run|flow|workflow)|"
    r"there|here)|do(?:n't|\s+not)\s+(?:continue|go\s+on|proceed)|go\s+no\s+further)"
    r"(?:\s+(?:there|here|the\s+(?:run|flow|workflow)))?$",
    re.IGNORECASE,
)
#: "if invalid stop", "unless it's valid abort": a condition and a stop with no comma.
_STOP_NO_COMMA = re.compile(
    r"(?P<condition>\b(?:if|unless)\s+[^,;.:!?]{1,60}?)\s+(?:then\s+)?"
    r"(?P<stop>stop|abort|halt|end\s+the\s+(?:run|flow|workflow))(?=\s*(?:[.;!]|$))",
    re.IGNORECASE | re.MULTILINE,
)
#: ", but only ship it if ...": "only" before a verb.
_BUT_ONLY_VERB = re.compile(
    r",\s*(?:but|and)\s+only\s+(?!(?:if|when|once|after|for|to|with|the)\b)(?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)
#: "if it's invalid, email the customer and stop": steps under a condition, then a stop.
_STEPS_THEN_STOP = re.compile(
    r"(?P<lead>\b(?:if|unless|when|should)\s+[^,;.:!?]{1,80},\s*)(?P<steps>[^;.:!?]+?)\s*,?\s+"
    r"(?:and\s+(?:then\s+)?|then\s+)(?P<stop>stop|abort|halt|end\s+the\s+(?:run|flow|workflow))"
    r"(?:\s+(?:there|here))?(?P<end>\s*(?:[.;!]|$))",
    re.IGNORECASE | re.MULTILINE,
)
#: "if the email is bad just open a ticket": "just" / "simply" starts the step.
_FILLER_NO_COMMA = re.compile(
    r"(?P<condition>\b(?:if|unless)\s+[^,;.:!?]{1,60}?)\s+(?P<filler>just|simply)\s+",
    re.IGNORECASE,
)
_WAIT_FOR_APPROVAL = re.compile(
    r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?=wait\s+for\s+[^,.;]*\b(?:approv|sign[\s-]?off|ok\b))",
    re.IGNORECASE,
)
#: Words before a verb that make it the verb of a clause already started ("we can't find").
_AUXILIARIES = frozenset(
    "can can't cannot could couldn't do don't does doesn't did didn't will won't would "
    "wouldn't should shouldn't must may might to not never also".split()
)
#: "score for claim CLM-77 is above 0.8": a noun, what it is of, then its comparison
_COMPARED_OF_IT = re.compile(
    r"\w+\s+(?:for|of|on)\s+[^,;]{1,40}?\b(?:is|are|was|were)\s+(?:above|below|over|under|"
    r"more|less|greater|higher|lower|at\s+least|at\s+most)\b",
    re.IGNORECASE,
)
_PREPOSITIONS_BEFORE_IT = frozenset("with about for to on of from in at by".split())
#: Words after which a verb's word starts no step: "signs up with email ...", "ready to ship"
#: (not in, on, at or by, which also end a verb: "when an order comes in validate it").
#: "if they reject it email sales": an answer given to "it" (the verb's object) ends the
#: condition, and the verb after it starts the step, as after a comma
_ANSWER_VERB = re.compile(
    r"(?:approve|reject|decline|deny|denie|okay|ok|sign|refuse|turn|veto|accept)[sd]?|"
    r"(?:approv|reject|declin|deni|okay|sign|refus|turn|veto|accept)(?:ed|es)",
    re.IGNORECASE,
)
_NO_STEP_AFTER = frozenset("with about for to of from using via into".split())
_NOUN_MARKERS = frozenset(
    "the a an this that its their his her our your my each every any no it they he she we "
    "everything something nothing".split()
)
_ITEM_PRONOUN = re.compile(r"\b(?:it|its|them|their|each\s+one)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:it|them|this|that|him|her)\b", re.IGNORECASE)
#: What a step in a loop made of one item, named in the singular ("fetch each URL and
#: summarize the page").
_ITEM_RESULT = re.compile(
    r"\b(?:the|that)\s+(?:fetched\s+|downloaded\s+|resulting\s+|returned\s+)?(?:page|content|"
    r"contents|result|response|output|body|article|document|html)\b(?!\s*s\b)",
    re.IGNORECASE,
)
_SEQUENCE_START = re.compile(r"(?:then|after\s+that|finally|next)\b", re.IGNORECASE)
_STEP_PREFIX = re.compile(r"^\s*step\s+\d+\s*[:.)-]\s*", re.IGNORECASE)


def _approval_awaited(clause: Clause) -> bool:
    """ "If their manager approves, ...": a condition that is someone's approval."""
    condition = clause.condition
    return (
        clause.condition_only
        and condition is not None
        and not condition.negate
        and bool(_APPROVAL.search(condition.text) and assignee_role(condition.text))
    )


#: "once the managers have approved", "after finance has signed off", "when the leads
#: approve": someone's approval awaited, in the perfect or the plural.
_APPROVED_PERFECT = re.compile(
    r"(?P<lead>\b(?:once|after|when|until|as\s+soon\s+as)\s+)"
    r"(?P<who>(?:the\s+|a\s+|an\s+|our\s+)?(?:[a-z]+\s+)?[a-z]+(?:\s+team)?)\s+"
    r"(?:(?:has|have)\s+(?:approved|signed\s+off)|approve|sign\s+off)\b",
    re.IGNORECASE,
)
#: "After a payment is approved, ...": said of a thing, naming no one who approves.
_PASSIVE_APPROVED_LEAD = re.compile(
    r"^\s*after\s+(?P<what>(?:the|a|an|its|their|each)\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:is|are|was|"
    r"were|has\s+been|have\s+been|gets?)\s+(?P<state>approved|authori[sz]ed|accepted|confirmed)"
    r"\s*,\s*",
    re.IGNORECASE,
)


def _approved_by_someone(word: str, condition: str) -> bool:
    """ "Ship it once the warehouse lead approves it": an approval to wait for, not a
    condition ("once the payment is approved" names nobody: the payment's outcome)."""
    return word.lower() not in ("if", "only if", "unless") and bool(
        _APPROVAL.search(condition) and assignee_role(condition)
    )


def _guards_the_step_before(
    clauses: list[Clause], sentence: list[Clause], condition: Condition
) -> bool:
    """Whether "if X, do nothing" right after a step (not the first of the request, which
    is the one that tells X) is said of that step: "..., then greet them; if the email is
    invalid, send nothing"."""
    if sentence or len(clauses) < 2 or condition.optional:
        return False
    last = clauses[-1]
    return (
        last.condition is None
        and not last.condition_only
        and not last.stop
        and last.approval is None
        and last.for_each is None
    )


_IT_IS = re.compile(
    r"^(?:it's|it\s+is|it\s+was|it\s+equals)\s+(?P<rest>(?:not\s+)?[\w.$-]+)$", re.I
)
_LOOKED_AT = re.compile(
    r"^(?:check|see|look\s+at|inspect|read|get)\s+(?P<thing>the\s+[a-z]+(?:\s+[a-z]+)?)$",
    re.IGNORECASE,
)


def _checked_thing(condition: Condition, before: Clause) -> Condition:
    """ "Check the status code; if it's 404": the condition names what was looked at."""
    said = _IT_IS.match(condition.text.strip())
    looked = _LOOKED_AT.match(before.action.strip()) if said else None
    if said is None or looked is None:
        return condition
    return Condition(
        f"{looked.group('thing')} is {said.group('rest')}",
        condition.negate,
        condition.optional,
        condition.checked,
    )


def _before_stopping(clause: Clause, segment: int, stop: Clause, stop_segment: int) -> bool:
    """Whether `clause` is joined to a stop by "and" ("stop and email the customer")."""
    return (
        segment == stop_segment
        and clause.condition is None
        and not clause.otherwise
        and not clause.condition_only
        and clause.approval is None
    )


def _looping(clauses: list[Clause]) -> bool:
    return bool(clauses) and clauses[-1].for_each is not None


def _list_follows(lines: list[str], index: int) -> bool:
    for line in lines[index + 1 :]:
        if line.strip():
            return bool(LIST_ITEM.match(line))
    return False


_NOT_SO = re.compile(
    r"^(?:they|it|he|she|that|this|we|you)?\s*(?:don't|do\s+not|doesn't|does\s+not|didn't|"
    r"isn't|is\s+not|aren't|are\s+not|wasn't|weren't|can't|cannot|won't|haven't|hasn't)$|"
    r"^(?:it|that|this|they|he|she)(?:'s|'re)\s+not$|"
    r"^(?:not|no|nope|not\s+so)$",
    re.IGNORECASE,
)
_SO = re.compile(
    r"^(?:so|yes|yep|(?:they|it|he|she|that|this|we)\s+(?:do|does|did|is|are|was|were|can|have|"
    r"has))$",
    re.IGNORECASE,
)


#: "if so", "yes": the condition before as it was said, negation and all.
_ANSWER = re.compile(r"^(?:so|yes|yep)$", re.IGNORECASE)
#: "if both", "if both are true", "if both checks pass": each of two checks said before.
_BOTH_HOLD = re.compile(
    r"^(?:both|both\s+of\s+them|they\s+both)(?:\s+(?:checks?|conditions?|are|do|hold|pass|"
    r"true|yes|ok|okay|fine|succeed|check\s+out))*$",
    re.IGNORECASE,
)
#: A condition said in the negative ("they don't exist", "it is not valid").
_SAID_NOT = re.compile(r"n't\b|\b(?:not|never|no)\b", re.IGNORECASE)


_WENT_WELL = re.compile(
    r"^(?P<subject>(?:the|their|its|our)\s+[a-z]+|it)\s+(?:succeeds|goes\s+through|works|"
    r"is\s+(?:approved|successful|ok))$",
    re.IGNORECASE,
)
_WENT_BADLY = re.compile(
    r"^(?P<subject>(?:the|their|its|our)\s+[a-z]+|it)\s+(?:fails|doesn't\s+go\s+through|"
    r"does\s+not\s+go\s+through|doesn't\s+work|is\s+(?:declined|rejected|not\s+approved))$",
    re.IGNORECASE,
)


def _the_other_outcome(condition: Condition, previous: Condition) -> bool:
    """ "if the charge succeeds, ...; if it fails, ...": the same thing's other outcome."""
    if condition.negate or previous.negate:
        return False
    went_well = _WENT_WELL.match(previous.text.strip(" ,"))
    went_badly = _WENT_BADLY.match(condition.text.strip(" ,"))
    if went_well is None or went_badly is None:
        return False
    later = went_badly.group("subject").lower()
    return later == "it" or later == went_well.group("subject").lower()


#: "if it's 100 or more": a number said of what the condition before compared
_IT_COMPARED = re.compile(
    r"^(?:it|it's|it\s+is|that's|that\s+is)\s+(?=(?:\d|[$€£]|over\b|above\b|under\b|"
    r"below\b|more\b|less\b|at\s+(?:least|most)\b|greater\b|fewer\b|higher\b|lower\b))",
    re.IGNORECASE,
)


#: "the status code is 404": a value said equal to a number.
_EQUATED = re.compile(
    r"^(?P<subject>(?:the|its|their)\s+[a-z][\w\s]{0,30}?)\s+(?:is|equals|was)\s+(?:not\s+)?\d+$",
    re.IGNORECASE,
)


def _compared_again(condition: Condition, previous: Condition) -> Condition:
    """ "If the subtotal is under 100, ...; if it's 100 or more, ...": "it" is the
    subtotal (not an amount of its own)."""
    said = _IT_COMPARED.match(condition.text.strip())
    subject = None
    if said is not None:
        # "if the status code is 404, ...; if it's 500, ...": said equal to a number too
        equated = _EQUATED.match(previous.text.strip(" .,;:!?"))
        subject = compared_subject(previous.text) or (equated and equated.group("subject"))
    if said is None or subject is None:
        return condition
    subject = re.split(r"\s+(?:and|or)\s+", subject)[-1]
    text = f"{subject} is {condition.text.strip()[said.end() :]}"
    return Condition(text, condition.negate, condition.optional, condition.checked)


def _elliptical(condition: Condition, previous: Condition) -> Condition:
    """ "If they already exist, do nothing. If they don't, ...": the condition before,
    negated ("if so": the same)."""
    text = condition.text.strip(" ,")
    if _BOTH_HOLD.match(text) and re.search(r"\s(?:and|&)\s", previous.text):
        # "check whether X and whether Y. If both, ...": the two checks, as "if so"
        return Condition(
            previous.text, previous.negate != condition.negate, checked=previous.checked
        )
    if _NOT_SO.match(text):
        return Condition(
            previous.text, previous.negate == condition.negate, checked=previous.checked
        )
    if _SO.match(text):
        if _SAID_NOT.search(previous.text) and not _ANSWER.match(text):
            # "If they don't exist, ...; if they do, ...": "do" answers the negation
            return Condition(
                previous.text, previous.negate == condition.negate, checked=previous.checked
            )
        return Condition(
            previous.text, previous.negate != condition.negate, checked=previous.checked
        )
    return condition


#: "otherwise a low priority": a value said with no step.
_VALUE_ALONE = re.compile(
    r"^\s*(?:just\s+)?(?:an?|the)\s+(?P<value>[a-z-]+)\s+(?P<noun>[a-z]+)"
    r"(?P<thing>\s+(?:one|[a-z]+))?\s*$",  # ("else a low priority one")
    re.I,
)


#: "otherwise to support@x.com", "else to the billing team": only where it goes
_DESTINATION_ALONE = re.compile(
    r"^\s*to\s+(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|#[\w-]+|(?:the|our|their|his|her|my)\s+"
    r"[\w-]+(?:\s+[\w-]+)?)\W*$",
    re.IGNORECASE,
)


def _the_same_step_with(piece: str, before: Clause) -> str:
    """ "Create a ticket with a high priority if it's negative, otherwise a low priority":
    the step before again, with the other value of the noun it named."""
    said = _VALUE_ALONE.match(piece)
    action = before.action or ""
    elsewhere = _DESTINATION_ALONE.match(piece)
    if elsewhere is not None and said is None:
        # "forward it to finance@x.com, otherwise to support@x.com": the step before again,
        # sent elsewhere
        parts = re.split(r"\s+to\s+(?=\S+$|(?:the|our|their|his|her|my)\s)", action.strip())
        return f"{parts[0]} {piece.strip()}" if len(parts) > 1 else piece
    if said is None or not re.search(rf"\b{re.escape(said['noun'])}\b", action, re.I):
        return piece
    if said["thing"] and not re.search(r"\s+with\s+", action, re.I):
        # "open a high priority ticket, else a low priority one": the value before the noun
        value, noun = said["value"], re.escape(said["noun"])
        return re.sub(rf"\b[a-z-]+(?=\s+{noun}\b)", value, action, count=1, flags=re.I)
    head = re.split(r"\s+with\s+", action, maxsplit=1, flags=re.I)[0]
    return f"{head} with {piece.strip()}"


def _has_words(text: str) -> bool:
    return any(w not in STOP_WORDS for w in split_identifier(text) if not w.isdigit())


def _condition_action(piece: str) -> str:
    """The action of "if we can, do nothing" (the text after the condition's comma)."""
    match = _LEADING_CONDITION.match(piece.strip())
    if match is None or "," not in match.group("condition"):
        return ""
    return match.group("condition").split(",", 1)[1]


def _after_trailing(sentence: str) -> str:
    """ "charge the card and ship it after validating the order" -> "validating the order,
    then charge the card and ship it". A condition or an approval in the sentence, or a
    pronoun in what comes first, is left to the step-by-step reading."""
    match = _AFTER_TRAILING.match(sentence.strip())
    if (
        match is None
        or _APPROVAL.search(sentence)
        or _PRONOUN.search(match.group("first"))
        or re.search(r"\b(?:if|unless|when|whenever|once|otherwise)\b", sentence, re.I)
    ):
        return sentence
    return f"{match.group('first')}, then {match.group('steps')}{match.group('end')}"


def _after_gerund(
    piece: str, verbs: frozenset[str] = frozenset(), *, gate: str | None = None
) -> list[str]:
    """ "send the email after looking them up" -> ["looking them up", "send the email"];
    "check the stock before taking the payment" -> ["check the stock", "taking the payment"];
    with a subject and one of `verbs`: "check the stock before we ship it" ->
    ["check the stock", "ship it"]. `gate`: the condition said just before the piece."""
    before = _BEFORE_GERUND.match(piece.strip()) or _subject_clause(
        _BEFORE_SUBJECT, "then", piece, verbs
    )
    if (
        before is not None
        and _approval_alone(before.group("main"))
        and not _APPROVAL.search(before.group("then"))
        and not _LEADING_CONDITION.match(piece.strip())
    ):
        if gate is not None and _said_of_the_step(gate, before.group("then")):
            # "If it ships abroad, get approval before creating the shipment": the condition
            # says when the step needs the approval, not whether it runs ("if it's negative,
            # ask my manager to approve before we open a ticket": the ticket's too), so the
            # clause stays whole and plans the approval only for the requests that need it
            return [piece]
        # "ask my manager to approve before we open a ticket": the approval, then the step
        return [before.group("main"), before.group("then")]
    if before is not None and not _APPROVAL.search(piece):
        ensured = _ENSURED.match(before.group("main").strip())
        if ensured is not None:
            # "make sure their account is active before shipping": the check, then the
            # step only when it holds
            state = ensured.group("s")
            two = _TWO_STATES.match(state.strip(" .,;"))
            checks = (
                [f"make sure {two['thing']} {two['verb']} {two[side]}" for side in ("a", "b")]
                if two is not None
                else [before.group("main")]
            )
            return [*checks, f"{before.group('then')} only if {state}"]
        return [before.group("main"), before.group("then")]
    match = _AFTER_GERUND.match(piece.strip()) or _subject_clause(
        _AFTER_SUBJECT, "first", piece, verbs
    )
    if match is None or _APPROVAL.search(piece) or _LEADING_CONDITION.match(piece.strip()):
        return [piece]
    first, main = match.group("first"), match.group("main")
    # the last thing named with a determiner ("charge the card when the order is valid":
    # the order), else the last word that says something
    nouns = re.findall(r"\b(?:the|their|its|this|that|each|every)\s+([a-z]+)", main, re.I)
    nouns = nouns or [w for w in split_identifier(main) if w not in STOP_WORDS]
    if nouns and _PRONOUN.search(first):
        # "create the shipment for the order after validating it": it is the order.
        first = _PRONOUN.sub(f"the {nouns[-1]}", first, count=1)
    return [first, main]


def _steps_after_the_gated_one(match: re.Match[str]) -> str:
    if not _said_of_the_step(match["cond"], match["step"]):
        return match.group(0)  # "if it's negative, get approval before we open a ticket"
    return f"{match['head']}. Then {match['rest']}"


def _said_of_the_step(condition: str, step: str) -> bool:
    """Whether a condition speaks of what the step does ("it ships abroad" of "creating the
    shipment", "the payment is over 500" of "charging the card")."""
    said = {stem(w) for w in split_identifier(condition) if w not in STOP_WORDS}
    said |= {s for w in said for s in synonyms(w)}
    return any(stem(w) in said for w in split_identifier(step) if w not in STOP_WORDS)


def _approval_alone(text: str) -> bool:
    """ "ask my manager to approve", "get finance's sign-off": an approval asked for, and
    no step ("larger ones need approval before charging" says which requests need it)."""
    return (
        bool(re.match(r"\s*(?:please\s+)?(?:ask|get|have|request|obtain)\b", text, re.I))
        and bool(_APPROVAL.search(text))
        and not strip_approval_phrase(text).strip(" .,;")
    )


#: "make sure / ensure / check that X is Y": a state that must hold.
_ENSURED = re.compile(
    r"^(?:(?:please|first|then|and|also|just)\s+)*"
    r"(?:(?:make\s+sure|ensure|(?:double[-\s]?)?check\s+that|verify\s+that|confirm\s+that)\s+"
    r"(?:that\s+)?|"
    # "check the order is valid before ...": "that" left out, a thing named
    r"(?:(?:double[-\s]?)?check|verify|confirm)\s+(?=(?:the|their|its|our|his|her|each|every|all)\s))"
    r"(?P<s>.+?\s(?:is|are|isn't|aren't|has|have)\s.+)$",
    re.IGNORECASE,
)
_LOOP_THEN_CONDITION = re.compile(
    r"(?P<loop>(?:^|(?<=[.!?]\s))for\s+(?:each|every)\s+[^.;!?\n]+?)\s*;\s+(?=if\b)",
    re.IGNORECASE | re.MULTILINE,
)
#: "validate each order in the list and charge the valid ones": a loop said in the first
#: step, which a later step of the sentence continues ("the valid ones", "each one", "them").
_LOOP_IN_FIRST_STEP = re.compile(
    r"(?:^|(?<=[.!?;]\s))(?P<verb>[A-Za-z]+)\s+"
    # "check the sentiment of each review in the list": what of each is checked
    r"(?:the\s+(?P<field>[a-z]+(?:\s+[a-z]+)?)\s+of\s+)?(?:(?:each|every)\s+(?P<noun>[a-z]+)|"
    # "validate the email addresses in the list and ... each valid one"
    r"(?:all\s+)?the\s+(?P<nouns>[a-z]+(?:\s+[a-z]+)?s))\s+"
    r"(?P<list>(?:in|from|on)\s+the\s+(?:\w+\s+)?(?:list|batch|file|csv|sheet|queue))\s*,?\s+"
    r"and\s+(?P<rest>[^.;!?\n]*?\b(?:ones|(?:each|every)\s+(?:[a-z]+\s+)?one|them|it)\b"
    r"[^.;!?\n]*)",
    re.IGNORECASE | re.MULTILINE,
)


#: "validate the emails and welcome each valid one": with no list named, "each ... one"
#: after a plural says the loop as well
_PLURAL_THEN_EACH_ONE = re.compile(
    r"(?:^|(?<=[.!?;]\s))(?P<verb>[A-Za-z]+)\s+(?:all\s+)?the\s+"
    r"(?P<nouns>[a-z]+(?:\s+[a-z]+)?(?<!s)s)\s*,?\s+"
    r"and\s+(?P<rest>[^.;!?\n]*?\beach\s+(?:of\s+them|(?:[a-z]+\s+)?one)\b[^.;!?\n]*)",
    re.IGNORECASE | re.MULTILINE,
)


#: "validate each contact's email and send the invalid ones to sales@": the first step's
#: "each" is the loop, and "the invalid ones" some of its items
_EACH_THEN_SOME_ONES = re.compile(
    r"(?:^|(?<=[.!?;]\s))(?P<verb>[A-Za-z]+)\s+(?:each|every)\s+(?P<noun>[a-z]+)"
    r"(?:(?:'s|\u2019s)\s+(?P<field>[a-z]+(?:\s+[a-z]+)?))?\s*,?\s+"
    r"and\s+(?:then\s+)?(?P<rest>[^.;!?\n]*?\b(?:the|only\s+the)\s+[a-z-]+\s+ones\b[^.;!?\n]*)",
    re.IGNORECASE | re.MULTILINE,
)


def _each_leads(match: re.Match[str]) -> str:
    if re.search(r"\b(?:me|us)\b", match["rest"], re.IGNORECASE):
        return match.group(0)  # "... and email me the invalid ones": one message, after it
    what = f"the {match['field']}" if match["field"] else "it"
    return f"For each {match['noun']}, {match['verb'].lower()} {what} and {match['rest']}"


def _loop_leads(match: re.Match[str]) -> str:
    if re.search(r"\b(?:me|us)\b", match["rest"], re.IGNORECASE):
        return match.group(0)  # "... and email me the invalid ones": one message, after it
    # ("for every negative one": the negative ones)
    rest = re.sub(r"\b(?:each|every)\s+([a-z]+)\s+one\b", r"the \1 ones", match["rest"], flags=re.I)
    rest = re.sub(r"\beach\s+(?:one|of\s+them)\b", "it", rest, flags=re.I)
    found = match.groupdict()
    noun = found.get("noun") or " ".join(
        [*match["nouns"].split()[:-1], singular(match["nouns"].split()[-1])]
    )
    listed = f" {found['list']}" if found.get("list") else ""
    what = f"the {found['field']} of it" if found.get("field") else "it"
    return f"For each {noun}{listed}, {match['verb'].lower()} {what} and {rest}"


_ALL_OTHER = re.compile(
    r"(?P<lead>[,;]\s*(?:and\s+|but\s+)?)(?:all\s+)?(?:the\s+)?other\s+(?:(?P<kind>[a-z-]+)\s+)?"
    r"(?P<noun>[a-z]+s)\s+(?P<verb>(?:become|go|get|receive|are|should|must|will)\b[^.;!?\n]*)",
    re.IGNORECASE,
)


def _the_rest(match: re.Match[str]) -> str:
    rest = f"{match['lead']}the rest {match['verb'].rstrip()}"
    return f"{rest} if they're {match['kind']}" if match["kind"] else rest


_APPROVE_AUTOMATICALLY_IF = re.compile(
    r"\b(?:(?:auto[- ]?approve|approve)\s+(?:it|them|the\s+\w+)\s+automatically|"
    r"automatically\s+approve\s+(?:it|them|the\s+\w+))\s+"
    r"(?P<condition>(?:if|when)\s+[^,;.]+?)(?=\s*[,;]\s*(?:and\s+)?(?:otherwise|else)\b)",
    re.IGNORECASE,
)
#: "..., otherwise ask a manager." said where an approval is spoken of: ask them to approve.
_ASK_SOMEONE = re.compile(
    r"(?P<sentence_lead>(?:^|(?<=[.!?\n]))[^.!?\n]*?)\b(?:ask|check\s+with)\s+"
    r"(?P<who>(?:a|an|the|your|my|our)\s+[a-z]+(?:\s+[a-z]+)?)(?=\s*(?:[.;!,]|$))",
    re.IGNORECASE | re.MULTILINE,
)


def _ask_to_approve(match: re.Match[str]) -> str:
    if not _APPROVAL.search(match["sentence_lead"]):
        return match.group(0)
    return f"{match['sentence_lead']}ask {match['who']} to approve it"


_THEN_IN_PARALLEL = re.compile(
    r"(?P<before>\w[^.;!?\n]*?)\s*,?\s+(?:and\s+)?then\s*,?\s*"
    r"(?P<marker>in\s+parallel|at\s+the\s+same\s+time|simultaneously|concurrently)\s*,?\s*",
    re.IGNORECASE,
)
_SAYING_UNQUOTED_WORDS = re.compile(
    # (up to the next step's number on the same line: "... saying hi 3) if not, ...")
    r"\bsaying\s+(?:that\s+)?(?P<said>(?![\"\u201c'])(?:(?!\s\d{1,2}[).]\s)[^.;!?\n\"])+?)"
    # (", otherwise open a matter": the other case is no part of what is said)
    r"(?=\s*(?:[.;!?\n]|$)|\s*,\s*(?:and|then|otherwise|else|or\s+else)\b|"
    r"\s+(?:and\s+)?then\b|\s+\d{1,2}[).]\s)",
    re.IGNORECASE,
)
#: "Tenant in 14B wrote: '...'.", "got this review from a diner: '...'": a quote someone
#: wrote, said before any step
#: "the message", "this review": what someone wrote, named by a word for a text
_THE_TEXT_NAMED = re.compile(
    r"\b(?:the|this|that|their|his|her)\s+(?:customer'?s?\s+|tenant'?s?\s+|user'?s?\s+)?"
    r"(?:message|review|complaint|feedback|comment|text|note|request|question|post|tweet)\b",
    re.IGNORECASE,
)
#: Where a quote said first ends: a stop after it, a dash, or its own stop before a capital
_QUOTE_END = (
    r"(?P<end>\s*[.;]|\s+[-\u2013\u2014]+|(?:(?<=[.!?]')|(?<=[.!?]\"))(?=\s+(?-i:[A-Z]))"
    # ("wrote in: 'where is my parcel??' classify it": a step right after, no stop typed)
    r"|(?=\s+(?-i:[a-z])))"
)
_QUOTE_SAID_FIRST = re.compile(
    r"^(?P<who>[^.;:!?'\"]{0,60}?\b(?:wrote|writes|said|says|sent(?:\s+us)?|left(?:\s+us)?|"
    # ("a customer emailed 'my order never arrived' - ...": how it came, the colon unsaid)
    # ("customer wrote 'my parcel is late'. if the sentiment ...": said, the colon unsaid)
    r"(?P<by>e-?mailed|texted|messaged|complained|wrote|writes|said|says)(?:\s+(?:us|in))?|"
    r"posted|(?:got|received|have)\s+(?:this|a|an)\s+[a-z]+"
    # ("review just came in: '...'", "a complaint arrived: '...'": what arrived)
    r"|(?:came|comes|come)\s+in|arrived|landed"
    # ("Here's a review: '...'", "Read this review: '...'": a text shown, not a step)
    r"|^\s*(?:here\s+is|here's|read|look\s+at|check\s+out|check|consider|take|see|"
    # ("Here's a customer message: '...'": a kind of text in two words)
    r"given)\s+(?:this|these|a|an|the|the\s+following)(?=(?:\s+[a-z]+){1,2}\s*:))"
    r"(?:\s+(?:this|a|an|the)\s+[a-z]+)?(?:(?:\s+[a-z]+){1,2}(?=\s*:))?"
    r"(?:\s+from\s+[^.;:!?'\"]{1,40})?)(?:\s*:|(?(by)|(?!)))\s*"
    r"(?P<quote>'(?:[^']|(?<=\w)'(?=\w))+'|\"[^\"]+\")"
    # (a stop after the quote, a dash, or the quote's own stop before a capital: "... fix
    # it!' Classify the message")
    rf"{_QUOTE_END}\s+(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
#: "resident complaint: '...'.", "intake form from a client: '...' - classify it": a few
#: words naming what the quote is (and who it came from), then the quote, before any step
_QUOTE_LABELLED_FIRST = re.compile(
    r"^(?!(?:a|an|the|we|i|our|my|this|that|they|he|she|it|you)\b)"
    r"(?P<who>(?:[a-z]+\s+){0,3}[a-z]+(?:\s+from\s+[^.;:!?'\"@]{1,40})?)\s*:\s*"
    rf"(?P<quote>'(?:[^']|(?<=\w)'(?=\w))+'|\"[^\"]+\"){_QUOTE_END}\s+(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
#: A step that makes or sends something with a text of its own (a ticket, a message).
_NAMES_A_TEXT = re.compile(
    r"^\W*(?:open|create|file|log|raise|email|send|forward|post|reply|escalate)\b.*?"
    r"\b(?:ticket|case|issue|incident|email|message|note|reply|them|support|team|it)\b",
    re.IGNORECASE,
)
#: "..., open a ticket": a work item the quote is the text of, when the step says none
#: ("open a ticket for the support team"; not "a ticket saying ...", "a ticket about ...")
_TICKET_WITHOUT_TEXT = re.compile(
    r"\b(?:open|create|file|log|raise)\s+(?:a|an|the)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:ticket|case|issue|incident)\b(?:\s+(?:for|in|with(?!\s+the\s+\w+\s+and)|to)\s+"
    r"(?:the\s+)?[a-z]+"
    r"(?:\s+team)?)?(?=\s*(?:[.;!?]|$|,?\s+(?:and|then)\b))(?![^.;!?]*['\"])",
    re.IGNORECASE,
)
#: "with that as the summary", "use this as the note": the quote said before, as a value
_THAT_AS_A_FIELD = re.compile(
    r"\b(?:with|use|using|take|put)\s+(?P<that>that|this|it)\s+(?:as|for|in)\s+(?:the|its|their)\s+"
    r"[a-z]+\b",
    re.IGNORECASE,
)
#: The first "it" of the steps after that quote: "classify it", "if it's negative"
_FIRST_IT = re.compile(
    # ("if its negative": "it's" typed without its apostrophe, after a condition's word)
    # ("If that's negative, open a ticket": "that", said of the quote after a condition's
    # word, is it)
    r"\b(?P<is>it's|it\s+is|(?<=\bif\s)its|(?<=\bunless\s)its|"
    r"(?<=\bif\s)(?:that's|that\s+is|this\s+is)|(?<=\bunless\s)(?:that's|that\s+is))\b"
    # ("analyze its sentiment": the sentiment of the quote)
    r"|\bits\s+(?P<owned>[a-z]+)\b|\b(?:it|this)\b",
    re.IGNORECASE,
)


#: 'customer review "movers broke the mirror" classify it ...': a few words naming the
#: quote, the quote in double quotes, then a step, with no colon or stop between
_QUOTE_NAMED_FIRST = re.compile(
    r"^(?!(?:a|an|the|we|i|our|my|this|that|they|he|she|it|you)\b)"
    r"(?P<who>(?:[a-z]+\s+){0,3}[a-z]+)\s+(?P<quote>\"[^\"]{3,}\")(?P<end>\s*[.;,]?)\s+"
    r"(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


#: "figure out the category", "get the sentiment": a step that reads a quality of the text
#: said before it, by the quality alone
_A_QUALITY_OF_IT = re.compile(
    r"^\W*[a-z]+(?:\s+out)?\s+(?:the\s+(?:category|sentiment|priority|tone|mood|topic|urgency)"
    # ("work out how upset they are": how the writer feels, said of them)
    r"|(?P<how>how\s+(?:upset|angry|annoyed|unhappy|happy|frustrated|satisfied|pleased|mad)\s+"
    r"(?:they\s+are|they're|he\s+is|he's|she\s+is|she's|the\s+[a-z]+\s+is)))"
    r"(?=\s*(?:[,.;]|\band\b|\bthen\b|$))",
    re.IGNORECASE,
)
#: "if the sentiment is negative ...": a condition on a quality of the text said before it
_A_QUALITY_ASKED = re.compile(
    r"^\W*(?:if|when|unless|and\s+if)\s+(?:the|its)\s+(?:category|sentiment|tone|mood|topic)"
    r"(?=\s+(?:is|was|isn't|comes\s+back|looks)\b)",
    re.IGNORECASE,
)
#: "open a ticket for it", "log a case about it": a work item whose text is what "it" is
_TICKET_FOR_IT = re.compile(
    r"\b(?:open|create|file|log|raise)\s+(?:a|an|the)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:ticket|case|issue|incident)\s+(?P<for>(?:for|about|on)\s+)$",
    re.IGNORECASE,
)


def quote_said_first(prompt: str, starts_with_verb: Callable[[str], bool] | None = None) -> str:
    """ "Tenant in 14B wrote: 'The boiler is leaking'. classify it ..." -> "classify 'The
    boiler is leaking' ...": the quote takes the place of the first "it" after it, unless
    nothing after it says "it" (then the request is left as written). A label for the quote
    ("resident complaint: '...'") is read the same way when it does not start with a verb."""
    match = _QUOTE_SAID_FIRST.match(prompt.strip())
    if match is None and starts_with_verb is not None:
        match = _QUOTE_LABELLED_FIRST.match(prompt.strip())
        if match is None:
            # ('customer review "..." classify it': no colon, a step right after the quote)
            match = _QUOTE_NAMED_FIRST.match(prompt.strip())
            if match is not None and not starts_with_verb(match["rest"]):
                match = None
        if match is not None and (starts_with_verb(match["who"]) or re.search(r"\d", match["who"])):
            # "post to slack: '...'": a step that says the quote; "Message from order
            # OR-7: '...'": a heading with a code, read as one
            match = None
    if (
        match is not None
        and not match["end"]
        # (the quote's own stop before a capital ends it: '..."The lid broke." If that's ...')
        and not re.search(r"[.!?]['\"]$", match["quote"])
        and not (starts_with_verb is not None and starts_with_verb(match["rest"]))
    ):
        match = None  # the quote runs on into words that are no step
    if match is None:
        return prompt
    quote, rest = match["quote"], match["rest"]
    if quote.startswith("'") and "'" in quote[1:-1] and '"' not in quote:
        quote = f'"{quote[1:-1]}"'  # ('... we couldn't see ...': its apostrophes are words')
    it = _FIRST_IT.search(rest)
    as_field = _THAT_AS_A_FIELD.search(rest)
    if as_field is not None and (it is None or as_field.start() < it.start()):
        # ("... open a matter for Tom Okafor with that as the summary": the quote is it)
        return f"{rest[: as_field.start('that')]}{quote}{rest[as_field.end('that') :]}"
    named = _THE_TEXT_NAMED.search(rest)
    quality = _A_QUALITY_OF_IT.match(rest)
    if quality is not None and (it is None or quality.end() <= it.start()):
        # ("a customer emailed '...' - figure out the category, and if its shipping ...":
        # the category of the quote; a text was asked of the run)
        of = "about" if quality["how"] else "of"
        return f"{quality[0]} {of} {quote}{rest[quality.end() :]}"
    asked = _A_QUALITY_ASKED.match(rest)
    if asked is not None and (it is None or asked.end() <= it.start()):
        # ("customer wrote '...'. if the sentiment is negative open a ticket": the
        # sentiment of the quote; a text was asked of the run)
        return f"{rest[: asked.end()]} of {quote}{rest[asked.end() :]}"
    if named is not None and (it is None or named.start() < it.start()):
        # ("A customer wrote: '...'. Classify the message and ...": the message is the quote;
        # it was a lookup of the customer, and the message was asked of the run)
        return f"{rest[: named.start()]}{quote}{rest[named.end() :]}"
    if it is None:
        # ("A customer wrote: '...'. Open a technical ticket": what the step says; it was a
        # lookup of the customer, and the ticket's text was asked of the run)
        first = re.match(r"(?P<step>[^.;!?]+?)(?P<end>\s*(?:[.;!?]|\band\b|$).*)", rest, re.S)
        if first is None or _NAMES_A_TEXT.search(first["step"]) is None:
            return prompt
        return f"{first['step']} saying {quote}{first['end']}"
    said = f"{quote} is" if it["is"] else quote
    if it["owned"]:
        said = f"the {it['owned']} of {quote}"
    ticket_for = _TICKET_FOR_IT.search(rest[: it.start()])
    if ticket_for is not None and not it["is"] and not it["owned"]:
        # ("... open a ticket for it": the ticket says the quote)
        return f"{rest[: ticket_for.start('for')]}saying {quote}{rest[it.end() :]}"
    after = _TICKET_WITHOUT_TEXT.sub(lambda m: f"{m[0]} saying {quote}", rest[it.end() :], count=1)
    return f"{rest[: it.start()]}{said}{after}"


_ASKED_WHETHER_POSITIVE_THEN_SENT = re.compile(
    r"\b(?:tell|let)\s+(?:me|us)\s+(?:know\s+)?(?:whether|if)\s+(?:it|they|this|that|"
    r"the\s+[a-z]+)(?:'s|'re|\s+is|\s+are|\s+was)\s+(?:\w+\s+)?(?:positive|negative|neutral)"
    r"(?:\s+or\s+(?:positive|negative|neutral|not))?\b"
    r"(?=\s*,?\s*(?:and\s+|then\s+|and\s+then\s+)(?:e-?mail|send|forward|post|text)\s+"
    r"(?:the\s+(?:result|answer|verdict)|it|that)\b)",
    re.IGNORECASE,
)
#: "the warehouse has fewer than 5 of SKU-9", "we have less than 10 units of A-1"
_FEWER_THAN_N_OF_CODE = re.compile(
    r"\b(?:the\s+)?(?:warehouse|store|stock|inventory|we|they)\s+(?P<be>has|have)\s+"
    r"(?:fewer|less)\s+than\s+(?P<count>\d+)\s+(?:units?\s+|pieces?\s+)?of\s+"
    r"(?:sku\s+)?(?P<code>(?=[\w-]*\d)[A-Za-z][\w-]*)",
    re.IGNORECASE,
)
_TOLD_WHETHER_POSITIVE = re.compile(
    r"\b(?P<lead>(?:tell|email|e-mail|notify|inform|let)\s+(?:me|us|them|the\s+[a-z]+)\s+"
    r"(?:know\s+)?)whether\s+(?:it|they|this|that|the\s+[a-z]+)(?:'s|'re|\s+is|\s+are|\s+was)\s+"
    r"(?:\w+\s+)?(?:positive|negative|neutral)(?:\s+or\s+(?:positive|negative|neutral|not))?\b",
    re.IGNORECASE,
)
_SEND_THEM_TO = re.compile(
    r"\b(?P<verb>e-?mail|send|forward|mail|pass)\s+them\s+(?:on\s+|over\s+)?to\s+"
    r"(?=(?:the|my|our|their|his|her|me|us)\b|[\w.+-]+@)",
    re.IGNORECASE,
)
_EACH_OF_THESE = re.compile(
    r"\b(?:each|every\s+one|all)\s+of\s+(?P<these>these|those|the\s+following)\s+(?P<noun>[a-z]+s)"
    # ("fetch each of these pages https://a.example.com, https://b...": no colon)
    r"(?:\s*:|\s+(?=\S+://))",
    re.IGNORECASE,
)
_ONLY_AFTER_CHECKING = re.compile(
    r"(?P<lead>(?:^|(?<=[.!?;\n]))\s*)(?P<main>[^.;!?\n]+?)\s*,?\s+(?:but\s+)?(?:only\s+)?after\s+"
    r"(?:checking|making\s+sure|verifying|confirming|ensuring|double[- ]checking)\s+(?:that\s+)?"
    r"(?P<state>[^.;!?\n]+?(?:\s(?:is|are|validates?|passes|pass)|'s|'re)\b[^.;!?\n]*)"
    r"(?P<end>[.;!?]|$)",
    re.IGNORECASE | re.MULTILINE,
)
#: "the order validates", "it passes validation": said of a state, that it is valid.
_VALIDATES = re.compile(r"\b(?:validates|passes\s+validation|pass\s+validation)\b", re.I)
#: "... and the order is valid": a second state with a subject of its own.
_AND_ANOTHER_STATE = re.compile(
    r"\s*,?\s+and\s+(?=(?:the|their|its|all|every|each)\s+\w+(?:\s+\w+)?\s+(?:is|are)\b)", re.I
)


def _checked_first(match: re.Match[str]) -> str:
    main = match["main"].strip()
    nouns = re.findall(r"\b(?:the|their|its|this|that|an?)\s+([a-z]+)", main, re.IGNORECASE)
    state = _VALIDATES.sub("is valid", match["state"].strip())
    if nouns:
        # "ship the order after checking that it's in stock": it is the order
        state = re.sub(r"^(?:it|they)\b", f"the {nouns[-1]}", state, flags=re.IGNORECASE)
    checks = ", and ".join(f"make sure {part}" for part in _AND_ANOTHER_STATE.split(state))
    return f"{match['lead']}{checks}. Then {main}{match['end']}"


#: "make sure the order is valid and in stock", said as a state to hold before going on.
_ASSERTED_TWO = re.compile(
    r"\b(?P<verb>make\s+sure|ensure|check\s+that|verify\s+that|confirm\s+that)\s+"
    r"(?:(?P<thing>(?:the|their|its|this|our)\s+[a-z]+(?:\s+[a-z]+)?)\s+(?P<be>is|are)"
    # ("make sure it's valid and in stock")
    r"|(?P<pronoun>it|they)(?:'s|'re|\s+(?:is|are)))\s+"
    r"(?P<a>(?!not\b)[a-z][\w-]*)\s+and\s+(?:(?:is|are)\s+)?(?P<b>in\s+stock|(?!not\b)[a-z][\w-]*)"
    # (a check "before charging" is read with the step it goes before); a comma may lead
    # to the next step ("..., take payment, and ship it")
    r"(?=\s*(?:[.;!,]|$)|\s*,?\s*(?:and\s+)?then\b)",
    re.IGNORECASE | re.MULTILINE,
)
#: "check that the order is valid and that the items are in stock": two checks said as one.
_AND_THAT = re.compile(
    r"(?P<head>\b(?P<verb>make\s+sure|ensure|check|verify|confirm)\s+that\s+[^,;.!?]+?)"
    r"\s*,?\s+and\s+that\s+",
    re.IGNORECASE,
)


def _two_checks(match: re.Match[str]) -> str:
    """ "make sure the order is valid and in stock" -> a check of each state."""
    if match["pronoun"]:
        thing, be = match["pronoun"], "is" if match["pronoun"].lower() == "it" else "are"
    else:
        thing, be = match["thing"], match["be"]
    verb = match["verb"]
    return f"{verb} {thing} {be} {match['a']}, and {verb} {thing} {be} {match['b']}"


#: "the order is valid and in stock": one thing in two states, each its own check.
_TWO_STATES = re.compile(
    r"^(?P<thing>.+?)\s+(?P<verb>is|are)\s+(?P<a>(?!not\b)[a-z][\w\s-]*?)\s+and\s+(?:(?:is|are)\s+)?"
    r"(?P<b>(?!not\b)[a-z][\w\s-]*?)$",
    re.IGNORECASE,
)


def _subject_clause(
    pattern: re.Pattern[str], group: str, piece: str, verbs: frozenset[str]
) -> re.Match[str] | None:
    """A match of "... before/after we <verb> ..." whose verb is one the reader knows (a
    past form, "after they paid", says what happened, not a step)."""
    match = pattern.match(piece.strip())
    if match is None or match.group(group).split()[0].lower() not in verbs:
        return None
    return match


#: How something is said to arrive: "comes in", "arrives", "is submitted", "gets placed".
_ARRIVAL = (
    r"(?:comes?\s+in|arrives?|is\s+(?:received|submitted|placed|created|opened|filed|hired)|"
    r"gets?\s+(?:submitted|placed|created|opened|filed|hired)|"
    # someone who gets in touch or joins: "A customer writes in.", "A new hire joins."
    r"writes\s+(?:in|to\s+us)|gets\s+in\s+touch|reaches\s+out|contacts\s+us|"
    r"emails\s+us|signs\s+up|registers|joins(?:\s+(?:us|the\s+company|the\s+team))?|"
    # the same, said as what just happened: "A new user signed up with email sam@x.com."
    r"(?:just\s+)?(?:signed\s+up|registered|came\s+in|arrived|wrote\s+in|"
    r"joined(?:\s+(?:us|the\s+company|the\s+team))?)|"
    # "The customer sends us a complaint.", "A client leaves a review."
    r"(?:sends|submits|files|leaves|posts|writes)\s+(?:us\s+|in\s+)?(?:an?|their|a\s+new)\s+"
    r"[a-z-]+(?:\s+[a-z-]+)?|"
    r"starts(?:\s+(?:work|today))?)"
)
#: "A new support email comes in.", "An order is placed.": what starts a run, said alone.
_ARRIVES_ALONE = re.compile(
    r"^(?:(?:a|an|the|some|one)\s+)?(?:(?:new|incoming|fresh)\s+)?[a-z-]+(?:\s+[a-z-]+){0,2}\s+"
    + _ARRIVAL
    + r"(?:\s+(?:from\s+[a-z ]+|by\s+email|through\s+the\s+[a-z]+|via\s+[a-z]+))?"
    # ("... signs up with email sam@x.com": what arrived, said with it)
    + r"(?:\s+(?:with|using)\s+(?:(?:the|their|his|her|an?)\s+)?(?:[a-z-]+\s+){0,2}"
    + r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[A-Z]{1,6}-?\d[\w-]*|\+?\d[\d\s().-]{6,}\d))?"
    + r"\s*[.!]?$",
    re.IGNORECASE,
)

#: "A customer writes in, we check ...": the same, leading a sentence that goes on.
_ARRIVES_FIRST = re.compile(
    r"^\s*(?P<arrival>(?:a|an|some|one)\s+(?:(?:new|incoming|fresh)\s+)?[a-z-]+(?:\s+[a-z-]+)?\s+"
    + _ARRIVAL
    + r")\s*,\s*(?!then\b)",
    re.IGNORECASE,
)

#: "a new user signs up with email sam@x.com": an arrival said with what arrived.
_ARRIVAL_SAID = re.compile(rf"\b{_ARRIVAL}\b", re.IGNORECASE)


def says_an_arrival(text: str) -> bool:
    """Whether `text` says something arrives ("a new user signs up", "an order comes in")."""
    return _ARRIVAL_SAID.search(text) is not None


#: "... to make sure they're new, and ...": a step's purpose, a state that must hold.
_TO_MAKE_SURE = re.compile(
    r"\s+(?:in\s+order\s+)?to\s+(?:make\s+sure|ensure|check|verify|confirm)\s+(?:that\s+)?",
    re.IGNORECASE,
)
#: Where the state a purpose names ends and the next step begins.
_STEP_JOINT = re.compile(r"\s*(?:,\s*(?:and\s+)?(?:then\s+)?|\s+and\s+(?:then\s+)?)", re.I)


def _trigger_joined(sentences: list[str]) -> list[str]:
    """ "An order is placed. Validate it." reads as "When an order is placed, validate it.":
    the trigger, and what "it" is, for the sentence after it."""
    joined: list[str] = []
    for sentence in sentences:
        if joined and _ARRIVES_ALONE.match(joined[-1]) and sentence != PARALLEL_HEADING:
            trigger = joined.pop().strip().rstrip(".!")
            rest = sentence.strip()
            sentence = f"When {trigger[0].lower()}{trigger[1:]}, {rest[:1].lower()}{rest[1:]}"
        joined.append(sentence)
    return joined


def steps_first(sentences: list[str]) -> list[str]:
    """ "Email the summary if it is positive. Analyze the sentiment first." puts the second
    sentence before the first. (An approval that says so is put before the step it guards
    by the builder instead, which also works inside an arm: see `Approval.before_previous`.)"""
    ordered = list(sentences)
    for index in range(1, len(ordered)):
        sentence = ordered[index]
        if sentence == PARALLEL_HEADING or ordered[index - 1] == PARALLEL_HEADING:
            continue
        if _APPROVAL.search(sentence):
            continue
        if _FIRST.search(sentence) and not re.match(
            r"\s*(?:then|after|finally|next|lastly)\b", sentence, re.IGNORECASE
        ):
            ordered[index - 1], ordered[index] = ordered[index], ordered[index - 1]
    return ordered


#: "... before we charge anything", "... before shipping": the step an approval goes ahead of.
_BEFORE_A_STEP = re.compile(
    r"\s+before\s+(?:(?:we|you|they|i|anyone)\s+)?(?P<verb>[a-z]+)\b(?P<what>[^.;!?,]*)"
    r"(?=[.;!?]|$)",
    re.IGNORECASE,
)
#: "Before charging, get approval from finance ...": the step said first, then the approval.
_BEFORE_LEADS = re.compile(
    r"(?:^|(?<=[.;!?]\s))before\s+(?:(?:we|you|they|i|anyone)\s+)?(?P<verb>[a-z]+)\b"
    r"(?P<what>[^,.;!?]*),\s*(?P<asked>[^.;!?]*?\b(?:approv\w*|sign[- ]?off|authori[sz]\w*)"
    r"\b[^.;!?]*)",
    re.IGNORECASE,
)
#: "over 500", "$500 or more", "1k and up": an amount something is compared with.
COMPARISON_PHRASE = re.compile(
    r"\b(?:is\s+|are\s+)?(?:over|above|more\s+than|greater\s+than|exceeds?|exceeding|at\s+least|"
    r"under|below|less\s+than|at\s+most)\s+[$€£¥]?\s*\d[\d,.]*\s*(?:k|thousand|m|million)?\b"
    # ("€80,000 over 24 months": a term, not a threshold)
    r"(?!\s*(?:months?|years?|weeks?|days?|hours?|minutes?|mo|yrs?)\b)"
    r"|[$€£¥]?\s*\d[\d,.]*\s*(?:k|thousand|m|million)?(?:\s*(?:usd|eur|gbp|dollars?|euros?|"
    r"pounds?))?\s+(?:or\s+(?:more|above|higher|greater|less|fewer|below|lower)|and\s+(?:up|above|"
    r"over|under|below))\b",
    re.IGNORECASE,
)
#: Where a step starts in a sentence: after a sentence's end, a comma, "and" or "then".
_STEP_BOUNDARY = re.compile(r"[.;!?]\s*|,(?!\d)\s*|\s+and\s+(?:also\s+)?|\s+then\s+", re.I)
_CONDITION_LEAD_WORD = re.compile(r"\s*(?:if|when|unless|for|once)\b", re.IGNORECASE)


def comma_after_an_amount(prompt: str) -> str:
    """ "For orders above 1000 get approval from finance before charging" -> "For orders
    above 1000, get approval ...": the condition ends where the approval asked starts."""
    return _OVER_AN_AMOUNT_NO_COMMA.sub(r"\g<lead>, ", prompt)


def approval_before_its_step(prompt: str) -> str:
    """ "Validate the order, charge the card, then ship it; if the total is over 2000 a
    manager needs to approve it before we charge anything": the approval said after the
    step it guards is moved to just before it ("validate the order. If the total is over
    2000 a manager needs to approve it. Then charge the card, then ship it"), so the step
    waits for it; said last, it would come after the charge it should stop. The same for
    "... Before charging, get approval from finance." and "get my approval before sending
    the email" (the step that emails)."""
    for asked, verb, what, start, end in _late_approvals(prompt):
        said = _step_said(prompt[:start], verb, what)
        if said is None:
            continue
        starts = list(_STEP_BOUNDARY.finditer(prompt, 0, said))
        head = prompt[: starts[-1].start()].strip(" ,;") if starts else ""
        step = _JOINED_ON.sub("", prompt[starts[-1].end() if starts else 0 : start]).strip(" ,;.")
        threshold = COMPARISON_PHRASE.search(what)
        if threshold is not None and not _CONDITION_LEAD_WORD.match(asked):
            # "... before shipping anything over $500": the approval is for those only
            asked = f"if it is {threshold.group(0)}, {asked}"
        # "... approve it before we charge it": what it approves ahead of, said with it as
        # the step says it ("before we charge the card")
        if (
            what.strip().lower() in ("it", "them", "this", "that")
            and _AHEAD_OF.search(prompt[start:end])
            and not _AHEAD_OF.search(asked)
        ):
            said_step = _STEP_BOUNDARY.split(prompt[said:start], maxsplit=1)[0].strip()
            asked = f"{asked} before we {said_step[0].lower()}{said_step[1:]}"
        # ("Then if ...": after the steps before it, not ahead of them as its own sentence)
        moved = f"{asked[0].lower()}{asked[1:]}. Then {step[0].lower()}{step[1:]}"
        moved = f"{head}. Then {moved}" if head else moved[0].upper() + moved[1:]
        return moved + prompt[end:]
    return prompt


def _late_approvals(prompt: str) -> Iterator[tuple[str, str, str, int, int]]:
    """Each approval asked for before a step: what asks it, the step's verb, what follows
    the verb, and the span of the prompt it takes (from where it starts to its end)."""
    for before in _BEFORE_A_STEP.finditer(prompt):
        starts = list(_STEP_BOUNDARY.finditer(prompt, 0, before.start()))
        approval = list(_APPROVAL.finditer(prompt, 0, before.start()))
        # the part asking for it: from the step start before the approval's word, with the
        # condition it is for ("if the total is over 2,000, a manager needs to approve it")
        own = [m for m in starts if approval and m.end() <= approval[-1].start()]
        if not own:
            continue
        at = len(own) - 1
        while (
            at > 0
            and not _CONDITION_LEAD_WORD.match(prompt, own[at].end())
            and (_CONDITION_LEAD_WORD.match(prompt, own[at - 1].end()))
        ):
            at -= 1
        asked = prompt[own[at].end() : before.start()].strip(" ,")
        asked = re.sub(r"^(?:but|and|so|yet|though)\s+", "", asked, flags=re.IGNORECASE)
        yield asked, before.group("verb"), before.group("what"), own[at].start(), before.end()
    for lead in _BEFORE_LEADS.finditer(prompt):
        # "Before charging, get approval from finance if the amount is over 1000."
        asked = lead.group("asked").strip(" ,")
        yield asked, lead.group("verb"), lead.group("what"), lead.start(), lead.end("asked")


_AHEAD_OF = re.compile(r"\s+before\s+[^.;!?,]*$", re.IGNORECASE)
_JOINED_ON = re.compile(r"^\s*(?:and|then|also|and\s+then)\s+", re.IGNORECASE)
#: "the charge", "its payment": a word after an article names a thing, not a step's verb
_A_THING_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|your|this|that)\s*$", re.I)


def _step_said(earlier: str, verb: str, what: str) -> int | None:
    """Where, in what was said before, the step a "before <verb> <what>" names is: its verb
    where a step starts (after a condition too: "if it's fine charge the card"), else a word
    like it, or the thing it acts on said as a verb ("before sending the email": "email me
    the summary"), where a step starts."""
    verb = stem(verb.lower())
    thing = next(
        (w for w in re.findall(r"[a-z]+", what.lower()) if w not in STOP_WORDS and len(w) > 2),
        None,
    )
    words = list(re.finditer(r"[A-Za-z]+", earlier))
    for word in words:
        part = _STEP_BOUNDARY.split(earlier[: word.start()])[-1]
        # ", and charge the card": the step starts at its verb all the same
        part = _JOINED_ON.sub("", part)
        if (
            stem(word.group(0).lower()) == verb
            and (not part.strip() or _CONDITION_LEAD_WORD.match(part))
            # "if the charge fails": the thing a condition speaks of, no step
            and not _A_THING_BEFORE.search(part)
        ):
            return word.start()
    alike = synonyms(verb) | ({thing} if thing else set())
    for word in words:
        lead = earlier[: word.start()]
        alike_said = word.group(0).lower() in alike or stem(word.group(0).lower()) in alike
        if alike_said and (
            not lead.strip() or re.search(r"(?:[.;!?,]|\band|\bthen)\s*$", lead, re.I)
        ):
            return word.start()
    return None


def approval_goes_first(sentence: str, previous: str | None) -> bool:
    """An approval sentence that ends in "first", or that requires approval of what the
    step before it does ("Charge the card. Payments over 2500 need a manager's OK.")."""
    if previous is None:
        return False
    text = approval_deadline(sentence)[0].strip(" ()")
    if _FIRST.search(text):
        return True
    return _guards_previous(text, previous) or _names_the_last_step(text, previous)


#: "... before shipping", "... before we ship it": the step the approval goes ahead of.
_BEFORE_DOING = re.compile(r"\bbefore\s+(?:(?:we|you|they|i)\s+)?(?P<verb>[a-z]+)\b", re.IGNORECASE)


def _names_the_last_step(sentence: str, previous: str) -> bool:
    """ "Validate the order, charge the card and ship it. Get a manager's approval before
    shipping.": the approval is for the last step of the sentence before, so it goes
    ahead of it (only the last: an earlier one has steps after it already)."""
    if not _APPROVAL.search(sentence) or _APPROVAL.search(previous):
        return False
    before = _BEFORE_DOING.search(sentence)
    if before is None:
        return False
    last_part = re.split(r",|;|\band\b|\bthen\b", previous.strip(" .!"), flags=re.I)[-1]
    words = [w for w in last_part.split() if w.lower() not in STOP_WORDS]
    return bool(words) and stem(words[0].lower()) == stem(before.group("verb").lower())


_REQUIREMENT = re.compile(r"\b(?:needs?|requires?|must|has\s+to|have\s+to|should)\b", re.IGNORECASE)
_NAMES_ITS_STEP = re.compile(r"\b(?:before|then|after|afterwards|finally|next)\b", re.IGNORECASE)


def _guards_previous(sentence: str, previous: str) -> bool:
    """ "Charge the card. Payments over 2500 need a manager's OK.": the approval is
    for the step just before, so it goes first."""
    if not _APPROVAL.search(sentence) or _APPROVAL.search(previous):
        return False
    if not _REQUIREMENT.search(sentence) or _NAMES_ITS_STEP.search(sentence):
        return False
    subject = re.split(
        r"\b(?:over|above|under|below|of|need|needs|require|requires|must)\b",
        sentence,
        maxsplit=1,
        flags=re.IGNORECASE,
    )[0]
    subject_words = {stem(w) for w in split_identifier(subject) if w not in STOP_WORDS}
    previous_words = {stem(w) for w in split_identifier(previous) if w not in STOP_WORDS}
    related = previous_words | {s for w in previous_words for s in synonyms(w)}
    return bool(subject_words & related)


def _retry_on_a_result(condition_clause: Clause, said: str) -> PlanningError:
    """ "If it's declined, retry twice": retries repeat a step that failed with an error;
    a decline is a result the step returned, and repeating on a result needs a loop back
    the flow cannot hold."""
    condition = condition_clause.condition.text if condition_clause.condition else ""
    return PlanningError(
        "unmapped_step",
        f"Could not plan the retry said after 'if {condition}': retries repeat a step that "
        "fails with an error, and this condition is a result the step returns, which a "
        "retry would not change. Say the retries without the condition ('charge the card, "
        "retrying up to 3 times on errors') and what to do when it happens ('if it's "
        "declined, email the customer').",
        step=f"{condition_clause.text} {said}".strip(),
        details={"reason": "retry_on_a_result", "condition": condition},
    )


def _attach_trailing_condition(sentence: list[Clause], clauses: list[Clause], text: str) -> None:
    """ "Send the email, but only if it is valid": a condition with nothing after it in its
    sentence belongs to the clause before it. Set off by a comma after several steps
    ("charge the card and ship it, but only if the order is valid"), it is a condition of
    each of them that does something (a check before it may be what tells it)."""
    if len(sentence) < 2:
        return
    last, previous = sentence[-1], sentence[-2]
    if (
        last.condition_only
        and not last.otherwise
        and previous.condition is None
        and not previous.condition_only
    ):
        condition = last.condition
        if condition is not None:
            condition.optional = False
            previous.condition = condition
            clauses.remove(last)
            if _ONLY_IF_SET_OFF.search(text):
                for earlier in sentence[:-2]:
                    if (
                        _plain_action(earlier)
                        and not looks_only(earlier.action)
                        and not _decides(earlier, condition)
                    ):
                        earlier.condition = Condition(condition.text, condition.negate)


def _decides(clause: Clause, condition: Condition) -> bool:
    """ "process the payment, then ship it, only if the payment is approved": the step
    that makes what the condition speaks of (the payment) is not under it."""
    subject = re.split(r"\s+(?:is|are|was|were|has|have|goes|went|gets|got)\b", condition.text)[0]
    said = {stem(w) for w in split_identifier(subject) if w not in STOP_WORDS}
    done = {stem(w) for w in split_identifier(clause.action) if w not in STOP_WORDS}
    return bool(said & (done | {s for w in done for s in synonyms(w)}))


#: ", but only if ...", ", only when ...": a condition of the whole sentence before it.
_ONLY_IF_SET_OFF = re.compile(r",\s*(?:but\s+)?only\s+(?:if|when)\b", re.IGNORECASE)


def _plain_action(clause: Clause) -> bool:
    return (
        clause.condition is None
        and not clause.condition_only
        and not clause.otherwise
        and clause.approval is None
        and clause.for_each is None
    )


#: The plural object a step ends on ("fetch the pages", "... the three pages in the list").
_PLURAL_OBJECT = re.compile(
    r"\b(?:the|these|those|all(?:\s+the)?|our|their|(?:two|three|four|five|six|\d+))\s+"
    r"(?:[a-z-]+\s+)?(?P<noun>[a-z-]+s)(?P<container>\s+(?:in|from|on)\s+(?:the|this|our)\s+"
    r"(?:[a-z]+\s+)?(?:list|batch|file|sheet|spreadsheet|queue|table))?\s*$",
    re.IGNORECASE,
)


def _loop_over_its_object(clause: Clause) -> None:
    """ "Fetch the pages and summarize each one": the step before loops over its plural
    object, so that "each one" has a list to run over."""
    found = _PLURAL_OBJECT.search(clause.action)
    if found is None or clause.for_each or found.group("noun").lower().endswith("ss"):
        return
    clause.for_each = singular(found.group("noun").lower())
    clause.for_each_container = "list" if found.group("container") else None
    clause.action = clause.action[: found.start()].strip() or clause.action


def for_each_phrase(text: str) -> tuple[str, str | None, int] | None:
    """(noun, container, position) of "for each <noun> [in the <container>]", if any."""
    match = _FOR_EACH.search(text)
    counted = _COUNTED_OBJECT.match(text)
    if (
        counted is not None
        and (match is None or match.start() > counted.start("noun"))
        and not _APPROVAL.search(text)  # "ask two managers to approve": a quorum
        # ("fetch the two pages https://a.example and https://b.example": the values
        # written are the list, one call for each)
        and len(_WRITTEN_ITEM.findall(text[counted.end() :])) < 2
    ):
        # "translate two URLs into French": a list of them, one call each
        return singular(counted.group("noun").lower()), None, counted.start("count")
    if match is None:
        return None
    first, second = match.group("first").lower(), (match.group("second") or "").lower()
    rest = text[match.end("first") :]
    if first == "of" and second in ("them", "these", "those"):
        return "one", None, match.start()  # "summarize each of them": as "each one"
    if first in _AFTER_A_PRONOUN and match.group(0).lower().startswith(("each", "every")):
        return "one", None, match.start()  # "translate each into German": each one
    if _COMPARED_AFTER.match(rest):
        # "approve every payment above 9,999": the one payment, when it is; not a loop
        return None
    if (second == "one" and first not in ("single", "last")) or (
        first in JUDGED_QUALITIES and second
    ):
        # "to every valid one", "each valid user": only some of the items, not a loop
        return None
    if _second_is_head(first, second) or second in _GENERIC_HEADS:
        # "each new order": orders; "each email address": emails, the address said too
        first = first if second in _GENERIC_HEADS else second
        rest = text[match.end("second") :]
        head = _LAST_NOUN_OF_COMPOUND.match(rest)
        if head is not None and _second_is_head(first, head.group("head").lower()):
            # "each customer feedback message in the list": the last noun is what loops
            first, rest = head.group("head").lower(), rest[head.end("head") :]
    if re.match(r"\s+(?:is|are|was|were|has|have|gets?|must|should)\b", rest, re.IGNORECASE):
        return None  # "ensure every item is in stock": all of them, not one at a time
    if _ARRIVES.match(rest):
        return None  # "every ticket that comes in": the trigger, one a run
    if (
        match.group("first").lower() in ("incoming", "new", "arriving")
        and not _FROM_A_LIST.search(rest)
        and not _FROM_A_SYSTEM.match(rest)  # "each new hire in Greenhouse": those it lists
    ):
        return None  # "each incoming email": the trigger, one at a time, not a list
    container_match = _CONTAINER.match(rest)
    container = container_match.group("container").lower() if container_match else None
    return first, container, match.start()


#: "... in Greenhouse", "... from HubSpot": the system, named, that lists the things
_FROM_A_SYSTEM = re.compile(r"^\W*(?:[a-z]+\s+)?(?:in|from)\s+[A-Z][\w-]+\b")
#: A link or an address written out, one of the values a counted object lists.
_WRITTEN_ITEM = re.compile(r"\bhttps?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
#: "Translate two URLs", "validate the three orders": a step's object counted (in words, a
#: few): a list of them.
_COUNTED_OBJECT = re.compile(
    r"^\s*(?:then\s+|also\s+)?[a-z]+\s+(?:the\s+|these\s+|those\s+|our\s+)?"
    r"(?P<count>two|three|four|five|six|several|multiple)\s+(?P<noun>[a-z]+s)\b"
    r"(?!\s+(?:of|per|ago|later|before|after)\b)",
    re.IGNORECASE,
)
#: Words after "each" that make it a pronoun ("translate each into German", "email each
#: to the team"): each of the items said before.
_AFTER_A_PRONOUN = frozenset("into to in for with as by from on at".split())
#: "each one" / "every one of them" is a loop's item, not a step that runs once.
_EACH_ONE = re.compile(r"\b(?:each|every|that|this|which)\s+one\b", re.IGNORECASE)
#: "skip the manager approval", "no approval needed": the approval is waived.
_WAIVE = re.compile(
    r"^\s*(?:skip|bypass|waive|omit|drop|(?:there's\s+)?no\s+need\s+(?:for|of)|"
    r"(?:do\s+not|don't)\s+(?:need|require|ask\s+for|get))\b",
    re.IGNORECASE,
)
#: "otherwise require it": the approval just waived, asked for in the other case.
_REQUIRE_IT = re.compile(
    r"^\s*(?:just\s+)?(?:require|need|get|ask\s+for|request|do)\s+(?:it|one|that|the\s+approval)\s*$",
    re.IGNORECASE,
)
#: ", with the reason in the body" after a trailing condition: a detail of the step.
_STEP_DETAIL = re.compile(
    r",\s*(?P<detail>(?:with|including|using|attaching|containing|cc(?:ing)?)\b.*)$"
    # "tell me if it's ok by email at me@corp.com": where the message goes, not the condition
    r"|\s+(?P<detail2>(?:(?:by|via)\s+e-?mail\s+)?(?:at|to)\s+[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s*$",
    re.I,
)
_ARRIVES = re.compile(
    r"^\s+(?:that|which|who)\s+(?:" + _ARRIVAL + r"|we\s+(?:get|receive))\b", re.IGNORECASE
)
_BOTH_DONE = re.compile(
    r"(?<=\sand\s)(?:once|when|after)\s+(?:both|all|they|these|those)(?:\s+of\s+them)?\s+"
    r"(?:are\s+|have\s+)?(?:done|finish\w*|complete\w*)\b,?\s*",
    re.IGNORECASE,
)
#: "both legal and finance must sign off", "the CFO and the CEO need to approve": each of
#: the two named approves
_BOTH_MUST_APPROVE = re.compile(
    rf"\b(?:both\s+)?(?P<a>{_APPROVER})\s+and\s+(?P<b>{_APPROVER})\s+"
    r"(?P<modal>must|need\s+to|needs\s+to|have\s+to|has\s+to|should|each\s+need\s+to)\s+"
    r"(?:both\s+|each\s+)?(?P<verb>approve|sign\s+off|sign-off|ok|okay)\b(?:\s+(?:on\s+)?it\b)?"
    r"(?:\s+first\b)?",
    re.IGNORECASE,
)
#: "have legal and finance sign off", "get a manager and finance to approve it": asked of both
_HAVE_BOTH_APPROVE = re.compile(
    rf"\b(?:have|get|let)\s+(?:both\s+)?(?P<a>{_APPROVER})\s+and\s+(?P<b>{_APPROVER})\s+"
    r"(?:both\s+)?(?:to\s+)?(?P<verb>approve|sign\s+off|sign-off)\b(?:\s+(?:on\s+)?it\b)?",
    re.IGNORECASE,
)
#: "charge the card after a manager and the finance team approve it": both, then the step
_AFTER_BOTH_APPROVE = re.compile(
    r"^(?P<step>(?:(?!\b(?:if|unless)\b)[^,;])+?)\s+(?:only\s+)?(?:after|once|when)\s+"
    rf"(?:both\s+)?(?P<a>{_APPROVER})\s+and\s+(?P<b>{_APPROVER})\s+(?:both\s+)?(?:have\s+)?"
    r"(?P<verb>approved?|signed\s+off|sign\s+off)\b(?:\s+(?:on\s+)?it\b)?(?P<end>[.!]?\s*)$",
    re.IGNORECASE,
)


def _one_approver_then_the_other(match: re.Match[str]) -> str:
    first, second = _approver(match["a"]), _approver(match["b"])
    verb = "sign off" if match["verb"].lower().startswith("sign") else match["verb"]
    if verb.lower().startswith("approve"):
        verb = "approve"
    if not (assignee_role(f"{first} must approve") and assignee_role(f"{second} must approve")):
        return match[0]
    if assignee_role(f"{first} must approve") == assignee_role(f"{second} must approve"):
        return match[0]
    said = f"{first} must {verb}, then {second} must {verb}"
    step = match.groupdict().get("step")
    if step:
        # "charge the card after a manager and finance approve it": they first, then it
        return f"{said}, then {step.strip(' ,')}{match['end']}"
    return said


_MONEY_SAID = (
    r"(?:[$€£¥]\s?\d[\d.]*|(?:usd|eur|gbp|jpy|cad|aud|chf)\s?\d[\d.]*|"
    r"\d[\d.]*\s?(?:usd|eur|gbp|jpy|cad|aud|chf|dollars?|euros?|pounds?|yen))"
)
_TAKE_MONEY = re.compile(
    rf"\btake\s+(?P<money>{_MONEY_SAID})\s+(?:from|off|out\s+of)\s+", re.IGNORECASE
)
_PUT_IN = re.compile(
    r"\bput\s+(?P<what>it|them|this|that|(?:the|a|an)\s+[\w-]+)\s+(?:in|into|on|onto)\s+"
    r"(?P<where>(?:the|our|my|their|his|her)\s+(?!hold\b|ice\b)[\w-]+)",
    re.IGNORECASE,
)
_GOES_OUT = re.compile(
    r"\b(?P<what>it|they|the\s+[a-z]+)\s+(?:goes|go|gets\s+sent|is\s+sent|are\s+sent)\s+out\b",
    re.IGNORECASE,
)
_ROLL_OUT = re.compile(r"\brol(?:l|ls|led|ling)\s+out\b", re.IGNORECASE)
_SUM_UP = re.compile(r"\b(?:sum(?:s|med|ming)?\s+up|boil\s+down)\b", re.IGNORECASE)
_EACH_OF_ITEM = re.compile(r"\b(?:each|every)\s+(?=[a-z])", re.IGNORECASE)
#: What a step judges an item to be ("each valid user"): only some of a list.
JUDGED_QUALITIES = frozenset(
    """
    valid invalid verified unverified failed successful declined approved rejected disposable
    suspended active inactive unhappy angry negative positive urgent
    """.split()
)
#: "every payment above 9,999", "each order over $500": a condition on the one thing.
_COMPARED_AFTER = re.compile(
    r"^\s+(?:(?:that\s+is|that's|which\s+is|worth|of)\s+)?(?:over|above|under|below|"
    r"exceeding|more\s+than|less\s+than|greater\s+than|at\s+least|at\s+most)\s+"
    r"[$€£]?\s*\d",
    re.IGNORECASE,
)
#: A third noun that ends the loop's noun phrase: what follows it is where the items are
#: ("in the list"), a comma, or the end.
_LAST_NOUN_OF_COMPOUND = re.compile(
    r"^\s+(?P<head>[a-z][a-z_-]*)(?=\s*(?:[,.;:]|$)|\s+(?:in|from|on|inside|within)\s)",
    re.IGNORECASE,
)
_FROM_A_LIST = re.compile(
    r"^\W*(?:\w+\s+)?(?:in|from|on|of)\s+(?:the|this|a|our|that)\s+(?:\w+\s+)?(?:list|batch|"
    r"file|csv|sheet|spreadsheet|queue|table|export)\b",
    re.IGNORECASE,
)


def remove_for_each(text: str) -> str:
    match = _FOR_EACH.search(text)
    if match is None or for_each_phrase(text) is None:
        return text
    end = match.end("first")
    rest = text[end:]
    second = (match.group("second") or "").lower()
    if _second_is_head(match.group("first").lower(), second) or second in _GENERIC_HEADS:
        end = match.end("second")
        rest = text[end:]
        noun = second if second not in _GENERIC_HEADS else match.group("first").lower()
        head = _LAST_NOUN_OF_COMPOUND.match(rest)
        if head is not None and _second_is_head(noun, head.group("head").lower()):
            end += head.end("head")
            rest = text[end:]
    container = _CONTAINER.match(rest)
    if container:
        end += container.end()
    owned = re.match(r"'s?\b", text[end:])
    if owned is not None:
        # "post each article's title": its title (the item's)
        return " ".join(
            (text[: match.start()] + " its " + text[end + owned.end() :]).split()
        ).strip(" ,:;")
    return " ".join((text[: match.start()] + " " + text[end:]).split()).strip(" ,:;")


def _second_is_head(first: str, second: str) -> bool:
    """ "each new order", "each support message": the second word is the noun (but "each
    email address" loops over emails)."""
    if not second or second in STOP_WORDS or second in _VERB_AFTER_SUBJECT:
        return False  # "every order gets an email": "gets" says what happens to it
    if re.fullmatch(r"[a-z]{3,}(?:ing|ed)", second) and first not in _QUALIFIERS:
        return False  # "each tweet mentioning our brand": what the tweet does
    if second in COMMON_VERBS - NOUN_VERBS and second not in _ALSO_NOUNS:
        return False
    if first in _QUALIFIERS or re.search(r"(?:ive|al|ful|ous|ent|ant|ed|ing|ic|less)$", first):
        return True  # "every negative review", "each failed payment"
    return second not in _QUALIFIERS and second not in _GENERIC_HEADS


_VERB_AFTER_SUBJECT = frozenset(
    "gets get receives receive goes go becomes become needs need has have is are should must "
    "will".split()
)
_ALSO_NOUNS = frozenset("review order request record report message email file".split())
#: One of those words followed by no object of its own is the noun.
#: What follows a verb as its object ("forward it", "send the email").
_OBJECT_STARTS = frozenset(
    "a an the this that these those its their his her our my it them him me us".split()
)
_NOUN_NOT_VERB = re.compile(
    rf"(?:{'|'.join(sorted(_ALSO_NOUNS))})s?\b(?!\s+{_DETERMINERS})", re.IGNORECASE
)
_GENERIC_HEADS = frozenset(
    "address addresses record records entry entries item items id ids number numbers value "
    "values line lines row rows".split()
)


def assignee_role(text: str) -> str | None:
    """Who the request says approves: "manager", "finance", "logistics"."""
    text = _ONE_OF_THEM.sub("", _without_counts(text))
    text = _REVIEW_AND.sub("", text)
    for pattern in _ASSIGNEE_PATTERNS:
        for match in pattern.finditer(text):
            who = match.group("who").lower()
            role = re.match(r"\s+(manager|lead|head)s?\b", text[match.end("who") :], re.I)
            if role is not None and who not in DEPARTMENTS:
                # ("two plant managers must approve": managers, not a "plant" group)
                who = role.group(1).lower()
            if who not in _NOT_ASSIGNEES and len(who) >= 2:
                return who
    return None


def assignee_groups(text: str) -> list[str]:
    """The group that approves: departments as named, roles in the plural ("managers");
    none when a person is named (`assignee_users`)."""
    who = assignee_role(text)
    if who is None or assignee_users(text):
        return []
    return [group_of(who)]


def group_of(who: str) -> str:
    """The group a role names: a department as named, a role in the plural ("managers")."""
    who = who.lower()
    # ("once underwriting approves": a department named by what it does, as "purchasing")
    return who if who in DEPARTMENTS or who.endswith(("s", "ing")) else who + "s"


#: "ask jane@acme.io to approve", "approval from ops-lead@acme.io": an address decides
_ADDRESS_APPROVES = re.compile(
    r"\b(?:ask|have|let|get|needs?|requires?|wait\s+for|from|by)\s+(?P<who>[\w.+-]+@[\w-]+"
    r"(?:\.[\w-]+)+)\b(?=[^.;!?]*\b(?:approv|sign|authori|ok\b|okay))"
    r"|(?P<who2>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s+(?:must|should|has\s+to|needs?\s+to|to|will)\s+"
    r"(?:approv|sign|authori)"
    # "get approval from jane@acme.com for ...": the approval said first
    r"|\b(?:approval|sign-?off|authori[sz]ation|ok|okay)\s+(?:from|by)\s+"
    r"(?P<who3>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\b",
    re.IGNORECASE,
)


def assignee_users(text: str) -> list[str]:
    """People the request names to approve: an address, or a capitalised first name that
    is no role or department ("have Jane approve" -> ["jane"]), as usernames."""
    address = _ADDRESS_APPROVES.search(text)
    if address is not None:
        return [(address["who"] or address["who2"] or address["who3"]).lower()]
    cleaned = _ONE_OF_THEM.sub("", _without_counts(text))
    for pattern in _ASSIGNEE_PATTERNS:
        for match in pattern.finditer(cleaned):
            who = match.group("who")
            lowered = who.lower()
            capitalised = (
                who[:1].isupper()
                and who[1:].islower()
                and match.start("who") > 0  # (not the request's first word: "Finance must ...")
            )
            in_lower_case = _NAMED_IN_LOWER_CASE.search(cleaned[: match.start("who")]) is not None
            named = capitalised or (in_lower_case and not _ROLE_LIKE.search(lowered))
            if (
                named
                and lowered not in DEPARTMENTS
                and lowered not in _NOT_ASSIGNEES
                and lowered not in _ROLE_WORDS
                and not lowered.endswith("s")
            ):
                return [lowered]
    return []


#: "approval from alice", "have bob approve": a person written in lower case right after
#: the word that hands them the step, with no article ("from the engineer" is a role)
_NAMED_IN_LOWER_CASE = re.compile(r"\b(?:from|by|ask|have|let)\s+$", re.IGNORECASE)
#: Words that name what someone does or where, not who they are ("from accounting",
#: "have the reviewer ..."): never taken for a name
_ROLE_LIKE = re.compile(
    r"(?:er|or|ist|ant|ent|ian|ee|ing|ive|team|staff|crew|desk|office|board|group|committee|"
    r"dept|department|people|folks|everyone|anybody|nobody|user|customer|client)$"
)


#: Who approves by their role, not their name ("Have Legal approve", "the CFO's sign-off").
_ROLE_WORDS = frozenset(
    """manager lead director supervisor admin administrator owner head cfo ceo cto coo vp
    approver reviewer officer accountant controller legal finance security compliance hr
    boss chief president partner principal editor auditor treasurer secretary someone
    anyone somebody""".split()
)


def timeout_seconds(text: str) -> float | None:
    match = _TIMEOUT.search(text)
    if not match:
        return None
    unit = match.group("unit").lower()[0]
    return float(int(match.group("count")) * UNIT_SECONDS[unit])


def strip_approval_phrase(text: str) -> str:
    """The action left once the approval wording is taken out ("after finance approves")."""
    cleaned = re.sub(
        r"\b(?:after|once|when|until)\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?\w+(?:\s+team)?\s+"
        r"(?:approves?|signs?\s+off|has\s+approved)(?:\s+(?:it|them|this)"
        # ("once finance approves the shipping cost": what they approve, said last)
        r"|\s+(?:the|this|that|their|its|our)\s+[a-z]+(?:\s+[a-z]+){0,2}?(?=\s*(?:[,;.!?]|$)))?",
        " ",
        text,
        flags=re.IGNORECASE,
    )
    # "get a manager to sign off", "have finance approve it", "ask the customer's manager to
    # approve": before "sign off" alone goes
    cleaned = re.sub(
        r"\b(?:ask|have|let|get)\s+(?:the\s+|a\s+|an\s+|our\s+|my\s+|their\s+|your\s+)?"
        r"(?:\w+'s\s+)?"
        rf"(?:(?:two|three|four|five|both|\d+)\s+)?\w+(?:\s+{_UNIT})?\s+"
        r"(?:to\s+)?(?:approve|sign\s+off(?:\s+on)?|authori[sz]e)\b",
        " ",
        cleaned,
        flags=re.IGNORECASE,
    )
    # "ask my manager for approval", "ask legal for their sign-off": who is asked, and what
    cleaned = re.sub(
        r"\b(?:ask|request)\s+(?:the\s+|a\s+|an\s+|our\s+|my\s+|their\s+|your\s+)?"
        r"(?:\w+'s\s+)?\w+(?:\s+team)?\s+for\s+(?:their\s+|his\s+|her\s+|an?\s+)?"
        r"(?:approval|sign[- ]?off|authori[sz]ation|ok|go-?ahead)\b",
        " ",
        cleaned,
        flags=re.IGNORECASE,
    )
    cleaned = re.sub(
        rf"{_SENT_FOR_APPROVAL_TO}[a-z]+(?:\s+(?:{_UNIT}|leads?))?{_FOR_APPROVAL}",
        " ",
        cleaned,
        flags=re.IGNORECASE,
    )
    cleaned = re.sub(
        r"\b(?:get|ask\s+for|request|require|requires|needs?|obtain|wait\s+for|with|after|"
        r"pending)?\s*(?:an?\s+|the\s+|my\s+|our\s+|your\s+|their\s+)?(?:\w+(?:'s)?\s+)?"
        r"(?:approval|sign[- ]?off|authori[sz]ation)"
        r"(?:\s+(?:from|by)\s+(?:the\s+|a\s+|an\s+)?\w+(?:\s+team)?)?",
        " ",
        cleaned,
        flags=re.IGNORECASE,
    )
    cleaned = re.sub(r"\b(?:approve|approved|approves)\b", " ", cleaned, flags=re.IGNORECASE)
    cleaned = remove_durations(_TIMEOUT.sub(" ", cleaned))
    cleaned = re.sub(r"^\s*(?:before|then|and|to)\s+", "", cleaned.strip(), flags=re.IGNORECASE)
    return " ".join(cleaned.split())


_LABEL_VERBS = {"titled": "title", "entitled": "title", "headed": "title", "subjected": "subject",
                "called": "name", "named": "name"}  # fmt: skip
_SAYING = re.compile(r"saying|reading|that\s+says", re.IGNORECASE)
#: "a ticket about '...'": the words that say what a quote after them is the topic of
_ABOUT = frozenset({"about", "regarding", "concerning"})
_SAID_TO_YOU = {"their": "your", "theirs": "yours", "they're": "you're", "they": "you",
                "them": "you", "themselves": "yourselves"}  # fmt: skip
_TO_THEM = re.compile(r"\b(?:their|theirs|they're|they|them|themselves)\b", re.IGNORECASE)
#: "text the customer that the refund is on its way": a message step, and what it says.
_TELLS = re.compile(
    r"^\s*(?:(?:just|please|then|and|otherwise|simply)\s+)*"
    r"(?:email|e-mail|text|sms|message|notify|tell|inform|post|ping|remind|alert|let|reply|"
    r"respond|answer|write\s+back|get\s+back)\b",
    re.IGNORECASE,
)
#: ("the team of that category": after a preposition, "that" points at a thing)
_TOLD_THAT = re.compile(
    r"(?<!\bof\s)(?<!\bfor\s)(?<!\bin\s)(?<!\bto\s)(?<!\bon\s)(?<!\bwith\s)(?<!\bat\s)"
    r"\bthat\s+(?P<said>(?!(?:is|was|are|were)\b)[^\"“”]{2,300})$",
    re.I,
)
#: "email ops@x.com to salt the roads", "text +1617... to salt the walkways", "post in #ops
#: to bring umbrellas": what the one it goes to is asked to do, right after them
_TOLD_TO_DO = re.compile(
    r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d\s().-]{6,}\d|#[\w-]+|\b(?:them|him|her))\s+"
    r"(?:(?:asking|telling|reminding)\s+(?:them|him|her)\s+)?to\s+"
    r"(?P<said>(?!(?:the|a|an|my|our|their|his|her|its|me|us|them|him|it|this|that|say|tell|"
    r"let|inform|ask|know)\b)[a-z][a-z'-]*\s[^\"“”@#]{2,200})$",
    re.IGNORECASE,
)
#: "reply to ticket 42 asking whether the customer tried restarting": what the message asks
_ASKING_WHETHER = re.compile(
    r"\basking\s+(?:(?:them|him|her|the\s+[a-z]+)\s+)?(?:whether|if)\s+"
    r"(?P<asked>[^\"\u201c\u201d?]{2,300}?)\s*\??$",
    re.IGNORECASE,
)
_SAYING_UNQUOTED = re.compile(
    r"\b(?:saying|that\s+says)\s+(?:that\s+)?(?P<said>[^\"“”]{2,300})$", re.IGNORECASE
)


#: Verbs that lead a step sending a message (its quote, at the end, is what it says).
_MESSAGE_LEADS = frozenset(
    "text sms email e-mail mail message reply respond answer post tell notify send dm ping "
    "slack whatsapp".split()
)


_QUOTE_AT_END = re.compile(
    r"(?:[\"\u201c](?P<said>[^\"\u201d]+)[\"\u201d]|(?<!\w)'(?P<single>[^']+)')\W*$"
)
#: "if nobody approves within 2 days, ...", "if they don't answer in 48 hours, ...": the
#: approval before lapsing
_TIMED_OUT_SAID = re.compile(
    r"^\s*(?:and\s+)?if\s+(?:nobody|no\s+one|they|he|she|the\s+\w+|it)\s+(?:(?:does|do)\s*n[o']t\s+|"
    r"has\s*n[o']t\s+|have\s*n[o']t\s+|never\s+)?(?:approves?|approved|responds?|responded|"
    r"answers?|answered|decides?|decided|replies|replied)\b",
    re.IGNORECASE,
)
#: "a summary of this complaint: '...'": the quote is what a step before the message reads
_MADE_OF_THE_QUOTE = re.compile(
    r"\b(?:summary|digest|recap|tldr|translation|sentiment|classification|analysis)\s+of\s+"
    r"(?:this|the|these|that|the\s+following)\b[^\"\u201c':]{0,40}:\s*[\"\u201c']",
    re.IGNORECASE,
)
#: Labels that name the field a quote is for, not the message it is.
_FIELD_LABELS = frozenset(
    "title subject name heading label tag summary description channel campaign list template "
    "category priority status".split()
)


def quoted_values(text: str, action: str = "") -> list[tuple[str | None, str]]:
    """Quoted literals, each with the word before it when that word labels it. `action` is
    the step's words after its condition ("if they exist email them '...'": "email them
    '...'"), whose first word says whether the step sends a message."""
    found: list[tuple[str | None, str]] = []
    labelled_spans = []
    starts = text.find(action) if action and action in text else 0
    step = text[starts:].strip()
    lead = step.split(maxsplit=1)[0].lower() if step else ""
    if lead.endswith("ing") and lead[:-3] in _MESSAGE_LEADS:
        lead = lead[:-3]  # ("... before texting +1555 'Closed today'": the step sends it)
    for match in _LABELLED_QUOTE.finditer(text):
        label = match.group("label").lower()
        label = _LABEL_VERBS.get(label, label)  # "a ticket titled 'Refund request'"
        if (
            _SAYING.match(match.group("joiner") or "")
            or _SAYING.fullmatch(label)
            or (label == lead and not text[starts : match.start()].strip())
            or (label == text.split(maxsplit=1)[0].lower() and not text[: match.start()].strip())
            # ('if it\'s delivered post "Arriving today"': a message verb right before it)
            or (label in _MESSAGE_LEADS and label not in _FIELD_LABELS)
            # ("text her 'welcome' at +1 415 ...": said to whom the message goes)
            or (label in ("them", "him", "her", "me", "us") and lead in _MESSAGE_LEADS)
            # ('open a ticket about "printer on floor 3 is jammed"': what it is about, as
            # written, is what it says)
            or label in _ABOUT
        ):
            # "email the customer saying '...'", 'post "Deploy finished" to #ops': what
            # the message says
            label = "message"
        group = "value" if match.group("value") is not None else "single"
        found.append((label, match.group(group)))
        labelled_spans.append(match.span(group))
    for match in _QUOTED.finditer(text):
        index = 1 if match.group(1) is not None else 2
        if not any(start <= match.start(index) < end for start, end in labelled_spans):
            found.append((None, match.group(index)))
    last = _QUOTE_AT_END.search(text.strip())
    if (
        last is not None
        and lead in _MESSAGE_LEADS
        and not any(label == "message" for label, _ in found)
        # ('email them a summary of this complaint: "..."': what is summarised, not said)
        and not _MADE_OF_THE_QUOTE.search(text)
    ):
        # 'text that number "We could not find you"', 'reply "Thanks for waiting"': a
        # message step that ends on a quote says it (unless a field's name labels it)
        for at, (label, value) in enumerate(found):
            said = last.group("said") or last.group("single")
            if value == said and (label is None or label not in _FIELD_LABELS):
                found[at] = ("message", value)
    if not any(label == "message" for label, _ in found):
        said = _SAYING_UNQUOTED.search(text)
        if said is None and _TELLS.match(text):
            said = _TOLD_THAT.search(text) or _TOLD_TO_DO.search(text)
        asked = _ASKING_WHETHER.search(text) if said is None and _TELLS.match(text) else None
        if said is not None:
            # "post to #general saying hello": the words after it, to the end, as said to
            # the one it goes to ("saying their order shipped": "Your order shipped")
            found.append(("message", said_to_them(said.group("said"), text)))
        elif asked is not None:
            # "reply ... asking whether they tried restarting": the question, put to them
            question = said_to_them(asked.group("asked"), text)
            question = question[:1].lower() + question[1:]
            found.append(("message", f"Could you let us know whether {question}?"))
    return found


#: "saying their plan name", "saying what plan they are on": a value of theirs named, no
#: sentence (a word that is a verb's, as in "their order shipped", makes it one)
_THEIR_VALUE_SAID = re.compile(
    r"^(?:(?:their|his|her)\s+(?P<what>[a-z]+(?:\s+[a-z]+){0,2})"
    r"|what\s+(?P<asked>[a-z]+(?:\s+[a-z]+)?)\s+(?:they|he|she)\s+(?:are|is|have|has|were|was)"
    r"(?:\s+(?:on|in|at|with|for))?)$",
    re.IGNORECASE,
)
_SENTENCE_WORDS = frozenset(
    "is are was were be been has have had will would can could should shall may might "
    "must do does did not no".split()
)


def _saying_what(match: re.Match[str]) -> str:
    """ "saying we'll get back to them": the words, quoted as said to the reader; "saying
    their plan name": their value (the message carries it, not the words)."""
    said = match["said"].strip()
    theirs = _THEIR_VALUE_SAID.match(said)
    if theirs is not None:
        what = theirs["what"] or theirs["asked"]
        words = what.lower().split()
        if not (set(words) & _SENTENCE_WORDS or any(w.endswith("ed") for w in words)):
            return f"with their {what}"
    return f'saying "{said_to_them(said, _step_around(match))}"'


def said_to_them(words: str, request: str = "") -> str:
    """What a message says, as said to the one it goes to: "their order shipped" ->
    "Your order shipped"; a post to a chat channel (in `request`) speaks of them as said
    ("post in #sales that we have a lead from their company")."""
    said = words.strip().rstrip(".!")
    before = request.split(said[:24], 1)[0] if said else request
    sent = list(re.finditer(r"\b(?:e-?mail|text|message|tell|notify|ping)\b", before, re.I))
    if not _TO_A_CHANNEL.search(request) and not _TO_SOMEONE_ELSE.search(
        before[sent[-1].start() :] if sent else before
    ):
        said = _TO_THEM.sub(lambda m: _SAID_TO_YOU[m.group(0).lower()], said)
    return said[:1].upper() + said[1:]


def _step_around(match: re.Match[str]) -> str:
    """The words of the step (from the last clause break to the next) a match is in."""
    text = match.string
    # (a stop inside an address, "intake@firm.com", ends no step)
    start = max(text.rfind(mark, 0, match.start()) for mark in (". ", ";", "\n", ", then", " and "))
    ends = [at for mark in (". ", ";", "\n") if (at := text.find(mark, match.end())) >= 0]
    return text[max(start, 0) : min(ends, default=len(text))]


#: "email intake@firm.com saying we can't take them": a message to an address written
#: before what it says, with no "them" (or "him", "her") it goes to, speaks of them to
#: someone else ("We can't take you" was sent to the intake desk)
_TO_SOMEONE_ELSE = re.compile(
    r"^(?!.*\b(?:them|him|her|they|the\s+(?:customer|client|user|applicant))\b)"
    # (a desk's address, not a person's: "jo@x.io saying their refund ..." is to them)
    r".*\b(?:intake|ops|operations|sales|support|help|helpdesk|team|info|billing|accounts?|"
    r"finance|hr|legal|admin|office|dispatch|frontdesk|reception|security|it|alerts|contact|"
    r"managers?|director|transport|safety|compliance|warehouse|logistics|shipping|orders|desk|"
    r"staff|board|dev|engineering|marketing|events|bookings|reservations|partners|underwriting|"
    r"claims|agents?)@[\w-]+\.[\w.-]+",
    re.IGNORECASE | re.DOTALL,
)
#: A chat channel a message goes to: the people it speaks of are not its readers.
_TO_A_CHANNEL = re.compile(r"(?<![\w&#])#[A-Za-z][\w-]*|\b(?:slack|discord|teams)\b")


def description_verbs(descriptions: Iterable[str]) -> set[str]:
    """The verb a tool's description starts with when it says what the tool does ("Trigger
    a PagerDuty incident ...", "Book a courier ..."): a step may start with it too. A
    description that starts with a noun ("Current weather for a city") gives none."""
    verbs: set[str] = set()
    for description in descriptions:
        listed = _VERBS_LISTED.match(description)
        if listed is not None and listed.group(1).lower() not in _NOT_VERBS:
            # "Approve, reject or mark a return request ...": each verb of the list
            verbs.update(
                w.lower()
                for w in re.findall(r"[A-Za-z]+", listed.group(0))
                if w.lower() not in ("or", "and")
            )
        words = description.split()[:2]
        if (
            len(words) == 2
            and words[0].isalpha()
            and words[1].lower() in _OBJECT_LEADS
            and words[0].lower() not in _NOT_VERBS
        ):
            verbs.add(words[0].lower())
    return verbs


#: "approve it", "approve the return", "approve return RMA-2": the verb, said of a thing.
_APPROVE_A_THING = re.compile(
    r"\bapprove\s+(?:it|them|this|that|(?:the|this|that|their|its)\s+[a-z]+|[a-z]+\s+[A-Z0-9][\w-]*\d)\b"
)
#: "Approve, reject or mark a ...": verbs listed before the description's object.
_VERBS_LISTED = re.compile(
    r"^([A-Za-z]+)(?:,\s+[a-z]+)+,?\s+(?:or|and)\s+[a-z]+(?=\s+(?:a|an|the|one|each)\b)"
)
#: What follows a verb at the start of a description ("Trigger a ...", "Tell whether ...").
_OBJECT_LEADS = frozenset("a an the one whether that up each every any all".split())
#: First words of a description that are no verb ("The exchange rate", "All orders of").
_NOT_VERBS = frozenset("the a an all each every any one this that what which".split())


def verbs_of(identifiers: Iterable[str]) -> set[str]:
    """The leading word of each tool id/name: tool-specific verbs such as 'geocode'."""
    verbs = set()
    for identifier in identifiers:
        words = split_identifier(identifier)
        if len(words) > 1:
            verbs.add(words[0])
    return verbs
