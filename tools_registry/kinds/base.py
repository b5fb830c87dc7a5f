"""The part every database-configured tool shares: inputs and outputs checked by JSON Schema."""

from __future__ import annotations

from typing import Any

import jsonschema

from flows.core.json_schemas import Unresolvable, errors_by_path, schema_validator
from flows.core.tools import ToolContext, ToolError, ToolSpec


class ConfiguredTool:
    """A tool built from a `Tool` row. Subclasses implement `call`.

    Inputs are checked against the input schema before anything is sent anywhere, and the
    result against the output schema (when it declares anything), so a misconfigured tool
    fails with a clear `invalid_output` instead of feeding bad data downstream.
    """

    def __init__(self, spec: ToolSpec) -> None:
        self.spec = spec
        # References resolve within each schema only: an MCP server's or an admin's `$ref`
        # to a URL is never fetched (the call fails with `invalid_schema` instead).
        self._inputs = schema_validator(spec.input_schema)
        self._outputs = schema_validator(spec.output_schema) if spec.output_schema else None

    async def invoke(self, inputs: dict[str, Any], context: ToolContext) -> Any:
        problems = self._schema_errors(self._inputs, inputs, "input")
        if problems:
            summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
            raise ToolError(
                f"invalid input for tool {self.spec.id!r}: {summary}",
                code="invalid_input",
                details=problems,
            )
        output = await self.call(inputs, context)
        if self._outputs is not None:
            problems = self._schema_errors(self._outputs, output, "output")
            if problems:
                summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
                raise ToolError(
                    f"tool {self.spec.id!r} returned output that does not fit its output "
                    f"schema: {summary}",
                    code="invalid_output",
                    details=problems,
                )
        return output

    async def call(self, inputs: dict[str, Any], context: ToolContext) -> Any:
        raise NotImplementedError

    def template_inputs(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """`inputs` as a config's templates read them: an optional input the flow left out
        is its schema's default, else null, so `{{ input.labels }}` in a body is left out
        of the request instead of failing the step; a name the schema does not declare
        still fails (a typo in the template)."""
        properties = self.spec.input_schema.get("properties")
        if not isinstance(properties, dict):
            return inputs
        absent = {
            name: schema.get("default") if isinstance(schema, dict) else None
            for name, schema in properties.items()
            if name not in inputs
        }
        return {**absent, **inputs}

    def _schema_errors(self, validator: Any, value: Any, which: str) -> list[dict[str, str]]:
        try:
            return schema_errors(validator, value)
        except Unresolvable as exc:
            raise ToolError(
                f"tool {self.spec.id!r} has an {which} schema with a reference that does not "
                f"resolve inside it ({exc}); nothing was sent. An admin must fix the schema.",
                code="invalid_schema",
                details={"schema": which},
            ) from None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec.id!r})"


def schema_errors(validator: jsonschema.protocols.Validator, value: Any) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in error.path) or "(value)", "message": error.message}
        for error in errors_by_path(validator, value)
    ]

