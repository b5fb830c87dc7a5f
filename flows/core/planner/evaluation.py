"""The planner evaluation: cases (prompt, tool subset, expected properties of the plan and,
where it matters, of a run of it) and the checks that score a planner on them.
`python manage.py eval_planner` prints the report; the cases live in evals/planner/*.json.
A file whose top level says `"heldout": true` is a held-out set: its score is reported on
its own and nobody tunes the planner on it.

Expected properties a case may state (all optional):
- ok:            whether planning should succeed (default true); a case with ok=false is an
                 impossible request, and a plan for it is a silent wrong plan
- error_step:    for a failing case, words the failure's step (or message) must contain
- tools:         tool ids the plan must use (as a tool or map node)
- forbid_tools:  tool ids it must not use
- counts:        {tool: n} the plan uses the tool in exactly n nodes
- order:         [[a, b], ...] the node using tool a is an ancestor of the one using b
- parallel:      [[a, b], ...] neither node is an ancestor of the other
- branches:      at least this many branch/switch nodes
- max_branches:  at most this many
- conditional:   tools that run only under a condition (arm, guard, or after such a node)
- unconditional: tools that do not
- approvals_conditional: every approval node runs only under a condition, as `conditional`
- approvals:     at least this many approval nodes
- approval_before: tools that some approval node comes before
- approval:      {timeout_s, on_timeout, escalate_to, groups, has_groups} of the (first)
                 approval node
- maps:          tools that run in a map node
- not_maps:      tools that do not
- max_maps:      at most this many map nodes
- input_fields:  fields the run input schema must declare
- forbid_input_fields: fields it must not declare (a value a tool produces)
- input_boolean: the run input declares a yes/no field (the prompt says it comes with it)
- allow_flags:   without it, a plan whose run input declares a yes/no field the case does not
                 list in input_fields fails (a condition bound to an invented input)
- wired:         [[tool, input, source_tool], ...] the tool's input reads source_tool's node
- inputs:        {"tool.input": expression} some node of the tool has exactly that input
- not_inputs:    {"tool.input": expression} no node of the tool has that input
- runs:          scenarios run on the engine with stand-in tools: {name, input, outputs
                 {tool: fields}, approve (default true), ran [tools], not_ran [tools],
                 calls {tool: n}}

A file may register tools besides the catalogue's (`registered_tools`: id, name,
description, input_schema, output_schema, cacheable), as an admin would: its cases are
planned over the catalogue and those tools.

Every successful plan is also checked for side effects repeated: a tool that is not
cacheable (it changes something) used in more nodes than `counts` allows (default 1).
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flows.core.engine import ApprovalDecision, Engine
from flows.core.expressions import without_strings
from flows.core.graph import FlowGraph, build_graph, topological_order
from flows.core.ir import ApprovalNode, BranchNode, Flow, MapNode, SwitchNode, ToolNode
from flows.core.planner.base import Planner, PlanResult
from flows.core.planner.session import plan_flow
from flows.core.tools import Tool, ToolCatalog, ToolConfig, ToolContext, ToolSpec

TUNING = "tuning"
HELDOUT = "held-out"


@dataclass(frozen=True, slots=True)
class EvalCase:
    id: str
    prompt: str
    tools: list[str] | None
    expect: dict[str, Any]
    #: "held-out" for cases of a held-out file, else "tuning".
    suite: str = TUNING
    #: Tools registered besides the catalogue's (a file's `registered_tools`): what an
    #: admin adds (a Slack post, the weather), so the planner is scored on tools it was
    #: not written around.
    registered: tuple[ToolSpec, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any], *, suite: str = TUNING) -> EvalCase:
        return cls(
            id=str(data["id"]),
            prompt=str(data["prompt"]),
            tools=list(data["tools"]) if data.get("tools") else None,
            expect=dict(data.get("expect", {})),
            suite=suite,
        )

    @property
    def impossible(self) -> bool:
        return not self.expect.get("ok", True)


@dataclass(slots=True)
class CaseResult:
    case: EvalCase
    passed: bool
    failures: list[str] = field(default_factory=list)
    latency_ms: float = 0.0
    attempts: int = 0
    tokens: int = 0
    error: str | None = None
    #: Planning succeeded but the plan is wrong (or the request was impossible).
    silent_wrong: bool = False
    #: Side-effecting tools used more often than the request asks.
    repeated_side_effects: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "suite": self.case.suite,
            "passed": self.passed,
            "failures": self.failures,
            "latency_ms": round(self.latency_ms, 1),
            "attempts": self.attempts,
            "tokens": self.tokens,
            "error": self.error,
            "silent_wrong": self.silent_wrong,
            "repeated_side_effects": self.repeated_side_effects,
        }


@dataclass(slots=True)
class SuiteSummary:
    suite: str
    passed: int
    total: int
    silent_wrong: int
    repeated_side_effects: int
    impossible: int
    refused_correctly: int
    median_ms: float

    @property
    def score(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "passed": self.passed,
            "total": self.total,
            "score": round(self.score, 4),
            "silent_wrong": self.silent_wrong,
            "repeated_side_effects": self.repeated_side_effects,
            "impossible": self.impossible,
            "refused_correctly": self.refused_correctly,
            "median_ms": round(self.median_ms, 1),
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

    def suites(self) -> list[SuiteSummary]:
        """One summary per suite (tuning first), each with its own score and counts."""
        names = sorted({r.case.suite for r in self.results}, key=lambda s: (s != TUNING, s))
        return [self.summary([r for r in self.results if r.case.suite == n], n) for n in names]

    def summary(self, results: Sequence[CaseResult], suite: str = "all") -> SuiteSummary:
        impossible = [r for r in results if r.case.impossible]
        return SuiteSummary(
            suite=suite,
            passed=sum(r.passed for r in results),
            total=len(results),
            silent_wrong=sum(r.silent_wrong for r in results),
            repeated_side_effects=sum(bool(r.repeated_side_effects) for r in results),
            impossible=len(impossible),
            refused_correctly=sum(r.passed for r in impossible),
            median_ms=statistics.median([r.latency_ms for r in results]) if results else 0.0,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "planner": self.planner,
            "model": self.model,
            "passed": self.passed,
            "total": len(self.results),
            "score": round(self.score, 4),
            "suites": [summary.to_json() for summary in self.suites()],
            "cases": [result.to_json() for result in self.results],
        }


def load_cases(path: Path) -> list[EvalCase]:
    """Cases from one JSON file or every *.json file of a directory (sorted by name)."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    cases: list[EvalCase] = []
    for file in files:
        data = json.loads(file.read_text())
        items = data["cases"] if isinstance(data, dict) else data
        suite = HELDOUT if isinstance(data, dict) and data.get("heldout") else TUNING
        registered = tuple(
            _registered_spec(spec)
            for spec in (data.get("registered_tools", []) if isinstance(data, dict) else [])
        )
        cases.extend(
            replace(EvalCase.from_json(item, suite=suite), registered=registered) for item in items
        )
    ids = [case.id for case in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate eval case ids: {', '.join(duplicates)}")
    return cases


def _registered_spec(data: dict[str, Any]) -> ToolSpec:
    """A tool of an eval file's `registered_tools`, as the admin would register it."""
    return ToolSpec(
        id=str(data["id"]),
        name=str(data.get("name") or data["id"]),
        description=str(data.get("description", "")),
        input_schema=dict(data.get("input_schema") or {"type": "object"}),
        output_schema=dict(data.get("output_schema") or {"type": "object"}),
        config=ToolConfig(cacheable=bool(data.get("cacheable", False))),
    )


class _WithRegistered:
    """A catalogue and the tools a case registers besides it (stand-ins: never called)."""

    def __init__(self, catalog: ToolCatalog, registered: Sequence[ToolSpec]) -> None:
        self.catalog = catalog
        self.registered = {spec.id: _StandIn(spec, {}, {}) for spec in registered}

    def get(self, tool_id: str) -> Tool | None:
        return self.registered.get(tool_id) or self.catalog.get(tool_id)

    def specs(self) -> list[ToolSpec]:
        return [*self.catalog.specs(), *(tool.spec for tool in self.registered.values())]


def run_eval(
    planner: Planner,
    catalog: ToolCatalog,
    cases: Sequence[EvalCase],
    *,
    on_result: Callable[[CaseResult], None] | None = None,
) -> EvalReport:
    results = []
    catalog_specs = {spec.id: spec for spec in catalog.specs()}
    for case in cases:
        planned_over = _WithRegistered(catalog, case.registered) if case.registered else catalog
        specs = (
            {spec.id: spec for spec in planned_over.specs()} if case.registered else catalog_specs
        )
        started = time.monotonic()
        plan = plan_flow(case.prompt, planner=planner, catalog=planned_over, tool_ids=case.tools)
        latency_ms = (time.monotonic() - started) * 1000
        result = score_case(case, plan, specs)
        result.latency_ms = latency_ms
        if on_result is not None:
            on_result(result)
        results.append(result)
    return EvalReport(planner.name, planner.model, results)


def score_case(
    case: EvalCase, plan: PlanResult, specs: Mapping[str, ToolSpec] | None = None
) -> CaseResult:
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
            result.failures.append("planning succeeded but the request cannot be done")
            result.silent_wrong = True
        elif expect.get("error_step"):
            step = (
                " ".join(filter(None, [plan.error.step, plan.error.message])) if plan.error else ""
            )
            if expect["error_step"].lower() not in step.lower():
                result.failures.append(
                    f"the failure names {plan.error.step if plan.error else None!r}, expected "
                    f"a step containing {expect['error_step']!r}"
                )
        result.passed = not result.failures
        return result
    if not plan.ok or plan.flow is None:
        result.failures.append(f"planning failed: {result.error}")
        return result
    result.failures = check_properties(plan.flow, expect)
    if specs is not None:
        result.repeated_side_effects = repeated_side_effects(plan.flow, expect, specs)
        for tool in result.repeated_side_effects:
            result.failures.append(f"side-effecting tool {tool} is used more often than asked")
        for scenario in expect.get("runs", []):
            result.failures.extend(check_run(plan.flow, scenario, specs))
    result.passed = not result.failures
    result.silent_wrong = not result.passed
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
    for tool, count in expect.get("counts", {}).items():
        if len(nodes_of(tool)) != count:
            failures.append(f"tool {tool} is used in {len(nodes_of(tool))} nodes, expected {count}")
    for first, second in expect.get("order", []):
        if not _any_pair(nodes_of(first), nodes_of(second), lambda a, b: a in graph.ancestors(b)):
            failures.append(f"{first} does not come before {second}")
    for first, second in expect.get("parallel", []):
        if not _any_pair(
            nodes_of(first),
            nodes_of(second),
            # a node is not side by side with itself: [tool, tool] asks for two of its nodes
            lambda a, b: a != b and a not in graph.ancestors(b) and b not in graph.ancestors(a),
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
    if expect.get("approvals_conditional"):
        for node in flow.nodes:
            if isinstance(node, ApprovalNode) and node.id not in conditional:
                failures.append(
                    f"approval {node.id} runs on every path, not only under its condition"
                )
    approvals = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    if len(approvals) < expect.get("approvals", 0):
        failures.append(f"{len(approvals)} approval nodes, expected at least {expect['approvals']}")
    for tool in expect.get("approval_before", []):
        if not any(a.id in graph.ancestors(n) for n in nodes_of(tool) for a in approvals):
            failures.append(f"no approval comes before {tool}")
    if expect.get("approval"):
        failures += _check_approval(approvals, expect["approval"])
    maps = [n for n in flow.nodes if isinstance(n, MapNode)]
    for tool in expect.get("maps", []):
        if tool not in {n.tool for n in maps}:
            failures.append(f"{tool} does not run in a map node")
    for tool in expect.get("not_maps", []):
        if tool in {n.tool for n in maps}:
            failures.append(f"{tool} runs in a map node but should run once")
    if "max_maps" in expect and len(maps) > expect["max_maps"]:
        failures.append(f"{len(maps)} map nodes, expected at most {expect['max_maps']}")
    properties = flow.input_schema.get("properties") or {}
    for name in expect.get("input_fields", []):
        if name not in properties:
            failures.append(f"the run input does not declare {name}")
    for name in expect.get("forbid_input_fields", []):
        if name in properties:
            failures.append(f"the run input declares {name}, which a tool produces")
    flags = [
        name
        for name, schema in properties.items()
        if isinstance(schema, dict) and schema.get("type") == "boolean"
    ]
    if expect.get("input_boolean") and not flags:
        failures.append("the run input declares no yes/no field for the value sent in")
    invented = [name for name in flags if name not in expect.get("input_fields", [])]
    if invented and not expect.get("allow_flags"):
        failures.append(
            f"a condition reads an invented yes/no run input field: {', '.join(invented)}"
        )
    for tool, input_name, source_tool in expect.get("wired", []):
        sources = set(nodes_of(source_tool))
        if not any(
            sources & _roots(getattr(flow.node(n), "inputs", {}).get(input_name, ""))
            for n in nodes_of(tool)
        ):
            failures.append(f"{tool}.{input_name} does not read {source_tool}")
    for tool, attempts in expect.get("attempts", {}).items():
        found = [getattr(flow.node(n), "retry", None) for n in nodes_of(tool)]
        if not any(retry is not None and retry.max_attempts == attempts for retry in found):
            failures.append(f"{tool} is not tried {attempts} times")
    for target, expression in expect.get("not_inputs", {}).items():
        # "create_ticket.email": "input.manager_email": no node of the tool reads that there
        # (a tool id may hold a dot: "pagerduty.resolve.incident_id")
        tool, input_name = target.rsplit(".", 1)
        if any(
            getattr(flow.node(n), "inputs", {}).get(input_name) == expression
            for n in nodes_of(tool)
        ):
            failures.append(f"{target} is {expression}")
    for target, expression in expect.get("inputs", {}).items():
        # "process_payment.amount": "calculate_tax.total": the input reads exactly that
        tool, input_name = target.rsplit(".", 1)
        if not any(
            getattr(flow.node(n), "inputs", {}).get(input_name) == expression
            for n in nodes_of(tool)
        ):
            failures.append(f"{target} is not {expression}")
    return failures


def _check_approval(approvals: Sequence[ApprovalNode], wanted: dict[str, Any]) -> list[str]:
    if not approvals:
        return ["no approval node to check"]
    node = approvals[0]
    failures = []
    if "timeout_s" in wanted and node.timeout_s != wanted["timeout_s"]:
        failures.append(f"approval timeout is {node.timeout_s}, expected {wanted['timeout_s']}")
    if "on_timeout" in wanted and (
        node.timeout_s is None or node.on_timeout != wanted["on_timeout"]
    ):
        failures.append(
            f"approval on_timeout is {node.on_timeout}, expected {wanted['on_timeout']}"
        )
    if "escalate_to" in wanted and node.escalate_to != wanted["escalate_to"]:
        failures.append(
            f"approval escalates to {node.escalate_to}, expected {wanted['escalate_to']}"
        )
    groups = [g.lower() for g in node.assignees.groups]
    for group in wanted.get("groups", []):
        if group.lower() not in groups:
            failures.append(f"approval groups are {groups}, expected {group}")
    if "form_fields" in wanted:
        fields = sorted((node.form_schema or {}).get("properties") or {})
        if fields != sorted(wanted["form_fields"]):
            failures.append(f"approval form fields are {fields}, expected {wanted['form_fields']}")
    if "quorum" in wanted and node.quorum != wanted["quorum"]:
        failures.append(f"approval quorum is {node.quorum}, expected {wanted['quorum']}")
    if wanted.get("has_groups") and not groups and not node.assignees.users:
        failures.append("the approval names no assignees")
    return failures


def repeated_side_effects(
    flow: Flow, expect: dict[str, Any], specs: Mapping[str, ToolSpec]
) -> list[str]:
    """Tools that change something (not cacheable) in more nodes than the case allows."""
    counts: dict[str, int] = {}
    for node in flow.nodes:
        if isinstance(node, ToolNode | MapNode):
            counts[node.tool] = counts.get(node.tool, 0) + 1
    allowed = expect.get("counts", {})
    repeated = []
    for tool, count in counts.items():
        spec = specs.get(tool)
        if spec is None or spec.config.cacheable:
            continue
        if count > allowed.get(tool, 1):
            repeated.append(tool)
    return repeated


# -- running a plan on stand-in tools ------------------------------------------------------


class _StandIn:
    """A tool with the real spec that returns the scenario's output (or one made up from the
    output schema) and counts its calls."""

    def __init__(self, spec: ToolSpec, output: dict[str, Any], calls: dict[str, int]) -> None:
        self.spec = spec
        self.output = output
        self.calls = calls

    async def invoke(self, inputs: dict[str, Any], context: ToolContext) -> Any:
        self.calls[self.spec.id] = self.calls.get(self.spec.id, 0) + 1
        return self.output


class _StandInCatalog:
    def __init__(self, tools: dict[str, Tool]) -> None:
        self.tools = tools

    def get(self, tool_id: str) -> Tool | None:
        return self.tools.get(tool_id)

    def specs(self) -> list[ToolSpec]:
        return [tool.spec for tool in self.tools.values()]


def check_run(flow: Flow, scenario: dict[str, Any], specs: Mapping[str, ToolSpec]) -> list[str]:
    """Run `flow` with the scenario's input and tool outputs; what ran must match."""
    name = scenario.get("name", "run")
    calls: dict[str, int] = {}
    outputs = scenario.get("outputs", {})
    tools: dict[str, Tool] = {}
    for spec in specs.values():
        output = example_value(spec.output_schema)
        if isinstance(output, dict):
            output.update(outputs.get(spec.id, {}))
        tools[spec.id] = _StandIn(spec, output, calls)
    run_input = example_value(flow.input_schema)
    run_input = run_input if isinstance(run_input, dict) else {}
    run_input.update(scenario.get("input", {}))
    approve = bool(scenario.get("approve", True))
    try:
        status = asyncio.run(_run(flow, _StandInCatalog(tools), run_input, approve))
    except Exception as exc:  # the plan could not run at all
        return [f"[{name}] the run failed: {exc}"]
    failures = []
    if status == "failed":
        failures.append(f"[{name}] the run failed")
    for tool in scenario.get("ran", []):
        if not calls.get(tool):
            failures.append(f"[{name}] {tool} did not run")
    for tool in scenario.get("not_ran", []):
        if calls.get(tool):
            failures.append(f"[{name}] {tool} ran but should not")
    for tool, count in scenario.get("calls", {}).items():
        if calls.get(tool, 0) != count:
            failures.append(f"[{name}] {tool} ran {calls.get(tool, 0)} times, expected {count}")
    return failures


async def _run(
    flow: Flow, catalog: _StandInCatalog, run_input: dict[str, Any], approve: bool
) -> str:
    engine = Engine(catalog)
    compiled = engine.compile(flow)
    result = await engine.run(compiled, run_input, run_id="eval")
    rounds = 0
    while result.status == "suspended" and result.waiting and rounds < 20:
        rounds += 1
        decisions = {
            node_id: ApprovalDecision(approved=approve, by="eval") for node_id in result.waiting
        }
        result = await engine.run(
            compiled, run_id="eval", checkpoint=result.checkpoint, decisions=decisions
        )
    return result.status


def example_value(schema: Any, depth: int = 0) -> Any:
    """A plausible value for `schema`: true, 1, the first enum value, two list items."""
    if not isinstance(schema, dict) or depth > 4:
        return None
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for combiner in ("anyOf", "oneOf"):
        branches = schema.get(combiner)
        if isinstance(branches, list):
            real = [b for b in branches if isinstance(b, dict) and b.get("type") != "null"]
            return example_value(real[0], depth + 1) if real else None
    declared = schema.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), None)
    if declared == "object" or (declared is None and "properties" in schema):
        properties = schema.get("properties") or {}
        return {k: example_value(v, depth + 1) for k, v in properties.items()}
    if declared == "array":
        item = example_value(schema.get("items") or {"type": "string"}, depth + 1)
        return [item, item]
    if declared == "boolean":
        return True
    if declared in ("integer", "number"):
        return 1
    if declared == "string":
        return "user@example.com" if "email" in json.dumps(schema).lower() else "x"
    return None


def _roots(expression: str) -> set[str]:
    stripped = without_strings(expression)
    return set(re.findall(r"(?<![\w.\"'])([a-z_][a-z0-9_]*)", stripped))


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
