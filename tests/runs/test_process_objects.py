"""A worker process's objects from before its first run are frozen once, out of the cyclic
collector's walks (runner._freeze_process_objects)."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

from flows.runs import runner


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    gc.unfreeze()
    monkeypatch.setattr(runner, "_frozen_pid", None)
    yield
    gc.unfreeze()


def test_the_process_objects_are_frozen_once(unfrozen: None) -> None:
    assert gc.get_freeze_count() == 0

    runner._freeze_process_objects()
    frozen = gc.get_freeze_count()
    later = [[index] for index in range(1000)]  # made after: a second freeze would take them
    runner._freeze_process_objects()

    assert frozen > 10_000  # the modules and settings of a Django process at least
    assert gc.get_freeze_count() == frozen
    assert runner._frozen_pid == os.getpid()
    del later


def test_a_forked_child_freezes_its_own(unfrozen: None, monkeypatch: pytest.MonkeyPatch) -> None:
    runner._freeze_process_objects()
    gc.unfreeze()
    monkeypatch.setattr(runner.os, "getpid", lambda: -1)  # as a forked child sees itself

    runner._freeze_process_objects()

    assert gc.get_freeze_count() > 10_000
