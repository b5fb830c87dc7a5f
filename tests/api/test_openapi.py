"""The OpenAPI document, its Swagger UI, and a schemathesis run over the whole API (flows,
tools, runs, approvals, batches): generated requests find no server error and no response
that breaks the documented schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
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
    assert "/api/v1/runs/{run_id}/events/" in paths
    assert "/api/v1/approvals/{run_id}/{node_id}/" in paths
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()



def test_the_schema_describes_the_ir_with_its_node_types() -> None:
    """`ir` is the IR's own JSON Schema (from its pydantic model), not a free-form object:
    the document and each node type a component, the nodes told apart by `type`."""
    from flows.core.ir import Node

    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    document = schema.json()
    components = document["components"]["schemas"]

    # Given the version, plan and refine answers and the bodies that send an IR
    def ir_of(name: str) -> dict[str, Any]:
        return components[name]["properties"]["ir"]

    for name in ("VersionDetailOutput", "PlanRequestOutput", "RefineOutput", "VersionInput",
                 "RefineInput", "FlowCreateInput"):
        # Then each names the IR's component (kept with its description, nullable where the
        # answer may have none)
        assert ir_of(name)["allOf"] == [{"$ref": "#/components/schemas/IrFlow"}], name
        assert "IR" in ir_of(name)["description"], name
    assert ir_of("PlanRequestOutput")["nullable"] is True
    assert "nullable" not in ir_of("VersionDetailOutput")

    # and the IR's component has its nodes, each of a type of its own, and its joins
    flow = components["IrFlow"]
    assert flow["type"] == "object"
    assert flow["required"] == ["name", "nodes"]
    assert flow["additionalProperties"] is False
    nodes = flow["properties"]["nodes"]
    assert nodes["type"] == "array"
    assert nodes["minItems"] == 1
    kinds = {model.__name__ for model in Node.__origin__.__args__}  # type: ignore[attr-defined]
    assert {choice["$ref"] for choice in nodes["items"]["oneOf"]} == {
        f"#/components/schemas/Ir{kind}" for kind in kinds
    }
    mapping = nodes["items"]["discriminator"]["mapping"]
    assert nodes["items"]["discriminator"]["propertyName"] == "type"
    assert mapping["tool"] == "#/components/schemas/IrToolNode"
    assert mapping["approval"] == "#/components/schemas/IrApprovalNode"
    assert set(mapping) == {"tool", "branch", "switch", "map", "approval", "value", "output", "llm"}
    assert flow["properties"]["joins"]["items"] == {"$ref": "#/components/schemas/IrJoin"}
    tool = components["IrToolNode"]
    assert {"id", "tool", "inputs", "after", "retry"} <= set(tool["properties"])
    assert tool["properties"]["id"]["pattern"] == "^[a-z_][a-z0-9_]{0,63}$"
    # written as OpenAPI 3.0 reads it: no JSON Schema 2020-12 forms left
    text = json.dumps(document)
    assert "$defs" not in text
    assert '"const"' not in text
    assert '{"type": "null"}' not in text
    assert flow["properties"]["timeout_s"]["nullable"] is True


def test_the_schema_generates_without_a_warning() -> None:
    """A view the generator cannot introspect is documented wrong (or not at all)."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)

    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)


def test_every_operation_that_reads_a_body_documents_and_answers_415() -> None:
    # Given the document and a signed-in client
    user = User.objects.create_user("ada-415", password="pw-ada-415-x")
    client = APIClient()
    client.force_authenticate(user)
    paths = client.get("/api/schema/?format=json").json()["paths"]

    # Then each operation with a request body documents 415
    with_body = [
        (method, path) for path, operations in paths.items()
        for method, operation in operations.items() if "requestBody" in operation
    ]
    assert with_body
    for method, path in with_body:
        assert "415" in paths[path][method]["responses"], (method, path)
    # And answers it, in the error format, to a body that is not JSON
    for path in ("/api/v1/validate/", "/api/v1/flows/", "/api/v1/runs/"):
        response = client.post(path, "<ir/>", content_type="application/xml")
        assert response.status_code == 415, (path, response.content)
        assert response.json()["error"]["code"] == "unsupported_media_type"


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


APPROVAL_IR: dict[str, Any] = {
    "name": "Approve",
    "nodes": [
        {"id": "ok", "type": "approval", "form_schema": {"type": "object"}},
        {"id": "result", "type": "output", "value": "ok.approved"},
    ],
}


def suspended_run(user: User, version: Any) -> Any:
    """A run suspended at approval node "ok", its rows as the runner leaves them (nothing
    executes runs in this test)."""
    from flows.core import events as ev
    from flows.models import NodeAttempt, Run, RunEvent

    now = timezone.now()
    request = {
        "node_id": "ok", "title": "OK?", "instructions": "", "form_schema": {"type": "object"},
        "context": {}, "assignees": {"users": [], "groups": []}, "timeout_s": None,
        "on_timeout": "fail", "requested_at": now.timestamp(),
    }
    from approvals.services import steps_open

    run = Run.objects.create(flow_version=version, requested_by=user, status="suspended",
                             attempts=1, last_seq=3, started_at=now)
    # The step is stored sealed, as the runner stores it; the run keeps its summary only.
    summaries = steps_open(run_id=str(run.pk), requests={"ok": request})
    Run.objects.filter(pk=run.pk).update(waiting=summaries)
    NodeAttempt.objects.create(run=run, node_id="ok", status="waiting", inputs={},
                               started_at=now)
    for seq, (type_, node_id, data) in enumerate([
        (ev.RUN_STARTED, "", {}),
        (ev.NODE_STARTED, "ok", {"waiting": True, "context": {}}),
        (ev.RUN_SUSPENDED, "", {"waiting": summaries}),
    ], start=1):
        RunEvent.objects.create(run=run, seq=seq, type=type_, node_id=node_id, payload=data,
                                ts=now, elapsed_ms=float(seq))
    return run


@pytest.fixture
def seeded(admin_user: User, valid_ir: dict[str, Any]) -> dict[str, Any]:
    """Objects for the generated requests to reach (path parameters point at them)."""
    from flows.api.services import flow_create, flow_version_create
    from flows.models import PlanRequest
    from flows.runs.services import batch_create, run_create
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
    # A flow of its own, so that deleting the seeded flow is not refused for its runs. Runs
    # are only stored here: they are enqueued on commit, and the test never commits.
    version = flow_create(owner=admin_user, name="Approve", ir=APPROVAL_IR).versions.get()
    run_create(user=admin_user, flow_version_id=version.pk, run_input={})
    batch = batch_create(user=admin_user, flow_version_id=version.pk, inputs=[{}, {"n": 1}])
    run = suspended_run(admin_user, version)
    return {
        "token": Token.objects.get_or_create(user=admin_user)[0].key,
        "path": {"flow_id": flow.pk, "number": 1, "join_id": join.pk,
                 "credential_id": credential.pk, "tool_id": "send_email",
                 "plan_id": str(plan.pk), "run_id": str(run.pk), "batch_id": str(batch.pk),
                 "node_id": "ok"},
        # Bodies that create something, for the operations without path parameters.
        "body": {"POST /api/v1/runs/": {"flow_version": version.pk, "input": {}},
                 "POST /api/v1/runs/batch/": {"flow_version": version.pk, "inputs": [{}]}},
    }


@override_settings(DYNAMICFLOW_PLAN_CACHE_TTL_S=0, OPENAI_API_KEY="")
def test_schemathesis_finds_no_server_errors_and_no_schema_violations(
    seeded: dict[str, Any], wsgi_app: Any
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    headers = {"Authorization": f"Token {seeded['token']}"}
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    # Deletes and cancels last, so the other operations still find the seeded objects (and
    # the seeded run still waiting for its approval).
    operations.sort(key=lambda op: op.method.lower() == "delete" or op.path.endswith("/cancel/"))
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
        body = seeded["body"].get(f"{operation.method.upper()} {operation.path}")
        if names:
            extra = {"query": {"other": 2}} if operation.path.endswith("/diff/") else {}
            run(operation, SEEDED_EXAMPLES,
                path_parameters={name: seeded["path"][name] for name in names}, **extra)
        elif body is not None:
            run(operation, 1, body=body, media_type="application/json")

    assert len(statuses) == len(operations), statuses  # every operation answered
    # The seeded pass reached the objects, not only their 404s.
    assert 200 in statuses["GET /api/v1/flows/{flow_id}/versions/{number}/diff/"]
    assert 200 in statuses["GET /api/v1/tools/{tool_id}/"]
    assert 200 in statuses["GET /api/v1/joins/{join_id}/"]
    assert 204 in statuses["DELETE /api/v1/flows/{flow_id}/"]
    reached = {
        "POST /api/v1/runs/": 201,
        "GET /api/v1/runs/{run_id}/": 200,
        "GET /api/v1/runs/{run_id}/events/": 200,
        "POST /api/v1/runs/{run_id}/cancel/": 202,
        "GET /api/v1/approvals/": 200,
        "GET /api/v1/approvals/{run_id}/{node_id}/": 200,
        "POST /api/v1/runs/batch/": 201,
        "GET /api/v1/runs/batch/{batch_id}/": 200,
        "POST /api/v1/runs/batch/{batch_id}/cancel/": 202,
    }
    for operation, code in reached.items():
        assert code in statuses[operation], (operation, statuses[operation])
    # The approval is decided once, by whichever of its two paths comes first.
    decided = (statuses["POST /api/v1/approvals/{run_id}/{node_id}/"]
               | statuses["POST /api/v1/runs/{run_id}/approvals/{node_id}/"])
    assert 202 in decided, decided


def test_runs_api_refuses_what_the_database_cannot_take(seeded: dict[str, Any]) -> None:
    """Inputs fuzzing may not stumble on: each was a 500 (a Postgres error) before."""
    client = APIClient(HTTP_AUTHORIZATION=f"Token {seeded['token']}")
    version = seeded["body"]["POST /api/v1/runs/"]["flow_version"]
    run_id = seeded["path"]["run_id"]

    # Postgres' JSON cannot hold NUL characters: a 400 before anything is stored.
    nul = {"note": "a\x00b"}
    assert client.post("/api/v1/runs/", {"flow_version": version, "input": nul},
                       format="json").status_code == 400
    assert client.post("/api/v1/runs/batch/", {"flow_version": version, "inputs": [nul]},
                       format="json").status_code == 400
    assert client.post(f"/api/v1/runs/{run_id}/approvals/ok/",
                       {"approved": True, "data": nul}, format="json").status_code == 400
    # A limit past bigint is capped, not sent to the database.
    listed = client.get(f"/api/v1/runs/?limit={10**30}")
    assert listed.status_code == 200
    assert len(listed.json()["results"]) == listed.json()["count"] == 4
