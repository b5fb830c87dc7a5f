"""What a plan tells the person who checks it about the request that its graph does not do:
a flow runs when it is started, so "every morning" makes no step, and the designer says so
rather than leaving the schedule silently out."""

from __future__ import annotations

from flows.core.planner.phrasing import schedule_said


def plan_notes(prompt: str) -> list[str]:
    """The notes for a plan of `prompt` (none for most requests)."""
    notes = []
    schedule = schedule_said(prompt)
    if schedule is not None:
        notes.append(
            f"“{schedule}” is when it should run: a flow runs each time it is started (Run "
            "in the app, POST /api/v1/runs/, or a batch), so start it on that schedule from "
            "outside, e.g. with cron calling the API."
        )
    return notes
