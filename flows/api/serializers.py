"""Output serializers shared by the API views (inputs live with the view that reads them)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from pydantic import ValidationError
from rest_framework import serializers

from flows.api.fields import IrField
from flows.models import Flow, FlowVersion, PlanRequest
from tools_registry.models import Category, Credential, Join, Tool
from tools_registry.tool_config import RuntimeOptions, parse_config

IR_DESCRIPTION = (
    "A DynamicFlow IR document (JSON object); its JSON Schema is served at /api/v1/ir/schema/."
)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable reason.")
    message = serializers.CharField(help_text="What went wrong and where, for people.")
    details = serializers.JSONField(
        help_text='More about it: for invalid fields {"fields": {name: [messages]}}.'
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class IssueSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    node = serializers.CharField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    hint = serializers.CharField(allow_null=True)


class CategoryOutput(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name", "description"]


class ToolOptionsSerializer(serializers.Serializer):
    timeout_s = serializers.FloatField()
    retries = serializers.IntegerField()
    requires_approval = serializers.BooleanField()
    cacheable = serializers.BooleanField()
    concurrency = serializers.IntegerField(allow_null=True)


class ToolOutput(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    mcp_server = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    input_schema = serializers.DictField(help_text="JSON Schema of the inputs.")
    output_schema = serializers.DictField(help_text="JSON Schema of the output.")
    options = serializers.SerializerMethodField()

    class Meta:
        model = Tool
        fields = [
            "id", "name", "description", "kind", "source", "category", "enabled", "access",
            "version", "input_schema", "output_schema", "options", "mcp_server", "created_at",
            "updated_at",
        ]

    @extend_schema_field(ToolOptionsSerializer(allow_null=True))
    def get_options(self, obj: Tool) -> dict[str, Any] | None:
        try:
            config = parse_config(obj.kind, obj.config)
        except (ValidationError, KeyError):
            return None
        if not isinstance(config, RuntimeOptions):
            return None
        return {
            "timeout_s": config.timeout_s,
            "retries": config.retries,
            "requires_approval": config.requires_approval,
            "cacheable": config.cacheable,
            "concurrency": config.concurrency,
        }


class JoinOutput(serializers.ModelSerializer):
    from_tool = serializers.CharField(source="from_tool_id")
    to_tool = serializers.CharField(source="to_tool_id")
    mapping = serializers.DictField(child=serializers.CharField())

    class Meta:
        model = Join
        fields = ["id", "from_tool", "to_tool", "mapping", "description", "enabled",
                  "created_at", "updated_at"]


class CredentialOutput(serializers.ModelSerializer):
    allowed_hosts = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Credential
        fields = ["id", "name", "description", "allowed_hosts", "key_id", "created_at",
                  "updated_at"]


@extend_schema_field({"type": "string", "enum": list(FlowVersion.Source.values)},
                     component_name="VersionSourceEnum")
class VersionSourceField(serializers.ChoiceField):
    """Where a version came from. Named, because the tools' `source` and the version input's
    have other choices: left to drf-spectacular the name would be a hash (`Source995Enum`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=FlowVersion.Source.choices, read_only=True, **kwargs)


class VersionSummary(serializers.ModelSerializer):
    source = VersionSourceField()
    warning_count = serializers.SerializerMethodField()

    class Meta:
        model = FlowVersion
        fields = ["number", "is_valid", "warning_count", "source", "created_at"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_warning_count(self, obj: FlowVersion) -> int:
        """How many warnings it has (`validation_warnings` of the version, counted again
        when a group, account or approval tool it names changes): it runs, but may not
        finish as meant."""
        return len(obj.validation_warnings or [])


class LastRunSummary(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    approval_rejected = serializers.BooleanField(
        help_text="An approval of the run was rejected: a completed run did not go through"
        " as planned."
    )


class FlowOutput(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.get_username")
    shared_with_groups = serializers.SerializerMethodField()
    latest_version = serializers.SerializerMethodField()
    last_run = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()

    class Meta:
        model = Flow
        fields = ["id", "name", "description", "owner", "shared_with_groups", "latest_version",
                  "last_run", "can_edit", "created_at", "updated_at"]

    @extend_schema_field(LastRunSummary(allow_null=True))
    def get_last_run(self, obj: Flow) -> dict[str, Any] | None:
        """The newest run of any version that you may see (annotated by selectors.flow_list)."""
        run_id = getattr(obj, "last_run_id", None)
        if run_id is None:
            return None
        return {
            "id": str(run_id),
            "status": obj.last_run_status,
            "created_at": serializers.DateTimeField().to_representation(obj.last_run_created_at),
            "approval_rejected": bool(getattr(obj, "last_run_approval_rejected", False)),
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_shared_with_groups(self, obj: Flow) -> list[str]:
        return sorted(group.name for group in obj.shared_with_groups.all())

    @extend_schema_field(VersionSummary(allow_null=True))
    def get_latest_version(self, obj: Flow) -> dict[str, Any] | None:
        if hasattr(obj, "latest_number"):  # annotated by selectors.flow_list
            if obj.latest_number is None:
                return None
            return {
                "number": obj.latest_number,
                "is_valid": obj.latest_is_valid,
                "warning_count": obj.latest_warning_count or 0,
                "source": obj.latest_source,
                "created_at": serializers.DateTimeField().to_representation(
                    obj.latest_created_at
                ),
            }
        version = obj.versions.order_by("-number").first()
        return VersionSummary(version).data if version is not None else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_edit(self, obj: Flow) -> bool:
        user = self.context.get("user")
        return bool(user is not None and (user.is_staff or obj.owner_id == user.pk))


class VersionOutput(serializers.ModelSerializer):
    flow = serializers.IntegerField(source="flow_id")
    author = serializers.SerializerMethodField()
    parent = serializers.SerializerMethodField()
    source = VersionSourceField()
    validation_errors = IssueSerializer(many=True)
    validation_warnings = IssueSerializer(
        many=True, help_text="What may stop it finishing as meant though it runs, as its "
        "author saw it when it was saved (`POST /validate/` says it for you, now)."
    )

    class Meta:
        model = FlowVersion
        # `id` is what runs take as `flow_version`; `number` counts versions within a flow.
        fields = ["id", "flow", "number", "author", "parent", "source", "is_valid",
                  "validation_errors", "validation_warnings", "created_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_author(self, obj: FlowVersion) -> str | None:
        return obj.author.get_username() if obj.author_id and obj.author else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent(self, obj: FlowVersion) -> int | None:
        return obj.parent.number if obj.parent_id and obj.parent else None


class VersionDetailOutput(VersionOutput):
    ir = IrField(help_text=IR_DESCRIPTION)

    class Meta(VersionOutput.Meta):
        fields = [*VersionOutput.Meta.fields, "ir"]


class ChangeSerializer(serializers.Serializer):
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class NodeChangeSerializer(serializers.Serializer):
    id = serializers.CharField()
    changes = serializers.DictField(child=ChangeSerializer())


class VersionDiffOutput(serializers.Serializer):
    flow = serializers.IntegerField()
    from_number = serializers.IntegerField(help_text="The version the diff starts from.")
    to_number = serializers.IntegerField(help_text="The version it goes to (?other=).")
    added = serializers.ListField(child=serializers.DictField(), help_text="New nodes.")
    removed = serializers.ListField(
        child=serializers.CharField(), help_text="Ids of removed nodes."
    )
    changed = NodeChangeSerializer(many=True)
    edges_added = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    edges_removed = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField())
    )
    flow_changes = serializers.DictField(child=ChangeSerializer())


class PlanWarningOutput(serializers.Serializer):
    code = serializers.CharField(help_text="`llm_unavailable`: the LLM planner was asked for,"
                                 " but no model is configured, so the offline planner planned it.")
    message = serializers.CharField()


class PlanRequestOutput(serializers.ModelSerializer):
    flow = serializers.SerializerMethodField()
    resulting_version = serializers.SerializerMethodField()
    tools = serializers.ListField(source="tool_ids", child=serializers.CharField())
    events = serializers.ListField(child=serializers.DictField())
    ir = IrField(allow_null=True, help_text=IR_DESCRIPTION)
    warnings = PlanWarningOutput(
        many=True, help_text="What to know about how it was planned, though nothing failed."
    )

    class Meta:
        model = PlanRequest
        fields = [
            "id", "status", "prompt", "planner", "model", "tools", "flow", "resulting_version",
            "attempts", "prompt_tokens", "completion_tokens", "latency_ms", "cache_hit",
            "error", "warnings", "ir", "events", "created_at", "finished_at",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_flow(self, obj: PlanRequest) -> int | None:
        version = obj.resulting_version or obj.base_version
        return version.flow_id if version is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_resulting_version(self, obj: PlanRequest) -> int | None:
        return obj.resulting_version.number if obj.resulting_version is not None else None


ValidateOutput = inline_serializer(
    name="ValidateOutput",
    fields={
        "valid": serializers.BooleanField(),
        "errors": IssueSerializer(many=True),
        "warnings": IssueSerializer(
            many=True,
            help_text="What runs but may not finish as meant (an approval naming a group "
            "that does not exist); they do not make the IR invalid.",
        ),
    },
)
