"""The OpenAPI document, its Swagger UI, and a schemathesis run over the flows and tools API:
generated requests find no server error and no response that breaks the documented schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tools_registry.models import Tool

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: Examples per operation: enough to reach every documented status, small enough for < 60 s.
EXAMPLES = 20
SEEDED_EXAMPLES = 10


def test_schema_and_docs_are_served() -> None:
    client = APIClient()

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/flows/{flow_id}/versions/{number}/diff/" in paths
    assert "/api/v1/runs/" in paths
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


@pytest.fixture
def wsgi_app() -> Any:
    """Django's WSGI handler, keeping the test's database connection (and its transaction)
    open between requests, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(admin_user: User, valid_ir: dict[str, Any]) -> dict[str, Any]:
    """Objects for the generated requests to reach (path parameters point at them)."""
    from flows.api.services import flow_create, flow_version_create
    from flows.models import PlanRequest
    from tools_registry.services import credential_create, join_create

    flow = flow_create(owner=admin_user, name="Seed", ir=valid_ir)
    flow_version_create(flow=flow, author=admin_user, ir=valid_ir)
    join = join_create(
        from_tool=Tool.objects.get(pk="lookup_user"),
        to_tool=Tool.objects.get(pk="send_welcome_email"),
        mapping={"email": "source.user.email"},
    )
    credential = credential_create(name="seed_key", secret="x")
    plan = PlanRequest.objects.create(prompt="p", requested_by=admin_user, planner="offline")
    return {
        "token": Token.objects.get_or_create(user=admin_user)[0].key,
        "path": {"flow_id": flow.pk, "number": 1, "join_id": join.pk,
                 "credential_id": credential.pk, "tool_id": "send_email",
                 "plan_id": str(plan.pk)},
    }


@override_settings(DYNAMICFLOW_PLAN_CACHE_TTL_S=0, OPENAI_API_KEY="")
def test_schemathesis_finds_no_server_errors_and_no_schema_violations(
    seeded: dict[str, Any], wsgi_app: Any
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app).exclude(
        path_regex=r"^/api/v1/(runs|approvals)"  # the runs API is tested with the runs
    )
    headers = {"Authorization": f"Token {seeded['token']}"}
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    # Deletes last, so the other operations still find the seeded objects.
    operations.sort(key=lambda op: op.method.lower() == "delete")
    statuses: dict[str, set[int]] = {}

    def run(operation: Any, examples: int, **strategy: Any) -> None:
        @given(case=operation.as_strategy(**strategy))
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def call(case: Any) -> None:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses.setdefault(f"{operation.method.upper()} {operation.path}",
                                set()).add(response.status_code)

        call()

    for operation in operations:
        run(operation, EXAMPLES)
        names = {p.name for p in operation.path_parameters}
        if names:
            extra = {"query": {"other": 2}} if operation.path.endswith("/diff/") else {}
            run(operation, SEEDED_EXAMPLES,
                path_parameters={name: seeded["path"][name] for name in names}, **extra)

    assert len(statuses) >= 25, statuses
    # The seeded pass reached the objects, not only their 404s.
    assert 200 in statuses["GET /api/v1/flows/{flow_id}/versions/{number}/diff/"]
    assert 200 in statuses["GET /api/v1/tools/{tool_id}/"]
    assert 200 in statuses["GET /api/v1/joins/{join_id}/"]
