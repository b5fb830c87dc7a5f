"""The LLM planner: asks a chat-completions model (OpenAI or compatible) for the IR, and
repairs with the validator's errors until the plan is valid or the budget is spent.

Structured output first: `response_format` json_schema with the IR schema (non-strict,
since strict mode cannot express the IR's open maps such as `inputs`). A server that
rejects it gets `json_object`, and one that rejects that gets plain text; whichever way
the JSON arrives, the IR models and the validator decide. Transport failures (429 with
Retry-After, 5xx, timeouts, dropped connections) are retried a bounded number of times;
every request to the model is a `plan.attempt` event with its outcome, latency and tokens.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from flows.core.ir import Flow
from flows.core.planner.base import (
    FORMAT_UNSUPPORTED,
    INVALID,
    MALFORMED,
    REFUSED,
    VALID,
    AttemptRecord,
    PlanContext,
    PlanEmitter,
    PlannerOutput,
    PlanningError,
    RefineContext,
    RefineOutput,
    Usage,
)
from flows.core.planner.checking import format_issues
from flows.core.planner.llm import (
    ChatRequest,
    ChatResponse,
    LlmBadRequest,
    LlmClient,
    LlmError,
    LlmRateLimited,
)
from flows.core.planner.prompt import (
    malformed_message,
    plan_messages,
    refine_messages,
    refine_response_schema,
    repair_message,
    response_schema,
)
from flows.core.planner.refine import (
    EditError,
    EditOperation,
    apply_operations,
    parse_operations,
)

#: Response formats, most structured first; a server that refuses one gets the next.
FORMATS = ("json_schema", "json_object", "text")

Evaluation = tuple[Any, list[dict[str, Any]]]


class OpenAIPlanner:
    uses_retrieval = True

    def __init__(
        self,
        client: LlmClient,
        *,
        model: str,
        name: str = "openai",
        max_attempts: int = 3,
        max_retries: int = 2,
        timeout_s: float = 60.0,
        stream: bool = False,
        temperature: float | None = 0.0,
        max_tokens: int | None = None,
        backoff_s: float = 0.5,
        max_retry_after_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        response_format: str = "json_schema",
    ) -> None:
        if response_format not in FORMATS:
            raise ValueError(f"response_format must be one of {', '.join(FORMATS)}")
        self.client = client
        self.model: str | None = model
        self._model_name = model
        self.name = name
        self.max_attempts = max(1, max_attempts)
        self.max_retries = max(0, max_retries)
        self.timeout_s = timeout_s
        self.stream = stream
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.backoff_s = backoff_s
        self.max_retry_after_s = max_retry_after_s
        self._sleep = sleep
        #: The most structured format the server has not refused (kept across requests).
        self.format_index = FORMATS.index(response_format)

    @property
    def response_format(self) -> str:
        return FORMATS[self.format_index]

    # -- the two planner operations ------------------------------------------------------

    def plan(self, context: PlanContext) -> PlannerOutput:
        def evaluate(data: Any) -> Evaluation:
            if not isinstance(data, dict):
                return None, [_issue("schema", "The reply must be one JSON object (the IR).")]
            data = dict(data)
            data.pop("metadata", None)  # ours to write, not the model's
            checked = context.check(data)
            return checked.flow, checked.issues

        messages = plan_messages(context.prompt, context.tools, context.joins)
        flow, attempts, usage = self._converse(
            messages, context.emitter, evaluate, response_schema(), "dynamicflow_ir"
        )
        assert isinstance(flow, Flow)
        return PlannerOutput(flow, attempts, usage)

    def refine(self, context: RefineContext) -> RefineOutput:
        def evaluate(data: Any) -> Evaluation:
            try:
                operations = parse_operations(data)
            except ValidationError as exc:
                return None, [
                    _issue("schema", f"operations{_loc(error)}: {error.get('msg')}")
                    for error in exc.errors(include_url=False)[:20]
                ]
            try:
                edited = apply_operations(context.flow, operations)
            except EditError as exc:
                return None, [exc.to_json()]
            except ValidationError as exc:
                return None, [
                    _issue("schema", f"result{_loc(error)}: {error.get('msg')}")
                    for error in exc.errors(include_url=False)[:20]
                ]
            checked = context.check(edited)
            return operations, checked.issues

        messages = refine_messages(context.flow, context.instruction, context.tools, context.joins)
        operations, attempts, usage = self._converse(
            messages, context.emitter, evaluate, refine_response_schema(), "dynamicflow_edits"
        )
        ops: list[EditOperation] = list(operations)
        return RefineOutput(ops, attempts, usage)

    # -- the conversation: repair loop over requests ------------------------------------------

    def _converse(
        self,
        messages: list[dict[str, Any]],
        emitter: PlanEmitter,
        evaluate: Callable[[Any], Evaluation],
        schema: dict[str, Any],
        schema_name: str,
    ) -> tuple[Any, list[AttemptRecord], Usage]:
        messages = list(messages)
        attempts: list[AttemptRecord] = []
        usage = Usage()
        last_issues: list[dict[str, Any]] = []
        for _ in range(self.max_attempts):
            response, record = self._request(messages, emitter, schema, schema_name, attempts)
            usage.add(response.usage)
            if response.refusal:
                record.outcome = REFUSED
                record.errors = [_issue("refused", response.refusal)]
                emitter.attempt(record)
                raise PlanningError(
                    "refused",
                    f"The model refused to plan this request: {response.refusal}",
                    attempts=attempts,
                )
            text = response.content or ""
            try:
                if response.finish_reason == "length":
                    raise ValueError("the reply was cut off at the token limit")
                data = extract_json(text)
            except ValueError as exc:
                if response.finish_reason != "length" and looks_like_refusal(text):
                    # Servers without a refusal field (local OpenAI-compatible ones) say no
                    # in plain words: report their reason, not "invalid JSON".
                    reason = " ".join(text.split())[:2000]
                    record.outcome = REFUSED
                    record.errors = [_issue("refused", reason)]
                    emitter.attempt(record)
                    raise PlanningError(
                        "refused",
                        f"The model refused to plan this request: {reason}",
                        details={"reason": reason},
                        attempts=attempts,
                    ) from None
                record.outcome = MALFORMED
                record.errors = [_issue("malformed_json", str(exc))]
                emitter.attempt(record)
                last_issues = record.errors
                messages += [{"role": "assistant", "content": text}, malformed_message(str(exc))]
                continue
            value, issues = evaluate(data)
            if not issues:
                record.outcome = VALID
                emitter.attempt(record)
                return value, attempts, usage
            record.outcome = INVALID
            record.errors = issues
            emitter.attempt(record)
            last_issues = issues
            messages += [
                {"role": "assistant", "content": text},
                repair_message(format_issues(issues)),
            ]
        first = last_issues[0]["message"] if last_issues else "no usable reply"
        more = f" (and {len(last_issues) - 1} more)" if len(last_issues) > 1 else ""
        raise PlanningError(
            "invalid_plan",
            f"No valid plan after {self.max_attempts} attempts; the last problems: {first}{more}",
            details=last_issues,
            attempts=attempts,
        )

    def _request(
        self,
        messages: list[dict[str, Any]],
        emitter: PlanEmitter,
        schema: dict[str, Any],
        schema_name: str,
        attempts: list[AttemptRecord],
    ) -> tuple[ChatResponse, AttemptRecord]:
        """One model reply, after bounded retries of transport failures and format
        fallbacks; each failed request is recorded and emitted as an attempt."""
        retries = 0
        while True:
            number = len(attempts) + 1
            format_name = self.response_format
            request = ChatRequest(
                messages=messages,
                model=self._model_name,
                response_format=_response_format(format_name, schema, schema_name),
                temperature=self.temperature,
                max_tokens=self.max_tokens,
                timeout_s=self.timeout_s,
                stream=self.stream,
            )

            def on_token(text: str, number: int = number) -> None:
                emitter.token(text, attempt=number)

            started = time.monotonic()
            try:
                response = self.client.chat(request, on_token if self.stream else None)
            except LlmBadRequest as exc:
                self._failed(attempts, emitter, number, started, exc, format_name)
                if self._may_fall_back(exc):
                    # Most often the server does not support this response format.
                    self.format_index += 1
                    continue
                raise PlanningError(
                    "bad_request",
                    f"The model server rejected the request: {exc.message}",
                    attempts=attempts,
                ) from None
            except LlmError as exc:
                self._failed(attempts, emitter, number, started, exc, format_name)
                delay = self._retry_delay(exc, retries)
                if delay is None:
                    raise PlanningError(
                        exc.outcome, _failure_message(exc, retries), attempts=attempts
                    ) from None
                retries += 1
                self._sleep(delay)
                continue
            record = AttemptRecord(
                number,
                "pending",
                (time.monotonic() - started) * 1000,
                usage=response.usage,
                response_format=format_name,
            )
            attempts.append(record)
            return response, record

    def _failed(
        self,
        attempts: list[AttemptRecord],
        emitter: PlanEmitter,
        number: int,
        started: float,
        exc: LlmError,
        format_name: str,
    ) -> AttemptRecord:
        outcome = FORMAT_UNSUPPORTED if self._may_fall_back(exc) else exc.outcome
        record = AttemptRecord(
            number,
            outcome,
            (time.monotonic() - started) * 1000,
            errors=[_issue(exc.outcome, exc.message, status=exc.status)],
            response_format=format_name,
            retry_after_s=getattr(exc, "retry_after_s", None),
        )
        attempts.append(record)
        emitter.attempt(record)
        return record

    def _may_fall_back(self, exc: LlmError) -> bool:
        """A 400/422 while a less structured format is left: most likely the server does
        not support this `response_format` (vLLM, Ollama and llama.cpp differ here)."""
        return (
            isinstance(exc, LlmBadRequest)
            and exc.status in (400, 422)
            and self.format_index < len(FORMATS) - 1
        )

    def _retry_delay(self, exc: LlmError, retries: int) -> float | None:
        """Seconds to wait before retrying, or None when we must not retry."""
        if not exc.retryable or retries >= self.max_retries:
            return None
        if isinstance(exc, LlmRateLimited) and exc.retry_after_s is not None:
            if exc.retry_after_s > self.max_retry_after_s:
                return None  # honour it by not calling back sooner; fail now instead
            return exc.retry_after_s
        return min(self.backoff_s * (2**retries), self.max_retry_after_s)


def _failure_message(exc: LlmError, retries: int) -> str:
    if isinstance(exc, LlmRateLimited) and exc.retry_after_s is not None and exc.retryable:
        return (
            f"The model server is rate limiting ({exc.message}); it asks to retry after "
            f"{exc.retry_after_s:g}s."
        )
    tried = f" after {retries + 1} tries" if exc.retryable else ""
    return f"The model request failed{tried}: {exc.message}"


def _response_format(
    format_name: str, schema: dict[str, Any], schema_name: str
) -> dict[str, Any] | None:
    if format_name == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": schema_name, "schema": schema, "strict": False},
        }
    if format_name == "json_object":
        return {"type": "json_object"}
    return None


_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


def extract_json(text: str) -> Any:
    """The JSON document in a reply: bare, in a Markdown fence, or amid prose."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("the reply was empty")
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group(1)
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        first_error = exc
    start, end = stripped.find("{"), stripped.rfind("}")
    if 0 <= start < end:
        try:
            return json.loads(stripped[start : end + 1])
        except json.JSONDecodeError:
            pass
    raise ValueError(
        f"invalid JSON: {first_error.msg} at line {first_error.lineno} column {first_error.colno}"
    )


_REFUSAL = re.compile(
    r"^\W*cannot\s+plan\b|^\W*(?:i\s*(?:'m|am)\s+(?:sorry|afraid|unable|not\s+able)|sorry\b|i\s+(?:can(?:no|')t|"
    r"cannot|won't|will\s+not|am\s+not\s+able|apologi[sz]e)|unfortunately\b|as\s+an\s+ai\b|"
    r"i\s+must\s+(?:decline|refuse)|i\s+refuse)|\b(?:can(?:no|')t|cannot|unable\s+to|not\s+able\s+"
    r"to|won't)\s+(?:help|assist|comply|do\s+that|fulfil+|build|create|plan|produce|write|"
    r"make|provide)\b|\bno\s+(?:tool|tools)\s+(?:in\s+the\s+catalog(?:ue)?\s+)?(?:can|to|"
    r"that|for)\b|\b(?:catalog(?:ue)?|tools?)\s+(?:does\s+not|doesn't|do\s+not|don't)\s+"
    r"(?:have|include|contain|offer|support)\b",
    re.IGNORECASE,
)


def looks_like_refusal(text: str) -> bool:
    """A plain-text reply with no JSON object in it that says no ("I'm sorry, I can't ...",
    "The catalogue has no tool to send SMS")."""
    stripped = text.strip()
    if not stripped or "{" in stripped:
        return False
    return bool(_REFUSAL.search(stripped))


def _issue(code: str, message: str, **extra: Any) -> dict[str, Any]:
    issue = {"code": code, "message": message, "node": None, "field": None, "hint": None}
    issue.update({k: v for k, v in extra.items() if v is not None})
    return issue


def _loc(error: Any) -> str:
    return "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.get("loc", ())
    )
