"""Admin for flows and runs: what operators look at when something went wrong.

Flows and their versions are made in the editor or through the API, so here they are read
only. Runs show their node attempts and events, and can be cancelled; they are never
edited by hand (the worker that holds a run's lease is the only writer of its state).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from flows.errors import ApplicationError
from flows.models import Flow, FlowVersion, NodeAttempt, Run, RunBatch
from flows.runs import services
from tools_registry.admin import pretty_json

#: Events shown on a run's page; the REST events endpoint pages through the rest.
EVENTS_SHOWN = 500


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _duration(obj: Run | NodeAttempt) -> str:
    return "-" if obj.duration_ms is None else f"{obj.duration_ms:.1f} ms"


# --------------------------------------------------------------------------- flows


class FlowVersionInline(ReadOnlyInline):
    model = FlowVersion
    fields = ["number", "is_valid", "source", "author", "created_at"]
    readonly_fields = fields
    ordering = ["-number"]
    show_change_link = True


@admin.register(Flow)
class FlowAdmin(ReadOnlyAdmin):
    list_display = ["name", "owner", "updated_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "description", "owner__username"]
    readonly_fields = ["name", "description", "owner", "created_at", "updated_at"]
    fields = readonly_fields
    inlines = [FlowVersionInline]


@admin.register(FlowVersion)
class FlowVersionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "flow", "number", "is_valid", "source", "created_at"]
    list_filter = ["is_valid", "source"]
    list_select_related = ["flow"]
    search_fields = ["flow__name"]
    fields = ["flow", "number", "author", "source", "is_valid", "errors", "graph", "created_at"]
    readonly_fields = fields

    @admin.display(description="validation errors")
    def errors(self, obj: FlowVersion) -> str:
        return pretty_json(obj.validation_errors) if obj.validation_errors else "-"

    @admin.display(description="IR")
    def graph(self, obj: FlowVersion) -> str:
        return pretty_json(obj.ir)


# --------------------------------------------------------------------------- runs


class NodeAttemptInline(ReadOnlyInline):
    model = NodeAttempt
    fields = ["node_id", "attempt", "status", "started_at", "duration", "worker", "io"]
    readonly_fields = fields
    ordering = ["id"]

    @admin.display(description="duration")
    def duration(self, obj: NodeAttempt) -> str:
        return _duration(obj)

    @admin.display(description="inputs / output / error")
    def io(self, obj: NodeAttempt) -> str:
        return pretty_json({"inputs": obj.inputs, "output": obj.output, "error": obj.error})


@admin.action(description="Cancel the selected runs")
def cancel_runs(modeladmin: RunAdmin, request: HttpRequest, queryset: QuerySet[Run]) -> None:
    cancelled, refused = 0, []
    for run in queryset.exclude(status__in=Run.TERMINAL):
        try:
            services.run_cancel(run_id=run.pk, user=request.user)
            cancelled += 1
        except ApplicationError as exc:
            refused.append(f"{run.pk}: {exc}")
    modeladmin.message_user(request, f"Cancelled {cancelled} run(s).", messages.SUCCESS)
    if refused:
        modeladmin.message_user(request, "; ".join(refused), messages.WARNING)


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["id", "flow_name", "version", "status", "requested_by", "created_at", "took"]
    list_filter = ["status", "created_at"]
    list_select_related = ["flow_version__flow", "requested_by"]
    search_fields = ["=id", "flow_version__flow__name", "requested_by__username"]
    date_hierarchy = "created_at"
    actions = [cancel_runs]
    inlines = [NodeAttemptInline]
    fields = [
        "id",
        "flow_version",
        "batch",
        "status",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "took",
        "attempts",
        "worker",
        "lease_expires_at",
        "cancel_requested",
        "input_json",
        "result_json",
        "error_json",
        "waiting_json",
        "events",
    ]
    readonly_fields = fields

    @admin.display(description="flow", ordering="flow_version__flow__name")
    def flow_name(self, obj: Run) -> str:
        return obj.flow_version.flow.name

    @admin.display(description="version", ordering="flow_version__number")
    def version(self, obj: Run) -> int:
        return obj.flow_version.number

    @admin.display(description="duration")
    def took(self, obj: Run) -> str:
        return _duration(obj)

    @admin.display(description="input")
    def input_json(self, obj: Run) -> str:
        return pretty_json(obj.input)

    @admin.display(description="result")
    def result_json(self, obj: Run) -> str:
        return pretty_json(obj.result)

    @admin.display(description="error")
    def error_json(self, obj: Run) -> str:
        return pretty_json(obj.error) if obj.error else "-"

    @admin.display(description="waiting approvals")
    def waiting_json(self, obj: Run) -> str:
        return pretty_json(obj.waiting) if obj.waiting else "-"

    @admin.display(description=f"events (first {EVENTS_SHOWN})")
    def events(self, obj: Run) -> str:
        rows = obj.events.order_by("seq")[:EVENTS_SHOWN]
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (e.seq, e.type, e.node_id or "", e.ts.isoformat(), pretty_json(e.payload))
                for e in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>seq</th><th>type</th><th>node</th><th>time</th>"
            "<th>data</th></tr></thead><tbody>{}</tbody></table>",
            body,
        )


@admin.register(RunBatch)
class RunBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "flow_version", "status", "total", "concurrency", "created_at"]
    list_filter = ["status"]
    list_select_related = ["flow_version__flow"]
    fields = ["id", "flow_version", "status", "total", "concurrency", "progress", "created_at"]
    readonly_fields = fields

    @admin.display(description="progress")
    def progress(self, obj: RunBatch) -> str:
        from flows.runs.selectors import batch_progress

        return pretty_json(batch_progress(obj))
