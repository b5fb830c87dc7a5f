"""The REST API: /api/v1/... (flows, tools, planning, runs), the OpenAPI schema and its docs.

Included by the site's urls as path("api/", include("dynamicflow_site.api_urls")).
`/api/` and `/api/v1/` answer a map of the API (no sign-in needed: it holds no data). Any
other path under /api/ answers a JSON 404 in the API's error format, not an HTML page.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, include, path, re_path, resolve, reverse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from flows.api.errors import error_body


@csrf_exempt  # any method may land here; the answer is a 404 whatever it is
def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    message = f"There is no API endpoint at {request.path}."
    if not request.path.endswith("/") and _is_endpoint(request.path + "/"):
        # Every path of the API ends with a slash; a POST cannot be redirected to it.
        message += f" Did you mean {request.path}/ (with the final slash)?"
    return JsonResponse(error_body("not_found", message), status=404)


def _is_endpoint(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func is not api_not_found


#: What /api/v1/ lists: each collection an integrator starts from, by its route name.
_COLLECTIONS = {
    "auth_token": "auth-token",
    "tools": "tool-list",
    "categories": "category-list",
    "joins": "join-list",
    "credentials": "credential-list",
    "flows": "flow-list",
    "validate": "validate",
    "ir_schema": "ir-schema",
    "plan": "plan-list",
    "refine": "refine",
    "runs": "run-list",
    "batches": "run-batch-create",
    "approvals": "approval-inbox",
}


class ApiRoot(APIView):
    """Where the API's collections, its OpenAPI schema and its docs are."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    schema = None  # a map of the API, not part of it

    def get(self, request: Request) -> Response:
        link = request.build_absolute_uri
        return Response(
            {
                "version": "v1",
                "endpoints": {key: link(reverse(name)) for key, name in _COLLECTIONS.items()},
                "schema": link(reverse("api-schema")),
                "docs": link(reverse("api-docs")),
                "authentication": "Authorization: Token <key> (POST auth_token for yours), "
                "or the web app's session",
            }
        )


v1 = [
    path("", ApiRoot.as_view(), name="api-root"),
    path("", include("flows.api.urls")),
    path("", include("flows.api.runs_urls")),
]

urlpatterns = [
    path("", ApiRoot.as_view()),
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # [\s\S]: a path with a newline in it (%0A) is no endpoint either, not Django's HTML 404
    re_path(r"^(?P<rest>[\s\S]*)$", api_not_found),
]
