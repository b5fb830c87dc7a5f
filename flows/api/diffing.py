"""What changed between two IR documents: nodes (by id) field by field, dependency edges,
and the flow-level fields. Works on raw JSON, so even a document that no longer parses
can be compared (its edges are then left out)."""

from __future__ import annotations

from typing import Any

FLOW_FIELDS = ("name", "description", "input_schema", "joins", "max_steps", "timeout_s",
               "metadata", "ir_version")


def ir_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    old_nodes = _nodes(before)
    new_nodes = _nodes(after)
    changed = []
    for node_id, node in new_nodes.items():
        old = old_nodes.get(node_id)
        if old is None or old == node:
            continue
        changes = {
            key: {"before": old.get(key), "after": node.get(key)}
            for key in sorted(set(old) | set(node))
            if old.get(key) != node.get(key)
        }
        changed.append({"id": node_id, "changes": changes})
    old_edges, new_edges = _edges(before), _edges(after)
    return {
        "added": [node for node_id, node in new_nodes.items() if node_id not in old_nodes],
        "removed": [node_id for node_id in old_nodes if node_id not in new_nodes],
        "changed": changed,
        "edges_added": sorted([list(edge) for edge in new_edges - old_edges]),
        "edges_removed": sorted([list(edge) for edge in old_edges - new_edges]),
        "flow_changes": {
            key: {"before": before.get(key), "after": after.get(key)}
            for key in FLOW_FIELDS
            if before.get(key) != after.get(key)
        },
    }


def _nodes(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    nodes = document.get("nodes")
    if not isinstance(nodes, list):
        return {}
    found: dict[str, dict[str, Any]] = {}
    for index, node in enumerate(nodes):
        if isinstance(node, dict):
            node_id = node.get("id")
            found[str(node_id) if isinstance(node_id, str) else f"#{index}"] = node
    return found


def _edges(document: dict[str, Any]) -> set[tuple[str, str]]:
    from pydantic import ValidationError

    from flows.core.expressions import ExpressionError
    from flows.core.graph import build_graph
    from flows.core.ir import parse_flow

    try:
        graph = build_graph(parse_flow(document))
    except (ValidationError, ValueError, KeyError, ExpressionError):
        return set()
    return {(dep, node_id) for node_id, deps in graph.dependencies.items() for dep in deps}
