"""The run API mounted as the lead mounts it (under /api/v1/), for tests."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("flows.api.runs_urls"))]
