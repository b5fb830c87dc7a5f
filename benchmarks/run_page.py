"""Run page benchmark: how fast the run page renders a run with 1,000 stored events, and how
a burst of 10,000 live events is applied (updates batched per animation frame).

    python benchmarks/run_page.py [--url http://127.0.0.1:8000] [--nodes 500] [--burst 10000]

Against a running site (`make run`, or the dev server) with its worker: it signs in (admin and
var/admin-password.txt unless --username/--password), creates a flow of `--nodes` value nodes
in parallel chains (each node emits node.started and node.output: 2 events a node, plus the
run's own), runs it and waits for it to finish. Then, in Debian's Chromium (1400x900):

- render: from navigation start to the graph laid out and painted with every node's final
  state (the page marks `dynamicflow:run-page-ready` once the stored events are applied and
  the graph is drawn), median and worst of `--repeat` loads; target <= 1 s;
- burst: `--burst` synthetic events (node.started / node.retrying / node.output over the
  flow's nodes, seq continuing the run's) fed through the page's live-event queue (the
  socket's path, `window.__dynamicflowRun.inject`) in messages of 100 events, as fast as the
  page accepts them: the time until all are applied, and the longest main-thread frame
  meanwhile (Long Animation Frames where Chromium reports them, else frame gaps).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DYNAMICFLOW_CHROMIUM", "/usr/bin/chromium")
CHAINS = 20


def sign_in(url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{url}/login/")
    response = session.post(
        f"{url}/login/",
        data={"username": username, "password": password,
              "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
        headers={"Referer": f"{url}/login/"},
        allow_redirects=False,
    )
    if response.status_code != 302:
        sys.exit(f"could not sign in as {username} at {url} ({response.status_code})")
    session.headers.update({"X-CSRFToken": session.cookies.get("csrftoken") or "",
                            "Referer": f"{url}/"})
    return session


def wide_flow(nodes: int) -> dict[str, Any]:
    """`nodes` value nodes in CHAINS parallel chains, each reading the one before it."""
    ir_nodes: list[dict[str, Any]] = []
    for i in range(nodes):
        value = "input.n" if i < CHAINS else f"v{i - CHAINS} + 1"
        ir_nodes.append({"id": f"v{i}", "type": "value", "value": value})
    return {
        "name": f"Run page benchmark ({nodes} nodes)",
        "description": "Value nodes in parallel chains: two events a node.",
        "input_schema": {"type": "object", "properties": {"n": {"type": "integer"}}},
        "nodes": ir_nodes,
        "max_steps": max(100, nodes),
    }


def create_run(session: requests.Session, url: str, nodes: int) -> tuple[str, int]:
    created = session.post(f"{url}/api/v1/flows/", json={"name": f"bench {nodes}",
                                                        "ir": wide_flow(nodes)})
    created.raise_for_status()
    flow = created.json()
    if not flow["latest_version"]["is_valid"]:
        sys.exit("the benchmark flow did not validate")
    version = session.get(f"{url}/api/v1/flows/{flow['id']}/versions/1/").json()
    run = session.post(f"{url}/api/v1/runs/", json={"flow_version": version["id"],
                                                    "input": {"n": 1}})
    run.raise_for_status()
    run_id = run.json()["id"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        detail = session.get(f"{url}/api/v1/runs/{run_id}/").json()
        if detail["status"] in ("completed", "failed", "cancelled"):
            if detail["status"] != "completed":
                sys.exit(f"the benchmark run {detail['status']}: {detail.get('error')}")
            return run_id, int(detail["last_seq"])
        time.sleep(0.5)
    sys.exit("the benchmark run did not finish within 2 minutes (is a worker running?)")


READY = """() => document.documentElement.dataset.runReady === 'true'
    && document.querySelectorAll('.rn').length > 0"""

PAINTED = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(
    () => resolve(performance.now()))))"""

BURST = """async ({total, perMessage}) => {
  const hooks = window.__dynamicflowRun;
  const start = hooks.state();
  const ids = Object.keys(start.nodes);
  const base = start.lastSeq;
  const target = base + total;
  const types = ['node.started', 'node.retrying', 'node.output'];
  const events = [];
  const t0s = Date.now() / 1000;
  for (let i = 1; i <= total; i++) {
    const id = ids[Math.floor((i - 1) / 3) % ids.length];
    const type = types[(i - 1) % 3];
    events.push({seq: base + i, type, ts: t0s + i / 1000, node_id: id, elapsed_ms: i,
      duration_ms: type === 'node.output' ? 1 : null,
      data: type === 'node.started' ? {inputs: {i}} : type === 'node.retrying'
        ? {attempt: 1, delay_s: 0.1, error: {code: 'timeout', message: 'slow'}}
        : {output: {i}, attempts: 2}});
  }
  const loaf = [];
  let observer = null;
  const kind = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
    ? 'long-animation-frame' : 'longtask';
  observer = new PerformanceObserver(list => loaf.push(...list.getEntries().map(e => e.duration)));
  observer.observe({type: kind, buffered: false});
  let maxGap = 0, frames = 0, last = performance.now(), done = false;
  const tick = (now) => {
    maxGap = Math.max(maxGap, now - last); last = now; frames++;
    if (!done) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const begin = performance.now();
  for (let i = 0; i < events.length; i += perMessage) {
    hooks.inject(events.slice(i, i + perMessage));
    // messages arrive as the network delivers them: let the event loop run between them
    if ((i / perMessage) % 10 === 9) await new Promise(r => setTimeout(r, 0));
  }
  while (hooks.state().lastSeq < target) await new Promise(r => setTimeout(r, 5));
  const applied = performance.now() - begin;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  done = true;
  observer.disconnect();
  return {applied, maxGap, frames, longest: loaf.length ? Math.max(...loaf) : 0,
          kind, count: loaf.length, lastSeq: hooks.state().lastSeq};
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("DYNAMICFLOW_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default=None)
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--run", default=None, help="measure this existing run instead")
    args = parser.parse_args()
    url = args.url.rstrip("/")
    password = args.password
    if password is None:
        password_file = ROOT / "var" / "admin-password.txt"
        password = password_file.read_text().strip() if password_file.exists() else ""

    session = sign_in(url, args.username, password)
    if args.run:
        run_id = args.run
        events = int(session.get(f"{url}/api/v1/runs/{run_id}/").json()["last_seq"])
    else:
        run_id, events = create_run(session, url, args.nodes)
    print(f"run {run_id}: {events} stored events")

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.add_cookies([
            {"name": c.name, "value": c.value or "", "url": url} for c in session.cookies
        ])
        page = context.new_page()
        page.goto(f"{url}/runs")  # warm the app's shared assets once
        page.wait_for_load_state("networkidle")

        renders: list[float] = []
        for _ in range(args.repeat):
            page.goto(f"{url}/runs/{run_id}")
            page.wait_for_function(READY, timeout=30_000)
            renders.append(page.evaluate(PAINTED))
        statuses = page.evaluate(
            "() => [...document.querySelectorAll('.rn')].map(n => n.dataset.status)"
        )
        if not statuses or any(status != "completed" for status in statuses):
            sys.exit("the run page did not show every drawn node completed")

        burst = page.evaluate(BURST, {"total": args.burst, "perMessage": 100})
        browser.close()

    median, worst = statistics.median(renders), max(renders)
    print(f"render, {events} stored events, {args.nodes} nodes: median {median:.0f} ms, "
          f"worst {worst:.0f} ms over {args.repeat} loads "
          f"(target <= 1000 ms: {'met' if median <= 1000 else 'MISSED'})")
    frame = burst["longest"] if burst["count"] else burst["maxGap"]
    print(f"burst of {args.burst} live events: applied in {burst['applied']:.0f} ms over "
          f"{burst['frames']} frames; longest main-thread frame {frame:.0f} ms "
          f"({burst['kind']}: {burst['count']} long frames; longest gap between frames "
          f"{burst['maxGap']:.0f} ms)")


if __name__ == "__main__":
    main()
