"""The one error type of the run services: a code, a message, details and an HTTP status."""

from __future__ import annotations

from typing import Any


class RunServiceError(Exception):
    """Raised by services and selectors; the API turns it into {"error": {...}} with `status`."""

    def __init__(self, code: str, message: str, *, status: int = 400, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details if details is not None else {}

    def to_json(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def not_found(what: str) -> RunServiceError:
    return RunServiceError("not_found", f"{what} was not found", status=404)


def forbidden(message: str) -> RunServiceError:
    return RunServiceError("permission_denied", message, status=403)


def conflict(code: str, message: str, **details: Any) -> RunServiceError:
    return RunServiceError(code, message, status=409, details=details)
