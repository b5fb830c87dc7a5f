"""The planner's ports and carriers: what a planner is, what it returns, how it reports.

A planner turns a prompt (or an instruction and an existing flow) into IR. The session
functions in `flows.core.planner.session` do the common work around it (tool selection,
the plan cache, final validation, the plan.* events); a planner only writes the graph,
emitting `plan.attempt` (and `plan.token`) events through the `PlanEmitter` it is given.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from flows.core import events as ev
from flows.core.events import Event, EventSink, NullSink
from flows.core.ir import Flow, Join
from flows.core.tools import ToolSpec

if TYPE_CHECKING:
    from flows.core.planner.checking import CheckResult
    from flows.core.planner.refine import EditOperation


class PlanningError(Exception):
    """Planning failed. `code` is stable (for clients); `step` names the prompt step that
    could not be mapped, when that is the reason."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        step: str | None = None,
        details: Any = None,
        attempts: Sequence[AttemptRecord] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.step = step
        self.details = details
        self.attempts = list(attempts)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.step is not None:
            data["step"] = self.step
        if self.details is not None:
            data["details"] = self.details
        return data


@dataclass(slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_json(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }


#: Outcomes of one attempt (one request to the model, or one offline pass).
VALID = "valid"
INVALID = "invalid"
MALFORMED = "malformed"
REFUSED = "refused"
RATE_LIMITED = "rate_limited"
SERVER_ERROR = "server_error"
TIMEOUT = "timeout"
CONNECTION_ERROR = "connection_error"
FORMAT_UNSUPPORTED = "format_unsupported"


@dataclass(slots=True)
class AttemptRecord:
    number: int
    outcome: str
    latency_ms: float = 0.0
    usage: Usage = field(default_factory=Usage)
    errors: list[dict[str, Any]] = field(default_factory=list)
    response_format: str | None = None
    retry_after_s: float | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "attempt": self.number,
            "outcome": self.outcome,
            "latency_ms": round(self.latency_ms, 1),
            "usage": self.usage.to_json(),
        }
        if self.errors:
            data["errors"] = self.errors
        if self.response_format is not None:
            data["response_format"] = self.response_format
        if self.retry_after_s is not None:
            data["retry_after_s"] = self.retry_after_s
        return data


class PlanEmitter:
    """Numbers plan events (seq from 1), stamps them, keeps them and forwards them to a sink."""

    def __init__(
        self,
        plan_id: str,
        sink: EventSink | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.plan_id = plan_id
        self.sink = sink or NullSink()
        self.events: list[Event] = []
        self._clock = clock
        self._wall_clock = wall_clock
        self._started = clock()
        self._seq = 0

    def elapsed_ms(self) -> float:
        return (self._clock() - self._started) * 1000

    def emit(
        self,
        event_type: str,
        data: dict[str, Any] | None = None,
        *,
        node_id: str | None = None,
        duration_ms: float | None = None,
    ) -> Event:
        self._seq += 1
        event = Event(
            seq=self._seq,
            type=event_type,
            ts=self._wall_clock(),
            run_id=self.plan_id,
            node_id=node_id,
            data=data or {},
            elapsed_ms=round(self.elapsed_ms(), 1),
            duration_ms=None if duration_ms is None else round(duration_ms, 1),
        )
        self.events.append(event)
        self.sink.emit(event)
        return event

    def attempt(self, record: AttemptRecord) -> Event:
        return self.emit(ev.PLAN_ATTEMPT, record.to_json(), duration_ms=record.latency_ms)

    def token(self, text: str, *, attempt: int) -> Event:
        return self.emit(ev.PLAN_TOKEN, {"text": text, "attempt": attempt})


Checker = Callable[[dict[str, Any] | Flow], "CheckResult"]


@dataclass(slots=True)
class PlanContext:
    """What a planner gets: the prompt, the tools it may use, and how to check a draft."""

    prompt: str
    tools: list[ToolSpec]
    joins: list[Join]
    check: Checker
    emitter: PlanEmitter


@dataclass(slots=True)
class RefineContext:
    flow: Flow
    instruction: str
    tools: list[ToolSpec]
    joins: list[Join]
    check: Checker
    emitter: PlanEmitter


@dataclass(slots=True)
class PlannerOutput:
    """A planner's draft (the session validates it once more and stamps the metadata)."""

    flow: Flow
    attempts: list[AttemptRecord] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    #: node id -> the phrase of the request the node comes from (when the planner knows).
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class RefineOutput:
    operations: list[EditOperation]
    attempts: list[AttemptRecord] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)


class Planner(Protocol):
    #: "offline", "openai", ... — written to the plan's metadata.planner.
    name: str
    model: str | None
    #: Whether a large catalogue is cut down by retrieval before the planner sees it.
    uses_retrieval: bool

    def plan(self, context: PlanContext) -> PlannerOutput:
        """Write a flow for `context.prompt`; raise PlanningError when it cannot."""
        ...

    def refine(self, context: RefineContext) -> RefineOutput:
        """Edit operations that carry out `context.instruction` on `context.flow`."""
        ...


@dataclass(slots=True)
class PlanResult:
    """The outcome of one plan (or refine) request, successful or not."""

    plan_id: str
    planner: str
    model: str | None
    prompt: str
    ok: bool
    flow: Flow | None = None
    error: PlanningError | None = None
    attempts: list[AttemptRecord] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    latency_ms: float = 0.0
    cache_hit: bool = False
    cache_key: str | None = None
    tool_ids: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: For a refine: the operations and what they changed.
    operations: list[EditOperation] = field(default_factory=list)
    diff: dict[str, Any] | None = None
    issues: list[dict[str, Any]] = field(default_factory=list)
    #: node id -> the phrase of the prompt it comes from (explains the plan).
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def ir(self) -> dict[str, Any] | None:
        return self.flow.to_json() if self.flow is not None else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "plan_id": self.plan_id,
            "ok": self.ok,
            "planner": self.planner,
            "model": self.model,
            "ir": self.ir,
            "attempts": len(self.attempts),
            "usage": self.usage.to_json(),
            "latency_ms": round(self.latency_ms, 1),
            "cache_hit": self.cache_hit,
            "tool_ids": self.tool_ids,
        }
        if self.error is not None:
            data["error"] = self.error.to_json()
        if self.operations:
            data["operations"] = [
                op.model_dump(mode="json", by_alias=True) for op in self.operations
            ]
        if self.diff is not None:
            data["diff"] = self.diff
        if self.issues:
            data["issues"] = self.issues
        if self.sources:
            data["sources"] = self.sources
        return data
