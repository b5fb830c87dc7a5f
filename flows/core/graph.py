"""The dependency graph of a flow: which node waits for which, and which arm gates what.

Edges come from three places: a reference to a node id inside any of a node's
expressions (data), `after` (ordering only), and branch/switch arms (a target waits for
its branch). The validator and the engine both read the graph from here.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from flows.core.expressions import ExpressionError, compile_expression, template_expressions
from flows.core.ir import (
    ApprovalNode,
    BranchNode,
    Flow,
    LlmNode,
    MapNode,
    Node,
    OutputNode,
    SwitchNode,
    ToolNode,
    ValueNode,
)

#: Names an expression may read that are not node ids.
RUN_INPUT = "input"
MAP_LOCALS = frozenset({"item", "index"})
JOIN_LOCALS = frozenset({"source"})
#: Node kinds as tuples: `isinstance(x, A | B)` builds the union object on every call.
_ROUTERS = (BranchNode, SwitchNode)


_gc_lock = threading.Lock()
_gc_holders = 0
_gc_was_enabled = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a flow's structures are built.

    Validating or compiling a flow allocates a few hundred thousand small acyclic objects
    at 10,000 nodes; each full collection they trigger walks every object in the process,
    which made the cost per node grow with the flow (and with the process's heap). They
    are freed by reference counting, so nothing is lost by collecting once afterwards.
    Nested and concurrent holders share one pause; the last one out restores the collector.
    """
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                gc.enable()


@dataclass(frozen=True, slots=True)
class ExpressionSite:
    """One expression of a node, and where it sits (for error messages)."""

    node_id: str
    field: str
    source: str
    local_names: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Gate:
    """A node runs only when branch/switch `owner` takes `arm`."""

    owner: str
    arm: str


@dataclass(slots=True)
class FlowGraph:
    order: list[str]
    nodes: dict[str, Node]
    dependencies: dict[str, list[str]]
    dependents: dict[str, list[str]]
    references: dict[str, set[str]]
    gates: dict[str, list[Gate]] = field(default_factory=dict)

    def ancestors(self, node_id: str) -> set[str]:
        seen: set[str] = set()
        stack = list(self.dependencies.get(node_id, ()))
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.dependencies.get(current, ()))
        return seen


def expression_sites(node: Node) -> Iterator[ExpressionSite]:
    """Every expression a node holds, with the field path used in errors."""
    if node.when is not None:
        yield ExpressionSite(node.id, "when", node.when)
    if isinstance(node, ToolNode):
        for name, source in node.inputs.items():
            yield ExpressionSite(node.id, f"inputs.{name}", source)
    elif isinstance(node, MapNode):
        yield ExpressionSite(node.id, "items", node.items)
        for name, source in node.inputs.items():
            yield ExpressionSite(node.id, f"inputs.{name}", source, MAP_LOCALS)
    elif isinstance(node, BranchNode):
        yield ExpressionSite(node.id, "condition", node.condition)
    elif isinstance(node, SwitchNode):
        yield ExpressionSite(node.id, "value", node.value)
    elif isinstance(node, ApprovalNode):
        for name, source in node.context.items():
            yield ExpressionSite(node.id, f"context.{name}", source)
    elif isinstance(node, ValueNode | OutputNode):
        if isinstance(node.value, str):
            yield ExpressionSite(node.id, "value", node.value)
        else:
            for name, source in node.value.items():
                yield ExpressionSite(node.id, f"value.{name}", source)
    elif isinstance(node, LlmNode):
        for index, source in enumerate(template_expressions(node.prompt)):
            yield ExpressionSite(node.id, f"prompt[{index}]", source)
        if node.system:
            for index, source in enumerate(template_expressions(node.system)):
                yield ExpressionSite(node.id, f"system[{index}]", source)


def referenced_names(site: ExpressionSite) -> set[str]:
    """Root names the expression reads, minus its own locals; empty if it does not compile."""
    try:
        compiled = compile_expression(site.source)
    except ExpressionError:
        return set()
    return {name for name in compiled.variables if name not in site.local_names}


def arm_targets(node: Node) -> Iterator[tuple[str, list[str]]]:
    if isinstance(node, BranchNode):
        yield "then", node.then
        yield "else", node.else_
    elif isinstance(node, SwitchNode):
        for key, targets in node.cases.items():
            yield f"case:{key}", targets
        yield "default", node.default


def build_graph(flow: Flow, sites: Mapping[str, list[ExpressionSite]] | None = None) -> FlowGraph:
    """The graph of `flow`. Unknown ids are left out (the validator reports them).

    `sites` are the nodes' expression sites when the caller has them already (ids unique).
    """
    nodes = {node.id: node for node in flow.nodes}
    references: dict[str, set[str]] = {}
    # dicts as ordered sets: a node after 10,000 others must not cost 10,000² lookups
    edges: dict[str, dict[str, None]] = {node_id: {} for node_id in nodes}
    gates: dict[str, list[Gate]] = {}

    for node in flow.nodes:
        refs: set[str] = set()
        for site in expression_sites(node) if sites is None else sites[node.id]:
            refs |= referenced_names(site)
        refs.discard(RUN_INPUT)
        references[node.id] = refs
        own = edges[node.id]
        if refs:
            for ref in sorted(refs):
                if ref in nodes:
                    own[ref] = None
        for before in node.after:
            if before in nodes:
                own[before] = None
        if isinstance(node, _ROUTERS):
            for arm, targets in arm_targets(node):
                for target in targets:
                    if target in nodes:
                        edges[target][node.id] = None
                        gates.setdefault(target, []).append(Gate(node.id, arm))

    dependencies: dict[str, list[str]] = {}
    dependents: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for node_id, deps in edges.items():
        dependencies[node_id] = listed = list(deps)
        for dep in listed:
            dependents[dep].append(node_id)
    return FlowGraph(
        order=list(nodes),
        nodes=nodes,
        dependencies=dependencies,
        dependents=dependents,
        references=references,
        gates=gates,
    )


def find_cycle(graph: FlowGraph) -> list[str] | None:
    """One cycle as a list of ids (first id repeated at the end), or None when acyclic.

    Iterative, because a flow may have 10,000 nodes.
    """
    if _acyclic(graph):  # the usual answer, for half the work of the search below
        return None
    colour: dict[str, int] = dict.fromkeys(graph.order, 0)  # 0 new, 1 on the path, 2 done
    for root in graph.order:
        if colour[root]:
            continue
        colour[root] = 1
        path = [root]
        stack = [iter(graph.dependents[root])]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = 2
                stack.pop()
            elif colour[nxt] == 1:
                return [*path[path.index(nxt) :], nxt]
            elif colour[nxt] == 0:
                colour[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph.dependents[nxt]))
    return None


def _acyclic(graph: FlowGraph) -> bool:
    """Whether Kahn's algorithm reaches every node (order does not matter here)."""
    remaining = {node_id: len(deps) for node_id, deps in graph.dependencies.items()}
    ready = [node_id for node_id, count in remaining.items() if not count]
    dependents = graph.dependents
    reached = 0
    while ready:
        reached += 1
        for nxt in dependents[ready.pop()]:
            remaining[nxt] -= 1
            if not remaining[nxt]:
                ready.append(nxt)
    return reached == len(remaining)


def topological_order(graph: FlowGraph) -> list[str]:
    """Kahn's order, ties broken by position in the IR (so runs are reproducible).

    The ready nodes sit in a heap keyed by position: O((n + e) log n) at any width.
    """
    remaining = {node_id: len(deps) for node_id, deps in graph.dependencies.items()}
    position = {node_id: index for index, node_id in enumerate(graph.order)}
    ready = [position[n] for n, count in remaining.items() if count == 0]
    heapq.heapify(ready)
    order = graph.order
    dependents = graph.dependents
    result: list[str] = []
    while ready:
        current = order[heapq.heappop(ready)]
        result.append(current)
        for nxt in dependents[current]:
            remaining[nxt] -= 1
            if remaining[nxt] == 0:
                heapq.heappush(ready, position[nxt])
    if len(result) != len(graph.order):
        raise ValueError("the flow has a cycle")
    return result
