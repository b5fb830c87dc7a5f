"""Requests are held to the OpenAPI document: a JSON body's values have the documented
types, and the document says what a request may not leave empty, which bodies it reads
and what a throttled request answers. Each case was accepted (or read as something else,
or missing from the document) before."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from flows.models import Flow, PlanRequest, Run
from tests.api.conftest import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


@pytest.fixture
def flow(api: APIClient, valid_ir: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/api/v1/flows/", {"name": "Mine", "ir": valid_ir}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


# --- JSON types --------------------------------------------------------------------------


def test_a_number_for_a_flow_name_is_refused_not_stored_as_text(api: APIClient) -> None:
    error = assert_error(api.post("/api/v1/flows/", {"name": 0}, format="json"), 400, "invalid")

    assert error["details"]["fields"] == {"name": ["Must be a string, not a number."]}
    assert error["message"] == "name: Must be a string, not a number."
    assert not Flow.objects.exists()


def test_a_bad_rename_changes_nothing(api: APIClient, flow: dict[str, Any]) -> None:
    url = f"/api/v1/flows/{flow['id']}/"

    error = assert_error(api.patch(url, {"name": 12, "description": True}, format="json"), 400)

    assert error["details"]["fields"] == {
        "name": ["Must be a string, not a number."],
        "description": ["Must be a string, not a boolean."],
    }
    assert Flow.objects.get(pk=flow["id"]).name == "Mine"


def test_a_list_item_of_the_wrong_type_is_named_by_its_index(api: APIClient) -> None:
    error = assert_error(
        api.post("/api/v1/flows/", {"name": "x", "shared_with_groups": ["sales", 3]},
                 format="json"),
        400,
    )

    assert error["details"]["fields"] == {
        "shared_with_groups": ["Item 1: Must be a string, not a number."]
    }


@pytest.mark.parametrize("groups", [{}, {"sales": 1}, "sales"])
def test_groups_not_given_as_a_list_are_refused(
    api: APIClient, flow: dict[str, Any], groups: Any
) -> None:
    """DRF's many-related field iterated any iterable: {} emptied the flow's groups and
    {"sales": 1} shared it with "sales"."""
    url = f"/api/v1/flows/{flow['id']}/"
    assert api.patch(url, {"shared_with_groups": ["sales"]}, format="json").status_code == 200

    error = assert_error(api.patch(url, {"shared_with_groups": groups}, format="json"), 400)

    kind = "an object" if isinstance(groups, dict) else "a string"
    assert error["details"]["fields"] == {"shared_with_groups": [f"Must be a list, not {kind}."]}
    assert list(Flow.objects.get(pk=flow["id"]).shared_with_groups.values_list(
        "name", flat=True)) == ["sales"]


def test_a_misspelt_field_is_refused_not_ignored(api: APIClient, flow: dict[str, Any]) -> None:
    """PATCH {"shared_with_group": []} answered 200 and left the flow shared."""
    url = f"/api/v1/flows/{flow['id']}/"
    assert api.patch(url, {"shared_with_groups": ["sales"]}, format="json").status_code == 200

    error = assert_error(api.patch(url, {"shared_with_group": []}, format="json"), 400)

    assert error["details"]["fields"] == {"shared_with_group": [
        "Unknown field; this request takes description, name, shared_with_groups."]}
    assert error["message"].startswith("shared_with_group: Unknown field")
    assert Flow.objects.get(pk=flow["id"]).shared_with_groups.count() == 1


def test_a_run_with_a_misspelt_input_is_not_started(api: APIClient, flow: dict[str, Any]
                                                    ) -> None:
    body = {"flow": flow["id"], "inputs": {"email": "a@example.com"}}

    error = assert_error(api.post("/api/v1/runs/", body, format="json"), 400, "invalid")

    assert list(error["details"]["fields"]) == ["inputs"]
    assert not Run.objects.exists()


def test_request_bodies_are_documented_as_taking_no_other_keys(document: dict[str, Any]
                                                                ) -> None:
    schemas = document["components"]["schemas"]

    for name in ("FlowCreateInput", "PatchedFlowInput", "RunInput", "BatchInput", "PlanInput",
                 "DecisionInput", "JoinInput", "CredentialInput"):
        assert schemas[name]["additionalProperties"] is False, name
    assert "additionalProperties" not in schemas["FlowOutput"]


def test_a_prompt_of_spaces_is_refused_as_the_document_says(
    api: APIClient, document: dict[str, Any]
) -> None:
    prompt = document["components"]["schemas"]["PlanInput"]["properties"]["prompt"]

    error = assert_error(api.post("/api/v1/plan/", {"prompt": "   "}, format="json"), 400)

    assert not jsonschema.Draft4Validator(prompt).is_valid("   ")
    assert error["details"]["fields"] == {"prompt": ["This field may not be blank."]}
    assert not PlanRequest.objects.exists()


def test_a_number_for_a_prompt_is_refused_before_anything_is_planned(api: APIClient) -> None:
    error = assert_error(
        api.post("/api/v1/plan/", {"prompt": 0, "planner": "offline"}, format="json"), 400
    )

    assert error["details"]["fields"] == {"prompt": ["Must be a string, not a number."]}
    assert not PlanRequest.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"flow_version": "1"}, "flow_version", "Must be an integer, not a string."),
        ({"flow_version": 1.5}, "flow_version", "Must be an integer, not a number."),
        ({"flow_version": True}, "flow_version", "Must be an integer, not a boolean."),
        ({"flow": "1", "version": 1}, "flow", "Must be an integer, not a string."),
    ],
)
def test_a_run_request_names_its_version_with_integers(
    api: APIClient, flow: dict[str, Any], body: dict[str, Any], field: str, message: str
) -> None:
    error = assert_error(api.post("/api/v1/runs/", {**body, "input": {}}, format="json"), 400)

    assert error["details"]["fields"] == {field: [message]}
    assert not Run.objects.exists()


def test_a_batch_concurrency_given_as_text_is_refused(api: APIClient, flow: dict[str, Any]
                                                      ) -> None:
    body = {"flow": flow["id"], "inputs": [{}], "concurrency": "4"}

    error = assert_error(api.post("/api/v1/runs/batch/", body, format="json"), 400)

    assert error["details"]["fields"] == {"concurrency": ["Must be an integer, not a string."]}
    assert not Run.objects.exists()


def test_a_background_flag_given_as_text_is_refused(api: APIClient) -> None:
    body = {"prompt": "check an email", "planner": "offline", "background": "yes"}

    error = assert_error(api.post("/api/v1/plan/", body, format="json"), 400)

    assert error["details"]["fields"] == {"background": ["Must be true or false, not a string."]}
    assert not PlanRequest.objects.exists()


def test_null_is_still_the_fields_own_to_refuse(api: APIClient) -> None:
    error = assert_error(api.post("/api/v1/flows/", {"name": None}, format="json"), 400)

    assert error["details"]["fields"] == {"name": ["This field may not be null."]}


# --- the document ------------------------------------------------------------------------


@pytest.fixture
def document(client_for: Callable[[User | None], APIClient]) -> dict[str, Any]:
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_request_bodies_are_documented_as_json_only(document: dict[str, Any]) -> None:
    media_types = {
        media_type
        for path in document["paths"].values()
        for operation in path.values()
        for media_type in operation.get("requestBody", {}).get("content", {})
    }

    assert media_types == {"application/json"}


def test_the_document_says_what_a_request_may_not_leave_empty(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]

    assert schemas["FlowCreateInput"]["properties"]["name"]["minLength"] == 1
    assert schemas["PlanInput"]["properties"]["prompt"]["minLength"] == 1
    assert schemas["PlanInput"]["properties"]["tools"]["items"]["minLength"] == 1
    assert schemas["JoinInput"]["properties"]["mapping"]["minProperties"] == 1
    assert schemas["BatchInput"]["properties"]["inputs"]["minItems"] == 1
    # DRF trims strings: "   " is refused as blank, so the document asks for a non-space.
    assert schemas["PlanInput"]["properties"]["prompt"]["pattern"] == r"\S"
    assert "pattern" not in schemas["CredentialInput"]["properties"]["secret"]  # not trimmed
    # Outputs are left alone: a blank string there is a value, not a mistake.
    assert "minLength" not in schemas["FlowOutput"]["properties"]["name"]


def test_the_document_gives_the_bounds_the_api_checks(document: dict[str, Any]) -> None:
    diff = document["paths"]["/api/v1/flows/{flow_id}/versions/{number}/diff/"]["get"]
    other = next(p for p in diff["parameters"] if p["name"] == "other")

    assert other["required"] is True
    assert other["schema"]["minimum"] == 1


@pytest.mark.parametrize(
    ("path", "method"),
    [("/api/v1/plan/", "post"), ("/api/v1/refine/", "post"), ("/api/v1/runs/", "post"),
     ("/api/v1/runs/batch/", "post")],
)
def test_throttled_operations_document_their_429(
    document: dict[str, Any], path: str, method: str
) -> None:
    responses = document["paths"][path][method]["responses"]

    assert "429" in responses
    assert responses["429"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_every_operation_is_described_by_its_own_docstring(document: dict[str, Any]) -> None:
    """The views' shared base class once described eight operations as 'The project's error
    format even before it is set as the global handler'."""
    descriptions = {
        f"{method.upper()} {path}": operation.get("description", "")
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }

    assert all(descriptions.values()), [name for name, text in descriptions.items() if not text]
    assert not [name for name, text in descriptions.items() if "error format" in text]


def test_enum_components_have_names_not_hashes(document: dict[str, Any]) -> None:
    """Three `source` fields with different choices once made `Source995Enum`."""
    names = list(document["components"]["schemas"])

    assert document["components"]["schemas"]["VersionSourceEnum"]["enum"] == [
        "planner", "editor", "api"
    ]
    assert not [name for name in names if re.search(r"[0-9]Enum$", name)]


@pytest.mark.parametrize(
    ("ref", "allowed"),
    [({"flow_version": 1}, True), ({"flow": 1}, True), ({"flow": 1, "version": 1}, True),
     ({"flow_version": 1, "flow": 1}, False), ({"flow_version": 1, "version": 1}, False),
     ({"version": 1}, False), ({}, False)],
)
@pytest.mark.parametrize(("component", "path", "extra"),
                         [("RunInput", "/api/v1/runs/", {"input": {}}),
                          ("BatchInput", "/api/v1/runs/batch/", {"inputs": [{}]})])
def test_the_document_says_which_version_reference_a_run_takes(
    api: APIClient, document: dict[str, Any], ref: dict[str, Any], allowed: bool,
    component: str, path: str, extra: dict[str, Any],
) -> None:
    """flow_version, or flow (and optionally version): the document allowed both at once,
    which the API refuses."""
    schema = {**document["components"]["schemas"][component], "components": document[
        "components"]}
    documented = jsonschema.Draft4Validator(schema).is_valid({**ref, **extra})

    response = api.post(path, {**ref, **extra}, format="json")

    assert documented is allowed
    if allowed:  # the reference is read (there is no such flow or version here)
        assert_error(response, 404)
    else:
        error = assert_error(response, 400, "invalid")
        assert set(error["details"]["fields"]) <= {"flow_version", "version"}


def test_every_operation_that_reads_a_body_documents_its_413(
    api: APIClient, document: dict[str, Any], settings: Any
) -> None:
    """An oversized body answers 413 in the error format; no operation documented it."""
    with_body = {
        f"{method.upper()} {path}": operation["responses"]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = api.post("/api/v1/runs/batch/", {"flow": 1, "inputs": [{"x": "y" * 2000}]},
                        format="json")

    assert not [name for name, responses in with_body.items() if "413" not in responses]
    assert with_body["POST /api/v1/runs/batch/"]["413"]["content"]["application/json"][
        "schema"] == {"$ref": "#/components/schemas/Error"}
    error = assert_error(response, 413, "request_too_large")
    assert error["details"] == {"limit": 1000}


# --- a body that is not an object ---------------------------------------------------------


@pytest.mark.parametrize(("path", "body", "what"), [
    ("/api/v1/flows/", [{"name": "Mine"}], "a list"),
    ("/api/v1/validate/", "nodes", "a string"),
    ("/api/v1/plan/", 7, "a number"),
    ("/api/v1/runs/", None, "null"),
])
def test_a_body_that_is_not_an_object_says_so_and_what_it_should_hold(
        api: APIClient, path: str, body: Any, what: str) -> None:
    # DRF answered "Invalid data. Expected a dictionary, but got list.": about what, not where
    response = api.post(path, json.dumps(body), content_type="application/json")

    error = assert_error(response, 400, "invalid")
    message = error["message"]
    assert message.startswith("The request body must be a JSON object of this request's fields (")
    assert message.endswith(f"), not {what}.")
    assert error["details"]["fields"] == {"non_field_errors": [message]}
    assert not Flow.objects.exists()
    assert not PlanRequest.objects.exists()
    assert not Run.objects.exists()


def test_a_body_that_is_not_an_object_is_told_the_fields_it_takes(api: APIClient) -> None:
    error = assert_error(api.post("/api/v1/flows/", [], format="json"), 400, "invalid")

    assert error["message"] == (
        "The request body must be a JSON object of this request's fields "
        "(description, ir, name, shared_with_groups), not a list.")
