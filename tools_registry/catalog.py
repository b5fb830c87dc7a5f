"""The catalogue of tools registered in code (placeholder until the demo pack lands)."""

from functools import lru_cache

from flows.core.tools import InMemoryCatalog


@lru_cache(maxsize=1)
def default_catalog() -> InMemoryCatalog:
    return InMemoryCatalog()
