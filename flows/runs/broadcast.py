"""Run events the web process itself commits, to the browser: the channel group of a run.

A worker's events travel another way, inside the statement that commits them (see
wire.py). Events the web process writes for a run that is not executing (cancelled
while queued, say) go to the channel group `run.<hex id>` once committed. A consumer that
misses some fills the gap from the database by sequence number, so the stream a client
sees is always complete.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "run.events"


def group_name(run_id: str | uuid.UUID) -> str:
    return f"run.{uuid.UUID(str(run_id)).hex}"


def broadcast_on_commit(run_id: str | uuid.UUID, wire_events: list[dict[str, Any]]) -> None:
    """From synchronous code (services): send events to the run's group once committed."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(
                group_name(run_id), {"type": MESSAGE_TYPE, "events": wire_events}
            )
        except Exception:  # the consumers' catch-up from the database covers a lost message
            logger.exception("could not broadcast events of run %s", run_id)

    transaction.on_commit(send)
