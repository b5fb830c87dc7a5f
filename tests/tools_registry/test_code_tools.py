"""The @tool decorator: schemas from signatures, validation at invoke, context, registration."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from flows.core.registry import AlreadyRegistered, Registry
from flows.core.tools import FunctionTool, ToolContext, ToolError
from tools_registry.code_tools import CodeTool, register, tidy_schema, tool

CONTEXT = ToolContext(run_id="run-7", node_id="node-3", attempt=2)


class Address(BaseModel):
    city: str = Field(description="City name.")
    postcode: str | None = None


class Signup(BaseModel):
    email: str = Field(description="The address to sign up.")
    plan: Literal["free", "pro"] = "free"


class Greeting(BaseModel):
    message: str
    sent_on: date


class Totals(TypedDict):
    total: float
    count: int


class TreeNode(BaseModel):
    label: str
    children: list[TreeNode] = []


@tool(category="email", retries=2, timeout_s=5, cacheable=True, concurrency=3)
def greet(
    name: Annotated[str, Field(description="Who to greet.", min_length=1)],
    times: Annotated[int, Field(description="How often.", ge=1, le=5)] = 1,
    address: Address | None = None,
    title: str = "",
) -> Greeting:
    """Greet someone by name.

    This second paragraph is not part of the description.
    """
    return Greeting(message=" ".join([f"Hello {title}{name}"] * times), sent_on=date(2024, 1, 2))


@tool
def sign_up(signup: Signup, context: ToolContext) -> dict[str, str]:
    """Sign a user up."""
    return {"email": signup.email, "plan": signup.plan, "run": context.run_id}


@tool(id="sum.numbers", name="Add numbers", description="Add numbers up.")
async def add(numbers: list[float], context: ToolContext | None = None) -> Totals:
    return {"total": sum(numbers), "count": len(numbers)}


# --- the spec --------------------------------------------------------------------------------


def test_spec_takes_id_name_description_category_and_config_from_the_decorator() -> None:
    assert isinstance(greet, CodeTool)
    assert isinstance(greet, FunctionTool)
    spec = greet.spec
    assert (spec.id, spec.name, spec.category) == ("greet", "Greet", "email")
    assert spec.description == "Greet someone by name."
    config = spec.config
    assert (config.retries, config.timeout_s, config.cacheable, config.concurrency) == (
        2, 5, True, 3
    )
    assert config.requires_approval is False


def test_bare_decorator_uses_defaults_and_explicit_options_override_them() -> None:
    assert sign_up.spec.id == "sign_up"
    assert sign_up.spec.category == "general"
    assert sign_up.spec.config.retries == 0
    assert (add.spec.id, add.spec.name, add.spec.description) == (
        "sum.numbers", "Add numbers", "Add numbers up."
    )


def test_input_schema_marks_parameters_without_defaults_required() -> None:
    schema = greet.spec.input_schema
    assert schema["type"] == "object"
    assert schema["required"] == ["name"]
    assert set(schema["properties"]) == {"name", "times", "address", "title"}
    assert schema["additionalProperties"] is False


def test_input_schema_keeps_field_descriptions_constraints_and_defaults() -> None:
    properties = greet.spec.input_schema["properties"]
    assert properties["name"] == {"description": "Who to greet.", "minLength": 1, "type": "string"}
    assert properties["times"] == {
        "default": 1, "description": "How often.", "maximum": 5, "minimum": 1, "type": "integer"
    }


def test_input_schema_inlines_nested_models_and_drops_titles() -> None:
    address = greet.spec.input_schema["properties"]["address"]
    object_schema = address["anyOf"][0]
    assert object_schema["properties"]["city"] == {"description": "City name.", "type": "string"}
    assert "$defs" not in greet.spec.input_schema
    assert "title" not in object_schema
    # A property that happens to be called "title" is a field, not a keyword: it stays.
    assert "title" in greet.spec.input_schema["properties"]


def test_a_single_pydantic_model_parameter_is_the_input_schema() -> None:
    schema = sign_up.spec.input_schema
    assert schema["required"] == ["email"]
    assert schema["properties"]["email"]["description"] == "The address to sign up."
    assert schema["properties"]["plan"] == {"default": "free", "enum": ["free", "pro"],
                                            "type": "string"}


def test_context_parameter_is_not_part_of_the_schema() -> None:
    assert "context" not in sign_up.spec.input_schema["properties"]
    assert "context" not in add.spec.input_schema.get("properties", {})


def test_output_schema_comes_from_the_return_annotation() -> None:
    assert greet.spec.output_schema["properties"]["sent_on"] == {"format": "date",
                                                                 "type": "string"}
    assert add.spec.output_schema == {
        "properties": {"total": {"type": "number"}, "count": {"type": "integer"}},
        "required": ["total", "count"],
        "type": "object",
    }
    assert sign_up.spec.output_schema == {"additionalProperties": {"type": "string"},
                                          "type": "object"}


def test_output_schema_without_annotation_is_any_and_none_is_null() -> None:
    @tool
    def untyped(x: int):  # type: ignore[no-untyped-def]
        """No return annotation."""
        return x

    @tool
    def nothing(x: int) -> None:
        """Returns nothing."""

    assert untyped.spec.output_schema == {}
    assert nothing.spec.output_schema == {"type": "null"}


def test_recursive_models_keep_their_definitions() -> None:
    @tool
    def count_nodes(tree: TreeNode) -> int:
        """Count the nodes of a tree."""
        return 1 + sum(count_nodes(child) for child in tree.children)

    schema = count_nodes.spec.input_schema
    assert "$defs" in schema
    assert "TreeNode" in schema["$defs"]


def test_tidy_schema_leaves_data_keywords_alone() -> None:
    schema = {"type": "object", "title": "X", "default": {"title": "kept"},
              "properties": {"title": {"type": "string", "title": "Title"}}}
    assert tidy_schema(schema) == {"type": "object", "default": {"title": "kept"},
                                   "properties": {"title": {"type": "string"}}}


def test_a_tool_needs_a_description() -> None:
    def undocumented(x: int) -> int:
        return x

    with pytest.raises(ValueError, match="needs a description"):
        tool(undocumented)


def test_var_args_are_refused() -> None:
    def splat(*values: int) -> int:
        """Sum."""
        return sum(values)

    with pytest.raises(TypeError, match="passable by keyword"):
        tool(splat)


def test_bad_tool_ids_are_refused() -> None:
    def fine(x: int) -> int:
        """Fine."""
        return x

    with pytest.raises(ValueError, match="not valid"):
        tool(id="has space")(fine)


# --- invoking ----------------------------------------------------------------------------------


async def test_sync_tool_validates_coerces_and_dumps_its_pydantic_result() -> None:
    result = await greet.invoke({"name": "Ada", "times": "2"}, CONTEXT)
    assert result == {"message": "Hello Ada Hello Ada", "sent_on": "2024-01-02"}


async def test_nested_inputs_arrive_as_models() -> None:
    seen: list[Any] = []

    @tool
    def where(address: Address, label: str = "home") -> str:
        """Where."""
        seen.append(address)
        return f"{label}: {address.city}"

    assert await where.invoke({"address": {"city": "Paris"}}, CONTEXT) == "home: Paris"
    assert isinstance(seen[0], Address)


async def test_sync_tools_run_in_a_worker_thread_unless_inline() -> None:
    loop_thread = threading.current_thread()

    @tool
    def threaded() -> str:
        """Which thread."""
        return threading.current_thread().name

    @tool(inline=True)
    def on_loop() -> str:
        """Which thread."""
        return threading.current_thread().name

    assert await threaded.invoke({}, CONTEXT) != loop_thread.name
    assert await on_loop.invoke({}, CONTEXT) == loop_thread.name


async def test_async_tool_is_awaited_and_gets_the_context() -> None:
    seen: list[ToolContext] = []

    @tool
    async def remember(value: int, context: ToolContext) -> int:
        """Remember the context."""
        seen.append(context)
        return value * 2

    assert await remember.invoke({"value": 21}, CONTEXT) == 42
    assert seen == [CONTEXT]
    assert await add.invoke({"numbers": [1, 2.5]}, CONTEXT) == {"total": 3.5, "count": 2}


async def test_model_parameter_tool_receives_the_model_and_the_context() -> None:
    result = await sign_up.invoke({"email": "ada@example.com", "plan": "pro"}, CONTEXT)
    assert result == {"email": "ada@example.com", "plan": "pro", "run": "run-7"}


async def test_invalid_input_is_a_non_retryable_tool_error_with_readable_details() -> None:
    calls: list[int] = []

    @tool
    def strict(count: Annotated[int, Field(ge=1)], label: str) -> int:
        """Strict."""
        calls.append(count)
        return count

    with pytest.raises(ToolError) as raised:
        await strict.invoke({"count": 0, "colour": "red"}, CONTEXT)
    error = raised.value
    assert error.code == "invalid_input"
    assert error.retryable is False
    fields = {detail["field"]: detail["message"] for detail in error.details}
    assert fields["count"] == "Input should be greater than or equal to 1"
    assert fields["label"] == "Field required"
    assert fields["colour"] == "Extra inputs are not permitted"
    assert "count: Input should be greater than or equal to 1" in error.message
    assert calls == []


async def test_nested_validation_errors_name_the_path() -> None:
    with pytest.raises(ToolError) as raised:
        await greet.invoke({"name": "Ada", "address": {"postcode": "75001"}}, CONTEXT)
    assert raised.value.details[0]["field"].startswith("address.")
    assert "city" in raised.value.details[0]["field"]


async def test_extra_ignore_drops_unknown_inputs() -> None:
    @tool(extra="ignore")
    def lenient(x: int) -> int:
        """Lenient."""
        return x

    assert await lenient.invoke({"x": 1, "unknown": True}, CONTEXT) == 1
    assert "additionalProperties" not in lenient.spec.input_schema


async def test_numbers_are_accepted_for_string_inputs() -> None:
    @tool
    def echo(order_id: str) -> str:
        """Echo."""
        return order_id

    assert await echo.invoke({"order_id": 1001}, CONTEXT) == "1001"


async def test_tool_errors_raised_by_the_function_pass_through() -> None:
    @tool
    def refuse(x: int) -> int:
        """Refuse."""
        raise ToolError("no", code="refused")

    with pytest.raises(ToolError) as raised:
        await refuse.invoke({"x": 1}, CONTEXT)
    assert raised.value.code == "refused"


def test_calling_the_tool_calls_the_function() -> None:
    assert greet(name="Bob").message == "Hello Bob"


# --- registration --------------------------------------------------------------------------


def test_register_refuses_a_duplicate_id() -> None:
    registry: Registry[CodeTool] = Registry("code tool")
    register(greet, sign_up, registry=registry)

    @tool(id="greet")
    def impostor() -> str:
        """Another greet."""
        return "hi"

    with pytest.raises(AlreadyRegistered, match="'greet' is already registered"):
        register(impostor, registry=registry)
    assert registry["greet"] is greet


def test_a_refused_batch_registers_nothing() -> None:
    registry: Registry[CodeTool] = Registry("code tool")
    with pytest.raises(AlreadyRegistered):
        register(add, greet, greet, registry=registry)
    assert len(registry) == 0


def test_code_tools_and_url_guard_import_without_django() -> None:
    code = (
        "import sys\n"
        "import tools_registry.code_tools, tools_registry.url_guard\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not loaded, loaded\n"
    )
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
    )
    assert completed.returncode == 0, completed.stderr
