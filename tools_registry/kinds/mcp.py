"""MCP tools: list a server's tools (to import them) and call one at run time, via the `mcp` SDK.

Each call opens its own connection (Streamable HTTP, or a stdio subprocess) and closes it:
a run may be resumed by another worker on another event loop, so nothing is pooled
across calls. A Streamable HTTP server's URL passes the outbound-address guard first.

A stdio server is started with the variables of its `env` mapping (values are templates
that may read `credentials.NAME`, decrypted for that start only). Its stderr is kept:
when the server fails (it crashes, refuses a request, or a tool reports an error), the end
of what it wrote is added to the error, with any credential it was given blanked out.

A result with structured content is returned as is; otherwise the text blocks become
`{"text": ...}`. A result flagged as an error fails the node (not retryable); a server
that cannot be reached or does not answer in time is retryable.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any, TextIO, cast

import anyio.to_thread

from flows.core.tools import RetryableToolError, ToolContext, ToolError, ToolSpec
from tools_registry.credential_hosts import Secret
from tools_registry.kinds.base import ConfiguredTool
from tools_registry.templating import credential_names, render_text
from tools_registry.url_guard import URLGuardError, check_url

CredentialLoader = Callable[[set[str]], Awaitable[dict[str, Secret]]]

#: How much of a stdio server's stderr an error shows (its end, where the cause usually is).
STDERR_SHOWN = 2000

#: The output schema of a tool whose server declares none: its text content.
TEXT_OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"text": {"type": "string"}},
    "required": ["text"],
}


@dataclass(frozen=True)
class McpEndpoint:
    """How to reach an MCP server (a snapshot of an `McpServer` row)."""

    name: str
    transport: str  # "streamable_http" | "stdio"
    url: str = ""
    command: str = ""
    args: tuple[str, ...] = ()
    timeout_s: float = 30.0
    allowed_hosts: tuple[str, ...] = ()
    #: stdio: variable -> template (may read `credentials.NAME`).
    env: tuple[tuple[str, str], ...] = ()
    load_credentials: CredentialLoader | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RemoteTool:
    """A tool as the server lists it."""

    name: str
    description: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any] | None


class McpUnavailable(Exception):
    """The server could not be reached, refused the URL, or did not answer in time."""

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.details = details or {}


async def mcp_list_tools(endpoint: McpEndpoint) -> list[RemoteTool]:
    """Every tool the server offers (all pages)."""
    async def list_all(client: Any) -> list[RemoteTool]:
        tools: list[RemoteTool] = []
        cursor: str | None = None
        for _ in range(100):
            page = await client.list_tools(cursor=cursor)
            tools += [
                RemoteTool(
                    name=item.name,
                    description=item.description or item.title or item.name,
                    input_schema=dict(item.input_schema or {"type": "object"}),
                    output_schema=dict(item.output_schema) if item.output_schema else None,
                )
                for item in page.tools
            ]
            cursor = page.next_cursor
            if not cursor:
                break
        return tools

    return await _with_client(endpoint, list_all)


async def mcp_call_tool(endpoint: McpEndpoint, name: str, arguments: dict[str, Any]) -> Any:
    """Call `name`; the structured result, or {"text": ...}. Raises ToolError on a tool error."""
    async def call(client: Any) -> Any:
        result = await client.call_tool(
            name, arguments, read_timeout_seconds=endpoint.timeout_s
        )
        text = "\n".join(
            block.text for block in result.content if getattr(block, "type", None) == "text"
        )
        if result.is_error:
            raise ToolError(
                f"MCP tool {name!r} on {endpoint.name!r} failed: {text or 'no details'}",
                code="mcp_tool_error",
                details={"server": endpoint.name, "tool": name},
            )
        if result.structured_content is not None:
            return result.structured_content
        return {"text": text}

    try:
        return await _with_client(endpoint, call)
    except McpUnavailable as exc:
        raise RetryableToolError(
            str(exc), code="mcp_unavailable", details=exc.details
        ) from None


class McpTool(ConfiguredTool):
    def __init__(self, spec: ToolSpec, endpoint: McpEndpoint, remote_name: str) -> None:
        super().__init__(spec)
        self.endpoint = endpoint
        self.remote_name = remote_name

    async def call(self, inputs: dict[str, Any], context: ToolContext) -> Any:
        return await mcp_call_tool(self.endpoint, self.remote_name, inputs)


async def _with_client(endpoint: McpEndpoint, action: Any) -> Any:
    target = await _target(endpoint)
    if isinstance(target, str):
        return await _session(endpoint, target, action)
    from mcp.client.stdio import stdio_client

    secrets = await _secrets(endpoint)
    if endpoint.env:
        target.env = {
            key: render_text(value, {"credentials": {n: s.value for n, s in secrets.items()}},
                             where=f"env.{key}")
            for key, value in endpoint.env
        }
    # The server writes its stderr straight into this file; it is read after the server
    # has stopped, and only when something went wrong.
    with tempfile.TemporaryFile() as errlog:
        try:
            return await _session(
                endpoint, stdio_client(target, errlog=cast(TextIO, errlog)), action
            )
        except (McpUnavailable, ToolError) as exc:
            stderr = _redacted(_tail(errlog), secrets)
            if not stderr:
                raise
            shown = f"{str(exc).rstrip('.')}. The server's stderr ended with:\n{stderr}"
            if isinstance(exc, McpUnavailable):
                raise McpUnavailable(shown, details={**exc.details, "stderr": stderr}) from None
            details = exc.details if isinstance(exc.details, dict) else {}
            raise type(exc)(
                shown, code=exc.code, details={**details, "stderr": stderr}
            ) from None


async def _secrets(endpoint: McpEndpoint) -> dict[str, Secret]:
    names = credential_names(dict(endpoint.env))
    if not names:
        return {}
    if endpoint.load_credentials is None:
        raise ToolError("credentials are not available here", code="missing_credential")
    return await endpoint.load_credentials(names)


def _tail(errlog: IO[bytes]) -> str:
    """The end of what the server wrote to stderr (at most STDERR_SHOWN characters)."""
    size = errlog.seek(0, os.SEEK_END)
    errlog.seek(max(size - STDERR_SHOWN * 4, 0))
    text = errlog.read().decode("utf-8", errors="replace").strip()
    if len(text) > STDERR_SHOWN or size > STDERR_SHOWN * 4:
        text = "…" + text[-STDERR_SHOWN:]
    return text


def _redacted(text: str, secrets: dict[str, Secret]) -> str:
    for name, secret in secrets.items():
        if secret.value:
            text = text.replace(secret.value, f"[credential {name}]")
    return text


async def _session(endpoint: McpEndpoint, target: Any, action: Any) -> Any:
    from mcp import Client, MCPError
    from mcp_types.jsonrpc import CONNECTION_CLOSED

    try:
        async with asyncio.timeout(endpoint.timeout_s):
            async with Client(target, read_timeout_seconds=endpoint.timeout_s) as client:
                return await action(client)
    except Exception as exc:  # connection failures surface as many types (and groups)
        cause = _cause(exc, (ToolError, MCPError, TimeoutError))
        if isinstance(cause, ToolError):
            raise cause from None
        if isinstance(cause, MCPError) and cause.code == CONNECTION_CLOSED:
            raise McpUnavailable(
                f"MCP server {endpoint.name!r} closed the connection (did it stop or crash?)"
            ) from None
        if isinstance(cause, MCPError):
            raise ToolError(
                f"MCP server {endpoint.name!r} refused the request: {cause.message}",
                code="mcp_error",
                details={"server": endpoint.name, "code": cause.code},
            ) from None
        if isinstance(cause, TimeoutError):
            raise McpUnavailable(
                f"MCP server {endpoint.name!r} did not answer within {endpoint.timeout_s:g} s"
            ) from None
        raise McpUnavailable(
            f"cannot talk to MCP server {endpoint.name!r}: {_describe(exc)}"
        ) from None


def _cause(exc: BaseException, wanted: tuple[type[BaseException], ...]) -> BaseException:
    """The first exception of a `wanted` type inside task-group wrappers, else `exc`."""
    if isinstance(exc, wanted):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _cause(inner, wanted)
            if isinstance(found, wanted):
                return found
    return exc


async def _target(endpoint: McpEndpoint) -> Any:
    if endpoint.transport == "stdio":
        from mcp import StdioServerParameters

        return StdioServerParameters(command=endpoint.command, args=list(endpoint.args))
    try:
        await anyio.to_thread.run_sync(_check, endpoint.url, endpoint.allowed_hosts)
    except URLGuardError as exc:
        raise ToolError(exc.message, code=exc.code, details={"server": endpoint.name}) from None
    return endpoint.url


def _check(url: str, allowed: Iterable[str]) -> None:
    check_url(url, allowed=allowed)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        return _describe(exc.exceptions[0])
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
