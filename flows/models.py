"""Flows, their immutable versions, plan requests, and runs with their node attempts and events."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from flows.schema_order import ir_with_recorded_order, ir_with_restored_order


class Timed:
    """For models with `started_at` and `finished_at`."""

    started_at: Any
    finished_at: Any

    @property
    def duration_ms(self) -> float | None:
        """Milliseconds from start to finish; None until both are set."""
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds() * 1000.0
        return None


class Flow(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flows"
    )
    shared_with_groups = models.ManyToManyField("auth.Group", blank=True, related_name="flows")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        # The flows list's order, read off an index rather than sorting every flow.
        indexes = [models.Index(fields=["-updated_at", "-id"], name="flow_updated_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def latest_version(self) -> FlowVersion | None:
        return self.versions.order_by("-number").first()


class IrField(models.JSONField):
    """An IR in jsonb, its forms' fields kept in their author's order (flows.schema_order):
    the order is recorded on the way in and restored on the way out."""

    def get_prep_value(self, value: Any) -> Any:
        return super().get_prep_value(ir_with_recorded_order(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return ir_with_restored_order(super().from_db_value(value, expression, connection))

    def deconstruct(self) -> Any:
        # Stored exactly as a JSONField is: migrations have nothing to change.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


class FlowVersion(models.Model):
    """One immutable IR of a flow. Editing a flow makes a new version."""

    class Source(models.TextChoices):
        PLANNER = "planner"
        EDITOR = "editor"
        API = "api"

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    ir = IrField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.API)
    is_valid = models.BooleanField(default=False)
    validation_errors = models.JSONField(default=list, blank=True)
    # What may stop it finishing as meant though it runs (`services.ir_warnings`, as its
    # author saw them when it was saved): the flows list shows their count without
    # validating each flow's IR again.
    validation_warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["flow", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "number"], name="unique_flow_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.flow.name} v{self.number}"


class PlanRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prompt = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_requests"
    )
    planner = models.CharField(max_length=32)
    model = models.CharField(max_length=200, blank=True)
    tool_ids = models.JSONField(default=list, blank=True)
    base_version = models.ForeignKey(
        FlowVersion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a refinement: the version the instruction applies to.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    latency_ms = models.FloatField(null=True, blank=True)
    cache_hit = models.BooleanField(default=False)
    events = models.JSONField(default=list, blank=True)
    ir = IrField(null=True, blank=True)
    error = models.TextField(blank=True)
    #: What the person should know about how it was planned, though nothing failed:
    #: [{"code", "message"}] (`llm_unavailable`: the LLM planner was asked for but no model
    #: is configured, so the offline planner planned it).
    warnings = models.JSONField(default=list, blank=True)
    resulting_version = models.ForeignKey(
        FlowVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"plan {self.id} ({self.status})"


class Run(Timed, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        SUSPENDED = "suspended"
        COMPLETED = "completed"
        FAILED = "failed"
        CANCELLED = "cancelled"

    TERMINAL = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    flow_version = models.ForeignKey(
        FlowVersion,
        on_delete=models.PROTECT,
        related_name="runs",
        db_index=False,  # `run_version_created_idx` leads with it
    )
    # The version's flow, kept on the run (set on save from `flow_version`) so that a
    # flow's runs, newest first, are read off one index (`run_flow_created_idx`) however
    # many versions and runs it has: the runs list filtered by flow, the flows list's
    # last run.
    flow = models.ForeignKey(
        Flow, on_delete=models.PROTECT, related_name="runs", db_index=False, editable=False
    )
    batch = models.ForeignKey(
        "RunBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
        db_index=False,  # `run_batch_index_idx` leads with it
    )
    input = models.JSONField(default=dict, blank=True)
    # Not indexed (nor is `lease_expires_at`): a claim, a lease renewal and a suspension
    # then rewrite the row in place (a heap-only update, in the room `fillfactor` leaves
    # on its page) instead of adding an entry to every index of the table. Runs not yet
    # finished, which the reaper reads, are found by `run_unfinished_idx`.
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    result = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="runs", db_index=False
    )
    cancel_requested = models.BooleanField(default=False)
    last_seq = models.PositiveIntegerField(default=0)
    #: The lease holder ("host:pid:token") while a worker executes the run; "" when none.
    #: Every checkpoint write is fenced on it, so a worker that lost its lease writes nothing.
    worker = models.CharField(max_length=200, blank=True)
    #: The holder must renew the lease before this moment, or any worker may take the run over.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    #: Someone has the run open in a browser until this moment (its page renews the mark):
    #: a worker reads it with its claim and lease renewals, and broadcasts only when set.
    watched_until = models.DateTimeField(null=True, blank=True, editable=False)
    #: How many times a worker has claimed the run (1 for a run that never stopped).
    attempts = models.PositiveIntegerField(default=0)
    #: Approval node id -> the request shown to approvers, while the run waits on them.
    waiting = models.JSONField(default=dict, blank=True)
    #: Approval node id -> the decision taken, until the runner has applied it.
    decisions = models.JSONField(default=dict, blank=True)
    #: Position in its batch; batch runs start in this order.
    batch_index = models.PositiveIntegerField(null=True, blank=True)
    #: The run this one repeats (its Re-run, or a run started again with its input edited):
    #: an id, not a key, so deleting that run leaves this one as it is.
    rerun_of = models.UUIDField(null=True, blank=True, editable=False)
    #: When a task was enqueued for the run (a batch holds runs back until a slot frees).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The runs not finished: pending, running and suspended ones (few, whatever
            # the table's size). Only an outcome that ends a run sets `finished_at`.
            models.Index(
                fields=["id"], condition=Q(finished_at__isnull=True), name="run_unfinished_idx"
            ),
            models.Index(fields=["requested_by", "-created_at"], name="run_owner_created_idx"),
            models.Index(fields=["batch", "batch_index"], name="run_batch_index_idx"),
            # A version's and a flow's runs newest first, without sorting all of them;
            # and everyone's runs newest first (staff's runs list).
            models.Index(fields=["flow_version", "-created_at"], name="run_version_created_idx"),
            models.Index(fields=["flow", "-created_at"], name="run_flow_created_idx"),
            models.Index(fields=["-created_at", "-id"], name="run_created_idx"),
        ]

    def __str__(self) -> str:
        return f"run {self.id} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.flow_id is None and self.flow_version_id is not None:
            self.flow_id = self.flow_version.flow_id
        super().save(*args, **kwargs)


class NodeAttempt(Timed, models.Model):
    """One attempt at one node of a run: the checkpoint of a completed node lives here."""

    class Status(models.TextChoices):
        RUNNING = "running"
        COMPLETED = "completed"
        SKIPPED = "skipped"
        FAILED = "failed"
        WAITING = "waiting"

    # Append-only and written once per node on the hot path: no database-level foreign
    # key (its check locks the run row on every insert) and no index of its own (the
    # (run, node_id) index serves run lookups). Django still cascades deletes.
    run = models.ForeignKey(
        Run,
        on_delete=models.CASCADE,
        related_name="node_attempts",
        db_constraint=False,
        db_index=False,
    )
    node_id = models.CharField(max_length=64)
    attempt = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices)
    inputs = models.JSONField(null=True, blank=True)
    output = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "id"]
        indexes = [models.Index(fields=["run", "node_id"])]

    def __str__(self) -> str:
        return f"{self.node_id}#{self.attempt} ({self.status})"


class RunEvent(models.Model):
    # Keyed by (run, seq): two events per node are written on the hot path, and this one
    # index serves every lookup and refuses a second event with the same seq. As
    # NodeAttempt.run, no database-level foreign key.
    pk = models.CompositePrimaryKey("run_id", "seq")
    run = models.ForeignKey(
        Run, on_delete=models.CASCADE, related_name="events", db_constraint=False, db_index=False
    )
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=32)
    node_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    ts = models.DateTimeField()
    elapsed_ms = models.FloatField(null=True, blank=True)
    duration_ms = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["run", "seq"]

    def __str__(self) -> str:
        return f"{self.seq} {self.type}"


class RunBatch(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running"
        COMPLETED = "completed"
        CANCELLED = "cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    flow_version = models.ForeignKey(FlowVersion, on_delete=models.PROTECT, related_name="batches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="run_batches"
    )
    concurrency = models.PositiveIntegerField(default=4)
    total = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "run batch"
        verbose_name_plural = "run batches"

    def __str__(self) -> str:
        return f"batch {self.id} ({self.status})"
