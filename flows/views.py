"""Server-rendered pages: the page that hosts the web app, and sign-in."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie


@login_required
@ensure_csrf_cookie
def web_app(request: HttpRequest, path: str = "") -> HttpResponse:
    """Every page of the single-page app (/flows, /runs/<id>, ...): one template; the
    client-side router picks the page. The app calls the REST API with this session."""
    from flows.planning import available_planners, default_planner_name

    manifest = settings.DJANGO_VITE["default"]["manifest_path"]
    dev_mode = settings.DJANGO_VITE["default"].get("dev_mode", False)
    if not dev_mode and not manifest.exists():
        return render(request, "app_unbuilt.html", status=503)
    if settings.DEBUG:
        _reload_manifest_when_rebuilt(manifest)
    session = {
        "username": request.user.get_username(),
        "isStaff": request.user.is_staff,
        "planners": available_planners(),
        "defaultPlanner": default_planner_name(),
        "adminUrl": "/admin/",
        "logoutUrl": "/logout/",
    }
    return render(request, "app.html", {"session": session})



@login_required
def unknown_page(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other address: status 404, but the web app's own "Page not found" page (with the
    navigation and the ways on) rather than a bare error page, signed in or after sign-in."""
    response = web_app(request, path)
    if response.status_code == 200:
        response.status_code = 404
    return response

_manifest_mtime: float | None = None


def _reload_manifest_when_rebuilt(manifest: Path) -> None:
    """django-vite reads the manifest once per process; in development, a rebuild of the
    web app (new hashed file names) is picked up without restarting the server."""
    global _manifest_mtime
    from django_vite.core.asset_loader import DjangoViteAssetLoader

    mtime = manifest.stat().st_mtime
    if _manifest_mtime is not None and mtime != _manifest_mtime:
        DjangoViteAssetLoader._instance = None
    _manifest_mtime = mtime
