"""Requests that name only a well-known goal ("Process order", "Handle a customer
complaint", "Onboard a new user"): the steps such a goal takes, written out as a person
would say them, when the catalogue has a tool for each. A request that says its own steps
is left as it is, and so is one over a catalogue without the tools (it is then planned, or
refused, as written).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flows.core.planner.lexicon import split_identifier, stem
from flows.core.tools import ToolSpec

#: Words before the thing a goal is about ("a new order", "the incoming customer's ...").
_BEFORE_THE_THING = (
    r"(?:(?:an?|the|this|each|every|new|incoming|online|customer(?:'s)?|customers'|my|our|"
    r"his|her|their|your)\s+)*"
)
#: "Process order 5", "handle order #A-12": the one thing the goal is about, by its code.
_CODE = r"(?:\s+(?:no\.?\s*|number\s+|#)?(?P<code>[A-Za-z]*[-#]?\d[\w-]*))?"
#: "... with fraud detection": one more step, said after the goal.
_EXTRA = r"(?:\s+(?:with|including|plus)\s+(?P<extra>[a-z][a-z -]{2,40}?))?\s*[.!]?\s*$"


@dataclass(frozen=True)
class _Goal:
    #: the whole request, naming the goal
    said: re.Pattern[str]
    #: each step as written out, with the words a tool's id or name must have to do it
    #: (any one set of them)
    steps: tuple[tuple[str, tuple[frozenset[str], ...]], ...]
    #: the thing the goal is about, as its steps say it ("the order"), when `said` reads
    #: its code ("Process order 5": "Validate order 5.")
    thing: str = ""


_GOALS = (
    _Goal(
        re.compile(
            r"^\W*(?:please\s+)?(?:process|handle|fulfil+|complete|take\s+care\s+of)\s+"
            rf"{_BEFORE_THE_THING}orders?\b{_CODE}{_EXTRA}",
            re.IGNORECASE,
        ),
        (
            ("Validate the order.", (frozenset({"validate", "order"}),)),
            (
                "If it's valid, check the inventory.",
                (frozenset({"inventory"}), frozenset({"stock"})),
            ),
            (
                "If everything is in stock, process the payment,",
                (frozenset({"payment"}), frozenset({"charge"})),
            ),
            ("then create the shipment.", (frozenset({"shipment"}), frozenset({"ship"}))),
        ),
        thing="order",
    ),
    _Goal(
        re.compile(
            r"^\W*(?:please\s+)?(?:handle|triage|process|deal\s+with|respond\s+to|take\s+care\s+of)"
            rf"\s+{_BEFORE_THE_THING}(?:support\s+)?(?:complaints?|tickets?|requests?|messages?|"
            rf"e-?mails?|enquir(?:y|ies)|inquir(?:y|ies)|issues?){_EXTRA}",
            re.IGNORECASE,
        ),
        (
            ("Classify the message,", (frozenset({"classify"}),)),
            (
                "then create a ticket with its category and priority.",
                (frozenset({"create", "ticket"}), frozenset({"open", "ticket"})),
            ),
        ),
    ),
    _Goal(
        re.compile(
            r"^\W*(?:please\s+)?(?:onboard|welcome|sign\s+up|register)\s+"
            rf"{_BEFORE_THE_THING}(?:users?|customers?|signups?|sign-ups?|members?|subscribers?|"
            rf"employees?|hires?|starters?){_EXTRA}",
            re.IGNORECASE,
        ),
        (
            ("Validate the email.", (frozenset({"validate", "email"}),)),
            ("If it's valid, send the welcome email.", (frozenset({"welcome"}),)),
        ),
    ),
)


def written_out_goal(prompt: str, tools: Iterable[ToolSpec]) -> str:
    """`prompt`, or the steps of the goal it names when it names nothing else."""
    for goal in _GOALS:
        said = goal.said.match(prompt)
        if said is not None and _a_tool_does_it(said.group(0), goal.thing, tools):
            return prompt
        if said is not None:
            steps = _steps(goal, said.group("extra"), list(tools))
            code = said.groupdict().get("code")
            if steps and code and goal.thing:
                # "Process order 5": the goal's thing is that one ("Validate order 5.")
                steps = steps.replace(f"the {goal.thing}", f"{goal.thing} {code}", 1)
            return steps or prompt
    return prompt


def _a_tool_does_it(said: str, thing: str, tools: Iterable[ToolSpec]) -> bool:
    """Whether one tool is named for the goal's verb and its thing ("fulfil order 1201"
    with a tool named "Fulfil order"): that tool does it, no written-out goal."""
    verb = re.sub(r"^\W*(?:please\s+)?", "", said.lower()).split()[:1]
    if not thing or not verb or len(verb[0]) < 5:
        return False
    start = verb[0][:5]
    for spec in tools:
        words = split_identifier(f"{spec.id} {spec.name}")
        if thing in words and any(w.startswith(start) for w in words):
            return True
    return False


def _steps(goal: _Goal, extra: str | None, tools: list[ToolSpec]) -> str | None:
    """The goal's steps written out, or None when a step has no tool to do it."""
    offered = [{stem(w) for w in split_identifier(f"{spec.id} {spec.name}")} for spec in tools]
    for _, ways in goal.steps:
        if not any({stem(w) for w in way} <= words for way in ways for words in offered):
            return None
    steps = [text for text, _ in goal.steps]
    if extra:
        # "with fraud detection": a step of its own after the first (refused by name when
        # no tool does it)
        first = steps[0].rstrip(".,")
        steps[0] = f"{first} and run {extra.strip()} on it{steps[0][len(first) :]}"
    return " ".join(steps)
