"""Fixtures for run tests: users, flow versions, and real Celery workers and a Daphne server
(tests/servers.py).

The workers and Daphne live as long as the tests of the package that uses them, so that
no later package meets workers still consuming its runs and emails, or reaping its runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers import Daphne, Workers, purge_queue


@pytest.fixture(scope="package")
def _workers(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workers]:
    workers = Workers(tmp_path_factory.mktemp("workers"))
    try:
        workers.ensure_running()
        yield workers
    finally:
        workers.stop()
        purge_queue()


@pytest.fixture
def workers(_workers: Workers, transactional_db: None) -> Workers:
    """Two running workers; the test's data is committed so they can see it."""
    _workers.ensure_running()
    return _workers


@pytest.fixture(scope="package")
def _daphne(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Daphne]:
    server = Daphne(tmp_path_factory.mktemp("daphne") / "daphne.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def daphne(_daphne: Daphne, transactional_db: None) -> Daphne:
    return _daphne


# --------------------------------------------------------------------------- data


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("ada", password="pw-ada-123456")


@pytest.fixture
def other_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("bob", password="pw-bob-123456")


@pytest.fixture
def staff_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("cyd", password="pw-cyd-123456", is_staff=True)


@pytest.fixture
def make_version(user: Any) -> Callable[..., Any]:
    from flows.models import Flow, FlowVersion

    def make(ir: dict[str, Any], owner: Any = None) -> FlowVersion:
        flow = Flow.objects.create(name=ir.get("name", "flow"), owner=owner or user)
        return FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)

    return make


@pytest.fixture
def api(user: Any) -> Any:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def call_log(tmp_path: Path) -> Path:
    path = tmp_path / "calls.log"
    path.write_text("")
    return path


@pytest.fixture
def inprocess(monkeypatch: pytest.MonkeyPatch, transactional_db: None) -> Iterator[Any]:
    """Execute runs in this process (the runner a worker uses), with optional extra tools."""
    from flows.core.tools import InMemoryCatalog
    from flows.runs import catalog as catalog_module
    from flows.runs import runner

    class InProcess:
        def add_tools(self, *tools: Any) -> None:
            base = catalog_module.run_catalog()
            extra = InMemoryCatalog(tools)
            layered = catalog_module.LayeredCatalog(extra, base)
            for module in ("flows.runs.runner", "flows.runs.services"):
                monkeypatch.setattr(f"{module}.run_catalog", lambda: layered)
            runner.reset_run_host()

        def execute(self, run_id: Any) -> str | None:
            return runner.execute_run_sync(str(run_id))

    monkeypatch.setattr("flows.runs.dispatch.enqueue_run", lambda run_id: None)
    yield InProcess()
    runner.reset_run_host()
