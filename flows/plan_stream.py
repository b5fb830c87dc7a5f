"""Plan progress, live: the EventSink a background plan writes through.

Every plan event except the streamed tokens is appended to its plan request's stored
events as it happens (one UPDATE), then broadcast to the request's channel group, so a
page that connects late reads what it missed from the database and the rest live — the
same contract as run events (`/ws/plans/<id>/?after=<seq>`). The final event
(`plan.completed` / `plan.failed`) is held back until the request's outcome, and the
version it produced, are committed, so a client that sees it can open the result at once.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection

from flows.core import events as ev
from flows.core.events import Event

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "plan.events"
FINAL_EVENTS = frozenset({ev.PLAN_COMPLETED, ev.PLAN_FAILED})


def plan_group_name(plan_id: str | uuid.UUID) -> str:
    return f"plan.{uuid.UUID(str(plan_id)).hex}"


class PlanEventStream:
    """Stores and broadcasts one plan request's events (see the module docstring)."""

    def __init__(self, plan_id: str | uuid.UUID) -> None:
        self.plan_id = str(plan_id)
        self.held: list[dict[str, Any]] = []

    def emit(self, event: Event) -> None:
        if event.type == ev.PLAN_TOKEN:
            return  # tokens are counted in the stored events, not streamed one by one
        wire = event.to_json()
        if event.type in FINAL_EVENTS:
            self.held.append(wire)
            return
        self._store(wire)
        self._broadcast([wire])

    def fail(self, message: str) -> None:
        """Record an unexpected failure as the request's outcome and its final event."""
        from django.utils import timezone

        from flows.models import PlanRequest

        stored = PlanRequest.objects.filter(pk=self.plan_id).values_list("events", flat=True)
        seq = max((e.get("seq", 0) for e in (stored.first() or [])), default=0) + 1
        wire = Event(seq=seq, type=ev.PLAN_FAILED, ts=timezone.now().timestamp(),
                     run_id=self.plan_id, data={"error": {"code": "internal_error",
                                                          "message": message}}).to_json()
        PlanRequest.objects.filter(
            pk=self.plan_id,
            status__in=[PlanRequest.Status.PENDING, PlanRequest.Status.RUNNING],
        ).update(status=PlanRequest.Status.FAILED, error=message[:2000],
                 finished_at=timezone.now())
        self._store(wire)
        self.held = [wire]

    def finish(self) -> None:
        """Send the held final event; call once the request's outcome is committed."""
        held, self.held = self.held, []
        if held:
            self._broadcast(held)

    def _store(self, wire: dict[str, Any]) -> None:
        """Append one event to the request's stored events (one UPDATE)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE flows_planrequest SET events = events || %s::jsonb WHERE id = %s",
                [json.dumps([wire]), self.plan_id],
            )

    def _broadcast(self, wire_events: list[dict[str, Any]]) -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(
                plan_group_name(self.plan_id), {"type": MESSAGE_TYPE, "events": wire_events}
            )
        except Exception:  # a page that missed it reads the stored events on reconnect
            logger.exception("could not broadcast events of plan %s", self.plan_id)
