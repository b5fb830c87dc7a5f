"""MCP tools: list a server's tools (to import them) and call one at run time, via the `mcp` SDK.

A stdio server is started once per worker process and its session reused by every call,
run and thread (`mcp_sessions`): starting one costs a process start and a handshake
(0.5-1 s), a call on a live session a few milliseconds. Sessions are keyed by the command,
its arguments and a digest of the rendered environment, so a rotated credential starts a
fresh server. A call never sends on a session already known dead (its server's output has
ended): it starts a new server instead. A call that finds the server gone or silent while
it waits fails retryable and retires the session, so the engine's retry gets a new server;
such a call is not re-sent by us, because the server may already have acted on it.

A Streamable HTTP server gets the same: a live session per worker process, keyed by a
digest of its URL (which may carry a credential) and the timeout (`mcp_http_sessions`);
opening one costs a connection and a handshake (tens of ms), a call on it a few ms. The URL
passes the outbound-address guard before every call, so before a session is opened. A
session that fails (the server cannot be reached, does not answer in time, or answers 404
to its session id because it restarted and forgot it) is retired, and the call fails
retryable; the next call opens a fresh session. Such a call is not re-sent by us either:
only the opening of a session is known to come before the call's request, and a failed
opening already fails the call retryable.

Listing tools (an import) connects afresh (a stdio server is started and stopped): an
import should see the server as configured now, and it is rare.

A stdio server gets the variables of its `env` mapping (values are templates that may
read `credentials.NAME`, decrypted for each call to know which session fits). Its stderr is
kept: when the server fails, the end of what it wrote is added to the error, with any
credential it was given blanked out: for a server that crashed, closed or went silent, the
end of all it wrote (the cause may predate the call); for a request it refused or a tool
error, what it wrote during the call.

A result with structured content is returned as is; otherwise the text blocks become
`{"text": ...}`. A result flagged as an error fails the node (not retryable); a server
that cannot be reached or does not answer in time is retryable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar, cast

import anyio.to_thread

from flows.core.tools import RetryableToolError, ToolContext, ToolError, ToolSpec
from tools_registry.credential_hosts import Secret
from tools_registry.kinds.base import ConfiguredTool
from tools_registry.kinds.mcp_http_sessions import HttpSession, HttpTarget
from tools_registry.kinds.mcp_sessions import (
    STDERR_SHOWN,
    McpSessionHost,
    ServerErrlog,
    StdioLaunch,
    StdioSession,
    mcp_session_host,
)
from tools_registry.templating import credential_names, render_text
from tools_registry.url_guard import URLGuardError, check_url

__all__ = ["STDERR_SHOWN", "TEXT_OUTPUT_SCHEMA", "McpEndpoint", "McpTool", "McpUnavailable",
           "RemoteTool", "mcp_call_tool", "mcp_list_tools"]

T = TypeVar("T")

CredentialLoader = Callable[[set[str]], Awaitable[dict[str, Secret]]]
ClientAction = Callable[[Any], Awaitable[Any]]

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
    """Every tool the server offers (all pages), from a connection of its own."""
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

    return await _with_own_client(endpoint, list_all)


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
        if endpoint.transport == "stdio":
            return await _with_stdio_session(endpoint, call)
        return await _with_http_session(endpoint, call)
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


async def _with_stdio_session(endpoint: McpEndpoint, action: ClientAction) -> Any:
    """`action(client)` on this process's live session with the server (started if need be)."""
    launch, secrets = await _launch(endpoint)

    async def on_session(session: StdioSession) -> Any:
        written_before = session.errlog.size()

        async def act() -> Any:
            return await action(await session.client(start_timeout_s=endpoint.timeout_s))

        try:
            return await _answered(endpoint, act)
        except McpUnavailable as exc:
            session.retire()  # the next call starts a new server
            raise _with_stderr(exc, session.errlog.tail(), secrets) from None
        except ToolError as exc:
            raise _with_stderr(exc, session.errlog.tail(written_before), secrets) from None

    def start(host: McpSessionHost) -> StdioSession:
        return StdioSession(launch, host)

    return await mcp_session_host().run(launch.key, start, on_session)


async def _with_http_session(endpoint: McpEndpoint, action: ClientAction) -> Any:
    """`action(client)` on this process's live session with the server (opened if need be)."""
    target = HttpTarget(await _checked_url(endpoint), endpoint.timeout_s)

    async def on_session(session: HttpSession) -> Any:
        async def act() -> Any:
            return await action(await session.client(start_timeout_s=endpoint.timeout_s))

        try:
            return await _answered(endpoint, act)
        except McpUnavailable:
            session.retire()  # the next call opens a new session
            raise
        except ToolError as exc:
            if session.forgotten and exc.code == "mcp_error":  # the 404, as an error reply
                raise McpUnavailable(
                    f"MCP server {endpoint.name!r} no longer knows the session (did it restart?)",
                    details={"server": endpoint.name},
                ) from None
            raise

    def open_session(host: McpSessionHost) -> HttpSession:
        return HttpSession(target, host)

    return await mcp_session_host().run(target.key, open_session, on_session)


async def _with_own_client(endpoint: McpEndpoint, action: ClientAction) -> Any:
    """`action(client)` on a connection opened for it and closed after (listing tools)."""
    from mcp import Client

    if endpoint.transport != "stdio":
        url = await _checked_url(endpoint)

        async def over_http() -> Any:
            async with Client(url, read_timeout_seconds=endpoint.timeout_s) as client:
                return await action(client)

        return await _answered(endpoint, over_http)

    from mcp.client.stdio import stdio_client

    launch, secrets = await _launch(endpoint)
    parameters = launch.server_parameters()
    errlog = ServerErrlog()

    async def over_stdio() -> Any:
        transport = stdio_client(parameters, errlog=cast(TextIO, errlog.file))
        async with Client(transport, read_timeout_seconds=endpoint.timeout_s) as client:
            return await action(client)

    try:
        return await _answered(endpoint, over_stdio)
    except (McpUnavailable, ToolError) as exc:
        raise _with_stderr(exc, errlog.tail(), secrets) from None
    finally:
        errlog.close()


async def _launch(endpoint: McpEndpoint) -> tuple[StdioLaunch, dict[str, Secret]]:
    """What starts the stdio server, its env rendered, and the secrets in it (to blank out)."""
    secrets = await _secrets(endpoint)
    values = {"credentials": {name: secret.value for name, secret in secrets.items()}}
    env = tuple(
        (key, render_text(value, values, where=f"env.{key}")) for key, value in endpoint.env
    )
    return StdioLaunch(endpoint.command, tuple(endpoint.args), env), secrets


async def _secrets(endpoint: McpEndpoint) -> dict[str, Secret]:
    names = credential_names(dict(endpoint.env))
    if not names:
        return {}
    if endpoint.load_credentials is None:
        raise ToolError("credentials are not available here", code="missing_credential")
    return await endpoint.load_credentials(names)


def _with_stderr(
    exc: McpUnavailable | ToolError, stderr: str, secrets: dict[str, Secret]
) -> Exception:
    """`exc` with the server's stderr (credentials blanked) added, if it wrote any."""
    stderr = _redacted(stderr, secrets)
    if not stderr:
        return exc
    shown = f"{str(exc).rstrip('.')}. The server's stderr ended with:\n{stderr}"
    if isinstance(exc, McpUnavailable):
        return McpUnavailable(shown, details={**exc.details, "stderr": stderr})
    details = exc.details if isinstance(exc.details, dict) else {}
    return type(exc)(shown, code=exc.code, details={**details, "stderr": stderr})


def _redacted(text: str, secrets: dict[str, Secret]) -> str:
    for name, secret in secrets.items():
        if secret.value:
            text = text.replace(secret.value, f"[credential {name}]")
    return text


async def _answered(endpoint: McpEndpoint, work: Callable[[], Awaitable[T]]) -> T:
    """`work()` within the server's timeout; its failures told as ToolError (the server
    answered: a tool error or a refused request) or McpUnavailable (it did not)."""
    from mcp import MCPError
    from mcp_types import REQUEST_TIMEOUT
    from mcp_types.jsonrpc import CONNECTION_CLOSED

    try:
        async with asyncio.timeout(endpoint.timeout_s):
            return await work()
    except Exception as exc:  # connection failures surface as many types (and groups)
        cause = _cause(exc, (ToolError, MCPError, TimeoutError))
        if isinstance(cause, ToolError):
            raise cause from None
        if isinstance(cause, MCPError) and cause.code == CONNECTION_CLOSED:
            raise McpUnavailable(
                f"MCP server {endpoint.name!r} closed the connection (did it stop or crash?)"
            ) from None
        if isinstance(cause, TimeoutError) or (
            isinstance(cause, MCPError) and cause.code == REQUEST_TIMEOUT
        ):
            raise McpUnavailable(
                f"MCP server {endpoint.name!r} did not answer within {endpoint.timeout_s:g} s"
            ) from None
        if isinstance(cause, MCPError):
            raise ToolError(
                f"MCP server {endpoint.name!r} refused the request: {cause.message}",
                code="mcp_error",
                details={"server": endpoint.name, "code": cause.code},
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


async def _checked_url(endpoint: McpEndpoint) -> str:
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
