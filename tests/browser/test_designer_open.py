"""How the designer opens: one layout worker for the whole tab, started while the app is
idle so the first open finds it ready, reused by every later open; a flow whose nodes all
have saved positions, or one laid out before in this browser, drawn at once, without
waiting for the layout engine; the flow and its version fetched side by side, on a first
open while the designer's code is still loading; a problems panel that says when the flow
could not be checked (signed out); a failed open tried again."""

from __future__ import annotations

import copy
import re
from itertools import pairwise
from typing import Any

from playwright.sync_api import expect

from flows.api.services import flow_version_create
from tests.browser.conftest import sign_in
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


def requests_while_the_flow_is_held(page: Any, flow_id: int, url: str) -> list[str]:
    """Opens `path` with the answer to GET /api/v1/flows/<id>/ held back; the API requests
    the page made meanwhile (the flow's answer then goes through)."""
    held: list[Any] = []
    page.route(re.compile(rf"/api/v1/flows/{flow_id}/$"), lambda route: held.append(route))
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(url)
    for _ in range(200):
        if held and any("/versions/" in url for url in seen):
            break
        page.wait_for_timeout(25)
    made = [url.split("/api/v1", 1)[1] for url in seen if "/api/v1/flows/" in url]
    for route in held:
        route.continue_()
    page.unroute(re.compile(rf"/api/v1/flows/{flow_id}/$"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-drawn", "true")
    return made


def test_the_version_is_fetched_beside_the_flow_not_after_it(page, live_server, staff_user):
    # Given a flow with two versions, its latest seen on the flows list
    flow = make(staff_user)
    flow_version_create(flow=flow, author=staff_user, ir=dict(WELCOME, name="Second"))
    page.goto(live_server("/flows"))
    expect(page.locator(f'[data-testid="flow-link"][href="/flows/{flow.pk}"]')).to_be_visible()

    # When the designer opens it at /flows/<id> while the flow's own answer is held back
    made = requests_while_the_flow_is_held(page, flow.pk, live_server(f"/flows/{flow.pk}"))

    # Then its latest version was asked for meanwhile, and that is what the designer shows
    assert f"/flows/{flow.pk}/versions/2/" in made, made
    expect(page.get_by_test_id("version-select")).to_have_value("2")
    expect(node(page, "greet")).to_be_visible()


def test_a_wrong_guess_of_the_latest_version_opens_the_latest_all_the_same(
    page, live_server, staff_user
):
    # Given a flow opened once (its version 1 the latest then), then saved again elsewhere
    flow = make(staff_user)
    page.goto(live_server(f"/flows/{flow.pk}"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-drawn", "true")
    second = copy.deepcopy(WELCOME)
    second["nodes"].append({"id": "done", "type": "output", "value": "check.valid"})
    flow_version_create(flow=flow, author=staff_user, ir=second)

    # When it is opened again at /flows/<id>
    page.reload()

    # Then the designer shows version 2, with the node only it has
    expect(page.get_by_test_id("version-select")).to_have_value("2")
    expect(node(page, "done")).to_be_visible()


def test_signed_out_the_problems_panel_says_so_and_checks_again_on_return(
    page, live_server, staff_user, screenshot
):
    # Given a flow open in the designer, checked
    flow = make(staff_user)
    page.goto(live_server(f"/flows/{flow.pk}"))
    expect(page.get_by_test_id("problems-count")).to_have_text("0")

    # When the session ends and the person edits the flow (which asks for a check)
    page.context.clear_cookies()
    page.get_by_test_id("palette-item-value").click()

    # Then the panel says the flow is not checked because they are signed out, with a way
    # back in, instead of "checking" for ever
    failure = page.get_by_test_id("problems-failure")
    expect(failure).to_contain_text("Not checked: you are signed out")
    expect(page.get_by_test_id("problems-unchecked")).to_have_text("not checked: signed out")
    link = page.get_by_test_id("problems-sign-in")
    expect(link).to_have_attribute("href", f"/login/?next=%2Fflows%2F{flow.pk}")
    expect(link).to_have_attribute("target", "_blank")
    expect(page.get_by_text("checking…")).to_have_count(0)
    screenshot(page, "signed-out-problems")

    # When they sign in in the tab the link opens and come back to this one
    with page.context.expect_page() as opened:
        link.click()
    sign_in(opened.value, live_server, staff_user.username)
    opened.value.close()
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")

    # Then the flow is checked again: the new value node's missing value is a problem
    expect(failure).to_have_count(0)
    expect(page.get_by_test_id("problems-count")).not_to_have_text("…")
    expect(page.get_by_test_id("signed-out-banner")).to_have_count(0)


def test_a_flow_that_could_not_be_opened_opens_on_try_again(page, live_server, staff_user):
    # Given the server fails the flow's first fetch
    flow = make(staff_user)
    failures = [1]

    def fail_once(route: Any) -> None:
        if failures:
            failures.pop()
            route.fulfill(status=500, body="boom")
        else:
            route.continue_()

    page.route(re.compile(rf"/api/v1/flows/{flow.pk}/$"), fail_once)

    # When the designer opens it, it says so and offers to try again
    page.goto(live_server(f"/flows/{flow.pk}"))
    expect(page.get_by_test_id("designer-failed")).to_contain_text("HTTP 500")

    # Then trying again opens the flow
    page.get_by_test_id("designer-retry").click()
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-drawn", "true")
    expect(node(page, "greet")).to_be_visible()


def test_a_direct_open_fetches_the_flow_while_the_designers_code_loads(
    page, live_server, staff_user
):
    # Given a flow opened once in this browser (its latest version is remembered)
    flow = make(staff_user)
    page.goto(live_server(f"/flows/{flow.pk}"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-drawn", "true")

    # When it is opened at its address in a new page load, the designer's code held back
    held: list[Any] = []
    designer_code = re.compile(r"/assets/DesignerPage-[^/]*\.js$")
    page.route(designer_code, lambda route: held.append(route))
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.reload()
    for _ in range(200):
        if held and any("/versions/1/" in url for url in seen):
            break
        page.wait_for_timeout(25)

    # Then the designer's frame shows, and the flow, its version and the tool catalogue are
    # already asked for
    expect(page.get_by_test_id("designer-loading")).to_be_visible()
    api = [url.split("/api/v1", 1)[1] for url in seen if "/api/v1/" in url]
    assert f"/flows/{flow.pk}/" in api, api
    assert f"/flows/{flow.pk}/versions/1/" in api, api
    assert any(url.startswith("/tools/") for url in api), api
    assert held, "the designer's code was not requested"

    # and once the code arrives the designer opens with what was fetched, asking again for none
    for route in held:
        route.continue_()
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-drawn", "true")
    expect(node(page, "greet")).to_be_visible()
    api = [url.split("/api/v1", 1)[1] for url in seen if "/api/v1/" in url]
    assert api.count(f"/flows/{flow.pk}/") == 1, api
    assert api.count(f"/flows/{flow.pk}/versions/1/") == 1, api


def test_a_first_open_in_a_new_browser_fetches_version_1_beside_the_flow(
    page, live_server, staff_user
):
    # Given a flow as planning leaves it (one version), never seen in this browser
    flow = make(staff_user)

    # When its address is opened directly while the flow's own answer is held back
    made = requests_while_the_flow_is_held(page, flow.pk, live_server(f"/flows/{flow.pk}"))

    # Then its version 1 was asked for meanwhile, and the designer shows it
    assert f"/flows/{flow.pk}/versions/1/" in made, made
    expect(node(page, "greet")).to_be_visible()


def test_a_version_diff_is_drawn_before_the_layout_engine_answers(page, live_server, staff_user):
    # Given a flow never laid out with two versions (the second without `report`), and the
    # layout engine's worker held back
    held: list[Any] = []
    page.context.route(ELK_WORKER, lambda route: held.append(route))
    flow = make(staff_user)
    second = copy.deepcopy(WELCOME)
    second["nodes"] = [n for n in second["nodes"] if n["id"] != "report"]
    flow_version_create(flow=flow, author=staff_user, ir=second)
    page.goto(live_server(f"/flows/{flow.pk}"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-drawn", "true")

    # When the two versions are compared while the engine has not answered
    page.get_by_test_id("versions-button").click()
    page.get_by_test_id("diff-from").select_option("1")
    page.get_by_test_id("diff-to").select_option("2")
    page.get_by_test_id("diff-compare").click()

    # Then the diff draws every card at once, left to right, the removed one as a ghost
    diff = page.get_by_test_id("diff-view")
    graph = diff.get_by_test_id("diff-graph")
    expect(graph).to_have_attribute("data-drawn", "true")
    cards = {s["id"]: diff.locator(f'.fn-card[data-node-id="{s["id"]}"]') for s in WELCOME["nodes"]}
    for card in cards.values():
        expect(card).to_be_visible()
    expect(cards["report"]).to_have_class(re.compile(r"status-removed"))
    expect(graph).to_have_attribute("data-ready", "false")
    left = [cards[step].bounding_box()["x"] for step in ("check", "is_valid", "greet")]
    assert all(a < b for a, b in pairwise(left)), left

    # and once the engine answers, the diff settles on its layout
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the layout worker was never requested"
    for route in held:
        route.continue_()
    expect(graph).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    assert page.errors == []
