"""URL routes: sign-in, admin, the REST API and its OpenAPI documents, and the web app,
which answers every other path (its router picks the page)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from flows import views as flow_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's own default address for sign-in (and the one people type): the sign-in page,
    # its ?next= kept, rather than the app's "Page not found" after signing in.
    path("accounts/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/", include("dynamicflow_site.api_urls")),
    path("", flow_views.web_app, name="home"),
    re_path(r"^(?P<path>(?:flows|runs|batches|inbox|tools)(?:/.*)?)$", flow_views.web_app,
            name="web-app"),
    # Last: any other address is the app's "Page not found" (status 404). Not under the
    # prefixes Django answers itself (a missing API object stays a JSON 404).
    re_path(r"^(?!api/|admin/|static/|ws/|login/|logout/)(?P<path>.*)$", flow_views.unknown_page,
            name="unknown-page"),
]
