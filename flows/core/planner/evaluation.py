"""The planner evaluation: cases (prompt, tool subset, expected properties of the plan) and
the checks that score a planner on them. `python manage.py eval_planner` prints the
report; the cases live in evals/planner/*.json.

Expected properties a case may state (all optional):
- ok:            whether planning should succeed (default true)
- error_step:    for a failing case, a word the failure's step must contain
- tools:         tool ids the plan must use (as a tool or map node)
- forbid_tools:  tool ids it must not use
- order:         [[a, b], ...] the node using tool a is an ancestor of the one using b
- parallel:      [[a, b], ...] neither node is an ancestor of the other
- branches:      at least this many branch/switch nodes
- max_branches:  at most this many
- conditional:   tools that run only under a condition (arm, guard, or after such a node)
- unconditional: tools that do not
- approvals:     at least this many approval nodes
- approval_before: tools that some approval node comes before
- maps:          tools that run in a map node
- input_fields:  fields the run input schema must declare
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.core.graph import FlowGraph, build_graph, topological_order
from flows.core.ir import ApprovalNode, BranchNode, Flow, MapNode, SwitchNode, ToolNode
from flows.core.planner.base import Planner, PlanResult
from flows.core.planner.session import plan_flow
from flows.core.tools import ToolCatalog


@dataclass(frozen=True, slots=True)
class EvalCase:
    id: str
    prompt: str
    tools: list[str] | None
    expect: dict[str, Any]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvalCase:
        return cls(
            id=str(data["id"]),
            prompt=str(data["prompt"]),
            tools=list(data["tools"]) if data.get("tools") else None,
            expect=dict(data.get("expect", {})),
        )


@dataclass(slots=True)
class CaseResult:
    case: EvalCase
    passed: bool
    failures: list[str] = field(default_factory=list)
    latency_ms: float = 0.0
    attempts: int = 0
    tokens: int = 0
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "passed": self.passed,
            "failures": self.failures,
            "latency_ms": round(self.latency_ms, 1),
            "attempts": self.attempts,
            "tokens": self.tokens,
            "error": self.error,
        }


@dataclass(slots=True)
class EvalReport:
    planner: str
    model: str | None
    results: list[CaseResult]

    @property
    def passed(self) -> int:
        return sum(1 for result in self.results if result.passed)

    @property
    def score(self) -> float:
        return self.passed / len(self.results) if self.results else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "planner": self.planner,
            "model": self.model,
            "passed": self.passed,
            "total": len(self.results),
            "score": round(self.score, 4),
            "cases": [result.to_json() for result in self.results],
        }


def load_cases(path: Path) -> list[EvalCase]:
    """Cases from one JSON file or every *.json file of a directory (sorted by name)."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    cases: list[EvalCase] = []
    for file in files:
        data = json.loads(file.read_text())
        items = data["cases"] if isinstance(data, dict) else data
        cases.extend(EvalCase.from_json(item) for item in items)
    ids = [case.id for case in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate eval case ids: {', '.join(duplicates)}")
    return cases


def run_eval(
    planner: Planner,
    catalog: ToolCatalog,
    cases: Sequence[EvalCase],
    *,
    on_result: Callable[[CaseResult], None] | None = None,
) -> EvalReport:
    results = []
    for case in cases:
        started = time.monotonic()
        plan = plan_flow(case.prompt, planner=planner, catalog=catalog, tool_ids=case.tools)
        result = score_case(case, plan)
        result.latency_ms = (time.monotonic() - started) * 1000
        if on_result is not None:
            on_result(result)
        results.append(result)
    return EvalReport(planner.name, planner.model, results)


def score_case(case: EvalCase, plan: PlanResult) -> CaseResult:
    expect = case.expect
    result = CaseResult(
        case,
        passed=False,
        attempts=len(plan.attempts),
        tokens=plan.usage.total_tokens,
        error=plan.error.message if plan.error else None,
    )
    should_succeed = expect.get("ok", True)
    if not should_succeed:
        if plan.ok:
            result.failures.append("planning succeeded but the case expects a failure")
        elif expect.get("error_step"):
            step = (plan.error.step or plan.error.message) if plan.error else ""
            if expect["error_step"].lower() not in step.lower():
                result.failures.append(
                    f"the failure names {step!r}, expected a step containing "
                    f"{expect['error_step']!r}"
                )
        result.passed = not result.failures
        return result
    if not plan.ok or plan.flow is None:
        result.failures.append(f"planning failed: {result.error}")
        return result
    result.failures = check_properties(plan.flow, expect)
    result.passed = not result.failures
    return result


def check_properties(flow: Flow, expect: dict[str, Any]) -> list[str]:
    graph = build_graph(flow)
    by_tool: dict[str, list[str]] = {}
    for node in flow.nodes:
        if isinstance(node, ToolNode | MapNode):
            by_tool.setdefault(node.tool, []).append(node.id)
    failures: list[str] = []

    def nodes_of(tool: str) -> list[str]:
        return by_tool.get(tool, [])

    for tool in expect.get("tools", []):
        if not nodes_of(tool):
            failures.append(f"tool {tool} is not used")
    for tool in expect.get("forbid_tools", []):
        if nodes_of(tool):
            failures.append(f"tool {tool} is used but should not be")
    for first, second in expect.get("order", []):
        if not _any_pair(nodes_of(first), nodes_of(second), lambda a, b: a in graph.ancestors(b)):
            failures.append(f"{first} does not come before {second}")
    for first, second in expect.get("parallel", []):
        if not _any_pair(
            nodes_of(first),
            nodes_of(second),
            lambda a, b: a not in graph.ancestors(b) and b not in graph.ancestors(a),
        ):
            failures.append(f"{first} and {second} do not run in parallel")
    branch_count = sum(isinstance(n, BranchNode | SwitchNode) for n in flow.nodes)
    if branch_count < expect.get("branches", 0):
        failures.append(f"{branch_count} branch nodes, expected at least {expect['branches']}")
    if "max_branches" in expect and branch_count > expect["max_branches"]:
        failures.append(f"{branch_count} branch nodes, expected at most {expect['max_branches']}")
    conditional = _conditional_nodes(flow, graph)
    for tool in expect.get("conditional", []):
        if not nodes_of(tool) or not any(n in conditional for n in nodes_of(tool)):
            failures.append(f"{tool} is not conditional")
    for tool in expect.get("unconditional", []):
        if not nodes_of(tool) or any(n in conditional for n in nodes_of(tool)):
            failures.append(f"{tool} is conditional but should always run")
    approvals = [n.id for n in flow.nodes if isinstance(n, ApprovalNode)]
    if len(approvals) < expect.get("approvals", 0):
        failures.append(f"{len(approvals)} approval nodes, expected at least {expect['approvals']}")
    for tool in expect.get("approval_before", []):
        if not any(a in graph.ancestors(n) for n in nodes_of(tool) for a in approvals):
            failures.append(f"no approval comes before {tool}")
    maps = {n.tool for n in flow.nodes if isinstance(n, MapNode)}
    for tool in expect.get("maps", []):
        if tool not in maps:
            failures.append(f"{tool} does not run in a map node")
    declared = set((flow.input_schema.get("properties") or {}).keys())
    for name in expect.get("input_fields", []):
        if name not in declared:
            failures.append(f"the run input does not declare {name}")
    return failures


def _any_pair(
    firsts: Iterable[str], seconds: Iterable[str], test: Callable[[str, str], bool]
) -> bool:
    seconds = list(seconds)
    return any(test(a, b) for a in firsts for b in seconds)


def _conditional_nodes(flow: Flow, graph: FlowGraph) -> set[str]:
    """Nodes that may be skipped by a condition: in an arm, guarded by `when`, or (with
    trigger 'all') depending on such a node."""
    conditional: set[str] = set()
    try:
        order = topological_order(graph)
    except ValueError:
        return conditional
    for node_id in order:
        node = graph.nodes[node_id]
        guarded = node.when is not None and (
            "null" not in node.when or isinstance(node, ApprovalNode)
        )
        inherited = node.trigger == "all" and any(
            dep in conditional for dep in graph.dependencies[node_id]
        )
        if graph.gates.get(node_id) or guarded or inherited:
            conditional.add(node_id)
    return conditional
