"""Cost per node as a flow grows: validate + compile and an in-memory engine run.

    python benchmarks/scale.py [--sizes 10,100,1000,10000] [--items 1000,10000,100000]

Shapes: a chain (each node after the one before), a data chain (each node reading the
one before) and a fan-out (one root, the rest all after it), at each size (the node
count, root included). Then a map node over 1,000 to 100,000 items, with the peak memory
tracemalloc sees during the run.
Figures are in CPU µs per node (or per item) of this process, after a warm-up round: the
machine is shared, so wall time would measure the neighbours; everything measured here
runs on one thread and never sleeps. The sizes take turns, about 10,000 nodes of each size
a round, so a busy neighbour slows every size alike. Validate + compile is a size's best
round (both pause the garbage collector). An engine run is a size's median round: the
collector stays on, and the full collections that the runs' records and events cause come
every few runs at 1,000 nodes but in every run at 10,000, so a best round would hide them
at the small sizes only. Each run gets a fresh in-memory checkpoint store, as a worker's
runs do not keep each other's.
Targets: validate + compile at most 30 µs per node at 10,000 nodes; an engine run at
10,000 nodes within 1.15x the cost per node at 1,000.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.core.checkpoints import InMemoryCheckpointStore
from flows.core.engine import Engine, EngineLimits
from flows.core.events import ListSink
from flows.core.graph import paused_gc
from flows.core.ir import parse_flow
from flows.core.tools import FunctionTool, InMemoryCatalog, ToolSpec
from flows.core.validate import validate_flow

TARGET_COMPILE_US = 30.0
#: engine run per node at 10,000 nodes / at 1,000, at most
TARGET_LINEAR = 1.15
#: rounds of engine runs (every size, about 10,000 nodes each, per round)
ROUNDS = 5


async def noop() -> dict[str, bool]:
    return {"ok": True}


async def echo(value: int) -> int:
    return value


def catalog() -> InMemoryCatalog:
    return InMemoryCatalog(
        [
            FunctionTool(ToolSpec("noop", "No-op", "Does nothing."), noop),
            FunctionTool(
                ToolSpec(
                    "echo",
                    "Echo",
                    "Returns its value.",
                    input_schema={
                        "type": "object",
                        "properties": {"value": {"type": "integer"}},
                        "required": ["value"],
                    },
                    output_schema={"type": "integer"},
                ),
                echo,
            ),
        ]
    )


def chain_flow(n: int) -> dict:
    nodes = [{"id": "n0", "type": "tool", "tool": "noop"}]
    nodes += [
        {"id": f"n{i}", "type": "tool", "tool": "noop", "after": [f"n{i - 1}"]} for i in range(1, n)
    ]
    return {"name": "chain", "nodes": nodes, "max_steps": n}


def data_chain_flow(n: int) -> dict:
    """A chain whose every node reads the one before (one expression a node)."""
    nodes = [{"id": "n0", "type": "tool", "tool": "echo", "inputs": {"value": "1"}}]
    nodes += [
        {"id": f"n{i}", "type": "tool", "tool": "echo", "inputs": {"value": f"n{i - 1}"}}
        for i in range(1, n)
    ]
    return {"name": "data chain", "nodes": nodes, "max_steps": n}


def fan_flow(n: int) -> dict:
    nodes = [{"id": "root", "type": "tool", "tool": "noop"}]
    nodes += [
        {"id": f"n{i}", "type": "tool", "tool": "noop", "after": ["root"]} for i in range(1, n)
    ]
    return {"name": "fan", "nodes": nodes, "max_steps": n}


def map_flow(items: int) -> dict:
    return {
        "name": "map",
        "nodes": [
            {
                "id": "each",
                "type": "map",
                "items": "input.items",
                "tool": "echo",
                "inputs": {"value": "item"},
                "concurrency": 64,
                "max_items": items,
            }
        ],
    }


def bench_compiles(
    build: Callable[[int], dict], sizes: list[int], cat: InMemoryCatalog, rounds: int
) -> dict[int, float]:
    """µs per node of validate_flow on the raw IR (as the API does on save), then of
    parsing and compiling it (as a worker does on its first run of a version).

    Like the engine runs, the sizes take turns, about 10,000 nodes of each a round; a
    size's figure is its best round (both steps pause the collector, so nothing is hidden).
    """
    engine = Engine(cat)
    flows = {size: build(size) for size in sizes}
    per_round = max(sizes)
    samples: dict[int, list[float]] = {size: [] for size in sizes}
    for round_ in range(rounds + 1):  # the first round warms up
        for size, data in flows.items():
            runs = max(1, per_round // size)
            start = time.process_time()
            for _ in range(runs):
                issues = validate_flow(data, cat)
                with paused_gc():  # as the worker parses and compiles a version
                    engine.compile(parse_flow(data))
                assert not issues, issues[:3]
            if round_:
                samples[size].append((time.process_time() - start) / (runs * size) * 1e6)
    return {size: min(kept) for size, kept in samples.items()}


def bench_runs(
    build: Callable[[int], dict], sizes: list[int], cat: InMemoryCatalog, rounds: int
) -> dict[int, float]:
    """µs per node of in-memory engine runs (events kept in a list) at each size.

    The sizes take turns: each round runs every size over about 10,000 nodes (ten runs of
    1,000, one of 10,000), so a busy neighbour slows every size alike. A size's figure is
    the median over the rounds of its mean in a round, full collections included.
    """
    engine = Engine(cat, limits=EngineLimits(max_concurrency=256))
    compiled = {size: engine.compile(parse_flow(build(size))) for size in sizes}
    per_round = max(sizes)

    async def many() -> dict[int, list[float]]:
        samples: dict[int, list[float]] = {size: [] for size in sizes}
        for round_ in range(rounds + 1):  # the first round warms up
            for size in sizes:
                spent = 0.0
                runs = max(1, per_round // size)
                for index in range(runs):
                    sink = ListSink()
                    engine.store = InMemoryCheckpointStore()
                    start = time.process_time()
                    result = await engine.run(
                        compiled[size], {}, run_id=f"scale-{round_}-{index}", sink=sink
                    )
                    spent += time.process_time() - start
                    assert result.status == "completed", result.error
                if round_:
                    samples[size].append(spent / (runs * size) * 1e6)
        return samples

    return {size: statistics.median(kept) for size, kept in asyncio.run(many()).items()}


def bench_map(items: int, cat: InMemoryCatalog, repeat: int) -> tuple[float, float]:
    """Best µs per item of a map run, and the peak memory tracemalloc saw in one more."""
    engine = Engine(cat, limits=EngineLimits(max_concurrency=256))
    compiled = engine.compile(parse_flow(map_flow(items)))
    run_input = {"items": list(range(items))}

    async def once(index: int, traced: bool) -> float:
        if traced:
            tracemalloc.start()
        start = time.process_time()
        result = await engine.run(compiled, run_input, run_id=f"map-{index}", sink=ListSink())
        elapsed = time.process_time() - start
        assert result.status == "completed", result.error
        return elapsed

    async def many() -> tuple[list[float], float]:
        await once(-1, False)  # warm-up
        samples = [await once(i, False) / items * 1e6 for i in range(repeat)]
        await once(repeat, True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return samples, peak / 2**20

    samples, peak = asyncio.run(many())
    return min(samples), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--items", default="1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds after the warm-up")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cat = catalog()
    print(
        f"{'graph':<16}{'nodes':>8}{'validate+compile':>18}{'engine run':>12}"
        "   (CPU µs per node: best round; median round)"
    )
    worst = 0.0
    growth: dict[str, float] = {}
    shapes = (("chain", chain_flow), ("data chain", data_chain_flow), ("fan-out", fan_flow))
    for shape, build in shapes:
        compiles = bench_compiles(build, sizes, cat, args.rounds)
        runs = bench_runs(build, sizes, cat, args.rounds)
        for size in sizes:
            compile_us = compiles[size]
            if size >= 10_000 and shape != "data chain":  # the target's shapes
                worst = max(worst, compile_us)
            print(f"{shape:<16}{size:>8}{compile_us:>18.1f}{runs[size]:>12.1f}")
        if 1_000 in runs and 10_000 in runs:
            growth[shape] = runs[10_000] / runs[1_000]
    if worst:
        verdict = "ok" if worst <= TARGET_COMPILE_US else "MISSED"
        print(
            f"validate + compile at 10,000 nodes (chain, fan-out): {worst:.1f} µs per node "
            f"(target <= {TARGET_COMPILE_US:.0f}: {verdict})"
        )
    if growth:
        shown = ", ".join(f"{shape} {ratio:.2f}x" for shape, ratio in growth.items())
        verdict = "ok" if max(growth.values()) <= TARGET_LINEAR else "MISSED"
        print(
            f"engine run per node, 10,000 nodes / 1,000: {shown} "
            f"(target <= {TARGET_LINEAR}x: {verdict})"
        )
    print()
    print(f"{'map items':<16}{'CPU µs/item':>12}{'peak MiB':>10}{'bytes/item':>12}")
    for items in (int(s) for s in args.items.split(",")):
        per_item, peak = bench_map(items, cat, 1 if items > 20_000 else 3)
        print(f"{items:<16}{per_item:>12.1f}{peak:>10.1f}{peak * 2**20 / items:>12.0f}")


if __name__ == "__main__":
    main()
