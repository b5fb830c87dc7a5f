"""A middleware for the servers the browser tests start.

Those tests flush the database between tests, content types included, and Django creates
them again with new ids; a server that cached the old ids would write admin log entries
against rows that are gone (a 500 on the second admin save of a session). Each request
starts with an empty content type cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType


def fresh_content_types(get_response: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def middleware(request: Any) -> Any:
        ContentType.objects.clear_cache()
        return get_response(request)

    return middleware
