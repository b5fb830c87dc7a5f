"""Code tools: the `@tool` decorator that turns a typed Python function into a tool.

The function's signature is the contract. Its parameters become the input JSON Schema
(through a pydantic model), its return annotation the output JSON Schema, and its first
docstring paragraph the description a planner reads::

    @tool(category="email", retries=2)
    def send_email(
        to: Annotated[str, Field(description="Recipient address.")],
        subject: str,
        body: str = "",
        context: ToolContext | None = None,
    ) -> SentEmail:
        \"\"\"Send an email.\"\"\"

At invoke time the inputs are validated and coerced through the same model, so a bad
input fails with `ToolError(code="invalid_input")` before the function runs, and a
pydantic return value is dumped to JSON-able data. A parameter named `context` (or
annotated `ToolContext`) receives the `ToolContext` and is left out of the schema.

This module must not import Django: code tools are importable and testable anywhere.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import re
import typing
from collections.abc import Callable
from typing import Any, Literal, overload

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model
from pydantic_core import PydanticSerializationError, to_jsonable_python

from flows.core.registry import AlreadyRegistered, Registry
from flows.core.tools import (
    FunctionTool,
    JsonSchema,
    ToolConfig,
    ToolContext,
    ToolError,
    ToolFunction,
    ToolSpec,
)

__all__ = ["CODE_TOOLS", "CodeTool", "register", "tool"]

TOOL_ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,127}$")

#: Keywords whose values are data (not sub-schemas), copied verbatim when tidying.
_DATA_KEYWORDS = frozenset({"default", "examples", "const", "enum", "example"})
#: Keywords whose values map names to sub-schemas (their keys are not keywords).
_SCHEMA_MAP_KEYWORDS = frozenset({"properties", "patternProperties", "dependentSchemas"})


class CodeTool(FunctionTool):
    """A `FunctionTool` whose inputs are validated by a pydantic model built from its signature.

    Calling the object calls the underlying function directly (handy in tests and when one
    code tool uses another).
    """

    def __init__(
        self,
        spec: ToolSpec,
        function: ToolFunction,
        *,
        input_model: type[BaseModel],
        model_parameter: str | None,
        context_parameter: str | None,
        inline: bool = False,
    ) -> None:
        super().__init__(spec, function, inline=inline)
        self.input_model = input_model
        #: Set when the function takes a single pydantic model rather than plain parameters.
        self.model_parameter = model_parameter
        self.context_parameter = context_parameter
        functools.update_wrapper(self, function)

    def validate_inputs(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments for the function, or `ToolError(code="invalid_input")`."""
        try:
            validated = self.input_model.model_validate(inputs)
        except ValidationError as exc:
            raise _invalid_input(self.spec.id, exc) from None
        if self.model_parameter is not None:
            return {self.model_parameter: validated}
        # dict(model) keeps nested models as models, which is what the annotations promise.
        return dict(validated)

    async def invoke(self, inputs: dict[str, Any], context: ToolContext) -> Any:
        kwargs = self.validate_inputs(inputs)
        if self.context_parameter is not None:
            kwargs[self.context_parameter] = context
        if self._is_async:
            result = await self.function(**kwargs)
        elif self._inline:
            result = self.function(**kwargs)
        else:
            result = await asyncio.to_thread(self.function, **kwargs)
        try:
            return to_jsonable_python(result)
        except PydanticSerializationError as exc:
            raise ToolError(
                f"tool {self.spec.id!r} returned a value that is not JSON-serialisable: {exc}",
                code="invalid_output",
            ) from exc

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"CodeTool({self.spec.id!r})"


@overload
def tool(function: ToolFunction, /) -> CodeTool: ...


@overload
def tool(
    *,
    id: str | None = None,
    name: str | None = None,
    description: str | None = None,
    category: str = "general",
    timeout_s: float = 30.0,
    retries: int = 0,
    requires_approval: bool = False,
    cacheable: bool = False,
    concurrency: int | None = None,
    inline: bool = False,
    extra: Literal["forbid", "ignore"] = "forbid",
) -> Callable[[ToolFunction], CodeTool]: ...


def tool(
    function: ToolFunction | None = None,
    /,
    *,
    id: str | None = None,
    name: str | None = None,
    description: str | None = None,
    category: str = "general",
    timeout_s: float = 30.0,
    retries: int = 0,
    requires_approval: bool = False,
    cacheable: bool = False,
    concurrency: int | None = None,
    inline: bool = False,
    extra: Literal["forbid", "ignore"] = "forbid",
) -> CodeTool | Callable[[ToolFunction], CodeTool]:
    """Make a `CodeTool` from a typed function; use bare (`@tool`) or with options.

    `id` defaults to the function name, `name` to a readable form of it, `description` to
    the first paragraph of the docstring. `inline=True` runs a sync function on the event
    loop (only for cheap, I/O-free functions). `extra` says what to do with unknown input
    fields: refuse them (the default, so a planner's typo is caught) or drop them.
    """
    config = ToolConfig(
        timeout_s=timeout_s,
        retries=retries,
        requires_approval=requires_approval,
        cacheable=cacheable,
        concurrency=concurrency,
    )

    def decorate(fn: ToolFunction) -> CodeTool:
        return _build_tool(
            fn,
            tool_id=id,
            name=name,
            description=description,
            category=category,
            config=config,
            inline=inline,
            extra=extra,
        )

    if function is not None:
        return decorate(function)
    return decorate


#: Every code tool the application offers, filled when the tool packs are imported
#: (see `tools_registry.apps`). Ids are unique.
CODE_TOOLS: Registry[CodeTool] = Registry("code tool")


def register(*tools: CodeTool, registry: Registry[CodeTool] | None = None) -> None:
    """Add tools to `CODE_TOOLS` (or `registry`); refuses any id already taken, adding none."""
    target = CODE_TOOLS if registry is None else registry
    ids = [item.spec.id for item in tools]
    # Check the whole batch first so a refused batch leaves the registry unchanged.
    for position, tool_id in enumerate(ids):
        if tool_id in target or tool_id in ids[:position]:
            raise AlreadyRegistered(f"{target.kind} {tool_id!r} is already registered")
    for item in tools:
        target.register(item.spec.id, item)


# --- building a tool from a function ----------------------------------------------------


def _build_tool(
    fn: ToolFunction,
    *,
    tool_id: str | None,
    name: str | None,
    description: str | None,
    category: str,
    config: ToolConfig,
    inline: bool,
    extra: Literal["forbid", "ignore"],
) -> CodeTool:
    if not callable(fn):
        raise TypeError(f"@tool expects a function, got {fn!r}")
    fn_name = getattr(fn, "__name__", "")
    tool_id = tool_id or fn_name
    if not TOOL_ID_PATTERN.match(tool_id):
        raise ValueError(
            f"tool id {tool_id!r} is not valid: use letters, digits, '_', '.', '-' "
            "and start with a letter or '_'"
        )
    description = (description or _first_paragraph(inspect.getdoc(fn))).strip()
    if not description:
        raise ValueError(
            f"tool {tool_id!r} needs a description: pass description=... or write a docstring"
        )

    hints = _type_hints(fn, tool_id)
    signature = inspect.signature(fn)
    context_parameter: str | None = None
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        annotation = hints.get(parameter.name, inspect.Parameter.empty)
        if parameter.name == "context" or _is_context_annotation(annotation):
            context_parameter = parameter.name
            continue
        if parameter.kind in (
            inspect.Parameter.VAR_POSITIONAL,
            inspect.Parameter.VAR_KEYWORD,
            inspect.Parameter.POSITIONAL_ONLY,
        ):
            raise TypeError(
                f"tool {tool_id!r}: parameter {parameter.name!r} must be passable by keyword "
                "(no *args, **kwargs or positional-only parameters)"
            )
        parameters.append(parameter)

    model_parameter: str | None = None
    if (
        len(parameters) == 1
        and _is_model_class(hints.get(parameters[0].name))
        and parameters[0].default is inspect.Parameter.empty
    ):
        model_parameter = parameters[0].name
        input_model: type[BaseModel] = hints[model_parameter]
    else:
        input_model = _model_from_parameters(tool_id, parameters, hints, extra)

    input_schema = tidy_schema(input_model.model_json_schema(mode="validation"))
    output_schema = _output_schema(hints.get("return", inspect.Parameter.empty))

    spec = ToolSpec(
        id=tool_id,
        name=name or readable_identifier(fn_name or tool_id),
        description=description,
        category=category,
        input_schema=input_schema,
        output_schema=output_schema,
        config=config,
    )
    return CodeTool(
        spec,
        fn,
        input_model=input_model,
        model_parameter=model_parameter,
        context_parameter=context_parameter,
        inline=inline,
    )


def _type_hints(fn: ToolFunction, tool_id: str) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn, include_extras=True)
    except (NameError, TypeError) as exc:
        raise TypeError(
            f"tool {tool_id!r}: cannot resolve the annotations ({exc}); types used in the "
            "signature must be importable from the function's module"
        ) from exc


def _model_from_parameters(
    tool_id: str,
    parameters: list[inspect.Parameter],
    hints: dict[str, Any],
    extra: Literal["forbid", "ignore"],
) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for parameter in parameters:
        if parameter.name.startswith("_"):
            raise TypeError(
                f"tool {tool_id!r}: parameter {parameter.name!r} starts with '_', which an "
                "input field may not"
            )
        annotation = hints.get(parameter.name, Any)
        default = parameter.default
        if default is inspect.Parameter.empty:
            default = ...
        # A FieldInfo default (`x: int = Field(3, ...)`) is passed as is; pydantic merges it.
        fields[parameter.name] = (annotation, default)
    model_name = _model_name(tool_id) + "Input"
    return create_model(
        model_name,
        # Planned inputs often carry ids as numbers (order 1001); a str field accepts them.
        __config__=ConfigDict(extra=extra, coerce_numbers_to_str=True),
        **fields,
    )


def _output_schema(annotation: Any) -> JsonSchema:
    if annotation is inspect.Parameter.empty:
        return {}
    if annotation is None or annotation is type(None):
        return {"type": "null"}
    try:
        schema = TypeAdapter(annotation).json_schema(mode="serialization")
    except Exception as exc:  # pydantic raises several kinds for types it cannot describe
        raise TypeError(f"cannot build an output schema from {annotation!r}: {exc}") from exc
    return tidy_schema(schema)


def _is_context_annotation(annotation: Any) -> bool:
    if annotation is ToolContext:
        return True
    # `ToolContext | None`
    args = typing.get_args(annotation)
    return bool(args) and ToolContext in args and all(
        arg in (ToolContext, type(None)) for arg in args
    )


def _is_model_class(annotation: Any) -> bool:
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)


def _first_paragraph(doc: str | None) -> str:
    if not doc:
        return ""
    paragraph = doc.strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


def readable_identifier(identifier: str) -> str:
    """A code tool's own name when its code gives none ("Fetch url"): the name the planners
    match prompts against. People read `display_names.tool_display_name` ("Fetch URL")."""
    words = identifier.replace("-", " ").replace(".", " ").replace("_", " ").split()
    return " ".join(words).capitalize() if words else identifier


def _model_name(tool_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", tool_id) if part)


def _invalid_input(tool_id: str, exc: ValidationError) -> ToolError:
    details = [
        {
            "field": ".".join(str(part) for part in error["loc"]) or "(inputs)",
            "message": error["msg"],
            "type": error["type"],
        }
        for error in exc.errors(include_url=False, include_input=False)
    ]
    summary = "; ".join(f"{item['field']}: {item['message']}" for item in details)
    return ToolError(
        f"invalid input for tool {tool_id!r}: {summary}", code="invalid_input", details=details
    )


# --- JSON Schema tidying ------------------------------------------------------------------


class _RecursiveSchema(Exception):
    pass


def tidy_schema(schema: JsonSchema) -> JsonSchema:
    """Make a pydantic schema easy for a planner to read: `$ref`s inlined, titles dropped.

    Recursive schemas keep their `$defs` and `$ref`s (inlining them would never end).
    """
    definitions = schema.get("$defs", {})
    try:
        return _tidy(schema, definitions, inline=True, stack=())
    except _RecursiveSchema:
        return _tidy(schema, definitions, inline=False, stack=())


def _tidy(node: Any, definitions: dict[str, Any], *, inline: bool, stack: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_tidy(item, definitions, inline=inline, stack=stack) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    if inline and isinstance(reference, str) and reference.startswith("#/$defs/"):
        name = reference.removeprefix("#/$defs/")
        if name in stack or name not in definitions:
            raise _RecursiveSchema(name)
        target = _tidy(definitions[name], definitions, inline=inline, stack=(*stack, name))
        siblings = {
            key: _tidy(value, definitions, inline=inline, stack=stack)
            for key, value in node.items()
            if key != "$ref"
        }
        return {**target, **siblings}
    tidied: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "$defs" and inline:
            continue
        if key in _DATA_KEYWORDS:
            tidied[key] = value
        elif key in _SCHEMA_MAP_KEYWORDS or key == "$defs":
            tidied[key] = {
                name: _tidy(sub, definitions, inline=inline, stack=stack)
                for name, sub in value.items()
            }
        else:
            tidied[key] = _tidy(value, definitions, inline=inline, stack=stack)
    return tidied
