"""URL routes: pages, admin, the REST API and its OpenAPI documents."""

from django.contrib import admin
from django.urls import include, path

from flows import views as flow_views

urlpatterns = [
    path("", flow_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/", include("dynamicflow_site.api_urls")),
]
