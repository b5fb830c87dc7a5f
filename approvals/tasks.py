"""Celery tasks for approvals: the timeout sweep (on beat) and assignee emails."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="approvals.expire_steps", ignore_result=True)
def expire_steps() -> list[str]:
    """Apply the timeout policy of every expired step (CELERY_BEAT_SCHEDULE runs it)."""
    from approvals.services import steps_expire

    return steps_expire()


@shared_task(
    name="approvals.email_step",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=5,
    max_retries=5,
)
def email_step(step_id: str) -> list[str]:
    from approvals.notifications import email_assignees

    return email_assignees(step_id)
