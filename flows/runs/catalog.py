"""The tool catalogue runs execute against: the registered tools plus any test/extra modules.

`run_catalog()` and `run_joins()` are what the runner, the run services and the planners
use: the registry's code and configured tools and its joins, checked against the
database at most every few seconds (`DYNAMICFLOW_TOOLS_TTL_S`) and rebuilt only when they
changed. Tests monkeypatch them, and worker processes started by tests add tool modules
through DYNAMICFLOW_EXTRA_TOOLS (each module exposes `TOOLS`, an iterable of `Tool`).
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TypeGuard

from flows.core.ir import Join
from flows.core.tools import InMemoryCatalog, Tool, ToolCatalog, ToolSpec
from flows.runs import conf


class LayeredCatalog:
    """Looks tools up in `first`, then in `base`."""

    def __init__(self, first: ToolCatalog, base: ToolCatalog) -> None:
        self.first = first
        self.base = base

    def get(self, tool_id: str) -> Tool | None:
        return self.first.get(tool_id) or self.base.get(tool_id)

    def specs(self) -> list[ToolSpec]:
        seen = {spec.id for spec in self.first.specs()}
        return self.first.specs() + [s for s in self.base.specs() if s.id not in seen]


@lru_cache(maxsize=8)
def _extra_tools(modules: tuple[str, ...]) -> InMemoryCatalog:
    extra = InMemoryCatalog()
    for name in modules:
        for tool in importlib.import_module(name).TOOLS:
            extra.add(tool)
    return extra


@dataclass(frozen=True)
class _Snapshot:
    catalog: ToolCatalog
    joins: list[Join]
    fingerprint: str
    #: time.monotonic() after which the registry is checked again (the TTL is read when
    #: the snapshot is taken, not on each of the many runs that use it)
    fresh_until: float


_snapshot: _Snapshot | None = None


def _current() -> _Snapshot:
    """The registry's tools and joins, checked at most every `tools_ttl_s`.

    The check is one small query (the registry's fingerprint); the snapshot is rebuilt
    only when it changed. Keeping the same objects otherwise keeps the flows the workers
    compiled against them (`runner.CompiledCache` is keyed by their identity).
    """
    global _snapshot
    snapshot = _snapshot
    if not _fresh(snapshot):
        from tools_registry.catalog import registry_catalog, registry_fingerprint, registry_joins

        fingerprint = registry_fingerprint()
        if snapshot is not None and snapshot.fingerprint == fingerprint:
            snapshot = _snapshot = replace(snapshot, fresh_until=_fresh_until())
            return snapshot
        catalog: ToolCatalog = registry_catalog()
        modules = tuple(conf.extra_tool_modules())
        if modules:
            catalog = LayeredCatalog(_extra_tools(modules), catalog)
        snapshot = _snapshot = _Snapshot(catalog, registry_joins(), fingerprint, _fresh_until())
    return snapshot


def _fresh_until() -> float:
    return time.monotonic() + conf.tools_ttl_s()


def _fresh(snapshot: _Snapshot | None) -> TypeGuard[_Snapshot]:
    """Whether `snapshot` is recent enough to use without a query."""
    return snapshot is not None and time.monotonic() <= snapshot.fresh_until


def fresh_snapshot() -> tuple[ToolCatalog, list[Join]] | None:
    """The snapshot's catalogue and joins if recent enough to use without a query, else None."""
    snapshot = _snapshot
    return (snapshot.catalog, snapshot.joins) if _fresh(snapshot) else None


def forget_snapshot() -> None:
    """Re-read the registry on next use (after this process changed a tool or a join)."""
    global _snapshot
    _snapshot = None


def run_catalog() -> ToolCatalog:
    """Every tool a run may call: code tools and the enabled configured ones."""
    return _current().catalog


def run_joins() -> list[Join]:
    """The registry's enabled joins (a flow's own joins take precedence over these)."""
    return _current().joins
