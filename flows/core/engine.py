"""The deterministic executor: runs a flow's DAG on asyncio with no LLM in the loop.

A node starts as soon as every node it depends on has finished; independent nodes run
concurrently under a global and a per-tool limit. Each finished node is committed to the
checkpoint store *before* its successors start, so a run that dies resumes from its last
checkpoint without running a completed node twice. Approval nodes suspend their path;
when nothing else can run, the run returns `suspended` with a serialisable checkpoint.

Skip semantics (docs/ir.md has examples): a node is skipped when its `when` guard is
false, when it sits on the arm of a branch/switch that was not taken, or — with
trigger "all" — when any dependency was skipped (with trigger "any": when all were).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Protocol

import jsonschema

from flows.core import events as ev
from flows.core.bounded import (
    ExpressionLimits,
    LimitExceeded,
    NodeBudget,
    Size,
    ValueTooLarge,
    check_size,
    evaluate_bounded,
    measure,
)
from flows.core.checkpoints import (
    Checkpoint,
    CheckpointStore,
    CheckpointUnavailable,
    InMemoryCheckpointStore,
    NodeRecord,
    NodeStatus,
)
from flows.core.deadlines import Deadlines
from flows.core.events import Event, EventSink, NullSink
from flows.core.expressions import (
    Expression,
    ExpressionError,
    compile_expression,
    json_type_name,
)
from flows.core.graph import Gate, build_graph, find_cycle, paused_gc
from flows.core.ir import (
    ApprovalNode,
    BranchNode,
    Flow,
    Join,
    LlmNode,
    MapNode,
    Node,
    OutputNode,
    Retry,
    SwitchNode,
    ToolNode,
    ValueNode,
)
from flows.core.json_schemas import Unresolvable, schema_validator, with_defaults
from flows.core.slots import Slots
from flows.core.tools import Tool, ToolCatalog, ToolContext, ToolError

COMPLETED: Final = "completed"
SKIPPED: Final = "skipped"
FAILED: Final = "failed"
WAITING: Final = "waiting"
RUNNING: Final = "running"
_FINISHED = frozenset({COMPLETED, SKIPPED, FAILED})
#: Node kinds as tuples: `isinstance(x, A | B)` builds the union object on every call.
_CALLS = (ToolNode, MapNode)
#: Builds a ToolContext (a named tuple) without its Python-level `__new__`: once per call.
_new_context = tuple.__new__
#: An instance with no field set yet (events and records are built field by field).
_new_object = object.__new__
#: More dependents than this start with the garbage collector paused (see _release).
_WIDE = 256


class EngineError(Exception):
    """A flow that cannot run at all (unknown tool, cycle, bad decision)."""


class LlmClient(Protocol):
    async def complete(
        self,
        *,
        prompt: str,
        system: str | None,
        output_schema: dict[str, Any] | None,
        model: str | None,
    ) -> str: ...


class ConcurrencyLimiter(Protocol):
    """Cross-process limits (e.g. Redis-backed); the engine's own semaphores are per process."""

    def slot(self, tool_id: str) -> contextlib.AbstractAsyncContextManager[None]: ...


class Clock:
    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(frozen=True, slots=True)
class ApprovalDecision:
    approved: bool
    data: dict[str, Any] = field(default_factory=dict)
    comment: str = ""
    by: str | None = None
    timed_out: bool = False
    #: For a review of a tool call: the inputs the approver let through (maybe edited).
    inputs: dict[str, Any] | None = None

    def output(self) -> dict[str, Any]:
        output = {
            "approved": self.approved,
            "data": self.data,
            "comment": self.comment,
            "by": self.by,
            "timed_out": self.timed_out,
        }
        if self.inputs is not None:
            output["inputs"] = self.inputs
        return output


def approval_summary(request: Mapping[str, Any]) -> dict[str, Any]:
    """What events, node records and the run row may say about a waiting approval: its
    title and assignees, never its contents (context, form, proposed inputs)."""
    return {"title": request.get("title"), "assignees": request.get("assignees") or {}}


@dataclass(slots=True)
class EngineLimits:
    max_concurrency: int = 64
    #: tool id -> most calls in flight; overrides the tool's own config.concurrency
    tool_concurrency: dict[str, int] = field(default_factory=dict)
    default_timeout_s: float = 30.0
    #: Budgets and the value size cap for expressions (flows/core/bounded.py).
    expressions: ExpressionLimits = field(default_factory=ExpressionLimits)


@dataclass(slots=True)
class RunResult:
    run_id: str
    status: str
    output: Any = None
    error: dict[str, Any] | None = None
    checkpoint: Checkpoint | None = None
    waiting: dict[str, dict[str, Any]] = field(default_factory=dict)


# --------------------------------------------------------------------------- compile


@dataclass(slots=True)
class Step:
    """A node prepared for execution: expressions compiled, edges resolved."""

    id: str
    node: Node
    deps: list[str]
    dependents: list[str]
    gates: list[Gate]
    when: Expression | None
    inputs: list[tuple[str, Expression]]
    join_source: str | None = None
    tool: Tool | None = None
    retry: Retry | None = None
    timeout_s: float | None = None
    #: approval -> the tool step whose inputs it reviews; tool -> the approval reviewing it
    review: str | None = None
    reviewed_by: str | None = None
    #: Every input is a literal or a plain path: evaluated without the budget machinery.
    plain_inputs: bool = False
    #: It has arm gates or a `when` guard (else only a skipped dependency can skip it).
    guarded: bool = True


@dataclass(slots=True)
class CompiledFlow:
    flow: Flow
    steps: dict[str, Step]
    order: list[str]
    output_ids: list[str]
    leaf_ids: list[str]
    #: The nodes with no dependencies, in IR order: what a fresh run starts with.
    root_ids: list[str]
    #: node id -> how many dependencies it waits for: a fresh run's countdown, copied.
    waits: dict[str, int]


def _compile_map(values: Mapping[str, str]) -> list[tuple[str, Expression]]:
    return [(name, compile_expression(source)) for name, source in values.items()]


def compile_flow(
    flow: Flow, catalog: ToolCatalog | None = None, *, joins: Iterable[Join] = ()
) -> CompiledFlow:
    """Prepare `flow` to run: resolve tools and joins, compile expressions, check for cycles.

    Compile once per flow version and reuse the result across runs.
    """
    with paused_gc():
        return _compile_flow(flow, catalog, joins)


def _compile_flow(flow: Flow, catalog: ToolCatalog | None, joins: Iterable[Join]) -> CompiledFlow:
    graph = build_graph(flow)
    cycle = find_cycle(graph)
    if cycle:
        raise EngineError("the flow has a cycle: " + " -> ".join(cycle))
    all_joins = {(j.from_tool, j.to_tool): j for j in [*joins, *flow.joins]}
    nodes, dependencies, dependents, gates = (
        graph.nodes,
        graph.dependencies,
        graph.dependents,
        graph.gates,
    )
    tools: dict[str, Tool | None] = {}  # one catalogue lookup per tool, not per node
    policies: dict[str, tuple[Retry | None, float | None]] = {}
    steps: dict[str, Step] = {}
    for node in flow.nodes:
        calls = isinstance(node, _CALLS)
        try:
            when = compile_expression(node.when) if node.when else None
            inputs: list[tuple[str, Expression]] = []
            join_source = None
            if calls:
                inputs = _compile_map(node.inputs)  # type: ignore[union-attr]
                if not inputs and all_joins and isinstance(node, ToolNode):
                    join_source, inputs = _resolve_join(
                        nodes, node, dependencies[node.id], all_joins
                    )
        except ExpressionError as exc:
            raise EngineError(f"node '{node.id}': {exc}") from exc
        tool = None
        retry, timeout_s = getattr(node, "retry", None), getattr(node, "timeout_s", None)
        if calls and catalog is not None:
            tool_id = node.tool  # type: ignore[union-attr]
            if tool_id in tools:
                tool = tools[tool_id]
            else:
                tool = tools[tool_id] = catalog.get(tool_id)
            if tool is None:
                raise EngineError(f"node '{node.id}': unknown tool '{tool_id}'")
            if retry is not None or timeout_s is not None:
                retry, timeout_s = _call_policy(node, tool)
            elif tool_id in policies:  # the tool's own policy: one per tool, not per node
                retry, timeout_s = policies[tool_id]
            else:
                retry, timeout_s = policies[tool_id] = _call_policy(node, tool)
        node_id = node.id
        steps[node_id] = Step(  # positional: 10,000 keyword calls cost a visible share
            node_id,
            node,
            dependencies[node_id],
            dependents[node_id],
            gates.get(node_id, []),
            when,
            inputs,
            join_source,
            tool,
            retry,
            timeout_s,
            None,
            None,
            not inputs or all(expression.program is None for _, expression in inputs),
            node_id in gates or when is not None,
        )
    _link_reviews(steps)
    output_ids = [n.id for n in flow.nodes if isinstance(n, OutputNode)]
    leaf_ids = [n.id for n in flow.nodes if not graph.dependents[n.id]]
    root_ids = [node_id for node_id in graph.order if not dependencies[node_id]]
    waits = {node_id: len(step.deps) for node_id, step in steps.items()}
    return CompiledFlow(flow, steps, graph.order, output_ids, leaf_ids, root_ids, waits)


def _link_reviews(steps: dict[str, Step]) -> None:
    """Pair each approval with the tool call it reviews: its `review`, else its one
    dependent whose tool is marked requires_approval."""
    for step in steps.values():
        node = step.node
        if not isinstance(node, ApprovalNode):
            continue
        target = node.review
        if target is None:
            marked = [
                d
                for d in step.dependents
                if isinstance(steps[d].node, ToolNode)
                and steps[d].tool is not None
                and steps[d].tool.spec.config.requires_approval  # type: ignore[union-attr]
            ]
            target = marked[0] if len(marked) == 1 else None
        elif target not in step.dependents or not isinstance(steps[target].node, ToolNode):
            raise EngineError(
                f"approval '{step.id}' reviews '{target}', which is not a tool node that "
                f"runs after it: list '{step.id}' in the `after` of '{target}'"
            )
        if target is not None:
            if steps[target].reviewed_by is not None:
                raise EngineError(f"tool node '{target}' is reviewed by two approvals")
            step.review = target
            steps[target].reviewed_by = step.id


def _call_policy(node: Node, tool: Tool) -> tuple[Retry | None, float | None]:
    """The retry policy and timeout of a node's tool calls: the node's, else the tool's."""
    config = tool.spec.config
    retry = getattr(node, "retry", None)
    if retry is None and config.retries:
        retry = Retry(max_attempts=config.retries + 1)
    return retry, getattr(node, "timeout_s", None) or config.timeout_s


def _resolve_join(
    nodes: Mapping[str, Node],
    node: ToolNode,
    deps: list[str],
    joins: dict[tuple[str, str], Join],
) -> tuple[str | None, list[tuple[str, Expression]]]:
    upstream_tools = [nodes[d] for d in deps if isinstance(nodes[d], ToolNode)]
    if len(upstream_tools) != 1:
        return None, []
    source = upstream_tools[0]
    join = joins.get((source.tool, node.tool))  # type: ignore[union-attr]
    if join is None:
        return None, []
    return source.id, _compile_map(join.mapping)


# --------------------------------------------------------------------------- engine


class Engine:
    """Runs compiled flows. One engine may run many flows, concurrently or not."""

    def __init__(
        self,
        catalog: ToolCatalog,
        *,
        store: CheckpointStore | None = None,
        limits: EngineLimits | None = None,
        llm: LlmClient | None = None,
        clock: Clock | None = None,
        limiter: ConcurrencyLimiter | None = None,
        joins: Iterable[Join] = (),
    ) -> None:
        self.catalog = catalog
        self.store = store or InMemoryCheckpointStore()
        self.limits = limits or EngineLimits()
        self.llm = llm
        self.clock = clock or Clock()
        self.limiter = limiter
        self.joins = list(joins)
        self.slots = Slots(self.limits.max_concurrency)
        self._per_tool: dict[str, Slots | None] = {}

    def compile(self, flow: Flow) -> CompiledFlow:
        return compile_flow(flow, self.catalog, joins=self.joins)

    async def run(
        self,
        flow: Flow | CompiledFlow,
        run_input: dict[str, Any] | None = None,
        *,
        run_id: str,
        sink: EventSink | None = None,
        checkpoint: Checkpoint | None = None,
        decisions: Mapping[str, ApprovalDecision] | None = None,
        cancel: asyncio.Event | None = None,
    ) -> RunResult:
        """Run (or continue) `run_id`. With no checkpoint given, the store's is used."""
        compiled = flow if isinstance(flow, CompiledFlow) else self.compile(flow)
        if checkpoint is None:
            checkpoint = await self.store.load(run_id)
        execution = _Execution(self, compiled, run_id, sink or NullSink(), checkpoint, run_input)
        return await execution.run(decisions or {}, cancel)

    def tool_slots(self, tool_id: str, tool: Tool) -> Slots | None:
        try:
            return self._per_tool[tool_id]
        except KeyError:
            limit = self.limits.tool_concurrency.get(tool_id) or tool.spec.config.concurrency
            slots = Slots(limit) if limit else None
            self._per_tool[tool_id] = slots
            return slots


class _NodeFailure(Exception):
    def __init__(self, error: dict[str, Any], attempts: int = 1) -> None:
        super().__init__(error.get("message"))
        self.error = error
        self.attempts = attempts


def _error(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **details}


def _call_error(exc: Exception, tool: Tool, timeout: float) -> tuple[dict[str, Any], bool]:
    """The error a failed tool call records, and whether another attempt may help."""
    if isinstance(exc, TimeoutError):
        return _error("timeout", f"tool '{tool.spec.id}' took longer than {timeout}s"), True
    if isinstance(exc, ToolError):
        return _error(exc.code, exc.message, details=exc.details), exc.retryable
    return _error("tool_exception", f"{type(exc).__name__}: {exc}"), False


def _completed(
    node_id: str, output: Any, inputs: Any, attempts: int, started_at: float
) -> NodeRecord:
    """A tool call's record, finished now. Built field by field, as events are (see emit):
    a plain function call costs less than the dataclass's, and every tool node makes one."""
    record = _new_object(NodeRecord)
    record.node_id = node_id
    record.status = COMPLETED
    record.output = output
    record.error = None
    record.inputs = inputs
    record.attempts = attempts
    record.started_at = started_at
    record.finished_at = time.time()
    return record


def _call_failure(exc: Exception, tool: Tool, timeout: float, attempt: int) -> _NodeFailure:
    """The node failure of a tool call that failed on its last attempt."""
    error, _ = _call_error(exc, tool, timeout)
    return _NodeFailure({**error, "attempts": attempt}, attempt)


class _Execution:
    """The state of one run while it executes."""

    def __init__(
        self,
        engine: Engine,
        compiled: CompiledFlow,
        run_id: str,
        sink: EventSink,
        checkpoint: Checkpoint | None,
        run_input: dict[str, Any] | None,
    ) -> None:
        self.engine = engine
        self.compiled = compiled
        self.steps = compiled.steps
        self.run_id = run_id
        self.sink = sink
        self.sink_emit = sink.emit
        self.resumed = checkpoint is not None
        self.checkpoint = checkpoint or Checkpoint(run_id=run_id, input=run_input or {})
        # A field the person left out reads as its schema's default (and the run's start
        # event shows it so), on the first start and on every resume alike.
        run_input = with_defaults(compiled.flow.input_schema, self.checkpoint.input)
        self.values: dict[str, Any] = {"input": run_input}
        #: The size of each value in `values` (the cost estimate reads them).
        self.sizes: dict[str, Size] = {"input": measure(run_input)}
        self.budgets: dict[str, NodeBudget] = {}
        self.status: dict[str, str] = {}
        self.rejected: set[str] = set()
        self.remaining: dict[str, int] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.started: set[str] = set()
        self.skips = 0
        self.active = 0
        self.failure: dict[str, Any] | None = None
        self.unavailable: CheckpointUnavailable | None = None
        self.cancel_reason: str | None = None
        #: A failure, a cancellation or an unavailable store: start nothing more.
        self.stopping = False
        self.seq = self.checkpoint.last_seq
        self.t0 = time.perf_counter()
        self.wall0 = time.time()
        self.loop = asyncio.get_running_loop()
        self.done: asyncio.Future[None] = self.loop.create_future()
        self.deadlines = Deadlines()
        self.stage_node = getattr(engine.store, "stage_node", None)
        self.save_node = engine.store.save_node
        self.max_value_bytes = engine.limits.expressions.max_value_bytes
        self.slots = engine.slots
        self.limiter = engine.limiter
        #: tool id -> its own limit, None for none; a tool not in it yet has not run here
        self.per_tool = engine._per_tool

    # ------------------------------------------------------------------ events

    def emit(
        self,
        type_: str,
        node_id: str | None = None,
        data: dict[str, Any] | None = None,
        since: float | None = None,
    ) -> None:
        """Emit the run's next event; `since` is the perf_counter() reading the step began
        at, when the event ends a step (its duration then ends at the event's own time)."""
        self.seq = seq = self.seq + 1
        now = time.perf_counter()
        elapsed = now - self.t0
        # Every field set here, without the class call: a dataclass's __init__ called
        # through its class costs half again as much, and a run emits two events a node.
        event = _new_object(Event)
        event.seq = seq
        event.type = type_
        event.ts = self.wall0 + elapsed
        event.run_id = self.run_id
        event.node_id = node_id
        event.data = data if data is not None else {}
        event.elapsed_ms = elapsed * 1000.0
        event.duration_ms = (now - since) * 1000.0 if since is not None else None
        self.sink_emit(event)

    # ------------------------------------------------------------------ lifecycle

    async def run(
        self, decisions: Mapping[str, ApprovalDecision], cancel: asyncio.Event | None
    ) -> RunResult:
        self._restore()
        if self.resumed:
            self.emit(ev.RUN_RESUMED, data={"decisions": sorted(decisions)})
        else:
            self.emit(ev.RUN_STARTED, data={"input": self.values["input"]})
        self.checkpoint.status = "running"
        for node_id, decision in decisions.items():
            await self._decide(node_id, decision)

        watcher = asyncio.ensure_future(self._watch(cancel)) if cancel is not None else None
        timer = None
        if self.compiled.flow.timeout_s:
            loop = asyncio.get_running_loop()
            timer = loop.call_later(self.compiled.flow.timeout_s, self._cancel, "timeout")
        try:
            if self.status:  # resumed: whatever has nothing left to wait for
                for node_id in self.compiled.order:
                    if node_id not in self.status and self.remaining[node_id] == 0:
                        self._start(node_id)
            else:
                for node_id in self.compiled.root_ids:
                    self._start(node_id)
            if self.active:
                await self.done
        except asyncio.CancelledError:
            # Cancelled from outside (the process is going away): stop the nodes and leave
            # the committed checkpoints as they are, so another process can continue.
            self._cancel("interrupted")
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*self.tasks.values(), return_exceptions=True)
            raise
        finally:
            if watcher is not None:
                watcher.cancel()
            if timer is not None:
                timer.cancel()
            await self.deadlines.close()
        if self.unavailable is not None:
            raise self.unavailable
        return await self._finish_run()

    def _restore(self) -> None:
        for node_id, record in self.checkpoint.nodes.items():
            if node_id not in self.steps:
                continue
            if record.status == WAITING and node_id not in self.checkpoint.waiting:
                # Suspended, but the run stopped before its request was stored: ask again.
                continue
            self.status[node_id] = record.status
            self.values[node_id] = record.output if record.status == COMPLETED else None
            self.sizes[node_id] = measure(self.values[node_id])
            self.skips += record.status == SKIPPED
            node = self.steps[node_id].node
            if (
                isinstance(node, ApprovalNode)
                and record.status == COMPLETED
                and not (record.output or {}).get("approved")
                and node.on_reject == "skip"
            ):
                self.rejected.add(node_id)
        status = self.status
        if not status:  # a fresh run: every dependency is still to come
            self.remaining = dict(self.compiled.waits)
            return
        for node_id, step in self.steps.items():
            waits = sum(1 for dep in step.deps if status.get(dep) not in _FINISHED)
            self.remaining[node_id] = waits

    async def _watch(self, cancel: asyncio.Event) -> None:
        await cancel.wait()
        self._cancel("cancelled")

    def _cancel(self, reason: str) -> None:
        if self.cancel_reason is None:
            self.cancel_reason = reason
        self.stopping = True
        for node_id in list(self.started):
            self.tasks[node_id].cancel()

    async def _finish_run(self) -> RunResult:
        cp = self.checkpoint
        cp.last_seq = self.seq + 1
        if self.cancel_reason == "cancelled":
            cp.status = "cancelled"
            self.emit(ev.RUN_CANCELLED, data={"reason": "cancelled on request"})
            result = RunResult(self.run_id, "cancelled", checkpoint=cp)
        elif self.cancel_reason == "timeout" or self.failure is not None:
            error = self.failure or _error(
                "run_timeout", f"the run exceeded its timeout of {self.compiled.flow.timeout_s}s"
            )
            cp.status = "failed"
            self.emit(ev.RUN_FAILED, data={"error": error})
            result = RunResult(self.run_id, "failed", error=error, checkpoint=cp)
        elif cp.waiting:
            cp.status = "suspended"
            waiting = {node_id: approval_summary(r) for node_id, r in cp.waiting.items()}
            self.emit(ev.RUN_SUSPENDED, data={"waiting": waiting})
            result = RunResult(self.run_id, "suspended", checkpoint=cp, waiting=dict(cp.waiting))
        else:
            cp.status = "completed"
            output = self._result()
            self.emit(ev.RUN_COMPLETED, data={"output": output})
            result = RunResult(self.run_id, "completed", output=output, checkpoint=cp)
        cp.last_seq = self.seq
        await self.engine.store.save(cp)
        return result

    def _result(self) -> dict[str, Any]:
        ids = self.compiled.output_ids or self.compiled.leaf_ids
        values, status = self.values, self.status
        return {i: values.get(i) for i in ids if status.get(i) == COMPLETED}

    # ------------------------------------------------------------------ scheduling

    def _start(self, node_id: str) -> None:
        self.status[node_id] = RUNNING
        self.active += 1
        self.tasks[node_id] = self.loop.create_task(self._execute(self.steps[node_id]))

    async def _execute(self, step: Step) -> None:
        # Stopping cancels only nodes that have started (see _cancel); one that was
        # scheduled but had not started finds out here and leaves no trace.
        node_id = step.id
        self.started.add(node_id)
        try:
            if self.stopping:
                del self.status[node_id]
                return
            started = time.perf_counter()
            started_at = time.time()
            try:
                # The checks that need no evaluation run inline; only a `when` guard
                # costs a coroutine (this runs once per node, so calls add up).
                reason = None
                if step.guarded or self.skips or self.rejected:
                    reason = self._blocked_reason(step)
                    if reason is None and step.when is not None:
                        reason = await self._guard_reason(step)
                if reason is not None:
                    await self._commit(NodeRecord(node_id, SKIPPED), step)
                    self.emit(ev.NODE_SKIPPED, node_id, {"reason": reason})
                    self._release(step, SKIPPED)
                    return
                record: NodeRecord | None
                if isinstance(step.node, ToolNode):
                    # Most nodes call a tool: that path is here rather than in _run_node,
                    # a coroutine less per node.
                    inputs = None
                    if step.reviewed_by is not None:
                        inputs = self._reviewed_inputs(step)
                    elif not step.inputs:
                        inputs = {}  # nothing to evaluate, nothing to measure
                    if inputs is None:
                        if step.plain_inputs:
                            inputs = self._plain_inputs(step)
                        else:
                            inputs = await self._inputs(step)
                    self.emit(ev.NODE_STARTED, node_id, {"inputs": inputs})
                    task = self.tasks[node_id]
                    tool = step.tool
                    if (
                        # A call that needs none of _invoke's machinery: one attempt, no
                        # cross-process limit, a tool known to have no limit of its own
                        # (_invoke learns that on its first call), a global slot free.
                        tool is None
                        or step.retry is not None
                        or self.limiter is not None
                        or self.per_tool.get(tool.spec.id, False) is not None
                        or not self.slots.try_take()
                    ):
                        output, attempts = await self._invoke(step, inputs, node_id, task)
                    else:
                        # _invoke's one attempt, inline: a coroutine less per node.
                        timeout = step.timeout_s or self.engine.limits.default_timeout_s
                        deadlines = self.deadlines
                        try:
                            if timeout >= deadlines.direct_s:  # deadlines.add, inline
                                deadlines.entries[task] = time.monotonic() + timeout
                            else:
                                deadlines.add(task, timeout)
                            context = _new_context(ToolContext, (self.run_id, node_id, 1, None))
                            output = await tool.invoke(inputs, context)
                        except asyncio.CancelledError:
                            if deadlines.expired(task):
                                raise _call_failure(TimeoutError(), tool, timeout, 1) from None
                            raise
                        except Exception as exc:
                            raise _call_failure(exc, tool, timeout, 1) from None
                        finally:
                            deadlines.entries.pop(task, None)  # deadlines.discard, inline
                            self.slots.give()
                        attempts = 1
                    try:  # _check_output, inline
                        self.sizes[node_id] = check_size(output, self.max_value_bytes)
                    except ValueTooLarge as exc:
                        failure = _too_large(node_id, "output", exc)
                        raise _NodeFailure(failure, attempts) from None
                    record = _completed(node_id, output, inputs, attempts, started_at)
                else:
                    record = await self._run_node(step, started_at)
                    if record is not None and record.status == COMPLETED:
                        self._check_output(step, record)
            except _NodeFailure as failure:
                record = NodeRecord(
                    node_id,
                    FAILED,
                    error=failure.error,
                    attempts=failure.attempts,
                    started_at=started_at,
                    finished_at=time.time(),
                )
                await self._commit(record)
                self.emit(
                    ev.NODE_FAILED,
                    node_id,
                    {"error": failure.error},
                    started,
                )
                self._fail(node_id, failure.error)
                return
            if record is None:  # waiting for an approval
                return
            # _commit inlined: committed before any successor starts (see _release)
            if self.stage_node is not None and not step.dependents:
                self.stage_node(self.run_id, record)
            else:
                await self.save_node(self.run_id, record)
            self.checkpoint.nodes[node_id] = record
            output = record.output
            self.emit(
                ev.NODE_OUTPUT,
                node_id,
                {"output": output, "attempts": record.attempts},
                started,
            )
            self._release(step, COMPLETED, output)
        except asyncio.CancelledError:
            if self.status.get(node_id) == RUNNING:
                del self.status[node_id]
            raise
        except CheckpointUnavailable as exc:
            self._interrupt(exc)
        except Exception as exc:  # a bug or a store failure: fail the run loudly
            self._fail(node_id, _error("internal_error", f"{type(exc).__name__}: {exc}"))
        finally:
            self.started.discard(node_id)
            if self.budgets:  # only nodes that evaluated a CEL program have one
                self.budgets.pop(node_id, None)
            del self.tasks[node_id]
            self.active = active = self.active - 1
            if not active and not self.done.done():
                self.done.set_result(None)

    async def _commit(self, record: NodeRecord, step: Step | None = None) -> None:
        """Checkpoint `record` before anything that depends on it starts.

        A node nothing waits on may be staged instead: the store commits it with its next
        write, at the latest with the run's outcome, saving a commit per leaf.
        """
        stage = self.stage_node
        if stage is not None and step is not None and not step.dependents:
            stage(self.run_id, record)
        else:
            await self.save_node(self.run_id, record)
        self.checkpoint.nodes[record.node_id] = record

    def _check_output(self, step: Step, record: NodeRecord) -> None:
        """Fail the node if its output is over the size cap; remember its size."""
        limit = self.max_value_bytes
        try:
            self.sizes[step.id] = check_size(record.output, limit)
        except ValueTooLarge as exc:
            raise _NodeFailure(_too_large(step.id, "output", exc), record.attempts) from None

    def _release(self, step: Step, status: str, output: Any = None) -> None:
        """Record `step`'s outcome and start the dependents it was the last wait of."""
        self.status[step.id] = status
        if status == COMPLETED:
            self.values[step.id] = output
        else:
            self.values[step.id] = None
            self.sizes[step.id] = measure(None)
            self.skips += 1
        if self.stopping or not step.dependents:
            return
        if len(step.dependents) > _WIDE:
            # Thousands of tasks at once: without the pause, the collector would run
            # dozens of times over them (and promote them) before any of them has run.
            with paused_gc():
                self._start_ready(step)
            return
        self._start_ready(step)

    def _start_ready(self, step: Step) -> None:
        """Start the dependents of `step` that it was the last wait of (each as _start
        does, inline: a fan-out starts them all from here)."""
        remaining, status, tasks, steps = self.remaining, self.status, self.tasks, self.steps
        create_task = self.loop.create_task
        started = 0
        for dependent in step.dependents:
            remaining[dependent] -= 1
            if remaining[dependent] == 0 and dependent not in status:
                status[dependent] = RUNNING
                tasks[dependent] = create_task(self._execute(steps[dependent]))
                started += 1
        self.active += started

    def _interrupt(self, exc: CheckpointUnavailable) -> None:
        """Stop every node without an outcome: the run continues from its checkpoints."""
        if self.unavailable is None:
            self.unavailable = exc
            self.stopping = True
            current = asyncio.current_task()
            for other in list(self.started):
                if self.tasks[other] is not current:
                    self.tasks[other].cancel()

    def _fail(self, node_id: str, error: dict[str, Any]) -> None:
        self.status[node_id] = FAILED
        if self.failure is None:
            self.failure = {**error, "node": node_id}
            self.stopping = True
            for other in list(self.started):
                if other != node_id:
                    self.tasks[other].cancel()

    def _blocked_reason(self, step: Step) -> str | None:
        """Why `step` is skipped without evaluating anything: a skipped (or rejected)
        dependency, or an arm of a branch/switch that was not taken."""
        if step.deps and (self.skips or self.rejected):
            status = self.status
            skipped = [d for d in step.deps if status[d] == SKIPPED or d in self.rejected]
            if skipped:
                if step.node.trigger == "all":
                    return f"dependency '{skipped[0]}' was skipped"
                if len(skipped) == len(step.deps):
                    return "every dependency was skipped"
        for gate in step.gates:
            decision = self.values.get(gate.owner)
            taken = None
            if isinstance(decision, dict):
                taken = decision.get("taken")
            if taken != gate.arm:
                return f"'{gate.owner}' took {taken or 'no'} arm, not {gate.arm}"
        return None

    async def _guard_reason(self, step: Step) -> str | None:
        """Why `step` is skipped by its `when` guard, if it is."""
        if step.when is not None:
            value = await self._eval(step, "when", step.when)
            if not isinstance(value, bool):
                raise _NodeFailure(
                    _error(
                        "type_error",
                        f"'when' must be a boolean, got {json_type_name(value)}",
                        field="when",
                    )
                )
            if not value:
                return f"guard `{step.when.source}` is false"
        return None

    async def _eval(
        self,
        step: Step,
        field_name: str,
        expression: Expression,
        env: Mapping[str, Any] | None = None,
    ) -> Any:
        """Evaluate within the expression's and the node's budget (flows/core/bounded.py)."""
        scope = self.values if env is None else env
        try:
            if expression.program is None:  # a literal or a plain path: no work to bound
                return expression.evaluate(scope)
            budget = self.budgets.get(step.id)
            if budget is None:
                budget = self.budgets[step.id] = NodeBudget(self.engine.limits.expressions.node_s)
            shared = env is None or env.get("input") is self.values["input"]
            return await evaluate_bounded(
                expression,
                scope,
                self.engine.limits.expressions,
                sizes=self.sizes if shared else None,
                budget=budget,
            )
        except LimitExceeded as exc:
            raise _NodeFailure(
                _error(
                    exc.code,
                    f"node '{step.id}', field '{field_name}': {exc.message}",
                    field=field_name,
                    limit=exc.limit,
                    expression=exc.expression,
                )
            ) from None
        except ExpressionError as exc:
            raise _NodeFailure(
                _error("expression_error", str(exc), field=field_name, column=exc.column)
            ) from None

    async def _inputs(self, step: Step, env: Mapping[str, Any] | None = None) -> dict[str, Any]:
        if step.plain_inputs:
            return self._plain_inputs(step, env)
        if step.join_source is not None:
            env = {"source": self.values.get(step.join_source)}
        inputs = {}
        for name, expression in step.inputs:
            inputs[name] = await self._eval(step, f"inputs.{name}", expression, env)
        return self._checked_inputs(step, inputs)

    def _plain_inputs(self, step: Step, env: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """`_inputs` when each input is a literal or a plain path: no work to bound, so
        no coroutine (most tool nodes; and a map node's inputs, once per item)."""
        if step.join_source is not None:
            env = {"source": self.values.get(step.join_source)}
        scope = self.values if env is None else env
        inputs = {}
        for name, expression in step.inputs:
            try:
                inputs[name] = expression.evaluate(scope)
            except ExpressionError as exc:
                raise _NodeFailure(
                    _error("expression_error", str(exc), field=f"inputs.{name}", column=exc.column)
                ) from None
        return self._checked_inputs(step, inputs)

    def _checked_inputs(self, step: Step, inputs: dict[str, Any]) -> dict[str, Any]:
        try:
            check_size(inputs, self.engine.limits.expressions.max_value_bytes)
        except ValueTooLarge as exc:
            raise _NodeFailure(_too_large(step.id, "inputs", exc)) from None
        return inputs

    async def _render(self, step: Step, template: str, field_name: str) -> str:
        """A `{{ expr }}` template with each placeholder evaluated within the budget."""
        parts: list[str] = []
        position = 0
        for match in _TEMPLATE.finditer(template):
            parts.append(template[position : match.start()])
            source = match.group(1).strip()
            try:
                expression = compile_expression(source)
            except ExpressionError as exc:
                raise _NodeFailure(_error("expression_error", str(exc), field=field_name)) from None
            value = await self._eval(step, field_name, expression)
            parts.append(value if isinstance(value, str) else json.dumps(value, sort_keys=True))
            position = match.end()
        parts.append(template[position:])
        text = "".join(parts)
        limit = self.engine.limits.expressions.max_value_bytes
        if len(text) > limit:
            raise _NodeFailure(_too_large(step.id, field_name, ValueTooLarge(len(text), limit)))
        return text

    # ------------------------------------------------------------------ node kinds

    async def _run_node(self, step: Step, started_at: float) -> NodeRecord | None:
        """Run a node that is not a tool call (_execute runs those)."""
        node = step.node
        if isinstance(node, BranchNode):
            value = await self._eval(step, "condition", compile_expression(node.condition))
            if not isinstance(value, bool):
                raise _NodeFailure(
                    _error(
                        "type_error",
                        f"branch condition must be a boolean, got {json_type_name(value)}",
                        field="condition",
                    )
                )
            self.emit(ev.NODE_STARTED, step.id)
            output = {"value": value, "taken": "then" if value else "else"}
            return NodeRecord(
                step.id, COMPLETED, output, started_at=started_at, finished_at=time.time()
            )
        if isinstance(node, SwitchNode):
            value = await self._eval(step, "value", compile_expression(node.value))
            key = value if isinstance(value, str) else json.dumps(value)
            arm = f"case:{key}" if key in node.cases else "default"
            self.emit(ev.NODE_STARTED, step.id)
            output = {"value": value, "taken": arm, "case": key if key in node.cases else "default"}
            return NodeRecord(
                step.id, COMPLETED, output, started_at=started_at, finished_at=time.time()
            )
        if isinstance(node, ValueNode | OutputNode):
            self.emit(ev.NODE_STARTED, step.id)
            if isinstance(node.value, str):
                output = await self._eval(step, "value", compile_expression(node.value))
            else:
                output = {
                    key: await self._eval(step, f"value.{key}", compile_expression(source))
                    for key, source in node.value.items()
                }
            return NodeRecord(
                step.id, COMPLETED, output, started_at=started_at, finished_at=time.time()
            )
        if isinstance(node, MapNode):
            return await self._run_map(step, node, started_at)
        if isinstance(node, ApprovalNode):
            await self._suspend(step, node, started_at)
            return None
        if isinstance(node, LlmNode):
            return await self._run_llm(step, node, started_at)
        raise _NodeFailure(_error("unsupported_node", f"unsupported node type {node.type}"))

    async def _invoke(
        self,
        step: Step,
        inputs: dict[str, Any],
        node_id: str,
        task: asyncio.Task[Any] | None = None,
    ) -> tuple[Any, int]:
        """Call the step's tool (the current task is `task`, when the caller knows it)."""
        tool = step.tool
        if tool is None:  # compiled without a catalogue
            tool_id = step.node.tool  # type: ignore[union-attr]
            tool = self.engine.catalog.get(tool_id)
            if tool is None:
                raise _NodeFailure(_error("unknown_tool", f"unknown tool '{tool_id}'"))
            step.tool = tool
            step.retry, step.timeout_s = _call_policy(step.node, tool)
        retry = step.retry
        max_attempts = retry.max_attempts if retry else 1
        engine = self.engine
        timeout = step.timeout_s or engine.limits.default_timeout_s
        tool_id = tool.spec.id
        known = engine._per_tool  # tool_slots, without its call once the tool is known
        per_tool = known[tool_id] if tool_id in known else engine.tool_slots(tool_id, tool)
        limiter = engine.limiter
        attempt = 1
        deadlines = self.deadlines
        slots = engine.slots
        if task is None:
            task = asyncio.current_task()
            assert task is not None
        while True:
            try:
                # Per-tool slot first, so a call queued behind its tool's limit holds no
                # global slot that other tools could use.
                if per_tool is not None and not per_tool.try_take():
                    await per_tool.take()
                try:
                    if not slots.try_take():
                        await slots.take()
                    try:
                        deadlines.add(task, timeout)
                        context = _new_context(ToolContext, (self.run_id, node_id, attempt, None))
                        if limiter is not None:
                            async with limiter.slot(tool.spec.id):
                                output = await tool.invoke(inputs, context)
                        else:
                            output = await tool.invoke(inputs, context)
                    except asyncio.CancelledError:
                        if deadlines.expired(task):
                            raise TimeoutError from None
                        raise
                    finally:
                        deadlines.discard(task)
                        slots.give()
                finally:
                    if per_tool is not None:
                        per_tool.give()
                return output, attempt
            except Exception as exc:  # TimeoutError included; CancelledError is not one
                error, retryable = _call_error(exc, tool, timeout)
            if not retryable or attempt >= max_attempts:
                raise _NodeFailure({**error, "attempts": attempt}, attempt)
            assert retry is not None
            delay = retry.delay(attempt)
            self.emit(
                ev.NODE_RETRYING, node_id, {"attempt": attempt, "delay_s": delay, "error": error}
            )
            await self.engine.clock.sleep(delay)
            attempt += 1

    async def _run_map(self, step: Step, node: MapNode, started_at: float) -> NodeRecord:
        items = await self._eval(step, "items", compile_expression(node.items))
        if not isinstance(items, list):
            raise _NodeFailure(
                _error(
                    "type_error",
                    f"map items must be a list, got {json_type_name(items)}",
                    field="items",
                )
            )
        if len(items) > node.max_items:
            raise _NodeFailure(
                _error(
                    "too_many_items",
                    f"{len(items)} items exceed max_items={node.max_items}",
                    field="items",
                )
            )
        self.emit(ev.NODE_STARTED, step.id, {"items": len(items)})
        semaphore = asyncio.Semaphore(node.concurrency)
        attempts = 0

        async def one(index: int, item: Any) -> Any:
            nonlocal attempts
            env = {**self.values, "item": item, "index": index}
            inputs = await self._inputs(step, env)
            async with semaphore:
                output, used = await self._invoke(step, inputs, step.id)
            attempts += used
            return output

        tasks = [asyncio.ensure_future(one(i, item)) for i, item in enumerate(items)]
        try:
            results = await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            raise
        return NodeRecord(
            step.id,
            COMPLETED,
            results,
            None,
            {"items": len(items)},
            max(attempts, 1),
            started_at,
            time.time(),
        )

    def _reviewed_inputs(self, step: Step) -> dict[str, Any] | None:
        """The inputs an approver let through for this tool call, if it was reviewed."""
        if step.reviewed_by is None:
            return None
        decision = self.values.get(step.reviewed_by)
        if isinstance(decision, dict) and decision.get("approved"):
            inputs = decision.get("inputs")
            if isinstance(inputs, dict):
                return inputs
        return None

    async def _review_request(self, step: Step) -> dict[str, Any] | None:
        """The tool call an approval reviews: the inputs the run is about to send."""
        if step.review is None:
            return None
        target = self.steps[step.review]
        unfinished = [
            d for d in target.deps if d != step.id and self.status.get(d) not in _FINISHED
        ]
        if unfinished:
            raise _NodeFailure(
                _error(
                    "review_not_ready",
                    f"approval '{step.id}' reviews the inputs of '{target.id}', but "
                    f"'{unfinished[0]}' has not finished yet: add it to the approval's `after`",
                    field="review",
                )
            )
        env = {**self.values, step.id: {"approved": True, "data": {}, "comment": "", "by": None}}
        tool = target.tool or self.engine.catalog.get(target.node.tool)  # type: ignore[union-attr]
        return {
            "node": target.id,
            "tool": target.node.tool,  # type: ignore[union-attr]
            "proposed": await self._review_inputs(target, env),
            "input_schema": tool.spec.input_schema if tool is not None else {"type": "object"},
        }

    async def _review_inputs(self, target: Step, env: Mapping[str, Any]) -> dict[str, Any]:
        """The inputs `target` would get; what it spends on them is not its own budget."""
        try:
            return await self._inputs(target, env)
        finally:
            self.budgets.pop(target.id, None)

    async def _suspend(self, step: Step, node: ApprovalNode, started_at: float) -> None:
        context = {
            key: await self._eval(step, f"context.{key}", compile_expression(source))
            for key, source in node.context.items()
        }
        request = {
            "node_id": step.id,
            "title": node.title or step.id,
            "instructions": node.instructions,
            "form_schema": node.form_schema,
            "context": context,
            "assignees": node.assignees.model_dump(),
            "quorum": node.quorum,
            "reject_quorum": node.reject_quorum,
            "review": await self._review_request(step),
            "timeout_s": node.timeout_seconds,
            "on_timeout": node.on_timeout,
            "escalate_to": node.escalate_to,
            "requested_at": time.time(),
        }
        # Events and the node record say which step waits, never what it shows.
        summary = approval_summary(request)
        self.emit(ev.NODE_STARTED, step.id, {"waiting": True, **summary})
        record = NodeRecord(step.id, WAITING, None, None, summary, 1, started_at, None)
        self.checkpoint.waiting[step.id] = request
        await self._commit(record)
        self.status[step.id] = WAITING
        return

    async def _decide(self, node_id: str, decision: ApprovalDecision) -> None:
        """Complete a waiting approval with a human's (or the timeout's) decision."""
        step = self.steps.get(node_id)
        if step is None or not isinstance(step.node, ApprovalNode):
            raise EngineError(f"'{node_id}' is not an approval node of this flow")
        if self.status.get(node_id) != WAITING:
            raise EngineError(f"approval '{node_id}' is not waiting for a decision")
        node = step.node
        if decision.approved and not decision.timed_out:
            try:
                schema_validator(node.form_schema).validate(decision.data)
            except jsonschema.ValidationError as exc:
                path = "/".join(str(p) for p in exc.absolute_path) or "(form)"
                raise EngineError(f"form data invalid at {path}: {exc.message}") from None
            except (jsonschema.SchemaError, Unresolvable) as exc:
                raise EngineError(f"the step's form_schema is not usable: {exc}") from None
        waiting = self.checkpoint.nodes[node_id]
        del self.checkpoint.waiting[node_id]
        status: NodeStatus
        # An escalated step that runs out of time again fails, as "fail" does at once.
        timeout_fails = node.on_timeout in ("fail", "escalate")
        if decision.timed_out and timeout_fails and not decision.approved:
            status, output = FAILED, None
            error = _error("approval_timeout", f"approval '{node_id}' timed out")
        elif not decision.approved and node.on_reject == "fail":
            status, output = FAILED, None
            error = _error("approval_rejected", f"approval '{node_id}' was rejected")
        else:
            status, output, error = COMPLETED, decision.output(), None
        record = replace(
            waiting, status=status, output=output, error=error, finished_at=time.time()
        )
        self.checkpoint.nodes[node_id] = record
        await self.engine.store.save_node(self.run_id, record)
        if record.status == FAILED:
            self.emit(ev.NODE_FAILED, node_id, {"error": record.error})
            self.status[node_id] = FAILED
            self.failure = {**(record.error or {}), "node": node_id}
            self.stopping = True
            return
        if not decision.approved and node.on_reject == "skip":
            self.rejected.add(node_id)
        self.emit(ev.NODE_OUTPUT, node_id, {"output": record.output})
        self.status[node_id] = COMPLETED
        self.values[node_id] = record.output
        for dependent in step.dependents:
            self.remaining[dependent] -= 1

    async def _run_llm(self, step: Step, node: LlmNode, started_at: float) -> NodeRecord:
        llm = self.engine.llm
        if llm is None:
            raise _NodeFailure(
                _error(
                    "llm_unavailable",
                    "no language model is configured (set OPENAI_API_KEY to run llm nodes)",
                )
            )
        prompt = await self._render(step, node.prompt, "prompt")
        system = await self._render(step, node.system, "system") if node.system else None
        self.emit(ev.NODE_STARTED, step.id, {"prompt": prompt})
        retry = node.retry or Retry(max_attempts=1)
        attempt = 1
        while True:
            try:
                async with asyncio.timeout(node.timeout_s or self.engine.limits.default_timeout_s):
                    text = await llm.complete(
                        prompt=prompt,
                        system=system,
                        output_schema=node.output_schema,
                        model=node.model,
                    )
                output = _parse_llm_output(text, node.output_schema)
                return NodeRecord(
                    step.id,
                    COMPLETED,
                    output,
                    None,
                    {"prompt": prompt},
                    attempt,
                    started_at,
                    time.time(),
                )
            except (TimeoutError, ToolError, ValueError) as exc:
                retryable = isinstance(exc, TimeoutError) or getattr(exc, "retryable", False)
                error = _error("llm_error", f"{type(exc).__name__}: {exc}")
                if not retryable or attempt >= retry.max_attempts:
                    raise _NodeFailure(error, attempt) from None
                self.emit(ev.NODE_RETRYING, step.id, {"attempt": attempt, "error": error})
                await self.engine.clock.sleep(retry.delay(attempt))
                attempt += 1


_TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def _too_large(node_id: str, field_name: str, exc: ValueTooLarge) -> dict[str, Any]:
    return _error(
        "value_too_large",
        f"node '{node_id}', field '{field_name}': the value is {exc.size} bytes as JSON; "
        f"the limit is {exc.limit} bytes (DYNAMICFLOW_MAX_VALUE_BYTES)",
        field=field_name,
        limit=exc.limit,
        size=exc.size,
    )


def _parse_llm_output(text: str, schema: dict[str, Any] | None) -> Any:
    if schema is None:
        return {"text": text}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the model's answer is not JSON: {exc}") from None
    try:
        schema_validator(schema).validate(data)
    except jsonschema.ValidationError as exc:
        raise ValueError(f"the model's answer does not fit output_schema: {exc.message}") from None
    except (jsonschema.SchemaError, Unresolvable) as exc:
        raise ValueError(f"output_schema is not usable: {exc}") from None
    return data
