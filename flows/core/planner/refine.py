"""Edit operations on a flow: what a refine returns, how they apply (to a copy), and the diff
the editor previews before a person accepts them."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from flows.core.graph import build_graph
from flows.core.ir import Flow, Node, NodeId, parse_flow


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AddNode(_Op):
    """Add a node; `before` lists existing nodes that must now wait for it."""

    op: Literal["add_node"] = "add_node"
    node: Node
    before: list[NodeId] = Field(default_factory=list)


class RemoveNode(_Op):
    """Remove a node and every ordering edge and branch arm entry that names it."""

    op: Literal["remove_node"] = "remove_node"
    id: NodeId


class SetInput(_Op):
    """Set (or with `expression` null, remove) one input of a tool or map node (the context
    entry of an approval, the entry of a value/output object)."""

    op: Literal["set_input"] = "set_input"
    node: NodeId
    field: str = Field(min_length=1, max_length=200)
    expression: str | None = None


class Connect(_Op):
    """Make `target` run after `source` (an ordering edge)."""

    op: Literal["connect"] = "connect"
    source: NodeId
    target: NodeId


class Disconnect(_Op):
    op: Literal["disconnect"] = "disconnect"
    source: NodeId
    target: NodeId


class Rename(_Op):
    """Rename a node; every reference to it is rewritten."""

    op: Literal["rename"] = "rename"
    id: NodeId
    new_id: NodeId


class UpdateNode(_Op):
    """Replace fields of a node (`when`, `title`, `condition`, `instructions`, ...)."""

    op: Literal["update_node"] = "update_node"
    id: NodeId
    changes: dict[str, Any] = Field(min_length=1)


class AddInputField(_Op):
    """Declare a field of the run input (new inputs of added nodes often read one)."""

    op: Literal["add_input_field"] = "add_input_field"
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
    field_schema: dict[str, Any] = Field(alias="schema", default_factory=dict)
    required: bool = False


EditOperation = Annotated[
    AddNode | RemoveNode | SetInput | Connect | Disconnect | Rename | UpdateNode | AddInputField,
    Field(discriminator="op"),
]
_operations_adapter: TypeAdapter[list[EditOperation]] = TypeAdapter(list[EditOperation])


class EditError(Exception):
    """An operation that cannot apply to the flow as it stands at that point."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(f"operation {index + 1}: {message}")
        self.index = index
        self.message = message

    def to_json(self) -> dict[str, Any]:
        return {
            "code": "edit_error",
            "message": str(self),
            "node": None,
            "field": f"operations[{self.index}]",
            "hint": "Refer only to nodes that exist at that point, and keep ids unique.",
        }


def parse_operations(data: Any) -> list[EditOperation]:
    """Operations from JSON (a list, or {"operations": [...]}); raises ValidationError."""
    if isinstance(data, dict) and "operations" in data:
        data = data["operations"]
    return _operations_adapter.validate_python(data)


def operations_to_json(operations: Sequence[EditOperation]) -> list[dict[str, Any]]:
    return [op.model_dump(mode="json", by_alias=True, exclude_none=False) for op in operations]


_ARM_FIELDS = ("then", "else")


def apply_operations(flow: Flow, operations: Sequence[EditOperation]) -> Flow:
    """A new flow with `operations` applied in order; `flow` is left as it was.

    Raises EditError when an operation names a node that is not there (or clashes), and
    pydantic's ValidationError when the result is not structurally an IR document. The
    validator's checks are the caller's (a refine validates what comes back).
    """
    data = copy.deepcopy(flow.to_json())
    for index, op in enumerate(operations):
        nodes: list[dict[str, Any]] = data["nodes"]
        by_id = {node["id"]: node for node in nodes}

        def need(node_id: str, index: int = index, by_id: dict = by_id) -> dict[str, Any]:
            if node_id not in by_id:
                raise EditError(index, f"there is no node '{node_id}'")
            return by_id[node_id]

        if isinstance(op, AddNode):
            node = op.node.model_dump(mode="json", by_alias=True, exclude_none=True)
            if node["id"] in by_id:
                raise EditError(index, f"a node '{node['id']}' already exists")
            for waiting in op.before:
                after = need(waiting).setdefault("after", [])
                if node["id"] not in after:
                    after.append(node["id"])
            nodes.append(node)
        elif isinstance(op, RemoveNode):
            need(op.id)
            data["nodes"] = [node for node in nodes if node["id"] != op.id]
            for node in data["nodes"]:
                _drop_mentions(node, op.id)
        elif isinstance(op, SetInput):
            _set_input(need(op.node), op, index)
        elif isinstance(op, Connect):
            need(op.source)
            target = need(op.target)
            if op.source == op.target:
                raise EditError(index, "a node cannot run after itself")
            after = target.setdefault("after", [])
            if op.source not in after:
                after.append(op.source)
        elif isinstance(op, Disconnect):
            need(op.source)
            target = need(op.target)
            target["after"] = [dep for dep in target.get("after", []) if dep != op.source]
            _drop_arm_entry(by_id[op.source], op.target)
            if op.source in _node_references(target):
                raise EditError(
                    index,
                    f"'{op.target}' reads the output of '{op.source}'; change that input "
                    "(set_input) before disconnecting them",
                )
        elif isinstance(op, Rename):
            need(op.id)
            if op.new_id in by_id:
                raise EditError(index, f"a node '{op.new_id}' already exists")
            for node in nodes:
                _rename_in_node(node, op.id, op.new_id)
        elif isinstance(op, AddInputField):
            schema = data.setdefault("input_schema", {"type": "object"})
            schema.setdefault("properties", {})[op.name] = op.field_schema or {}
            if op.required and op.name not in schema.setdefault("required", []):
                schema["required"].append(op.name)
        elif isinstance(op, UpdateNode):
            node = need(op.id)
            for key, value in op.changes.items():
                if key in ("id", "type"):
                    raise EditError(index, f"'{key}' cannot be changed with update_node")
                if value is None:
                    node.pop(key, None)
                else:
                    node[key] = value
    return parse_flow(data)


def _set_input(node: dict[str, Any], op: SetInput, index: int) -> None:
    kind = node.get("type")
    if kind in ("tool", "map"):
        container = node.setdefault("inputs", {})
    elif kind == "approval":
        container = node.setdefault("context", {})
    elif kind in ("value", "output") and isinstance(node.get("value"), dict):
        container = node["value"]
    else:
        raise EditError(index, f"'{node['id']}' is a {kind} node; it has no inputs to set")
    if op.expression is None:
        container.pop(op.field, None)
    else:
        container[op.field] = op.expression


def _drop_mentions(node: dict[str, Any], node_id: str) -> None:
    if "after" in node:
        node["after"] = [dep for dep in node["after"] if dep != node_id]
    _drop_arm_entry(node, node_id)


def _drop_arm_entry(node: dict[str, Any], node_id: str) -> None:
    for arm in (*_ARM_FIELDS, "default"):
        if isinstance(node.get(arm), list):
            node[arm] = [target for target in node[arm] if target != node_id]
    if isinstance(node.get("cases"), dict):
        node["cases"] = {
            key: [target for target in targets if target != node_id]
            for key, targets in node["cases"].items()
        }


def _node_references(node: dict[str, Any]) -> set[str]:
    flow_node = TypeAdapter(Node).validate_python(node)
    probe = Flow.model_validate({"name": "probe", "nodes": [flow_node]})
    return build_graph(probe).references.get(flow_node.id, set())


_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")


def rename_in_expression(source: str, old: str, new: str) -> str:
    """Rewrite root references to `old` (not field selections like `x.old`, not strings)."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(old)}\b")
    pieces = []
    position = 0
    for match in _STRING.finditer(source):
        pieces.append(pattern.sub(new, source[position : match.start()]))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(pattern.sub(new, source[position:]))
    return "".join(pieces)


_TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def _rename_in_node(node: dict[str, Any], old: str, new: str) -> None:
    def rewrite(expression: str) -> str:
        return rename_in_expression(expression, old, new)

    if node["id"] == old:
        node["id"] = new
    if "after" in node:
        node["after"] = [new if dep == old else dep for dep in node["after"]]
    for arm in (*_ARM_FIELDS, "default"):
        if isinstance(node.get(arm), list):
            node[arm] = [new if target == old else target for target in node[arm]]
    if isinstance(node.get("cases"), dict):
        node["cases"] = {
            key: [new if t == old else t for t in targets] for key, targets in node["cases"].items()
        }
    for key in ("when", "condition", "items"):
        if isinstance(node.get(key), str):
            node[key] = rewrite(node[key])
    if node.get("type") in ("value", "output", "switch") and isinstance(node.get("value"), str):
        node["value"] = rewrite(node["value"])
    for key in ("inputs", "context", "value"):
        if isinstance(node.get(key), dict):
            node[key] = {name: rewrite(expr) for name, expr in node[key].items()}
    for key in ("prompt", "system"):
        if isinstance(node.get(key), str) and node.get("type") == "llm":
            node[key] = _TEMPLATE.sub(
                lambda match: "{{" + rewrite(match.group(1)) + "}}", node[key]
            )


def diff_flows(
    before: Flow, after: Flow, *, renamed: dict[str, str] | None = None
) -> dict[str, Any]:
    """What changed: nodes added, removed, renamed and changed (field by field), dependency
    edges added and removed, and the run input schema when it changed."""
    renamed = dict(renamed or {})
    old_nodes = {
        node.id: node.model_dump(mode="json", by_alias=True, exclude_none=True)
        for node in before.nodes
    }
    new_nodes = {
        node.id: node.model_dump(mode="json", by_alias=True, exclude_none=True)
        for node in after.nodes
    }
    reverse = {new: old for old, new in renamed.items() if new in new_nodes and old in old_nodes}
    added = [new_nodes[i] for i in new_nodes if i not in old_nodes and i not in reverse]
    removed = [i for i in old_nodes if i not in new_nodes and i not in renamed]
    changed = []
    for new_id, node in new_nodes.items():
        old_id = reverse.get(new_id, new_id)
        if old_id not in old_nodes:
            continue
        old = dict(old_nodes[old_id], id=new_id)
        fields = {}
        for key in sorted(set(old) | set(node)):
            if old.get(key) != node.get(key):
                fields[key] = {"before": old.get(key), "after": node.get(key)}
        if fields:
            changed.append({"id": new_id, "changes": fields})

    def edges(flow: Flow, mapping: dict[str, str]) -> set[tuple[str, str]]:
        graph = build_graph(flow)
        return {
            (mapping.get(dep, dep), mapping.get(node_id, node_id))
            for node_id, deps in graph.dependencies.items()
            for dep in deps
        }

    old_edges = edges(before, renamed)
    new_edges = edges(after, {})
    result: dict[str, Any] = {
        "added": added,
        "removed": removed,
        "renamed": {old: new for old, new in renamed.items() if new in new_nodes},
        "changed": changed,
        "edges_added": sorted([list(edge) for edge in new_edges - old_edges]),
        "edges_removed": sorted([list(edge) for edge in old_edges - new_edges]),
    }
    if before.input_schema != after.input_schema:
        result["input_schema"] = {"before": before.input_schema, "after": after.input_schema}
    return result


def renames_of(operations: Sequence[EditOperation]) -> dict[str, str]:
    """Original id -> final id across a sequence of renames."""
    mapping: dict[str, str] = {}
    for op in operations:
        if isinstance(op, Rename):
            original = next((k for k, v in mapping.items() if v == op.id), op.id)
            mapping[original] = op.new_id
    return mapping
