"""API routes for runs, their events and approvals, and batches (included under /api/v1/)."""

from django.urls import path

from flows import api_runs

urlpatterns = [
    path("runs/", api_runs.RunListCreateApi.as_view(), name="run-list"),
    path("runs/batch/", api_runs.BatchCreateApi.as_view(), name="run-batch-create"),
    path("runs/batch/<uuid:batch_id>/", api_runs.BatchDetailApi.as_view(), name="run-batch"),
    path(
        "runs/batch/<uuid:batch_id>/cancel/",
        api_runs.BatchCancelApi.as_view(),
        name="run-batch-cancel",
    ),
    path("runs/<uuid:run_id>/", api_runs.RunDetailApi.as_view(), name="run-detail"),
    path("runs/<uuid:run_id>/cancel/", api_runs.RunCancelApi.as_view(), name="run-cancel"),
    path("runs/<uuid:run_id>/events/", api_runs.RunEventsApi.as_view(), name="run-events"),
    path(
        "runs/<uuid:run_id>/approvals/<str:node_id>/",
        api_runs.RunApprovalApi.as_view(),
        name="run-approval",
    ),
    path("approvals/", api_runs.ApprovalInboxApi.as_view(), name="approval-inbox"),
    path(
        "approvals/<uuid:run_id>/<str:node_id>/",
        api_runs.ApprovalDetailApi.as_view(),
        name="approval-detail",
    ),
]
