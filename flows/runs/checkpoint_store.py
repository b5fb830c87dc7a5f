"""The engine's checkpoint store for runs a worker executes, over the run's event writer.

`save_node` hands the record to the run's `RunEventWriter`, which commits it with the
events emitted so far (grouped with the records of siblings that finish together) and
returns once it is durable; `load` reads the run's last checkpoint after a claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.core.checkpoints import Checkpoint, CheckpointUnavailable, NodeRecord
from flows.runs.events import RunEventWriter
from flows.runs.store import DATABASE_UNAVAILABLE, DbThread, load_checkpoint


@dataclass(slots=True)
class _Attached:
    writer: RunEventWriter
    fresh: bool
    waiting_nodes: set[str]


class PostgresCheckpointStore:
    """The engine's CheckpointStore for runs executed by this process.

    The runner attaches a run's writer before starting the engine; `save_node` commits the
    node record together with the events emitted so far, fenced on the lease. `save` only
    keeps the final checkpoint: the runner commits it with the run's outcome in one
    statement (`RunEventWriter.finish`).
    """

    def __init__(self, db: DbThread) -> None:
        self.db = db
        self._runs: dict[str, _Attached] = {}
        self.final: dict[str, Checkpoint] = {}

    def attach(self, run_id: str, writer: RunEventWriter, *, fresh: bool) -> None:
        self._runs[run_id] = _Attached(writer, fresh, set())

    def detach(self, run_id: str) -> Checkpoint | None:
        self._runs.pop(run_id, None)
        return self.final.pop(run_id, None)

    async def load(self, run_id: str) -> Checkpoint | None:
        attached = self._runs[run_id]
        if attached.fresh:
            return None
        claim = attached.writer.claim
        checkpoint = await self.db.call(load_checkpoint, run_id, claim.input, claim.waiting)
        if checkpoint is not None:
            attached.waiting_nodes = {
                k for k, r in checkpoint.nodes.items() if r.status == "waiting"
            }
        return checkpoint

    async def save_node(self, run_id: str, record: NodeRecord) -> None:
        attached = self._runs[run_id]
        replace_waiting = record.node_id in attached.waiting_nodes
        try:
            await attached.writer.commit(record, replace_waiting=replace_waiting)
        except DATABASE_UNAVAILABLE as exc:
            raise CheckpointUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if record.status == "waiting":
            attached.waiting_nodes.add(record.node_id)
        elif replace_waiting:
            attached.waiting_nodes.discard(record.node_id)

    def stage_node(self, run_id: str, record: NodeRecord) -> None:
        """A record nothing waits on: it rides on the run's next write (or its outcome)."""
        self._runs[run_id].writer.stage(record)

    async def save(self, checkpoint: Checkpoint) -> None:
        self.final[checkpoint.run_id] = checkpoint
