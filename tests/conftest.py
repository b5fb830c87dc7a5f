"""Shared fixtures. Database tests use the real Postgres named by DATABASE_URL
(`make test` starts an embedded one when it is unset)."""

from __future__ import annotations

import os

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
