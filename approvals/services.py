"""Writes for approvals: open the steps of a suspended run, decide one, apply timeouts.

A decision is recorded under a row lock on its step (then on its run: always in that
order), so of any number of decisions sent at once exactly one completes a step and the
others are told who decided it. Once a step is decided, its run's `decisions` names the
step (never its contents) and the run goes back to the queue; the runner reads the
decision from here, unsealed, when it continues the run.

Side effects (the continuation, notifications) happen after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from approvals.models import ApprovalStep, AuditEntry, StepDecision
from approvals.selectors import (
    assignee_usernames,
    inbox_recipients,
    step_find,
    step_visible_to,
)
from flows.core.json_schemas import (
    Unresolvable,
    errors_by_path,
    errors_found,
    schema_problem,
    schema_validator,
    unknown_fields,
    with_required_lists,
)
from flows.models import Run
from flows.runs.errors import RunServiceError, conflict, not_found

logger = logging.getLogger(__name__)

MAX_COMMENT = 4000


# --------------------------------------------------------------------------- audit


def audit(
    *,
    step: ApprovalStep,
    action: str,
    actor: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log (never the step's contents)."""
    return AuditEntry.objects.create(
        step=step,
        run_id=step.run_id,
        node_id=step.node_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        details=details or {},
    )


def _notify_on_commit(step_id: Any, event: str, *, also: tuple[Any, ...] = ()) -> None:
    from approvals.notifications import notify_on_commit

    notify_on_commit(step_id, event, also=also)


# --------------------------------------------------------------------------- opening


def steps_open(*, run_id: str, requests: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Store the steps a run is about to suspend on, sealed; returns their public summaries
    (for `Run.waiting`). Idempotent: a step already stored is left as it is."""
    summaries: dict[str, dict[str, Any]] = {}
    with transaction.atomic():
        # A cancel asked for while the run executed opens nothing: nobody is asked, or
        # emailed, about a run its owner stopped (the run goes back and is cancelled on its
        # next claim). The row lock orders this with `run_cancel`, which takes it too.
        cancelled = (
            Run.objects.select_for_update()
            .filter(pk=run_id)
            .values_list("cancel_requested", flat=True)
            .first()
        )
        if cancelled:
            return {node_id: _summary_of(request) for node_id, request in requests.items()}
        existing = {
            step.node_id: step
            for step in ApprovalStep.objects.filter(run_id=run_id, node_id__in=list(requests))
        }
        for node_id, request in requests.items():
            step = existing.get(node_id)
            if step is None and "form_schema" in request:
                step = _step_create(run_id, node_id, request)
            if step is not None:
                summaries[node_id] = step.summary()
            else:  # restored from the run row: already a summary
                summaries[node_id] = _summary_of(request)
    return summaries


def _summary_of(request: dict[str, Any]) -> dict[str, Any]:
    return {key: request[key] for key in ("title", "assignees", "step") if key in request}


def _step_create(run_id: str, node_id: str, request: dict[str, Any]) -> ApprovalStep | None:
    assignees = request.get("assignees") or {}
    timeout_s = request.get("timeout_s")
    now = timezone.now()
    step = ApprovalStep(
        run_id=run_id,
        node_id=node_id,
        title=str(request.get("title") or node_id)[:200],
        assignee_users=assignee_usernames(list(assignees.get("users") or [])),
        assignee_groups=list(assignees.get("groups") or []),
        quorum=int(request.get("quorum") or 1),
        reject_quorum=int(request.get("reject_quorum") or 1),
        timeout_s=timeout_s,
        on_timeout=request.get("on_timeout") or "fail",
        escalate_to=request.get("escalate_to") or "",
        deadline=now + dt.timedelta(seconds=float(timeout_s)) if timeout_s else None,
    )
    step.seal_value(
        {
            "instructions": request.get("instructions") or "",
            "form_schema": request.get("form_schema") or {"type": "object"},
            "context": request.get("context") or {},
            "review": request.get("review"),
            "requested_at": request.get("requested_at"),
        }
    )
    try:
        with transaction.atomic():
            step.save(force_insert=True)
    except IntegrityError:  # another worker stored it first (it took the run over)
        return ApprovalStep.objects.filter(run_id=run_id, node_id=node_id).first()
    audit(step=step, action=AuditEntry.Action.OPENED, details={"assignees": step.assignees})
    _notify_on_commit(step.pk, "opened")
    return step


# --------------------------------------------------------------------------- viewing


def step_for_user(*, run_id: Any, node_id: str, user: Any) -> ApprovalStep:
    """The step if `user` may see it, else 404; a refused look is audited too."""
    step = step_find(run_id=run_id, node_id=node_id)
    if step is None:
        raise not_found("approval")
    if not step_visible_to(user, step):
        audit(step=step, action=AuditEntry.Action.REFUSED, actor=user)
        raise not_found("approval")
    return step


def step_view(*, run_id: Any, node_id: str, user: Any) -> ApprovalStep:
    step = step_for_user(run_id=run_id, node_id=node_id, user=user)
    audit(step=step, action=AuditEntry.Action.VIEWED, actor=user)
    return step


# --------------------------------------------------------------------------- deciding


def _check_object(value: Any, schema: dict[str, Any], what: str, field: str) -> None:
    # Checked and resolved without the network: a `$ref` out of the schema is never fetched.
    problem = schema_problem(schema)
    if problem is not None:
        raise RunServiceError(
            "invalid_form", f"the {what} schema is broken at {problem[0] or '(schema)'}: "
            f"{problem[1]}"
        )
    try:
        # every problem at once, as the inbox's form shows them, not only the first
        errors = errors_by_path(
            schema_validator(with_required_lists(schema), formats=True), value
        )
    except Unresolvable as exc:
        raise RunServiceError(
            "invalid_form", f"the {what} schema is broken: {exc}"
        ) from None
    if errors:
        found, said = errors_found(errors, f"({field})")
        raise RunServiceError(
            "invalid_form",
            f"the {what} is invalid {said}",
            details={"field": field, "path": found[0]["path"], "errors": found},
        )
    unknown = unknown_fields(value, schema)
    if unknown or (isinstance(value, dict) and value and _takes_no_fields(schema)):
        if not schema.get("properties"):
            # the planner's plain approval: a decision and a comment, no form to fill in
            raise RunServiceError(
                "invalid_form",
                f"the {what} has no fields, so it takes no data (got {sorted(value)[0]!r}); "
                "send the decision and a comment only",
                details={"field": field, "path": sorted(value)[0], "unknown": sorted(value)},
            )
        known = ", ".join(schema["properties"])
        raise RunServiceError(
            "invalid_form",
            f"the {what} has no field {unknown[0]!r} (its fields: {known})",
            details={"field": field, "path": unknown[0], "unknown": unknown},
        )


def _takes_no_fields(schema: dict[str, Any]) -> bool:
    """A form that lists no fields and allows no others (`"properties": {}`)."""
    return (
        schema.get("properties") == {}
        and schema.get("additionalProperties", False) is False
        and not schema.get("patternProperties")
    )


def _nothing_required(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key != "required"}


def _already_decided(step: ApprovalStep) -> RunServiceError:
    by = step.decided_by or ("its timeout" if step.timed_out else "")
    return conflict(
        "already_decided",
        f"'{step.node_id}' was already decided ({step.status}) by {by or 'someone else'}",
        by=step.decided_by or None,
        status=step.status,
        timed_out=step.timed_out,
        decided_at=step.decided_at.isoformat() if step.decided_at else None,
    )


def step_decide(
    *,
    run_id: Any,
    node_id: str,
    user: Any,
    approved: bool,
    data: dict[str, Any] | None = None,
    comment: str = "",
    inputs: dict[str, Any] | None = None,
) -> ApprovalStep:
    """Record `user`'s decision; once the step's quorum is met, continue the run.

    409 `already_decided` (saying by whom) for a decided step or a second answer of the
    same person, 409 `not_waiting` when the run has ended, 400 `invalid_form` for form data
    (or edited tool inputs) that do not fit their schema; nothing changes then.
    """
    visible = step_for_user(run_id=run_id, node_id=node_id, user=user)
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise RunServiceError(
            "invalid_form", "data must be a JSON object",
            details={"field": "data", "path": "(data)"},
        )
    if inputs is not None and not isinstance(inputs, dict):
        raise RunServiceError(
            "invalid_form", "inputs must be a JSON object",
            details={"field": "inputs", "path": "(inputs)"},
        )
    comment = (comment or "")[:MAX_COMMENT]
    username = user.get_username()
    with transaction.atomic():
        step = ApprovalStep.objects.select_for_update().get(pk=visible.pk)
        run = Run.objects.select_for_update().get(pk=step.run_id)
        # A step its ended run closed was never decided: not "already decided by someone".
        ended = run.status in Run.TERMINAL and step.status == ApprovalStep.Status.PENDING
        if ended or step.status == ApprovalStep.Status.CLOSED:
            raise conflict("not_waiting", f"the run is {run.status}: nothing waits on this step",
                           run_status=run.status)
        if step.status != ApprovalStep.Status.PENDING:
            raise _already_decided(step)
        if step.decisions.filter(username=username).exists():
            raise conflict(
                "already_decided",
                f"you have already decided '{node_id}'; it waits for the other assignees",
                by=username,
                status=step.status,
            )
        contents = step.unseal_value()
        form = contents.get("form_schema") or {"type": "object"}
        # A rejection need not fill the form in, but what it gives must fit: the run's
        # reject branch reads it as the step's data.
        _check_object(data, form if approved else _nothing_required(form), "form", "data")
        review = contents.get("review")
        if inputs is not None:
            if not review:
                raise RunServiceError(
                    "invalid_form", "this step reviews no tool call: send no inputs",
                    details={"field": "inputs", "path": "(inputs)"},
                )
            _check_object(inputs, review.get("input_schema") or {}, "tool input", "inputs")
        decision = StepDecision(step=step, user=user, username=username, approved=bool(approved))
        decision.seal_value({"data": data, "comment": comment, "inputs": inputs})
        decision.save(force_insert=True)
        approvals = step.decisions.filter(approved=True).count()
        rejections = step.decisions.filter(approved=False).count()
        audit(
            step=step,
            action=AuditEntry.Action.DECIDED,
            actor=user,
            details={"approved": bool(approved), "approvals": approvals, "rejections": rejections},
        )
        if approved and approvals >= step.quorum:
            step.status = ApprovalStep.Status.APPROVED
        elif not approved and rejections >= step.reject_quorum:
            step.status = ApprovalStep.Status.REJECTED
        else:  # the quorum is not met yet
            _notify_on_commit(step.pk, "answered")
            return step
        step.decided_by = username
        step.decided_at = timezone.now()
        step.save(update_fields=["status", "decided_by", "decided_at"])
        _continue_run(run, step)
        _notify_on_commit(step.pk, "decided")
    return step


def _continue_run(run: Run, step: ApprovalStep) -> None:
    """Name the decided step in the run's `decisions`; a suspended run is queued again.

    A run still executing (another branch) keeps the decision, and its worker queues it
    again when it suspends (see flows.runs.store's outcome statement).
    """
    from flows.runs import dispatch

    run.decisions = {**(run.decisions or {}), step.node_id: {"step": str(step.pk)}}
    fields = ["decisions"]
    if run.status == Run.Status.SUSPENDED:
        run.status = Run.Status.PENDING
        run.enqueued_at = timezone.now()
        fields += ["status", "enqueued_at"]
        run_id = run.pk
        transaction.on_commit(lambda: dispatch.enqueue_run(run_id))
    run.save(update_fields=fields)


def step_outcomes(*, run_id: str, node_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The decided steps' outcomes, as the engine takes them: {approved, data, comment, by,
    timed_out, inputs}. Raises SealedRowError if a sealed row does not open."""
    outcomes: dict[str, dict[str, Any]] = {}
    steps = ApprovalStep.objects.filter(run_id=run_id, node_id__in=node_ids).exclude(
        status=ApprovalStep.Status.PENDING
    )
    for step in steps:
        approved = step.status == ApprovalStep.Status.APPROVED
        outcome: dict[str, Any] = {
            "approved": approved,
            "data": {},
            "comment": "",
            "by": step.decided_by or None,
            "timed_out": step.timed_out,
        }
        answers = [
            (d, d.unseal_value())
            for d in step.decisions.filter(approved=approved).order_by("created_at", "id")
        ]
        if answers:
            outcome["data"] = answers[-1][1].get("data") or {}
            outcome["comment"] = answers[-1][1].get("comment") or ""
        review = step.unseal_value().get("review")
        if review and approved:
            edited = [a.get("inputs") for _, a in answers if a.get("inputs") is not None]
            outcome["inputs"] = edited[-1] if edited else review.get("proposed") or {}
        outcomes[step.node_id] = outcome
    return outcomes


# --------------------------------------------------------------------------- timeouts


def steps_expire(*, now: dt.datetime | None = None, limit: int = 500) -> list[str]:
    """Apply the timeout policy of every pending step past its deadline, and close the
    pending steps of runs that have ended. Returns the ids of the steps it changed.

    Safe to run anywhere, any number of times at once: each step is taken under a row lock
    (SKIP LOCKED), and only while it is still pending.
    """
    now = now or timezone.now()
    changed: list[str] = []
    due = list(
        ApprovalStep.objects.filter(status=ApprovalStep.Status.PENDING, deadline__lte=now)
        .order_by("deadline")
        .values_list("id", flat=True)[:limit]
    )
    for step_id in due:
        with transaction.atomic():
            step = (
                ApprovalStep.objects.select_for_update(skip_locked=True)
                .filter(pk=step_id, status=ApprovalStep.Status.PENDING, deadline__lte=now)
                .first()
            )
            if step is None:
                continue
            run = Run.objects.select_for_update().get(pk=step.run_id)
            _expire_one(step, run, now)
            changed.append(str(step.pk))
    ended = ApprovalStep.objects.filter(
        status=ApprovalStep.Status.PENDING, run__status__in=Run.TERMINAL
    )
    for step in ended[:limit]:
        ApprovalStep.objects.filter(pk=step.pk, status=ApprovalStep.Status.PENDING).update(
            status=ApprovalStep.Status.CLOSED, decided_at=now
        )
        audit(step=step, action=AuditEntry.Action.CLOSED, details={"reason": "the run ended"})
        # Its assignees' inboxes (lists and counts) drop it now, not at their next reload.
        _notify_on_commit(step.pk, "closed")
        changed.append(str(step.pk))
    return changed


def _expire_one(step: ApprovalStep, run: Run, now: dt.datetime) -> None:
    if run.status in Run.TERMINAL:
        step.status = ApprovalStep.Status.CLOSED
        step.decided_at = now
        step.save(update_fields=["status", "decided_at"])
        audit(step=step, action=AuditEntry.Action.CLOSED, details={"reason": "the run ended"})
        _notify_on_commit(step.pk, "closed")
        return
    policy = step.on_timeout
    if policy == "escalate" and step.escalated_at is None and step.escalate_to:
        before = step.assignees
        # (their inboxes drop it live too, not at their next reload)
        waited_for = tuple(user.pk for user in inbox_recipients(step))
        step.assignee_users = []
        step.assignee_groups = [step.escalate_to]
        step.escalated_at = now
        step.deadline = now + dt.timedelta(seconds=float(step.timeout_s or 0))
        step.save(
            update_fields=["assignee_users", "assignee_groups", "escalated_at", "deadline"]
        )
        waiting = dict(run.waiting or {})
        if step.node_id in waiting:
            waiting[step.node_id] = step.summary()
            run.waiting = waiting
            run.save(update_fields=["waiting"])
        audit(
            step=step,
            action=AuditEntry.Action.ESCALATED,
            details={"from": before, "to": step.assignees},
        )
        _notify_on_commit(step.pk, "escalated", also=waited_for)
        return
    step.timed_out = True
    step.decided_at = now
    step.status = {
        "approve": ApprovalStep.Status.APPROVED,
        "reject": ApprovalStep.Status.REJECTED,
    }.get(policy, ApprovalStep.Status.EXPIRED)
    step.save(update_fields=["timed_out", "decided_at", "status"])
    audit(
        step=step,
        action=AuditEntry.Action.TIMED_OUT,
        details={"policy": policy, "escalated": step.escalated_at is not None},
    )
    _continue_run(run, step)
    _notify_on_commit(step.pk, "decided")
