"""The tool catalogue runs execute against: the registered tools plus any test/extra modules.

`run_catalog()` is what the runner and the run services use; tests monkeypatch it, and
worker processes started by tests add tool modules through DYNAMICFLOW_EXTRA_TOOLS (each
module exposes `TOOLS`, an iterable of `Tool`).
"""

from __future__ import annotations

import importlib
from functools import lru_cache

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


@lru_cache(maxsize=1)
def _catalog(modules: tuple[str, ...]) -> ToolCatalog:
    from tools_registry.catalog import default_catalog

    base: ToolCatalog = default_catalog()
    if not modules:
        return base
    extra = InMemoryCatalog()
    for name in modules:
        for tool in importlib.import_module(name).TOOLS:
            extra.add(tool)
    return LayeredCatalog(extra, base)


def run_catalog() -> ToolCatalog:
    return _catalog(tuple(conf.extra_tool_modules()))
