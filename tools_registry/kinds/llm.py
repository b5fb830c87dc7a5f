"""LLM tools: a prompt template over `input`, answered by the configured model (openai SDK).

The model is OPENAI_BASE_URL / OPENAI_API_KEY / DYNAMICFLOW_MODEL (or the tool's own
`model`), so any OpenAI-compatible server works. With an output schema that declares
properties the answer is requested as JSON (`response_format` json_schema), parsed and
checked; without one the output is `{"text": answer}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flows.core.tools import RetryableToolError, ToolContext, ToolError, ToolSpec
from tools_registry.kinds.base import ConfiguredTool
from tools_registry.templating import render_text
from tools_registry.tool_config import LlmConfig


@dataclass(frozen=True)
class LlmSettings:
    api_key: str
    base_url: str | None
    model: str


class LlmTool(ConfiguredTool):
    def __init__(self, spec: ToolSpec, config: LlmConfig, settings: LlmSettings) -> None:
        super().__init__(spec)
        self.config = config
        self.settings = settings
        props = spec.output_schema.get("properties") if spec.output_schema else None
        self.structured = bool(props)

    async def call(self, inputs: dict[str, Any], context: ToolContext) -> Any:
        import openai

        if not self.settings.api_key:
            raise ToolError(
                "no language model is configured (set OPENAI_API_KEY to run LLM tools)",
                code="llm_unavailable",
            )
        env = {"input": self.template_inputs(inputs)}
        messages: list[dict[str, str]] = []
        if self.config.system:
            messages.append(
                {"role": "system", "content": render_text(self.config.system, env, where="system")}
            )
        messages.append(
            {"role": "user", "content": render_text(self.config.prompt, env, where="prompt")}
        )
        kwargs: dict[str, Any] = {
            "model": self.config.model or self.settings.model,
            "messages": messages,
        }
        if self.config.temperature is not None:
            kwargs["temperature"] = self.config.temperature
        if self.structured:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": _schema_name(self.spec.id),
                    "schema": self.spec.output_schema,
                },
            }
        client = openai.AsyncOpenAI(
            api_key=self.settings.api_key,
            base_url=self.settings.base_url,
            timeout=self.config.timeout_s,
            max_retries=0,  # the engine retries, so each try is an event
        )
        try:
            completion = await client.chat.completions.create(**kwargs)
        except (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError,
                openai.InternalServerError) as exc:
            raise RetryableToolError(
                f"the model is unavailable: {exc}", code="llm_unavailable"
            ) from None
        except openai.APIError as exc:
            raise ToolError(f"the model refused the request: {exc}", code="llm_error") from None
        finally:
            await client.close()
        if not completion.choices:
            raise RetryableToolError("the model returned no answer", code="llm_empty")
        answer = completion.choices[0].message.content or ""
        if not self.structured:
            return {"text": answer}
        try:
            return json.loads(_strip_fence(answer))
        except json.JSONDecodeError as exc:
            raise ToolError(
                f"the model's answer is not JSON: {exc}", code="invalid_output",
                details={"answer": answer[:500]},
            ) from None


def _schema_name(tool_id: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in tool_id)
    return cleaned[:64] or "output"


def _strip_fence(text: str) -> str:
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        stripped = stripped.rsplit("```", 1)[0]
    return stripped
