"""A local server that speaks the OpenAI chat-completions protocol on a real socket, scripted
per test: each request takes the next scripted action (a reply, an error, a hang, a stream).
The real `openai` client talks to it through OPENAI_BASE_URL-style configuration."""

from __future__ import annotations

import contextlib
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    content: str | None
    refusal: str | None = None
    finish_reason: str = "stop"
    prompt_tokens: int = 100
    completion_tokens: int = 50


@dataclass
class Error:
    status: int
    message: str = "error"
    headers: dict[str, str] = field(default_factory=dict)
    param: str | None = None


@dataclass
class Hang:
    seconds: float


@dataclass
class Stream:
    pieces: list[str]
    prompt_tokens: int = 100
    completion_tokens: int = 50


Action = Reply | Error | Hang | Stream


class FakeOpenAIServer:
    def __init__(self) -> None:
        self.script: deque[Action] = deque()
        self.requests: list[dict[str, Any]] = []
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append({"path": self.path, "body": body})
                action = (
                    server.script.popleft()
                    if server.script
                    else Error(500, "the test script has no more responses")
                )
                # The client may have given up already (the timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server.act(self, action, body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/v1"

    def push(self, *actions: Action) -> None:
        self.script.extend(actions)

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- answering ---------------------------------------------------------------------------

    def act(self, handler: BaseHTTPRequestHandler, action: Action, body: dict[str, Any]) -> None:
        model = body.get("model", "test-model")
        if isinstance(action, Hang):
            self.stopping.wait(action.seconds)
            action = Reply("{}")
        if isinstance(action, Error):
            payload = {
                "error": {
                    "message": action.message,
                    "type": "invalid_request_error" if action.status < 500 else "server_error",
                    "param": action.param,
                    "code": None,
                }
            }
            self._json(handler, action.status, payload, action.headers)
        elif isinstance(action, Reply):
            message: dict[str, Any] = {"role": "assistant", "content": action.content}
            if action.refusal is not None:
                message["refusal"] = action.refusal
            self._json(
                handler,
                200,
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": 0,
                    "model": model,
                    "choices": [
                        {"index": 0, "message": message, "finish_reason": action.finish_reason}
                    ],
                    "usage": _usage(action.prompt_tokens, action.completion_tokens),
                },
            )
        else:
            self._stream(handler, action, model)

    def _json(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        payload: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _stream(self, handler: BaseHTTPRequestHandler, action: Stream, model: str) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.end_headers()

        def send(chunk: dict[str, Any] | str) -> None:
            text = chunk if isinstance(chunk, str) else json.dumps(chunk)
            handler.wfile.write(f"data: {text}\n\n".encode())
            handler.wfile.flush()

        base = {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
        }
        for index, piece in enumerate(action.pieces):
            delta: dict[str, Any] = {"content": piece}
            if index == 0:
                delta["role"] = "assistant"
            send({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
        send({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        send(
            {**base, "choices": [], "usage": _usage(action.prompt_tokens, action.completion_tokens)}
        )
        send("[DONE]")


def _usage(prompt: int, completion: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
