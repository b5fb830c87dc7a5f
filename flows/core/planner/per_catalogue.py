"""Something read off a catalogue, kept for the last few catalogues seen.

A process's catalogue is a snapshot kept until the registry changes
(`flows/runs/catalog.py`), so the same tool specs come back plan after plan. With hundreds
of registered tools, reading them all again for every plan (indexing them, gathering their
words, writing them out for the plan cache's key) costs more than the plan itself. Specs
are immutable, so the same specs in the same order give what was read of them before;
they are keyed by identity, and kept alive with what was read so the ids stay theirs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from flows.core.tools import ToolSpec

T = TypeVar("T")

#: Catalogues whose readings stay kept (a process plans over one, or a few subsets of it).
KEPT = 8


class PerCatalogue(Generic[T]):
    """`read(tools)`, once per catalogue (the least recently used is dropped past KEPT)."""

    def __init__(self, read: Callable[[tuple[ToolSpec, ...]], T], kept: int = KEPT) -> None:
        self._read = read
        self._kept_count = kept
        self._kept: OrderedDict[tuple[int, ...], tuple[tuple[ToolSpec, ...], T]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, tools: Sequence[ToolSpec]) -> T:
        key = tuple(map(id, tools))
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept[1]
        specs = tuple(tools)
        value = self._read(specs)
        with self._lock:
            self._kept[key] = (specs, value)
            while len(self._kept) > self._kept_count:
                self._kept.popitem(last=False)
        return value
