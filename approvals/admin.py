"""Admin for approvals: steps and their decisions, and the audit log, all read only.

Contents stay sealed here too: the admin shows who, when and what status, never the
step's context, form data or comments.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from approvals.models import ApprovalStep, AuditEntry, StepDecision


class _ReadOnly:
    """Any staff member may read; nobody adds, changes or deletes through the site."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DecisionInline(_ReadOnly, admin.TabularInline):
    model = StepDecision
    extra = 0
    can_delete = False
    fields = ["username", "approved", "created_at", "key_id"]
    readonly_fields = fields


class AuditInline(_ReadOnly, admin.TabularInline):
    model = AuditEntry
    extra = 0
    can_delete = False
    fields = ["at", "actor_name", "action", "details"]
    readonly_fields = fields
    ordering = ["at", "id"]


@admin.register(ApprovalStep)
class ApprovalStepAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["title", "node_id", "run_short", "status", "deadline", "decided_by",
                    "created_at"]
    list_select_related = ["run"]
    list_filter = ["status", "on_timeout"]
    search_fields = ["title", "node_id", "run__id", "decided_by"]
    fields = [
        "run",
        "node_id",
        "title",
        "assignee_users",
        "assignee_groups",
        "quorum",
        "reject_quorum",
        "status",
        "timeout_s",
        "on_timeout",
        "escalate_to",
        "escalated_at",
        "deadline",
        "timed_out",
        "decided_by",
        "decided_at",
        "created_at",
        "key_id",
    ]
    readonly_fields = fields
    inlines = [DecisionInline, AuditInline]

    @admin.display(description="Run", ordering="run__created_at")
    def run_short(self, obj: ApprovalStep) -> str:
        # The whole id (and the title) pushed the deadline and decider off a 1400 px screen.
        return f"{str(obj.run_id)[:8]}… ({obj.run.status})"


@admin.register(AuditEntry)
class AuditEntryAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "run_id", "node_id"]
    list_filter = ["action"]
    search_fields = ["actor_name", "run_id", "node_id"]
    date_hierarchy = "at"
    fields = ["at", "actor", "actor_name", "action", "run_id", "node_id", "step", "details"]
    readonly_fields = fields
