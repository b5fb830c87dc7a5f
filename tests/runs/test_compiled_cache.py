"""The compiled-flow cache: one compile per worker process, whatever the thread."""

from __future__ import annotations

import threading

import pytest

from flows.core.engine import Engine
from flows.core.ir import Join, parse_flow
from flows.core.tools import FunctionTool, InMemoryCatalog, ToolSpec
from flows.runs.runner import CompiledCache


async def _noop() -> dict[str, bool]:
    return {"ok": True}


def _catalog() -> InMemoryCatalog:
    return InMemoryCatalog([FunctionTool(ToolSpec("noop", "No-op", "Does nothing."), _noop)])


FLOW = parse_flow({"name": "f", "nodes": [{"id": "a", "type": "tool", "tool": "noop"}]})


def test_threads_of_a_process_share_one_compile() -> None:
    cache = CompiledCache()
    catalog = _catalog()
    joins = [Join(from_tool="noop", to_tool="noop", mapping={"x": "source.ok"})]
    engines = [Engine(catalog, joins=joins) for _ in range(8)]
    results = []
    start = threading.Barrier(len(engines))

    def worker(engine: Engine) -> None:
        start.wait()
        results.append(cache.get(1, engine, joins) or cache.compile(1, engine, joins, FLOW))

    threads = [threading.Thread(target=worker, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.compiles == 1
    assert len(results) == 8
    assert all(result is results[0] for result in results)


def test_a_new_catalogue_or_joins_snapshot_compiles_again() -> None:
    cache = CompiledCache()
    joins: list[Join] = []
    first = cache.compile(1, Engine(_catalog()), joins, FLOW)
    assert cache.compile(1, Engine(_catalog()), joins, FLOW) is not first
    assert cache.compiles == 2  # another catalogue object
    engine = Engine(_catalog())
    cache.compile(1, engine, joins, FLOW)
    cache.compile(1, engine, [], FLOW)  # another joins list
    assert cache.compiles == 4
    assert cache.get(2, engine, joins) is None


def test_the_cache_keeps_the_most_recent_versions() -> None:
    cache = CompiledCache(size=2)
    engine, joins = Engine(_catalog()), list[Join]()
    for version in (1, 2, 3):
        cache.compile(version, engine, joins, FLOW)
    assert cache.get(1, engine, joins) is None
    assert cache.get(3, engine, joins) is not None


@pytest.mark.django_db
def test_an_unchanged_registry_keeps_its_snapshot_and_a_change_rebuilds_it(settings) -> None:
    # Given a process whose registry snapshot is checked on every use
    from flows.runs import catalog
    from tools_registry.code_tools import CODE_TOOLS
    from tools_registry.models import Tool as ToolRow

    settings.DYNAMICFLOW_TOOLS_TTL_S = 0
    catalog.forget_snapshot()
    tool_id = sorted(CODE_TOOLS)[0]
    try:
        first = catalog.run_catalog()
        joins = catalog.run_joins()

        # When nothing changed, then the same objects come back (compiled flows stay valid)
        assert catalog.run_catalog() is first
        assert catalog.run_joins() is joins

        # When a tool is disabled (even by a bulk update, which leaves updated_at alone)
        ToolRow.objects.update_or_create(
            id=tool_id,
            defaults={"name": tool_id, "description": "d", "kind": "python", "source": "code"},
        )
        rebuilt = catalog.run_catalog()
        assert rebuilt is not first
        assert rebuilt.get(tool_id) is not None
        ToolRow.objects.filter(pk=tool_id).update(enabled=False)

        # Then the next use rebuilds the snapshot without it
        assert catalog.run_catalog().get(tool_id) is None
    finally:
        catalog.forget_snapshot()
