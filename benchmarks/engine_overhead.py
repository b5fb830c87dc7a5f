"""Engine overhead per node, beside bare asyncio and LangGraph on the same graphs.

    python benchmarks/engine_overhead.py [--repeat N]

Graphs: a 200-node chain and a 100-wide fan-out (one root, 100 parallel nodes). Every
node's work is one no-op coroutine, so what is measured is the cost of running the graph.

- engine: the in-memory engine (checkpoint store in memory, events kept in a list). Per
  node it starts a task once every dependency has finished, checks guards and arms,
  evaluates inputs, takes a concurrency slot, arms the call's timeout, calls the tool,
  checks the output's size, commits the node's record (awaited) and emits two events.
- asyncio: the least plain asyncio needs to run the same graph: per node a task that
  runs the coroutine, started once its predecessor has finished. The chain awaits each
  task in turn; the fan-out awaits the root's task, then gathers the 100 tasks.
- asyncio DAG: the engine's own scheduling and nothing else: a task per node that runs
  the coroutine, counts down its dependents and starts those it was the last wait of.
- langgraph: a StateGraph of the same shape (when langgraph is installed).

The engine and the asyncio runs alternate (one of each per round), so a busy neighbour
slows both alike; each figure is the median over the rounds of the CPU time of this
process (everything runs on one thread and never sleeps), in µs per node.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import operator
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
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
#: engine / asyncio, at most (the fan-out and the chain alike)
TARGET_RATIO = 2.5


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


Body = Callable[[], Awaitable[Any]]


def engine_body(shape: str) -> tuple[Body, int]:
    catalog = InMemoryCatalog([FunctionTool(ToolSpec("noop", "No-op", "Does nothing."), noop)])
    flow = parse_flow(chain_flow(CHAIN) if shape == "chain" else fan_flow(FAN))
    engine = Engine(catalog)
    compiled = engine.compile(flow)
    nodes = len(flow.nodes)
    counter = itertools.count()

    async def body() -> None:
        sink = ListSink()
        result = await engine.run(compiled, {}, run_id=f"r{next(counter)}", sink=sink)
        assert result.status == "completed", result
        assert len(sink.events) == 2 * nodes + 2

    return body, nodes


def asyncio_body(shape: str) -> tuple[Body, int]:
    async def chain() -> None:
        loop = asyncio.get_running_loop()
        for _ in range(CHAIN):
            await loop.create_task(noop())

    async def fan() -> None:
        loop = asyncio.get_running_loop()
        await loop.create_task(noop())
        await asyncio.gather(*[loop.create_task(noop()) for _ in range(FAN)])

    return (chain, CHAIN) if shape == "chain" else (fan, FAN + 1)


def dag_body(shape: str) -> tuple[Body, int]:
    if shape == "chain":
        dependents = {f"n{i}": [f"n{i + 1}"] for i in range(CHAIN - 1)} | {f"n{CHAIN - 1}": []}
    else:
        dependents = {"root": [f"n{i}" for i in range(FAN)]} | {f"n{i}": [] for i in range(FAN)}
    waits = dict.fromkeys(dependents, 0)
    for targets in dependents.values():
        for target in targets:
            waits[target] += 1

    async def body() -> None:
        loop = asyncio.get_running_loop()
        remaining = dict(waits)
        left = len(remaining)
        finished = loop.create_future()
        tasks = []

        async def node(node_id: str) -> None:
            nonlocal left
            await noop()
            for dependent in dependents[node_id]:
                remaining[dependent] -= 1
                if remaining[dependent] == 0:
                    tasks.append(loop.create_task(node(dependent)))
            left -= 1
            if left == 0:
                finished.set_result(None)

        for node_id, count in waits.items():
            if count == 0:
                tasks.append(loop.create_task(node(node_id)))
        await finished
        # Its tasks hold their coroutines, which hold `tasks`: without this every round
        # left ~300 objects in cycles, and the collector ran on them in the next body's
        # time (the engine's, which follows), not this one's.
        tasks.clear()

    return body, len(dependents)


def interleaved(bodies: list[tuple[Body, int]], rounds: int) -> list[float]:
    """Median CPU µs per node of each body, running them in turn, one of each per round."""

    async def many() -> list[list[float]]:
        samples: list[list[float]] = [[] for _ in bodies]
        for round_ in range(rounds + 3):  # three rounds to warm up
            for (body, nodes), kept in zip(bodies, samples, strict=True):
                start = time.process_time()
                await body()
                if round_ >= 3:
                    kept.append((time.process_time() - start) / nodes * 1e6)
        return samples

    return [statistics.median(kept) for kept in asyncio.run(many())]


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

    async def body() -> None:
        await app.ainvoke({"done": []}, config)

    return interleaved([(body, nodes)], repeat)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200, help="rounds (engine and asyncio)")
    args = parser.parse_args()
    print(
        f"{'graph':<14}{'asyncio':>9}{'DAG':>7}{'engine':>9}{'langgraph':>11}"
        f"{'eng/asyncio':>13}{'eng/DAG':>9}{'langgraph/eng':>15}   (CPU µs per node, median)"
    )
    worst = 0.0
    for shape, label in (("chain", f"chain {CHAIN}"), ("fan", f"fan-out {FAN}")):
        base, dag, engine = interleaved(
            [asyncio_body(shape), dag_body(shape), engine_body(shape)], args.repeat
        )
        lg = bench_langgraph(shape, max(3, args.repeat // 20))
        worst = max(worst, engine / base)
        lg_text = f"{lg:>11.1f}" if lg is not None else f"{'n/a':>11}"
        ratio_lg = f"{lg / engine:>14.1f}x" if lg is not None else f"{'n/a':>15}"
        print(
            f"{label:<14}{base:>9.1f}{dag:>7.1f}{engine:>9.1f}{lg_text}"
            f"{engine / base:>12.2f}x{engine / dag:>8.2f}x{ratio_lg}"
        )
    verdict = "ok" if worst <= TARGET_RATIO else "MISSED"
    print(
        f"engine / asyncio, worst graph: {worst:.2f}x (target <= {TARGET_RATIO}x: {verdict}); "
        "asyncio = a task per node, awaited in turn (chain) or gathered (fan-out); "
        "DAG = the engine's scheduling alone"
    )


if __name__ == "__main__":
    main()
