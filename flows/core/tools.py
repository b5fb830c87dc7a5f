"""What a tool is to the engine and the planners: a spec (schemas, config) and an invoke.

Tools come from several places (Python functions, HTTP endpoints, MCP servers, LLM
prompts); each adapts itself to the `Tool` protocol, and a `ToolCatalog` hands them out.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, runtime_checkable

from flows.core.registry import Registry

JsonSchema = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ToolConfig:
    timeout_s: float = 30.0
    retries: int = 0
    requires_approval: bool = False
    cacheable: bool = False
    #: Most calls of this tool in flight at once (per process for the in-memory engine;
    #: across workers where the runner enforces it through Redis).
    concurrency: int | None = None


@dataclass(frozen=True, slots=True)
class ToolSpec:
    id: str
    name: str
    description: str
    category: str = "general"
    input_schema: JsonSchema = field(default_factory=lambda: {"type": "object"})
    output_schema: JsonSchema = field(default_factory=lambda: {"type": "object"})
    config: ToolConfig = field(default_factory=ToolConfig)

    def required_inputs(self) -> list[str]:
        return list(self.input_schema.get("required", []))

    def input_properties(self) -> dict[str, JsonSchema]:
        return dict(self.input_schema.get("properties", {}))

    def output_properties(self) -> dict[str, JsonSchema]:
        return dict(self.output_schema.get("properties", {}))

    def to_catalog_entry(self) -> dict[str, Any]:
        """The compact description planners read."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "category": self.category,
            "input_schema": self.input_schema,
            "output_schema": self.output_schema,
            "requires_approval": self.config.requires_approval,
        }


class ToolContext(NamedTuple):
    """What a running tool may know about where it runs. (Immutable; a tuple, as the
    engine makes one per call and a frozen dataclass costs twice as much to build.)"""

    run_id: str
    node_id: str
    attempt: int = 1
    extra: Mapping[str, Any] | None = None


class ToolError(Exception):
    """A tool failed; `retryable` says whether trying again may help."""

    retryable = False

    def __init__(self, message: str, *, code: str = "tool_error", details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details


class RetryableToolError(ToolError):
    """A transient failure (timeout, rate limit, 5xx): the engine retries with backoff."""

    retryable = True


@runtime_checkable
class Tool(Protocol):
    spec: ToolSpec

    async def invoke(self, inputs: dict[str, Any], context: ToolContext) -> Any: ...


class ToolCatalog(Protocol):
    def get(self, tool_id: str) -> Tool | None: ...

    def specs(self) -> list[ToolSpec]: ...


ToolFunction = Callable[..., Any] | Callable[..., Awaitable[Any]]


class FunctionTool:
    """A tool backed by a Python callable that takes the inputs as keyword arguments.

    Sync callables run in a worker thread so they never block the event loop, unless
    `inline=True` says they are trivially cheap (no I/O).
    """

    def __init__(self, spec: ToolSpec, function: ToolFunction, *, inline: bool = False) -> None:
        self.spec = spec
        self.function = function
        self._is_async = inspect.iscoroutinefunction(function)
        self._inline = inline
        self._wants_context = "context" in inspect.signature(function).parameters

    def invoke(self, inputs: dict[str, Any], context: ToolContext) -> Coroutine[Any, Any, Any]:
        # `**kwargs` hands the function a dict of its own: no copy needed without context
        kwargs = {**inputs, "context": context} if self._wants_context else inputs
        if self._is_async:
            # The function's own coroutine, not one around it: a coroutine less per call.
            return self.function(**kwargs)  # type: ignore[return-value]
        return self._call(kwargs)

    async def _call(self, kwargs: dict[str, Any]) -> Any:
        if self._inline:
            return self.function(**kwargs)
        return await asyncio.to_thread(self.function, **kwargs)

    def __repr__(self) -> str:
        return f"FunctionTool({self.spec.id!r})"


class InMemoryCatalog:
    """A catalogue held in a registry; refuses two tools with one id."""

    def __init__(self, tools: Iterable[Tool] = ()) -> None:
        self._tools: Registry[Tool] = Registry("tool")
        for tool in tools:
            self.add(tool)

    def add(self, tool: Tool) -> Tool:
        self._tools.register(tool.spec.id, tool)
        return tool

    def get(self, tool_id: str) -> Tool | None:
        return self._tools.get(tool_id)

    def specs(self) -> list[ToolSpec]:
        return [tool.spec for tool in self._tools.values()]

    def __contains__(self, tool_id: str) -> bool:
        return tool_id in self._tools

    def __len__(self) -> int:
        return len(self._tools)
