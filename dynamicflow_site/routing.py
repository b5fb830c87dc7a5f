"""Websocket routes (run event streams)."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
