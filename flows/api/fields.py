"""Serializer fields the API needs beyond DRF's: JSON objects Postgres can store, IR documents,
tool ids."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from flows.api.schema import IrSchemaExtension  # noqa: F401  (describes `IrField` below)
from flows.core.ir import Flow
from tools_registry.code_tools import TOOL_ID_PATTERN
from tools_registry.models import Tool

_TOOL_ID = re.compile(TOOL_ID_PATTERN)


class ChoiceField(serializers.ChoiceField):
    """A choice whose error says which values it takes ("waiting" for a run's status,
    which the API calls "suspended", is told the list rather than only refused)."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            taken = ", ".join(str(value) for value in self.choices)
            raise serializers.ValidationError(
                f'"{data}" is not a valid choice; use one of: {taken}.', code="invalid_choice"
            ) from None


class JsonObjectField(serializers.DictField):
    """A JSON object. NUL characters are refused anywhere in it (Postgres JSON cannot store
    them), so such a request is a 400 rather than a database error."""

    default_error_messages = {
        "null_character": "NUL characters (\\u0000) are not allowed at {where}.",
    }

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        value = super().to_internal_value(data)
        where = _find_nul(value, "")
        if where is not None:
            self.fail("null_character", where=where or "the top level")
        return value


@extend_schema_field(Flow)
class IrField(JsonObjectField):
    """An IR document: a JSON object (the services parse and validate it), described in the
    OpenAPI document by the IR's own JSON Schema, its nodes typed (flows/api/schema.py)."""


def _find_nul(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return path or "a key"
            found = _find_nul(item, here)
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_nul(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


class ToolIdField(serializers.CharField):
    """A tool id that names an existing tool; resolves to the `Tool`."""

    default_error_messages = {
        "unknown_tool": "There is no tool {tool_id!r}.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 128)
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        # The string checks (length, NUL characters) run first, then the lookup.
        tool_id = super().run_validation(data)
        if not isinstance(tool_id, str):
            return tool_id
        tool = Tool.objects.filter(pk=tool_id).first() if _TOOL_ID.match(tool_id) else None
        if tool is None:
            self.fail("unknown_tool", tool_id=tool_id)
        return tool

    def to_representation(self, value: Any) -> str:
        return value.pk if isinstance(value, Tool) else str(value)


def is_tool_id(value: str) -> bool:
    return bool(_TOOL_ID.match(value))
