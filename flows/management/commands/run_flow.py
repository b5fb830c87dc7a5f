"""Run a flow in this process, printing every event as a JSON line.

Exit status: 0 completed, 3 suspended (waiting for an approval), 1 failed or invalid.
"""

import asyncio
import json
import sys
import uuid
from pathlib import Path
from typing import Any

import jsonschema
from django.core.management.base import BaseCommand, CommandError, CommandParser

from flows.core.engine import Engine, EngineError
from flows.core.events import CallbackSink, Event
from flows.core.ir import parse_flow
from flows.core.json_schemas import schema_validator
from flows.core.validate import validate_flow
from tools_registry.catalog import default_catalog

EXIT_CODES = {"completed": 0, "suspended": 3, "failed": 1, "cancelled": 1}


class Command(BaseCommand):
    help = "Run a flow IR file in-process and print its events as JSON lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the IR JSON file.")
        parser.add_argument("--input", default="{}", help="The run input as a JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = Path(options["file"]).read_text()
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from exc
        try:
            run_input = json.loads(options["input"])
        except json.JSONDecodeError as exc:
            raise CommandError(f"--input is not JSON: {exc}") from exc
        if not isinstance(run_input, dict):
            raise CommandError("--input must be a JSON object")
        catalog = default_catalog()
        issues = validate_flow(text, catalog)
        if issues:
            for issue in issues:
                self.stdout.write(json.dumps({"type": "validation.error", **issue.to_json()}))
            sys.exit(1)
        flow = parse_flow(text)
        if flow.input_schema:
            # As the API does: a run whose input does not fit is refused before it starts,
            # not failed at the first node that reads the missing field.
            try:
                schema_validator(flow.input_schema, formats=True).validate(run_input)
            except jsonschema.ValidationError as exc:
                path = "/".join(str(p) for p in exc.absolute_path) or "(input)"
                self.stdout.write(json.dumps({
                    "type": "input.error", "code": "invalid_input", "path": path,
                    "message": f"--input does not fit the flow's input_schema at {path}: "
                               f"{exc.message}",
                }))  # fmt: skip
                sys.exit(1)

        def print_event(event: Event) -> None:
            self.stdout.write(json.dumps(event.to_json(), default=str))

        engine = Engine(catalog)
        try:
            result = asyncio.run(
                engine.run(
                    flow, run_input, run_id=str(uuid.uuid4()), sink=CallbackSink(print_event)
                )
            )
        except EngineError as exc:
            raise CommandError(str(exc)) from exc
        sys.exit(EXIT_CODES[result.status])
