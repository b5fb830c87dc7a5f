"""The REST API: /api/v1/... (flows, tools, planning, runs), the OpenAPI schema and its docs.

Included by the site's urls as path("api/", include("dynamicflow_site.api_urls")). Any
other path under /api/ answers a JSON 404 in the API's error format, not an HTML page.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from flows.api.errors import error_body


@csrf_exempt  # any method may land here; the answer is a 404 whatever it is
def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse(
        error_body("not_found", f"There is no API endpoint at {request.path}."), status=404
    )


v1 = [
    path("", include("flows.api.urls")),
    path("", include("flows.api.runs_urls")),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # [\s\S]: a path with a newline in it (%0A) is no endpoint either, not Django's HTML 404
    re_path(r"^(?P<rest>[\s\S]*)$", api_not_found),
]
