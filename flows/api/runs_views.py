"""REST views for runs, their events and batches: thin, one per operation (approvals: in
approvals.api).

Every error is JSON `{"error": {"code", "message", "details"}}` with a 4xx status.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from flows.api.errors import ApplicationError, NotFound
from flows.api.fields import ChoiceField
from flows.api.pagination import Pagination
from flows.api.runs_serializers import (
    BatchDetailOutput,
    BatchInput,
    BatchOutput,
    RunDetailOutput,
    RunEventsOutput,
    RunInput,
    RunOutput,
)
from flows.api.serializers import VersionDetailOutput
from flows.api.throttles import BatchThrottle, RunThrottle, ThrottlePostMixin
from flows.api.views import ApiMixin, errors, validated
from flows.models import FlowVersion, Run
from flows.runs import selectors, services


class RunsApiView(ApiMixin, APIView):
    pass


class RunListCreateApi(ThrottlePostMixin, RunsApiView):
    post_throttles = (RunThrottle,)
    #: Read by the view and by the schema (which documents `limit` and `offset` from it).
    pagination_class = Pagination

    class Filter(serializers.Serializer):
        status = ChoiceField(choices=Run.Status.choices, required=False)
        flow_version = serializers.IntegerField(required=False, help_text="Flow version id.")
        batch = serializers.UUIDField(required=False, help_text="Batch id.")
        flow = serializers.IntegerField(required=False, help_text="Flow id (any version).")
        created_after = serializers.DateTimeField(required=False, help_text="ISO 8601.")
        created_before = serializers.DateTimeField(required=False, help_text="ISO 8601.")
        approval_rejected = serializers.BooleanField(
            required=False, allow_null=True, default=None,
            help_text="true: only runs with a rejected approval; false: only runs without one.",
        )

    @extend_schema(tags=["runs"], parameters=[Filter],
                   responses={200: RunOutput(many=True), **errors(400, 401)})
    def get(self, request: Request) -> Response:
        """Your runs (staff: everyone's), newest first; a batch's (`batch=`) in its inputs'
        order."""
        filters = validated(self.Filter, request.query_params)
        runs = selectors.run_list(
            user=request.user,
            status=filters.get("status"),
            flow_version=filters.get("flow_version"),
            batch=str(filters["batch"]) if filters.get("batch") else None,
            flow=filters.get("flow"),
            created_after=filters.get("created_after"),
            created_before=filters.get("created_before"),
            approval_rejected=filters.get("approval_rejected"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(runs, request, view=self)
        return paginator.get_paginated_response(RunOutput(page, many=True).data)

    @extend_schema(tags=["runs"], request=RunInput,
                   responses={201: RunDetailOutput, **errors(400, 401, 403, 404, 429)})
    def post(self, request: Request) -> Response:
        """Create a run of a flow version you may use; it is enqueued once stored."""
        data = validated(RunInput, request.data)
        run = services.run_create(
            user=request.user, flow_version_id=_version_id(request.user, data),
            run_input=data["input"], watched=_from_the_web_app(request),
            rerun_of=data.get("rerun_of"),
        )
        run = selectors.run_get(run_id=run.id, user=request.user)
        return Response(RunDetailOutput(run).data, status=status.HTTP_201_CREATED)


def _from_the_web_app(request: Request) -> bool:
    """Signed in with the browser's session: the web app opens the run it starts."""
    return isinstance(request.successful_authenticator, SessionAuthentication)


class RunDetailApi(RunsApiView):
    class Params(serializers.Serializer):
        nodes = serializers.BooleanField(
            required=False, default=True,
            help_text="false: the run without its node attempts (`nodes` is empty).",
        )

    @extend_schema(tags=["runs"], parameters=[Params],
                   responses={200: RunDetailOutput, **errors(400, 401, 404)})
    def get(self, request: Request, run_id: str) -> Response:
        """A run with its node attempts. Its owner and staff see all of it; an approver of
        one of its steps sees it read only (`access`); anyone else gets 404."""
        params = validated(self.Params, request.query_params)
        run, view = selectors.run_get_viewed(run_id=run_id, user=request.user)
        context = {"user": request.user, "view": view}
        if params["nodes"]:
            return Response(RunDetailOutput(run, context=context).data)
        # The same shape, without reading the attempts (a big run's page loads this first).
        return Response({**RunOutput(run, context=context).data, "nodes": []})


class RunVersionApi(RunsApiView):
    @extend_schema(tags=["runs"], responses={200: VersionDetailOutput, **errors(401, 404)})
    def get(self, request: Request, run_id: str) -> Response:
        """The flow version the run executes, with its IR, for whoever may see the run (an
        approver of one of its steps included, who may not open the flow itself)."""
        run, _view = selectors.run_get_viewed(run_id=run_id, user=request.user)
        version = FlowVersion.objects.select_related("author", "parent").get(
            pk=run.flow_version_id
        )
        return Response(VersionDetailOutput(version).data)


class RunCancelApi(RunsApiView):
    @extend_schema(tags=["runs"], request=None,
                   responses={202: RunOutput, **errors(401, 403, 404, 409)})
    def post(self, request: Request, run_id: str) -> Response:
        """Cancel a run: at once if no worker executes it, else at its next heartbeat.
        409 `run_finished` when it has already ended; 403 for an approver of one of its
        steps (who sees it read only)."""
        services.run_cancel(run_id=run_id, user=request.user)
        run = selectors.run_get(run_id=run_id, user=request.user)
        return Response(RunOutput(run).data, status=status.HTTP_202_ACCEPTED)


class RunEventsApi(RunsApiView):
    class Filter(serializers.Serializer):
        after = serializers.IntegerField(required=False, default=0, min_value=0,
                                         help_text="Only events with a larger seq.")
        limit = serializers.IntegerField(required=False, default=1000, min_value=1,
                                         max_value=5000)

    @extend_schema(tags=["runs"], parameters=[Filter],
                   responses={200: RunEventsOutput, **errors(400, 401, 404)})
    def get(self, request: Request, run_id: str) -> Response:
        """The run's stored events after `after`, in order: what the websocket sends."""
        filters = validated(self.Filter, request.query_params)
        run, view = selectors.run_get_viewed(run_id=run_id, user=request.user)
        events = selectors.run_events_after(
            run_id=run.id, after=filters["after"], limit=filters["limit"]
        )
        if view.shown is not None:
            events = [view.event(event) for event in events]
        last = events[-1]["seq"] if events else filters["after"]
        return Response({"run": str(run.id), "status": run.status, "after": last, "events": events})


class BatchCreateApi(ThrottlePostMixin, RunsApiView):
    post_throttles = (BatchThrottle,)
    @extend_schema(tags=["batches"], request=BatchInput,
                   responses={201: BatchOutput, **errors(400, 401, 403, 404, 429)})
    def post(self, request: Request) -> Response:
        """Run a flow version once per input, at most `concurrency` at a time. Every input is
        checked first: one bad input refuses the whole batch (400 with its index)."""
        data = validated(BatchInput, request.data)
        batch = services.batch_create(
            user=request.user,
            flow_version_id=_version_id(request.user, data),
            inputs=data["inputs"],
            concurrency=data["concurrency"],
        )
        return Response(BatchOutput(batch).data, status=status.HTTP_201_CREATED)


class BatchDetailApi(RunsApiView):
    class Params(serializers.Serializer):
        runs = serializers.BooleanField(
            required=False, default=True,
            help_text="false: the batch without its runs (`runs` is empty): its progress alone,"
            " for a page that reads the runs a page at a time (`GET runs/?batch=`).",
        )

    @extend_schema(tags=["batches"], parameters=[Params],
                   responses={200: BatchDetailOutput, **errors(400, 401, 404)})
    def get(self, request: Request, batch_id: str) -> Response:
        """A batch: its progress and its runs in order."""
        params = validated(self.Params, request.query_params)
        batch = selectors.batch_get(batch_id=batch_id, user=request.user)
        if params["runs"]:
            return Response(BatchDetailOutput(batch).data)
        return Response({**BatchOutput(batch).data, "runs": []})


class BatchCancelApi(RunsApiView):
    @extend_schema(tags=["batches"], request=None,
                   responses={202: BatchOutput, **errors(401, 404, 409)})
    def post(self, request: Request, batch_id: str) -> Response:
        """Cancel the batch's queued runs and ask its active ones to stop.
        409 `batch_finished` when it has already ended."""
        batch = services.batch_cancel(batch_id=batch_id, user=request.user)
        return Response(BatchOutput(batch).data, status=status.HTTP_202_ACCEPTED)


def _version_id(user: Any, data: dict[str, Any]) -> Any:
    """The version id a run request names, directly or as a flow and a version number."""
    if "flow_version" in data:
        return data["flow_version"]
    from flows.api import selectors as flow_selectors

    # A 404 says which field named what was not found, as one for `flow_version` does.
    try:
        flow = flow_selectors.flow_get(user=user, flow_id=data["flow"])
    except NotFound as exc:
        raise NotFound(exc.message, details={"field": "flow"}) from None
    if "version" in data:
        try:
            return flow_selectors.flow_version_get(flow=flow, number=data["version"]).pk
        except NotFound as exc:
            raise NotFound(exc.message, details={"field": "version"}) from None
    latest = flow.versions.order_by("-number").only("pk").first()
    if latest is None:
        raise ApplicationError(f"flow: flow {flow.pk} has no version to run.",
                               code="invalid", details={"fields": {"flow": ["No versions."]}})
    return latest.pk
