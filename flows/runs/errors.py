"""The one error type of the run services: a code, a message, details and an HTTP status."""

from __future__ import annotations

from typing import Any

from flows.errors import ApplicationError


class RunServiceError(ApplicationError):
    """Raised by run services and selectors; the API's one handler renders it."""

    def __init__(self, code: str, message: str, *, status: int = 400, details: Any = None) -> None:
        super().__init__(message, code=code, details=details, status_code=status)


def not_found(what: str) -> RunServiceError:
    return RunServiceError("not_found", f"{what} was not found", status=404)


def forbidden(message: str) -> RunServiceError:
    return RunServiceError("permission_denied", message, status=403)


def conflict(code: str, message: str, **details: Any) -> RunServiceError:
    return RunServiceError(code, message, status=409, details=details)
