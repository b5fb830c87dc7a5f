"""A question of how much that no step answers with a number.

"How much does an extra checked bag cost on a flight to Lisbon?" over a baggage desk's
tools mapped to tracing a bag (the words "checked bag" are its description's); the trace
tells a status and a station, no amount. A request that asks "how much" is refused when no
tool of its plan returns a number anywhere in its result.

"What would it cost to ship order A-1 to Denver?" mapped to an order validation, which
returns the order's subtotal, not what shipping it costs: a question of what doing
something costs ("what would it cost to ship", "how much to insure") is answered only by a
tool that does that thing (its verb is in its id, name or description) and returns a
price, a cost, a fee, a rate or a total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flows.core.planner.base import PlanningError
from flows.core.tools import ToolSpec

#: "how much does ... cost", "how much is ...", "how much would we owe": an amount asked.
_HOW_MUCH = re.compile(r"\bhow\s+much\b", re.IGNORECASE)
#: "what would it cost to ship ...", "how much will it cost to insure ...", "what's the cost
#: to repair ...", "how much to ship ...": the cost of doing something, by its verb
_COST_OF_DOING = re.compile(
    r"\b(?:what\s+(?:would|will|does|did|do|might)\s+(?:it|we|they|i)\s+(?:cost|pay|be\s+charged)|"
    r"how\s+much(?:\s+(?:would|will|does|did|do|might)\s+(?:it|we|they|i)\s+"
    r"(?:cost|pay|be\s+charged)|\s+is\s+it)?|what(?:'s|\s+is)\s+the\s+(?:cost|price|fee))"
    r"\s+(?:to|for)\s+(?P<verb>[a-z]{3,})\b",
    re.IGNORECASE,
)
#: A result's field that is what something costs.
_PRICE_FIELD = re.compile(r"cost|price|fee|rate|total|amount|charge|quote", re.IGNORECASE)


def refuse_an_amount_no_step_tells(request: str, planned: Iterable[ToolSpec]) -> None:
    """Refuse `request` when it asks how much and none of the `planned` tools returns a
    number."""
    if _HOW_MUCH.search(request) is None:
        return
    tools = list(planned)
    if not tools or any(_has_a_number(spec.output_schema) for spec in tools):
        return
    raise PlanningError(
        "unmapped_step",
        "Could not plan the request: it asks how much, and no tool it maps to returns an "
        f"amount ({', '.join(dict.fromkeys(spec.id for spec in tools))} tell none). Register "
        "a tool that does it, or leave the question out.",
        details={"reason": "no_amount_told"},
    )


def refuse_a_cost_no_step_prices(request: str, planned: Iterable[ToolSpec]) -> None:
    """Refuse `request` when it asks what doing something costs and no `planned` tool both
    does that (its verb is the tool's) and returns a price for it."""
    asked = _COST_OF_DOING.search(request)
    if asked is None:
        return
    verb = asked["verb"].lower()
    stem = verb[:-1] if verb.endswith("e") else verb
    for spec in planned:
        words = f"{spec.id} {spec.name} {spec.description}".lower().replace("_", " ")
        if re.search(rf"\b{re.escape(stem)}", words) and _prices(spec.output_schema):
            return
    raise PlanningError(
        "unmapped_step",
        f"Could not plan the request: it asks what it would cost to {verb}, and no tool it "
        f"maps to does that and returns a price ({verb!r} is not what any of them prices). "
        "Register a tool that does it, or leave the question out.",
        details={"reason": "no_price_told", "verb": verb},
    )


def _prices(schema: Any, depth: int = 0) -> bool:
    """Whether a result has a number named for what something costs."""
    if not isinstance(schema, dict) or depth > 6:
        return False
    for name, part in (schema.get("properties") or {}).items():
        if _PRICE_FIELD.search(name) and _has_a_number(part):
            return True
        if _prices(part, depth + 1):
            return True
    return _prices(schema.get("items"), depth + 1)


def _has_a_number(schema: Any, depth: int = 0) -> bool:
    if not isinstance(schema, dict) or depth > 6:
        return False
    declared = schema.get("type")
    types = set(declared) if isinstance(declared, list) else {declared}
    if types & {"number", "integer"}:
        return True
    nested = [*(schema.get("properties") or {}).values(), schema.get("items")]
    for combiner in ("anyOf", "oneOf", "allOf"):
        nested.extend(schema.get(combiner) or ())
    return any(_has_a_number(part, depth + 1) for part in nested)
