"""`manage.py sync_tools`: make the Tool rows match the code tools (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tools_registry.services import tools_sync


class Command(BaseCommand):
    help = "Create or update one Tool row per code tool (@tool); safe to run any time."

    def handle(self, *args: Any, **options: Any) -> None:
        report = tools_sync()
        self.stdout.write(f"Code tools: {report.summary()}")
        for tool_id in report.conflicts:
            self.stdout.write(
                self.style.WARNING(f"  {tool_id}: a non-code tool has this id; rename it")
            )
        for tool_id in report.orphaned:
            self.stdout.write(f"  {tool_id}: no longer in the code (left out of the catalogue)")
