"""Celery tasks for runs. They take ids, re-fetch, call one service and are idempotent.

`execute_run` may be delivered twice (acks_late, a redelivered message, a recovery that
raced a slow worker): the run's lease decides which delivery executes it, and a finished
run is never executed again.

Recovery needs no beat: every worker starts a small reaper thread when it is ready, which
every `reaper_interval_s` re-enqueues runs whose lease expired (their worker died).
`recover_runs` is the same as a task, for a beat schedule if one is preferred.
"""

from __future__ import annotations

import logging
import threading

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown
from django.db import close_old_connections

from flows.core.checkpoints import CheckpointUnavailable
from flows.runs.store import DATABASE_UNAVAILABLE

logger = logging.getLogger(__name__)


#: A database that is down or restarting: the run is sent again later rather than lost
#: (its lease decides, as for any second delivery, whether the retry executes it).
_UNAVAILABLE = (*DATABASE_UNAVAILABLE, CheckpointUnavailable)


@shared_task(
    name="flows.execute_run",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=_UNAVAILABLE,
    retry_backoff=1,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=30,
)
def execute_run(run_id: str) -> str | None:
    from flows.runs.runner import execute_run_sync

    return execute_run_sync(run_id)


@shared_task(name="flows.recover_runs", ignore_result=True)
def recover_runs() -> list[str]:
    from flows.runs.services import runs_recover

    return runs_recover()


@shared_task(name="flows.advance_batch", ignore_result=True, acks_late=True)
def advance_batch(batch_id: str) -> int:
    from flows.runs.services import batch_advance

    return batch_advance(batch_id=batch_id)


class _Reaper(threading.Thread):
    """Re-enqueues abandoned runs while the worker lives."""

    def __init__(self) -> None:
        super().__init__(name="dynamicflow-run-reaper", daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        from flows.runs import conf
        from flows.runs.services import runs_recover

        interval = conf.reaper_interval_s()
        while not self.stopped.wait(interval):
            try:
                close_old_connections()
                recovered = runs_recover()
                if recovered:
                    logger.warning("re-enqueued abandoned runs: %s", ", ".join(recovered))
            except Exception:
                logger.exception("run recovery failed")


_reaper: _Reaper | None = None


@worker_ready.connect
def _start_reaper(**_: object) -> None:
    global _reaper
    from flows.runs import conf

    if not conf.reaper_enabled():
        return
    if _reaper is None:
        _reaper = _Reaper()
        _reaper.start()


@worker_shutdown.connect
def _stop_reaper(**_: object) -> None:
    if _reaper is not None:
        _reaper.stopped.set()


@worker_shutdown.connect
def _close_mcp_sessions(**_: object) -> None:
    """Stop the stdio MCP servers this worker kept running (their sessions are reused)."""
    from tools_registry.kinds.mcp_sessions import close_stdio_sessions

    close_stdio_sessions()


@shared_task(name="flows.execute_plan", acks_late=True, reject_on_worker_lost=True,
             ignore_result=True)
def execute_plan(plan_request_id: str) -> None:
    """Plan a recorded request in the background, streaming its events as they happen."""
    from flows.api.services import plan_request_run
    from flows.plan_stream import PlanEventStream

    stream = PlanEventStream(plan_request_id)
    try:
        plan_request_run(plan_request_id=plan_request_id, sink=stream)
    except Exception as exc:
        # A planner that crashed must not leave the request running for ever.
        logger.exception("plan request %s failed", plan_request_id)
        stream.fail(f"Planning stopped on an internal error: {type(exc).__name__}: {exc}")
    stream.finish()
