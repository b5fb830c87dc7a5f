"""Fixtures for the planner tests: the scripted OpenAI-protocol server, planners wired to it,
the small fixture catalogue, and a plan cache isolated per test."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from flows.core.planner.openai_client import OpenAIChatClient
from flows.core.planner.openai_planner import OpenAIPlanner
from tests.planner.fake_openai import FakeOpenAIServer
from tests.planner.tools import fixture_catalog


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    server = FakeOpenAIServer()
    yield server
    server.close()


@pytest.fixture
def catalog():
    return fixture_catalog()


class SleepRecorder:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_llm_planner(
    fake_openai: FakeOpenAIServer, sleeps: SleepRecorder
) -> Callable[..., OpenAIPlanner]:
    def make(**options: Any) -> OpenAIPlanner:
        timeout_s = options.pop("timeout_s", 5.0)
        client = OpenAIChatClient(
            api_key="test-key", base_url=fake_openai.base_url, timeout_s=timeout_s
        )
        options.setdefault("sleep", sleeps)
        return OpenAIPlanner(client, model="test-model", timeout_s=timeout_s, **options)

    return make


@pytest.fixture
def isolated_cache(settings: Any) -> None:
    """The real Redis cache, under a key prefix no other test shares."""
    caches = dict(settings.CACHES)
    caches["default"] = {**caches["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    settings.CACHES = caches


@pytest.fixture(scope="module")
def demo():
    """The demo catalogue the product ships with (what a new user plans over)."""
    from tools_registry.catalog import default_catalog

    return default_catalog()
