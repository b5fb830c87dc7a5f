"""The run graph's view of a long run: folded into rows as the designer opens it, on its
first steps at a readable zoom with no card cut at the pane's edge, with the node details
panel beside the graph (not over it), the picked step kept in the room left, and the
panel's width the person's to set."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.test_runs import make_flow, node, start_run


def chain(count: int) -> dict[str, Any]:
    """A run-on flow of `count` value steps, each reading the one before, never laid out."""
    steps: list[dict[str, Any]] = [{"id": "step_1", "type": "value", "value": "input.order"}]
    for i in range(2, count + 1):
        steps.append(
            {
                "id": f"step_{i}",
                "type": "value",
                "value": f"step_{i - 1}",
                "title": f"Enrich the order, part {i}",
            }
        )
    return {
        "name": f"A run of {count} steps",
        "input_schema": {"type": "object", "properties": {"order": {"type": "string"}}},
        "nodes": steps,
    }


def zoom(page: Any) -> float:
    """The run graph's zoom, read from React Flow's viewport transform."""
    return float(
        page.evaluate(
            """() => new DOMMatrix(getComputedStyle(
            document.querySelector('.run-graph .react-flow__viewport')).transform).a"""
        )
    )


# The ids of the run cards not wholly inside the graph's pane.
CARDS_OUT_OF_VIEW = """() => {
    const pane = document.querySelector('.run-graph').getBoundingClientRect();
    return [...document.querySelectorAll('.run-graph .rn[data-node-id]')].filter((card) => {
        const box = card.getBoundingClientRect();
        return box.left < pane.left - 0.5 || box.right > pane.right + 0.5
            || box.top < pane.top - 0.5 || box.bottom > pane.bottom + 0.5;
    }).map((card) => card.dataset.nodeId);
}"""


# The ids of the run cards cut by the graph's pane: partly inside it, partly out.
CARDS_CUT = """() => {
    const pane = document.querySelector('.run-graph').getBoundingClientRect();
    return [...document.querySelectorAll('.run-graph .rn[data-node-id]')].filter((card) => {
        const box = card.getBoundingClientRect();
        const outside = box.right <= pane.left + 0.5 || box.left >= pane.right - 0.5
            || box.bottom <= pane.top + 0.5 || box.top >= pane.bottom - 0.5;
        const inside = box.left >= pane.left - 0.5 && box.right <= pane.right + 0.5
            && box.top >= pane.top - 0.5 && box.bottom <= pane.bottom + 0.5;
        return !outside && !inside;
    }).map((card) => card.dataset.nodeId);
}"""

#: The least zoom a first view shows cards at (graph/viewport.ts READABLE_ZOOM).
READABLE = 0.75


def settled(page: Any) -> None:
    """Wait until the view stops moving (it eases to a new fit)."""
    page.wait_for_function(
        """() => new Promise((done) => {
            const read = () => getComputedStyle(
                document.querySelector('.run-graph .react-flow__viewport')).transform;
            const first = read();
            setTimeout(() => done(read() === first), 300);
        })""",
        polling=350,
    )


def box_of(page: Any, selector: str) -> dict[str, float]:
    return page.locator(selector).bounding_box()


def open_long_run(page: Any, live_server: Any, user: Any, count: int = 24) -> Any:
    run = start_run(user, make_flow(user, chain(count)), {"order": "A-1"})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")
    expect(node(page, f"step_{count}")).to_have_attribute(
        "data-status", "completed", timeout=30_000
    )
    settled(page)
    return run


def test_a_long_run_opens_folded_into_rows_on_its_start_at_a_readable_zoom(
    page, live_server, staff_user, screenshot
):
    # Given a run of 24 steps one after the other, never laid out in the designer
    open_long_run(page, live_server, staff_user)

    # Then its graph opens on its first steps at a zoom its cards read at, not shrunk whole
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert "step_1" not in page.evaluate(CARDS_OUT_OF_VIEW)
    # folded into rows as wide as the pane, in order, so the person pans down only
    rows = {round(node(page, f"step_{i}").bounding_box()["y"]) for i in range(1, 25)}
    assert len(rows) >= 3, rows
    graph = box_of(page, ".run-graph")
    for i in range(1, 25):
        card = node(page, f"step_{i}").bounding_box()
        assert graph["x"] <= card["x"], (i, card, graph)
        assert card["x"] + card["width"] <= graph["x"] + graph["width"], (i, card, graph)
    # and no card is cut in half at the pane's edge
    assert page.evaluate(CARDS_CUT) == []
    # and none in view lies under the zoom controls at the bottom left
    controls = box_of(page, ".run-graph .react-flow__controls")
    out = set(page.evaluate(CARDS_OUT_OF_VIEW))
    for i in range(1, 25):
        if f"step_{i}" in out:
            continue
        card = node(page, f"step_{i}").bounding_box()
        apart = (
            card["x"] >= controls["x"] + controls["width"]
            or card["y"] + card["height"] <= controls["y"]
        )
        assert apart, (i, card, controls)
    # and none under the minimap, which is not shown over a card of the first view
    minimap = page.locator(".run-graph .react-flow__minimap")
    if minimap.count():
        corner = minimap.bounding_box()
        for i in range(1, 25):
            if f"step_{i}" in out:
                continue
            card = node(page, f"step_{i}").bounding_box()
            apart = (
                card["x"] + card["width"] <= corner["x"]
                or card["y"] + card["height"] <= corner["y"]
            )
            assert apart, (i, card, corner)
    screenshot(page, "long-run-folded")
    # and shows the rest once the person moves the view, to find a step by its place in it
    page.mouse.move(graph["x"] + graph["width"] / 2, graph["y"] + graph["height"] / 2)
    page.mouse.wheel(0, 200)
    expect(minimap).to_have_count(1)

    # When the person fits the whole run in view, the minimap goes: nothing is off screen
    page.locator(".run-graph .react-flow__controls-fitview").click()
    expect(page.locator(".run-graph .react-flow__minimap")).to_have_count(0)


def test_the_node_panel_opens_beside_the_graph_and_keeps_the_picked_step_in_view(
    page, live_server, staff_user, screenshot
):
    # Given a long run open on its first steps
    open_long_run(page, live_server, staff_user)
    out = set(page.evaluate(CARDS_OUT_OF_VIEW))
    cards = [node(page, f"step_{i}").bounding_box() for i in range(1, 25)]
    # the step in view furthest right, where the panel opens
    shown = [i for i in range(24) if f"step_{i + 1}" not in out]
    rightmost = max(shown, key=lambda i: cards[i]["x"]) + 1

    # When that step is picked
    node(page, f"step_{rightmost}").click()
    panel = page.get_by_test_id("node-drawer")
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", f"step_{rightmost}")
    settled(page)

    # Then the panel takes its room beside the graph: the graph's pane, its controls and
    # minimap end where the panel starts, and the picked step is wholly in the pane
    graph = box_of(page, ".run-graph")
    drawer = panel.bounding_box()
    assert graph["x"] + graph["width"] <= drawer["x"] + 1, (graph, drawer)
    for part in (".run-graph .react-flow__controls", ".run-graph .react-flow__minimap"):
        if page.locator(part).count():
            box = box_of(page, part)
            assert box["x"] + box["width"] <= drawer["x"] + 1, (part, box, drawer)
    picked = node(page, f"step_{rightmost}").bounding_box()
    assert picked["x"] >= graph["x"]
    assert picked["x"] + picked["width"] <= graph["x"] + graph["width"]
    screenshot(page, "long-run-picked")

    # and no card is cut in half at the pane's edge
    assert page.evaluate(CARDS_CUT) == []

    # When the panel is closed, the graph takes the whole card again, no card cut
    page.get_by_test_id("node-panel-close").click()
    expect(panel).to_have_count(0)
    settled(page)
    assert page.evaluate(CARDS_CUT) == []

    # When the step at the bottom left (where the zoom controls lie over the graph) is
    # picked from the timeline
    cards = [node(page, f"step_{i}").bounding_box() for i in range(1, 25)]
    corner = min(range(24), key=lambda i: (-round(cards[i]["y"]), cards[i]["x"])) + 1
    page.get_by_test_id("tab-timeline").click()
    title = f"Enrich the order, part {corner}" if corner > 1 else "step_1"
    page.locator(".timeline-card .tl-title", has_text=re.compile(f"^{title}$")).click()
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", f"step_{corner}")
    settled(page)

    # Then its card is in the graph's pane, clear of the controls
    graph = box_of(page, ".run-graph")
    picked = node(page, f"step_{corner}").bounding_box()
    controls = box_of(page, ".run-graph .react-flow__controls")
    assert graph["x"] <= picked["x"]
    assert picked["x"] + picked["width"] <= graph["x"] + graph["width"]
    assert picked["y"] + picked["height"] <= graph["y"] + graph["height"]
    assert picked["x"] >= controls["x"] + controls["width"], (picked, controls)


def test_the_node_panel_is_resized_from_its_edge_and_keeps_its_width(
    page, live_server, staff_user, screenshot
):
    # Given a long run with a step's details open
    open_long_run(page, live_server, staff_user, count=8)
    node(page, "step_2").click()
    panel = page.get_by_test_id("node-drawer")
    expect(panel).to_be_visible()
    before = panel.bounding_box()["width"]
    graph_before = box_of(page, ".run-graph")["width"]

    # When its edge is focused and moved left twice with the arrow key
    handle = page.get_by_test_id("node-drawer-handle")
    handle.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")

    # Then the panel is two steps wider and the graph as much narrower
    expect(handle).to_have_attribute("aria-valuenow", str(round(before) + 48))
    assert abs(panel.bounding_box()["width"] - (before + 48)) <= 1
    assert abs(box_of(page, ".run-graph")["width"] - (graph_before - 48)) <= 1

    # When it is dragged 100 pixels to the left
    edge = handle.bounding_box()
    x, y = edge["x"] + edge["width"] / 2, edge["y"] + 100
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 50, y, steps=3)
    page.mouse.move(x - 100, y, steps=3)
    page.mouse.up()
    expect(handle).to_have_attribute("aria-valuenow", str(round(before) + 148))

    # and it keeps that width when another run's details are opened after a reload
    page.reload()
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")
    node(page, "step_3").click()
    expect(page.get_by_test_id("node-drawer-handle")).to_have_attribute(
        "aria-valuenow", str(round(before) + 148)
    )
    screenshot(page, "panel-resized")

    # When its edge is double-clicked, the panel is back to its usual width
    page.get_by_test_id("node-drawer-handle").dblclick()
    expect(page.get_by_test_id("node-drawer-handle")).to_have_attribute("aria-valuenow", "400")


def test_a_step_picked_on_the_graph_shows_its_row_in_the_timeline(
    page, live_server, staff_user, screenshot
):
    # Given a long run, its timeline showing its first steps' rows
    open_long_run(page, live_server, staff_user)
    rows = page.get_by_test_id("timeline-rows")
    row = page.locator(".tl-row", has=page.locator(".tl-title", has_text=re.compile("part 23$")))
    below = row.count() == 0 or (
        row.bounding_box()["y"] >= rows.bounding_box()["y"] + rows.bounding_box()["height"]
    )
    assert below, "the row of the 23rd step is out of the timeline's box to begin with"
    scroll = page.evaluate("window.scrollY")

    # When a late step is picked on the graph (once the view has stopped easing: a click on a
    # card still moving can land beside it)
    settled(page)
    node(page, "step_23").click()
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", "step_23")

    # Then its row is scrolled into the timeline's box, marked, and the page has not moved
    expect(row).to_have_class(re.compile(r"\btl-selected\b"))
    box = rows.bounding_box()
    found = row.bounding_box()
    assert box["y"] <= found["y"]
    assert found["y"] + found["height"] <= box["y"] + box["height"]
    assert page.evaluate("window.scrollY") == scroll

    # and its card is in view on the graph, not under the minimap
    settled(page)
    picked = node(page, "step_23").bounding_box()
    minimap = page.locator(".run-graph .react-flow__minimap")
    if minimap.count():
        corner = minimap.bounding_box()
        apart = (
            picked["x"] + picked["width"] <= corner["x"]
            or picked["y"] + picked["height"] <= corner["y"]
        )
        assert apart, (picked, corner)
    screenshot(page, "timeline-row-shown")


# Records, frame by frame for a second, where the 24th step's card is placed in the flow.
CARD_PLACES_OVER_TIME = """() => {
    window.__places = [];
    const start = performance.now();
    const read = () => {
        const card = document.querySelector('.run-graph .react-flow__node[data-id="step_24"]');
        if (card) window.__places.push(card.style.transform);
        if (performance.now() - start < 1000) requestAnimationFrame(read);
    };
    requestAnimationFrame(read);
}"""


def rows_of(page: Any, count: int) -> set[int]:
    """The rows the run's cards are folded in: their distinct tops on the page."""
    return {round(node(page, f"step_{i}").bounding_box()["y"]) for i in range(1, count + 1)}


def test_a_long_run_is_folded_into_even_rows_with_no_step_left_alone(
    page, live_server, staff_user, screenshot
):
    # Given a run of 13 steps one after the other (folded as 4, 4, 4 and 1)
    open_long_run(page, live_server, staff_user, count=13)

    # Then its rows hold as many steps each, give or take one: none is alone on a row
    tops: dict[int, int] = {}
    for i in range(1, 14):
        top = round(node(page, f"step_{i}").bounding_box()["y"])
        tops[top] = tops.get(top, 0) + 1
    counts = [tops[top] for top in sorted(tops)]
    assert len(counts) > 1, counts
    assert max(counts) - min(counts) <= 1, counts
    assert page.evaluate(CARDS_CUT) == []
    screenshot(page, "run-of-13-in-even-rows")


def test_a_small_run_keeps_a_readable_zoom_beside_the_node_panel(
    page, live_server, staff_user, screenshot
):
    # Given a run of three steps, shown at its cards' own size
    open_long_run(page, live_server, staff_user, count=3)
    assert abs(zoom(page) - 1) < 0.01, zoom(page)

    # When its middle step is picked, the panel opening beside the graph
    node(page, "step_2").click()
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", "step_2")
    settled(page)

    # Then the cards stay readable in the room left, none cut at the pane's edge
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []
    screenshot(page, "small-run-picked")

    # When the panel is closed, the whole run shows at its cards' size again
    page.get_by_test_id("node-panel-close").click()
    settled(page)
    assert abs(zoom(page) - 1) < 0.01, zoom(page)
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []

    # When a link naming its last step opens the run, the panel open from the start
    page.goto(page.url.split("?")[0] + "?node=step_3")
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", "step_3")
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")
    settled(page)

    # Then the run is as readable as when the panel opens on a click, every step in view
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []


def test_the_node_panel_refolds_a_long_run_for_the_room_left_and_back(
    page, live_server, staff_user, screenshot
):
    # (with motion, as most people see it: the test watches the cards ease to their places)
    page.emulate_media(reduced_motion="no-preference")
    # Given a long run folded into rows for the whole card
    open_long_run(page, live_server, staff_user)
    before = rows_of(page, 24)
    zoom_before = zoom(page)

    # When a step is picked, the panel narrowing the graph
    page.evaluate(CARD_PLACES_OVER_TIME)
    node(page, "step_1").click()
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", "step_1")
    settled(page)
    # (the last step eases to its new place over a few frames, not in one jump)
    places = page.evaluate("() => window.__places")
    assert len(set(places)) >= 4, places

    # Then the run is folded again for the room left: shorter rows, more of them, and none
    # wider than the graph's pane
    beside = rows_of(page, 24)
    assert len(beside) > len(before), (before, beside)
    graph = box_of(page, ".run-graph")
    lefts = [node(page, f"step_{i}").bounding_box() for i in range(1, 25)]
    assert min(card["x"] for card in lefts) >= graph["x"]
    assert max(card["x"] + card["width"] for card in lefts) <= graph["x"] + graph["width"]
    screenshot(page, "long-run-refolded")

    # When the panel is closed, the run is folded as at first, no card cut
    page.get_by_test_id("node-panel-close").click()
    settled(page)
    assert len(rows_of(page, 24)) == len(before)
    assert abs(zoom(page) - zoom_before) < 0.01
    assert page.evaluate(CARDS_CUT) == []


def test_a_big_run_always_has_its_minimap_in_status_colours(
    page, live_server, staff_user, screenshot
):
    # Given a run of 61 steps (above 60 only the cards on screen are drawn)
    run = start_run(staff_user, make_flow(staff_user, chain(61)), {"order": "A-1"})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")

    # Then its minimap is there from the start, each step in its status's colour
    minimap = page.locator(".run-graph .react-flow__minimap")
    expect(minimap).to_have_count(1)
    expect(minimap.locator(".react-flow__minimap-node.mm-completed")).to_have_count(
        61, timeout=30_000
    )
    settled(page)

    # and zoomed out until the whole run is in view, the map stays
    for _ in range(8):
        page.locator(".run-graph .react-flow__controls-zoomout").click()
    settled(page)
    expect(minimap).to_have_count(1)
    screenshot(page, "big-run-minimap")

    # and it is pannable: dragging on it moves the graph's view
    before = page.evaluate(
        "() => getComputedStyle(document.querySelector('.run-graph .react-flow__viewport'))"
        ".transform"
    )
    box = minimap.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 20, box["y"] + box["height"] / 2 + 20, steps=4)
    page.mouse.up()
    after = page.evaluate(
        "() => getComputedStyle(document.querySelector('.run-graph .react-flow__viewport'))"
        ".transform"
    )
    assert after != before


def test_the_event_log_names_each_step_of_a_long_run_whole(page, live_server, staff_user):
    # Given a long run whose steps' names differ only at their end ("..., part 12")
    open_long_run(page, live_server, staff_user)

    # When its event log is shown
    page.get_by_test_id("tab-events").click()
    names = page.locator(".ev-node .link-button")
    expect(names.first).to_be_visible()

    # Then each event's step is named whole, not cut before the part that tells it apart
    cut = names.evaluate_all(
        "(all) => all.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent)"
    )
    assert cut == [], cut
    expect(page.locator(".ev-node", has_text=re.compile("part 23$")).first).to_be_visible()


def test_the_timeline_names_a_step_of_a_few_words_whole(page, live_server, staff_user):
    # Given a run whose steps have names of a few words
    titles = ["Look up the customer by email", "Approved, or no approval needed",
              "Email the customer the decision"]
    steps: list[dict[str, Any]] = [{"id": "step_1", "type": "value", "value": "input.order",
                                    "title": titles[0]}]
    for i, title in enumerate(titles[1:], start=2):
        steps.append({"id": f"step_{i}", "type": "value", "value": f"step_{i - 1}",
                      "title": title})
    ir = {**chain(3), "nodes": steps}
    run = start_run(staff_user, make_flow(staff_user, ir), {"order": "A-1"})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(node(page, "step_3")).to_have_attribute("data-status", "completed", timeout=30_000)

    # Then the timeline names each whole, and says it on hover too
    names = page.locator(".timeline .tl-title")
    expect(names).to_have_text(titles)
    cut = names.evaluate_all(
        "(all) => all.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent)"
    )
    assert cut == [], cut
    expect(names.first).to_have_attribute("title", titles[0])


# The ids of the run cards whose title is cut (ellipsised on its line, or past its lines),
# or runs out of its card.
TITLES_CUT = """() => [...document.querySelectorAll('.run-graph .rn[data-node-id]')]
  .filter((card) => {
    const title = card.querySelector('.rn-title');
    const cut = title.scrollWidth > title.clientWidth + 1
        || title.scrollHeight > title.clientHeight + 1;
    const box = title.getBoundingClientRect();
    const outer = card.getBoundingClientRect();
    return cut || box.bottom > outer.bottom || box.right > outer.right;
}).map((card) => card.dataset.nodeId)"""

# The pairs of run cards that overlap.
CARDS_MEETING = """() => {
    const cards = [...document.querySelectorAll('.run-graph .rn[data-node-id]')]
        .map((card) => [card.dataset.nodeId, card.getBoundingClientRect()]);
    const hits = [];
    cards.forEach(([a, p], i) => cards.slice(i + 1).forEach(([b, q]) => {
        if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) {
            hits.push([a, b]);
        }
    }));
    return hits;
}"""


def test_a_run_cards_title_reads_whole_however_long(page, live_server, staff_user, screenshot):
    # Given a run whose steps have titles of a word, a few words, and a planner's sentence
    titles = {
        "check": "Validate the customer's email address",
        "branch": "Is the address valid?",
        "greet": "Send the welcome email to the new customer",
        "note": "Note",
    }
    flow = {
        "name": "Welcome with long titles",
        "input_schema": {"type": "object", "properties": {"email": {"type": "string"}}},
        "nodes": [
            {"id": "check", "type": "value", "value": "input.email", "title": titles["check"]},
            {"id": "branch", "type": "branch", "condition": "check != ''",
             "title": titles["branch"], "then": ["greet"], "else": ["note"]},
            {"id": "greet", "type": "value", "value": "check", "title": titles["greet"]},
            {"id": "note", "type": "value", "value": "'bad'", "title": titles["note"]},
        ],
    }
    run = start_run(staff_user, make_flow(staff_user, flow), {"email": "ada@example.com"})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")
    expect(node(page, "greet")).to_have_attribute("data-status", "completed", timeout=30_000)
    settled(page)

    # Then every title reads whole on its card, none cut, and the cards stay apart
    for node_id, title in titles.items():
        expect(page.get_by_test_id(f"run-node-title-{node_id}")).to_have_text(title)
    assert page.evaluate(TITLES_CUT) == []
    assert page.evaluate(CARDS_MEETING) == []
    # a long title takes two lines of a card of the same height (the layout keeps its rows),
    # the card a little wider only when two lines of the narrowest would not hold it
    scale = zoom(page)
    cards = {key: box_of(page, f'[data-node-id="{key}"].rn') for key in titles}
    assert {round(card["height"] / scale) for card in cards.values()} == {64}
    assert round(cards["note"]["width"] / scale) == 248
    assert 248 < round(cards["greet"]["width"] / scale) <= 312
    lines = page.get_by_test_id("run-node-title-check").evaluate(
        "(title) => Math.round(title.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(title).lineHeight) / "
        + str(scale) + ")"
    )
    assert lines == 2
    screenshot(page, "long-titles")

    # and the timeline names each step whole beside its bar (the arm not taken too, as
    # skipped), its card as tall as the result's
    names = page.locator(".timeline .tl-title")
    expect(names).to_have_text(
        [titles["check"], titles["branch"], titles["greet"], titles["note"]])
    expect(page.get_by_test_id("timeline-row-note")).to_have_attribute("data-status", "skipped")
    cut = names.evaluate_all(
        "(all) => all.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent)"
    )
    assert cut == [], cut
    timeline, result = box_of(page, ".timeline-card"), box_of(page, ".run-io")
    assert abs((timeline["y"] + timeline["height"]) - (result["y"] + result["height"])) < 1

    # and still do beside the node details panel, whose heading names the step whole too
    node(page, "check").click()
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", "check")
    settled(page)
    assert page.evaluate(TITLES_CUT) == []
    assert page.evaluate(CARDS_MEETING) == []
    heading = page.locator(".np-heading h2")
    expect(heading).to_have_text(titles["check"])
    assert heading.evaluate(
        "(h) => h.scrollWidth <= h.clientWidth && h.scrollHeight <= h.clientHeight + 1")
    screenshot(page, "long-titles-panel")


def test_failed_and_waiting_read_as_different_colours(page, live_server, staff_user):
    # Given a run page, in the light theme and in the dark one
    open_long_run(page, live_server, staff_user, count=2)

    def hue(selector: str) -> float:
        """The hue (degrees) of the legend dot's colour."""
        return float(page.locator(selector).evaluate("""(dot) => {
            const [r, g, b] = getComputedStyle(dot).backgroundColor.match(/\\d+/g).map(Number)
                .map((v) => v / 255);
            const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
            if (d === 0) return 0;
            const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
            return (h * 60 + 360) % 360;
        }"""))

    # Then a failed step's red is not mistaken for a waiting step's amber
    for _theme in ("light", "dark"):
        failed, waiting = hue(".legend-dot.ld-failed"), hue(".legend-dot.ld-waiting")
        assert abs(waiting - failed) >= 15, (_theme, failed, waiting)
        page.get_by_test_id("theme-toggle").click()


def branched(stages: int) -> dict[str, Any]:
    """A run of `stages` branches one after another, each with two arms that join again:
    its rows can end only at a join, so it folds little."""
    steps: list[dict[str, Any]] = [{"id": "start", "type": "value", "value": "input.order"}]
    before = "start"
    for n in range(1, stages + 1):
        steps += [
            {"id": f"check_{n}", "type": "branch", "condition": f"{before} != ''",
             "then": [f"yes_{n}"], "else": [f"no_{n}"], "after": [before]},
            {"id": f"yes_{n}", "type": "value", "value": before,
             "title": f"Accept the order at stage {n}"},
            {"id": f"no_{n}", "type": "value", "value": "'rejected'",
             "title": f"Reject the order at stage {n}"},
            {"id": f"join_{n}", "type": "value", "trigger": "any",
             "value": f"yes_{n} != null ? yes_{n} : no_{n}", "after": [f"yes_{n}", f"no_{n}"]},
        ]
        before = f"join_{n}"
    return {
        "name": f"{stages} checks",
        "input_schema": {"type": "object", "properties": {"order": {"type": "string"}}},
        "nodes": steps,
    }


def test_a_branched_run_stays_readable_beside_the_node_panel_and_cuts_no_card(
    page, live_server, staff_user, screenshot
):
    # Given a run of three branches one after another, open at 1400 x 900
    run = start_run(staff_user, make_flow(staff_user, branched(3)), {"order": "A-1"})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")
    expect(node(page, "join_3")).to_have_attribute("data-status", "completed", timeout=30_000)
    settled(page)
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert page.evaluate(CARDS_CUT) == []

    # When its last step is picked, the node panel opening beside the graph
    node(page, "join_3").dispatch_event("click")
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", "join_3")
    settled(page)

    # Then the graph is not shrunk to fit the room left: its cards read, none is cut in half
    # at the pane's edge, and the picked step is wholly in view
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert page.evaluate(CARDS_CUT) == []
    assert "join_3" not in page.evaluate(CARDS_OUT_OF_VIEW)
    screenshot(page, "branched-run-picked")


def fan(lanes: int = 3) -> dict[str, Any]:
    """Four steps, then `lanes` parallel lanes of two steps each, then two steps after them
    all: folded into rows, the fourth step ends a row and its lanes start the next."""
    flow = chain(4)
    for lane in range(lanes):
        flow["nodes"] += [
            {"id": f"lane_{lane}_0", "type": "value", "value": "step_4"},
            {"id": f"lane_{lane}_1", "type": "value", "value": f"lane_{lane}_0"},
        ]
    flow["nodes"] += [
        {"id": "post_0", "type": "value", "value": "lane_0_1",
         "after": [f"lane_{lane}_1" for lane in range(lanes)]},
        {"id": "post_1", "type": "value", "value": "post_0"},
    ]
    flow["name"] = f"Four steps, {lanes} lanes"
    return flow


# The points, on the page, of the drawn edges from `source` (every few pixels along each).
EDGE_POINTS = """(source) => [...document.querySelectorAll('.run-graph .react-flow__edge')]
    .filter((edge) => edge.dataset.id.split(':').pop().startsWith(`${source}->`))
    .map((edge) => {
        const path = edge.querySelector('path.react-flow__edge-path');
        const matrix = path.getScreenCTM();
        const points = [];
        for (let at = 0; at <= path.getTotalLength(); at += 4) {
            const p = path.getPointAtLength(at);
            points.push([matrix.a * p.x + matrix.e, matrix.d * p.y + matrix.f]);
        }
        return [edge.dataset.id, points];
    })"""


def test_edges_into_the_next_row_run_along_the_gap_between_rows(
    page, live_server, staff_user, screenshot
):
    # Given a run whose fourth step ends a row and fans out to three lanes on the next
    run = start_run(staff_user, make_flow(staff_user, fan()), {"order": "A-1"})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")
    expect(node(page, "post_1")).to_have_attribute("data-status", "completed", timeout=30_000)
    settled(page)
    first = box_of(page, '.run-graph .rn[data-node-id="lane_0_0"]')
    last = box_of(page, '.run-graph .rn[data-node-id="lane_2_0"]')
    step = box_of(page, '.run-graph .rn[data-node-id="step_4"]')
    assert first["y"] > step["y"] + step["height"], (first, step)  # the lanes start a row

    # Then each edge to a lane crosses the lanes' column only in the gap above the row, one
    # run shared by the three, not winding back between the lanes
    edges = dict(page.evaluate(EDGE_POINTS, "step_4"))
    assert len(edges) == 3, list(edges)
    for edge, points in edges.items():
        over = [y for x, y in points if first["x"] + 4 < x < first["x"] + first["width"] - 4]
        assert over, edge
        assert max(over) < first["y"], (edge, max(over), first["y"])
    # and the edge from the step after the lanes to the next row runs under all of them
    if box_of(page, '.run-graph .rn[data-node-id="post_1"]')["y"] > last["y"] + last["height"]:
        (_, points), = page.evaluate(EDGE_POINTS, "post_0")
        over = [y for x, y in points if first["x"] + 4 < x < first["x"] + first["width"] - 4]
        assert min(over) > last["y"] + last["height"], (min(over), last)
    screenshot(page, "fan-into-the-next-row")


def test_with_less_motion_asked_for_no_transition_plays_and_the_picked_row_shows(
    page, live_server, staff_user, screenshot
):
    # Under prefers-reduced-motion (the page's context asks for it) short transitions still
    # played: made 0.01ms, every element's every property became a transition (its
    # transition-property is `all`), the timeline's spacer lagged a frame behind a scroll and
    # the browser clamped the scroll to it, so a picked step's row stayed out of view.
    open_long_run(page, live_server, staff_user)
    page.evaluate("""() => { window.__transitions = 0;
        document.addEventListener('transitionrun', () => { window.__transitions += 1; }); }""")
    card = node(page, "step_23")
    assert card.evaluate("(el) => getComputedStyle(el).transitionDuration") == "0s"
    spacer = page.locator("[data-testid=timeline-rows] > div").first
    assert spacer.evaluate("(el) => getComputedStyle(el).transitionDuration") == "0s"

    # the card's border and shadow change at once as it is picked
    card.click()
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", "step_23")
    row = page.locator(".tl-row", has=page.locator(".tl-title", has_text=re.compile("part 23$")))
    expect(row).to_have_class(re.compile(r"\btl-selected\b"))
    # the row stays in the rows' box, frame after frame (it was scrolled back out of it)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => "
                  "requestAnimationFrame(done)))")
    box, found = page.get_by_test_id("timeline-rows").bounding_box(), row.bounding_box()
    assert box["y"] <= found["y"]
    assert found["y"] + found["height"] <= box["y"] + box["height"]
    assert page.evaluate("window.__transitions") == 0
    screenshot(page, "picked-still")
