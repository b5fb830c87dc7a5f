"""Hardening tests: each test's event loop kills and reaps its expression children."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest


@pytest.fixture(autouse=True)
async def _reap_sandboxes() -> AsyncIterator[None]:
    yield
    from flows.core.bounded import close_loop_sandboxes

    await close_loop_sandboxes()


# --------------------------------------------------------------------------- real workers

import os  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from typing import Any  # noqa: E402

from tests.servers import Worker, purge_queue  # noqa: E402

#: Settings of the hardening workers: a long expression budget, so that only a cancel or
#: the run's timeout can stop the costly expression.
WORKER_ENV = {"DYNAMICFLOW_EXPRESSION_BUDGET_S": "60", "DYNAMICFLOW_NODE_BUDGET_S": "120"}


@pytest.fixture(scope="module")
def _worker(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    saved = {key: os.environ.get(key) for key in WORKER_ENV}
    os.environ.update(WORKER_ENV)
    worker = Worker("hw", tmp_path_factory.mktemp("hardening-worker"))
    try:
        worker.start()
        worker.wait_ready()
        yield worker
    finally:
        worker.stop()
        purge_queue()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture
def worker(_worker: Worker, transactional_db: None) -> Worker:
    if not _worker.alive():
        _worker.start()
        _worker.wait_ready()
    return _worker


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("ada", password="pw-ada-123456")


@pytest.fixture
def other_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("bob", password="pw-bob-123456")


@pytest.fixture
def make_version(user: Any) -> Callable[..., Any]:
    from flows.models import Flow, FlowVersion

    def make(ir: dict[str, Any], owner: Any = None, *, is_valid: bool = True) -> Any:
        flow = Flow.objects.create(name=ir.get("name", "flow"), owner=owner or user)
        return FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=is_valid)

    return make
