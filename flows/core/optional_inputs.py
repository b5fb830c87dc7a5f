"""Reads of run inputs that may be left out.

A run input field that is neither required nor given a `default` is simply absent when the
person starting the run leaves it empty, and CEL fails on a missing key (`no such key`).
A flow that reads one directly runs only while someone fills it in: worth a warning, not an
error (the flow may always be started with it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from flows.core.expressions import without_strings
from flows.core.graph import expression_sites
from flows.core.ir import Flow
from flows.core.validate import ValidationIssue

_INPUT_FIELD = re.compile(r"(?<![\w.])input\.([A-Za-z_]\w*)")


def optional_input_warnings(flow: Flow) -> Iterator[ValidationIssue]:
    """One warning for each node field that reads an optional input without `has()`."""
    schema = flow.input_schema if isinstance(flow.input_schema, dict) else {}
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    required = set(schema.get("required") or [])
    optional = {
        name for name, sub in properties.items()
        if name not in required and not (isinstance(sub, dict) and "default" in sub)
    }
    if not optional:
        return
    for node in flow.nodes:
        sites = list(expression_sites(node))
        guard = next((site.source for site in sites if site.field == "when"), "")
        for site in sites:
            code = without_strings(site.source)
            for name in dict.fromkeys(_INPUT_FIELD.findall(code)):
                guarded = f"has(input.{name})"
                if name not in optional or guarded in code or guarded in guard:
                    continue
                yield ValidationIssue(
                    code="optional_input",
                    message=f"Node `{node.id}` field `{site.field}` reads `input.{name}`, "
                    "which the run input may leave out (it is not required and has no "
                    "default): a run started without it fails here.",
                    node=node.id,
                    field=site.field,
                    hint=f"Make `{name}` required, give it a `default` in the input schema, "
                    f"or guard the read: `has(input.{name}) ? input.{name} : \"\"`.",
                )
