"""How the designer opens: one layout worker for the whole tab, started while the app is
idle so the first open finds it ready, reused by every later open; a flow whose nodes all
have saved positions, or one laid out before in this browser, drawn at once, without
waiting for the layout engine."""

from __future__ import annotations

import copy
import re
from itertools import pairwise
from typing import Any

from playwright.sync_api import expect

from tests.browser.test_designer import WELCOME, make, node

ELK_WORKER = re.compile(r"elk-worker[^/]*\.js$")

# Every worker the page creates, by script URL: a second ELK would show as a second entry.
COUNT_WORKERS = """
window.__workersCreated = [];
const PageWorker = window.Worker;
window.Worker = class extends PageWorker {
  constructor(url, options) {
    super(url, options);
    window.__workersCreated.push(String(url));
  }
};
"""


def layout_workers(page: Any) -> list[str]:
    return [url for url in page.evaluate("window.__workersCreated") if "elk-worker" in url]


def open_from_the_flows_list(page: Any, flow_id: int) -> None:
    page.get_by_test_id("nav-flows").click()
    page.locator(f'[data-testid="flow-link"][href="/flows/{flow_id}"]').click()
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")


def test_a_second_open_in_the_same_tab_reuses_the_warm_layout_worker(page, live_server, staff_user):
    # Given a flow without saved positions (the layout runs) and a tab on the flows list
    flow = make(staff_user)
    page.add_init_script(COUNT_WORKERS)
    page.goto(live_server("/flows"))

    # Then the layout engine starts while the list is idle, before any graph is opened
    page.wait_for_function(
        "performance.getEntriesByName('layout-engine:warm-end').length === 1", timeout=15_000
    )
    assert len(layout_workers(page)) == 1

    # When the designer is opened, left for the list and opened again in the same tab
    open_from_the_flows_list(page, flow.pk)
    expect(node(page, "greet")).to_be_visible()
    open_from_the_flows_list(page, flow.pk)

    # Then the second open draws its nodes with the same worker: none was created again
    expect(node(page, "greet")).to_be_visible()
    expect(node(page, "report")).to_be_visible()
    assert len(layout_workers(page)) == 1, layout_workers(page)
    assert page.evaluate("location.pathname") == f"/flows/{flow.pk}"


def test_a_flow_with_saved_positions_draws_without_waiting_for_the_layout(
    page, live_server, staff_user
):
    # Given a flow whose every node has a saved position, and the layout worker held back
    held: list[Any] = []
    page.context.route(ELK_WORKER, lambda route: held.append(route))
    document = copy.deepcopy(WELCOME)
    for i, step in enumerate(document["nodes"]):
        step["position"] = {"x": 320 * i, "y": 40 * i}
    flow = make(staff_user, document)

    # When the designer opens it
    page.goto(live_server(f"/flows/{flow.pk}"))

    # Then the nodes are drawn where they were saved while the layout engine has not answered
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    for step in document["nodes"]:
        expect(node(page, step["id"])).to_be_visible()
    expect(page.get_by_test_id("canvas-laying-out")).to_have_count(0)
    left = [node(page, step["id"]).bounding_box()["x"] for step in document["nodes"]]
    assert all(a < b for a, b in pairwise(left)), left
    for route in held:
        route.continue_()


def test_a_flow_laid_out_before_reopens_without_the_layout_worker(page, live_server, staff_user):
    # Given a flow without saved positions, opened once directly: ELK lays it out
    flow = make(staff_user)
    page.add_init_script(COUNT_WORKERS)
    page.goto(live_server(f"/flows/{flow.pk}"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    first = {s["id"]: node(page, s["id"]).bounding_box() for s in WELCOME["nodes"]}
    assert len(layout_workers(page)) == 1

    # When it is opened again (a reload) with the layout worker's script held back
    held: list[Any] = []
    page.context.route(ELK_WORKER, lambda route: held.append(route))
    page.reload()

    # Then it is drawn at once, where ELK put it the first time, without starting ELK
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    again = {s["id"]: node(page, s["id"]).bounding_box() for s in WELCOME["nodes"]}
    assert again == first
    assert layout_workers(page) == []
    for route in held:
        route.continue_()
