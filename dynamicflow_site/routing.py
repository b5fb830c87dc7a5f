"""Websocket routes (run event streams); asgi.py wraps them in the session auth stack."""

from django.urls import URLPattern, path

from approvals.consumers import InboxConsumer
from flows.consumers import PlanEventsConsumer, RunEventsConsumer, TokenQueryAuthMiddleware

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
]
