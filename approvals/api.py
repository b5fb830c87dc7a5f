"""REST views for approvals (mounted under /api/v1/ by flows.api.runs_urls): the inbox,
one step, deciding it. Only a step's assignees and staff see it; for anyone else every
method answers 404, so nobody learns that a step exists.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from approvals import selectors, services
from approvals.serializers import DecisionInput, StepDetailOutput, StepOutput, step_detail
from flows.api.pagination import Pagination
from flows.api.runs_serializers import RunOutput
from flows.api.runs_views import RunsApiView
from flows.api.views import errors, validated
from flows.runs.selectors import run_get_viewed


class _StepApiView(RunsApiView):
    """Before any method (a body is even read): 404 for someone who may not see the step,
    so no answer (400, 405, OPTIONS) tells them it exists."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.step = services.step_for_user(
            run_id=kwargs.get("run_id"), node_id=kwargs.get("node_id", ""), user=request.user
        )


def _decide(request: Request, run_id: Any, node_id: str) -> Any:
    data = validated(DecisionInput, request.data)
    return services.step_decide(
        run_id=run_id,
        node_id=node_id,
        user=request.user,
        approved=data["approved"],
        data=data["data"],
        comment=data["comment"],
        inputs=data["inputs"],
    )


class InboxApi(RunsApiView):
    #: Read by the view and by the schema (which documents `limit` and `offset` from it).
    pagination_class = Pagination

    class Filter(serializers.Serializer):
        search = serializers.CharField(
            required=False, allow_blank=True, max_length=200,
            help_text="Words, each in the step's title or node id, its flow's name or who "
                      "started its run (any case).")
        flow = serializers.IntegerField(required=False, help_text="Flow id.")

    @extend_schema(tags=["approvals"], operation_id="v1_approvals_list", parameters=[Filter],
                   responses={200: StepOutput(many=True), **errors(400, 401)})
    def get(self, request: Request) -> Response:
        """The steps waiting for me (by name or group), oldest first, a page at a time as
        every list of the API: `count` counts them all (those matching the filters);
        `next` is the following page (null on the last). Two queries a page, however many
        steps wait."""
        filters = validated(self.Filter, request.query_params)
        steps = selectors.inbox_steps_matching(
            selectors.inbox_steps(request.user),
            search=filters.get("search", ""), flow=filters.get("flow"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(steps, request, view=self)
        steps_out = StepOutput(page, many=True, context={"request": request})
        return paginator.get_paginated_response(steps_out.data)


class StepApi(_StepApiView):
    @extend_schema(tags=["approvals"], operation_id="v1_approvals_retrieve",
                   responses={200: StepDetailOutput, **errors(401, 404)})
    def get(self, request: Request, run_id: str, node_id: str) -> Response:
        """One step: context, form, proposed tool inputs, decisions, place in the flow.
        Every look is written to the audit log."""
        step = services.step_view(run_id=run_id, node_id=node_id, user=request.user)
        return Response(step_detail(step, request.user, request))

    @extend_schema(tags=["approvals"], operation_id="v1_approvals_decide",
                   request=DecisionInput,
                   responses={202: StepDetailOutput, **errors(400, 401, 404, 409)})
    def post(self, request: Request, run_id: str, node_id: str) -> Response:
        """Approve or reject. The form data is checked against the step's form schema (and
        edited tool inputs against the tool's input schema); once the quorum is met the run
        continues. 409 `already_decided` says by whom; 409 `not_waiting` when the run ended."""
        step = _decide(request, run_id, node_id)
        step = selectors.step_get(run_id=step.run_id, node_id=step.node_id, user=request.user)
        return Response(step_detail(step, request.user, request), status=status.HTTP_202_ACCEPTED)


class RunApprovalApi(_StepApiView):
    """Deciding through the run, answering with the run as its reader may see it: all of it
    for its owner and staff, read only up to the step for any other assignee
    (flows.runs.visibility)."""

    @extend_schema(tags=["approvals"], request=DecisionInput,
                   responses={202: RunOutput, **errors(400, 401, 404, 409)})
    def post(self, request: Request, run_id: str, node_id: str) -> Response:
        """Decide a step, as POST approvals/<run>/<node>/ does, answering with the run."""
        step = _decide(request, run_id, node_id)
        run, view = run_get_viewed(run_id=step.run_id, user=request.user)
        return Response(RunOutput(run, context={"view": view}).data,
                        status=status.HTTP_202_ACCEPTED)
