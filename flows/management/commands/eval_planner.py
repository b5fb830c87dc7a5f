"""`python manage.py eval_planner`: run the planner evaluation sets (evals/planner) and print
pass/fail per case, then for each planner and each suite (tuning, held-out) the score, the
silent wrong plans (valid plans that are wrong, plans for impossible requests), the plans
that repeat a side-effecting tool, the refusals of impossible requests and the median
planning time. The offline planner always runs; the openai planner runs when
OPENAI_API_KEY is set (or when asked for). Exit 1 when the offline planner scores below
--min-score (default 0.8) on any suite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from flows.core.planner.base import PlanningError
from flows.core.planner.evaluation import CaseResult, EvalReport, load_cases, run_eval
from flows.planning import available_planners, build_planner, planning_catalog


class Command(BaseCommand):
    help = "Score the planners on the evaluation set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases",
            default=str(Path(settings.BASE_DIR) / "evals" / "planner"),
            help="A cases JSON file or a directory of them.",
        )
        parser.add_argument(
            "--planner",
            action="append",
            choices=["offline", "openai"],
            default=None,
            help="Planner(s) to score (default: offline, plus openai when a key is set).",
        )
        parser.add_argument("--case", action="append", default=None, help="Only these ids.")
        parser.add_argument(
            "--suite",
            choices=["tuning", "held-out"],
            default=None,
            help="Only the cases of this suite.",
        )
        parser.add_argument("--json", default=None, help="Also write the report to this file.")
        parser.add_argument(
            "--min-score",
            type=float,
            default=0.8,
            help="Fail when the offline planner scores below this on any suite.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cases = load_cases(Path(options["cases"]))
        if options["case"]:
            cases = [case for case in cases if case.id in set(options["case"])]
        if options["suite"]:
            cases = [case for case in cases if case.suite == options["suite"]]
        names = options["planner"] or available_planners()
        catalog = planning_catalog()
        reports: list[EvalReport] = []
        for name in names:
            try:
                planner = build_planner(name)
            except PlanningError as exc:
                raise CommandError(exc.message, returncode=1) from None
            label = f"{planner.name}" + (f" ({planner.model})" if planner.model else "")
            self.stdout.write(f"== {label}: {len(cases)} cases")

            def show(result: CaseResult) -> None:
                mark = "PASS" if result.passed else "FAIL"
                line = f"{mark}  {result.case.id:<36} {result.latency_ms:8.1f} ms"
                if result.tokens:
                    line += f"  {result.tokens} tokens"
                self.stdout.write(line)
                for failure in result.failures:
                    self.stdout.write(f"      - {failure}")
                self.stdout.flush()

            report = run_eval(planner, catalog, cases, on_result=show)
            reports.append(report)
            self.stdout.write(
                f"{label} score: {report.passed}/{len(report.results)} = {report.score:.1%}\n"
            )
        for report in reports:
            self.stdout.write(
                f"SCORE {report.planner}: {report.passed}/{len(report.results)} "
                f"({report.score:.1%})"
            )
            for suite in report.suites():
                self.stdout.write(
                    f"SCORE {report.planner} {suite.suite}: {suite.passed}/{suite.total} "
                    f"({suite.score:.1%})  silent wrong: {suite.silent_wrong}  "
                    f"repeated side effects: {suite.repeated_side_effects}  "
                    f"impossible refused: {suite.refused_correctly}/{suite.impossible}  "
                    f"median planning: {suite.median_ms:.1f} ms"
                )
        if options["json"]:
            Path(options["json"]).write_text(
                json.dumps([report.to_json() for report in reports], indent=2) + "\n"
            )
        offline = next((r for r in reports if r.planner == "offline"), None)
        if offline is None:
            return
        low = [s for s in offline.suites() if s.score < options["min_score"]]
        if low:
            scores = ", ".join(f"{s.suite} {s.score:.1%}" for s in low)
            raise CommandError(
                f"the offline planner scored below {options['min_score']:.0%}: {scores}",
                returncode=1,
            )
