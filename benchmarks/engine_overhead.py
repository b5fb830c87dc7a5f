"""Engine overhead per node, beside bare asyncio and LangGraph on the same graphs.

    python benchmarks/engine_overhead.py [--repeat N]

Graphs: a 200-node chain and a 100-wide fan-out (one root, 100 parallel no-op nodes).
Every tool is a no-op coroutine, so what is measured is the cost of running the graph:
scheduling, events, checkpoints. Each figure is the median of N runs, in µs per node.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import operator
import statistics
import sys
import time
from pathlib import Path
from typing import Annotated, Any, TypedDict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.core.engine import Engine
from flows.core.events import ListSink
from flows.core.ir import parse_flow
from flows.core.tools import FunctionTool, InMemoryCatalog, ToolSpec


class LangGraphState(TypedDict):
    done: Annotated[list, operator.add]


CHAIN = 200
FAN = 100


async def noop() -> dict[str, bool]:
    return {"ok": True}


def chain_flow(n: int) -> dict:
    nodes = [{"id": "n0", "type": "tool", "tool": "noop"}]
    nodes += [
        {"id": f"n{i}", "type": "tool", "tool": "noop", "after": [f"n{i - 1}"]} for i in range(1, n)
    ]
    return {"name": "chain", "nodes": nodes, "max_steps": n + 1}


def fan_flow(n: int) -> dict:
    nodes = [{"id": "root", "type": "tool", "tool": "noop"}]
    nodes += [{"id": f"n{i}", "type": "tool", "tool": "noop", "after": ["root"]} for i in range(n)]
    return {"name": "fan", "nodes": nodes, "max_steps": n + 2}


def median_us_per_node(fn, nodes: int, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) / nodes * 1e6)
    return statistics.median(samples)


def bench_engine(shape: str, repeat: int) -> float:
    catalog = InMemoryCatalog([FunctionTool(ToolSpec("noop", "No-op", "Does nothing."), noop)])
    flow = parse_flow(chain_flow(CHAIN) if shape == "chain" else fan_flow(FAN))
    engine = Engine(catalog)
    compiled = engine.compile(flow)
    nodes = len(flow.nodes)
    counter = iter(range(10**9))

    async def many() -> list[float]:
        samples = []
        for _ in range(repeat):
            sink = ListSink()
            start = time.perf_counter()
            result = await engine.run(compiled, {}, run_id=f"r{next(counter)}", sink=sink)
            samples.append((time.perf_counter() - start) / nodes * 1e6)
            assert result.status == "completed", result
            assert len(sink.events) == 2 * nodes + 2
        return samples

    return statistics.median(asyncio.run(many()))


def bench_asyncio(shape: str, repeat: int) -> float:
    async def chain() -> None:
        for _ in range(CHAIN):
            await asyncio.get_running_loop().create_task(noop())

    async def fan() -> None:
        await asyncio.get_running_loop().create_task(noop())
        await asyncio.gather(*[asyncio.get_running_loop().create_task(noop()) for _ in range(FAN)])

    async def many() -> list[float]:
        body = chain if shape == "chain" else fan
        nodes = CHAIN if shape == "chain" else FAN + 1
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            await body()
            samples.append((time.perf_counter() - start) / nodes * 1e6)
        return samples

    return statistics.median(asyncio.run(many()))


def langgraph_chain(state: type, node: Any, length: int) -> Any:
    """A LangGraph StateGraph of `length` copies of `node` in a row (not compiled)."""
    from langgraph.graph import END, START, StateGraph

    graph = StateGraph(state)
    names = [f"n{i}" for i in range(length)]
    for name in names:
        graph.add_node(name, node)
    graph.add_edge(START, names[0])
    for a, b in itertools.pairwise(names):
        graph.add_edge(a, b)
    graph.add_edge(names[-1], END)
    return graph


def bench_langgraph(shape: str, repeat: int) -> float | None:
    try:
        from langgraph.graph import END, START, StateGraph
    except ImportError:
        return None

    async def node(state: LangGraphState) -> dict:
        return {"done": [1]}

    if shape == "chain":
        graph = langgraph_chain(LangGraphState, node, CHAIN)
        nodes = CHAIN
    else:
        graph = StateGraph(LangGraphState)
        graph.add_node("root", node)
        graph.add_edge(START, "root")
        for i in range(FAN):
            graph.add_node(f"n{i}", node)
            graph.add_edge("root", f"n{i}")
            graph.add_edge(f"n{i}", END)
        nodes = FAN + 1
    app = graph.compile()
    config = {"recursion_limit": CHAIN + 10}

    async def many() -> list[float]:
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            await app.ainvoke({"done": []}, config)
            samples.append((time.perf_counter() - start) / nodes * 1e6)
        return samples

    return statistics.median(asyncio.run(many()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print(
        f"{'graph':<14}{'asyncio':>10}{'engine':>10}{'langgraph':>11}"
        f"{'overhead':>10}{'eng/asyncio':>13}{'langgraph/eng':>15}   (µs per node, median)"
    )
    for shape, label in (("chain", f"chain {CHAIN}"), ("fan", f"fan-out {FAN}")):
        base = bench_asyncio(shape, args.repeat)
        engine = bench_engine(shape, args.repeat)
        lg = bench_langgraph(shape, max(3, args.repeat // 5))
        overhead = engine - base
        lg_text = f"{lg:>11.1f}" if lg is not None else f"{'n/a':>11}"
        ratio_lg = f"{lg / engine:>14.1f}x" if lg is not None else f"{'n/a':>15}"
        print(
            f"{label:<14}{base:>10.1f}{engine:>10.1f}{lg_text}{overhead:>10.1f}"
            f"{engine / base:>12.1f}x{ratio_lg}"
        )
    print(
        "overhead = engine - asyncio; target: overhead < 25 µs/node, engine within 3x of "
        "asyncio, 10x faster than LangGraph"
    )


if __name__ == "__main__":
    main()
