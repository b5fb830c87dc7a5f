"""Admin for the tool registry: tools (with "try this tool"), categories, joins checked on
save, write-only credentials, MCP servers (with "import tools"), the read-only outbox, and API
tokens with their keys masked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from tools_registry.forms import (
    CredentialForm,
    JoinForm,
    McpServerForm,
    ToolForm,
    TryToolForm,
)
from tools_registry.models import Category, Credential, Join, McpServer, OutboundMessage, Tool
from tools_registry.services import (
    McpImportError,
    credentials_reseal,
    mcp_server_import_tools,
    tool_try,
)
from tools_registry.tool_config import tool_warnings


def pretty_json(value: Any) -> str:
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    return format_html('<pre style="white-space: pre-wrap; margin: 0">{}</pre>', text)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "tool_count"]
    search_fields = ["slug", "name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(_tools=Count("tools"))

    @admin.display(description="tools", ordering="_tools")
    def tool_count(self, obj: Category) -> int:
        return getattr(obj, "_tools", 0)


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    form = ToolForm
    list_display = ["id", "name", "kind", "category", "enabled", "access", "source", "version",
                    "try_link"]
    list_filter = ["category", "kind", "enabled", "access", "source"]
    filter_horizontal = ["access_groups"]
    list_editable = ["enabled"]
    search_fields = ["id", "name", "description"]
    list_select_related = ["category"]
    actions = ["enable_tools", "disable_tools"]
    change_form_template = "admin/tools_registry/tool/change_form.html"

    access_fieldset = ("Who may use it", {"fields": ["access", "access_groups"]})

    #: Shown instead of the editable JSON for tools whose schemas come from code or MCP.
    schema_display = ["input_schema_display", "output_schema_display", "config_display"]

    def get_fieldsets(self, request: HttpRequest, obj: Tool | None = None) -> Any:
        if obj is not None and obj.source != Tool.Source.ADMIN:
            return [
                (None, {"fields": ["id", "name", "description", "kind", "source", "category",
                                   "enabled", "mcp_server", "version"]}),
                self.access_fieldset,
                ("Schemas (from " + obj.get_source_display().lower() + ", read-only)",
                 {"fields": self.schema_display}),
            ]
        main = ["id", "name", "description", "kind", "category", "enabled", "mcp_server"]
        if obj is not None:
            main += ["version"]
        return [
            (None, {"fields": main}),
            self.access_fieldset,
            ("Schemas and configuration", {
                "fields": ["input_schema", "output_schema", "config"],
                "description": "JSON Schemas for inputs and outputs; config depends on the "
                               "kind (see docs/api.md, 'Configuring tools').",
            }),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Tool | None = None) -> Any:
        if obj is None:
            return []
        if obj.source != Tool.Source.ADMIN:
            # Code and MCP tools are described by their source; only `enabled` (and the
            # category, for imported tools) is the admins' to change.
            # The JSON fields are listed too: a form field left out of the page would
            # otherwise be saved as empty.
            fields = ["id", "name", "description", "kind", "source", "mcp_server", "version",
                      "input_schema", "output_schema", "config", *self.schema_display]
            if obj.source == Tool.Source.CODE:
                fields.append("category")
            return fields
        return ["id", "version"]

    @admin.display(description="input schema")
    def input_schema_display(self, obj: Tool) -> str:
        return pretty_json(obj.input_schema)

    @admin.display(description="output schema")
    def output_schema_display(self, obj: Tool) -> str:
        return pretty_json(obj.output_schema)

    @admin.display(description="config")
    def config_display(self, obj: Tool) -> str:
        return pretty_json(obj.config)

    @admin.display(description="")
    def try_link(self, obj: Tool) -> str:
        url = reverse("admin:tools_registry_tool_try", args=[quote(obj.pk)])
        return format_html('<a href="{}">Try</a>', url)

    def save_model(self, request: HttpRequest, obj: Tool, form: Any, change: bool) -> None:
        if change and {"input_schema", "output_schema", "config"} & set(form.changed_data):
            obj.version += 1
        super().save_model(request, obj, form, change)
        for warning in tool_warnings(obj):
            self.message_user(request, warning, level=messages.WARNING)

    def has_delete_permission(self, request: HttpRequest, obj: Tool | None = None) -> bool:
        # A code tool's row comes back at the next sync; disable it instead.
        if obj is not None and obj.source == Tool.Source.CODE:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Enable the selected tools")
    def enable_tools(self, request: HttpRequest, queryset: QuerySet[Tool]) -> None:
        count = queryset.update(enabled=True)
        self.message_user(request, f"Enabled {count} tool(s).")

    @admin.action(description="Disable the selected tools")
    def disable_tools(self, request: HttpRequest, queryset: QuerySet[Tool]) -> None:
        count = queryset.update(enabled=False)
        self.message_user(request, f"Disabled {count} tool(s).")

    def get_urls(self) -> list[URLPattern]:
        custom = [
            path(
                "<path:object_id>/try/",
                self.admin_site.admin_view(self.try_view),
                name="tools_registry_tool_try",
            )
        ]
        return custom + super().get_urls()

    def try_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A form built from the tool's input schema; submitting it calls the tool once."""
        # The admin quotes ids in its URLs ("send_email" is "send_5Femail"), as its own
        # change view does.
        tool = get_object_or_404(Tool.objects.select_related("category", "mcp_server"),
                                 pk=unquote(object_id))
        # Calling a tool can send email or charge a card: it takes the right to change tools.
        if not self.has_change_permission(request, tool):
            raise PermissionDenied
        result = None
        inputs: dict[str, Any] | None = None
        if request.method == "POST":
            form = TryToolForm(tool.input_schema or {}, request.POST)
            if form.is_valid():
                inputs = form.inputs()
                result = tool_try(tool, inputs)
        else:
            form = TryToolForm(tool.input_schema or {})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Try {tool.id}",
            "tool": tool,
            "form": form,
            "inputs_json": json.dumps(inputs, indent=2, sort_keys=True) if inputs is not None
            else None,
            "result": result,
            "output_json": json.dumps(result.output, indent=2, sort_keys=True, default=str)
            if result and result.ok else None,
            "error_json": json.dumps(result.error, indent=2, sort_keys=True, default=str)
            if result and not result.ok else None,
            "input_schema_json": json.dumps(tool.input_schema, indent=2, sort_keys=True),
        }
        return TemplateResponse(request, "admin/tools_registry/tool/try.html", context)


@admin.register(Join)
class JoinAdmin(admin.ModelAdmin):
    form = JoinForm
    list_display = ["__str__", "from_tool", "to_tool", "mapping_display", "enabled"]
    list_filter = ["enabled", "from_tool__category", "to_tool__category"]
    search_fields = ["from_tool__id", "to_tool__id", "description"]
    autocomplete_fields = ["from_tool", "to_tool"]

    @admin.display(description="mapping")
    def mapping_display(self, obj: Join) -> str:
        return ", ".join(f"{target} = {source}" for target, source in (obj.mapping or {}).items())


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    form = CredentialForm
    list_display = ["name", "description", "hosts", "key_id", "updated_at"]
    search_fields = ["name", "description"]
    readonly_fields = ["key_id", "created_at", "updated_at"]
    actions = ["reseal"]

    @admin.display(description="allowed hosts")
    def hosts(self, obj: Credential) -> str:
        return ", ".join(obj.allowed_hosts or []) or "(none: sent nowhere)"

    def save_model(self, request: HttpRequest, obj: Credential, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not obj.allowed_hosts:
            self.message_user(
                request,
                f"Credential `{obj.name}` allows no host, so no tool can send it yet: list the "
                "hosts it belongs to.",
                level=messages.WARNING,
            )

    @admin.action(description="Re-encrypt all credentials with the primary key")
    def reseal(self, request: HttpRequest, queryset: QuerySet[Credential]) -> None:
        count = credentials_reseal()
        self.message_user(request, f"Resealed {count} credential(s).")


class McpToolInline(admin.TabularInline):
    model = Tool
    fields = ["id", "name", "enabled", "version"]
    readonly_fields = ["id", "name", "version"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(McpServer)
class McpServerAdmin(admin.ModelAdmin):
    form = McpServerForm
    list_display = ["name", "transport", "target", "enabled", "last_synced_at", "error_summary"]
    list_filter = ["transport", "enabled"]
    search_fields = ["name", "url", "command", "description"]
    readonly_fields = ["last_synced_at", "last_error"]
    inlines = [McpToolInline]
    actions = ["import_tools"]

    @admin.display(description="last error")
    def error_summary(self, obj: McpServer) -> str:
        """The first line (the full text, with the server's stderr, is on the server's page)."""
        first = obj.last_error.split("\n", 1)[0]
        return first if len(first) <= 160 else first[:159] + "…"

    @admin.display(description="URL or command")
    def target(self, obj: McpServer) -> str:
        if obj.transport == McpServer.Transport.STDIO:
            return " ".join([obj.command, *obj.args])
        return obj.url

    @admin.action(description="Import (refresh) the tools of the selected servers")
    def import_tools(self, request: HttpRequest, queryset: QuerySet[McpServer]) -> None:
        for server in queryset:
            try:
                report = mcp_server_import_tools(server)
            except McpImportError as exc:
                self.message_user(request, f"{server.name}: {exc}", level=messages.ERROR)
                continue
            self.message_user(request, f"{server.name}: {report.summary()}")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "recipient", "subject", "run_id", "node_id", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["reference", "recipient", "subject", "run_id"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "reference", "kind", "recipient", "subject", "body", "payload", "run_id", "node_id",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: OutboundMessage | None = None
    ) -> bool:
        return False


# --- API tokens ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _MaskedToken:
    """What the admin's pages and log show for a token: its user's id (the admin's URLs for
    tokens use it) and the first characters of its key."""

    pk: Any
    text: str

    def __str__(self) -> str:
        return self.text


def masked_key(key: str) -> str:
    return f"{key[:4]}…"


class MaskedTokenAdmin(TokenAdmin):
    """A token is its user's password for the API: no page, message or log entry of the
    admin shows its key (whoever may view tokens could otherwise act as any user,
    superusers included), except once, to the admin who creates it. Its user can get it
    again with POST /api/v1/auth/token/."""

    list_display = ("masked", "user", "created")

    @admin.display(description="Key")
    def masked(self, obj: TokenProxy) -> str:
        return masked_key(obj.key)

    def _shown(self, obj: TokenProxy | None) -> dict[str, Any]:
        if obj is None:
            return {}
        shown = _MaskedToken(pk=obj.user_id, text=masked_key(obj.key))
        return {"original": shown, "object": shown, "subtitle": shown.text}

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        shown = self._shown(self.get_object(request, unquote(object_id)))
        return super().change_view(request, object_id, form_url,
                                   {**(extra_context or {}), **shown})

    def delete_view(self, request: HttpRequest, object_id: str,
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        shown = self._shown(self.get_object(request, unquote(object_id)))
        return super().delete_view(request, object_id, {**(extra_context or {}), **shown})

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        keys = [obj.key for obj in objs]

        def mask(item: Any) -> Any:
            if isinstance(item, list):
                return [mask(part) for part in item]
            text = str(item)
            for key in keys:
                text = text.replace(key, masked_key(key))
            return format_html("{}", text) if text != str(item) else item

        return mask(deleted), counts, perms, protected

    def save_model(self, request: HttpRequest, obj: TokenProxy, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                f"The API token of {obj.user}: {obj.key} (copy it now; it is not shown again).",
                level=messages.WARNING,
            )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return self._masked_log(super().log_addition(request, obj, message), [obj])

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return self._masked_log(super().log_change(request, obj, message), [obj])

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        objs = list(queryset)
        return self._masked_log(super().log_deletions(request, objs), objs)

    @staticmethod
    def _masked_log(entries: Any, objs: list[Any]) -> Any:
        # The admin's log stores str(obj) and the primary key, and a token's is its key.
        from django.contrib.admin.models import LogEntry

        for obj in objs:
            LogEntry.objects.filter(object_id=obj.pk).update(
                object_id=str(obj.user_id), object_repr=masked_key(obj.key)
            )
        return entries


admin.site.unregister(TokenProxy)
admin.site.register(TokenProxy, MaskedTokenAdmin)

