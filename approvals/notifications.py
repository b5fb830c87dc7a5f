"""Telling assignees: an email with a link to the step, and a live message to their inbox.

Both happen after the transaction that changed the step commits. Emails go through
Django's email backend from a Celery task (a slow mail server never holds up a run); the
inbox message is one channel-layer send per recipient (`inbox.user.<id>`), which the inbox
websocket (`approvals.consumers`) forwards to the browser.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from approvals.models import ApprovalStep, AuditEntry

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "inbox.changed"
#: Events that put a step in someone's inbox: they get an email too.
EMAILED = frozenset({"opened", "escalated"})


def inbox_group(user_id: Any) -> str:
    return f"inbox.user.{user_id}"


def step_link(step: ApprovalStep) -> str:
    return f"{settings.DYNAMICFLOW_SITE_URL.rstrip('/')}/inbox/{step.run_id}/{step.node_id}"


def notify_on_commit(step_id: Any, event: str, *, also: tuple[Any, ...] = ()) -> None:
    """After the commit: tell the inboxes the step is in (and the users of ids `also`, whose
    inbox it has just left), and email its assignees of a step new to them."""

    def send() -> None:
        try:
            broadcast(step_id, event, also=also)
        except Exception:  # the inbox also refreshes on its own; never fail the caller
            logger.exception("could not tell the inbox about step %s", step_id)
        if event in EMAILED:
            try:
                from approvals.tasks import email_step
                from flows.runs import conf

                email_step.apply_async(args=[str(step_id)], queue=conf.runs_queue())
            except Exception:
                logger.exception("could not queue the email for step %s", step_id)

    transaction.on_commit(send)


def broadcast(step_id: Any, event: str, *, also: tuple[Any, ...] = ()) -> int:
    """Send `{"type": "inbox.changed", "event", "step", "run_id", "node_id", "title"}` to
    each user whose inbox the step is in (and to whoever it waited for before it was
    decided): its assignees, or staff when no active user is among them; and to the users
    of ids `also` (an escalation's former assignees: it left their inbox)."""
    from approvals.selectors import inbox_recipients

    step = ApprovalStep.objects.select_related("run").filter(pk=step_id).first()
    layer = get_channel_layer()
    if step is None or layer is None:
        return 0
    message = {
        "type": MESSAGE_TYPE,
        "event": event,
        "step": str(step.pk),
        "run_id": str(step.run_id),
        "node_id": step.node_id,
        "title": step.title,
        "status": step.status,
    }
    recipients = {user.pk for user in inbox_recipients(step)} | set(also)
    for user_id in sorted(recipients):
        async_to_sync(layer.group_send)(inbox_group(user_id), message)
    return len(recipients)


def email_assignees(step_id: Any) -> list[str]:
    """Email every assignee with an address a link to the step; returns the addresses."""
    from approvals.selectors import step_recipients

    step = ApprovalStep.objects.select_related("run__flow_version__flow").filter(pk=step_id).first()
    if step is None or step.status != ApprovalStep.Status.PENDING:
        return []
    if step.run.cancel_requested or step.run.status in step.run.TERMINAL:
        return []  # its run was stopped after the step opened: there is nothing to decide
    recipients = [u for u in step_recipients(step) if u.email]
    flow = step.run.flow_version.flow.name
    link = step_link(step)
    deadline = f"\nDecide before {step.deadline:%Y-%m-%d %H:%M} UTC." if step.deadline else ""
    messages = [
        (
            f"[DynamicFlow] Approval needed: {step.title}",
            f"Hello {user.get_username()},\n\nThe flow \"{flow}\" is waiting for your "
            f"decision on \"{step.title}\".{deadline}\n\nOpen it here: {link}\n",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        for user in recipients
    ]
    if messages:
        send_mass_mail(messages, fail_silently=False)
    addresses = [user.email for user in recipients]
    from approvals.services import audit

    audit(step=step, action=AuditEntry.Action.NOTIFIED, details={"emailed": addresses})
    return addresses
