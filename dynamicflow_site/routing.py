"""Websocket routes (run event streams); asgi.py wraps them in the session auth stack."""

from django.urls import URLPattern, path

from flows.consumers import RunEventsConsumer, TokenQueryAuthMiddleware

websocket_urlpatterns: list[URLPattern] = [
    path(
        "ws/runs/<uuid:run_id>/",
        TokenQueryAuthMiddleware(RunEventsConsumer.as_asgi()),  # type: ignore[list-item]
    ),
]
