"""MCP tools: list a server's tools (to import them) and call one at run time, via the `mcp` SDK.

Each call opens its own connection (Streamable HTTP, or a stdio subprocess) and closes it:
a run may be resumed by another worker on another event loop, so nothing is pooled
across calls. A Streamable HTTP server's URL passes the outbound-address guard first.

A result with structured content is returned as is; otherwise the text blocks become
`{"text": ...}`. A result flagged as an error fails the node (not retryable); a server
that cannot be reached or does not answer in time is retryable.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread

from flows.core.tools import RetryableToolError, ToolContext, ToolError, ToolSpec
from tools_registry.kinds.base import ConfiguredTool
from tools_registry.url_guard import URLGuardError, check_url

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


@dataclass(frozen=True)
class RemoteTool:
    """A tool as the server lists it."""

    name: str
    description: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any] | None


class McpUnavailable(Exception):
    """The server could not be reached, refused the URL, or did not answer in time."""


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
        return await client.call_tool(name, arguments, read_timeout_seconds=endpoint.timeout_s)

    try:
        result = await _with_client(endpoint, call)
    except McpUnavailable as exc:
        raise RetryableToolError(str(exc), code="mcp_unavailable") from None
    except ToolError:
        raise
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

    # The server's stderr goes nowhere (the stdio transport takes a file for it).
    with open(os.devnull, "w") as devnull:  # noqa: ASYNC230 - /dev/null never blocks
        return await _session(endpoint, stdio_client(target, errlog=devnull), action)


async def _session(endpoint: McpEndpoint, target: Any, action: Any) -> Any:
    from mcp import Client, MCPError

    try:
        async with asyncio.timeout(endpoint.timeout_s):
            async with Client(target, read_timeout_seconds=endpoint.timeout_s) as client:
                return await action(client)
    except MCPError as exc:
        raise ToolError(
            f"MCP server {endpoint.name!r} refused the request: {exc.message}",
            code="mcp_error",
            details={"server": endpoint.name, "code": exc.code},
        ) from None
    except TimeoutError:
        raise McpUnavailable(
            f"MCP server {endpoint.name!r} did not answer within {endpoint.timeout_s:g} s"
        ) from None
    except ToolError:
        raise
    except Exception as exc:  # connection failures surface as many types (and groups)
        raise McpUnavailable(
            f"cannot talk to MCP server {endpoint.name!r}: {_describe(exc)}"
        ) from None


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
