"""The catalogue of tools registered in code, as the planners and the engine see it."""

from __future__ import annotations

from functools import lru_cache

from flows.core.tools import InMemoryCatalog
from tools_registry.code_tools import CODE_TOOLS


@lru_cache(maxsize=1)
def default_catalog() -> InMemoryCatalog:
    """Every code tool (the demo pack included), built once per process."""
    # Normally AppConfig.ready has imported the pack already; importing here too keeps the
    # catalogue complete when it is asked for first.
    import tools_registry.demo  # noqa: F401

    return InMemoryCatalog(CODE_TOOLS.values())
