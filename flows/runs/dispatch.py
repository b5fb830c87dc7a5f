"""Sending work to the run workers: the one place a run's Celery message is sent from.

Tasks are sent by name, so nothing on the run path imports `flows.tasks` (which imports
the runner): a run's code depends on its queue, never the other way round.
"""

from __future__ import annotations

from typing import Any

from celery import current_app

from flows.runs import conf

EXECUTE_RUN = "flows.execute_run"


def enqueue_run(run_id: Any) -> None:
    """Send the run to a worker now (callers use it from on_commit)."""
    # The task keeps no result (its outcome is the run's row); said here too, since a
    # task sent by name is otherwise assumed to have one, and its sender subscribes to
    # the result's channel and unsubscribes again: two Redis round trips per run.
    current_app.send_task(
        EXECUTE_RUN, args=[str(run_id)], queue=conf.runs_queue(), ignore_result=True
    )
