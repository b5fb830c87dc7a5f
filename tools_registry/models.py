"""Tool registry models: the demo outbox where messages, tickets and shipments are recorded."""

from __future__ import annotations

from django.db import models


class OutboundMessage(models.Model):
    """Something a demo tool would have sent to the outside world, recorded instead of sent.

    `reference` is derived from the run, the node and the content, so a node that runs
    again (a retry, or a resume after a worker died) records nothing twice.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        TICKET = "ticket", "Support ticket"
        SHIPMENT = "shipment", "Shipment"

    reference = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    recipient = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    run_id = models.CharField(max_length=64, blank=True, db_index=True)
    node_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outbound message"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} to {self.recipient or '-'}"
