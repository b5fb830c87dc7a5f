"""Offline planning time as the catalogue grows: the demo pack plus 0 to 1,000 registered tools.

    python benchmarks/planning.py [--sizes 0,100,1000]

At each size, the demo pack's tools and that many registered stand-ins (an HTTP-like tool
each: an id, a name, a description and two fields, words drawn from a business
vocabulary), then the same prompts planned over them: the first plan (which reads the
catalogue: its tool index and its words) and the median of the prompts planned again.
A planner that reads the catalogue once per catalogue costs about the same per plan at
every size, past the first; one that reads it per plan grows with the catalogue.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROMPTS = [
    "validate the email, then send a welcome email",
    "Fetch the article at https://example.com/a, summarize it and email the summary to "
    "ops@example.com",
    "If the order total is over 500, wait for a manager to approve it, then ship it with FedEx",
    "Look up customer C-42 and email them a thank-you note",
    "Check the inventory of SKU-1; if fewer than 10 are left, open a ticket for the purchasing "
    "team",
    "Classify the support ticket and analyze its sentiment; if it is negative, email "
    "support@example.com",
    "Calculate the tax on the order, charge the card, then create the shipment",
]
REPEAT = 5

WORDS = (
    "invoice order customer ticket payment refund shipment lead contact report stock price "
    "meeting channel repo issue deploy build log metric alert account subscription discount "
    "coupon inventory warehouse supplier contract document archive backup audit survey"
).split()
VERBS = "get create update delete list search fetch compute check lookup verify resolve".split()


def registered(count: int) -> list[Any]:
    """`count` stand-in tool specs, the same ones for a given count."""
    from flows.core.tools import ToolSpec

    pick = random.Random(count)
    specs = []
    for i in range(count):
        verb = pick.choice(VERBS)
        thing, other = pick.sample(WORDS, 2)
        system = pick.choice(WORDS)
        specs.append(
            ToolSpec(
                id=f"{verb}_{thing}_{other}_{i}",
                name=f"{verb.title()} {thing} {other}",
                description=f"{verb.title()} the {thing} {other} in the {system} system.",
                input_schema={
                    "type": "object",
                    "properties": {thing: {"type": "string"}, other: {"type": "string"}},
                    "required": [thing],
                },
                output_schema={"type": "object", "properties": {"result": {"type": "string"}}},
            )
        )
    return specs


def catalog_with(specs: list[Any]) -> Any:
    from flows.core.tools import FunctionTool, InMemoryCatalog
    from tools_registry.catalog import default_catalog

    async def nothing(**inputs: Any) -> dict[str, Any]:
        return {}

    demo = default_catalog()
    tools = [FunctionTool(spec, nothing) for spec in specs]
    return InMemoryCatalog([*(demo.get(spec.id) for spec in demo.specs()), *tools])


def plan_ms(prompt: str, catalog: Any) -> tuple[float, bool]:
    from flows.core.planner.offline import OfflinePlanner
    from flows.core.planner.session import plan_flow

    start = time.perf_counter()
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)
    return (time.perf_counter() - start) * 1e3, result.ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,100,1000", help="registered tools, comma-separated")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dynamicflow_site.settings.test")
    import django

    django.setup()
    print("offline planning, ms per plan (first plan over the catalogue; then the median)")
    warm_at: dict[int, float] = {}
    for size in (int(size) for size in args.sizes.split(",")):
        catalog = catalog_with(registered(size))
        first, _ = plan_ms(PROMPTS[0], catalog)
        times, planned = [], 0
        for _ in range(REPEAT):
            for prompt in PROMPTS:
                ms, ok = plan_ms(prompt, catalog)
                times.append(ms)
                planned += ok
        warm_at[size] = statistics.median(times)
        print(
            f"  demo pack + {size:5d} registered tools: first {first:7.1f} ms,"
            f" then median {warm_at[size]:6.1f} ms"
            f" ({planned // REPEAT}/{len(PROMPTS)} prompts planned)"
        )
    if len(warm_at) > 1:
        small, large = min(warm_at), max(warm_at)
        print(f"  {large} registered tools against {small}: {warm_at[large] / warm_at[small]:.2f}x")


if __name__ == "__main__":
    main()
