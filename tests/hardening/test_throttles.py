"""Per-user throttles on planning and on run and batch creation answer 429 with
Retry-After in the JSON error format; reads are never throttled (issue 13, item 7)."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.api.conftest import forget_throttles


@pytest.fixture
def tight(settings):
    rest = copy.deepcopy(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {
        "plan": "2/hour",
        "plan_offline": "2/hour",
        "run": "2/hour",
        "batch": "2/hour",
    }
    settings.REST_FRAMEWORK = rest
    yield
    forget_throttles()


def client(name: str) -> APIClient:
    api = APIClient()
    api.force_authenticate(User.objects.create_user(name, password=f"pw-{name}-123456"))
    return api


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/runs/", {"flow_version": 999999, "input": {}}),
        ("/api/v1/runs/batch/", {"flow_version": 999999, "inputs": [{}]}),
        ("/api/v1/plan/", {}),
        ("/api/v1/refine/", {}),
    ],
)
def test_the_third_request_in_an_hour_is_throttled(db, tight, path, body):
    ada = client("ada")
    for _ in range(2):
        assert ada.post(path, body, format="json").status_code != 429
    response = ada.post(path, body, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    error = json.loads(response.content)["error"]
    assert error["code"] == "throttled"
    # another user is not affected, and reading is never throttled
    assert client("bob").post(path, body, format="json").status_code != 429
    assert ada.get("/api/v1/runs/").status_code == 200


def test_default_rates_are_generous(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["run"].endswith("/hour")
    assert int(rates["run"].split("/")[0]) >= 1000


def test_the_offline_planner_has_a_rate_of_its_own(db, settings):
    """A paid model's rate (120 an hour by default) stopped anyone trying many requests on
    the offline planner, which costs no model and a few milliseconds."""
    rest = copy.deepcopy(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {"plan": "2/hour", "plan_offline": "100/hour"}
    settings.REST_FRAMEWORK = rest
    try:
        ada = client("ada")
        for _ in range(5):
            response = ada.post("/api/v1/plan/", {"planner": "offline"}, format="json")
            assert response.status_code != 429
        # a model that may cost money keeps its own, tighter rate
        codes = [
            ada.post("/api/v1/plan/", {"planner": "openai"}, format="json").status_code
            for _ in range(3)
        ]
        assert codes[-1] == 429
        assert 429 not in codes[:2]
    finally:
        forget_throttles()


def test_the_offline_planners_default_rate_is_far_above_the_models(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    offline, paid = (int(rates[scope].split("/")[0]) for scope in ("plan_offline", "plan"))
    assert rates["plan_offline"].endswith("/hour")
    assert offline >= 10 * paid
