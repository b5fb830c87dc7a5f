"""A planned flow's name: a short title made of the verbs of its steps and what the first
one acts on ("Summarize and email articles"), the whole request staying in the description."""

from __future__ import annotations

import re
from collections.abc import Sequence

from flows.core.planner.phrasing import COMMON_VERBS

#: Words between a verb and its object that say nothing of what the object is.
_DETERMINERS = frozenset(
    "the a an this that these those their his her its our my your each every all any some "
    "both it them me us him one ones new incoming latest".split()
)
#: Words that say how an object is, not what it is ("a high priority ticket": a ticket).
_QUALITIES = frozenset(
    "high low medium urgent normal critical quick short brief detailed full simple nice "
    "friendly polite personal personalised personalized formal big small".split()
)
#: Words that end an object ("the page at https://...", "the order for the customer").
_OBJECT_ENDS = frozenset(
    "at to for with from in on by and or if when once unless then about as of into via "
    "using but so than after before while until is are was were be has have titled called behind "
    "named saying which who whose where what how whether".split()
)
#: Who does something in a clause after the verb ("check that we have it"): no object.
_SUBJECTS = frozenset(
    "we i you they he she they're we're you're he's she's it's i'm there's".split()
)
#: "make sure it is valid", "make certain": a check, named as one.
_CHECK_PHRASES = {("make", "sure"): "check", ("make", "certain"): "check"}
#: Words before a step's verb that are not it.
_LEADS = frozenset("do these those please then also just now first and so kindly only".split())
#: "Please could you set up a flow: ...", "can you build a workflow that ...": how the
#: request is asked, not a step.
_REQUEST_LEAD = re.compile(
    r"^\W*(?:please\s+)?(?:(?:could|can|would|will)\s+(?:you|u)\s+(?:please\s+)?)?"
    r"(?:(?:set\s+up|create|build|make|write)\s+(?:me\s+)?(?:a|an)\s+(?:flow|workflow|"
    r"automation|pipeline)\b\s*(?:that|which|to|:)?\s*)?",
    re.IGNORECASE,
)
#: "set up a meeting", "look up the user": the verb's particle is part of it.
_PARTICLES = frozenset("up out off down over back".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
#: Links, addresses, quoted text and codes ("ABC-1", "order 42") name no object a title needs.
_NOT_WORDS = re.compile(r"\S+://\S+|\S+@\S+|\"[^\"]*\"|'[^']*'(?!\w)|[\w-]*\d[\w-]*")
_MAX_LENGTH = 60


def flow_title(actions: Sequence[str], *, approvals: Sequence[bool] = ()) -> str | None:
    """The title for a flow whose steps were asked for by `actions` (in order; an approval
    step counts as "approve"), or None when no step starts with a verb."""
    verbs: list[str] = []
    objects: list[str] = []
    looped = ""
    for at, action in enumerate(actions):
        words = _WORD.findall(_NOT_WORDS.sub(" ", _REQUEST_LEAD.sub("", action)))
        if not words:
            continue
        approval = at < len(approvals) and approvals[at]
        while len(words) > 1 and words[0].lower() in _LEADS:
            words = words[1:]  # "Do these in parallel: analyze ...", "please email ..."
        words, items = _after_each(words)
        looped = looped or items  # "for each order ...": what the steps act on
        if not words:
            continue
        if not approval and words[0].lower() in _DETERMINERS | _QUALITIES:
            continue  # "New signup comes in with ...": what starts the run, not a step
        verb = "approve" if approval else _base_form(words[0].lower())
        rest = words[1:]
        if not approval and rest and (verb, rest[0].lower()) in _CHECK_PHRASES:
            verb, rest = _CHECK_PHRASES[verb, rest[0].lower()], rest[1:]
        elif not approval and rest and rest[0].lower() in _PARTICLES:
            verb, rest = f"{verb} {rest[0].lower()}", rest[1:]  # "set up", "look up"
        elif (
            not approval
            and len(rest) > 1
            and rest[0].lower() in {"it", "them", "him", "her", "this", "that"}
            and rest[1].lower() in _PARTICLES
        ):
            verb, rest = f"{verb} {rest[1].lower()}", rest[2:]  # "look them up"
        if verb not in verbs:
            verbs.append(verb)
            objects.append("" if approval else _object(rest))
    if not verbs:
        return None
    if looped and not any(objects):
        objects[0] = looped
    if len(verbs) <= 2 and all(objects):
        title = " and ".join(f"{verb} {noun}" for verb, noun in zip(verbs, objects, strict=True))
        if len(title) <= _MAX_LENGTH:
            return _capitalised(title)
    shown = verbs[:4]
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    noun = next((noun for noun in objects if noun), "")
    title = f"{listed} {noun}".strip()
    if len(title) > _MAX_LENGTH:
        title = listed[:_MAX_LENGTH].rsplit(" ", 1)[0]
    return _capitalised(title)


def _after_each(words: list[str]) -> tuple[list[str], str]:
    """ "for each order that comes in, validate it" -> ("validate it", "order"), "who signed
    up today send the welcome email" -> ("send the welcome email", ""): what a loop says of
    its items is not a step (the words from the first verb after it on; none when no verb
    follows), and the items it names."""
    items = ""
    if len(words) >= 2 and words[0].lower() == "for" and words[1].lower() in _EACH_WORDS:
        start, items = 3, (words[2].lower() if len(words) > 2 else "")
    elif words and words[0].lower() in _RELATIVES:
        start = 1
    else:
        return words, items
    for at in range(start, len(words)):
        if words[at].lower() in COMMON_VERBS and words[at - 1].lower() not in _RELATIVES:
            return words[at:], items
    return [], items


_EACH_WORDS = frozenset({"each", "every", "all", "any"})
_RELATIVES = frozenset({"who", "that", "which", "whose"})


def _base_form(verb: str) -> str:
    """ "creating the shipment" (said after "before"): the verb a title uses, "create"."""
    if not verb.endswith("ing") or len(verb) < 6:
        return verb
    root = verb[:-3]
    doubled = root[:-1] if len(root) > 2 and root[-1] == root[-2] else root
    return next((c for c in (doubled, root, f"{root}e") if c in COMMON_VERBS), verb)


def _object(words: Sequence[str]) -> str:
    """The first words after the verb that name what it acts on ("the welcome email" ->
    "welcome email"), at most two."""
    kept: list[str] = []
    for word in words:
        lowered = word.lower()
        if lowered == "of" and not kept:
            continue  # "each of our status pages": the pages
        if lowered in _OBJECT_ENDS or lowered in _SUBJECTS:
            break  # ("check that we have the stock": a clause, no object)
        if lowered in _DETERMINERS or lowered.endswith(("'s", "s'")) or lowered in _QUALITIES:
            if kept:
                break
            continue
        kept.append(word if word.isupper() and len(word) > 1 else lowered)  # ("VAT")
        if len(kept) == 2:
            break
    return " ".join(kept)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
