"""The IR type-checker: every problem in a flow, each naming the node, the field and the fix.

`validate_flow` never raises for a bad document. Structural errors (the pydantic models)
come back as `schema` issues; once the document parses, the semantic checks run: ids,
tools, references, the graph (cycles, mutually exclusive arms, trigger "any" dominance),
tool inputs (joins included), expression types where they can be inferred, approval forms
and joins. Messages are written for a person and for the planner LLM alike, and come out
in a deterministic order: flow-level issues first, then node by node, field by field.
"""

from __future__ import annotations

import difflib
import json
import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from flows.core.cel_functions import known_functions
from flows.core.expressions import (
    Expression,
    ExpressionError,
    compile_expression,
    json_type_name,
    without_strings,
)
from flows.core.graph import (
    JOIN_LOCALS,
    MAP_LOCALS,
    RUN_INPUT,
    ExpressionSite,
    FlowGraph,
    Gate,
    arm_targets,
    build_graph,
    expression_sites,
    find_cycle,
    paused_gc,
    topological_order,
)
from flows.core.ir import (
    NODE_TYPES,
    RESERVED_NAMES,
    ApprovalNode,
    BranchNode,
    Flow,
    Join,
    LlmNode,
    MapNode,
    Node,
    OutputNode,
    SwitchNode,
    ToolNode,
    ValueNode,
)
from flows.core.json_schemas import schema_problem, unknown_fields
from flows.core.tools import ToolCatalog, ToolSpec

JsonSchema = dict[str, Any]

#: Every issue code, with what it means (the docs and the planner prompt list them).
ISSUE_CODES: dict[str, str] = {
    "schema": "the document does not match the IR JSON Schema",
    "too_many_steps": "more nodes than max_steps",
    "duplicate_id": "two nodes share one id",
    "reserved_id": "a node id is a name expressions bind themselves",
    "unknown_tool": "a tool id that is not in the catalogue",
    "tool_not_permitted": "a tool the user validating or running the flow may not use",
    "unknown_reference": "an id that names no node (expression, after, then/else, cases)",
    "not_upstream": "a reference that cannot be satisfied when the node runs",
    "cycle": "nodes wait for each other",
    "unreachable": "a node that can never run",
    "missing_input": "a required tool input is not supplied",
    "unknown_input": "an input the tool does not accept",
    "type_mismatch": "an expression whose inferred type does not fit its target",
    "operand_types": "an operator given values CEL cannot combine (it never converts types)",
    "unknown_field": "an expression reads a field the value's schema does not have",
    "expression_error": "an expression that does not compile or exceeds the cost limits",
    "undefined_local": "item/index outside a map input, source outside a join",
    "missing_form_schema": "an approval without a form schema",
    "invalid_form_schema": "an approval form schema that is not a valid object schema",
    "invalid_input_schema": "a flow input schema that is not valid JSON Schema",
    "invalid_output_schema": "an LLM step's output schema that is not valid JSON Schema",
    "invalid_join": "a join whose tools, mapping expressions or target fields are wrong",
    "invalid_review": "an approval's `review` is not a tool node that runs right after it",
    "invalid_escalation": "on_timeout 'escalate' without the group to escalate to or a timeout",
}

#: Names CEL itself resolves (type identifiers); reading them is not a node reference.
_CEL_TYPE_NAMES = frozenset(
    {"int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn"}
)
_SCHEMA_HINT = "The IR JSON Schema (`python manage.py ir_schema`) lists every allowed field."
_FORM_EXAMPLE = (
    '{"type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"]}'
)
#: Node kinds as tuples: `isinstance(x, A | B)` builds the union object on every call.
_CALLS = (ToolNode, MapNode)
_ROUTERS = (BranchNode, SwitchNode)


@dataclass(frozen=True)
class ValidationIssue:
    """One problem: a stable `code`, a message naming node and field, and how to fix it."""

    code: str
    message: str
    node: str | None = None
    field: str | None = None
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "node": self.node,
            "field": self.field,
            "hint": self.hint,
        }


def validate_flow(
    data: Flow | dict[str, Any] | str | bytes,
    catalog: ToolCatalog | Iterable[ToolSpec],
    *,
    joins: Iterable[Join] = (),
    refused_tools: Mapping[str, str] | None = None,
) -> list[ValidationIssue]:
    """Every issue in `data` (a Flow, a dict or JSON text); an empty list means valid.

    `joins` are the registry's joins; the flow's own `joins` are checked as well and take
    precedence for the same (from_tool, to_tool) pair. `refused_tools` maps the tools the
    user may not use to the reason (from the registry's tool permissions).
    """
    with paused_gc():
        flow, issues = _parse(data)
        if flow is None:
            return issues
        checker = _Checker(flow, _catalog_specs(catalog), list(joins))
        checker.refused_tools = dict(refused_tools or {})
        return checker.run()


def format_issues(issues: Iterable[ValidationIssue]) -> str:
    """The issues as numbered lines, for a planner prompt or a terminal."""
    lines = []
    for number, issue in enumerate(issues, 1):
        line = f"{number}. [{issue.code}] {issue.message}"
        if issue.hint:
            line += f" Fix: {issue.hint}"
        lines.append(line)
    return "\n".join(lines)


# --- parsing: pydantic errors become issues ---------------------------------------------


def _parse(data: Any) -> tuple[Flow | None, list[ValidationIssue]]:
    if isinstance(data, Flow):
        return data, []
    raw = data
    if isinstance(data, str | bytes | bytearray):
        try:
            raw = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            where = (
                f" (line {exc.lineno}, column {exc.colno})"
                if isinstance(exc, json.JSONDecodeError)
                else ""
            )
            return None, [
                ValidationIssue(
                    code="schema",
                    message=f"The document is not valid JSON: {_first_line(exc)}{where}.",
                    hint="Send one JSON object with at least `name` and `nodes`.",
                )
            ]
    try:
        return Flow.model_validate(raw), []
    except ValidationError as exc:
        return None, [_schema_issue(error, raw) for error in exc.errors()]


def _schema_issue(error: Mapping[str, Any], raw: Any) -> ValidationIssue:
    loc = tuple(error.get("loc", ()))
    kind = str(error.get("type", ""))
    node_id: str | None = None
    node_type: str | None = None
    rest: tuple[Any, ...] = loc
    prefix = ""
    if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int):
        raw_node = _raw_node(raw, loc[1])
        rest = loc[2:]
        if isinstance(raw_node, dict):
            if isinstance(raw_node.get("id"), str) and raw_node["id"]:
                node_id = raw_node["id"]
            if isinstance(raw_node.get("type"), str):
                node_type = raw_node["type"]
        if rest and rest[0] in NODE_TYPES and rest[0] == node_type:
            rest = rest[1:]
        if node_id is None:
            prefix = f"nodes[{loc[1]}]"
    if kind.startswith("union_tag"):
        rest = (*rest, "type")
    field = _loc_path(rest, prefix) or None
    where = f"Node `{node_id}`" if node_id else "The flow"
    if field:
        where += f", field `{field}`"
    message = f"{where}: {error.get('msg', 'is invalid')}."
    return ValidationIssue(
        code="schema",
        message=message,
        node=node_id,
        field=field,
        hint=_schema_hint(kind, rest, node_type, error),
    )


def _raw_node(raw: Any, index: int) -> Any:
    if isinstance(raw, dict) and isinstance(raw.get("nodes"), list):
        nodes = raw["nodes"]
        if 0 <= index < len(nodes):
            return nodes[index]
    return None


def _loc_path(parts: Iterable[Any], prefix: str = "") -> str:
    path = prefix
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path


def _schema_hint(
    kind: str, rest: tuple[Any, ...], node_type: str | None, error: Mapping[str, Any]
) -> str:
    last = str(rest[-1]) if rest and not isinstance(rest[-1], int) else None
    if kind == "missing":
        return f"Add the required field `{last}`. {_SCHEMA_HINT}"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(node_type) if len(rest) == 1 else None
        if allowed:
            return f"Remove `{last}`; a {node_type} node accepts: {', '.join(allowed)}."
        return f"Remove `{last}`. {_SCHEMA_HINT}"
    if kind.startswith("union_tag"):
        return f"Set `type` to one of: {', '.join(NODE_TYPES)}."
    if kind == "string_pattern_mismatch":
        value = error.get("input")
        suggestion = _snake_case(value) if isinstance(value, str) else None
        example = f" (e.g. `{suggestion}`)" if suggestion else ""
        return (
            "Node ids are snake_case: lowercase letters, digits and underscores, starting "
            f"with a letter or underscore, at most 64 characters{example}; use the same id "
            "everywhere the node is referenced."
        )
    if kind == "string_too_long":
        return (
            "Shorten the text; for an expression, split the work across value nodes and "
            "reference their results."
        )
    if kind == "string_too_short":
        return "Give a non-empty value (an expression cannot be empty; use `null` for none)."
    return f"Change the value so it matches the expected type. {_SCHEMA_HINT}"


def _allowed_fields(node_type: str | None) -> list[str]:
    model = _NODE_MODELS.get(node_type or "")
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _snake_case(value: str) -> str | None:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", value)
    text = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")[:64]
    if not text:
        return None
    return text if not text[0].isdigit() else f"n_{text}"[:64]


_NODE_MODELS: dict[str, Any] = {
    "tool": ToolNode,
    "branch": BranchNode,
    "switch": SwitchNode,
    "map": MapNode,
    "approval": ApprovalNode,
    "value": ValueNode,
    "output": OutputNode,
    "llm": LlmNode,
}


def _catalog_specs(catalog: ToolCatalog | Iterable[ToolSpec]) -> dict[str, ToolSpec]:
    specs_method = getattr(catalog, "specs", None)
    specs = specs_method() if callable(specs_method) else list(catalog)  # type: ignore[arg-type]
    return {spec.id: spec for spec in specs}


# --- the semantic checks ------------------------------------------------------------------


class _Checker:
    def __init__(self, flow: Flow, specs: dict[str, ToolSpec], registry_joins: list[Join]):
        self.flow = flow
        self.specs = specs
        self.ids = [node.id for node in flow.nodes]
        self.position: dict[str, int] = {}
        for index, node in enumerate(flow.nodes):
            self.position.setdefault(node.id, index)
        self.nodes = {node.id: node for node in reversed(flow.nodes)}  # first one wins
        self.joins: dict[tuple[str, str], Join] = {}
        for join in [*flow.joins, *registry_joins]:
            self.joins.setdefault((join.from_tool, join.to_tool), join)
        self.flow_joins = {id(join) for join in flow.joins}
        self.found: list[tuple[tuple[Any, ...], int, ValidationIssue]] = []
        self.graph: FlowGraph | None = None
        #: The graph's topological order (None while unknown or when it has a cycle).
        self.order: list[str] | None = None
        self.sites: dict[str, list[ExpressionSite]] = {
            node_id: list(expression_sites(node)) for node_id, node in self.nodes.items()
        }
        self._outputs: dict[str, JsonSchema | None] = {}
        #: tool id -> why the user may not use it
        self.refused_tools: dict[str, str] = {}

    # reporting

    def add(
        self,
        code: str,
        message: str,
        *,
        node: str | None = None,
        field: str | None = None,
        hint: str | None = None,
        index: int | None = None,
    ) -> None:
        if node is not None and index is None:
            index = self.position.get(node, len(self.ids))
        key = (-1 if node is None else index, *self._field_rank(index, field))
        issue = ValidationIssue(code=code, message=message, node=node, field=field, hint=hint)
        self.found.append((key, len(self.found), issue))

    def _field_rank(self, index: int | None, field: str | None) -> tuple[int, int]:
        if field is None:
            return (-1, -1)
        top = re.split(r"[.\[]", field, maxsplit=1)[0]
        if index is None or index >= len(self.flow.nodes):
            names = [*Flow.model_fields]
            ordered = self._flow_field_paths()
        else:
            node = self.flow.nodes[index]
            names = _allowed_fields(node.type)
            ordered = self._node_field_paths(node)
        top_rank = names.index(top) if top in names else len(names)
        sub_rank = ordered.index(field) if field in ordered else len(ordered)
        return (top_rank, sub_rank)

    def _node_field_paths(self, node: Node) -> list[str]:
        paths = [f"after[{i}]" for i in range(len(node.after))]
        paths += [site.field for site in self.sites.get(node.id, [])]
        if isinstance(node, _CALLS):
            paths += [f"inputs.{name}" for name in node.inputs]
        for arm, targets in _arms(node):
            paths += [f"{arm}[{i}]" for i in range(len(targets))]
        return paths

    def _flow_field_paths(self) -> list[str]:
        paths = []
        for i, join in enumerate(self.flow.joins):
            paths += [f"joins[{i}].from_tool", f"joins[{i}].to_tool"]
            paths += [f"joins[{i}].mapping.{name}" for name in join.mapping]
        return paths

    def run(self) -> list[ValidationIssue]:
        self.check_size()
        self.check_input_schema()
        duplicates = self.check_ids()
        for index, join in enumerate(self.flow.joins):
            self.check_join(join, node=None, prefix=f"joins[{index}]")
        unique = len(self.nodes) == len(self.flow.nodes)
        self.graph = build_graph(self.flow, self.sites if unique else None)
        try:  # one order for the output schemas and the graph checks; None with a cycle
            self.order = topological_order(self.graph)
        except ValueError:
            self.order = None
        self._infer_outputs()
        dead: set[str] = set()
        sites = self.sites
        for index, node in enumerate(self.flow.nodes):
            if duplicates and self.position[node.id] != index:
                continue  # the duplicate itself is reported; its contents would mislead
            # Only the checks that apply to the node's kind are called (each would return at
            # once otherwise; at 10,000 nodes the calls add up). Their order is kept.
            calls = isinstance(node, _CALLS)
            if calls:
                self.check_tool(node)
            if node.after:
                self.check_after(node)
            if isinstance(node, _ROUTERS):
                dead |= self.check_arms(node)
            if sites[node.id]:
                dead |= self.check_sites(node)
            if calls:
                self.check_inputs(node)
            if isinstance(node, ApprovalNode):
                self.check_form(node)
                self.check_approval(node)
            if isinstance(node, LlmNode) and node.output_schema is not None:
                self.check_llm_schema(node)
        if not duplicates:
            self.check_graph(dead)
        self.found.sort(key=lambda entry: (entry[0], entry[1]))
        return [issue for _, _, issue in self.found]

    # flow-level

    def check_size(self) -> None:
        count = len(self.flow.nodes)
        if count > self.flow.max_steps:
            self.add(
                "too_many_steps",
                f"The flow has {count} nodes but max_steps is {self.flow.max_steps}.",
                field="max_steps",
                hint=(
                    f"Merge or remove {count - self.flow.max_steps} nodes (a map node runs one "
                    "tool over a whole list), or raise max_steps if the work really needs it."
                ),
            )

    def check_input_schema(self) -> None:
        # Runs check their input against it: a schema jsonschema refuses, or one whose
        # `$ref` leaves it, would fail every run (or reach out over the network).
        problem = _schema_problem(self.flow.input_schema)
        if problem is not None:
            self.add(
                "invalid_input_schema",
                f"The flow's `input_schema{problem[0]}` is not valid JSON Schema: {problem[1]}.",
                field="input_schema",
                hint='Fix the schema; a valid input schema looks like {"type": "object", '
                '"properties": {"email": {"type": "string"}}, "required": ["email"]}.',
            )

    def check_ids(self) -> bool:
        seen: dict[str, int] = {}
        duplicates = False
        for index, node in enumerate(self.flow.nodes):
            if node.id in seen:
                duplicates = True
                self.add(
                    "duplicate_id",
                    f"Node `{node.id}` (nodes[{index}]) reuses the id of nodes[{seen[node.id]}].",
                    node=node.id,
                    field="id",
                    index=index,
                    hint=(
                        f"Give nodes[{index}] a new unique id such as `{node.id}_{index}` and "
                        "update the references that mean it."
                    ),
                )
            else:
                seen[node.id] = index
            if node.id in RESERVED_NAMES:
                self.add(
                    "reserved_id",
                    f"Node id `{node.id}` is reserved: expressions bind `{node.id}` themselves, "
                    "so a node with that id could never be referenced.",
                    node=node.id,
                    field="id",
                    index=index,
                    hint=f"Rename the node, e.g. `{node.id}_step`, and update its references.",
                )
        return duplicates

    def check_join(self, join: Join, *, node: str | None, prefix: str) -> None:
        """A join's tools, mapping expressions, target fields and types.

        Flow joins report at `joins[i]`; a registry join reports at the node that uses it.
        """
        label = f"Join {join.from_tool} -> {join.to_tool}"

        def where(field: str) -> str:
            return f"{prefix}.{field}" if node is None else "inputs"

        source_spec = self.specs.get(join.from_tool)
        target_spec = self.specs.get(join.to_tool)
        for attr, tool_id, spec in (
            ("from_tool", join.from_tool, source_spec),
            ("to_tool", join.to_tool, target_spec),
        ):
            if spec is None:
                self.add(
                    "invalid_join",
                    f"{label}: `{attr}` names `{tool_id}`, which is not in the tool catalogue.",
                    node=node,
                    field=where(attr),
                    hint=self._tool_hint(tool_id),
                )
        source_scope = {"source": source_spec.output_schema if source_spec else None}
        for name, source in join.mapping.items():
            field = where(f"mapping.{name}")
            try:
                compiled = compile_expression(source)
            except ExpressionError as exc:
                self.add(
                    "invalid_join",
                    f"{label}: mapping `{name}` does not compile: {_describe_error(exc)}.",
                    node=node,
                    field=field,
                    hint=_expression_hint(exc),
                )
                continue
            strays = sorted(set(compiled.variables) - JOIN_LOCALS - _CEL_TYPE_NAMES)
            if strays:
                self.add(
                    "invalid_join",
                    f"{label}: mapping `{name}` reads {_names(strays)}; a join mapping can "
                    "only read `source` (the upstream tool's output).",
                    node=node,
                    field=field,
                    hint="Rewrite it over `source`, e.g. `source.id`.",
                )
                continue
            if target_spec is None:
                continue
            if not _accepts_input(target_spec.input_schema, name):
                self.add(
                    "invalid_join",
                    f"{label}: mapping target `{name}` is not an input of `{join.to_tool}`.",
                    node=node,
                    field=field,
                    hint=_field_hint(name, target_spec.input_properties(), join.to_tool),
                )
                continue
            if node is None:
                self._check_type(
                    source,
                    target_spec.input_properties().get(name),
                    scope=source_scope,
                    node=None,
                    field=field,
                    what=f"{label} mapping `{name}`",
                )

    # per node

    def check_tool(self, node: Node) -> None:
        if not isinstance(node, _CALLS) or (
            node.tool in self.specs and node.tool not in self.refused_tools
        ):
            return  # the usual case, in one test
        if not node.tool.strip():
            self.add(
                "unknown_tool",
                f"Node `{node.id}` calls no tool yet.",
                node=node.id,
                field="tool",
                hint="Choose the tool it calls.",
            )
        elif node.tool not in self.specs:
            self.add(
                "unknown_tool",
                f"Node `{node.id}` calls tool `{node.tool}`, which is not in the tool catalogue.",
                node=node.id,
                field="tool",
                hint=self._tool_hint(node.tool),
            )
        else:
            self.add(
                "tool_not_permitted",
                f"Node `{node.id}` calls tool `{node.tool}`, which you may not use: "
                f"{self.refused_tools[node.tool]}.",
                node=node.id,
                field="tool",
                hint="Use another tool, or ask an administrator for access to this one.",
            )

    def check_after(self, node: Node) -> None:
        nodes, own = self.nodes, node.id
        for i, other in enumerate(node.after):
            if other in nodes and other != own:
                continue  # the usual case: no message to build
            field = f"after[{i}]"
            if other == node.id:
                self.add(
                    "not_upstream",
                    f"Node `{node.id}` lists itself in `{field}`; a node cannot wait for itself.",
                    node=node.id,
                    field=field,
                    hint=f"Remove `{other}` from `after`.",
                )
            elif other not in self.nodes:
                self.add(
                    "unknown_reference",
                    f"Node `{node.id}` waits for `{other}` in `{field}`, but no node has that id.",
                    node=node.id,
                    field=field,
                    hint=self._id_hint(other, "after"),
                )

    def check_arms(self, node: Node) -> set[str]:
        """Unknown and self targets, targets listed in two arms, arms a literal condition kills."""
        dead: set[str] = set()
        first_arm: dict[str, str] = {}
        for arm, targets in _arms(node):
            for i, target in enumerate(targets):
                field = f"{arm}[{i}]"
                if target == node.id:
                    self.add(
                        "not_upstream",
                        f"{_kind(node)} `{node.id}` routes to itself in `{field}`.",
                        node=node.id,
                        field=field,
                        hint="List the nodes that should run after it, not the node itself.",
                    )
                elif target not in self.nodes:
                    self.add(
                        "unknown_reference",
                        f"{_kind(node)} `{node.id}` routes to `{target}` in `{field}`, but no "
                        "node has that id.",
                        node=node.id,
                        field=field,
                        hint=self._id_hint(target, "arm"),
                    )
                elif target in first_arm and first_arm[target] != arm:
                    dead.add(target)
                    self.add(
                        "unreachable",
                        f"Node `{target}` is listed in both `{first_arm[target]}` and `{arm}` "
                        f"of {_kind(node).lower()} `{node.id}`; one of them is always the arm "
                        f"not taken, so `{target}` never runs.",
                        node=node.id,
                        field=field,
                        hint=(
                            f"Keep `{target}` in one arm only; to run it whichever arm is taken, "
                            f"list it in no arm and give it `after` on the arms' nodes with "
                            "trigger 'any'."
                        ),
                    )
                else:
                    first_arm.setdefault(target, arm)
        if isinstance(node, BranchNode):
            try:
                compiled = compile_expression(node.condition)
            except ExpressionError:
                return dead
            if compiled.is_literal and isinstance(compiled.literal, bool):
                taken = "then" if compiled.literal else "else"
                untaken = "else" if compiled.literal else "then"
                lost = node.else_ if compiled.literal else node.then
                if lost:
                    dead |= {target for target in lost if target in self.nodes}
                    self.add(
                        "unreachable",
                        f"Branch `{node.id}` has the constant condition "
                        f"`{node.condition.strip()}`, so its `{untaken}` arm ({_names(lost)}) "
                        "never runs.",
                        node=node.id,
                        field="condition",
                        hint=(
                            "Make the condition depend on the input or an upstream node, or "
                            f"drop the branch and keep only the `{taken}` nodes."
                        ),
                    )
        return dead

    def check_sites(self, node: Node) -> set[str]:
        """Compile every expression; check the names it reads and its type where known."""
        dead: set[str] = set()
        for site in self.sites[node.id]:
            try:
                compiled = compile_expression(site.source)
            except ExpressionError as exc:
                self.add(
                    "expression_error",
                    f"Node `{node.id}` field `{site.field}`: {_describe_error(exc)}.",
                    node=node.id,
                    field=site.field,
                    hint=_expression_hint(exc),
                )
                continue
            for name in sorted(compiled.variables):
                self._check_name(node, site, name)
            self._check_functions(node.id, site.field, compiled)
            if compiled.comprehensions >= 2:
                self._check_cost(node, site)
            if site.field == "when" and compiled.is_literal and compiled.literal is False:
                dead.add(node.id)
                self.add(
                    "unreachable",
                    f"Node `{node.id}` has `when: false`, so it is always skipped (and so is "
                    "everything that needs it).",
                    node=node.id,
                    field="when",
                    hint="Remove the node, or give `when` a condition that can be true.",
                )
            try:
                self._check_site_type(node, site)
                self._check_operands(node, site)
                self._check_fields(node, site)
            except RecursionError:  # a chain of selects or indexes deeper than Python recurses
                self.add(
                    "expression_error",
                    f"Node `{node.id}` field `{site.field}`: the expression is nested too "
                    "deeply to check.",
                    node=node.id,
                    field=site.field,
                    hint="Split the expression across value nodes.",
                )
        return dead

    def _check_operands(self, node: Node, site: ExpressionSite) -> None:
        for problem, hint in operand_problems(site.source, self._scope(node, site)):
            self.add(
                "operand_types",
                f"Node `{node.id}` field `{site.field}`: {problem}.",
                node=node.id,
                field=site.field,
                hint=hint,
            )

    def _check_fields(self, node: Node, site: ExpressionSite) -> None:
        """Each `x.field` read names a field of x's schema, when that schema lists its
        fields and admits no others (`_closed_fields`): a misspelt field otherwise fails
        only at run time, e.g. `approval.reason` for `approval.data.reason`."""
        tree = parse_tree(site.source)
        if tree is None:
            return
        scope = self._scope(node, site)
        run_input = scope.get(RUN_INPUT)
        if isinstance(run_input, dict):
            scope[RUN_INPUT] = _declared_input(run_input)
        seen: set[str] = set()
        for base, name, known in _unknown_selects(tree, scope, frozenset()):
            where = _path_text(base)
            text = f"{where}.{name}"
            if text in seen:
                continue
            seen.add(text)
            if where == RUN_INPUT:
                self._undeclared_input(node, site, name, known)
                continue
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            if not close:  # `approval.reason` for `approval.data.reason`
                close = [f"{field}.{name}" for field in known
                         if name in ((_property(_infer(base, scope), field) or {})
                                     .get("properties") or {})][:1]
            self.add(
                "unknown_field",
                f"Node `{node.id}` field `{site.field}` reads `{text}`, but `{where}` has no "
                f"field `{name}`.",
                node=node.id,
                field=site.field,
                hint=(f"Did you mean `{where}.{close[0]}`? " if close else "")
                + f"`{where}` has: " + ", ".join(f"`{k}`" for k in known) + ".",
            )

    def _undeclared_input(
        self, node: Node, site: ExpressionSite, name: str, declared: list[str]
    ) -> None:
        close = difflib.get_close_matches(name, declared, n=1, cutoff=0.6)
        self.add(
            "unknown_field",
            f"Node `{node.id}` field `{site.field}` reads `input.{name}`, which is not a "
            "declared run input; declared: " + ", ".join(f"`{k}`" for k in declared) + ".",
            node=node.id,
            field=site.field,
            hint=(f"Did you mean `input.{close[0]}`? " if close else "")
            + f"Or add `{name}` to the flow's `input_schema` properties.",
        )

    def _check_functions(self, node_id: str | None, field: str, compiled: Expression) -> None:
        """Every function called exists at run time (CEL's own or a registered extension)."""
        for name in compiled.unknown_functions:
            close = difflib.get_close_matches(name, known_functions(), n=1, cutoff=0.6)
            where = f"Node `{node_id}` field `{field}`" if node_id else f"`{field}`"
            self.add(
                "expression_error",
                f"{where} calls `{name}`, which is not a function expressions can call.",
                node=node_id,
                field=field,
                hint=(f"Did you mean `{close[0]}`? " if close else "")
                + "Expressions can call: "
                + ", ".join(f"`{n}`" for n in known_functions())
                + ".",
            )

    def _check_cost(self, node: Node, site: ExpressionSite) -> None:
        """Refuse nested comprehensions whose work is certainly too large."""
        cost = comprehension_cost(site.source, self._scope(node, site))
        if cost is None:
            return
        depth, steps, unbounded = cost
        if depth >= 3 and unbounded:
            lists = ", ".join(f"`{text}`" for text in dict.fromkeys(unbounded))
            reason = (
                f"nests {depth} comprehensions over lists with no `maxItems` ({lists}): the "
                "work is the product of their lengths (200 items each are 8 million steps)"
            )
        elif not unbounded and steps > MAX_COMPREHENSION_STEPS:
            reason = (
                f"nests {depth} comprehensions whose lists may hold {steps:,.0f} combinations "
                f"together; the limit is {MAX_COMPREHENSION_STEPS:,}"
            )
        else:
            return
        self.add(
            "expression_error",
            f"Node `{node.id}` field `{site.field}` {reason}.",
            node=node.id,
            field=site.field,
            hint=(
                "Split the work across value nodes (one comprehension level each), or bound "
                "the lists with `maxItems` in the input_schema or the tool's output_schema. "
                "At run time each expression also has a time budget."
            ),
        )

    def _check_name(self, node: Node, site: ExpressionSite, name: str) -> None:
        if name == RUN_INPUT or name in site.local_names or name in _CEL_TYPE_NAMES:
            return
        if name in MAP_LOCALS | JOIN_LOCALS:
            self.add(
                "undefined_local",
                f"Node `{node.id}` field `{site.field}` reads `{name}`, which is only bound "
                + (
                    "inside a map node's `inputs`."
                    if name in MAP_LOCALS
                    else "inside a join mapping (the upstream tool's output)."
                ),
                node=node.id,
                field=site.field,
                hint=_local_hint(node, site, name),
            )
        elif name == node.id:
            self.add(
                "not_upstream",
                f"Node `{node.id}` field `{site.field}` reads its own output `{name}`; a node's "
                "output does not exist until it has run.",
                node=node.id,
                field=site.field,
                hint="Read the input or an upstream node's output instead.",
            )
        elif name not in self.nodes:
            self.add(
                "unknown_reference",
                f"Node `{node.id}` field `{site.field}` reads `{name}`, which is neither `input` "
                "nor a node id.",
                node=node.id,
                field=site.field,
                hint=self._id_hint(name, "expression"),
            )

    def _check_site_type(self, node: Node, site: ExpressionSite) -> None:
        target: JsonSchema | None = None
        if site.field == "when":
            target, what = {"type": "boolean"}, f"Node `{node.id}` guard `when`"
        elif isinstance(node, BranchNode) and site.field == "condition":
            target, what = {"type": "boolean"}, f"Branch `{node.id}` condition"
        elif isinstance(node, MapNode) and site.field == "items":
            target, what = {"type": "array"}, f"Map `{node.id}` items"
        elif isinstance(node, _CALLS) and site.field.startswith("inputs."):
            spec = self.specs.get(node.tool)
            name = site.field.removeprefix("inputs.")
            target = spec.input_properties().get(name) if spec else None
            what = f"Node `{node.id}` input `{name}` of `{node.tool}`"
        if target is not None:
            scope = self._scope(node, site)
            self._check_type(
                site.source, target, scope=scope, node=node.id, field=site.field, what=what
            )

    def _check_type(
        self,
        source: str,
        target: JsonSchema | None,
        *,
        scope: Mapping[str, JsonSchema | None],
        node: str | None,
        field: str,
        what: str,
    ) -> None:
        if not isinstance(target, dict) or not target:
            return
        inferred = infer_type(source, scope)
        if inferred is None:
            return
        problem = _misfit(inferred, target)
        if problem is None:
            return
        self.add(
            "type_mismatch",
            f"{what} expects {problem[0]}, but `{source.strip()}` is {problem[1]}.",
            node=node,
            field=field,
            hint=_conversion_hint(inferred, target),
        )

    def check_inputs(self, node: Node) -> None:
        if not isinstance(node, _CALLS):
            return
        spec = self.specs.get(node.tool)
        if spec is None:
            return
        supplied = list(node.inputs)
        join: Join | None = None
        # Only a node without inputs reads its upstream tools: for a join, or to say that
        # none is declared when an input is missing. At 10,000 nodes, building the list
        # for every node shows, so it is built only then.
        upstream: list[ToolNode] = []
        if not node.inputs and (self.joins or spec.required_inputs()):
            upstream = self._upstream_tools(node)
        if isinstance(node, ToolNode) and len(upstream) == 1 and self.joins:
            join = self.joins.get((upstream[0].tool, node.tool))
            if join is not None:
                supplied = list(join.mapping)
                if id(join) not in self.flow_joins:
                    self.check_join(join, node=node.id, prefix="inputs")
        for name in supplied:
            if join is None and not _accepts_input(spec.input_schema, name):
                self.add(
                    "unknown_input",
                    f"Node `{node.id}` passes input `{name}`, which tool `{node.tool}` does not "
                    "accept.",
                    node=node.id,
                    field=f"inputs.{name}",
                    hint=_field_hint(name, spec.input_properties(), node.tool),
                )
        for name in spec.required_inputs():
            if name in supplied:
                continue
            if join is not None:
                how = (
                    f" (its inputs come from the join {join.from_tool} -> {join.to_tool}, "
                    "which does not map it)"
                )
            elif not node.inputs and len(upstream) == 1:
                how = f" (no join from `{upstream[0].tool}` to `{node.tool}` is declared)"
            else:
                how = ""
            wanted = _types(spec.input_properties().get(name))
            kind = _type_phrase(wanted) if wanted else "a value"
            self.add(
                "missing_input",
                f"Node `{node.id}` does not supply required input `{name}` of tool "
                f"`{node.tool}`{how}.",
                node=node.id,
                field=f"inputs.{name}",
                hint=(
                    f"Add `inputs.{name}`: an expression giving {kind}, such as a field of the "
                    "run input (`input.<field>`) or of an upstream node's output"
                    + (
                        f"; or declare a join from `{upstream[0].tool}` to `{node.tool}` that "
                        f"maps `{name}`."
                        if isinstance(node, ToolNode) and not node.inputs and len(upstream) == 1
                        else "."
                    )
                ),
            )

    def _upstream_tools(self, node: Node) -> list[ToolNode]:
        assert self.graph is not None
        deps = self.graph.dependencies.get(node.id, [])
        return [dep for dep_id in deps if isinstance(dep := self.nodes[dep_id], ToolNode)]

    def check_approval(self, node: Node) -> None:
        """An approval's escalation and the tool call it reviews."""
        if not isinstance(node, ApprovalNode):
            return
        if node.on_timeout == "escalate":
            if not (node.escalate_to or "").strip():
                self.add(
                    "invalid_escalation",
                    f"Approval `{node.id}` escalates when its time is up (`on_timeout: "
                    "escalate`), but `escalate_to` names no group to escalate to.",
                    node=node.id,
                    field="escalate_to",
                    hint='Name the group, e.g. `"escalate_to": "managers"`, or choose another '
                    "`on_timeout`: approve, reject or fail.",
                )
            if node.timeout_seconds is None:
                self.add(
                    "invalid_escalation",
                    f"Approval `{node.id}` escalates when its time is up, but it has no "
                    "`timeout`, so its time is never up.",
                    node=node.id,
                    field="timeout",
                    hint='Give a `timeout` in seconds or as an ISO 8601 duration, e.g. "P1D".',
                )
        self._check_review(node)

    def _check_review(self, node: ApprovalNode) -> None:
        target = node.review
        if target is None or self.graph is None:
            return
        if target not in self.nodes:
            self.add(
                "unknown_reference",
                f"Approval `{node.id}` reviews `{target}` (`review`), but no node has that id.",
                node=node.id,
                field="review",
                hint=self._id_hint(target, "review"),
            )
            return
        reviewed = self.nodes[target]
        if not isinstance(reviewed, ToolNode):
            self.add(
                "invalid_review",
                f"Approval `{node.id}` reviews `{target}`, a {reviewed.type} node; an approver "
                "can only review the inputs of a tool node.",
                node=node.id,
                field="review",
                hint="Point `review` at the tool node whose inputs the approver should check, "
                "or remove `review`.",
            )
            return
        if node.id not in self.graph.dependencies.get(target, []):
            self.add(
                "invalid_review",
                f"Approval `{node.id}` reviews `{target}`, but `{target}` does not run right "
                "after it, so its inputs could be sent before anyone approves them.",
                node=node.id,
                field="review",
                hint=f'Add `{node.id}` to the `after` of `{target}` (`"after": ["{node.id}"]`).',
            )
            return
        earlier = [
            other.id for other in self.flow.nodes[: self.position[node.id]]
            if isinstance(other, ApprovalNode) and other.review == target
        ]
        if earlier:
            self.add(
                "invalid_review",
                f"Approvals `{earlier[0]}` and `{node.id}` both review `{target}`; a tool call "
                "is reviewed by one approval.",
                node=node.id,
                field="review",
                hint=f"Remove `review` from `{node.id}`, or merge the two approvals (use "
                "`quorum` for several approvers).",
            )
            return
        upstream = self._ancestors(node.id)
        late = [dep for dep in self.graph.dependencies[target]
                if dep != node.id and dep not in upstream]
        if late:
            self.add(
                "invalid_review",
                f"Approval `{node.id}` reviews the inputs of `{target}`, which also waits for "
                f"{_names(late)}; the approver would be asked before those inputs are known.",
                node=node.id,
                field="review",
                hint=f"Add {_names(late)} to the `after` of `{node.id}`.",
            )

    def _ancestors(self, node_id: str) -> set[str]:
        assert self.graph is not None
        seen: set[str] = set()
        stack = list(self.graph.dependencies.get(node_id, []))
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.graph.dependencies.get(current, []))
        return seen

    def check_llm_schema(self, node: LlmNode) -> None:
        problem = _schema_problem(node.output_schema or {})
        if problem is not None:
            self.add(
                "invalid_output_schema",
                f"LLM step `{node.id}` field `output_schema{problem[0]}` is not valid JSON "
                f"Schema: {problem[1]}.",
                node=node.id,
                field="output_schema",
                hint='Fix the schema, e.g. {"type": "object", "properties": {"label": '
                '{"type": "string"}}}, or remove it to get {"text": ...}.',
            )

    def check_form(self, node: Node) -> None:
        if not isinstance(node, ApprovalNode):
            return
        schema = node.form_schema
        if not schema:
            self.add(
                "missing_form_schema",
                f"Approval `{node.id}` has an empty `form_schema`; the approver would have no "
                "form to fill in.",
                node=node.id,
                field="form_schema",
                hint=f"Describe the form as a JSON Schema object, e.g. {_FORM_EXAMPLE}.",
            )
            return
        problem = _schema_problem(schema)
        if problem is not None:
            self.add(
                "invalid_form_schema",
                f"Approval `{node.id}` field `form_schema{problem[0]}` is not valid JSON Schema: "
                f"{problem[1]}.",
                node=node.id,
                field="form_schema",
                hint=f"Fix the schema; a valid form schema looks like {_FORM_EXAMPLE}.",
            )
            return
        form_type = schema.get("type")
        if form_type != "object" and not (form_type is None and "properties" in schema):
            self.add(
                "invalid_form_schema",
                f"Approval `{node.id}` form_schema has type {json.dumps(form_type)}; a form "
                "collects named fields, so it must describe an object.",
                node=node.id,
                field="form_schema.type",
                hint=f'Use "type": "object" with "properties", e.g. {_FORM_EXAMPLE}.',
            )

    # the graph: cycles, exclusive arms, trigger "any" dominance

    def check_graph(self, dead: set[str]) -> None:
        assert self.graph is not None
        graph = _without_self_loops(self.graph)
        try:
            order = self.order
            if order is None or graph is not self.graph:
                order = topological_order(graph)
        except ValueError:
            cycle = find_cycle(graph)
            assert cycle is not None
            self._report_cycle(cycle[:-1])
            return
        nodes, dependencies, own_gates = graph.nodes, graph.dependencies, graph.gates
        gates: dict[str, dict[Gate, str]] = {}
        merges: list[str] = []
        for node_id in order:
            node = nodes[node_id]
            deps = dependencies[node_id]
            live = [dep for dep in deps if dep not in dead] if dead else deps
            listed = own_gates.get(node_id)
            own = dict.fromkeys(listed, node_id) if listed else {}
            all_deps = node.trigger == "all"
            if node_id in dead or (deps and not live) or (all_deps and live != deps):
                dead.add(node_id)  # never runs because of an issue reported upstream
                continue
            inherited: dict[Gate, str] = {}
            if all_deps:
                for dep in deps:
                    for gate in gates[dep]:
                        inherited.setdefault(gate, dep)
            elif live:
                common = set.intersection(*(set(gates[dep]) for dep in live))
                inherited = {gate: next(d for d in live if gate in gates[d]) for gate in common}
            # two gates at least (two arms of one owner) before anything can be exclusive
            if len(own) + len(inherited) > 1 and self._report_exclusive(node, own, inherited):
                dead.add(node_id)
                continue
            gates[node_id] = {**inherited, **own} if own else inherited
            if not all_deps:
                merges.append(node_id)
        if merges:
            dominance = _Dominance(graph, order, dead)
            for node_id in merges:
                self._check_dominance(graph.nodes[node_id], dominance)

    def _report_cycle(self, cycle: list[str]) -> None:
        start = min(range(len(cycle)), key=lambda i: self.position[cycle[i]])
        cycle = cycle[start:] + cycle[:start]
        shown = [*cycle, cycle[0]]
        if len(shown) > 12:  # a cycle through thousands of nodes must not drown the message
            shown = [*shown[:6], f"... ({len(cycle) - 8} more)", *shown[-3:]]
        names = " -> ".join(shown)
        first, previous = cycle[0], cycle[-1]
        field = self._dependency_field(first, previous)
        self.add(
            "cycle",
            f"Nodes form a cycle: {names}; each waits for the next, so none can start "
            f"(`{first}` waits for `{previous}`" + (f" through `{field}`)." if field else ")."),
            node=first,
            field=field,
            hint=(
                "Remove one dependency of the cycle (a reference, an `after` entry or an arm "
                "target) so data flows one way; to repeat a step over a list use a map node."
            ),
        )

    def _report_exclusive(
        self,
        node: Node,
        own: dict[Gate, str],
        inherited: dict[Gate, str],
    ) -> bool:
        by_owner: dict[str, list[Gate]] = {}
        for gate in [*own, *inherited]:
            if gate not in by_owner.setdefault(gate.owner, []):
                by_owner[gate.owner].append(gate)
        for owner, owner_gates in by_owner.items():
            if len({gate.arm for gate in owner_gates}) < 2:
                continue
            own_gates = [gate for gate in owner_gates if gate in own]
            if len({gate.arm for gate in own_gates}) > 1:
                return True  # listed in two arms of one branch: reported at the branch
            first = own_gates[0] if own_gates else owner_gates[0]
            second = next(g for g in owner_gates if g.arm != first.arm and g in inherited)
            via_first = own.get(first) or inherited[first]
            via_second = inherited[second]
            referenced = self.graph.references.get(node.id, set()) if self.graph else set()
            reader = next((v for v in (via_second, via_first) if v in referenced), None)
            if reader is not None:
                other = via_first if reader == via_second else via_second
                reader_gate = second if reader == via_second else first
                other_gate = first if reader == via_second else second
                field = self._dependency_field(node.id, reader)
                needs = (
                    f"`{node.id}` itself runs only when {_arm_phrase(other_gate)}"
                    if other == node.id
                    else f"`{node.id}` also needs `{other}`, which runs only when "
                    f"{_arm_phrase(other_gate)}"
                )
                self.add(
                    "not_upstream",
                    f"Node `{node.id}` reads `{reader}` in `{field}`, but `{reader}` runs only "
                    f"when {_arm_phrase(reader_gate)} while {needs}; the two never both run.",
                    node=node.id,
                    field=field,
                    hint=(
                        f"Read `{reader}` from a node after `{owner}` that can see both arms "
                        f"(trigger 'any' with a null check, e.g. `{reader} != null ? ... : "
                        f"...`), or move `{reader}` out of the arm."
                    ),
                )
            else:
                parts = []
                for gate, via in ((first, via_first), (second, via_second)):
                    if via == node.id:
                        parts.append(f"it is itself in the arm for when {_arm_phrase(gate)}")
                    else:
                        parts.append(f"`{via}` runs only when {_arm_phrase(gate)}")
                blamed = via_second if via_second != node.id else via_first
                field = self._dependency_field(node.id, blamed)
                needs = (
                    "it waits for every dependency (trigger 'all'), but "
                    if node.trigger == "all"
                    else ""
                )
                self.add(
                    "unreachable",
                    f"Node `{node.id}` can never run: {needs}{parts[0]} and {parts[1]}.",
                    node=node.id,
                    field=field,
                    hint=(
                        f"To run `{node.id}` after whichever arm of `{owner}` ran, set trigger "
                        "to 'any'; otherwise remove the dependency on the other arm."
                    ),
                )
            return True
        return False

    def _check_dominance(self, node: Node, dominance: _Dominance) -> None:
        assert self.graph is not None
        guarded = self._null_guarded(node)
        for name in sorted(self.graph.references.get(node.id, set()), key=self._order):
            if name == node.id or name not in self.nodes or name in guarded:
                continue
            if dominance.always_before(name, node.id):
                continue
            field = self._dependency_field(node.id, name)
            self.add(
                "not_upstream",
                f"Node `{node.id}` has trigger 'any', so it may run while `{name}` is skipped or "
                f"not finished; `{name}` does not come before it on every path, yet `{field}` "
                "reads it unconditionally.",
                node=node.id,
                field=field,
                hint=(
                    f"Guard the read, e.g. `{name} != null ? {name}.<field> : <default>`, or "
                    "set trigger to 'all' if the node needs every dependency."
                ),
            )

    def _null_guarded(self, node: Node) -> set[str]:
        guarded = set()
        for site in self.sites[node.id]:
            text = without_strings(site.source)
            for match in _NULL_CHECK.finditer(text):
                guarded.add(match.group(1) or match.group(2))
        return guarded

    def _dependency_field(self, node_id: str, dep: str) -> str | None:
        """Where `node_id` depends on `dep`: the first expression or `after` entry naming it."""
        node = self.nodes[node_id]
        for site in self.sites[node_id]:
            try:
                compiled = compile_expression(site.source)
            except ExpressionError:
                continue
            if dep in compiled.variables and dep not in site.local_names:
                return site.field
        if dep in node.after:
            return f"after[{node.after.index(dep)}]"
        return None

    # type inference scopes

    def _scope(self, node: Node, site: ExpressionSite) -> dict[str, JsonSchema | None]:
        scope: dict[str, JsonSchema | None] = {RUN_INPUT: self.flow.input_schema}
        try:
            names = compile_expression(site.source).variables
        except ExpressionError:
            return scope
        for name in names:
            if name in self.nodes and name != node.id:
                scope[name] = self._output_schema(name)
        if isinstance(node, MapNode) and site.local_names:
            items_site = ExpressionSite(node.id, "items", node.items)
            items = infer_type(node.items, self._scope(node, items_site)) or {}
            element = items.get("items")
            scope["item"] = element if isinstance(element, dict) else None
            scope["index"] = {"type": "integer"}
        return scope

    def _infer_outputs(self) -> None:
        """The output schema of every node, dependencies first (a cycle just leaves gaps)."""
        assert self.graph is not None
        order = self.order
        for node_id in order if order is not None else _dependency_first_order(self.graph):
            self._outputs[node_id] = self._compute_output(self.nodes[node_id])

    def _output_schema(self, node_id: str) -> JsonSchema | None:
        return self._outputs.get(node_id)

    def _compute_output(self, node: Node) -> JsonSchema | None:
        if isinstance(node, ToolNode):
            spec = self.specs.get(node.tool)
            return spec.output_schema if spec else None
        if isinstance(node, MapNode):
            spec = self.specs.get(node.tool)
            return {"type": "array", "items": spec.output_schema if spec else {}}
        # The engine makes these outputs, so they have exactly these fields (closed: a read
        # of any other is `unknown_field`).
        if isinstance(node, BranchNode):
            return _closed(_object(value={"type": "boolean"}, taken={"type": "string"}))
        if isinstance(node, SwitchNode):
            return _closed(_object(value={}, case={"type": "string"}))
        if isinstance(node, ApprovalNode):
            output = _object(
                approved={"type": "boolean"},
                # Decisions may carry only the fields a form lists (unless it admits more).
                data=_closed(node.form_schema) if node.form_schema else node.form_schema,
                comment={"type": "string"},
                by={"type": "string"},
                timed_out={"type": "boolean"},
            )
            if node.review:
                output["properties"]["inputs"] = {"type": "object"}
            return _closed(output)
        if isinstance(node, LlmNode):
            return node.output_schema or _object(text={"type": "string"})
        if isinstance(node, ValueNode | OutputNode):
            sites = self.sites[node.id]
            if isinstance(node.value, str):
                site = next(s for s in sites if s.field == "value")
                return infer_type(node.value, self._scope(node, site))
            properties = {}
            for site in sites:
                if site.field.startswith("value."):
                    inferred = infer_type(site.source, self._scope(node, site))
                    properties[site.field.removeprefix("value.")] = inferred or {}
            return {"type": "object", "properties": properties}
        return None

    # suggestions

    def _order(self, node_id: str) -> int:
        return self.position.get(node_id, len(self.ids))

    def _tool_hint(self, tool_id: str) -> str:
        ids = sorted(self.specs)
        close = difflib.get_close_matches(tool_id, ids, n=1, cutoff=0.6)
        if close:
            return f"Did you mean `{close[0]}`? Use a tool id from the catalogue."
        if not ids:
            return "The catalogue is empty; register the tool first."
        shown = ", ".join(f"`{i}`" for i in ids[:12]) + (", ..." if len(ids) > 12 else "")
        return f"Use a tool id from the catalogue: {shown}."

    def _id_hint(self, name: str, where: str) -> str:
        candidates = list(self.ids) + ([RUN_INPUT] if where == "expression" else [])
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        known = ", ".join(f"`{i}`" for i in self.ids[:20])
        if close:
            return f"Did you mean `{close[0]}`? Node ids here: {known}."
        if where == "expression":
            return (
                "Expressions read `input` (the run input) and node ids (their outputs); "
                f"node ids here: {known}. Add the missing node or fix the name."
            )
        return f"Use an existing node id ({known}) or add the missing node."


# --- helpers for messages ------------------------------------------------------------------

_NULL_CHECK = re.compile(
    r"(?<![.\w])([A-Za-z_]\w*)\s*[!=]=\s*null\b|\bnull\s*[!=]=\s*([A-Za-z_]\w*)\b(?!\s*\.)"
)


def _arms(node: Node) -> Iterator[tuple[str, list[str]]]:
    """Arm targets keyed by field path (`then`, `else`, `cases.<key>`, `default`)."""
    for arm, targets in arm_targets(node):
        yield (f"cases.{arm.removeprefix('case:')}" if arm.startswith("case:") else arm), targets


def _arm_phrase(gate: Gate) -> str:
    if gate.arm.startswith("case:"):
        return f"`{gate.owner}` matches case '{gate.arm.removeprefix('case:')}'"
    if gate.arm == "default":
        return f"`{gate.owner}` falls to its default"
    return f"`{gate.owner}` takes '{gate.arm}'"


def _kind(node: Node) -> str:
    return "Switch" if isinstance(node, SwitchNode) else "Branch"


def _names(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _without_self_loops(graph: FlowGraph) -> FlowGraph:
    if not any(map(operator.contains, graph.dependencies.values(), graph.dependencies)):
        return graph
    dependencies = {n: [d for d in deps if d != n] for n, deps in graph.dependencies.items()}
    dependents = {n: [d for d in deps if d != n] for n, deps in graph.dependents.items()}
    return FlowGraph(
        order=graph.order,
        nodes=graph.nodes,
        dependencies=dependencies,
        dependents=dependents,
        references=graph.references,
        gates=graph.gates,
    )


class _Dominance:
    """Which nodes have surely completed whenever a node runs, per trigger semantics.

    A node with trigger "all" has run only after all its dependencies; one with trigger
    "any" only after at least one of its live ones. So `x` has surely completed when `n`
    starts if every live dependency of an "any" node (some dependency of an "all" node)
    implies `x`. One forward pass per `x`, in topological order, answers it for all `n`.
    """

    def __init__(self, graph: FlowGraph, order: list[str], dead: set[str]) -> None:
        self.graph = graph
        self.order = order
        self.dead = dead
        self.position = {node_id: index for index, node_id in enumerate(order)}
        self._implying: dict[str, set[str]] = {}

    def always_before(self, target: str, node_id: str) -> bool:
        implying = self._implying.get(target)
        if implying is None:
            implying = self._implying[target] = self._nodes_implying(target)
        live = [dep for dep in self.graph.dependencies[node_id] if dep not in self.dead]
        return bool(live) and all(dep in implying for dep in live)

    def _nodes_implying(self, target: str) -> set[str]:
        implying = {target}
        for node_id in self.order[self.position[target] + 1 :]:
            if node_id in self.dead:
                continue
            deps = self.graph.dependencies[node_id]
            live = [dep for dep in deps if dep not in self.dead]
            if self.graph.nodes[node_id].trigger == "all":
                implied = any(dep in implying for dep in deps)
            else:
                implied = bool(live) and all(dep in implying for dep in live)
            if implied:
                implying.add(node_id)
        return implying


def _dependency_first_order(graph: FlowGraph) -> list[str]:
    """Every node after the nodes it depends on (iterative: flows may have 10,000 nodes)."""
    order: list[str] = []
    seen: set[str] = set()
    for root in graph.order:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(graph.dependencies[root]))]
        while stack:
            node_id, pending = stack[-1]
            dep = next(pending, None)
            if dep is None:
                stack.pop()
                order.append(node_id)
            elif dep not in seen:
                seen.add(dep)
                stack.append((dep, iter(graph.dependencies[dep])))
    return order


def _describe_error(exc: ExpressionError) -> str:
    where = f" at column {exc.column}" if exc.column is not None else ""
    # The parser lists every token it could accept; "a value" says the same in two words.
    message = re.sub(r"expecting \{[^}]{40,}\}", "expecting a value", exc.message)
    return f"{message}{where} in `{exc.expression}`"


def _expression_hint(exc: ExpressionError) -> str:
    if exc.kind == "cost":
        return (
            "Simplify the expression: at most 4000 characters, 3 comprehension macros "
            "(all/exists/exists_one/map/filter), 32 levels of nesting and 500 operators; "
            "split the work across value nodes."
        )
    return (
        "Write valid CEL: strings in double quotes, `&&`/`||`/`!` for logic, `==` to compare, "
        "`size(x)` for lengths, `cond ? a : b` for choices; fields as `node_id.field`."
    )


def _local_hint(node: Node, site: ExpressionSite, name: str) -> str:
    if name in JOIN_LOCALS:
        return "Read the upstream node by its id instead, e.g. `fetch.body`."
    if isinstance(node, MapNode):
        return (
            f"`{site.field}` is evaluated once for the whole map; use `{name}` only in the "
            "map's `inputs`."
        )
    return (
        "To run a step once per element, use a map node: `items` gives the list and its "
        "`inputs` may read `item` and `index`."
    )


def _field_hint(name: str, properties: Mapping[str, Any], tool_id: str) -> str:
    names = list(properties)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    accepted = ", ".join(f"`{n}`" for n in names)
    if close:
        return f"Did you mean `{close[0]}`? `{tool_id}` accepts: {accepted}."
    return f"Remove it; `{tool_id}` accepts: {accepted}."


def _schema_problem(schema: JsonSchema) -> tuple[str, str] | None:
    """(where, what) is wrong with a JSON Schema, or None when its metaschema accepts it and
    its references stay inside it (`flows.core.json_schemas`)."""
    return schema_problem(schema)


def _accepts_input(schema: JsonSchema, name: str) -> bool:
    """Whether `name` may be passed: schemas with properties are closed unless they say not
    (`unknown_fields`, the rule the run input and approval forms are checked by too).

    Tools receive their inputs as keyword arguments, so an undeclared field usually breaks
    the call.
    """
    return not unknown_fields({name: None}, schema)


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _object(**properties: JsonSchema) -> JsonSchema:
    return {"type": "object", "properties": properties}


def _closed(schema: JsonSchema) -> JsonSchema:
    """An object schema that lists its fields, marked as admitting no others (a copy)."""
    if "additionalProperties" in schema or not isinstance(schema.get("properties"), dict):
        return schema
    return {**schema, "additionalProperties": False}


# --- type inference -----------------------------------------------------------------------
#
# A small CEL parser used only to infer the JSON type of an expression; anything it cannot
# parse or type is "unknown" (None) and never reported. The CEL runtime has already
# accepted the expression by then, so the parser need not explain syntax errors.

_JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<float>(?:\d*\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+))
  | (?P<int>0[xX][0-9a-fA-F]+[uU]?|\d+[uU]?)
  | (?P<string>(?:[rR][bB]?|[bB][rR]?)?(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''
                |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\|\||&&|==|!=|<=|>=|[-+*/%!<>?:.,()\[\]{}])
    """,
    re.VERBOSE,
)
_RELATIONS = {"==", "!=", "<", "<=", ">", ">=", "in"}
_BOOLEAN_METHODS = {"contains", "startsWith", "endsWith", "matches", "all", "exists", "exists_one"}
# fmt: off
_STRING_METHODS = {
    "lowerAscii", "upperAscii", "trim", "replace", "substring", "charAt", "format", "join",
    "quote", "reverse",
}
_INTEGER_METHODS = {
    "size", "indexOf", "lastIndexOf", "getFullYear", "getMonth", "getDayOfMonth", "getDate",
    "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes", "getSeconds", "getMilliseconds",
}
_CONVERSIONS = {
    "size": "integer", "int": "integer", "uint": "integer", "double": "number",
    "string": "string", "bool": "boolean", "has": "boolean", "matches": "boolean",
    "timestamp": "string", "duration": "string", "bytes": "string",
}
# fmt: on


class _Unparsable(Exception):
    pass


#: Nested comprehensions over lists whose `maxItems` multiply to more than this are refused.
MAX_COMPREHENSION_STEPS = 10_000_000
_MACRO_NAMES = frozenset({"all", "exists", "exists_one", "map", "filter"})


def comprehension_cost(
    source: str, scope: Mapping[str, JsonSchema | None]
) -> tuple[int, float, list[str]] | None:
    """The deepest nesting of comprehensions in `source`: (depth, product of the lists'
    `maxItems` along it (inf when one has none), the unbounded lists' text); None when the
    expression cannot be parsed here."""
    tree = parse_tree(source)
    if tree is None:
        return None
    try:
        depth, steps, unbounded = _chain(tree, scope, source)
    except RecursionError:
        return None
    return depth, steps, unbounded


def _chain(
    tree: Any, scope: Mapping[str, JsonSchema | None], source: str
) -> tuple[int, float, list[str]]:
    best: tuple[int, float, list[str]] = (0, 1.0, [])
    if not isinstance(tree, tuple) or not tree or not isinstance(tree[0], str):
        return best
    if (
        tree[0] == "call"
        and tree[1] is not None
        and tree[2] in _MACRO_NAMES
        and len(tree[3]) >= 2
        and tree[3][0][0] == "ident"
    ):
        target = tree[1]
        best = _chain(target, scope, source)
        schema = _infer(target, scope)
        bound = schema.get("maxItems") if isinstance(schema, dict) else None
        items = schema.get("items") if isinstance(schema, dict) else None
        inner = {**scope, tree[3][0][1]: items if isinstance(items, dict) else None}
        body: tuple[int, float, list[str]] = (0, 1.0, [])
        for argument in tree[3][1:]:
            body = max(body, _chain(argument, inner, source), key=lambda c: (c[0], c[1]))
        unbounded = [] if isinstance(bound, int) else [_tree_text(target)]
        factor = float(bound) if isinstance(bound, int) else float("inf")
        nested = (1 + body[0], factor * body[1], unbounded + body[2])
        return max(best, nested, key=lambda c: (c[0], c[1]))
    for part in tree[1:]:
        children = part if isinstance(part, list) else [part]
        for child in children:
            for sub in child if isinstance(child, tuple) and child and isinstance(
                child[0], tuple
            ) else (child,):
                best = max(best, _chain(sub, scope, source), key=lambda c: (c[0], c[1]))
    return best


# --- operands CEL cannot combine -----------------------------------------------------------
#
# CEL never converts between types: `"Total: " + order.total` and `price * 1.1` with a whole
# `price` fail when the run reaches them. A JSON "number" arrives as CEL's int when it is
# whole (6000) and as its double otherwise (6000.5), so arithmetic on one only works for
# every value once it is wrapped in double().

_ARITHMETIC_VERB = {"+": "adds", "-": "subtracts", "*": "multiplies", "/": "divides",
                    "%": "takes the remainder of"}
_ORDERING = frozenset({"<", "<=", ">", ">="})
#: A bool that says a value of each type is there, for an operand `&&` or `!` was given.
_TRUTH = {"string": '{} != ""', "integer": "{} != 0", "number": "{} != 0.0",
          "array": "size({}) > 0", "object": "size({}) > 0"}


def operand_problems(
    source: str, scope: Mapping[str, JsonSchema | None]
) -> list[tuple[str, str]]:
    """(what is wrong, how to fix it) for each operator in `source` whose operands' types,
    as far as they are known, CEL cannot combine at run time."""
    tree = parse_tree(source)
    if tree is None:
        return []
    problems: list[tuple[str, str]] = []
    try:
        _walk_operands(tree, scope, problems)
    except RecursionError:
        return []
    return list(dict.fromkeys(problems))


def _walk_operands(
    tree: Any, scope: Mapping[str, JsonSchema | None], problems: list[tuple[str, str]]
) -> None:
    if not isinstance(tree, tuple) or not tree or not isinstance(tree[0], str):
        return
    kind = tree[0]
    if kind == "call" and tree[1] is not None and tree[2] in _BINDING_MACROS:
        args = tree[3]
        self_scope = scope
        if args and args[0][0] == "ident":
            base = _infer(tree[1], scope)
            items = base.get("items") if base and _types(base) == {"array"} else None
            self_scope = {**scope, args[0][1]: items if isinstance(items, dict) else None}
        _walk_operands(tree[1], scope, problems)
        for argument in args[1:]:
            _walk_operands(argument, self_scope, problems)
        return
    if kind == "arith":
        _check_arithmetic(tree[1], tree[2], tree[3], scope, problems)
    elif kind == "rel":
        _check_relation(tree[1], tree[2], tree[3], scope, problems)
    elif kind in {"logic", "not", "cond"}:
        operands = tree[2:] if kind == "logic" else tree[1:2]
        for operand in operands:
            types = _types(_infer(operand, scope))
            if types is not None and len(types) == 1 and types != {"boolean"}:
                what = "`!`" if kind == "not" else (
                    "a condition (`? :`)" if kind == "cond" else f"`{tree[1]}`")
                text, json_type = _operand_text(operand), next(iter(types))
                problems.append((
                    f"{what} needs a bool, and `{text}` is {_a(json_type)}",
                    "Compare it to make a bool: `" + _TRUTH.get(json_type, "{} != null").format(
                        text) + "`.",
                ))
    for part in tree[1:]:
        for child in part if isinstance(part, list) else [part]:
            if isinstance(child, tuple) and child and isinstance(child[0], tuple):
                for sub in child:  # a map literal's (key, value) pairs
                    _walk_operands(sub, scope, problems)
            else:
                _walk_operands(child, scope, problems)


def _check_arithmetic(
    operator: str,
    left: tuple[Any, ...],
    right: tuple[Any, ...],
    scope: Mapping[str, JsonSchema | None],
    problems: list[tuple[str, str]],
) -> None:
    left_type, right_type = _single_type(left, scope), _single_type(right, scope)
    verb = _ARITHMETIC_VERB[operator]
    texts = (_operand_text(left), _operand_text(right))
    if operator == "+" and "array" in (left_type, right_type):
        other = right_type if left_type == "array" else left_type
        if other in {"string", "integer", "number", "boolean"}:
            problems.append((
                f"`{texts[0]} + {texts[1]}` adds a list and {_a(other)}",
                "Put the value in a list to append it: `list + [value]`.",
            ))
        return
    if operator == "+" and "string" in (left_type, right_type):
        other, other_text = (right_type, texts[1]) if left_type == "string" else (
            left_type, texts[0])
        if other not in (None, "string"):
            problems.append((
                f"`{texts[0]} + {texts[1]}` adds a string and {_a(other)}; CEL never "
                "converts between types",
                f"Convert it to a string: `string({other_text})`.",
            ))
        return
    for operand, operand_type, text in ((left, left_type, texts[0]), (right, right_type, texts[1])):
        calls = operand[0] == "call"  # timestamp() and duration() read as strings here
        if operand_type in {"boolean", "array", "object", "null"} or (
            operand_type == "string" and not calls and operator != "+"
        ):
            problems.append((
                f"`{texts[0]} {operator} {texts[1]}` {verb} {_a(operand_type or '')} "
                f"(`{text}`)",
                "Arithmetic takes numbers: convert it with int(...) or double(...).",
            ))
            return
    kinds = (_numeric_kind(left, scope), _numeric_kind(right, scope))
    if None in kinds:
        return
    if set(kinds) == {"int", "double"}:
        whole = texts[kinds.index("int")]
        literal = (left, right)[kinds.index("int")][0] == "lit"
        problems.append((
            f"`{texts[0]} {operator} {texts[1]}` mixes an int (`{whole}`) with a double; CEL "
            "never converts between them",
            f"Write `{whole}.0`." if literal and whole.isdigit() else
            f"Convert the int: `double({whole})`.",
        ))
    elif "number" in kinds and not (kinds == ("number", "number") and texts[0] == texts[1]):
        loose = texts[kinds.index("number")]
        problems.append((
            f"`{texts[0]} {operator} {texts[1]}` fails for some values: `{loose}` is a JSON "
            "number, an int when whole (6000) and a double otherwise, and CEL never mixes them",
            f"Make both sides doubles: `double({loose})`, and write whole literals as `2.0`.",
        ))


def _check_relation(
    operator: str,
    left: tuple[Any, ...],
    right: tuple[Any, ...],
    scope: Mapping[str, JsonSchema | None],
    problems: list[tuple[str, str]],
) -> None:
    if operator not in _ORDERING and operator not in {"==", "!="}:
        return
    types = (_single_type(left, scope), _single_type(right, scope))
    numeric = {"integer", "number"}
    if None in types or "null" in types or types[0] == types[1] or set(types) <= numeric:
        return
    texts = (_operand_text(left), _operand_text(right))
    if operator in _ORDERING:
        if {"string", "boolean"} & set(types) or set(types) & {"array", "object"}:
            problems.append((
                f"`{texts[0]} {operator} {texts[1]}` orders {_a(types[0] or '')} against "
                f"{_a(types[1] or '')}; CEL never converts between types",
                "Convert one side: `int(x)` or `double(x)` for a number held as text.",
            ))
        return
    if set(types) <= {"string", "boolean", *numeric}:
        outcome = "false" if operator == "==" else "true"
        problems.append((
            f"`{texts[0]} {operator} {texts[1]}` compares {_a(types[0] or '')} with "
            f"{_a(types[1] or '')}, so it is always {outcome}",
            "Compare values of one type: quote the number (`\"200\"`), or convert "
            "the text with `int(x)`.",
        ))


def _single_type(tree: tuple[Any, ...], scope: Mapping[str, JsonSchema | None]) -> str | None:
    types = _types(_infer(tree, scope))
    return next(iter(types)) if types is not None and len(types) == 1 else None


def _numeric_kind(tree: tuple[Any, ...], scope: Mapping[str, JsonSchema | None]) -> str | None:
    """"int" or "double" when CEL's type is certain, "number" for a JSON number that may be
    either, None when not known to be a number."""
    kind = tree[0]
    if kind == "lit":
        return {"integer": "int", "number": "double"}.get(tree[1])
    if kind == "neg":
        return _numeric_kind(tree[1], scope)
    if kind == "call":
        if tree[1] is None and tree[2] == "dyn" and len(tree[3]) == 1:
            return _numeric_kind(tree[3][0], scope)
        if tree[1] is None:
            return {"double": "double", "int": "int", "size": "int"}.get(tree[2])
        return "int" if tree[2] in _INTEGER_METHODS else None
    if kind in {"arith", "cond"}:
        left, right = tree[2:4]
        kinds = {_numeric_kind(left, scope), _numeric_kind(right, scope)}
        return kinds.pop() if len(kinds) == 1 and kinds <= {"int", "double"} else None
    types = _types(_infer(tree, scope))
    return {"integer": "int", "number": "number"}.get(next(iter(types))) if (
        types is not None and len(types) == 1) else None


def _operand_text(tree: tuple[Any, ...]) -> str:
    if tree[0] == "lit":
        value = tree[2]
        if tree[1] == "string":
            return json.dumps(value) if isinstance(value, str) else '"…"'  # escapes kept out
        return "null" if value is None else str(value).lower() if tree[1] == "boolean" else (
            repr(value))
    if tree[0] == "call" and tree[1] is None:
        return f"{tree[2]}({', '.join(_operand_text(argument) for argument in tree[3])})"
    if tree[0] == "neg":
        return f"-{_operand_text(tree[1])}"
    text = _tree_text(tree)
    return text if text != "a list" or tree[0] == "list" else "…"


def _a(json_type: str) -> str:
    words = {"integer": "an int", "number": "a number", "string": "a string",
             "boolean": "a bool", "array": "a list", "object": "a map", "null": "null"}
    return words.get(json_type, "a value")


#: CEL macros whose first argument names a variable bound in the others.
_BINDING_MACROS = frozenset({"all", "exists", "exists_one", "map", "filter", "sortBy",
                             "transformList", "transformMap"})


def _declared_input(schema: JsonSchema) -> JsonSchema:
    """The run input schema as expressions may read it: when it lists properties and does
    not admit others explicitly (`additionalProperties` or `patternProperties`), only the
    listed fields are run inputs (the start form offers no others, so a read of another is a
    typo that would fail at run time). A schema without properties stays open."""
    if "additionalProperties" in schema or schema.get("patternProperties"):
        return schema
    return _closed(schema)


def _closed_fields(schema: JsonSchema | None) -> list[str] | None:
    """The fields of an object schema that lists them and says it admits no others (the
    outputs the engine makes, approval forms, `additionalProperties: false`), else None."""
    if not isinstance(schema, dict):
        return None
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        return None
    if _types(schema) not in (None, {"object"}):
        return None
    # JSON Schema objects admit other fields unless they say not: a tool may return more
    # than its schema lists, and a run input may carry more than the input schema names.
    if schema.get("additionalProperties", True) is not False or schema.get("patternProperties"):
        return None
    if any(key in schema for key in ("anyOf", "oneOf", "allOf", "$ref", "if")):
        return None
    return sorted(properties)


def _unknown_selects(
    tree: Any, scope: Mapping[str, JsonSchema | None], shadowed: frozenset[str]
) -> Iterator[tuple[tuple[Any, ...], str, list[str]]]:
    """(base, field, known fields) for each `base.field` whose base has no such field."""
    if not isinstance(tree, tuple) or not tree:
        return
    kind = tree[0]
    if kind == "call":
        target, name, arguments = tree[1], tree[2], tree[3]
        if target is None and name == "has":
            return  # has(x.f) asks whether the field is there
        inner = shadowed
        if name in _BINDING_MACROS and arguments and arguments[0][0] == "ident":
            inner = shadowed | {arguments[0][1]}
        if target is not None:
            yield from _unknown_selects(target, scope, shadowed)
        for argument in arguments:
            yield from _unknown_selects(argument, scope, inner)
        return
    if kind == "select":
        base, name = tree[1], tree[2]
        root = base
        while isinstance(root, tuple) and root and root[0] in {"select", "index"}:
            root = root[1]
        if not (root[0] == "ident" and root[1] in shadowed):
            known = _closed_fields(_infer(base, scope))
            if known is not None and name not in known:
                yield base, name, known
                return
        yield from _unknown_selects(base, scope, shadowed)
        return
    for child in tree[1:]:
        if isinstance(child, tuple):
            yield from _unknown_selects(child, scope, shadowed)
        elif isinstance(child, list):
            for item in child:
                if isinstance(item, tuple) and item and isinstance(item[0], tuple):
                    for part in item:
                        yield from _unknown_selects(part, scope, shadowed)
                else:
                    yield from _unknown_selects(item, scope, shadowed)


def _path_text(tree: tuple[Any, ...]) -> str:
    if tree[0] == "ident":
        return str(tree[1])
    if tree[0] == "select":
        return f"{_path_text(tree[1])}.{tree[2]}"
    if tree[0] == "index":
        return f"{_path_text(tree[1])}[…]"
    return "the value"


def _tree_text(tree: tuple[Any, ...]) -> str:
    if tree[0] == "ident":
        return str(tree[1])
    if tree[0] == "select":
        return f"{_tree_text(tree[1])}.{tree[2]}"
    if tree[0] == "call" and tree[1] is not None:
        return f"{_tree_text(tree[1])}.{tree[2]}(...)"
    return "a list"


# Every check of a site reads the same tree (its type, its fields, its operands, its
# comprehensions): parsed once, kept as long as the compiled expressions are.
@lru_cache(maxsize=32768)
def parse_tree(source: str) -> tuple[Any, ...] | None:
    """The parse tree of `source` for type inference; None when this parser cannot read it
    (the CEL runtime has judged the syntax already)."""
    try:
        return _Parser(source).parse()
    except (_Unparsable, RecursionError):
        return None


def infer_type(source: str, scope: Mapping[str, JsonSchema | None]) -> JsonSchema | None:
    """The JSON Schema an expression's value is known to have, or None when unknown.

    `scope` maps root names to the schema of their value (None: unknown). Literals carry
    their value as `const`.
    """
    tree = parse_tree(source)
    if tree is None:
        return None
    try:
        return _infer(tree, scope)
    except RecursionError:
        return None


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise _Unparsable(text)
            position = match.end()
            kind = match.lastgroup or ""
            if kind != "space":
                self.tokens.append((kind, match.group()))
        self.at = 0

    def peek(self, offset: int = 0) -> str | None:
        index = self.at + offset
        return self.tokens[index][1] if index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.at >= len(self.tokens):
            raise _Unparsable("unexpected end")
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expect(self, value: str) -> None:
        if self.take()[1] != value:
            raise _Unparsable(value)

    def parse(self) -> tuple[Any, ...]:
        tree = self.expr()
        if self.at != len(self.tokens):
            raise _Unparsable("trailing tokens")
        return tree

    def expr(self) -> tuple[Any, ...]:
        condition = self.binary(0)
        if self.peek() == "?":
            self.take()
            then = self.binary(0)
            self.expect(":")
            return ("cond", condition, then, self.expr())
        return condition

    _LEVELS = (
        ({"||"}, "logic"),
        ({"&&"}, "logic"),
        (_RELATIONS, "rel"),
        ({"+", "-"}, "arith"),
        ({"*", "/", "%"}, "arith"),
    )

    def binary(self, level: int) -> tuple[Any, ...]:
        if level == len(self._LEVELS):
            return self.unary()
        operators, kind = self._LEVELS[level]
        left = self.binary(level + 1)
        while self.peek() in operators:
            operator = self.take()[1]
            left = (kind, operator, left, self.binary(level + 1))
        return left

    def unary(self) -> tuple[Any, ...]:
        if self.peek() == "!":
            self.take()
            return ("not", self.unary())
        if self.peek() == "-":
            self.take()
            return ("neg", self.unary())
        return self.member()

    def member(self) -> tuple[Any, ...]:
        tree = self.primary()
        while True:
            token = self.peek()
            if token == ".":
                self.take()
                kind, name = self.take()
                if kind != "ident":
                    raise _Unparsable(name)
                if self.peek() == "(":
                    tree = ("call", tree, name, self.arguments(")"))
                else:
                    tree = ("select", tree, name)
            elif token == "[":
                self.take()
                index = self.expr()
                self.expect("]")
                tree = ("index", tree, index)
            elif token == "{" and tree[0] in {"ident", "select"}:
                self.take()
                self.initialisers("}")
                tree = ("unknown",)
            else:
                return tree

    def primary(self) -> tuple[Any, ...]:
        kind, text = self.take()
        if kind == "op" and text == ".":
            kind, text = self.take()
        if kind == "ident":
            if text in {"true", "false"}:
                return ("lit", "boolean", text == "true")
            if text == "null":
                return ("lit", "null", None)
            if self.peek() == "(":
                return ("call", None, text, self.arguments(")"))
            return ("ident", text)
        if kind == "int":
            digits = text.rstrip("uU")
            return ("lit", "integer", int(digits, 16 if digits[:2].lower() == "0x" else 10))
        if kind == "float":
            return ("lit", "number", float(text))
        if kind == "string":
            return ("lit", "string", _string_value(text))
        if text == "(":
            inner = self.expr()
            self.expect(")")
            return inner
        if text == "[":
            return ("list", self.arguments("]", opened=True))
        if text == "{":
            return ("map", self.initialisers("}"))
        raise _Unparsable(text)

    def arguments(self, closing: str, *, opened: bool = False) -> list[tuple[Any, ...]]:
        if not opened:
            self.expect("(")
        items: list[tuple[Any, ...]] = []
        while self.peek() != closing:
            items.append(self.expr())
            if self.peek() == ",":
                self.take()
            elif self.peek() != closing:
                raise _Unparsable("expected , or closing")
        self.take()
        return items

    def initialisers(self, closing: str) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
        entries = []
        while self.peek() != closing:
            key = self.expr()
            self.expect(":")
            entries.append((key, self.expr()))
            if self.peek() == ",":
                self.take()
            elif self.peek() != closing:
                raise _Unparsable("expected , or closing")
        self.take()
        return entries


_MISSING = object()


def _string_value(token: str) -> Any:
    prefix = re.match(r"[rRbB]*", token)
    assert prefix is not None
    body = token[prefix.end() :]
    quote = 3 if body[:3] in {'"""', "'''"} else 1
    inner = body[quote:-quote]
    raw = "r" in prefix.group().lower()
    if "b" in prefix.group().lower() or (not raw and "\\" in inner):
        return _MISSING  # bytes (base64 in JSON) or escapes: the type is known, the value not
    return inner


def _literal_schema(kind: str, value: Any) -> JsonSchema:
    schema: JsonSchema = {"type": kind}
    if value is not _MISSING:
        schema["const"] = value
    return schema


def _infer(tree: tuple[Any, ...], scope: Mapping[str, JsonSchema | None]) -> JsonSchema | None:
    kind = tree[0]
    if kind == "lit":
        return _literal_schema(tree[1], tree[2])
    if kind in {"logic", "rel", "not"}:
        return {"type": "boolean"}
    if kind == "list":
        element_types = [_types(_infer(element, scope)) for element in tree[1]]
        first = element_types[0] if element_types else None
        if first and all(types == first for types in element_types):
            return {"type": "array", "items": {"type": _type_value(first)}}
        return {"type": "array"}
    if kind == "map":
        properties = {}
        for key, value in tree[1]:
            if key[0] == "lit" and key[1] == "string" and isinstance(key[2], str):
                properties[key[2]] = _infer(value, scope) or {}
        return {"type": "object", "properties": properties}
    if kind == "ident":
        schema = scope.get(tree[1])
        return schema if isinstance(schema, dict) and schema else None
    if kind == "select":
        return _property(_infer(tree[1], scope), tree[2])
    if kind == "index":
        base = _infer(tree[1], scope)
        if base is None:
            return None
        if _types(base) == {"array"} and isinstance(base.get("items"), dict):
            return base["items"] or None
        index = tree[2]
        if index[0] == "lit" and index[1] == "string":
            return _property(base, index[2])
        return None
    if kind == "call":
        return _infer_call(tree[1], tree[2], tree[3], scope)
    if kind == "neg":
        operand = _types(_infer(tree[1], scope))
        return {"type": next(iter(operand))} if operand in ({"integer"}, {"number"}) else None
    if kind == "arith":
        return _infer_arith(tree[1], _infer(tree[2], scope), _infer(tree[3], scope))
    if kind == "cond":
        then, otherwise = _infer(tree[2], scope), _infer(tree[3], scope)
        then_types, other_types = _types(then), _types(otherwise)
        if then_types is None or other_types is None:
            return None
        return {"type": _type_value(then_types | other_types)}
    return None


def _infer_call(
    target: tuple[Any, ...] | None,
    name: str,
    args: list[tuple[Any, ...]],
    scope: Mapping[str, JsonSchema | None],
) -> JsonSchema | None:
    if target is None:
        if name == "dyn" and len(args) == 1:
            return _infer(args[0], scope)
        result = _CONVERSIONS.get(name)
        return {"type": result} if result else None
    if name in _BOOLEAN_METHODS:
        return {"type": "boolean"}
    if name in _STRING_METHODS:
        return {"type": "string"}
    if name in _INTEGER_METHODS:
        return {"type": "integer"}
    if name == "split":
        return {"type": "array", "items": {"type": "string"}}
    if name == "filter":
        base = _infer(target, scope)
        return base if _types(base) == {"array"} else {"type": "array"}
    if name == "map":
        base = _infer(target, scope)
        if len(args) == 2 and args[0][0] == "ident":
            items = base.get("items") if base and _types(base) == {"array"} else None
            inner = {**scope, args[0][1]: items if isinstance(items, dict) else None}
            body = _infer(args[1], inner)
            return {"type": "array", "items": body} if body else {"type": "array"}
        return {"type": "array"}
    return None


def _infer_arith(
    operator: str, left: JsonSchema | None, right: JsonSchema | None
) -> JsonSchema | None:
    left_types, right_types = _types(left), _types(right)
    single = {
        side: next(iter(types))
        for side, types in (("l", left_types), ("r", right_types))
        if types is not None and len(types) == 1
    }
    numeric = {"integer", "number"}
    if operator == "+":
        for sequence in ("string", "array"):
            if sequence in single.values():
                if (
                    sequence == "string"
                    and left is not None
                    and right is not None
                    and isinstance(left.get("const"), str)
                    and isinstance(right.get("const"), str)
                ):
                    return {"type": "string", "const": left["const"] + right["const"]}
                return {"type": sequence}
    if len(single) == 2 and set(single.values()) <= numeric:
        return {"type": "integer" if set(single.values()) == {"integer"} else "number"}
    return None


def _property(schema: JsonSchema | None, name: str) -> JsonSchema | None:
    if not isinstance(schema, dict):
        return None
    properties = schema.get("properties")
    if isinstance(properties, dict) and isinstance(properties.get(name), dict):
        return properties[name] or None
    return None


def _types(schema: JsonSchema | None) -> set[str] | None:
    """The JSON types a schema allows, or None when it does not say."""
    if not isinstance(schema, dict) or not schema:
        return None
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared} if declared in _JSON_TYPES else None
    if isinstance(declared, list) and declared:
        types = {t for t in declared if isinstance(t, str)}
        return types if types and types <= set(_JSON_TYPES) else None
    if "const" in schema:
        return {json_type_name(schema["const"])}
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return {json_type_name(value) for value in schema["enum"]}
    for combinator in ("anyOf", "oneOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list) and branches:
            union: set[str] = set()
            for branch in branches:
                branch_types = _types(branch)
                if branch_types is None:
                    return None
                union |= branch_types
            return union
    return None


def _type_value(types: Iterable[str]) -> str | list[str]:
    ordered = [t for t in _JSON_TYPES if t in set(types)]
    return ordered[0] if len(ordered) == 1 else ordered


def _fits(actual: str, expected: str) -> bool:
    # JSON Schema "integer" vs "number" depends on the value, not the declaration; a
    # number-typed source may well hold whole numbers, so we never report that pair.
    return actual == expected or {actual, expected} == {"integer", "number"}


def _listed_values(schema: JsonSchema | None) -> list[Any] | None:
    """The values a schema lists (`enum`, `const`), also through `anyOf` / `oneOf` (an
    optional enum: `anyOf: [{enum: [...]}, {type: null}]`), or None when any value of its
    type goes."""
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    for combinator in ("anyOf", "oneOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list) and branches:
            values: list[Any] = []
            for branch in branches:
                listed = _listed_values(branch)
                if listed is None:
                    if _types(branch) != {"null"}:
                        return None
                    listed = [None]
                values.extend(listed)
            return values
    return None


def _is_listed(value: Any, allowed: list[Any]) -> bool:
    # 1 == True in Python; JSON tells them apart.
    return any(
        value == v and isinstance(value, bool) == isinstance(v, bool)
        and (value is None) == (v is None)
        for v in allowed
    )


def _closest_listed(value: Any, allowed: list[Any]) -> Any | None:
    """The allowed value `value` was likely meant as: the same letters in another case, or
    a near spelling ("Fedex" -> "fedex", "fedx" -> "fedex")."""
    if not isinstance(value, str):
        return None
    words = [v for v in allowed if isinstance(v, str)]
    folded = value.strip().casefold()
    for word in words:
        if word.casefold() == folded:
            return word
    by_fold = {word.casefold(): word for word in words}
    close = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.75)
    return by_fold[close[0]] if close else None


def _misfit(inferred: JsonSchema, target: JsonSchema) -> tuple[str, str] | None:
    """(what the target wants, what the expression is) when they cannot match."""
    actual, expected = _types(inferred), _types(target)
    if actual and expected and not any(_fits(a, e) for a in actual for e in expected):
        return _type_phrase(expected), _type_phrase(actual)
    if "const" not in inferred:
        return None
    value = inferred["const"]
    if "const" in target and value != target["const"]:
        return f"exactly {json.dumps(target['const'])}", "a different value"
    allowed = _listed_values(target)
    if allowed is not None and not _is_listed(value, allowed):
        shown = ", ".join(json.dumps(v) for v in allowed if v is not None)
        return f"one of {shown}", "not one of them"
    if expected == {"integer"} and isinstance(value, float) and not value.is_integer():
        return "an integer", f"the fraction {value}"
    return None


_ARTICLES = {
    "null": "null",
    "boolean": "a boolean",
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "array": "a list",
    "object": "an object",
}


def _type_phrase(types: Iterable[str]) -> str:
    ordered = [t for t in _JSON_TYPES if t in set(types)]
    return " or ".join(_ARTICLES[t] for t in ordered)


def _conversion_hint(inferred: JsonSchema, target: JsonSchema) -> str:
    actual, expected = _types(inferred) or set(), _types(target) or set()
    listed = _listed_values(target)
    if listed is not None and "const" not in target:
        allowed = ", ".join(json.dumps(v) for v in listed if v is not None)
        close = _closest_listed(inferred.get("const"), listed)
        if close is not None:
            return f"Did you mean {json.dumps(close)}? The allowed values: {allowed}."
        return f"Use one of the allowed values: {allowed}."
    if "boolean" in expected:
        return (
            'Give a true/false expression: compare (`x == "ok"`, `x > 0`), test a size '
            "(`size(x) > 0`) or read a boolean field."
        )
    if "array" in expected:
        return "Give a list: a list field such as `input.items`, or wrap one value as `[x]`."
    if "string" in expected and actual & {"integer", "number", "boolean"}:
        return "Convert it with `string(...)`, or read a string field instead."
    if expected & {"integer", "number"} and "string" in actual:
        return "Convert it with `int(...)` or `double(...)`, or read a numeric field instead."
    if "object" in expected:
        return 'Give an object: a node\'s whole output, an object field, or a map `{"k": v}`.'
    return f"Give an expression that yields {_type_phrase(expected)}."
