"""Websocket routes (run event streams); asgi.py wraps them in the session auth stack."""

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import URLPattern, path, re_path

from approvals.consumers import InboxConsumer
from flows.consumers import PlanEventsConsumer, RunEventsConsumer, TokenQueryAuthMiddleware


class NoSuchSocketConsumer(AsyncWebsocketConsumer):
    """Any other path (or a run id that is not a UUID) closes with 4404, as a run one may not
    watch does; the router alone raised, and Daphne answered a server error."""

    async def connect(self) -> None:
        await self.accept()
        await self.close(code=4404)


websocket_urlpatterns: list[URLPattern] = [
    path(
        "ws/inbox/",
        TokenQueryAuthMiddleware(InboxConsumer.as_asgi()),  # type: ignore[list-item]
    ),
    path(
        "ws/runs/<uuid:run_id>/",
        TokenQueryAuthMiddleware(RunEventsConsumer.as_asgi()),  # type: ignore[list-item]
    ),
    path(
        "ws/plans/<uuid:plan_id>/",
        TokenQueryAuthMiddleware(PlanEventsConsumer.as_asgi()),  # type: ignore[list-item]
    ),
    re_path(r"", NoSuchSocketConsumer.as_asgi()),  # type: ignore[arg-type]
]
