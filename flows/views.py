"""Server-rendered pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tools_registry.catalog import default_catalog


def home(request: HttpRequest) -> HttpResponse:
    specs = sorted(default_catalog().specs(), key=lambda spec: (spec.category, spec.id))
    return render(request, "home.html", {"tools": specs})
