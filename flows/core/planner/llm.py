"""The LLM client port: one chat completion, with the failures a planner must tell apart.

The OpenAI adapter (`flows.core.planner.openai_client`) implements it with the `openai`
SDK; tests drive that adapter against a local server, and anything else speaking the
chat-completions protocol plugs in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from flows.core.planner.base import Usage


@dataclass(slots=True)
class ChatRequest:
    messages: list[dict[str, Any]]
    model: str
    #: An OpenAI `response_format` object, or None for plain text.
    response_format: dict[str, Any] | None = None
    temperature: float | None = 0.0
    max_tokens: int | None = None
    timeout_s: float = 60.0
    stream: bool = False


@dataclass(slots=True)
class ChatResponse:
    content: str | None
    refusal: str | None = None
    finish_reason: str | None = None
    usage: Usage = field(default_factory=Usage)
    model: str | None = None


TokenCallback = Callable[[str], None]


class LlmClient(Protocol):
    def chat(self, request: ChatRequest, on_token: TokenCallback | None = None) -> ChatResponse:
        """One completion. Raises an `LlmError` subclass on failure."""
        ...


class LlmError(Exception):
    """A failed request. `retryable` says whether the same request may succeed later."""

    retryable = False
    outcome = "error"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class LlmRateLimited(LlmError):
    retryable = True
    outcome = "rate_limited"

    def __init__(
        self, message: str, *, status: int | None = 429, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after_s = retry_after_s


class LlmServerError(LlmError):
    retryable = True
    outcome = "server_error"


class LlmTimeout(LlmError):
    retryable = True
    outcome = "timeout"


class LlmConnectionError(LlmError):
    retryable = True
    outcome = "connection_error"


class LlmBadRequest(LlmError):
    """The server refused the request as sent (often: it does not support the response
    format); `param` is the offending parameter when the server names it."""

    outcome = "bad_request"

    def __init__(self, message: str, *, status: int | None = 400, param: str | None = None):
        super().__init__(message, status=status)
        self.param = param


class LlmAuthError(LlmError):
    outcome = "auth_error"
