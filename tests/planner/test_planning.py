"""The Django side: plan requests recorded in Postgres, the planner chosen by settings."""

from __future__ import annotations

import pytest

from flows.core import events as ev
from flows.core.events import ListSink
from flows.core.planner.base import PlanningError
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.openai_planner import OpenAIPlanner
from flows.models import Flow, FlowVersion, PlanRequest
from flows.planning import (
    build_planner,
    default_planner_name,
    plan_create,
    plan_refine,
    plan_request_create,
    plan_request_execute,
)
from tests.planner.fake_openai import Error, Reply, Stream
from tests.planner.plans import INVALID_PLAN, VALID_PLAN, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_cache")]

PROMPT = "Verify the email address, then send an email."


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("planner", password="x-password-1")


@pytest.fixture
def openai_settings(settings, fake_openai):
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_BASE_URL = fake_openai.base_url
    settings.DYNAMICFLOW_MODEL = "test-model"
    settings.DYNAMICFLOW_PLANNER_STREAM = False
    settings.DYNAMICFLOW_PLANNER_TIMEOUT_S = 5
    return settings


def test_without_a_key_the_offline_planner_is_the_default(settings):
    settings.OPENAI_API_KEY = ""

    assert default_planner_name() == "offline"
    assert isinstance(build_planner(), OfflinePlanner)
    with pytest.raises(PlanningError, match="OPENAI_API_KEY"):
        build_planner("openai")


def test_with_a_key_the_openai_planner_uses_the_configured_server(openai_settings):
    planner = build_planner()

    assert default_planner_name() == "openai"
    assert isinstance(planner, OpenAIPlanner)
    assert planner.model == "test-model"


def test_plan_create_records_the_request_and_its_events(user, catalog):
    outcome = plan_create(user=user, prompt=PROMPT, planner="offline", catalog=catalog)

    request = PlanRequest.objects.get(pk=outcome.plan_request.pk)
    assert request.status == PlanRequest.Status.SUCCEEDED
    assert request.planner == "offline"
    assert request.attempts == 1
    assert request.latency_ms > 0
    assert request.finished_at is not None
    assert not request.cache_hit
    assert request.ir["metadata"]["planner"] == "offline"
    assert [e["type"] for e in request.events] == [
        ev.PLAN_STARTED,
        ev.PLAN_ATTEMPT,
        ev.PLAN_VALIDATED,
        ev.PLAN_COMPLETED,
    ]
    assert all(e["run_id"] == str(request.pk) for e in request.events)


def test_the_same_request_again_is_served_from_the_cache(user, catalog):
    plan_create(user=user, prompt=PROMPT, planner="offline", catalog=catalog)

    again = plan_create(user=user, prompt=PROMPT, planner="offline", catalog=catalog)

    assert again.plan_request.cache_hit
    assert again.plan_request.attempts == 0
    assert again.plan_request.events[-1]["data"]["cache_hit"] is True


def test_a_failed_plan_is_recorded_with_its_reason(user, catalog):
    outcome = plan_create(
        user=user, prompt="Translate the letter.", planner="offline", catalog=catalog
    )

    request = outcome.plan_request
    assert request.status == PlanRequest.Status.FAILED
    assert "translate" in request.error.lower()
    assert request.ir is None
    assert request.events[-1]["type"] == ev.PLAN_FAILED


def test_the_openai_planner_records_attempts_tokens_and_model(
    user, catalog, fake_openai, openai_settings
):
    fake_openai.push(
        Reply(text(INVALID_PLAN), prompt_tokens=300, completion_tokens=90),
        Reply(text(VALID_PLAN), prompt_tokens=400, completion_tokens=80),
    )

    outcome = plan_create(user=user, prompt=PROMPT, catalog=catalog)

    request = outcome.plan_request
    assert request.status == PlanRequest.Status.SUCCEEDED, request.error
    assert (request.planner, request.model) == ("openai", "test-model")
    assert request.attempts == 2
    assert (request.prompt_tokens, request.completion_tokens) == (700, 170)
    attempts = [e["data"]["outcome"] for e in request.events if e["type"] == ev.PLAN_ATTEMPT]
    assert attempts == ["invalid", "valid"]


def test_streamed_tokens_reach_the_sink_and_are_counted_in_the_record(
    user, catalog, fake_openai, openai_settings
):
    openai_settings.DYNAMICFLOW_PLANNER_STREAM = True
    document = text(VALID_PLAN)
    fake_openai.push(Stream([document[:50], document[50:120], document[120:]]))
    sink = ListSink()

    outcome = plan_create(user=user, prompt=PROMPT, catalog=catalog, sink=sink)

    assert outcome.plan_request.status == PlanRequest.Status.SUCCEEDED
    assert sink.types().count(ev.PLAN_TOKEN) == 3
    stored = [e["type"] for e in outcome.plan_request.events]
    assert ev.PLAN_TOKEN not in stored
    assert outcome.plan_request.events[-1]["data"]["streamed_tokens"] == 3


def test_a_server_failure_is_recorded_as_a_failed_request(
    user, catalog, fake_openai, openai_settings
):
    openai_settings.DYNAMICFLOW_PLANNER_MAX_RETRIES = 0
    fake_openai.push(Error(500, "the model is down"))

    outcome = plan_create(user=user, prompt=PROMPT, catalog=catalog)

    assert outcome.plan_request.status == PlanRequest.Status.FAILED
    assert "the model is down" in outcome.plan_request.error
    assert outcome.plan_request.attempts == 1


def test_refine_a_saved_version_returns_operations_and_diff(user, catalog):
    flow = Flow.objects.create(name="Welcome", owner=user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=VALID_PLAN, is_valid=True)

    outcome = plan_refine(
        user=user,
        instruction="also send an SMS",
        base_version=version,
        planner="offline",
        catalog=catalog,
    )

    request = outcome.plan_request
    assert request.status == PlanRequest.Status.SUCCEEDED, request.error
    assert request.base_version == version
    assert [op["op"] for op in outcome.operations][-1] == "add_node"
    assert outcome.diff["edges_added"] == [["notify", "send_sms"]]
    assert [node["id"] for node in request.ir["nodes"]] == ["verify", "notify", "send_sms"]
    assert FlowVersion.objects.get(pk=version.pk).ir == VALID_PLAN  # untouched


def test_a_request_runs_once(user, catalog):
    request = plan_request_create(user=user, prompt=PROMPT, planner="offline")
    plan_request_execute(plan_request_id=request.pk, catalog=catalog)

    with pytest.raises(PlanningError, match="already succeeded"):
        plan_request_execute(plan_request_id=request.pk, catalog=catalog)


def test_an_unknown_planner_is_refused(user):
    with pytest.raises(PlanningError, match="Unknown planner"):
        plan_request_create(user=user, prompt=PROMPT, planner="magic")


def test_the_llm_planner_not_configured_plans_offline_and_says_so(user, catalog, settings):
    settings.OPENAI_API_KEY = ""

    outcome = plan_create(user=user, prompt=PROMPT, planner="openai", catalog=catalog)

    assert outcome.plan_request.planner == "offline"
    assert [w["code"] for w in outcome.plan_request.warnings] == ["llm_unavailable"]
    assert "OPENAI_API_KEY" in outcome.plan_request.warnings[0]["message"]
    assert outcome.plan_request.events[-1]["type"] in (ev.PLAN_COMPLETED, ev.PLAN_FAILED)
