"""Hardening tests: each test's event loop kills and reaps its expression children."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest


@pytest.fixture(autouse=True)
async def _reap_sandboxes() -> AsyncIterator[None]:
    yield
    from flows.core.bounded import close_loop_sandboxes

    await close_loop_sandboxes()
