"""Validate an IR file: exit 0 when valid, else 1 with one JSON error per line."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from flows.core.validate import validate_flow
from tools_registry.catalog import default_catalog


class Command(BaseCommand):
    help = "Type-check a flow IR file against the registered tools."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the IR JSON file ('-' for stdin).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        issues = validate_flow(text, default_catalog())
        for issue in issues:
            self.stdout.write(json.dumps(issue.to_json(), sort_keys=True))
        if issues:
            sys.exit(1)
        self.stderr.write("valid")
