"""Admin for the tool registry: the demo outbox is read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from tools_registry.models import OutboundMessage


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
