"""The one error type of the application: a stable code, a message for people, details.

Services (flows, runs, the registry) raise it or a subclass; the API's exception handler
(`flows.api.errors.exception_handler`) turns it into `{"error": {"code", "message",
"details"}}` with its status.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any


class ApplicationError(Exception):
    """A request the application refuses: a stable `code`, a message for people, `details`."""

    status_code = HTTPStatus.BAD_REQUEST
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.details = details if details is not None else {}

    def to_json(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)


class NotFound(ApplicationError):
    status_code = HTTPStatus.NOT_FOUND
    code = "not_found"


class PermissionDenied(ApplicationError):
    status_code = HTTPStatus.FORBIDDEN
    code = "permission_denied"


class Conflict(ApplicationError):
    status_code = HTTPStatus.CONFLICT
    code = "conflict"


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "details": details if details is not None else {},
        }
    }
