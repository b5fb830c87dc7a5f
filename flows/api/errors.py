"""One error type for the API and one DRF exception handler: every 4xx (and the 503 of an
unavailable database) is `{"error": {"code", "message", "details"}}`.

Services raise `ApplicationError` (or a subclass); the handler also translates what
Django, DRF and the other layers raise, so that authentication failures, DRF validation
errors, 404s, model validation and planning errors all come out in the same shape.
Set it project-wide with REST_FRAMEWORK["EXCEPTION_HANDLER"] =
"flows.api.errors.exception_handler".
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.db.models import ProtectedError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework import status
from rest_framework.response import Response

from flows.errors import ApplicationError, Conflict, NotFound, PermissionDenied, error_body

logger = logging.getLogger(__name__)

__all__ = [
    "ApplicationError",
    "Conflict",
    "NotFound",
    "PermissionDenied",
    "error_body",
    "exception_handler",
]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The project's DRF exception handler. Returns None (a 500) only for unexpected errors."""
    if isinstance(exc, ApplicationError):
        return Response(exc.to_json(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response(_django_validation(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProtectedError):
        return Response(
            error_body("protected", "It is still in use and cannot be deleted.",
                       {"in_use_by": sorted({type(o).__name__ for o in exc.protected_objects})}),
            status=status.HTTP_409_CONFLICT,
        )
    if _is_planning_error(exc):
        return Response(
            error_body(exc.code, exc.message, exc.details),  # type: ignore[attr-defined]
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body(
                "request_too_large",
                f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
                {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
            ),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, SuspiciousOperation):
        return Response(
            error_body("bad_request", "The request could not be read.", {}),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, OperationalError):
        # The database is unreachable or refused the statement for now (too many
        # connections, a lock or statement timeout, a deadlock): the same request may
        # succeed later. A 503 in the error format, not Django's HTML 500 page; logged, as
        # any server-side failure.
        logger.error("Database unavailable: %s", exc, exc_info=exc)
        response = Response(
            error_body("unavailable", "The database is unavailable; retry in a few seconds.",
                       {}),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = "5"
        return response
    if isinstance(exc, RecursionError):
        return Response(
            error_body("too_deep", "The request is nested too deeply.", {}),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    if not isinstance(exc, drf.APIException):
        return None

    if isinstance(exc, drf.ValidationError):
        fields = _normalise(exc.detail)
        body = error_body("invalid", _summary(fields), {"fields": fields})
    else:
        body = error_body(_code(exc), str(exc.detail), {})
    response = Response(body, status=exc.status_code)
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        response["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait:
        response["Retry-After"] = str(int(wait))
    return response


def _is_planning_error(exc: Exception) -> bool:
    from flows.core.planner.base import PlanningError

    return isinstance(exc, PlanningError)


def _code(exc: drf.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def _django_validation(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        fields = {
            ("non_field_errors" if name == "__all__" else name): list(messages)
            for name, messages in exc.message_dict.items()
        }
        return error_body("invalid", _summary(fields), {"fields": fields})
    messages = list(exc.messages)
    return error_body("invalid", "; ".join(messages) or "The request is invalid.",
                      {"fields": {"non_field_errors": messages}})


def _normalise(detail: Any) -> Any:
    """DRF's ErrorDetail tree as plain JSON; a bare list becomes {"non_field_errors": [...]}."""
    plain = _plain(detail)
    if isinstance(plain, dict):
        return plain
    return {"non_field_errors": plain if isinstance(plain, list) else [plain]}


def _plain(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_plain(item) for item in detail]
    return str(detail)


def _summary(fields: Any, prefix: str = "") -> str:
    """'name: This field is required.' for the first problem, and how many more there are."""
    problems = list(_flatten(fields, prefix))
    if not problems:
        return "The request is invalid."
    where, message = problems[0]
    text = f"{where}: {message}" if where and where != "non_field_errors" else message
    if len(problems) > 1:
        text += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return text


def _flatten(value: Any, prefix: str) -> Any:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            for item in value:
                yield prefix, item
        else:
            for index, item in enumerate(value):
                yield from _flatten(item, f"{prefix}[{index}]")
    else:
        yield prefix, str(value)
