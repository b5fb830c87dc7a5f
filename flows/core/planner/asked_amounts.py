"""A question of how much that no step answers with a number.

"How much does an extra checked bag cost on a flight to Lisbon?" over a baggage desk's
tools mapped to tracing a bag (the words "checked bag" are its description's); the trace
tells a status and a station, no amount. A request that asks "how much" is refused when no
tool of its plan returns a number anywhere in its result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flows.core.planner.base import PlanningError
from flows.core.tools import ToolSpec

#: "how much does ... cost", "how much is ...", "how much would we owe": an amount asked.
_HOW_MUCH = re.compile(r"\bhow\s+much\b", re.IGNORECASE)


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
