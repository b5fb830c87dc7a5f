"""HTTP tools: a request built from templates, sent through the outbound-address guard.

The URL, query and body are templates over `input`; headers may also read
`credentials.NAME` (decrypted only when a header names them, never logged). A request that
carries credentials, and each of its redirect hops, goes only to a host every one of them
lists in its `allowed_hosts`; anything else fails the node before it is sent. The response
becomes `{"status", "body"}`, or, with a response mapping, one output field per CEL
expression over `response` = {status, headers, body} (body parsed when it is JSON).

429 and 5xx answers, timeouts and network errors are retryable; other non-success answers
and refused addresses are not.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpx

from flows.core.expressions import ExpressionError, compile_expression
from flows.core.tools import RetryableToolError, ToolContext, ToolError, ToolSpec
from tools_registry.credential_hosts import Secret, host_allowed
from tools_registry.kinds.base import ConfiguredTool
from tools_registry.templating import credential_names, render, render_fields, render_url
from tools_registry.tool_config import HttpConfig
from tools_registry.url_guard import HostNotFound, URLNotAllowed, guarded_async_client

CredentialLoader = Callable[[set[str]], Awaitable[dict[str, Secret]]]

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
USER_AGENT = "DynamicFlow-HttpTool/1.0"


class HttpTool(ConfiguredTool):
    def __init__(
        self,
        spec: ToolSpec,
        config: HttpConfig,
        *,
        allowed_hosts: Iterable[str] = (),
        load_credentials: CredentialLoader | None = None,
    ) -> None:
        super().__init__(spec)
        self.config = config
        self.allowed_hosts = tuple(allowed_hosts)
        self._load_credentials = load_credentials

    async def call(self, inputs: dict[str, Any], context: ToolContext) -> Any:
        config = self.config
        read = self.template_inputs(inputs)
        env = {"input": read}
        url = render_url(config.url, env)
        params = render_fields(config.query, env, where="query")
        if params:
            # Keep the configured URL's own query string (httpx's `params=` replaces it);
            # a URL that does not parse is reported by the request below.
            with contextlib.suppress(httpx.InvalidURL, TypeError):
                url = str(httpx.URL(url).copy_merge_params(params))
        secrets = await self._secrets()
        headers = {"User-Agent": USER_AGENT, **self._headers(read, secrets)}
        content: dict[str, Any] = {}
        if config.body is not None and config.method not in ("GET", "HEAD"):
            body = render(config.body, env, where="body")
            if config.body_format == "form":
                if not isinstance(body, dict):
                    raise ToolError("a form body must be an object", code="template_error")
                content["data"] = {key: _form_value(value) for key, value in body.items()}
            else:
                content["json"] = body

        raw = bytearray()
        try:
            async with guarded_async_client(
                allowed=self.allowed_hosts, timeout=config.timeout_s,
                event_hooks={"request": [_credential_guard(secrets.values())]} if secrets else None,
            ) as client, client.stream(
                config.method, url, headers=headers, **content
            ) as response:
                async for chunk in response.aiter_bytes():
                    raw += chunk
                    if len(raw) > config.max_response_bytes:
                        raise ToolError(
                            f"the response from {_shown(url)} is larger than "
                            f"{config.max_response_bytes} bytes",
                            code="response_too_large",
                        )
        except URLNotAllowed as exc:
            raise ToolError(exc.message, code=exc.code, details={"url": _shown(url)}) from None
        except HostNotFound as exc:
            raise RetryableToolError(exc.message, code=exc.code) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise ToolError(
                f"{_shown(url)!r} is not a valid URL: {exc}", code="invalid_url"
            ) from None
        except httpx.TooManyRedirects:
            raise ToolError(
                f"{_shown(url)} redirected too often", code="too_many_redirects"
            ) from None
        except httpx.TimeoutException:
            raise RetryableToolError(f"{_shown(url)} timed out", code="timeout") from None
        except httpx.TransportError as exc:
            raise RetryableToolError(
                f"request to {_shown(url)} failed: {exc or type(exc).__name__}",
                code="network_error",
            ) from None

        status = response.status_code
        body = _parse_body(bytes(raw), response)
        ok = status in config.success_statuses if config.success_statuses else 200 <= status < 300
        if not ok:
            details = {"status": status, "body": _excerpt(body)}
            message = f"{config.method} {_shown(url)} answered {status}"
            if status in RETRYABLE_STATUSES:
                raise RetryableToolError(message, code="http_unavailable", details=details)
            raise ToolError(message, code="http_error", details=details)

        if not config.response:
            return {"status": status, "body": body}
        scope = {
            "response": {
                "status": status,
                "headers": {key.lower(): value for key, value in response.headers.items()},
                "body": body,
            }
        }
        output: dict[str, Any] = {}
        for name, source in config.response.items():
            try:
                output[name] = compile_expression(source).evaluate(scope)
            except ExpressionError as exc:
                raise ToolError(
                    f"response mapping `{name}` failed: {exc.message}",
                    code="response_mapping_error",
                    details={"field": name, "expression": source, "body": _excerpt(body)},
                ) from None
        return output

    async def _secrets(self) -> dict[str, Secret]:
        """The credentials the headers name (decrypted only then), with their hosts."""
        names = credential_names(self.config.headers)
        if not names:
            return {}
        if self._load_credentials is None:
            raise ToolError("credentials are not available here", code="missing_credential")
        return await self._load_credentials(names)

    def _headers(self, read: dict[str, Any], secrets: dict[str, Secret]) -> dict[str, str]:
        """The headers rendered over `read` (the inputs as templates read them)."""
        env = {"input": read, "credentials": {name: s.value for name, s in secrets.items()}}
        return render_fields(self.config.headers, env, where="headers")


def _credential_guard(secrets: Iterable[Secret]) -> Callable[[httpx.Request], Awaitable[None]]:
    """An httpx request hook: a request carrying credentials goes only where each allows.

    httpx calls it for the first request and for every redirect hop, before sending.
    """
    carried = tuple(secrets)

    async def guard(request: httpx.Request) -> None:
        url = request.url
        host = url.raw_host.decode("ascii", "replace")
        for secret in carried:
            if host_allowed(secret.allowed_hosts, host=host, port=url.port, scheme=url.scheme):
                continue
            where = f"{host}:{url.port}" if url.port else host
            allowed = ", ".join(secret.allowed_hosts) or "none"
            raise ToolError(
                f"credential `{secret.name}` may not be sent to {where} (it may be sent to: "
                f"{allowed}); the request was not sent. Add the host to the credential's "
                "allowed hosts if it belongs there.",
                code="credential_host_not_allowed",
                details={"credential": secret.name, "host": where,
                         "allowed_hosts": list(secret.allowed_hosts)},
            )

    return guard


def _form_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _parse_body(raw: bytes, response: httpx.Response) -> Any:
    if not raw:
        return None
    text = raw.decode(response.charset_encoding or "utf-8", errors="replace")
    media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text


def _excerpt(body: Any) -> Any:
    if isinstance(body, str) and len(body) > 500:
        return body[:500] + "…"
    return body


def _shown(url: str) -> str:
    """The URL without its query (query values may carry personal data)."""
    return url.split("?", 1)[0]
