"""Run state that survives a process: per-node records, waiting approvals, the event counter.

The engine commits a node's record through a `CheckpointStore` before any successor
starts, so a run that dies can continue from its last checkpoint without re-running a
completed node. `InMemoryCheckpointStore` serves tests and the CLI; the Django app
provides a Postgres one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol


class CheckpointUnavailable(Exception):
    """The store cannot write a checkpoint now (its database is unreachable).

    The run neither fails nor finishes: the engine stops it where it is, and it continues
    later from its last committed checkpoint, like a run whose worker died.
    """


NodeStatus = Literal["completed", "skipped", "failed", "waiting"]
RunStatus = Literal["running", "suspended", "completed", "failed", "cancelled"]


@dataclass(slots=True)
class NodeRecord:
    node_id: str
    status: NodeStatus
    output: Any = None
    error: dict[str, Any] | None = None
    inputs: Any = None
    attempts: int = 1
    started_at: float | None = None
    finished_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "node_id": self.node_id,
            "status": self.status,
            "output": self.output,
            "error": self.error,
            "inputs": self.inputs,
            "attempts": self.attempts,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NodeRecord:
        return cls(**data)


@dataclass(slots=True)
class Checkpoint:
    """Everything needed to continue a run. Serialisable with to_json()."""

    run_id: str
    status: RunStatus = "running"
    input: dict[str, Any] = field(default_factory=dict)
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    #: approval node id -> the request shown to approvers (context, form, assignees, ...)
    waiting: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_seq: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "input": self.input,
            "nodes": {key: record.to_json() for key, record in self.nodes.items()},
            "waiting": self.waiting,
            "last_seq": self.last_seq,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            run_id=data["run_id"],
            status=data.get("status", "running"),
            input=data.get("input", {}),
            nodes={k: NodeRecord.from_json(v) for k, v in data.get("nodes", {}).items()},
            waiting=dict(data.get("waiting", {})),
            last_seq=int(data.get("last_seq", 0)),
        )


class CheckpointStore(Protocol):
    async def load(self, run_id: str) -> Checkpoint | None: ...

    async def save_node(self, run_id: str, record: NodeRecord) -> None:
        """Commit one finished node; returns only once it is durable."""

    async def save(self, checkpoint: Checkpoint) -> None:
        """Commit the whole run state (at suspension and at the end)."""

    # Optional: `stage_node(run_id, record) -> None` takes a record nothing waits on; the
    # store commits it with its next write, and at the latest with `save`.


class InMemoryCheckpointStore:
    def __init__(self) -> None:
        self.checkpoints: dict[str, Checkpoint] = {}

    async def load(self, run_id: str) -> Checkpoint | None:
        checkpoint = self.checkpoints.get(run_id)
        if checkpoint is None:
            return None
        return replace(checkpoint, nodes=dict(checkpoint.nodes), waiting=dict(checkpoint.waiting))

    async def save_node(self, run_id: str, record: NodeRecord) -> None:
        self.stage_node(run_id, record)

    def stage_node(self, run_id: str, record: NodeRecord) -> None:
        """Commit a record nothing waits on. In memory a commit is immediate either way;
        this way the engine saves a coroutine per leaf."""
        checkpoint = self.checkpoints.get(run_id)
        if checkpoint is None:
            checkpoint = self.checkpoints[run_id] = Checkpoint(run_id=run_id)
        checkpoint.nodes[record.node_id] = record

    async def save(self, checkpoint: Checkpoint) -> None:
        # Records are replaced, never mutated, once committed; a shallow copy isolates us.
        self.checkpoints[checkpoint.run_id] = replace(
            checkpoint, nodes=dict(checkpoint.nodes), waiting=dict(checkpoint.waiting)
        )
