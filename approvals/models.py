"""Approval steps (a run suspended on a person), their decisions, and the audit log.

What a step shows its approver (instructions, form, context, the inputs a tool call is about
to send) and what each approver answered are sealed (`approvals.sealing`); only the step's
title, assignees, status, deadline and who decided when are stored in clear, because the
inbox is searched by them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from approvals.sealing import Sealed


class ApprovalStep(Sealed):
    """One approval node of one run, waiting for (or decided by) its assignees."""

    SEAL_KIND = "step"

    class Status(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"
        #: The timeout failed it (policy "fail", or an escalation that ran out too).
        EXPIRED = "expired"
        #: Its run ended without it (cancelled, failed elsewhere).
        CLOSED = "closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey("flows.Run", on_delete=models.CASCADE, related_name="approval_steps")
    node_id = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    assignee_users = models.JSONField(default=list, blank=True)
    assignee_groups = models.JSONField(default=list, blank=True)
    quorum = models.PositiveSmallIntegerField(default=1)
    reject_quorum = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    timeout_s = models.FloatField(null=True, blank=True)
    on_timeout = models.CharField(max_length=16, default="fail")
    escalate_to = models.CharField(max_length=150, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    timed_out = models.BooleanField(default=False)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "node_id"], name="approval_step_run_node")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    def sealed_identity(self) -> str:
        return f"step:{self.pk}:{self.run_id}:{self.node_id}"

    @property
    def assignees(self) -> dict[str, list[str]]:
        return {"users": list(self.assignee_users), "groups": list(self.assignee_groups)}

    def summary(self) -> dict[str, Any]:
        """What the run row, its events and node records may carry about the step."""
        return {"title": self.title, "assignees": self.assignees, "step": str(self.pk)}


class StepDecision(Sealed):
    """One assignee's answer to a step (a quorum step collects several)."""

    SEAL_KIND = "decision"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, related_name="decisions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    approved = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "username"], name="step_decision_once")
        ]

    def __str__(self) -> str:
        return f"{self.username}: {'approved' if self.approved else 'rejected'}"

    def sealed_identity(self) -> str:
        return f"decision:{self.pk}:{self.step_id}:{self.username}"


class AuditEntry(models.Model):
    """Who looked at or decided which step, and when. Written once, never changed."""

    class Action(models.TextChoices):
        OPENED = "opened"
        NOTIFIED = "notified"
        VIEWED = "viewed"
        DECIDED = "decided"
        REFUSED = "refused"
        ESCALATED = "escalated"
        TIMED_OUT = "timed_out"
        CLOSED = "closed"

    step = models.ForeignKey(
        ApprovalStep, null=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    #: Kept when the run and its steps are deleted.
    run_id = models.UUIDField(db_index=True)
    node_id = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True, help_text="Empty: the system.")
    action = models.CharField(max_length=16, choices=Action.choices)
    #: Never the step's contents: outcomes, counts, recipients, reasons.
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or 'system'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("audit entries cannot be changed")
        super().save(*args, **kwargs)
