"""Who may see a run, and how much of it: its owner and staff see and manage all of it; a
person asked to decide one of its approval steps (named, or in a named group) sees it read
only, with the data of the nodes up to their step. Anyone else sees nothing (404).

`RunView` is the answer for one person and one run; every way out of a run's data (the run
detail, its node attempts, the events API, the websocket) passes through it, so what an
approver is not shown is withheld the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.models import Run

OWNER = "owner"
APPROVER = "approver"

#: What an event's or a node record's data says of the values a node read and produced:
#: withheld from an approver for the nodes past their step (and the run's result). The rest
#: (waiting, items, attempts, reasons, the input the run started with) stays: the graph and
#: the timeline are drawn from it.
WITHHELD_KEYS = frozenset({"inputs", "output", "error", "context", "prompt"})


@dataclass(frozen=True, slots=True)
class RunView:
    """What one person may see of one run. `shown` holds the nodes whose inputs, outputs and
    errors they see; None means every node (and the run's result)."""

    role: str
    shown: frozenset[str] | None = None

    @property
    def manages(self) -> bool:
        """May cancel and re-run it."""
        return self.role == OWNER

    def shows(self, node_id: str | None) -> bool:
        return self.shown is None or (node_id is not None and node_id in self.shown)

    def event(self, event: dict[str, Any]) -> dict[str, Any]:
        """The event as this person may see it: the values of a node they are not shown,
        and the run's result, are withheld; its type, node, timings and state are not."""
        node_id = event.get("node_id")
        data = event.get("data")
        if self.shown is None or self.shows(node_id) or not isinstance(data, dict):
            return event
        if not WITHHELD_KEYS.intersection(data):
            return event
        kept = {key: value for key, value in data.items() if key not in WITHHELD_KEYS}
        if "error" in data:
            kept["error"] = self.error(data["error"]) if node_id is None else _code(data["error"])
        if kept == data:
            return event
        return {**event, "data": kept, "data_withheld": True}

    def attempt(self, record: dict[str, Any]) -> dict[str, Any]:
        """A node attempt's output (NodeAttemptOutput) as this person may see it."""
        if self.shows(record.get("node_id")):
            return record
        error = record.get("error")
        return {
            **record,
            "inputs": None,
            "output": None,
            "error": _code(error) if error is not None else None,
            "withheld": True,
        }

    def error(self, error: Any) -> Any:
        """A run's error: whole when it names no node or one they are shown; else its code
        and node only (the message may quote the node's data)."""
        if self.shown is None or not isinstance(error, dict):
            return error
        node_id = error.get("node")
        if node_id is None or self.shows(str(node_id)):
            return error
        return {**_code(error), "node": node_id}


def _code(error: Any) -> dict[str, Any]:
    """An error reduced to its code."""
    code = error.get("code") if isinstance(error, dict) else None
    return {"code": code, "withheld": True}


FULL = RunView(OWNER)


def run_view_for(user: Any, run: Run) -> RunView | None:
    """How `user` may see `run`, or None when they may not see it at all."""
    if not user.is_authenticated:
        return None
    if user.is_staff or run.requested_by_id == user.pk:
        return FULL
    steps = _steps_assigned_to(user, run)
    if not steps:
        return None
    return RunView(APPROVER, shown=_up_to(run, steps))


def _steps_assigned_to(user: Any, run: Run) -> list[str]:
    from approvals.models import ApprovalStep
    from approvals.selectors import is_assignee

    steps = list(
        ApprovalStep.objects.filter(run_id=run.pk).only(
            "node_id", "assignee_users", "assignee_groups", "run_id"
        )
    )
    if not steps:
        return []
    groups = set(user.groups.values_list("name", flat=True))
    mine = []
    for step in steps:
        step.run = run
        if is_assignee(user, step, groups):
            mine.append(step.node_id)
    return mine


def _up_to(run: Run, step_nodes: list[str]) -> frozenset[str]:
    """The steps and every node they depend on, directly or not."""
    from flows.core.graph import build_graph
    from flows.core.ir import parse_flow

    shown: set[str] = set(step_nodes)
    try:
        graph = build_graph(parse_flow(run.flow_version.ir))
    except ValueError:  # an IR that no longer parses: the steps alone
        return frozenset(shown)
    for node_id in step_nodes:
        shown |= graph.ancestors(node_id)
    return frozenset(shown)
