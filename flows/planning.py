"""Planning for the web and REST layers: plan requests recorded in Postgres, the plan cache in
Redis (Django's cache), and the planner chosen by settings.

The REST layer calls `plan_create` (or `plan_request_create` now and `plan_request_execute`
in a Celery task, which takes the request's id), and `plan_refine` for an instruction on an
existing flow. Planning itself is `flows.core.planner`; this module only adapts it.

Settings: OPENAI_API_KEY (set: the OpenAI planner is the default, else the offline one),
OPENAI_BASE_URL, DYNAMICFLOW_MODEL, and optionally DYNAMICFLOW_PLANNER_MAX_ATTEMPTS (3),
DYNAMICFLOW_PLANNER_MAX_RETRIES (2), DYNAMICFLOW_PLANNER_TIMEOUT_S (60),
DYNAMICFLOW_PLANNER_STREAM (True), DYNAMICFLOW_PLANNER_RESPONSE_FORMAT ("json_schema"),
DYNAMICFLOW_PLAN_CACHE_TTL_S (86400; 0 turns the cache off).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from flows.core import events as ev
from flows.core.events import Event, EventSink
from flows.core.ir import Flow, Join
from flows.core.planner.base import Planner, PlanningError, PlanResult
from flows.core.planner.cache import DEFAULT_TTL_S
from flows.core.planner.llm import LlmClient
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.openai_planner import OpenAIPlanner
from flows.core.planner.refine import operations_to_json
from flows.core.planner.session import plan_flow, refine_flow
from flows.core.tools import ToolCatalog
from flows.models import FlowVersion, PlanRequest

logger = logging.getLogger(__name__)

PLANNERS = ("offline", "openai")
_CACHE_PREFIX = "planner:"


class DjangoPlanCache:
    """The plan cache port over a Django cache (Redis in every deployment)."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias

    def get(self, key: str) -> dict[str, Any] | None:
        value = caches[self.alias].get(_CACHE_PREFIX + key)
        return value if isinstance(value, dict) else None

    def set(self, key: str, value: dict[str, Any], ttl_s: int) -> None:
        caches[self.alias].set(_CACHE_PREFIX + key, value, timeout=ttl_s)

    def delete(self, key: str) -> None:
        caches[self.alias].delete(_CACHE_PREFIX + key)


def default_planner_name() -> str:
    return "openai" if getattr(settings, "OPENAI_API_KEY", "") else "offline"


def available_planners() -> list[str]:
    return ["offline", "openai"] if getattr(settings, "OPENAI_API_KEY", "") else ["offline"]


def build_planner(name: str | None = None, *, client: LlmClient | None = None) -> Planner:
    """The planner called `name` (default: by settings), configured from settings.

    The openai planner is kept per configuration, so its HTTP connections are reused and a
    response format the server refused is not tried again on every request.
    """
    name = name or default_planner_name()
    if name == "offline":
        return OfflinePlanner()
    if name == "openai":
        options = _OpenAIOptions(
            api_key=getattr(settings, "OPENAI_API_KEY", ""),
            base_url=getattr(settings, "OPENAI_BASE_URL", None) or None,
            model=getattr(settings, "DYNAMICFLOW_MODEL", "gpt-4o-mini"),
            max_attempts=int(_setting("DYNAMICFLOW_PLANNER_MAX_ATTEMPTS", 3)),
            max_retries=int(_setting("DYNAMICFLOW_PLANNER_MAX_RETRIES", 2)),
            timeout_s=float(_setting("DYNAMICFLOW_PLANNER_TIMEOUT_S", 60.0)),
            stream=bool(_setting("DYNAMICFLOW_PLANNER_STREAM", True)),
            response_format=str(_setting("DYNAMICFLOW_PLANNER_RESPONSE_FORMAT", "json_schema")),
            max_retry_after_s=float(_setting("DYNAMICFLOW_PLANNER_MAX_RETRY_AFTER_S", 30.0)),
        )
        if client is not None:
            return options.planner(client)
        if not options.api_key:
            raise PlanningError(
                "planner_unavailable",
                "The openai planner needs OPENAI_API_KEY (and OPENAI_BASE_URL for a "
                "compatible server); without it use the offline planner.",
            )
        return _openai_planner(options)
    raise PlanningError(
        "unknown_planner", f"Unknown planner {name!r}; use one of: {', '.join(PLANNERS)}."
    )


@dataclass(frozen=True, slots=True)
class _OpenAIOptions:
    api_key: str
    base_url: str | None
    model: str
    max_attempts: int
    max_retries: int
    timeout_s: float
    stream: bool
    response_format: str
    max_retry_after_s: float = 30.0

    def planner(self, client: LlmClient) -> OpenAIPlanner:
        return OpenAIPlanner(
            client,
            model=self.model,
            max_attempts=self.max_attempts,
            max_retries=self.max_retries,
            timeout_s=self.timeout_s,
            stream=self.stream,
            response_format=self.response_format,
            max_retry_after_s=self.max_retry_after_s,
        )


@lru_cache(maxsize=8)
def _openai_planner(options: _OpenAIOptions) -> OpenAIPlanner:
    from flows.core.planner.openai_client import OpenAIChatClient

    client = OpenAIChatClient(
        api_key=options.api_key, base_url=options.base_url, timeout_s=options.timeout_s
    )
    return options.planner(client)


def plan_cache() -> DjangoPlanCache | None:
    return DjangoPlanCache() if cache_ttl_s() > 0 else None


def cache_ttl_s() -> int:
    return int(_setting("DYNAMICFLOW_PLAN_CACHE_TTL_S", DEFAULT_TTL_S))


def planning_catalog() -> ToolCatalog:
    """The catalogue runs execute against, so that a plan uses tools a run can call."""
    from flows.runs.catalog import run_catalog

    return run_catalog()


# -- plan requests ------------------------------------------------------------------------


def plan_request_create(
    *,
    user: Any,
    prompt: str,
    tool_ids: Sequence[str] | None = None,
    planner: str | None = None,
    base_version: FlowVersion | None = None,
) -> PlanRequest:
    """Record a pending plan (or, with `base_version`, refine) request.

    The LLM planner asked for where no model is configured: the offline planner plans it,
    and the request says so in its `warnings` (`llm_unavailable`) rather than failing.
    """
    name = planner or default_planner_name()
    if name not in PLANNERS:
        raise PlanningError(
            "unknown_planner", f"Unknown planner {name!r}; use one of: {', '.join(PLANNERS)}."
        )
    warnings: list[dict[str, str]] = []
    if name not in available_planners():
        warnings.append(LLM_UNAVAILABLE_WARNING)
        name = "offline"
    model = getattr(settings, "DYNAMICFLOW_MODEL", "") if name == "openai" else ""
    return PlanRequest.objects.create(
        prompt=prompt,
        requested_by=user,
        planner=name,
        model=model,
        tool_ids=list(tool_ids or []),
        base_version=base_version,
        status=PlanRequest.Status.PENDING,
        warnings=warnings,
    )


LLM_UNAVAILABLE_WARNING = {
    "code": "llm_unavailable",
    "message": "The LLM planner was asked for, but no model is configured here"
    " (OPENAI_API_KEY), so the offline planner planned this instead.",
}


@dataclass(slots=True)
class PlanOutcome:
    """A finished request and the planner's full result (operations and diff included)."""

    plan_request: PlanRequest
    result: PlanResult
    operations: list[dict[str, Any]] = field(default_factory=list)
    diff: dict[str, Any] | None = None


def plan_request_execute(
    *,
    plan_request_id: Any,
    sink: EventSink | None = None,
    catalog: ToolCatalog | None = None,
    joins: Sequence[Join] = (),
    planner: Planner | None = None,
    base_ir: dict[str, Any] | Flow | None = None,
    use_cache: bool = True,
    on_success: Callable[[PlanRequest, dict[str, Any]], FlowVersion | None] | None = None,
) -> PlanOutcome:
    """Run a recorded request and store its outcome (events, attempts, tokens, latency).

    A request with a base version (or `base_ir`) is a refine: its prompt is the instruction.
    `sink` receives every event as it happens (plan.token included); the stored events
    leave the tokens out and keep a count instead. `on_success` saves the plan (as a
    version) in the same transaction as the outcome, so nobody sees one without the other.
    """
    plan_request = PlanRequest.objects.get(pk=plan_request_id)
    if plan_request.status not in (PlanRequest.Status.PENDING, PlanRequest.Status.RUNNING):
        raise PlanningError(
            "already_planned", f"Plan request {plan_request.pk} is already {plan_request.status}."
        )
    PlanRequest.objects.filter(pk=plan_request.pk).update(status=PlanRequest.Status.RUNNING)
    catalog = catalog or planning_catalog()
    tool_ids = list(plan_request.tool_ids) or None
    recorder = _RecordingSink(sink)
    base = base_ir
    if base is None and plan_request.base_version_id is not None:
        base = plan_request.base_version.ir
    chosen: Planner
    try:
        chosen = planner or build_planner(plan_request.planner)
    except PlanningError as exc:
        # Not configured (no API key): the request ends failed, with the reason.
        chosen = _Unavailable(plan_request.planner, exc)
    if base is not None:
        result = refine_flow(
            base,
            plan_request.prompt,
            planner=chosen,
            catalog=catalog,
            tool_ids=tool_ids,
            joins=joins,
            sink=recorder,
            plan_id=str(plan_request.pk),
        )
    else:
        result = plan_flow(
            plan_request.prompt,
            planner=chosen,
            catalog=catalog,
            tool_ids=tool_ids,
            joins=joins,
            cache=plan_cache() if use_cache else None,
            cache_ttl_s=cache_ttl_s(),
            sink=recorder,
            plan_id=str(plan_request.pk),
        )
    with transaction.atomic():
        plan_request = PlanRequest.objects.select_for_update().get(pk=plan_request.pk)
        plan_request.status = (
            PlanRequest.Status.SUCCEEDED if result.ok else PlanRequest.Status.FAILED
        )
        plan_request.attempts = len(result.attempts)
        plan_request.prompt_tokens = result.usage.prompt_tokens
        plan_request.completion_tokens = result.usage.completion_tokens
        plan_request.latency_ms = round(result.latency_ms, 1)
        plan_request.cache_hit = result.cache_hit
        plan_request.events = recorder.stored()
        plan_request.ir = result.ir
        plan_request.model = result.model or ""
        plan_request.error = result.error.message if result.error else ""
        plan_request.finished_at = timezone.now()
        if result.ok and result.ir is not None and on_success is not None:
            plan_request.resulting_version = on_success(plan_request, result.ir)
        plan_request.save()
    return PlanOutcome(
        plan_request,
        result,
        operations=operations_to_json(result.operations),
        diff=result.diff,
    )


def plan_create(
    *,
    user: Any,
    prompt: str,
    tool_ids: Sequence[str] | None = None,
    planner: str | None = None,
    sink: EventSink | None = None,
    catalog: ToolCatalog | None = None,
    use_cache: bool = True,
) -> PlanOutcome:
    """Plan `prompt` now: record the request, run it, store and return the outcome."""
    plan_request = plan_request_create(user=user, prompt=prompt, tool_ids=tool_ids, planner=planner)
    return plan_request_execute(
        plan_request_id=plan_request.pk, sink=sink, catalog=catalog, use_cache=use_cache
    )


def plan_refine(
    *,
    user: Any,
    instruction: str,
    base_version: FlowVersion | None = None,
    ir: dict[str, Any] | None = None,
    tool_ids: Sequence[str] | None = None,
    planner: str | None = None,
    sink: EventSink | None = None,
    catalog: ToolCatalog | None = None,
) -> PlanOutcome:
    """Edit operations for `instruction` on a saved version (or an unsaved IR from the
    editor), applied to a copy and validated; the outcome carries operations and diff."""
    if base_version is None and ir is None:
        raise PlanningError("invalid_base", "Give the flow to refine: a version or its IR.")
    plan_request = plan_request_create(
        user=user,
        prompt=instruction,
        tool_ids=tool_ids,
        planner=planner,
        base_version=base_version,
    )
    return plan_request_execute(
        plan_request_id=plan_request.pk,
        sink=sink,
        catalog=catalog,
        base_ir=ir if ir is not None else None,
    )


class _Unavailable:
    """Stands in for a planner that cannot be built, so the request fails the normal way."""

    uses_retrieval = False

    def __init__(self, name: str, error: PlanningError) -> None:
        self.model: str | None = None
        self.name = name
        self.error = error

    def plan(self, context: Any) -> Any:
        raise self.error

    def refine(self, context: Any) -> Any:
        raise self.error


class _RecordingSink:
    """Forwards events and keeps what is stored with the request (tokens only counted)."""

    def __init__(self, forward: EventSink | None) -> None:
        self.forward = forward
        self.events: list[Event] = []
        self.tokens = 0

    def emit(self, event: Event) -> None:
        if event.type == ev.PLAN_TOKEN:
            self.tokens += 1
        else:
            self.events.append(event)
        if self.forward is not None:
            try:
                self.forward.emit(event)
            except Exception:  # a broken live view must not fail the plan
                logger.exception("plan event sink failed")

    def stored(self) -> list[dict[str, Any]]:
        stored = [event.to_json() for event in self.events]
        if self.tokens and stored:
            stored[-1]["data"] = {**stored[-1]["data"], "streamed_tokens": self.tokens}
        return stored


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)
