"""LLM tools: the prompt template is rendered from the inputs and sent to the configured
OpenAI-compatible server (a real local HTTP server here); structured answers are checked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import override_settings

from flows.core.tools import RetryableToolError, ToolContext, ToolError
from tests.local_servers import QuietHandler, serving
from tools_registry.catalog import registry_catalog
from tools_registry.models import Tool

pytestmark = pytest.mark.django_db


class _ChatHandler(QuietHandler):
    server: _ChatServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "body": body,
                                     "auth": self.headers.get("Authorization")})
        if self.server.status != 200:
            self.send_json(self.server.status, {"error": {"message": "busy", "type": "server"}})
            return
        self.send_json(200, {
            "id": "chatcmpl-1", "object": "chat.completion", "created": 0,
            "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": self.server.answer}}],
            "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
        })



class _ChatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ChatHandler)
        self.requests: list[dict[str, Any]] = []
        self.answer = ""
        self.status = 200


@pytest.fixture
def model_server() -> Iterator[_ChatServer]:
    with serving(_ChatServer()) as server:
        base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        with override_settings(
            OPENAI_API_KEY="test-key", OPENAI_BASE_URL=base_url, DYNAMICFLOW_MODEL="test-model"
        ):
            yield server


def llm_tool(output_schema: dict[str, Any], **config: Any) -> Tool:
    tool = Tool(
        id="classify", name="Classify", description="Classify a support message.",
        kind=Tool.Kind.LLM,
        input_schema={"type": "object", "properties": {"message": {"type": "string"}},
                      "required": ["message"]},
        output_schema=output_schema,
        config={"prompt": "Classify this message: {{ input.message }}",
                "system": "You sort support mail.", **config},
    )
    tool.full_clean()
    tool.save()
    return tool


def call(inputs: dict[str, Any]) -> Any:
    tool = registry_catalog().get("classify")
    assert tool is not None
    return async_to_sync(tool.invoke)(inputs, ToolContext(run_id="r", node_id="n"))


SCHEMA = {"type": "object", "properties": {"label": {"type": "string",
                                                     "enum": ["billing", "bug"]}},
          "required": ["label"]}


def test_structured_answer(model_server: _ChatServer) -> None:
    llm_tool(SCHEMA, temperature=0)
    model_server.answer = '{"label": "billing"}'

    assert call({"message": "I was charged twice"}) == {"label": "billing"}

    sent = model_server.requests[0]
    assert sent["auth"] == "Bearer test-key"
    assert sent["body"]["model"] == "test-model"
    assert sent["body"]["temperature"] == 0
    assert sent["body"]["messages"] == [
        {"role": "system", "content": "You sort support mail."},
        {"role": "user", "content": "Classify this message: I was charged twice"},
    ]
    assert sent["body"]["response_format"]["json_schema"]["schema"] == SCHEMA


def test_free_text_answer(model_server: _ChatServer) -> None:
    llm_tool({}, model="other-model")
    model_server.answer = "It is about billing."

    assert call({"message": "?"}) == {"text": "It is about billing."}
    assert "response_format" not in model_server.requests[0]["body"]
    assert model_server.requests[0]["body"]["model"] == "other-model"


def test_an_answer_that_breaks_the_schema_fails(model_server: _ChatServer) -> None:
    llm_tool(SCHEMA)
    model_server.answer = '{"label": "weather"}'

    with pytest.raises(ToolError) as caught:
        call({"message": "?"})

    assert caught.value.code == "invalid_output"


def test_server_errors_are_retryable(model_server: _ChatServer) -> None:
    llm_tool(SCHEMA)
    model_server.status = 503

    with pytest.raises(RetryableToolError):
        call({"message": "?"})


def test_without_a_key_the_tool_says_so() -> None:
    llm_tool(SCHEMA)

    with override_settings(OPENAI_API_KEY=""), pytest.raises(ToolError) as caught:
        call({"message": "?"})

    assert caught.value.code == "llm_unavailable"
