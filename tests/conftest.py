"""Shared fixtures. Database tests use the real Postgres named by DATABASE_URL
(`make test` starts an embedded one when it is unset)."""

from __future__ import annotations

import os
from typing import Any

import pytest

os.environ.setdefault("DYNAMICFLOW_DEV", "1")

from tests.servers import SESSION


@pytest.fixture(scope="session")
def django_db_modify_db_settings() -> None:
    """A test database of this session's own, so two test sessions on one server never
    drop each other's database."""
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})
    settings.DATABASES["default"]["TEST"]["NAME"] = f"test_dynamicflow_{SESSION}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run in a session of their own (`pytest tests/browser`, as `make test`
    does): Playwright keeps an event loop running in the test thread, and their server's
    worker consumes the same queue as the run tests' workers."""
    browser = [item for item in items if "tests/browser/" in item.nodeid.replace("\\", "/")
               or item.nodeid.startswith("browser/")]
    if browser and len(browser) < len(items):
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if item not in browser]
        config.stash[_BROWSER_DESELECTED] = len(browser)


_BROWSER_DESELECTED = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    count = config.stash.get(_BROWSER_DESELECTED, 0)
    if count:
        terminalreporter.write_line(
            f"{count} browser tests left for their own session: pytest tests/browser"
        )
