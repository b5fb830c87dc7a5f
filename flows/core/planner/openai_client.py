"""The `LlmClient` port over the `openai` SDK: OpenAI or any OpenAI-compatible server.

The SDK's own retries are switched off (`max_retries=0`): the planner retries itself so
that every try is an event and Retry-After is honoured within the planner's bounds.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import openai

from flows.core.planner.base import Usage
from flows.core.planner.llm import (
    ChatRequest,
    ChatResponse,
    LlmAuthError,
    LlmBadRequest,
    LlmConnectionError,
    LlmError,
    LlmRateLimited,
    LlmServerError,
    LlmTimeout,
    TokenCallback,
)


class OpenAIChatClient:
    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 60.0,
        client: openai.OpenAI | None = None,
    ) -> None:
        self._client = client or openai.OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0
        )

    def chat(self, request: ChatRequest, on_token: TokenCallback | None = None) -> ChatResponse:
        kwargs: dict[str, Any] = {
            "model": request.model,
            "messages": request.messages,
            "timeout": request.timeout_s,
        }
        if request.temperature is not None:
            kwargs["temperature"] = request.temperature
        if request.max_tokens is not None:
            kwargs["max_tokens"] = request.max_tokens
        if request.response_format is not None:
            kwargs["response_format"] = request.response_format
        try:
            if request.stream:
                return self._stream(kwargs, on_token)
            completion = self._client.chat.completions.create(**kwargs)
        except openai.APIError as exc:
            raise _translate(exc) from exc
        if not completion.choices:
            raise LlmServerError("the server returned no choices")
        choice = completion.choices[0]
        return ChatResponse(
            content=choice.message.content,
            refusal=getattr(choice.message, "refusal", None),
            finish_reason=choice.finish_reason,
            usage=_usage(completion.usage),
            model=completion.model,
        )

    def _stream(self, kwargs: dict[str, Any], on_token: TokenCallback | None) -> ChatResponse:
        kwargs = {**kwargs, "stream": True, "stream_options": {"include_usage": True}}
        parts: list[str] = []
        refusal_parts: list[str] = []
        finish_reason = None
        usage = Usage()
        model = None
        stream = self._client.chat.completions.create(**kwargs)
        try:
            for chunk in stream:  # errors mid-stream come from the transport, unwrapped
                model = chunk.model or model
                if chunk.usage is not None:
                    usage = _usage(chunk.usage)
                for choice in chunk.choices:
                    delta = choice.delta
                    if delta.content:
                        parts.append(delta.content)
                        if on_token is not None:
                            on_token(delta.content)
                    if getattr(delta, "refusal", None):
                        refusal_parts.append(delta.refusal)
                    if choice.finish_reason:
                        finish_reason = choice.finish_reason
        except openai.APIError:
            raise
        except Exception as exc:
            if "timeout" in type(exc).__name__.lower():
                raise LlmTimeout(f"the model stopped sending in time: {exc}") from exc
            raise LlmConnectionError(f"the stream broke off: {exc}") from exc
        finally:
            stream.close()
        return ChatResponse(
            content="".join(parts) if parts else None,
            refusal="".join(refusal_parts) or None,
            finish_reason=finish_reason,
            usage=usage,
            model=model,
        )


def _usage(usage: Any) -> Usage:
    if usage is None:
        return Usage()
    return Usage(
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
    )


def _translate(exc: openai.APIError) -> LlmError:
    message = _error_message(exc)
    if isinstance(exc, openai.APITimeoutError):
        return LlmTimeout(f"the model did not answer in time: {message}")
    if isinstance(exc, openai.APIConnectionError):
        return LlmConnectionError(f"could not reach the model server: {message}")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status == 429:
            return LlmRateLimited(message, retry_after_s=retry_after_seconds(exc.response.headers))
        if status >= 500:
            return LlmServerError(message, status=status)
        if status in (401, 403):
            return LlmAuthError(message, status=status)
        param = None
        body = exc.body
        if isinstance(body, dict):
            error = body.get("error", body)
            if isinstance(error, dict):
                param = error.get("param")
        return LlmBadRequest(message, status=status, param=param)
    return LlmError(message)


def _error_message(exc: openai.APIError) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if isinstance(error, str):
            return error
    return str(exc.message if hasattr(exc, "message") else exc)


def retry_after_seconds(headers: Any) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms`, then `Retry-After` (seconds
    or an HTTP date). None when neither is present or parseable."""
    value = headers.get("retry-after-ms")
    if value:
        try:
            return max(float(value) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
