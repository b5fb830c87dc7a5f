"""Reads for runs: who may see what, run lists and details, events after a sequence number."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from approvals.models import ApprovalStep
from flows.models import FlowVersion, NodeAttempt, Run, RunBatch, RunEvent
from flows.runs.errors import RunServiceError, not_found
from flows.runs.visibility import RunView, run_view_for
from flows.runs.wire import row_wire


def _uuid(value: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise not_found(what) from None


def user_can_view_run(user: Any, run: Run) -> bool:
    """The run's owner and staff may watch and cancel a run."""
    return bool(user.is_authenticated and (user.is_staff or run.requested_by_id == user.pk))


def approval_rejected_exists(run_ref: str = "pk") -> Exists:
    """Whether an approval of the outer query's run (`run_ref` names its id) was rejected,
    by a person or by its deadline's `on_timeout: "reject"`: such a run may complete, yet
    not as if everything went through."""
    return Exists(
        ApprovalStep.objects.filter(
            run_id=OuterRef(run_ref), status=ApprovalStep.Status.REJECTED
        )
    )


def with_approval_rejected(runs: QuerySet[Run]) -> QuerySet[Run]:
    return runs.annotate(approval_rejected=approval_rejected_exists())


def run_approval_rejected(run: Run) -> bool:
    """`approval_rejected` of one run: the annotation when it was read with it."""
    annotated = getattr(run, "approval_rejected", None)
    if annotated is not None:
        return bool(annotated)
    return ApprovalStep.objects.filter(run=run, status=ApprovalStep.Status.REJECTED).exists()


def runs_visible_to(user: Any) -> QuerySet[Run]:
    runs = Run.objects.select_related("flow_version", "flow_version__flow", "requested_by")
    return runs if user.is_staff else runs.filter(requested_by=user)


def run_list(
    *,
    user: Any,
    status: str | None = None,
    flow_version: int | None = None,
    batch: str | None = None,
    flow: int | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    approval_rejected: bool | None = None,
) -> QuerySet[Run]:
    runs = runs_visible_to(user)
    if status:
        runs = runs.filter(status=status)
    if flow_version:
        runs = runs.filter(flow_version_id=flow_version)
    if batch:
        runs = runs.filter(batch_id=_uuid(batch, "batch"))
    if flow:
        runs = runs.filter(flow_id=flow)
    if created_after:
        runs = runs.filter(created_at__gte=created_after)
    if created_before:
        runs = runs.filter(created_at__lt=created_before)
    # A run's row in the list shows its flow's name and version's number, not their IR.
    runs = runs.defer(
        "flow_version__ir", "flow_version__validation_errors", "flow_version__flow__description"
    )
    runs = with_approval_rejected(runs)
    if approval_rejected is not None:
        # As the batch's progress counts them: completed, yet an approval was rejected.
        runs = runs.filter(approval_rejected=approval_rejected)
    # A batch's runs in its inputs' order (`run_batch_index_idx`); others newest first.
    return runs.order_by("batch_index") if batch else runs.order_by("-created_at", "-id")


def run_get(*, run_id: Any, user: Any) -> Run:
    """The run, if `user` may see it; 404 otherwise (no hint that it exists)."""
    run = runs_visible_to(user).filter(id=_uuid(run_id, "run")).first()
    if run is None:
        raise not_found("run")
    return run


def run_get_viewed(*, run_id: Any, user: Any) -> tuple[Run, RunView]:
    """The run and how `user` may see it: whole for its owner and staff, read only up to
    their step for an approver of one of its steps (`visibility`); 404 for anyone else."""
    run = (
        Run.objects.select_related("flow_version", "flow_version__flow", "requested_by")
        .filter(id=_uuid(run_id, "run"))
        .first()
    )
    view = run_view_for(user, run) if run is not None else None
    if run is None or view is None:
        raise not_found("run")
    return run, view


def run_node_attempts(run: Run) -> list[NodeAttempt]:
    return list(run.node_attempts.order_by("id"))


def run_events_after(*, run_id: Any, after: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
    """Stored events with seq > after, in order: the same sequence the websocket sends."""
    rows = RunEvent.objects.filter(run_id=run_id, seq__gt=after).order_by("seq")[:limit]
    return [row_wire(row) for row in rows]


def user_can_use_flow_version(user: Any, version: FlowVersion) -> bool:
    flow = version.flow
    if not user.is_authenticated:
        return False
    if user.is_staff or flow.owner_id == user.pk:
        return True
    return flow.shared_with_groups.filter(user=user).exists()


def flow_version_for_run(*, user: Any, version_id: Any) -> FlowVersion:
    # Another user's version and a missing one answer the same: no existence oracle.
    try:
        version = FlowVersion.objects.select_related("flow").get(pk=int(version_id))
    except (FlowVersion.DoesNotExist, TypeError, ValueError, OverflowError):
        version = None
    if version is None or not user_can_use_flow_version(user, version):
        raise RunServiceError(
            "not_found",
            f"flow version {version_id!r} was not found",
            status=404,
            details={"field": "flow_version"},
        )
    return version


def batch_get(*, batch_id: Any, user: Any) -> RunBatch:
    batches = RunBatch.objects.select_related("flow_version")
    if not user.is_staff:
        batches = batches.filter(requested_by=user)
    batch = batches.filter(id=_uuid(batch_id, "batch")).first()
    if batch is None:
        raise not_found("batch")
    return batch


def batch_progress(batch: RunBatch) -> dict[str, Any]:
    counts = dict(
        batch.runs.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    done = sum(counts.get(s, 0) for s in Run.TERMINAL)
    rejected = (
        batch.runs.filter(status=Run.Status.COMPLETED)
        .filter(approval_rejected_exists())
        .count()
    )
    return {
        "total": batch.total,
        "done": done,
        "by_status": {status: counts.get(status, 0) for status in Run.Status.values},
        "approval_rejected": rejected,
        "fraction": (done / batch.total) if batch.total else 1.0,
    }


def batch_runs(batch: RunBatch) -> QuerySet[Run]:
    return with_approval_rejected(
        batch.runs.order_by("batch_index").only("id", "status", "batch_index")
    )


def active_filter() -> Q:
    return Q(status__in=[Run.Status.PENDING, Run.Status.RUNNING])
