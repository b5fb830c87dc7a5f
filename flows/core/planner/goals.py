"""Requests that name only a well-known goal ("Process order", "fulfil the customer's
order"): the steps such a goal takes, written out as a person would say them, when the
catalogue has a tool for each. A request that says its own steps is left as it is, and so
is one over a catalogue without the tools (it is then planned, or refused, as written).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flows.core.planner.lexicon import split_identifier, stem
from flows.core.tools import ToolSpec

#: "Process order", "please fulfil the incoming customer orders", "handle a new order
#: with fraud detection": the whole request is the goal (and, after "with", one more step).
_ORDER_GOAL = re.compile(
    r"^\W*(?:please\s+)?(?:process|handle|fulfil+|complete|take\s+care\s+of)\s+"
    r"(?:(?:an?|the|this|each|every|new|incoming|online|customer(?:'s)?|customers')\s+)*"
    r"orders?\b(?:\s+(?:with|including|plus)\s+(?P<extra>[a-z][a-z -]{2,40}?))?"
    r"\s*[.!]?\s*$",
    re.IGNORECASE,
)

#: The steps of an order, each with the words a tool's id or name must have to do it.
_ORDER_STEPS: tuple[tuple[str, tuple[frozenset[str], ...]], ...] = (
    ("Validate the order.", (frozenset({"validate", "order"}),)),
    ("If it's valid, check the inventory.", (frozenset({"inventory"}), frozenset({"stock"}))),
    (
        "If everything is in stock, process the payment,",
        (frozenset({"payment"}), frozenset({"charge"})),
    ),
    ("then create the shipment.", (frozenset({"shipment"}), frozenset({"ship"}))),
)


def written_out_goal(prompt: str, tools: Iterable[ToolSpec]) -> str:
    """`prompt`, or the steps of the goal it names when it names nothing else."""
    goal = _ORDER_GOAL.match(prompt)
    if goal is None:
        return prompt
    offered = [{stem(w) for w in split_identifier(f"{spec.id} {spec.name}")} for spec in tools]
    for _, ways in _ORDER_STEPS:
        if not any({stem(w) for w in way} <= words for way in ways for words in offered):
            return prompt  # a step no tool does: the request is planned as written
    steps = [text for text, _ in _ORDER_STEPS]
    extra = goal.group("extra")
    if extra:
        # "with fraud detection": a step of its own, after the order is known to be valid
        # (refused by name when no tool does it)
        steps[0] = f"Validate the order and run {extra.strip()} on it."
    return " ".join(steps)
