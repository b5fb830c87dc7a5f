"""REST views: one thin view per resource and operation; services write, selectors read.

Every error is `{"error": {"code", "message", "details"}}` (flows.api.errors).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.http import QueryDict
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.selectors import groups_to_name
from flows.api import selectors, services
from flows.api.diffing import ir_diff
from flows.api.errors import exception_handler
from flows.api.fields import ChoiceField, IrField, JsonObjectField, ToolIdField
from flows.api.serializers import (
    IR_DESCRIPTION,
    CategoryOutput,
    CredentialOutput,
    ErrorSerializer,
    FlowOutput,
    IssueSerializer,
    JoinOutput,
    PlanRequestOutput,
    PlanWarningOutput,
    ToolOutput,
    ValidateOutput,
    VersionDetailOutput,
    VersionDiffOutput,
    VersionOutput,
)
from flows.api.throttles import PlanThrottle, ThrottlePostMixin, TokenThrottle
from flows.core.expressions import json_type_name
from flows.core.ir import ir_json_schema
from flows.models import Flow, FlowVersion, PlanRequest
from tools_registry import services as registry_services
from tools_registry.code_tools import TOOL_ID_PATTERN
from tools_registry.models import Category, Credential, Join, Tool
from tools_registry.tool_config import tool_warnings


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    described = {
        400: "The request is invalid; `message` says what and where, `details` has the fields.",
        401: "Not authenticated (send `Authorization: Token <key>` or a session cookie).",
        403: "Authenticated, but not allowed to do this.",
        404: "No such object, or not visible to you.",
        409: "Conflicts with the current state.",
        413: "The request body is larger than the server reads (`details.limit`, in bytes).",
        415: "The body is not JSON: send `Content-Type: application/json`.",
        429: "Too many requests of this kind: `Retry-After` says in how many seconds to retry.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=described[code]) for code in codes}


#: What a text query parameter may hold: anything but NUL.
NO_NUL = "^[^\\u0000]*$"


def _free_text(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema)


class JsonAutoSchema(AutoSchema):
    """Documents request bodies as JSON only. The form parsers the site also installs
    cannot carry the API's JSON objects and lists (an IR, a run input, a mapping), so
    advertising them promised requests that can only fail."""

    def map_parsers(self) -> list[Any]:
        return ["application/json"]

    def _get_parameters(self) -> list[dict[str, Any]]:
        """An optional query parameter sent empty (`?status=`) is the same as leaving it
        out, throughout the API (DRF's and django-filter's reading of a query string):
        documented as `allowEmptyValue`."""
        parameters: list[dict[str, Any]] = super()._get_parameters()
        for parameter in parameters:
            if parameter.get("in") == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
            schema = parameter.get("schema") or {}
            if parameter.get("in") == "query" and _free_text(schema):
                # A NUL character is refused (400) by every text parameter (Django's and
                # DRF's form fields): Postgres cannot compare text with one.
                schema.setdefault("pattern", NO_NUL)
        return parameters

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        """Every operation that reads a body may also answer 413 (flows.api.errors) and 415
        (a body of another content type), and every read 400 (a query parameter it does not
        read: `ApiMixin.initial`)."""
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        if "requestBody" in operation:
            for code in (413, 415):
                operation["responses"].setdefault(
                    str(code), self._get_response_for_code(errors(code)[code], str(code))
                )
        if self.method == "GET" and isinstance(self.view, ApiMixin):
            operation["responses"].setdefault(
                "400", self._get_response_for_code(errors(400)[400], "400")
            )
        return operation

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        """A request body takes no other keys, and its serializer's `schema_constraints`
        (rules across its fields that its `validate` checks, e.g. which of two fields to
        give) are in the document too."""
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        if direction == "request":
            # validated() refuses a key no field reads.
            schema["additionalProperties"] = False
            schema.update(getattr(serializer, "schema_constraints", None) or {})
        return schema

    def _get_serializer_field_meta(self, field: Any, direction: str) -> dict[str, Any]:
        """Also what a request may not leave empty: a string that may not be blank
        (minLength 1, and a non-space character: DRF trims it), a list or object that may
        not be empty (minItems, minProperties 1).
        Requests only: the same rules on an output would describe nothing."""
        meta: dict[str, Any] = super()._get_serializer_field_meta(field, direction)
        if direction != "request" or getattr(field, "read_only", False):
            return meta
        if isinstance(field, serializers.CharField) and not field.allow_blank:
            meta.setdefault("minLength", 1)
            if field.trim_whitespace and not isinstance(field, serializers.RegexField):
                meta.setdefault("pattern", r"\S")  # "  " is trimmed to "", and refused
        elif isinstance(field, serializers.ListField) and not field.allow_empty:
            meta.setdefault("minItems", 1)
        elif isinstance(field, serializers.DictField) and not field.allow_empty:
            meta.setdefault("minProperties", 1)
        return meta


class ApiMixin:
    # The project's error format even before it is set as the global handler; request
    # bodies documented as JSON. (A comment, not a docstring: drf-spectacular describes an
    # operation with the first docstring of its view's classes, and this is no description.)

    schema = JsonAutoSchema()

    def get_exception_handler(self) -> Any:
        return exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method in ("GET", "HEAD"):
            refuse_unknown_query_parameters(self, request.query_params)


#: Nested serializers of a view that read its query string (each is also in its schema).
QUERY_SERIALIZERS = ("Filter", "Params", "Query")


def query_parameters(view: Any) -> set[str]:
    """The query parameters a view reads: its filterset's, its paginator's and the fields of
    its nested `Filter`, `Params` or `Query` serializer (and `format`, which DRF reads)."""
    names = {"format"}
    if getattr(view, "pagination_class", None) is not None:
        paginator = view.pagination_class
        names |= {paginator.limit_query_param, paginator.offset_query_param}
    filterset = getattr(view, "filterset_class", None)
    if filterset is not None:
        names |= set(filterset.base_filters)
    for attr in QUERY_SERIALIZERS:
        serializer = getattr(view, attr, None)
        if serializer is not None:
            names |= set(serializer().fields)
    return names


def refuse_unknown_query_parameters(view: Any, params: QueryDict) -> None:
    """A 400 naming each query parameter the view does not read. Ignored, a misspelt filter
    (`?stauts=failed`) answered 200 with every run, as if it had filtered."""
    known = query_parameters(view)
    unknown = [name for name in params if name not in known]
    if unknown:
        takes = ", ".join(sorted(known - {"format"})) or "no query parameters"
        message = f"Unknown query parameter; this request takes {takes}."
        raise serializers.ValidationError({name[:100]: [message] for name in unknown[:20]})


class ApiView(ApiMixin, APIView):
    pass


def validated(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> Any:
    """The serializer's validated data; invalid input raises DRF's 400 (in the API's format).

    A JSON body must also give each field the JSON type the schema documents (DRF alone
    would store `"name": 0` as "0" and read `"flow": "5"` or `"approved": "yes"` as 5 and
    true), and no key that no field reads. (Query strings and form fields are text, and
    stay DRF's to convert.)"""
    serializer = serializer_class(data=data, **kwargs)
    if not isinstance(data, Mapping):
        raise serializers.ValidationError({"non_field_errors": [not_an_object_error(
            serializer.fields, data)]})
    if isinstance(data, dict) and not isinstance(data, QueryDict):
        problems = {**unknown_field_errors(serializer.fields, data),
                    **json_type_errors(serializer.fields, data)}
        if problems:
            raise serializers.ValidationError(problems)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def not_an_object_error(fields: Mapping[str, serializers.Field], data: Any) -> str:
    """What a body that is not a JSON object gets: where DRF said "Invalid data. Expected a
    dictionary, but got list.", naming neither the body nor what it should hold."""
    known = sorted(name for name, field in fields.items() if not field.read_only)
    takes = f" of this request's fields ({', '.join(known)})" if known else ""
    return f"The request body must be a JSON object{takes}, not {_json_type_name(data)}."


def unknown_field_errors(fields: Mapping[str, serializers.Field], data: Mapping[str, Any]
                         ) -> dict[str, list[str]]:
    """{name: [message]} for each key of a JSON body that no field reads. Ignored, a typo
    was a silent no-op: PATCH {"shared_with_group": []} answered 200 and left the flow
    shared."""
    known = sorted(name for name, field in fields.items() if not field.read_only)
    unknown = [key for key in data if key not in known]
    message = f"Unknown field; this request takes {', '.join(known)}."
    return {key[:100]: [message] for key in unknown[:20]}


def json_type_errors(fields: Mapping[str, serializers.Field], data: Mapping[str, Any]
                     ) -> dict[str, list[str]]:
    """{field: [message]} for each writable field whose JSON value has the wrong type."""
    problems = {}
    for name, field in fields.items():
        if field.read_only or name not in data:
            continue
        message = _json_type_error(field, data[name])
        if message is not None:
            problems[name] = [message]
    return problems


def _json_type_error(field: serializers.Field, value: Any) -> str | None:
    if value is None:
        return None  # allow_null is the field's to check
    if isinstance(field, serializers.ManyRelatedField | serializers.ListField):
        if not isinstance(value, list):
            # DRF's ManyRelatedField iterates any iterable: {"sales": 1} named group "sales"
            # and {} emptied the list.
            return f"Must be a list, not {_json_type_name(value)}."
        child = getattr(field, "child", None) or getattr(field, "child_relation", None)
        for index, item in enumerate(value):
            message = _json_type_error(child, item) if child is not None else None
            if message is not None:
                return f"Item {index}: {message}"
        return None
    expected = None
    for cls in type(field).__mro__:
        if cls in _JSON_TYPES:
            expected = _JSON_TYPES[cls]
            break
    if expected is None:
        return None
    types, what = expected
    if isinstance(value, types) and not (isinstance(value, bool) and bool not in types):
        return None
    return f"Must be {what}, not {_json_type_name(value)}."


_JSON_TYPES: dict[type, tuple[tuple[type, ...], str]] = {
    serializers.BooleanField: ((bool,), "true or false"),
    serializers.IntegerField: ((int,), "an integer"),
    serializers.FloatField: ((int, float), "a number"),
    serializers.CharField: ((str,), "a string"),  # RegexField, too
    serializers.SlugRelatedField: ((str,), "a string"),
    serializers.ChoiceField: ((str,), "a string"),
    serializers.UUIDField: ((str,), "a string"),
    serializers.DateTimeField: ((str,), "a string"),
}


#: How an error message names a JSON value's type (`json_type_name`'s names).
_JSON_TYPE_NOUNS = {
    "boolean": "a boolean",
    "integer": "a number",
    "number": "a number",
    "string": "a string",
    "array": "a list",
    "object": "an object",
}


def _json_type_name(value: Any) -> str:
    name = json_type_name(value)
    return _JSON_TYPE_NOUNS.get(name, name)


# --- tools and categories ------------------------------------------------------------------


class _TrueOrFalseField(forms.NullBooleanField):
    """true, false (or 1, 0, True, False); anything else is an error, where Django's field
    (through its select widget) reads `?enabled=banana` as no filter at all."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        raise forms.ValidationError("Must be true or false.", code="invalid")

    def validate(self, value: Any) -> None:
        pass


class TrueOrFalseFilter(django_filters.BooleanFilter):
    field_class = _TrueOrFalseField


class ToolFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__slug", help_text="Category slug.")
    kind = django_filters.ChoiceFilter(choices=Tool.Kind.choices)
    source = django_filters.ChoiceFilter(choices=Tool.Source.choices)
    enabled = TrueOrFalseFilter()
    search = django_filters.CharFilter(
        method="filter_search", help_text="Words found in the id, name or description."
    )

    class Meta:
        model = Tool
        fields = ["category", "kind", "source", "enabled", "search"]

    def filter_search(self, queryset: QuerySet[Tool], name: str, value: str) -> QuerySet[Tool]:
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(id__icontains=word) | Q(name__icontains=word) | Q(description__icontains=word)
            )
        return queryset


class ToolChangeInput(serializers.Serializer):
    """What an admin writes of a tool (the admin's form, over the API)."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000,
                                        help_text="What the tool does, for planners and people.")
    kind = ChoiceField(choices=registry_services.WRITABLE_KIND_CHOICES)
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True,
        help_text="A category slug (GET /categories/).",
    )
    enabled = serializers.BooleanField(required=False)
    access = ChoiceField(choices=Tool.Access.choices, required=False)
    access_groups = serializers.SlugRelatedField(
        slug_field="name", queryset=Group.objects.all(), many=True, required=False,
        help_text="With access `groups`: the groups whose members may use it, by name.",
    )
    input_schema = JsonObjectField(
        required=False, help_text="A JSON Schema object; its properties are the tool's inputs."
    )
    output_schema = JsonObjectField(
        required=False, help_text="A JSON Schema of what the tool returns."
    )
    config = JsonObjectField(
        required=False, help_text="Per kind (docs/api.md, 'Configuring tools'), e.g. an HTTP "
        "tool's method, url, headers, body and response.",
    )


class ToolCreateInput(ToolChangeInput):
    id = serializers.RegexField(
        TOOL_ID_PATTERN, max_length=128, help_text="The id flows use to call the tool.",
        error_messages={"invalid": "Use letters, digits, '_', '.' and '-', starting with a "
                                   "letter or '_' (at most 128)."},
    )


class ToolWrittenOutput(ToolOutput):
    """A tool as its writer sees it: with its config and what runs would refuse."""

    config = serializers.DictField(help_text="The kind's settings, as written.")
    warnings = serializers.SerializerMethodField()

    class Meta(ToolOutput.Meta):
        fields = [*ToolOutput.Meta.fields, "config", "warnings"]

    def get_warnings(self, obj: Tool) -> list[str]:
        return tool_warnings(obj)


class ToolListApi(ApiMixin, generics.ListAPIView):
    serializer_class = ToolOutput
    filterset_class = ToolFilter

    def get_queryset(self) -> QuerySet[Tool]:
        return selectors.tool_list()

    @extend_schema(tags=["tools"], responses={200: ToolOutput(many=True), **errors(400, 401)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The registered tools, filterable by category, kind, source and enabled, and
        searchable."""
        return super().get(request, *args, **kwargs)


    @extend_schema(tags=["tools"], request=ToolCreateInput,
                   responses={201: ToolWrittenOutput, **errors(400, 401, 403)})
    def post(self, request: Request) -> Response:
        """Register an HTTP, LLM or approval tool (checked as the admin checks it: schemas,
        config, templates); `warnings` says what runs would refuse, as the admin does."""
        selectors.require_perm(request.user, "tools_registry.add_tool", "add tools")
        tool = registry_services.tool_create(**validated(ToolCreateInput, request.data))
        return Response(ToolWrittenOutput(tool).data, status=status.HTTP_201_CREATED)


class ToolDetailApi(ApiView):
    @extend_schema(tags=["tools"], responses={200: ToolOutput, **errors(401, 404)})
    def get(self, request: Request, tool_id: str) -> Response:
        """One tool, with its input and output JSON Schemas."""
        return Response(ToolOutput(selectors.tool_get(tool_id=tool_id)).data)

    @extend_schema(tags=["tools"], request=ToolChangeInput(partial=True),
                   responses={200: ToolWrittenOutput, **errors(400, 401, 403, 404)})
    def patch(self, request: Request, tool_id: str) -> Response:
        """Change a tool (a code or MCP tool: only `enabled`, `access`, `access_groups`);
        a new schema or config bumps its `version`."""
        tool = selectors.tool_get(tool_id=tool_id)
        selectors.require_perm(request.user, "tools_registry.change_tool", "change tools")
        data = validated(ToolChangeInput, request.data, partial=True)
        tool = registry_services.tool_update(tool, **data)
        return Response(ToolWrittenOutput(tool).data)

    @extend_schema(tags=["tools"], responses={204: None, **errors(400, 401, 403, 404)})
    def delete(self, request: Request, tool_id: str) -> Response:
        """Delete an admin or MCP tool, with its joins (a code tool is disabled instead)."""
        tool = selectors.tool_get(tool_id=tool_id)
        selectors.require_perm(request.user, "tools_registry.delete_tool", "delete tools")
        registry_services.tool_delete(tool)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["tools"], responses={200: CategoryOutput(many=True), **errors(400, 401)})
class CategoryListApi(ApiMixin, generics.ListAPIView):
    """Tool categories."""

    serializer_class = CategoryOutput
    queryset = Category.objects.order_by("slug")


class GroupOutput(serializers.Serializer):
    name = serializers.CharField(help_text="The group's name, as approvals name it.")


@extend_schema(tags=["approvals"], responses={200: GroupOutput(many=True), **errors(400, 401)})
class GroupListApi(ApiMixin, generics.ListAPIView):
    """The groups you may name as who decides an approval, by name (not who is in them):
    staff see every group; anyone else the groups they are in and those the registry's
    approval tools (that they may use) name."""

    serializer_class = GroupOutput

    def get_queryset(self) -> QuerySet[Group]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema's generation
            return Group.objects.none()
        return groups_to_name(self.request.user)


# --- joins -----------------------------------------------------------------------------------


class JoinFilter(django_filters.FilterSet):
    from_tool = django_filters.CharFilter(field_name="from_tool_id")
    to_tool = django_filters.CharFilter(field_name="to_tool_id")
    enabled = TrueOrFalseFilter()

    class Meta:
        model = Join
        fields = ["from_tool", "to_tool", "enabled"]


class JoinInput(serializers.Serializer):
    from_tool = ToolIdField(help_text="Id of the tool whose output feeds.")
    to_tool = ToolIdField(help_text="Id of the tool whose input is fed.")
    mapping = JsonObjectField(
        child=serializers.CharField(max_length=4000), allow_empty=False,
        help_text='Target input field -> CEL over `source`, e.g. {"email": "source.email"}.',
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    enabled = serializers.BooleanField(required=False)


class JoinListCreateApi(ApiMixin, generics.ListAPIView):
    """Registry joins: how one tool's output feeds another's input when wired without inputs."""

    serializer_class = JoinOutput
    filterset_class = JoinFilter

    def get_queryset(self) -> QuerySet[Join]:
        return selectors.join_list()

    @extend_schema(tags=["joins"], responses={200: JoinOutput(many=True), **errors(400, 401)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["joins"], request=JoinInput,
                   responses={201: JoinOutput, **errors(400, 401, 403)})
    def post(self, request: Request) -> Response:
        """Create a join; every mapping expression is compiled and checked against the tools."""
        selectors.require_perm(request.user, "tools_registry.add_join", "create joins")
        data = validated(JoinInput, request.data)
        join = registry_services.join_create(**data)
        return Response(JoinOutput(join).data, status=status.HTTP_201_CREATED)


class JoinDetailApi(ApiView):
    @extend_schema(tags=["joins"], responses={200: JoinOutput, **errors(401, 404)})
    def get(self, request: Request, join_id: int) -> Response:
        """One join: the two tools and its mapping."""
        return Response(JoinOutput(selectors.join_get(join_id=join_id)).data)

    @extend_schema(tags=["joins"], request=JoinInput(partial=True),
                   responses={200: JoinOutput, **errors(400, 401, 403, 404)})
    def patch(self, request: Request, join_id: int) -> Response:
        """Change a join; the result is checked again before it is saved."""
        join = selectors.join_get(join_id=join_id)
        selectors.require_perm(request.user, "tools_registry.change_join", "change joins")
        data = validated(JoinInput, request.data, partial=True)
        join = registry_services.join_update(join, **data)
        return Response(JoinOutput(join).data)

    @extend_schema(tags=["joins"], responses={204: None, **errors(401, 403, 404)})
    def delete(self, request: Request, join_id: int) -> Response:
        """Delete a join."""
        join = selectors.join_get(join_id=join_id)
        selectors.require_perm(request.user, "tools_registry.delete_join", "delete joins")
        registry_services.join_delete(join)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- credentials ---------------------------------------------------------------------------


class CredentialInput(serializers.Serializer):
    name = serializers.RegexField(
        r"^[A-Za-z_][A-Za-z0-9_]{0,63}$", max_length=64,
        help_text="Used in HTTP tool headers as {{ credentials.NAME }}.",
        error_messages={"invalid": "Use letters, digits and '_', starting with a letter or '_' "
                                   "(at most 64): it is written {{ credentials.NAME }}."},
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    secret = serializers.CharField(write_only=True, trim_whitespace=False, max_length=16000,
                                   help_text="Stored encrypted; never returned.")
    allowed_hosts = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, max_length=100,
        help_text="Hosts the secret may be sent to (api.example.com, *.example.com, optional "
                  ":port); a request anywhere else fails. Empty: sent nowhere.",
    )


class CredentialListCreateApi(ApiMixin, generics.ListAPIView):
    """Credentials (names and metadata only: secrets are write-only)."""

    serializer_class = CredentialOutput

    def get_queryset(self) -> QuerySet[Credential]:
        if getattr(self, "swagger_fake_view", False):
            return Credential.objects.none()
        selectors.require_perm(self.request.user, "tools_registry.view_credential",
                               "see credentials")
        return selectors.credential_list()

    @extend_schema(tags=["credentials"],
                   responses={200: CredentialOutput(many=True), **errors(400, 401, 403)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["credentials"], request=CredentialInput,
                   responses={201: CredentialOutput, **errors(400, 401, 403)})
    def post(self, request: Request) -> Response:
        selectors.require_perm(request.user, "tools_registry.add_credential", "add credentials")
        data = validated(CredentialInput, request.data)
        credential = registry_services.credential_create(**data)
        return Response(CredentialOutput(credential).data, status=status.HTTP_201_CREATED)


class CredentialDetailApi(ApiView):
    @extend_schema(tags=["credentials"], responses={200: CredentialOutput, **errors(401, 403, 404)})
    def get(self, request: Request, credential_id: int) -> Response:
        """One credential's name and metadata (never its secret)."""
        selectors.require_perm(request.user, "tools_registry.view_credential", "see credentials")
        return Response(CredentialOutput(
            selectors.credential_get(credential_id=credential_id)).data)

    @extend_schema(tags=["credentials"], request=CredentialInput(partial=True),
                   responses={200: CredentialOutput, **errors(400, 401, 403, 404)})
    def patch(self, request: Request, credential_id: int) -> Response:
        """Rename, describe, or replace the secret."""
        selectors.require_perm(request.user, "tools_registry.change_credential",
                               "change credentials")
        credential = selectors.credential_get(credential_id=credential_id)
        data = validated(CredentialInput, request.data, partial=True)
        credential = registry_services.credential_update(credential, **data)
        return Response(CredentialOutput(credential).data)

    @extend_schema(tags=["credentials"], responses={204: None, **errors(401, 403, 404)})
    def delete(self, request: Request, credential_id: int) -> Response:
        """Delete a credential."""
        selectors.require_perm(request.user, "tools_registry.delete_credential",
                               "delete credentials")
        selectors.credential_get(credential_id=credential_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- flows ---------------------------------------------------------------------------------


class FlowFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(field_name="owner__username", help_text="Owner username.")
    search = django_filters.CharFilter(method="filter_search",
                                       help_text="Words in the name or description.")

    class Meta:
        model = Flow
        fields = ["owner", "search"]

    def filter_search(self, queryset: QuerySet[Flow], name: str, value: str) -> QuerySet[Flow]:
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
        return queryset


class MemberGroupField(serializers.SlugRelatedField):
    """A group the requesting user belongs to (any group for staff): a group one is not
    in and a group that does not exist are refused with the same message."""

    default_error_messages = {
        "does_not_exist": "You are not a member of a group named {value}.",
        "invalid": "Invalid value.",
    }

    def get_queryset(self) -> Any:
        user = self.context.get("user")
        if user is not None and user.is_staff:
            return Group.objects.all()
        if user is None or not user.is_authenticated:
            return Group.objects.none()
        return user.groups.all()


class FlowInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    shared_with_groups = MemberGroupField(
        # `queryset` tells the schema the model; get_queryset narrows it per request.
        queryset=Group.objects.all(), slug_field="name", many=True, required=False,
        help_text="Names of groups (that you belong to) whose members may read the flow.",
    )


class FlowCreateInput(FlowInput):
    ir = IrField(
        required=False, help_text="Optional first version. " + IR_DESCRIPTION
    )


class FlowListCreateApi(ApiMixin, generics.ListAPIView):
    """Flows you own, flows shared with your groups (and, for staff, every flow)."""

    serializer_class = FlowOutput
    filterset_class = FlowFilter

    def get_queryset(self) -> QuerySet[Flow]:
        if getattr(self, "swagger_fake_view", False):
            return Flow.objects.none()
        return selectors.flow_list(user=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "user": self.request.user}

    @extend_schema(tags=["flows"], responses={200: FlowOutput(many=True), **errors(400, 401)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["flows"], request=FlowCreateInput,
                   responses={201: FlowOutput, **errors(400, 401)})
    def post(self, request: Request) -> Response:
        """Create a flow owned by you; with `ir`, its version 1 (validated) as well. Without
        a description, the flow takes its IR's."""
        data = validated(FlowCreateInput, request.data, context={"user": request.user})
        flow = services.flow_create(
            owner=request.user,
            name=data["name"],
            description=data.get("description"),
            shared_with_groups=data.get("shared_with_groups", []),
            ir=data.get("ir"),
        )
        return Response(FlowOutput(flow, context={"user": request.user}).data,
                        status=status.HTTP_201_CREATED)


class FlowDetailApi(ApiView):
    @extend_schema(tags=["flows"], responses={200: FlowOutput, **errors(401, 404)})
    def get(self, request: Request, flow_id: int) -> Response:
        """A flow you own or that is shared with your groups (staff: any flow)."""
        flow = selectors.flow_get(user=request.user, flow_id=flow_id)
        return Response(FlowOutput(flow, context={"user": request.user}).data)

    @extend_schema(tags=["flows"], request=FlowInput(partial=True),
                   responses={200: FlowOutput, **errors(400, 401, 403, 404)})
    def patch(self, request: Request, flow_id: int) -> Response:
        """Rename, describe or share a flow (owner or staff). The IR changes by new versions."""
        flow = selectors.flow_get_for_edit(user=request.user, flow_id=flow_id)
        if isinstance(request.data, Mapping) and "ir" in request.data:
            # The one field a newcomer sends here that belongs elsewhere: say where.
            raise serializers.ValidationError({"ir": [
                "A flow's IR changes by a new version: POST {\"ir\": ...} to "
                f"/api/v1/flows/{flow.pk}/versions/ (this request takes description, name, "
                "shared_with_groups)."
            ]})
        data = validated(
            FlowInput, request.data, partial=True, context={"user": request.user}
        )
        flow = services.flow_update(flow=flow, **data)
        return Response(FlowOutput(flow, context={"user": request.user}).data)

    @extend_schema(tags=["flows"], responses={204: None, **errors(401, 403, 404, 409)})
    def delete(self, request: Request, flow_id: int) -> Response:
        """Delete a flow and its versions (owner or staff); refused while it has runs."""
        flow = selectors.flow_get_for_edit(user=request.user, flow_id=flow_id)
        services.flow_delete(flow=flow)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- flow versions -------------------------------------------------------------------------


class VersionInput(serializers.Serializer):
    ir = IrField(help_text=IR_DESCRIPTION)
    parent = serializers.IntegerField(
        required=False, min_value=1, help_text="Number of the version this one edits "
                                               "(default: the latest)."
    )
    source = ChoiceField(choices=services.CLIENT_SOURCES, required=False,
                                     default=FlowVersion.Source.API)


class FlowVersionListCreateApi(ApiMixin, generics.ListAPIView):
    serializer_class = VersionOutput

    def get_queryset(self) -> QuerySet[FlowVersion]:
        if getattr(self, "swagger_fake_view", False):
            return FlowVersion.objects.none()
        flow = selectors.flow_get(user=self.request.user, flow_id=self.kwargs["flow_id"])
        return selectors.flow_version_list(flow=flow)

    @extend_schema(tags=["flows"],
                   responses={200: VersionOutput(many=True), **errors(400, 401, 404)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The versions of a flow, newest first (without their IR; see the detail)."""
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["flows"], request=VersionInput,
                   responses={201: VersionDetailOutput, **errors(400, 401, 403, 404)})
    def post(self, request: Request, flow_id: int) -> Response:
        """Save a new version. It is validated against the tool registry and stored with the
        result (`is_valid`, `validation_errors`); an IR that does not match the IR JSON
        Schema at all is refused with 400 `invalid_ir`."""
        flow = selectors.flow_get_for_edit(user=request.user, flow_id=flow_id)
        data = validated(VersionInput, request.data)
        version = services.flow_version_create(
            flow=flow, author=request.user, ir=data["ir"], parent_number=data.get("parent"),
            source=data["source"],
        )
        return Response(VersionDetailOutput(version).data, status=status.HTTP_201_CREATED)


class FlowVersionDetailApi(ApiView):
    @extend_schema(tags=["flows"], responses={200: VersionDetailOutput, **errors(401, 404)})
    def get(self, request: Request, flow_id: int, number: int) -> Response:
        """One version of a flow, with its IR."""
        flow = selectors.flow_get(user=request.user, flow_id=flow_id)
        version = selectors.flow_version_get(flow=flow, number=number)
        return Response(VersionDetailOutput(version).data)


class FlowVersionDiffApi(ApiView):
    class Query(serializers.Serializer):
        other = serializers.IntegerField(
            min_value=1, max_value=2_147_483_647,
            help_text="The number of the version to compare with.",
        )

    @extend_schema(tags=["flows"], parameters=[Query],
                   responses={200: VersionDiffOutput, **errors(400, 401, 404)})
    def get(self, request: Request, flow_id: int, number: int) -> Response:
        """What changed from version `number` to version `other`: nodes, edges, flow fields."""
        flow = selectors.flow_get(user=request.user, flow_id=flow_id)
        query = validated(self.Query, request.query_params)
        before = selectors.flow_version_get(flow=flow, number=number)
        after = selectors.flow_version_get(flow=flow, number=query["other"])
        diff = ir_diff(before.ir, after.ir)
        return Response({"flow": flow.pk, "from_number": before.number,
                         "to_number": after.number, **diff})


# --- validation and planning ---------------------------------------------------------------


class AuthTokenApi(ApiView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes = [TokenThrottle]

    class TokenInput(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=4096, trim_whitespace=False,
                                         style={"input_type": "password"})

    class TokenOutput(serializers.Serializer):
        token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")

    @extend_schema(tags=["auth"], auth=[], request=TokenInput,
                   responses={200: TokenOutput, **errors(400, 429)})
    def post(self, request: Request) -> Response:
        """Your API token for your username and password: the same key each time, until an
        admin deletes it (*Auth Token → Tokens*). A wrong username or password is a 400
        `invalid_credentials` that does not say which; guesses are throttled per address."""
        data = validated(self.TokenInput, request.data)
        key = services.auth_token_issue(
            request=request._request, username=data["username"], password=data["password"]
        )
        return Response({"token": key})


class ValidateApi(ApiView):
    class Input(serializers.Serializer):
        ir = JsonObjectField(help_text=IR_DESCRIPTION)

    @extend_schema(tags=["planning"], request=Input,
                   responses={200: ValidateOutput, **errors(400, 401)})
    def post(self, request: Request) -> Response:
        """Type-check an IR against the tool registry; every issue names node, field and fix."""
        data = validated(self.Input, request.data)
        issues = services.ir_validate(ir=data["ir"], user=request.user)
        warnings = services.ir_warnings(ir=data["ir"], user=request.user)
        return Response({
            "valid": not issues,
            "errors": IssueSerializer([i.to_json() for i in issues], many=True).data,
            "warnings": IssueSerializer([w.to_json() for w in warnings], many=True).data,
        })


class IrSchemaApi(ApiView):
    @extend_schema(tags=["planning"], responses={200: OpenApiTypes.OBJECT, **errors(401)})
    def get(self, request: Request) -> Response:
        """The JSON Schema of the IR."""
        return Response(ir_json_schema())


class PlanInput(serializers.Serializer):
    prompt = serializers.CharField(max_length=10000, help_text="What the workflow should do; "
                                   "for an existing flow, the change to make.")
    tools = serializers.ListField(child=serializers.CharField(max_length=128), required=False,
                                  max_length=500, help_text="Restrict the planner to these tools.")
    planner = ChoiceField(choices=["offline", "openai"], required=False,
                                      help_text="Default: openai when configured, else offline.")
    flow = serializers.IntegerField(
        required=False, min_value=1, max_value=2_147_483_647,
        help_text="A flow you may edit: the plan refines its latest version and is saved as "
                  "its next version. Without it a successful plan creates a new flow.",
    )
    background = serializers.BooleanField(
        required=False, default=False,
        help_text="Plan on a worker: answer 202 with the pending request at once; its events "
                  "stream over the websocket /ws/plans/<id>/?after=<seq>.",
    )


class PlanListCreateApi(ThrottlePostMixin, ApiMixin, generics.ListAPIView):
    post_throttles = (PlanThrottle,)
    serializer_class = PlanRequestOutput

    def get_queryset(self) -> QuerySet[PlanRequest]:
        if getattr(self, "swagger_fake_view", False):
            return PlanRequest.objects.none()
        return selectors.plan_request_list(user=self.request.user)

    @extend_schema(tags=["planning"],
                   responses={200: PlanRequestOutput(many=True), **errors(400, 401)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Your plan requests, newest first."""
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["planning"], request=PlanInput,
                   responses={201: PlanRequestOutput, 202: PlanRequestOutput,
                              **errors(400, 401, 403, 404, 429)})
    def post(self, request: Request) -> Response:
        """Plan a workflow from a prompt. The request is recorded and planned at once; the
        answer (201) has its status (succeeded or failed), events, attempts, tokens and
        latency, and — when it succeeded — the flow and version it produced. With
        `background: true` a worker plans it: the answer is 202 with the pending request,
        and the events stream over /ws/plans/<id>/ (GET the request for its outcome)."""
        data = validated(PlanInput, request.data)
        plan_request = services.plan_submit(
            user=request.user, prompt=data["prompt"], tool_ids=data.get("tools"),
            planner=data.get("planner"), flow_id=data.get("flow"),
            background=data["background"],
        )
        code = status.HTTP_202_ACCEPTED if data["background"] else status.HTTP_201_CREATED
        return Response(PlanRequestOutput(plan_request).data, status=code)


RefineOutput = inline_serializer(
    name="RefineOutput",
    fields={
        "id": serializers.UUIDField(help_text="The plan request that records this refine."),
        "status": ChoiceField(choices=["succeeded", "failed"]),
        "operations": serializers.ListField(child=serializers.DictField(),
                                            help_text="The edit operations, in order."),
        "ir": IrField(allow_null=True, help_text="The refined IR (not saved)."),
        "diff": serializers.DictField(
            allow_null=True,
            help_text="From the given IR to the refined one, shaped as the version diff."),
        "error": serializers.CharField(allow_blank=True),
        "events": serializers.ListField(child=serializers.DictField()),
        "warnings": PlanWarningOutput(many=True),
    },
)


class RefineInput(serializers.Serializer):
    ir = IrField(help_text=IR_DESCRIPTION)
    instruction = serializers.CharField(max_length=10000, help_text="The change to make, "
                                        "e.g. 'also email the manager when it fails'.")
    planner = ChoiceField(choices=["offline", "openai"], required=False)
    tools = serializers.ListField(child=serializers.CharField(max_length=128),
                                  required=False, max_length=500)


class RefineApi(ThrottlePostMixin, ApiView):
    post_throttles = (PlanThrottle,)
    @extend_schema(tags=["planning"], request=RefineInput,
                   responses={200: RefineOutput, **errors(400, 401, 429)})
    def post(self, request: Request) -> Response:
        """Refine an IR by instruction: the edit operations, the refined IR and its diff,
        for the editor to preview. Nothing is saved; accepting it is a new version."""
        data = validated(RefineInput, request.data)
        return Response(services.ir_refine(
            user=request.user, ir=data["ir"], instruction=data["instruction"],
            planner=data.get("planner"), tool_ids=data.get("tools"),
        ))


class PlanDetailApi(ApiView):
    @extend_schema(tags=["planning"], responses={200: PlanRequestOutput, **errors(401, 404)})
    def get(self, request: Request, plan_id: str) -> Response:
        """A plan request: its status and events."""
        plan_request = selectors.plan_request_get(user=request.user, plan_id=plan_id)
        return Response(PlanRequestOutput(plan_request).data)

