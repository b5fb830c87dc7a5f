"""The demo outbox: tools record what they would send instead of sending it."""

from __future__ import annotations

from typing import Any, Literal

from flows.core.tools import ToolContext
from tools_registry.demo.identifiers import stable_digest
from tools_registry.models import OutboundMessage

#: The values of `OutboundMessage.Kind`.
MessageKind = Literal["email", "ticket", "shipment"]


def outbound_message_record(
    *,
    kind: MessageKind,
    reference_prefix: str,
    recipient: str,
    subject: str,
    body: str,
    payload: dict[str, Any],
    context: ToolContext,
) -> OutboundMessage:
    """Record a message once per run, node and content; a repeat returns the first record.

    A node that runs again after a retry or a crash must not send twice, so the reference
    is a digest of everything that makes the message what it is (the attempt excluded).
    """
    digest = stable_digest(
        kind, context.run_id, context.node_id, recipient, subject, body, payload
    )
    message, _created = OutboundMessage.objects.get_or_create(
        reference=f"{reference_prefix}{digest[:24]}",
        defaults={
            "kind": kind,
            "recipient": recipient,
            "subject": subject,
            "body": body,
            "payload": payload,
            "run_id": context.run_id,
            "node_id": context.node_id,
        },
    )
    return message
