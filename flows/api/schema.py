"""The IR in the OpenAPI document: a field declared `extend_schema_field(Flow)` (the IR's
pydantic model) is described by the model's own JSON Schema, not as a free-form object: the
document `IrFlow` and each of its parts (`IrToolNode`, `IrBranchNode`, `IrJoin`, ...) a
component of its own, the nodes told apart by their `type`.

drf-spectacular's pydantic extension would name the components after the models alone
("Flow", "Position", "Join"), names the API's own serializers may take (a component named
twice keeps the first), and keep JSON Schema's 2020-12 forms the OpenAPI 3.0 document does
not read (`const`, a `{"type": "null"}` choice, a numeric `exclusiveMinimum`): this one,
matched first, prefixes them and writes them as OpenAPI 3.0.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent

from flows.core.ir import Flow, ir_json_schema

#: The prefix of the IR's components (`IrFlow`, `IrToolNode`).
PREFIX = "Ir"
REF = "#/components/schemas/"


def ir_openapi_components() -> dict[str, dict[str, Any]]:
    """The IR's JSON Schema as OpenAPI 3.0 components, the document's under `IrFlow`."""
    schema = ir_json_schema()
    for key in ("$id", "$schema"):
        schema.pop(key, None)
    defs = schema.pop("$defs", {})
    components = {PREFIX + name: part for name, part in defs.items()}
    components[PREFIX + "Flow"] = schema
    return {name: _openapi_30(_rerooted(part)) for name, part in components.items()}


def _rerooted(value: Any) -> Any:
    """`value` with its `#/$defs/X` references pointing at the `IrX` components."""
    if isinstance(value, dict):
        out = {key: _rerooted(item) for key, item in value.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = REF + PREFIX + ref.removeprefix("#/$defs/")
        if "propertyName" in out and isinstance(out.get("mapping"), dict):  # a discriminator
            out["mapping"] = {
                key: REF + PREFIX + target.removeprefix("#/$defs/")
                for key, target in out["mapping"].items()
            }
        return out
    if isinstance(value, list):
        return [_rerooted(item) for item in value]
    return value


def _openapi_30(value: Any) -> Any:
    """A JSON Schema 2020-12 schema in OpenAPI 3.0's dialect: a choice of X or null is X
    `nullable`, `const` a one-value `enum`, a numeric `exclusiveMinimum` a `minimum` that
    excludes itself."""
    if isinstance(value, list):
        return [_openapi_30(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: _openapi_30(item) for key, item in value.items()}
    choices = out.get("anyOf")
    if isinstance(choices, list) and {"type": "null"} in choices:
        rest = [choice for choice in choices if choice != {"type": "null"}]
        del out["anyOf"]
        if len(rest) == 1:
            only = rest[0]
            # a reference takes no siblings in 3.0: it is wrapped to be nullable
            out.update({"allOf": [only]} if "$ref" in only else only)
        else:
            out["anyOf"] = rest
        out["nullable"] = True
    if "const" in out:
        out["enum"] = [out.pop("const")]
    for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), int | float) and not isinstance(out[bound], bool):
            out[plain] = out[bound]
            out[bound] = True
    return out


class IrSchemaExtension(OpenApiSerializerExtension):
    """`extend_schema_field(Flow)`: the IR document's component and its parts'."""

    target_class = Flow
    # before drf-spectacular's generic pydantic extension, which matches every model
    priority = 1

    def get_name(self, auto_schema: Any, direction: Any) -> str:
        return PREFIX + "Flow"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        components = ir_openapi_components()
        document = components.pop(PREFIX + "Flow")
        for name, part in components.items():
            auto_schema.registry.register_on_missing(
                ResolvedComponent(
                    name=name, type=ResolvedComponent.SCHEMA, object=name, schema=part
                )
            )
        return document
