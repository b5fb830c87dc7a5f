"""What an LLM planner says to the model: the IR and CEL in brief, a compact catalogue, the
request, and — on a repair — the validator's errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from flows.core.ir import Flow, Join, ir_json_schema
from flows.core.tools import ToolSpec

IR_GUIDE = """\
You are the planner of DynamicFlow. You turn a request into a workflow: one JSON document in
the DynamicFlow IR, version "1.0". A deterministic engine runs it later, without you.

The document: {"ir_version": "1.0", "name": str, "description": str,
 "input_schema": JSON Schema of the run input (type object; list every input field you read,
   and put each in "required" or give it a "default": a missing field fails the run),
 "nodes": [...], "max_steps": 100}

Node types (every node has "id" (snake_case, unique), "type", optional "title",
"after": [ids that must finish first], "when": CEL guard (false -> node skipped)):
- tool:     {"tool": catalogue id, "inputs": {input field: CEL expression}}
- branch:   {"condition": CEL bool, "then": [ids], "else": [ids]}  (the listed nodes run only
            on that arm; they must not be used by nodes outside the arm)
- switch:   {"value": CEL, "cases": {"key": [ids]}, "default": [ids]}
- map:      {"items": CEL list, "tool": id, "inputs": {...may use item and index},
             "concurrency": 4}  -> output: the list of results
- approval: {"instructions": str, "form_schema": JSON Schema, "context": {name: CEL},
             "assignees": {"users": [], "groups": []}, "timeout_s": seconds,
             "on_timeout": "approve|reject|fail|escalate", "escalate_to": group (with
             escalate: who decides when nobody did in time), "on_reject": "skip|continue|fail"}
            -> output {"approved": bool, "data": form data, "comment": str, "by": str,
               "timed_out": bool}
- value / output: {"value": CEL or {name: CEL}} (output nodes form the run's result)
- llm:      {"prompt": "text with {{ CEL }} placeholders", "output_schema": JSON Schema}

Expressions are CEL (Common Expression Language). Root names: `input` (the run input) and the
ids of other nodes (their outputs). Examples: `input.email`, `check_email.valid`,
`size(input.items) > 0`, `order.total >= 500.0`, `"Hello " + input.name`, `!check.valid`.
String literals use double quotes. CEL never converts between types: join text and a number
with `"Total: " + string(order.total)`, and do arithmetic on a JSON number in doubles,
`double(input.amount) * 1.1` (a whole amount arrives as an int, which CEL will not multiply
by 1.1). A reference to a node makes the node run after it; nodes with no dependency between
them run in parallel.

Rules:
- Use only tools from the catalogue, and give every required input.
- An input value must have the type the tool's schema asks for.
- Refer only to fields that exist in the run input schema or in a node's output schema.
- Put an approval node before any step the request says needs approval or sign-off, and
  make that step come after it (reference it or list it in "after").
- A condition on a step's result reads that step's output field (`check.valid`); declare a
  run input field for it only when the request says the value comes with the request.
- Use each tool that changes something (sends, charges, creates) as many times as the
  request asks, no more.
- If a step needs something no tool in the catalogue does (another channel such as SMS, a
  refund when only charging exists), do not substitute a different tool: reply instead with
  one sentence starting "Cannot plan:" that names the step and what is missing.
- Otherwise reply with the JSON document only: no prose, no Markdown.

A short example (tool ids here are illustrative; use the catalogue's):
{"ir_version": "1.0", "name": "Welcome valid users", "description": "...",
 "input_schema": {"type": "object", "properties": {"email": {"type": "string"},
   "name": {"type": "string"}}, "required": ["email", "name"]},
 "nodes": [
  {"id": "check", "type": "tool", "tool": "check_address", "inputs": {"email": "input.email"}},
  {"id": "if_valid", "type": "branch", "condition": "check.valid", "then": ["welcome"]},
  {"id": "welcome", "type": "tool", "tool": "send_note",
   "inputs": {"to": "input.email", "text": "\\"Welcome, \\" + input.name"}}
 ]}
"""

REFINE_GUIDE = """\
You edit an existing DynamicFlow workflow. Reply with one JSON object
{"operations": [...]} listing edit operations, applied in order:
- {"op": "add_node", "node": {a complete IR node}, "before": [ids that must now wait for it]}
- {"op": "remove_node", "id": id}
- {"op": "set_input", "node": id, "field": input field, "expression": CEL or null to remove}
- {"op": "connect", "source": id, "target": id}   (target runs after source)
- {"op": "disconnect", "source": id, "target": id}
- {"op": "rename", "id": id, "new_id": new id}   (references are rewritten)
- {"op": "update_node", "id": id, "changes": {field: new value}}
- {"op": "add_input_field", "name": field, "schema": JSON Schema, "required": bool}
Change only what the instruction asks. Reply with the JSON object only.
"""


def schema_signature(schema: dict[str, Any] | None, *, depth: int = 0) -> str:
    """A JSON Schema as a short type signature: `{email*: string, tags: string[]}`."""
    if not isinstance(schema, dict) or not schema:
        return "any"
    if "enum" in schema:
        return "|".join(json.dumps(value) for value in schema["enum"][:8])
    if "const" in schema:
        return json.dumps(schema["const"])
    for combiner in ("anyOf", "oneOf"):
        if combiner in schema:
            return " | ".join(schema_signature(s, depth=depth) for s in schema[combiner][:4])
    kind = schema.get("type", "object" if "properties" in schema else "any")
    if isinstance(kind, list):
        return "|".join(str(k) for k in kind)
    if kind == "array":
        return f"{schema_signature(schema.get('items'), depth=depth + 1)}[]"
    if kind == "object":
        properties = schema.get("properties") or {}
        if not properties or depth >= 2:
            return "object"
        required = set(schema.get("required", []))
        fields = ", ".join(
            f"{name}{'*' if name in required else ''}: {schema_signature(sub, depth=depth + 1)}"
            for name, sub in properties.items()
        )
        return "{" + fields + "}"
    return str(kind)


def catalog_lines(tools: Sequence[ToolSpec]) -> str:
    lines = []
    for spec in tools:
        note = " [needs approval]" if spec.config.requires_approval else ""
        lines.append(
            f"- {spec.id}: {spec.description.strip()}{note}\n"
            f"    in  {schema_signature(spec.input_schema)}\n"
            f"    out {schema_signature(spec.output_schema)}"
        )
    return "\n".join(lines)


def join_lines(joins: Sequence[Join]) -> str:
    return "\n".join(
        f"- {join.from_tool} -> {join.to_tool}: "
        + ", ".join(f"{k} = {v}" for k, v in join.mapping.items())
        for join in joins
    )


def plan_messages(
    prompt: str, tools: Sequence[ToolSpec], joins: Sequence[Join] = ()
) -> list[dict[str, Any]]:
    user = [
        "Tool catalogue (* marks a required field):",
        catalog_lines(tools),
    ]
    if joins:
        user += [
            "",
            "Declared joins (when two tools are wired without inputs; `source` is the "
            "first tool's output):",
            join_lines(joins),
        ]
    user += ["", "Request:", prompt.strip(), "", "Reply with the IR JSON document."]
    return [
        {"role": "system", "content": IR_GUIDE},
        {"role": "user", "content": "\n".join(user)},
    ]


def refine_messages(
    flow: Flow, instruction: str, tools: Sequence[ToolSpec], joins: Sequence[Join] = ()
) -> list[dict[str, Any]]:
    user = [
        "Tool catalogue (* marks a required field):",
        catalog_lines(tools),
        "",
        "Current workflow:",
        json.dumps(flow.to_json(), indent=1),
        "",
        "Instruction:",
        instruction.strip(),
        "",
        'Reply with {"operations": [...]}.',
    ]
    return [
        {"role": "system", "content": IR_GUIDE + "\n" + REFINE_GUIDE},
        {"role": "user", "content": "\n".join(user)},
    ]


def repair_message(issues_text: str) -> dict[str, Any]:
    return {
        "role": "user",
        "content": (
            "The validator rejected that plan:\n"
            f"{issues_text}\n"
            "Fix every problem and reply with the complete corrected JSON document only."
        ),
    }


def malformed_message(error: str) -> dict[str, Any]:
    return {
        "role": "user",
        "content": (
            f"That reply was not a valid JSON document ({error}). Reply with the complete "
            "JSON document only, with no text around it."
        ),
    }


def response_schema() -> dict[str, Any]:
    """The IR schema as sent in `response_format` (non-strict: the IR has open maps such
    as `inputs`, which strict structured output cannot express)."""
    schema = ir_json_schema()
    schema.pop("$id", None)
    return schema


def refine_response_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"operations": {"type": "array", "items": {"type": "object"}}},
        "required": ["operations"],
    }
