"""One plan (or refine) request from start to finish, whatever the planner.

`plan_flow` picks the tools the planner sees (retrieval for large catalogues), consults
the plan cache, runs the planner, validates its draft once more, stamps the metadata, and
reports every step as a plan.* event. `refine_flow` does the same for an instruction on
an existing flow and returns the operations with their diff. Neither raises for a failed
plan: the result says what went wrong.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from flows.core import events as ev
from flows.core.events import EventSink
from flows.core.ir import Flow, Join, parse_flow
from flows.core.planner.base import (
    PlanContext,
    PlanEmitter,
    Planner,
    PlanningError,
    PlanResult,
    RefineContext,
    Usage,
)
from flows.core.planner.cache import DEFAULT_TTL_S, PlanCache, catalog_hash, plan_cache_key
from flows.core.planner.checking import CheckResult, check_plan
from flows.core.planner.explain import node_sources
from flows.core.planner.notes import plan_notes
from flows.core.planner.refine import (
    EditError,
    apply_operations,
    diff_flows,
    operations_to_json,
    renames_of,
)
from flows.core.planner.retrieval import ToolSelection, select_tools
from flows.core.tools import ToolCatalog, ToolSpec

logger = logging.getLogger(__name__)


def available_tools(catalog: ToolCatalog, tool_ids: Sequence[str] | None) -> list[ToolSpec]:
    """The catalogue's specs, restricted to `tool_ids` when given (unknown ids refused)."""
    specs = catalog.specs()
    if not tool_ids:
        return specs
    known = {spec.id for spec in specs}
    unknown = [tool_id for tool_id in tool_ids if tool_id not in known]
    if unknown:
        raise PlanningError(
            "unknown_tools",
            f"Unknown tool ids: {', '.join(unknown)}. Use ids from the tool catalogue.",
            details={"unknown": unknown},
        )
    wanted = set(tool_ids)
    return [spec for spec in specs if spec.id in wanted]


def plan_flow(
    prompt: str,
    *,
    planner: Planner,
    catalog: ToolCatalog,
    tool_ids: Sequence[str] | None = None,
    joins: Sequence[Join] = (),
    cache: PlanCache | None = None,
    cache_ttl_s: int = DEFAULT_TTL_S,
    sink: EventSink | None = None,
    plan_id: str | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> PlanResult:
    """Plan `prompt` into a validated flow. Always returns; `result.ok` says how it went."""
    plan_id = plan_id or str(uuid.uuid4())
    emitter = PlanEmitter(plan_id, sink, clock=clock)
    started = clock()
    result = PlanResult(
        plan_id=plan_id, planner=planner.name, model=planner.model, prompt=prompt, ok=False
    )
    try:
        if not prompt or not prompt.strip():
            raise PlanningError("empty_prompt", "The prompt is empty; describe the workflow.")
        tools = available_tools(catalog, tool_ids)
        selection = (
            select_tools(prompt, tools)
            if planner.uses_retrieval
            else ToolSelection(tools, "all", len(tools))
        )
        result.tool_ids = [spec.id for spec in selection.tools]
        digest = catalog_hash(tools, joins)
        key = plan_cache_key(
            prompt=prompt, catalog_digest=digest, planner=planner.name, model=planner.model
        )
        result.cache_key = key
        emitter.emit(
            ev.PLAN_STARTED,
            {
                "prompt": prompt,
                "planner": planner.name,
                "model": planner.model,
                "tools": selection.to_json(),
                "catalog_hash": digest,
            },
        )

        def check(data: dict[str, Any] | Flow) -> CheckResult:
            return check_plan(data, selection.tools, joins)

        cached = _cache_get(cache, key)
        if cached is not None:
            checked = check(cached["ir"])
            if checked.ok and checked.flow is not None:
                result.flow = checked.flow
                result.cache_hit = True
                cached_sources = cached.get("sources")
                result.sources = (
                    dict(cached_sources)
                    if isinstance(cached_sources, dict)
                    else node_sources(checked.flow, prompt)
                )
                emitter.emit(
                    ev.PLAN_VALIDATED,
                    {
                        "nodes": len(checked.flow.nodes),
                        "cache_hit": True,
                        "sources": result.sources,
                    },
                )
                return _complete(result, emitter, started, clock)
        output = planner.plan(
            PlanContext(
                prompt=prompt,
                tools=selection.tools,
                joins=list(joins),
                check=check,
                emitter=emitter,
            )
        )
        result.attempts = output.attempts
        result.usage = output.usage
        flow = stamp_metadata(output.flow, prompt=prompt, planner=planner)
        checked = check(flow)
        if not checked.ok:
            raise PlanningError(
                "invalid_plan",
                f"The {planner.name} planner returned a plan that does not validate: "
                f"{checked.issues[0]['message'] if checked.issues else 'unknown error'}",
                details=checked.issues,
            )
        result.flow = flow
        result.sources = {
            node_id: phrase
            for node_id, phrase in (output.sources or node_sources(flow, prompt)).items()
            if any(node.id == node_id for node in flow.nodes)
        }
        emitter.emit(
            ev.PLAN_VALIDATED,
            {"nodes": len(flow.nodes), "cache_hit": False, "sources": result.sources},
        )
        if cache is not None:
            _cache_set(
                cache,
                key,
                {
                    "ir": flow.to_json(),
                    "planner": planner.name,
                    "model": planner.model,
                    "sources": result.sources,
                },
                cache_ttl_s,
            )
        return _complete(result, emitter, started, clock)
    except PlanningError as exc:
        return _fail(result, emitter, started, clock, exc)
    except Exception as exc:  # a planner bug must still end the request, and say so
        logger.exception("planner %s failed", planner.name)
        error = PlanningError("planner_error", f"The {planner.name} planner failed: {exc!r}")
        return _fail(result, emitter, started, clock, error)


def refine_flow(
    flow: Flow | dict[str, Any],
    instruction: str,
    *,
    planner: Planner,
    catalog: ToolCatalog,
    tool_ids: Sequence[str] | None = None,
    joins: Sequence[Join] = (),
    sink: EventSink | None = None,
    plan_id: str | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> PlanResult:
    """Edit operations for `instruction`, applied to a copy of `flow`, validated, with the
    diff. `result.flow` is the edited flow; the original is untouched."""
    plan_id = plan_id or str(uuid.uuid4())
    emitter = PlanEmitter(plan_id, sink, clock=clock)
    started = clock()
    result = PlanResult(
        plan_id=plan_id,
        planner=planner.name,
        model=planner.model,
        prompt=instruction,
        ok=False,
    )
    try:
        if not instruction or not instruction.strip():
            raise PlanningError("empty_prompt", "The instruction is empty; say what to change.")
        try:
            base = flow if isinstance(flow, Flow) else parse_flow(flow)
        except ValidationError as exc:
            raise PlanningError(
                "invalid_base",
                "The flow to refine is not a valid IR document.",
                details=exc.errors(include_url=False),
            ) from None
        tools = available_tools(catalog, tool_ids)
        selection = (
            select_tools(instruction, tools)
            if planner.uses_retrieval
            else ToolSelection(tools, "all", len(tools))
        )
        # The tools the flow already uses stay visible, whatever retrieval kept.
        used = {getattr(node, "tool", None) for node in base.nodes}
        offered = [spec for spec in tools if spec in selection.tools or spec.id in used]
        result.tool_ids = [spec.id for spec in offered]
        emitter.emit(
            ev.PLAN_STARTED,
            {
                "prompt": instruction,
                "planner": planner.name,
                "model": planner.model,
                "refine": True,
                "base": base.name,
                "tools": ToolSelection(offered, selection.method, len(tools)).to_json(),
            },
        )

        def check(data: dict[str, Any] | Flow) -> CheckResult:
            return check_plan(data, offered, joins)

        output = planner.refine(
            RefineContext(
                flow=base,
                instruction=instruction,
                tools=offered,
                joins=list(joins),
                check=check,
                emitter=emitter,
            )
        )
        result.attempts = output.attempts
        result.usage = output.usage
        try:
            edited = apply_operations(base, output.operations)
        except EditError as exc:
            raise PlanningError("invalid_edit", str(exc), details=[exc.to_json()]) from None
        except ValidationError as exc:
            raise PlanningError(
                "invalid_edit",
                "The operations produce a document that is not valid IR.",
                details=exc.errors(include_url=False),
            ) from None
        edited = edited.model_copy(
            update={
                "metadata": edited.metadata.model_copy(
                    update={
                        "planner": planner.name,
                        "model": planner.model,
                        "created_at": datetime.now(UTC),
                    }
                )
            }
        )
        result.operations = list(output.operations)
        result.diff = diff_flows(base, edited, renamed=renames_of(output.operations))
        checked = check(edited)
        if not checked.ok:
            result.flow = edited
            result.issues = checked.issues
            raise PlanningError(
                "invalid_plan",
                "The edited flow does not validate: "
                f"{checked.issues[0]['message'] if checked.issues else 'unknown error'}",
                details=checked.issues,
            )
        result.flow = edited
        emitter.emit(
            ev.PLAN_VALIDATED,
            {
                "nodes": len(edited.nodes),
                "operations": operations_to_json(output.operations),
                "diff": result.diff,
            },
        )
        return _complete(result, emitter, started, clock)
    except PlanningError as exc:
        return _fail(result, emitter, started, clock, exc)
    except Exception as exc:  # a planner bug must still end the request, and say so
        logger.exception("planner %s failed", planner.name)
        error = PlanningError("planner_error", f"The {planner.name} planner failed: {exc!r}")
        return _fail(result, emitter, started, clock, error)


def stamp_metadata(flow: Flow, *, prompt: str, planner: Planner) -> Flow:
    """The metadata says honestly who planned it, from what prompt, and when."""
    metadata = flow.metadata.model_copy(
        update={
            "prompt": prompt,
            "planner": planner.name,
            "model": planner.model,
            "created_at": datetime.now(UTC),
            "notes": plan_notes(prompt),
        }
    )
    return flow.model_copy(update={"metadata": metadata})


def _complete(
    result: PlanResult, emitter: PlanEmitter, started: float, clock: Callable[[], float]
) -> PlanResult:
    result.ok = True
    result.latency_ms = (clock() - started) * 1000
    data: dict[str, Any] = {
        "cache_hit": result.cache_hit,
        "attempts": len(result.attempts),
        "usage": result.usage.to_json(),
        "latency_ms": round(result.latency_ms, 1),
        "planner": result.planner,
        "model": result.model,
    }
    if result.operations:
        data["operations"] = len(result.operations)
    emitter.emit(ev.PLAN_COMPLETED, data, duration_ms=result.latency_ms)
    result.events = list(emitter.events)
    return result


def _fail(
    result: PlanResult,
    emitter: PlanEmitter,
    started: float,
    clock: Callable[[], float],
    error: PlanningError,
) -> PlanResult:
    result.ok = False
    result.error = error
    if not emitter.events:
        emitter.emit(
            ev.PLAN_STARTED,
            {"prompt": result.prompt, "planner": result.planner, "model": result.model},
        )
    if error.attempts and not result.attempts:
        result.attempts = list(error.attempts)
        usage = Usage()
        for attempt in result.attempts:
            usage.add(attempt.usage)
        result.usage = usage
    result.latency_ms = (clock() - started) * 1000
    emitter.emit(
        ev.PLAN_FAILED,
        {
            **error.to_json(),
            "attempts": len(result.attempts),
            "usage": result.usage.to_json(),
            "latency_ms": round(result.latency_ms, 1),
        },
        duration_ms=result.latency_ms,
    )
    result.events = list(emitter.events)
    return result


def _cache_get(cache: PlanCache | None, key: str) -> dict[str, Any] | None:
    if cache is None:
        return None
    try:
        value = cache.get(key)
    except Exception:  # a cache outage must not fail planning
        return None
    return value if isinstance(value, dict) and isinstance(value.get("ir"), dict) else None


def _cache_set(cache: PlanCache, key: str, value: dict[str, Any], ttl_s: int) -> None:
    try:
        cache.set(key, value, ttl_s)
    except Exception:  # best effort: a cache outage must not fail planning
        return
