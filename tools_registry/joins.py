"""Checking a registry join before it is saved: each mapping compiles, reads only `source`,
targets an input of the receiving tool, and (where the type can be inferred) fits it."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from flows.core.expressions import ExpressionError, compile_expression
from flows.core.validate import validate_flow

if TYPE_CHECKING:
    from tools_registry.models import Tool

_CEL_TYPE_NAMES = frozenset(
    {"int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn"}
)


def join_problems(from_tool: Tool, to_tool: Tool, mapping: Any) -> list[str]:
    """Every problem with `mapping` (target input field -> CEL over `source`), in words."""
    if not isinstance(mapping, dict) or not mapping:
        return ['Give the mapping as a JSON object of target field -> CEL, e.g. '
                '{"email": "source.email"}.']
    problems: list[str] = []
    properties = to_tool.input_schema.get("properties", {}) if isinstance(
        to_tool.input_schema, dict
    ) else {}
    for target, source in mapping.items():
        # The target first, and on its own: a misspelt target beside a broken expression is
        # said at the same save, not after the expression is fixed.
        if target not in properties:
            close = difflib.get_close_matches(target, list(properties), n=1)
            known = ", ".join(sorted(properties)) or "none"
            hint = f" Did you mean `{close[0]}`?" if close else f" Its inputs: {known}."
            problems.append(f"`{target}` is not an input of `{to_tool.id}`.{hint}")
        if not isinstance(source, str) or not source.strip():
            problems.append(f"`{target}`: give a CEL expression as a string, e.g. \"source.id\".")
            continue
        try:
            compiled = compile_expression(source)
        except ExpressionError as exc:
            problems.append(f"`{target}`: `{source}` does not compile: {exc.message}"
                            + (f" (column {exc.column})" if exc.column else "") + ".")
            continue
        strays = sorted(set(compiled.variables) - {"source"} - _CEL_TYPE_NAMES)
        if strays:
            problems.append(
                f"`{target}`: `{source}` reads {', '.join(strays)}; a join mapping can only read "
                f"`source`, the output of `{from_tool.id}` (e.g. `source.id`)."
            )
    if problems:
        return problems
    return _type_problems(from_tool, to_tool, mapping)


def _type_problems(from_tool: Tool, to_tool: Tool, mapping: dict[str, str]) -> list[str]:
    """The IR validator's type check of the same join, declared in a one-node flow."""
    from tools_registry.catalog import spec_from_row

    probe = {
        "name": "join check",
        "nodes": [{"id": "probe", "type": "value", "value": "true"}],
        "joins": [{"from_tool": from_tool.id, "to_tool": to_tool.id, "mapping": mapping}],
    }
    specs = [spec_from_row(from_tool)]
    if to_tool.id != from_tool.id:
        specs.append(spec_from_row(to_tool))
    issues = validate_flow(probe, specs)
    return [
        issue.message + (f" {issue.hint}" if issue.hint else "")
        for issue in issues
        if (issue.field or "").startswith("joins[0]")
    ]
