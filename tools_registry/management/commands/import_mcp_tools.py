"""`manage.py import_mcp_tools [NAME ...]`: import the tools of MCP servers as Tool rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tools_registry.models import McpServer
from tools_registry.services import McpImportError, mcp_server_import_tools


class Command(BaseCommand):
    help = "List each MCP server's tools and create/update their Tool rows (default: all enabled)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help="Server names (default: every enabled one).")

    def handle(self, *args: Any, **options: Any) -> None:
        servers = McpServer.objects.filter(enabled=True)
        if options["names"]:
            servers = McpServer.objects.filter(name__in=options["names"])
            missing = set(options["names"]) - {server.name for server in servers}
            if missing:
                raise CommandError(f"no MCP server named {', '.join(sorted(missing))}")
        failed = False
        for server in servers:
            try:
                report = mcp_server_import_tools(server)
            except McpImportError as exc:
                failed = True
                self.stderr.write(f"{server.name}: {exc}")
                continue
            self.stdout.write(f"{server.name}: {report.summary()}")
        if failed:
            raise CommandError("some servers could not be imported")
