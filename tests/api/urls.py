"""The site's routes as the API tests need them (the API is included as the site includes it)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("dynamicflow_site.api_urls")),
]
