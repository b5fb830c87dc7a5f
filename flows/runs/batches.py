"""Pacing a batch: start its queued runs within its concurrency, close it when all are done.

Called when a batch is created, whenever one of its runs finishes (by the runner), and by
the reaper; each call is idempotent and safe to race (the batch row is locked).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from flows.models import Run, RunBatch
from flows.runs import dispatch
from flows.runs.selectors import active_filter


def batch_advance(*, batch_id: Any) -> int:
    """Start queued runs of the batch while fewer than `concurrency` are active; close it when
    every run has finished. Returns how many runs were started."""
    with transaction.atomic():
        batch = RunBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != RunBatch.Status.RUNNING:
            return 0
        runs = Run.objects.filter(batch=batch)
        active = runs.filter(active_filter(), enqueued_at__isnull=False).count()
        free = max(batch.concurrency - active, 0)
        ids = list(
            runs.filter(status=Run.Status.PENDING, enqueued_at__isnull=True)
            .order_by("batch_index")
            .values_list("id", flat=True)[:free]
        )
        if ids:
            Run.objects.filter(id__in=ids).update(enqueued_at=timezone.now())
            transaction.on_commit(lambda: [dispatch.enqueue_run(i) for i in ids])
        elif not runs.exclude(status__in=Run.TERMINAL).exists():
            batch.status = RunBatch.Status.COMPLETED
            batch.finished_at = timezone.now()
            batch.save(update_fields=["status", "finished_at"])
    return len(ids)
