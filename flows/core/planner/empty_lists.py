"""A message made of a list's lines is sent only when the list has lines.

"Validate order 77 and email the errors to the customer": the email's body is the
validation's errors, one a line. A valid order has none, and the body would be empty (a
required text, which the tool refuses; or a blank email). The step is guarded by a branch
on the list having items, as "if there are errors, email them" would be.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from flows.core.tools import ToolSpec

#: A whole value that is one list's items joined by line breaks (and nothing else).
_JOINED_LINES = re.compile(r'(?P<list>[a-z_][\w.]*(?:\.(?:map|filter)\(.*\))*)\.join\("(?:\\n)+"\)')
#: The list read is a field of a step's result: `validate_order.errors`.
_A_RESULT_FIELD = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")


def guard_messages_on_their_lists(
    nodes: list[dict[str, Any]],
    specs: Mapping[str, ToolSpec],
    unique_id: Callable[[str], str],
) -> None:
    """Put each unconditional step whose required text is a list of a step before it,
    joined, under a branch that runs it only when that list has items."""
    in_arms = {
        node_id
        for node in nodes
        if node.get("type") == "branch"
        for node_id in [*node.get("then", []), *node.get("else", [])]
    }
    for at in range(len(nodes) - 1, -1, -1):
        node = nodes[at]
        spec = specs.get(str(node.get("tool", "")))
        if node.get("type") != "tool" or spec is None or node["id"] in in_arms:
            continue
        listed = _joined_list(node, spec)
        if listed is None:
            continue
        root = listed.split(".", 1)[0]
        if root == "input" or not any(other.get("id") == root for other in nodes[:at]):
            continue
        field = listed.split("(", 1)[0].split(".")[1]
        branch_id = unique_id(f"if_any_{field}")
        nodes.insert(
            at,
            {
                "id": branch_id,
                "type": "branch",
                "title": f"If there are any {' '.join(field.split('_'))}",
                "condition": f"size({listed}) > 0",
                "then": [node["id"]],
                "else": [],
            },
        )
        node["after"] = list(dict.fromkeys([*node.get("after", []), branch_id]))


def _joined_list(node: dict[str, Any], spec: ToolSpec) -> str | None:
    """The list whose lines are the whole of a text the tool needs."""
    properties = spec.input_properties()
    required = set(spec.input_schema.get("required") or ())
    for name, value in (node.get("inputs") or {}).items():
        schema = properties.get(name)
        if name not in required or not isinstance(schema, dict) or schema.get("type") != "string":
            continue
        joined = _JOINED_LINES.fullmatch(str(value))
        if joined is not None and _A_RESULT_FIELD.match(joined["list"]):
            return joined["list"]
    return None
