"""Request and response shapes of the approvals API (`approvals.api`); each output is also
its OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals import selectors
from approvals.models import ApprovalStep
from flows.api.fields import JsonObjectField
from flows.runs.visibility import run_view_for
from flows.schema_order import listed_order


@extend_schema_field({"type": "string", "enum": list(ApprovalStep.Status.values)},
                     component_name="ApprovalStatusEnum")
class StepStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ApprovalStep.Status.choices, read_only=True, **kwargs)


#: At most this many of a run input's values, each cut to this many characters, in a row.
SUMMARY_VALUES, SUMMARY_CHARS = 3, 40


def _form_order(schema: Any) -> list[str]:
    """The run form's field order (as the web app's `fieldOrder`): the schema's properties
    in their author's order (restored when the IR is read), `x-order` / `ui:order` first."""
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return []
    return (
        listed_order(schema)
        or listed_order(schema, "ui:order")
        or list(schema["properties"])
    )


def input_summary(run_input: Any, schema: Any = None) -> str:
    """ "order_id ORD-79 · amount 2034": the run's first plain input values (text, numbers,
    yes/no), so steps of one flow can be told apart in the inbox; first in the order its
    run form asks them (`schema`, the flow's input_schema), not the stored one (jsonb sorts
    keys shortest first: a form of email, total, subject, body was summed up from 'body')."""
    if not isinstance(run_input, dict):
        return ""
    order = [key for key in _form_order(schema) if key in run_input]
    said = []
    for key in [*order, *(key for key in run_input if key not in order)]:
        value = run_input[key]
        if isinstance(value, bool):
            value = "yes" if value else "no"
        if not isinstance(value, str | int | float) or value == "":
            continue
        text = " ".join(str(value).split())
        if len(text) > SUMMARY_CHARS:
            text = text[: SUMMARY_CHARS - 1] + "…"
        said.append(f"{key} {text}")
        if len(said) == SUMMARY_VALUES:
            break
    return " · ".join(said)


class AssigneesOutput(serializers.Serializer):
    users = serializers.ListField(child=serializers.CharField())
    groups = serializers.ListField(child=serializers.CharField())


class StepOutput(serializers.Serializer):
    """A step as the inbox lists it: where it comes from, who decides, by when."""

    id = serializers.UUIDField()
    run = serializers.UUIDField(source="run_id")
    node_id = serializers.CharField()
    title = serializers.CharField()
    flow = serializers.CharField(source="run.flow_version.flow.name", help_text="Flow name.")
    flow_id = serializers.IntegerField(source="run.flow_version.flow_id")
    flow_version = serializers.IntegerField(source="run.flow_version_id")
    run_status = serializers.CharField(source="run.status")
    requested_by = serializers.CharField(source="run.requested_by.get_username")
    assignees = AssigneesOutput()
    status = StepStatusField()
    quorum = serializers.IntegerField(help_text="Approvals needed.")
    reject_quorum = serializers.IntegerField(help_text="Rejections that reject it.")
    approvals = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(help_text="When the run suspended on it.")
    deadline = serializers.DateTimeField(allow_null=True)
    on_timeout = serializers.CharField()
    escalated_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    timed_out = serializers.BooleanField()
    input_summary = serializers.SerializerMethodField(
        help_text="The run's input in a line (its first plain values), to tell steps apart."
    )
    url = serializers.SerializerMethodField(
        help_text="This step's endpoint: GET it to read the step, POST a decision to it."
    )

    def get_url(self, step: ApprovalStep) -> str:
        path = reverse("approval-detail", kwargs={"run_id": step.run_id, "node_id": step.node_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_input_summary(self, step: ApprovalStep) -> str:
        ir = step.run.flow_version.ir  # selected with the step: no query of its own
        schema = ir.get("input_schema") if isinstance(ir, dict) else None
        return input_summary(step.run.input, schema)

    def get_approvals(self, step: ApprovalStep) -> int:
        counted = getattr(step, "approval_count", None)  # `inbox_steps` counts them at once
        if counted is not None:
            return int(counted)
        return step.decisions.filter(approved=True).count()


class DecisionOutput(serializers.Serializer):
    by = serializers.CharField()
    approved = serializers.BooleanField()
    at = serializers.DateTimeField()
    comment = serializers.CharField(allow_blank=True)
    data = serializers.JSONField()
    inputs = serializers.JSONField(allow_null=True, help_text="Edited tool inputs, if any.")


class ReviewOutput(serializers.Serializer):
    """The tool call a step reviews: proposed inputs beside the approved ones."""

    node = serializers.CharField(help_text="The tool node that runs next.")
    tool = serializers.CharField()
    input_schema = serializers.JSONField()
    proposed = serializers.JSONField(help_text="What the run was about to send.")
    approved = serializers.JSONField(allow_null=True, help_text="What it sends, once approved.")


@extend_schema_field({"type": "string", "enum": ["rejected", "timed-out"], "nullable": True},
                     component_name="ApprovalOutcomeEnum")
class ApprovalOutcomeField(serializers.CharField):
    """How a decided approval ended other than approved by a person (null otherwise)."""


class GraphNodeOutput(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField(allow_null=True)
    outcome = ApprovalOutcomeField(
        allow_null=True,
        help_text="An approval of the run that was rejected, or decided by its deadline.",
    )


class GraphOutput(serializers.Serializer):
    nodes = GraphNodeOutput(many=True)
    edges = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()), help_text="[from, to] pairs."
    )


class StepDetailOutput(StepOutput):
    """One step with what it shows its approver, its decisions and its place in the flow."""

    instructions = serializers.CharField(allow_blank=True)
    context = serializers.JSONField(help_text="Values computed for the approver.")
    form_schema = serializers.JSONField(help_text="JSON Schema of the form to fill in.")
    review = ReviewOutput(allow_null=True)
    decisions = DecisionOutput(many=True)
    can_decide = serializers.BooleanField(help_text="Whether you may decide it now.")
    can_view_run = serializers.BooleanField(
        help_text="Whether you may open its run: its owner and staff see all of it, its"
        " assignees see it read only, up to their step."
    )
    graph = GraphOutput()
    approvers = serializers.IntegerField(
        allow_null=True,
        help_text="While it waits: how many active users may decide it (0: nobody but staff,"
        " until someone joins its groups); null once decided.",
    )
    missing_groups = serializers.ListField(
        child=serializers.CharField(),
        help_text="Its groups that do not exist (or, for anyone but staff, that you may not"
        " name).",
    )
    missing_users = serializers.ListField(
        child=serializers.CharField(),
        help_text="Its users with no active account (or, for anyone but staff, that you may"
        " not name).",
    )


def context_in_form_order(context: Any, ir: Any, node_id: str) -> Any:
    """The step's context with a value that is the run's input (its expression is `input`)
    in the run form's field order: the input is stored as jsonb, shortest key first, and
    the approver read "Body, Email, Total, Subject" under a form asking the email first."""
    if not isinstance(context, dict) or not isinstance(ir, dict):
        return context
    node = next((n for n in ir.get("nodes") or () if isinstance(n, dict)
                 and n.get("id") == node_id), None)
    expressions = node.get("context") if isinstance(node, dict) else None
    order = _form_order(ir.get("input_schema"))
    if not isinstance(expressions, dict) or not order:
        return context
    shown = dict(context)
    for key, value in context.items():
        if isinstance(value, dict) and str(expressions.get(key, "")).strip() == "input":
            first = [k for k in order if k in value]
            shown[key] = {k: value[k] for k in [*first, *(k for k in value if k not in first)]}
    return shown


def step_detail(step: ApprovalStep, user: Any, request: Any = None) -> dict[str, Any]:
    """The data of StepDetailOutput (unsealed)."""
    contents = selectors.step_contents(step)
    decisions = selectors.step_decisions(step)
    review = contents.get("review")
    if review:
        edited = [d["inputs"] for d in decisions if d["approved"] and d["inputs"] is not None]
        approved = None
        if step.status == ApprovalStep.Status.APPROVED:
            approved = edited[-1] if edited else review.get("proposed")
        review = {**review, "approved": approved}
    answered = any(d["by"] == user.get_username() for d in decisions)
    can_decide = (
        step.status == ApprovalStep.Status.PENDING
        and step.run.status not in ("completed", "failed", "cancelled")
        and not answered
    )
    return {
        **StepOutput(step, context={"request": request}).data,
        "instructions": contents.get("instructions", ""),
        "context": context_in_form_order(
            contents.get("context", {}), step.run.flow_version.ir, step.node_id
        ),
        "form_schema": contents.get("form_schema", {"type": "object"}),
        "review": review,
        "decisions": DecisionOutput(decisions, many=True).data,
        "can_decide": can_decide,
        "can_view_run": run_view_for(user, step.run) is not None,
        "graph": selectors.step_graph(step),
        **_reach(step, user),
    }


def _reach(step: ApprovalStep, user: Any) -> dict[str, Any]:
    """Who can decide the step while it waits, as the run page says it
    (`selectors.open_steps_reach`)."""
    reach = None
    if step.status == ApprovalStep.Status.PENDING:
        reach = selectors.open_steps_reach(step.run, user).get(step.node_id)
    if reach is None:
        return {"approvers": None, "missing_groups": [], "missing_users": []}
    return {key: reach[key] for key in ("approvers", "missing_groups", "missing_users")}


class DecisionInput(serializers.Serializer):
    approved = serializers.BooleanField()
    data = JsonObjectField(
        required=False, default=dict,
        help_text="The filled-in form, checked against its form_schema (a rejection may "
                  "leave its required fields out).",
    )
    comment = serializers.CharField(required=False, default="", allow_blank=True,
                                    max_length=4000)
    inputs = JsonObjectField(
        required=False, default=None, allow_null=True,
        help_text="For a step that reviews a tool call: the inputs to send instead of the "
        "proposed ones, checked against the tool's input_schema.",
    )
