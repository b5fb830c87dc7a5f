"""How long the designer takes to open a 500-node flow in Chromium: from navigation start
until the graph is laid out, drawn and the page answers input, then how long a click on a
node takes to show it in the inspector.

    python benchmarks/designer_open.py [--url http://127.0.0.1:8000] [--nodes 500] [--runs 5]
                                       [--reopen]

It signs in as `admin` (password from var/admin-password.txt, or DYNAMICFLOW_ADMIN_PASSWORD),
creates a flow of --nodes nodes with no saved positions (so the layout runs) through the
REST API, opens /flows/<id> in Debian's Chromium (/usr/bin/chromium) --runs times after
one warm-up, and prints the median and the spread. With --reopen it also opens the designer
--runs times from the flows list in the same tab (the app's own navigation, no page load),
as people do after the first open. The flow is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("DYNAMICFLOW_CHROMIUM", "/usr/bin/chromium")
TOOLS = [
    ("validate_email", {"email": "input.email"}),
    ("summarize_text", {"text": "input.text"}),
    ("analyze_sentiment", {"text": "input.text"}),
    ("classify_ticket", {"text": "input.text"}),
]

# The designer sets performance marks (designer:fetched, designer:layout-start/-end,
# designer:drawn) that are printed as phases.
# Marks the moment the designer is usable: the canvas says its layout is done, node
# cards are in the page, and the main thread has come back to run a task after a frame.
READY_PROBE = """
window.__designerReady = new Promise((resolve) => {
  const check = () => {
    const canvas = document.querySelector('[data-testid="canvas"][data-ready="true"]');
    if (canvas && document.querySelector('[data-node-id]')) {
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
    } else {
      requestAnimationFrame(check);
    }
  };
  check();
});
"""


# From a click on the flow's link in the list until the canvas is laid out and drawn.
REOPEN = """
(flowId) => new Promise((resolve) => {
  const start = performance.now();
  document.querySelector(`[data-testid="flow-link"][href="/flows/${flowId}"]`).click();
  const check = () => {
    const canvas = document.querySelector('[data-testid="canvas"][data-ready="true"]');
    if (canvas && document.querySelector('[data-node-id]')) {
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
    } else {
      requestAnimationFrame(check);
    }
  };
  check();
})
"""


def big_flow(size: int, seed: int = 7) -> dict[str, Any]:
    """A flow that looks like a planner's: tools reading earlier tools, branches, values."""
    rng = random.Random(seed)
    nodes: list[dict[str, Any]] = []
    for i in range(size):
        node_id = f"step_{i}"
        earlier = [n for n in nodes if n["type"] == "tool"]
        kind = rng.random()
        if earlier and kind < 0.1 and i < size - 2:
            source = rng.choice(earlier)["id"]
            nodes.append(
                {
                    "id": node_id,
                    "type": "branch",
                    "condition": f"{source} != null",
                    "then": [f"step_{i + 1}"],
                    "else": [f"step_{i + 2}"],
                }
            )
        elif earlier and kind < 0.25:
            picks = rng.sample(earlier, min(2, len(earlier)))
            nodes.append(
                {
                    "id": node_id,
                    "type": "value",
                    "value": {p["id"]: f"{p['id']} != null" for p in picks},
                }
            )
        else:
            tool, inputs = rng.choice(TOOLS)
            if earlier and rng.random() < 0.7:
                source = rng.choice(earlier[-20:])["id"]
                inputs = dict.fromkeys(inputs, f"string({source})")
            node = {"id": node_id, "type": "tool", "tool": tool, "inputs": dict(inputs)}
            if len(nodes) > 3 and rng.random() < 0.2:
                node["after"] = [nodes[-3]["id"]]
            nodes.append(node)
    return {
        "name": f"Benchmark flow ({size} nodes)",
        "input_schema": {
            "type": "object",
            "properties": {"email": {"type": "string"}, "text": {"type": "string"}},
        },
        "nodes": nodes,
        "max_steps": max(100, size),
    }


def spread(times: list[float]) -> str:
    return f"median {statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("DYNAMICFLOW_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--reopen",
        action="store_true",
        help="also time opening the designer again from the flows list",
    )
    args = parser.parse_args()
    password = (
        os.environ.get("DYNAMICFLOW_ADMIN_PASSWORD")
        or (ROOT / "var" / "admin-password.txt").read_text().strip()
    )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(args.url + "/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        csrf = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        headers = {"X-CSRFToken": csrf, "Referer": args.url + "/"}
        created = page.request.post(
            args.url + "/api/v1/flows/",
            headers=headers,
            data={"name": f"Benchmark {args.nodes}", "ir": big_flow(args.nodes)},
        )
        assert created.ok, created.text()
        flow_id = created.json()["id"]
        context.add_init_script(READY_PROBE)
        opened: list[float] = []
        clicked: list[float] = []
        reopened: list[float] = []
        phases: dict[str, list[float]] = {}
        try:
            for run in range(args.runs + 1):
                page.goto(f"{args.url}/flows/{flow_id}")
                ready_ms = page.evaluate("window.__designerReady")
                marks = page.evaluate(
                    "Object.fromEntries(performance.getEntriesByType('mark')"
                    ".filter((m) => m.name.startsWith('designer:')"
                    " || m.name.startsWith('layout-engine:'))"
                    ".map((m) => [m.name, m.startTime]))"
                )
                drawn = page.locator("[data-node-id]").count()
                cards = page.locator("[data-node-id]")
                node_id = cards.nth(drawn // 2).get_attribute("data-node-id")
                # By its id: the problems panel opening after the first draw shortens the
                # canvas, which drops off-screen cards and shifts the others' indexes.
                target = page.locator(f'[data-node-id="{node_id}"]')
                start = page.evaluate("performance.now()")
                target.click()
                page.wait_for_function(
                    "(id) => document.querySelector('[data-testid=inspector] input.mono')"
                    "?.value === id",
                    arg=node_id,
                )
                click_ms = page.evaluate("performance.now()") - start
                if run == 0:
                    print(f"warm-up: {ready_ms:.0f} ms to interactive, {drawn} node cards drawn")
                    continue
                opened.append(ready_ms)
                clicked.append(click_ms)
                for name, at in marks.items():
                    phases.setdefault(name, []).append(at)
            for _ in range(args.runs if args.reopen else 0):
                page.get_by_test_id("nav-flows").click()
                page.locator(f'[data-testid="flow-link"][href="/flows/{flow_id}"]').wait_for()
                reopened.append(page.evaluate(REOPEN, flow_id))
        finally:
            page.request.delete(f"{args.url}/api/v1/flows/{flow_id}/", headers=headers)
            browser.close()

    print(f"designer open, {args.nodes} nodes, {args.runs} runs (Chromium, 1400x900):")
    print(f"  navigation -> laid out, drawn and interactive: {spread(opened)}")
    print(f"  click a node -> shown in the inspector:       {spread(clicked)}")
    if reopened:
        print(f"  open again from the flows list, same tab:     {spread(reopened)}")
    print(
        "  phases (median ms after navigation start): "
        + ", ".join(
            f"{name.removeprefix('designer:')} {statistics.median(times):.0f}"
            for name, times in phases.items()
        )
    )
    load = os.getloadavg()
    print(f"  machine load average during the run: {load[0]:.1f} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
