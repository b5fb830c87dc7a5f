"""Writes for runs: create, cancel, resume an approval, batches, and crash recovery.

Each service checks first and writes after; side effects (enqueueing a task, websocket
broadcasts) happen only once the transaction has committed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jsonschema
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import ValidationError

from flows.core import events as ev
from flows.core.engine import EngineError, compile_flow
from flows.core.ir import Flow as IrFlow
from flows.core.ir import parse_flow
from flows.core.json_schemas import (
    Unresolvable,
    errors_by_path,
    errors_found,
    schema_validator,
    unknown_fields,
    with_required_lists,
)
from flows.core.validate import validate_flow
from flows.models import FlowVersion, NodeAttempt, Run, RunBatch, RunEvent
from flows.runs import conf, dispatch
from flows.runs.access import run_tools_check
from flows.runs.batches import batch_advance
from flows.runs.broadcast import broadcast_on_commit
from flows.runs.catalog import forget_snapshot, run_catalog, run_joins
from flows.runs.errors import RunServiceError, conflict, forbidden
from flows.runs.selectors import flow_version_for_run, run_get_viewed, user_can_view_run
from flows.runs.visibility import run_view_for
from flows.runs.watchers import WATCH_TTL_S
from flows.runs.wire import row_wire

MAX_BATCH_INPUTS = 10_000


def _check_flow(version: FlowVersion) -> IrFlow:
    if not version.is_valid:
        # The validator found problems when the version was saved: it would fail later.
        issues = list(version.validation_errors or [])
        first = issues[0].get("message") if issues and isinstance(issues[0], dict) else None
        raise RunServiceError(
            "invalid_flow",
            "this flow version is not valid"
            + (f": {first}" if first else "")
            + (f" (and {len(issues) - 1} more problems)" if len(issues) > 1 else ""),
            details={"issues": issues},
        )
    try:
        flow = parse_flow(version.ir)
        try:
            compile_flow(flow, run_catalog(), joins=run_joins())
        except EngineError:
            forget_snapshot()  # a tool saved a moment ago: read the registry again
            compile_flow(flow, run_catalog(), joins=run_joins())
    except ValidationError as exc:
        raise RunServiceError(
            "invalid_flow",
            "the flow version's IR is not valid",
            details={"errors": exc.errors(include_url=False, include_context=False)},
        ) from None
    except EngineError as exc:
        raise _no_longer_valid(version, exc) from None
    return flow


def _no_longer_valid(version: FlowVersion, exc: EngineError) -> RunServiceError:
    """A version valid when saved that the registry no longer runs (a tool deleted, disabled
    or changed since): the validator's issues as they are now, as for one saved invalid."""
    issues = [issue.to_json() for issue in validate_flow(version.ir, run_catalog(),
                                                         joins=run_joins())]
    if not issues:
        return RunServiceError("invalid_flow", str(exc))
    more = f" (and {len(issues) - 1} more problems)" if len(issues) > 1 else ""
    return RunServiceError(
        "invalid_flow",
        f"this flow version no longer validates: {issues[0]['message']}{more}",
        details={"issues": issues},
    )


def _check_input(flow: IrFlow, run_input: Any, *, index: int | None = None) -> dict[str, Any]:
    where = {"index": index} if index is not None else {}
    if not isinstance(run_input, dict):
        raise RunServiceError(
            "invalid_input", "the run input must be a JSON object", details={**where}
        )
    which = f"inputs[{index}]" if index is not None else "the run input"
    try:
        # never jsonschema.validate: it would fetch a `$ref` to anywhere (json_schemas)
        validator = schema_validator(with_required_lists(flow.input_schema), formats=True)
        # every problem at once, as a form shows them, not only the first
        errors = errors_by_path(validator, run_input)
    except (jsonschema.SchemaError, Unresolvable) as exc:
        # a version saved before its schema was checked this strictly
        raise RunServiceError(
            "invalid_flow",
            f"the flow's input_schema is not a usable JSON Schema: {exc}".split("\n")[0],
        ) from None
    if errors:
        found, said = errors_found(errors, "(input)")
        raise RunServiceError(
            "invalid_input",
            f"{which} does not fit the flow's input_schema {said}",
            details={**where, "path": found[0]["path"], "errors": found},
        )
    unknown = unknown_fields(run_input, flow.input_schema)
    if unknown:
        declared = ", ".join(sorted(flow.input_schema["properties"]))
        raise RunServiceError(
            "invalid_input",
            f"{which} has no field {unknown[0]!r}: the flow's input_schema declares {declared}",
            details={**where, "path": unknown[0], "unknown": unknown},
        )
    return run_input


def _append_event(run: Run, type_: str, data: dict[str, Any]) -> None:
    """Store one event the engine did not emit (the run is not executing) and broadcast it."""
    last = RunEvent.objects.filter(run=run).aggregate(m=Max("seq"))["m"] or 0
    row = RunEvent.objects.create(
        run=run, seq=last + 1, type=type_, node_id="", payload=data, ts=timezone.now()
    )
    run.last_seq = row.seq
    broadcast_on_commit(run.id, [row_wire(row)])


def run_create(
    *,
    user: Any,
    flow_version_id: Any,
    run_input: Any,
    enqueue: bool = True,
    watched: bool = False,
    rerun_of: Any = None,
) -> Run:
    """A new run, sent to a worker once stored. `watched`: someone opens it at once (the
    web app shows a run it starts), so its worker sends its events live from the first,
    rather than from the page's first watch mark, which a fast worker can claim before.
    `rerun_of`: the run of the same flow, one the user can see, that this one repeats."""
    version = flow_version_for_run(user=user, version_id=flow_version_id)
    if rerun_of is not None:
        _check_rerun_of(user, rerun_of, version)
    flow = _check_flow(version)
    run_tools_check(user=user, flow=flow)
    run_input = _check_input(flow, {} if run_input is None else run_input)
    now = timezone.now()
    with transaction.atomic():
        run = Run.objects.create(
            flow_version=version,
            input=run_input,
            requested_by=user,
            enqueued_at=now if enqueue else None,
            watched_until=now + timedelta(seconds=WATCH_TTL_S) if watched else None,
            rerun_of=rerun_of,
        )
        if enqueue:
            transaction.on_commit(lambda: dispatch.enqueue_run(run.id))
    return run


def _check_rerun_of(user: Any, run_id: Any, version: FlowVersion) -> None:
    original = Run.objects.filter(pk=run_id).select_related("flow_version").first()
    view = run_view_for(user, original) if original is not None else None
    if original is None or view is None:
        raise RunServiceError(
            "invalid", "rerun_of: no run with this id that you can see",
            details={"fields": {"rerun_of": ["No run with this id that you can see."]}},
        )
    if not view.manages:
        raise forbidden("rerun_of: you see that run as an approver of one of its steps; "
                        "only its owner may re-run it")
    if original.flow_id != version.flow_id:
        raise RunServiceError(
            "invalid", "rerun_of: that run is of another flow",
            details={"fields": {"rerun_of": ["That run is of another flow."]}},
        )


def run_cancel(*, run_id: Any, user: Any) -> Run:
    """Cancel a run: at once if it is not executing, else through its worker's heartbeat.
    404 for who may not see it; 403 for an approver of one of its steps (read only)."""
    _run, view = run_get_viewed(run_id=run_id, user=user)  # 404 when not visible
    if not view.manages:
        raise forbidden("you see this run as an approver of one of its steps: only its "
                        "owner may cancel it")
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run_id)
        if not user_can_view_run(user, run):
            raise forbidden("you may not cancel this run")
        if run.status in Run.TERMINAL:
            raise conflict("run_finished", f"the run is already {run.status}", status=run.status)
        run.cancel_requested = True
        fields = ["cancel_requested"]
        executing = run.status == Run.Status.RUNNING or (
            run.status == Run.Status.PENDING and run.worker
        )
        if not executing:
            run.status = Run.Status.CANCELLED
            run.finished_at = timezone.now()
            run.waiting = {}
            _append_event(run, ev.RUN_CANCELLED, {"reason": "cancelled on request"})
            fields += ["status", "finished_at", "waiting", "last_seq"]
        run.save(update_fields=fields)
        if not executing and run.batch_id:
            batch_id = run.batch_id
            transaction.on_commit(lambda: batch_advance(batch_id=batch_id))
    return run


def run_resume(
    *,
    run_id: Any,
    node_id: str,
    user: Any,
    approved: bool,
    data: dict[str, Any] | None = None,
    comment: str = "",
    inputs: dict[str, Any] | None = None,
) -> Run:
    """Decide a waiting approval (`approvals.services.step_decide`) and return its run.

    Deciding twice, deciding a node that is not waiting, or bad form data changes nothing.
    """
    from approvals.services import step_decide

    step = step_decide(
        run_id=run_id,
        node_id=node_id,
        user=user,
        approved=approved,
        data=data,
        comment=comment,
        inputs=inputs,
    )
    return Run.objects.select_related("flow_version", "requested_by").get(pk=step.run_id)


# --------------------------------------------------------------------------- batches


def batch_create(*, user: Any, flow_version_id: Any, inputs: Any, concurrency: int = 4) -> RunBatch:
    version = flow_version_for_run(user=user, version_id=flow_version_id)
    flow = _check_flow(version)
    run_tools_check(user=user, flow=flow)
    if not isinstance(inputs, list) or not inputs:
        raise RunServiceError("invalid_input", "inputs must be a non-empty list of objects")
    if len(inputs) > MAX_BATCH_INPUTS:
        raise RunServiceError("too_many_inputs", f"a batch takes at most {MAX_BATCH_INPUTS} inputs")
    if not isinstance(concurrency, int) or not 1 <= concurrency <= 1000:
        raise RunServiceError("invalid_concurrency", "concurrency must be between 1 and 1000")
    checked = [_check_input(flow, item, index=i) for i, item in enumerate(inputs)]
    with transaction.atomic():
        batch = RunBatch.objects.create(
            flow_version=version, requested_by=user, concurrency=concurrency, total=len(checked)
        )
        Run.objects.bulk_create(
            [
                Run(
                    flow_version=version,
                    flow_id=version.flow_id,
                    input=item,
                    requested_by=user,
                    batch=batch,
                    batch_index=i,
                )
                for i, item in enumerate(checked)
            ],
            batch_size=1000,
        )
        batch_advance(batch_id=batch.id)
    return batch


def batch_cancel(*, batch_id: Any, user: Any) -> RunBatch:
    from flows.runs.selectors import batch_get

    batch = batch_get(batch_id=batch_id, user=user)
    with transaction.atomic():
        batch = RunBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != RunBatch.Status.RUNNING:
            raise conflict("batch_finished", f"the batch is already {batch.status}")
        batch.status = RunBatch.Status.CANCELLED
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "finished_at"])
        queued = Run.objects.filter(batch=batch, status=Run.Status.PENDING, enqueued_at=None)
        queued.update(status=Run.Status.CANCELLED, finished_at=timezone.now())
        Run.objects.filter(batch=batch).exclude(status__in=Run.TERMINAL).update(
            cancel_requested=True
        )
    for run in Run.objects.filter(batch=batch, status=Run.Status.SUSPENDED):
        run_cancel(run_id=run.id, user=user)
    return batch


# --------------------------------------------------------------------------- recovery


def _recovered(run_id: str) -> bool:
    """Record that the run lost its worker; fail it (False) once that happened
    `conf.max_claims()` times: a run that kills or hangs every worker must not be sent
    again for ever."""
    run = Run.objects.select_for_update().get(pk=run_id)
    lost = RunEvent.objects.filter(run=run, type=ev.RUN_RECOVERED).count() + 1
    limit = conf.max_claims()
    _append_event(
        run,
        ev.RUN_RECOVERED,
        {"reason": "its worker stopped renewing the lease", "lost": lost, "limit": limit},
    )
    _append_lost_node_events(run)
    fields = ["last_seq"]
    if lost >= limit:
        error = {
            "code": "run_abandoned",
            "message": (
                f"the run lost its worker {lost} times (the limit is {limit}, "
                "DYNAMICFLOW_RUN_MAX_CLAIMS): a step may crash or hang every worker that "
                "executes it"
            ),
        }
        run.status = Run.Status.FAILED
        run.error = error
        run.finished_at = timezone.now()
        run.lease_expires_at = None
        _append_event(run, ev.RUN_FAILED, {"error": error})
        fields += ["status", "error", "finished_at", "lease_expires_at"]
        if run.batch_id:
            batch_id = run.batch_id
            transaction.on_commit(lambda: batch_advance(batch_id=batch_id))
    run.save(update_fields=fields)
    return lost < limit


#: The event that ends a node, by the status of its checkpoint.
_ENDING_EVENTS = {
    NodeAttempt.Status.COMPLETED: ev.NODE_OUTPUT,
    NodeAttempt.Status.FAILED: ev.NODE_FAILED,
    NodeAttempt.Status.SKIPPED: ev.NODE_SKIPPED,
}


def _append_lost_node_events(run: Run) -> None:
    """The ending events of the nodes whose checkpoint was committed but whose event was
    not: a worker emits a node's event just after its checkpoint commits, and one killed
    in between takes the event along. The run resumes from the checkpoint and never runs
    the node again, so without this the stream (and the run page built from it) would
    show that node running for ever. Each carries the checkpoint's times and
    `recovered: true`."""
    ended = set(
        RunEvent.objects.filter(run=run, type__in=_ENDING_EVENTS.values())
        .values_list("node_id", flat=True)
    )
    latest: dict[str, NodeAttempt] = {}
    for attempt in NodeAttempt.objects.filter(
        run=run, status__in=list(_ENDING_EVENTS)
    ).exclude(node_id__in=ended).order_by("id"):
        latest[attempt.node_id] = attempt
    seq = run.last_seq
    rows = []
    for node_id, attempt in latest.items():
        seq += 1
        data: dict[str, Any] = {"recovered": True}
        if attempt.status == NodeAttempt.Status.COMPLETED:
            data |= {"output": attempt.output, "attempts": attempt.attempt}
        elif attempt.status == NodeAttempt.Status.FAILED:
            data |= {"error": attempt.error}
        at = attempt.finished_at or timezone.now()
        duration = (
            (at - attempt.started_at).total_seconds() * 1000 if attempt.started_at else None
        )
        rows.append(RunEvent(
            run=run, seq=seq, type=_ENDING_EVENTS[attempt.status], node_id=node_id,
            payload=data, ts=at, duration_ms=duration,
        ))  # fmt: skip
    if rows:
        RunEvent.objects.bulk_create(rows)
        run.last_seq = seq
        broadcast_on_commit(run.id, [row_wire(row) for row in rows])


def runs_recover() -> list[str]:
    """Re-enqueue runs whose worker stopped renewing its lease (it died or hung), runs
    enqueued `requeue_s` ago and still not claimed, and advance open batches.

    A worker reserves messages before it starts them, and one killed with SIGKILL takes
    them along: the broker gives them back only after its visibility timeout (an hour), so
    such runs are sent again here; the lease makes a second delivery harmless. Each
    recovery happens once however many workers run this: the UPDATE hands each run to
    exactly one caller, and its new `enqueued_at` (or lease) starts a new grace period.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE flows_run SET worker = '',"
            " lease_expires_at = now() + make_interval(secs => %s), enqueued_at = now()"
            # (read off `run_unfinished_idx`: the runs not finished)
            " WHERE finished_at IS NULL AND status = 'running' AND lease_expires_at < now()"
            " RETURNING id",
            [conf.lease_s()],
        )
        ids = [str(row[0]) for row in cursor.fetchall()]
        ids = [run_id for run_id in ids if _recovered(run_id)]
        cursor.execute(
            "UPDATE flows_run SET enqueued_at = now()"
            " WHERE finished_at IS NULL AND status = 'pending'"
            " AND enqueued_at < now() - make_interval(secs => %s) RETURNING id",
            [conf.requeue_s()],
        )
        ids += [str(row[0]) for row in cursor.fetchall()]
    for run_id in ids:
        dispatch.enqueue_run(run_id)
    # A worker that died between finishing a batch run and starting the next left the
    # batch short of its concurrency (or not closed): advance every open batch.
    for batch_id in RunBatch.objects.filter(status=RunBatch.Status.RUNNING).values_list(
        "id", flat=True
    ):
        batch_advance(batch_id=batch_id)
    return ids
