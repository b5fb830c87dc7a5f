"""`python manage.py plan "PROMPT" [--tools id,id] [--planner offline|openai] --out FILE`:
plan a prompt, print every plan event as a JSON line, write the IR; exit 1 on failure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from flows.core.events import CallbackSink, Event
from flows.core.planner.base import PlanningError
from flows.core.planner.session import plan_flow, refine_flow
from flows.planning import (
    PLANNERS,
    build_planner,
    cache_ttl_s,
    plan_cache,
    planning_catalog,
)


class Command(BaseCommand):
    help = "Plan a prompt into IR (events as JSON lines on stdout; the IR to --out)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "prompt", help="What the workflow should do (or, with --base, the change to make)."
        )
        parser.add_argument("--tools", default="", help="Comma-separated tool ids to plan with.")
        parser.add_argument(
            "--planner",
            choices=PLANNERS,
            default=None,
            help="Default: openai when OPENAI_API_KEY is set, else offline.",
        )
        parser.add_argument(
            "--out",
            default=None,
            help="Where to write the IR (default: a final JSON line on stdout).",
        )
        parser.add_argument(
            "--base", default=None, help="Refine this IR file instead of planning from scratch."
        )
        parser.add_argument("--no-cache", action="store_true", help="Skip the plan cache.")

    def handle(self, *args: Any, **options: Any) -> None:
        tool_ids = [t.strip() for t in options["tools"].split(",") if t.strip()] or None

        def print_event(event: Event) -> None:
            self.stdout.write(json.dumps(event.to_json(), default=str))
            self.stdout.flush()

        sink = CallbackSink(print_event)
        try:
            planner = build_planner(options["planner"])
        except PlanningError as exc:
            raise CommandError(exc.message, returncode=1) from None
        catalog = planning_catalog()
        if options["base"]:
            base = json.loads(Path(options["base"]).read_text())
            result = refine_flow(
                base,
                options["prompt"],
                planner=planner,
                catalog=catalog,
                tool_ids=tool_ids,
                sink=sink,
            )
        else:
            result = plan_flow(
                options["prompt"],
                planner=planner,
                catalog=catalog,
                tool_ids=tool_ids,
                cache=None if options["no_cache"] else plan_cache(),
                cache_ttl_s=cache_ttl_s(),
                sink=sink,
            )
        if not result.ok or result.ir is None:
            message = result.error.message if result.error else "planning failed"
            raise CommandError(message, returncode=1)
        text = json.dumps(result.ir, indent=2)
        if options["out"]:
            Path(options["out"]).write_text(text + "\n")
        else:
            self.stdout.write(json.dumps({"ir": result.ir}))
