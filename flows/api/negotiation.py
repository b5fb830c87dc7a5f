"""Content negotiation that never refuses: the API answers JSON (its one renderer) even to a
client whose Accept header does not list it, such as `Accept: text/html`, instead of a 406.
Views with several renderers (the OpenAPI document: JSON or YAML) still pick by Accept."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request


class JsonFallbackNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type
