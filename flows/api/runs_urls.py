"""API routes for runs, their events and approvals, and batches (included under /api/v1/)."""

from django.urls import path

from approvals import api as approvals_api
from flows.api import runs_views

urlpatterns = [
    path("runs/", runs_views.RunListCreateApi.as_view(), name="run-list"),
    path("runs/batch/", runs_views.BatchCreateApi.as_view(), name="run-batch-create"),
    path("runs/batch/<uuid:batch_id>/", runs_views.BatchDetailApi.as_view(), name="run-batch"),
    path(
        "runs/batch/<uuid:batch_id>/cancel/",
        runs_views.BatchCancelApi.as_view(),
        name="run-batch-cancel",
    ),
    path("runs/<uuid:run_id>/", runs_views.RunDetailApi.as_view(), name="run-detail"),
    path("runs/<uuid:run_id>/cancel/", runs_views.RunCancelApi.as_view(), name="run-cancel"),
    path("runs/<uuid:run_id>/events/", runs_views.RunEventsApi.as_view(), name="run-events"),
    path("runs/<uuid:run_id>/version/", runs_views.RunVersionApi.as_view(), name="run-version"),
    path(
        "runs/<uuid:run_id>/approvals/<str:node_id>/",
        approvals_api.RunApprovalApi.as_view(),
        name="run-approval",
    ),
    path("approvals/", approvals_api.InboxApi.as_view(), name="approval-inbox"),
    path(
        "approvals/<uuid:run_id>/<str:node_id>/",
        approvals_api.StepApi.as_view(),
        name="approval-detail",
    ),
]
