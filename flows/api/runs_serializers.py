"""Request and response shapes of the runs, approvals and batches API (runs_views).

Each output is also the OpenAPI schema of its response, so the document and the wire
cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from django.db.models import TextChoices
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from approvals.selectors import open_steps_reach
from flows.api.fields import JsonObjectField
from flows.models import NodeAttempt, Run, RunBatch
from flows.runs import selectors, services
from flows.runs.visibility import APPROVER, FULL, OWNER, RunView


def status_field(choices: type[TextChoices], component_name: str) -> type[serializers.Field]:
    """A read-only status field documented as one named enum component.

    Runs, batches and node attempts all have a `status`, each with its own choices, and
    the run status appears in several outputs: left to drf-spectacular's enum naming they
    would come out as hash-suffixed names (`StatusC1cEnum`) with a warning.
    """

    @extend_schema_field({"type": "string", "enum": list(choices.values)},
                         component_name=component_name)
    class StatusField(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, read_only=True, **kwargs)

    return StatusField


RunStatusField = status_field(Run.Status, "RunStatusEnum")
BatchStatusField = status_field(RunBatch.Status, "BatchStatusEnum")
NodeAttemptStatusField = status_field(NodeAttempt.Status, "NodeAttemptStatusEnum")


def duration_field() -> serializers.FloatField:
    return serializers.FloatField(
        read_only=True, allow_null=True, help_text="Milliseconds from start to finish."
    )


class NodeAttemptOutput(serializers.ModelSerializer):
    status = NodeAttemptStatusField()
    duration_ms = duration_field()
    withheld = serializers.SerializerMethodField(
        help_text="Its inputs, output and error are not shown to you (null; an error keeps its"
        " code): an approver sees the nodes up to their step, not those past it."
    )

    class Meta:
        model = NodeAttempt
        fields = [
            "node_id",
            "attempt",
            "status",
            "inputs",
            "output",
            "error",
            "worker",
            "started_at",
            "finished_at",
            "duration_ms",
            "withheld",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_withheld(self, obj: NodeAttempt) -> bool:
        return False


class WaitingOutput(serializers.Serializer):
    """An approval the run is suspended on: which step, not what it shows (that is sealed;
    its assignees read it at GET /approvals/<run>/<node>/)."""

    node_id = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    form_schema = serializers.JSONField(
        allow_null=True, help_text="Always null: the form is shown to assignees only."
    )
    assignees = serializers.JSONField(allow_null=True, help_text='{"users": [], "groups": []}')
    decided = serializers.BooleanField(help_text="Decided, and waiting for the run to resume.")
    can_decide = serializers.BooleanField(
        required=False, help_text="You may decide it now (run detail only)."
    )
    approvers = serializers.IntegerField(
        required=False,
        help_text="How many active users you know of may decide it (run detail only); 0:"
        " nobody among its users and groups you may name.",
    )
    missing_groups = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="Its assignee groups that do not exist, or (for anyone but staff) that you"
        " may not name, the same answer for both (run detail only); their members are not"
        " counted in `approvers`.",
    )
    missing_users = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="Its assignee users with no active account, or (for anyone but staff) whom"
        " you may not name, the same answer for both (run detail only); not counted in"
        " `approvers`.",
    )


@extend_schema_field({"type": "string", "enum": [OWNER, APPROVER]},
                     component_name="RunAccessRoleEnum")
class RunAccessRoleField(serializers.CharField):
    """Named, as the statuses are: left to drf-spectacular it would be a bare `RoleEnum`."""


class RunAccessOutput(serializers.Serializer):
    """How you see the run: as its owner (or staff), all of it, and you may cancel and
    re-run it; as an approver of one of its steps, read only, with the inputs, outputs and
    errors of the nodes up to your step (`shown_nodes`) and not its result."""

    role = RunAccessRoleField()
    shown_nodes = serializers.ListField(
        child=serializers.CharField(), allow_null=True,
        help_text="The nodes whose data you see; null: every node.",
    )


class RunOutput(serializers.ModelSerializer):
    status = RunStatusField()
    flow = serializers.IntegerField(source="flow_version.flow_id", read_only=True)
    flow_name = serializers.CharField(source="flow_version.flow.name", read_only=True)
    version = serializers.IntegerField(
        source="flow_version.number", read_only=True, help_text="The version's number in its flow."
    )
    requested_by = serializers.CharField(source="requested_by.get_username", read_only=True)
    duration_ms = duration_field()
    waiting = serializers.SerializerMethodField()
    lease_expires_at = serializers.DateTimeField(
        read_only=True, allow_null=True,
        help_text="While a worker executes the run: when it must next renew its lease (by"
        " default it does every half second). Past it, the worker is taken to have stopped,"
        " and the run is sent to another worker that goes on from its checkpoints.",
    )

    access = serializers.SerializerMethodField()
    approval_rejected = serializers.SerializerMethodField(
        help_text="An approval of the run was rejected (by a person, or by its deadline):"
        " a completed run then went on without the steps after it, or took its rejected"
        " path. Say so beside `status`, not as a plain success.",
    )

    class Meta:
        model = Run
        fields = [
            "id",
            "flow",
            "flow_name",
            "flow_version",
            "version",
            "batch",
            "batch_index",
            "status",
            "input",
            "result",
            "error",
            "waiting",
            "requested_by",
            "cancel_requested",
            "attempts",
            "last_seq",
            "created_at",
            "started_at",
            "finished_at",
            "duration_ms",
            "lease_expires_at",
            "rerun_of",
            "access",
            "approval_rejected",
        ]

    def _view(self) -> RunView:
        view: RunView = self.context.get("view", FULL)
        return view

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_approval_rejected(self, obj: Run) -> bool:
        return selectors.run_approval_rejected(obj)

    @extend_schema_field(RunAccessOutput)
    def get_access(self, obj: Run) -> dict[str, Any]:
        view = self._view()
        shown = sorted(view.shown) if view.shown is not None else None
        return {"role": view.role, "shown_nodes": shown}

    def to_representation(self, instance: Run) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        view = self._view()
        if view.shown is not None:
            # the result comes from the nodes past the step; an error, from any node
            data["result"] = None
            data["error"] = view.error(data["error"])
        return data

    @extend_schema_field(WaitingOutput(many=True))
    def get_waiting(self, obj: Run) -> list[dict[str, Any]]:
        decided = obj.decisions or {}
        # Who can decide each step, for the user asking (the run detail passes them).
        user = self.context.get("user")
        reach = open_steps_reach(obj, user) if user is not None and obj.waiting else {}
        return [
            {
                "node_id": node_id,
                "title": request.get("title"),
                "form_schema": None,
                "assignees": request.get("assignees"),
                "decided": node_id in decided,
                **reach.get(node_id, {}),
            }
            for node_id, request in (obj.waiting or {}).items()
        ]


class RunDetailOutput(RunOutput):
    nodes = serializers.SerializerMethodField()

    class Meta(RunOutput.Meta):
        fields = [*RunOutput.Meta.fields, "nodes"]

    @extend_schema_field(NodeAttemptOutput(many=True))
    def get_nodes(self, obj: Run) -> list[dict[str, Any]]:
        rows = NodeAttemptOutput(selectors.run_node_attempts(obj), many=True).data
        view = self._view()
        return rows if view.shown is None else [view.attempt(row) for row in rows]


class EventOutput(serializers.Serializer):
    """One stored event, as `selectors.run_events_after` (and the websocket) sends it."""

    seq = serializers.IntegerField()
    type = serializers.CharField()
    ts = serializers.FloatField(help_text="Unix time, seconds.")
    run_id = serializers.UUIDField()
    node_id = serializers.CharField(allow_null=True)
    data = serializers.JSONField()
    elapsed_ms = serializers.FloatField(allow_null=True, help_text="Since the run started.")
    duration_ms = serializers.FloatField(allow_null=True)
    data_withheld = serializers.BooleanField(
        required=False,
        help_text="Present (true) when the values in `data` (inputs, output, error, context)"
        " are withheld from you: an approver sees the nodes up to their step.",
    )


class BatchProgressOutput(serializers.Serializer):
    total = serializers.IntegerField()
    done = serializers.IntegerField(help_text="Runs that completed, failed or were cancelled.")
    by_status = serializers.DictField(child=serializers.IntegerField(),
                                      help_text="Run status -> how many runs have it.")
    approval_rejected = serializers.IntegerField(
        help_text="Completed runs with a rejected approval (also counted in"
        " by_status.completed)."
    )
    fraction = serializers.FloatField()


class BatchOutput(serializers.ModelSerializer):
    status = BatchStatusField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = RunBatch
        fields = [
            "id",
            "flow_version",
            "status",
            "concurrency",
            "total",
            "progress",
            "created_at",
            "finished_at",
        ]

    @extend_schema_field(BatchProgressOutput)
    def get_progress(self, obj: RunBatch) -> dict[str, Any]:
        return selectors.batch_progress(obj)


class BatchRunOutput(serializers.Serializer):
    id = serializers.UUIDField()
    index = serializers.IntegerField(source="batch_index", allow_null=True)
    status = RunStatusField()
    approval_rejected = serializers.BooleanField(
        read_only=True, help_text="An approval of the run was rejected."
    )


class BatchDetailOutput(BatchOutput):
    runs = serializers.SerializerMethodField()

    class Meta(BatchOutput.Meta):
        fields = [*BatchOutput.Meta.fields, "runs"]

    @extend_schema_field(BatchRunOutput(many=True))
    def get_runs(self, obj: RunBatch) -> list[dict[str, Any]]:
        return BatchRunOutput(selectors.batch_runs(obj), many=True).data


@extend_schema_field(OpenApiTypes.OBJECT)
class RunInputField(serializers.JSONField):
    """A run input. An object is checked as every stored JSON object is (no NUL characters,
    which Postgres cannot store); anything else reaches the service, whose `invalid_input`
    says what a run input must be."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        return JsonObjectField().run_validation(value) if isinstance(value, dict) else value


class VersionRefInput(serializers.Serializer):
    """Which version to run: its id, or a flow and a version number (default: the latest)."""

    flow_version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1,
        help_text="Id of the flow version to run (or give `flow` and `version`).")
    flow = serializers.IntegerField(required=False, min_value=1, max_value=2_147_483_647,
                                    help_text="Id of the flow to run (instead of flow_version).")
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=2_147_483_647,
        help_text="With `flow`: the version number to run; default the latest.")

    #: What `validate` checks, in the OpenAPI document: flow_version alone, or flow (with
    #: or without version).
    schema_constraints = {
        "oneOf": [
            {"required": ["flow_version"],
             "not": {"anyOf": [{"required": ["flow"]}, {"required": ["version"]}]}},
            {"required": ["flow"], "not": {"required": ["flow_version"]}},
        ],
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("flow_version" in attrs) == ("flow" in attrs):
            raise serializers.ValidationError({"flow_version": [
                "Give either flow_version (a version id) or flow (and optionally version)."]})
        if "version" in attrs and "flow" not in attrs:
            raise serializers.ValidationError({"version": ["version needs flow."]})
        return attrs


class RunInput(VersionRefInput):
    input = RunInputField(
        required=False, default=dict, help_text="A JSON object that fits the flow's input_schema."
    )
    rerun_of = serializers.UUIDField(
        required=False, help_text="The run this one repeats: a run of the same flow you can see."
    )


RunEventsOutput = inline_serializer(
    name="RunEventsOutput",
    fields={
        "run": serializers.UUIDField(),
        "status": RunStatusField(),
        "after": serializers.IntegerField(help_text="The last seq returned: the next `after`."),
        "events": EventOutput(many=True),
    },
)


class BatchInput(VersionRefInput):
    inputs = serializers.ListField(
        child=RunInputField(), allow_empty=False, max_length=services.MAX_BATCH_INPUTS,
        help_text="One run input per run, each a JSON object that fits the flow's input_schema.",
    )
    concurrency = serializers.IntegerField(required=False, default=4, min_value=1, max_value=1000)
