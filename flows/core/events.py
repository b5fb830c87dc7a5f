"""The one event vocabulary of runs and plans, and the sinks that receive events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

RUN_STARTED = "run.started"
NODE_STARTED = "node.started"
NODE_OUTPUT = "node.output"
NODE_SKIPPED = "node.skipped"
NODE_RETRYING = "node.retrying"
NODE_FAILED = "node.failed"
RUN_SUSPENDED = "run.suspended"
RUN_RESUMED = "run.resumed"
RUN_COMPLETED = "run.completed"
RUN_FAILED = "run.failed"
RUN_CANCELLED = "run.cancelled"
#: The run's worker stopped renewing its lease; the run was handed to another worker.
RUN_RECOVERED = "run.recovered"

PLAN_STARTED = "plan.started"
PLAN_ATTEMPT = "plan.attempt"
PLAN_TOKEN = "plan.token"
PLAN_VALIDATED = "plan.validated"
PLAN_COMPLETED = "plan.completed"
PLAN_FAILED = "plan.failed"

RUN_EVENT_TYPES = (
    RUN_STARTED,
    NODE_STARTED,
    NODE_OUTPUT,
    NODE_SKIPPED,
    NODE_RETRYING,
    NODE_FAILED,
    RUN_SUSPENDED,
    RUN_RESUMED,
    RUN_COMPLETED,
    RUN_FAILED,
    RUN_CANCELLED,
    RUN_RECOVERED,
)
PLAN_EVENT_TYPES = (
    PLAN_STARTED,
    PLAN_ATTEMPT,
    PLAN_TOKEN,
    PLAN_VALIDATED,
    PLAN_COMPLETED,
    PLAN_FAILED,
)
TERMINAL_RUN_EVENTS = frozenset({RUN_COMPLETED, RUN_FAILED, RUN_CANCELLED, RUN_SUSPENDED})


@dataclass(slots=True)
class Event:
    """One step of a run or a plan. `seq` is per run, gap-free, starting at 1.

    `ts` is wall-clock seconds since the epoch; `elapsed_ms` is the time since the run (or
    plan) started and `duration_ms` the time the step took, where it has one.
    """

    seq: int
    type: str
    ts: float
    run_id: str
    node_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    elapsed_ms: float | None = None
    duration_ms: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "type": self.type,
            "ts": self.ts,
            "run_id": self.run_id,
            "node_id": self.node_id,
            "data": self.data,
            "elapsed_ms": self.elapsed_ms,
            "duration_ms": self.duration_ms,
        }


class EventSink(Protocol):
    """Receives every event in order. Called on the event loop; must not block."""

    def emit(self, event: Event) -> None: ...


class ListSink:
    """Keeps events in memory (tests, the CLI, benchmarks)."""

    #: The list's own append: a run emits two events a node, and a method around it
    #: would add a Python call to each.
    emit: Callable[[Event], None]

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.emit = self.events.append

    def types(self) -> list[str]:
        return [event.type for event in self.events]


class CallbackSink:
    def __init__(self, callback: Callable[[Event], None]) -> None:
        self._callback = callback

    def emit(self, event: Event) -> None:
        self._callback(event)


class NullSink:
    def emit(self, event: Event) -> None:
        return None
