"""REST views for runs, their events, approvals and batches: thin, one per operation.

Every error is JSON `{"error": {"code", "message", "details"}}` with a 4xx status.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from flows.api.views import ApiMixin
from flows.models import NodeAttempt, Run, RunBatch
from flows.runs import selectors, services


class RunsApiView(ApiMixin, APIView):
    pass


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --------------------------------------------------------------------------- output


class NodeAttemptOutput(serializers.ModelSerializer):
    duration_ms = serializers.SerializerMethodField()

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
        ]

    def get_duration_ms(self, obj: NodeAttempt) -> float | None:
        if obj.started_at and obj.finished_at:
            return (obj.finished_at - obj.started_at).total_seconds() * 1000.0
        return None


class RunOutput(serializers.ModelSerializer):
    flow = serializers.IntegerField(source="flow_version.flow_id", read_only=True)
    requested_by = serializers.CharField(source="requested_by.get_username", read_only=True)
    duration_ms = serializers.SerializerMethodField()
    waiting = serializers.SerializerMethodField()

    class Meta:
        model = Run
        fields = [
            "id",
            "flow",
            "flow_version",
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
        ]

    def get_duration_ms(self, obj: Run) -> float | None:
        if obj.started_at and obj.finished_at:
            return (obj.finished_at - obj.started_at).total_seconds() * 1000.0
        return None

    def get_waiting(self, obj: Run) -> list[dict[str, Any]]:
        decided = obj.decisions or {}
        return [
            {
                "node_id": node_id,
                "title": request.get("title"),
                "form_schema": request.get("form_schema"),
                "assignees": request.get("assignees"),
                "decided": node_id in decided,
            }
            for node_id, request in (obj.waiting or {}).items()
        ]


class RunDetailOutput(RunOutput):
    nodes = serializers.SerializerMethodField()

    class Meta(RunOutput.Meta):
        fields = [*RunOutput.Meta.fields, "nodes"]

    def get_nodes(self, obj: Run) -> list[dict[str, Any]]:
        return NodeAttemptOutput(selectors.run_node_attempts(obj), many=True).data


class BatchOutput(serializers.ModelSerializer):
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

    def get_progress(self, obj: RunBatch) -> dict[str, Any]:
        return selectors.batch_progress(obj)


# --------------------------------------------------------------------------- runs


class RunListCreateApi(RunsApiView):
    class Input(serializers.Serializer):
        flow_version = serializers.IntegerField()
        input = serializers.JSONField(required=False, default=dict)

    class Filter(serializers.Serializer):
        status = serializers.ChoiceField(choices=Run.Status.choices, required=False)
        flow_version = serializers.IntegerField(required=False)
        batch = serializers.UUIDField(required=False)

    def get(self, request: Request) -> Response:
        filters = _valid(self.Filter, request.query_params)
        runs = selectors.run_list(
            user=request.user,
            status=filters.get("status"),
            flow_version=filters.get("flow_version"),
            batch=str(filters["batch"]) if filters.get("batch") else None,
        )
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(runs, request, view=self)
        return paginator.get_paginated_response(RunOutput(page, many=True).data)

    def post(self, request: Request) -> Response:
        data = _valid(self.Input, request.data)
        run = services.run_create(
            user=request.user, flow_version_id=data["flow_version"], run_input=data["input"]
        )
        run = selectors.run_get(run_id=run.id, user=request.user)
        return Response(RunDetailOutput(run).data, status=status.HTTP_201_CREATED)


class RunDetailApi(RunsApiView):
    def get(self, request: Request, run_id: str) -> Response:
        run = selectors.run_get(run_id=run_id, user=request.user)
        return Response(RunDetailOutput(run).data)


class RunCancelApi(RunsApiView):
    def post(self, request: Request, run_id: str) -> Response:
        services.run_cancel(run_id=run_id, user=request.user)
        run = selectors.run_get(run_id=run_id, user=request.user)
        return Response(RunOutput(run).data, status=status.HTTP_202_ACCEPTED)


class RunEventsApi(RunsApiView):
    class Filter(serializers.Serializer):
        after = serializers.IntegerField(required=False, default=0, min_value=0)
        limit = serializers.IntegerField(required=False, default=1000, min_value=1, max_value=5000)

    def get(self, request: Request, run_id: str) -> Response:
        filters = _valid(self.Filter, request.query_params)
        run = selectors.run_get(run_id=run_id, user=request.user)
        events = selectors.run_events_after(
            run_id=run.id, after=filters["after"], limit=filters["limit"]
        )
        last = events[-1]["seq"] if events else filters["after"]
        return Response({"run": str(run.id), "status": run.status, "after": last, "events": events})


class RunApprovalApi(RunsApiView):
    class Input(serializers.Serializer):
        approved = serializers.BooleanField()
        data = serializers.DictField(required=False, default=dict)
        comment = serializers.CharField(required=False, default="", allow_blank=True)

    def post(self, request: Request, run_id: str, node_id: str) -> Response:
        data = _valid(self.Input, request.data)
        run = services.run_resume(
            run_id=run_id,
            node_id=node_id,
            user=request.user,
            approved=data["approved"],
            data=data["data"],
            comment=data["comment"],
        )
        return Response(RunOutput(run).data, status=status.HTTP_202_ACCEPTED)


class ApprovalInboxApi(RunsApiView):
    """GET: the approvals waiting for me (by user or group)."""

    def get(self, request: Request) -> Response:
        rows = selectors.approvals_for(request.user)
        return Response({"count": len(rows), "results": rows})


class ApprovalDetailApi(RunApprovalApi):
    """GET: one waiting approval; POST: complete it (same as runs/<id>/approvals/<node>/)."""

    def get(self, request: Request, run_id: str, node_id: str) -> Response:
        return Response(selectors.approval_get(run_id=run_id, node_id=node_id, user=request.user))


# --------------------------------------------------------------------------- batches


class BatchCreateApi(RunsApiView):
    class Input(serializers.Serializer):
        flow_version = serializers.IntegerField()
        inputs = serializers.ListField(child=serializers.JSONField(), allow_empty=False)
        concurrency = serializers.IntegerField(
            required=False, default=4, min_value=1, max_value=1000
        )

    def post(self, request: Request) -> Response:
        data = _valid(self.Input, request.data)
        batch = services.batch_create(
            user=request.user,
            flow_version_id=data["flow_version"],
            inputs=data["inputs"],
            concurrency=data["concurrency"],
        )
        return Response(BatchOutput(batch).data, status=status.HTTP_201_CREATED)


class BatchDetailApi(RunsApiView):
    def get(self, request: Request, batch_id: str) -> Response:
        batch = selectors.batch_get(batch_id=batch_id, user=request.user)
        runs = [
            {"id": str(r.id), "index": r.batch_index, "status": r.status}
            for r in selectors.batch_runs(batch)
        ]
        return Response({**BatchOutput(batch).data, "runs": runs})


class BatchCancelApi(RunsApiView):
    def post(self, request: Request, batch_id: str) -> Response:
        batch = services.batch_cancel(batch_id=batch_id, user=request.user)
        return Response(BatchOutput(batch).data, status=status.HTTP_202_ACCEPTED)
