"""What the designer shows when a flow opens and while it is edited: a short flow at a
readable zoom and wholly in view, a long one folded into rows and opened on its start at a
readable zoom, no card cut at the canvas's edge, beside a docked panel too; blocks
clicked in the palette added after the selected step and connected to it; the refine panel
beside the graph, not over its cards."""

from __future__ import annotations

import copy
import re
from typing import Any

from playwright.sync_api import expect

from flows.models import FlowVersion
from tests.browser.test_designer import WELCOME, make, node, open_designer, settled_box


def chain(count: int) -> dict[str, Any]:
    """A flow of `count` steps, each after the one before, with no saved positions."""
    nodes: list[dict[str, Any]] = []
    for i in range(1, count + 1):
        step: dict[str, Any] = {
            "id": f"step_{i}",
            "type": "tool",
            "tool": "validate_email",
            "inputs": {"email": "input.email"},
        }
        if i > 1:
            step["after"] = [f"step_{i - 1}"]
        nodes.append(step)
    return {
        "name": f"A chain of {count}",
        "input_schema": {"type": "object", "properties": {"email": {"type": "string"}}},
        "nodes": nodes,
    }


def zoom(page: Any) -> float:
    """The canvas's zoom, read from React Flow's viewport transform."""
    return float(
        page.evaluate(
            """() => new DOMMatrix(getComputedStyle(
                document.querySelector('.designer-canvas .react-flow__viewport')).transform).a"""
        )
    )


# The ids of the cards not wholly inside the canvas (nor under a panel laid over it).
CARDS_OUT_OF_VIEW = """() => {
    const canvas = document.querySelector('.designer-canvas').getBoundingClientRect();
    const over = [...document.querySelectorAll('[data-testid="refine-panel"]')]
        .map((panel) => panel.getBoundingClientRect());
    return [...document.querySelectorAll('.designer-canvas .react-flow__node')].filter((card) => {
        const box = card.getBoundingClientRect();
        const inside = box.left >= canvas.left - 0.5 && box.right <= canvas.right + 0.5
            && box.top >= canvas.top - 0.5 && box.bottom <= canvas.bottom + 0.5;
        const hidden = over.some((panel) => box.left < panel.right && panel.left < box.right
            && box.top < panel.bottom && panel.top < box.bottom);
        return !inside || hidden;
    }).map((card) => card.dataset.id);
}"""


# The ids of the edges whose line runs past the canvas's left or right edge.
LINES_OUT_OF_VIEW = """() => {
    const canvas = document.querySelector('.designer-canvas').getBoundingClientRect();
    return [...document.querySelectorAll('.designer-canvas .react-flow__edge')].filter((edge) => {
        const box = edge.querySelector('path').getBoundingClientRect();
        return box.left < canvas.left + 2 || box.right > canvas.right - 2;
    }).map((edge) => edge.dataset.id);
}"""


# The ids of the cards cut by the canvas's edge: partly inside it, partly out.
CARDS_CUT = """() => {
    const canvas = document.querySelector('.designer-canvas').getBoundingClientRect();
    return [...document.querySelectorAll('.designer-canvas .react-flow__node')].filter((card) => {
        const box = card.getBoundingClientRect();
        const outside = box.right <= canvas.left + 0.5 || box.left >= canvas.right - 0.5
            || box.bottom <= canvas.top + 0.5 || box.top >= canvas.bottom - 0.5;
        const inside = box.left >= canvas.left - 0.5 && box.right <= canvas.right + 0.5
            && box.top >= canvas.top - 0.5 && box.bottom <= canvas.bottom + 0.5;
        return !outside && !inside;
    }).map((card) => card.dataset.id);
}"""

# The ids of the cards the minimap lies over (none when it is not shown).
CARDS_UNDER_THE_MINIMAP = """() => {
    const map = document.querySelector('.designer-canvas .designer-minimap');
    if (!map) return [];
    const over = map.getBoundingClientRect();
    return [...document.querySelectorAll('.designer-canvas .react-flow__node')].filter((card) => {
        const box = card.getBoundingClientRect();
        return box.left < over.right && over.left < box.right
            && box.top < over.bottom && over.top < box.bottom;
    }).map((card) => card.dataset.id);
}"""


#: The least zoom a first view shows cards at (graph/viewport.ts READABLE_ZOOM).
READABLE = 0.75


def in_view(page: Any, node_id: str) -> bool:
    """Whether the card is wholly inside the canvas."""
    return bool(page.evaluate(
        """(id) => {
            const canvas = document.querySelector('.designer-canvas').getBoundingClientRect();
            const box = document.querySelector(
                `.designer-canvas .react-flow__node[data-id="${id}"]`).getBoundingClientRect();
            return box.left >= canvas.left - 0.5 && box.right <= canvas.right + 0.5
                && box.top >= canvas.top - 0.5 && box.bottom <= canvas.bottom + 0.5;
        }""",
        node_id,
    ))


def settled(page: Any) -> None:
    """Wait until the view stops moving (it eases into the layout engine's places)."""
    page.wait_for_function(
        """() => new Promise((done) => {
            const read = () => getComputedStyle(
                document.querySelector('.designer-canvas .react-flow__viewport')).transform;
            const first = read();
            setTimeout(() => done(read() === first), 250);
        })""",
        polling=300,
    )


def test_a_short_flow_opens_wholly_in_view_at_a_readable_zoom(
    page, live_server, staff_user, screenshot
):
    # Given flows of 2 and 5 steps never laid out, opened at 1400x900
    for count in (2, 5):
        flow = make(staff_user, chain(count))
        open_designer(page, live_server, flow)
        settled(page)

        # Then every card is in view at (nearly) its own size: five steps fold into two rows
        assert page.evaluate(CARDS_OUT_OF_VIEW) == []
        assert zoom(page) >= 0.9, f"{count} steps open at zoom {zoom(page)}"
        screenshot(page, f"{count}-steps")
    first, fourth = node(page, "step_1").bounding_box(), node(page, "step_4").bounding_box()
    assert fourth["y"] > first["y"] + first["height"]


def test_a_long_flow_opens_on_its_start_at_a_readable_zoom_with_its_minimap(
    page, live_server, staff_user, screenshot
):
    # Given a flow of 12 steps never laid out: it opens whole, near its cards' size
    flow = make(staff_user, chain(12))
    open_designer(page, live_server, flow)
    settled(page)
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []
    assert zoom(page) >= 0.9, zoom(page)
    screenshot(page, "12-steps")

    # Given one of 40 steps, too many to read whole
    flow = make(staff_user, chain(40))
    open_designer(page, live_server, flow)
    settled(page)

    # Then it opens on its first steps at a zoom its cards read at, not shrunk whole
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert in_view(page, "step_1")
    # in rows as wide as the canvas (the person pans down only), no card cut at its edge
    canvas = page.get_by_test_id("canvas").bounding_box()
    for i in range(1, 41):
        card = node(page, f"step_{i}").bounding_box()
        assert card["x"] >= canvas["x"] - 0.5, (i, card, canvas)
        assert card["x"] + card["width"] <= canvas["x"] + canvas["width"] + 0.5, (i, card, canvas)
    assert page.evaluate(CARDS_CUT) == []
    # nor under the minimap, which shows the rest once the person moves the view
    assert page.evaluate(CARDS_UNDER_THE_MINIMAP) == []
    screenshot(page, "40-steps")
    page.mouse.move(canvas["x"] + canvas["width"] / 2, canvas["y"] + 40)
    page.mouse.wheel(0, 200)
    expect(page.locator(".designer-canvas .designer-minimap")).to_be_visible()


def test_a_three_column_flow_beside_the_inspector_cuts_no_card(
    page, live_server, staff_user, screenshot
):
    # Given the welcome flow (a check, a branch, and its two arms in a third column) open
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    settled(page)
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []

    # When a step of its last column is selected and the inspector docks beside the canvas
    node(page, "report").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("report")
    settled(page)

    # Then the view is made again for the room left: readable, the selected step wholly in
    # view, and no card cut in half at the canvas's edge (the whole flow when it fits)
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert in_view(page, "report")
    assert page.evaluate(CARDS_CUT) == []
    screenshot(page, "inspector-three-columns")

    # The same in a 1024 x 768 window
    page.set_viewport_size({"width": 1024, "height": 768})
    page.keyboard.press("Escape")
    open_designer(page, live_server, flow)
    settled(page)
    node(page, "greet").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("greet")
    settled(page)
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert in_view(page, "greet")
    assert page.evaluate(CARDS_CUT) == []
    screenshot(page, "inspector-three-columns-narrow")


def test_a_card_dragged_to_the_canvas_edge_is_whole_in_view_once_let_go(
    page, live_server, staff_user, screenshot
):
    # Given the welcome flow open, nothing selected (the canvas as wide as the page)
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    settled(page)
    expect(page.get_by_test_id("inspector")).to_have_count(0)

    # When the person drags a card to the canvas's right edge: picked as the drag starts,
    # the inspector takes its column while the card still moves
    card = settled_box(node(page, "check"))
    canvas = page.get_by_test_id("canvas").bounding_box()
    page.mouse.move(card["x"] + 60, card["y"] + 15)
    page.mouse.down()
    page.mouse.move(canvas["x"] + canvas["width"] - 120, card["y"] + 40, steps=15)
    page.mouse.up()
    expect(page.get_by_test_id("inspector")).to_contain_text("check")

    # Then, once let go, the card is brought whole into view (it stayed cut under the
    # inspector's edge)
    page.wait_for_function(
        """() => {
            const canvas = document.querySelector('.designer-canvas').getBoundingClientRect();
            const box = document.querySelector(
                '.designer-canvas .react-flow__node[data-id="check"]').getBoundingClientRect();
            return box.left >= canvas.left - 0.5 && box.right <= canvas.right + 0.5;
        }""",
        timeout=5_000,
    )
    settled(page)
    assert in_view(page, "check")
    screenshot(page, "dragged-to-the-edge")


def cards_meeting(page: Any) -> list[list[str]]:
    """The pairs of cards that overlap on the canvas."""
    return page.evaluate("""() => {
        const cards = [...document.querySelectorAll('.designer-canvas .react-flow__node')]
            .map((card) => [card.dataset.id, card.getBoundingClientRect()]);
        const hits = [];
        cards.forEach(([a, p], i) => cards.slice(i + 1).forEach(([b, q]) => {
            if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) {
                hits.push([a, b]);
            }
        }));
        return hits;
    }""")


def test_a_block_clicked_with_a_step_selected_follows_that_step(
    page, live_server, staff_user, screenshot
):
    # Given the welcome flow with `greet` selected
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    node(page, "greet").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("greet")

    # When the person clicks a tool in the palette
    page.get_by_test_id("palette-search").fill("send email")
    page.get_by_test_id("palette-item-send_email").click()

    # Then it runs after greet, to its right or below, clear of the other cards, and is the
    # step the inspector shows, so the next click follows it in turn
    added = node(page, "send_email")
    expect(page.get_by_test_id("rf__edge-after:greet->send_email")).to_have_count(1)
    expect(added).to_have_class(re.compile(r"\bselected\b"))
    expect(page.get_by_test_id("inspector")).to_contain_text("send_email")
    greet, card = settled_box(node(page, "greet")), settled_box(added)
    assert card["x"] >= greet["x"] + greet["width"] or card["y"] >= greet["y"] + greet["height"]
    assert cards_meeting(page) == []
    screenshot(page, "added-after")

    # and Enter on a palette item does the same: the value follows send_email
    page.get_by_test_id("palette-search").fill("")
    page.get_by_test_id("palette-item-value").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("rf__edge-after:send_email->value")).to_have_count(1)
    assert cards_meeting(page) == []

    # One undo takes the value and its connection away together
    page.get_by_test_id("undo").click()
    expect(node(page, "value")).to_have_count(0)
    expect(page.get_by_test_id("rf__edge-after:send_email->value")).to_have_count(0)
    expect(page.get_by_test_id("rf__edge-after:greet->send_email")).to_have_count(1)


def test_a_block_clicked_on_a_branch_takes_its_empty_arm_and_unselected_stands_alone(
    page, live_server, staff_user
):
    # Given a branch whose `then` arm has a step (placed below it) and whose `else` arm none
    ir = {
        "name": "Greet good addresses",
        "input_schema": {"type": "object", "properties": {"email": {"type": "string"}}},
        "nodes": [
            {
                "id": "check",
                "type": "tool",
                "tool": "validate_email",
                "inputs": {"email": "input.email"},
                "position": {"x": 0, "y": 0},
            },
            {
                "id": "is_valid",
                "type": "branch",
                "condition": "check.valid",
                "then": ["greet"],
                "else": [],
                "position": {"x": 320, "y": 0},
            },
            {
                "id": "greet",
                "type": "tool",
                "tool": "send_welcome_email",
                "inputs": {"email": "input.email", "name": "'friend'"},
                "position": {"x": 320, "y": 220},
            },
        ],
    }
    flow = make(staff_user, ir)
    open_designer(page, live_server, flow)

    # When the branch is selected and a block clicked, it goes on the empty arm
    node(page, "is_valid").click()
    page.get_by_test_id("palette-item-value").click()
    expect(page.get_by_test_id("rf__edge-arm:is_valid:else->value")).to_have_count(1)
    # level with the arm it hangs from, so the edge runs straight
    arm = settled_box(node(page, "is_valid").locator('.react-flow__handle[data-handleid="else"]'))
    into = settled_box(node(page, "value").locator('.react-flow__handle[data-handleid="in"]'))
    assert abs((arm["y"] + arm["height"] / 2) - (into["y"] + into["height"] / 2)) <= 2

    # With nothing selected, a clicked block is added on its own, as before
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("inspector")).to_have_count(0)
    page.get_by_test_id("palette-item-output").click()
    expect(node(page, "output")).to_be_visible()
    expect(page.locator('[data-testid^="rf__edge-"][data-testid$="->output"]')).to_have_count(0)
    assert cards_meeting(page) == []


def test_the_refine_panel_docks_beside_the_graph_and_covers_no_card(
    page, live_server, staff_user, screenshot
):
    # Given a five-step flow wholly in view, and the person has clicked on the canvas
    flow = make(staff_user, chain(5))
    open_designer(page, live_server, flow)
    settled(page)
    page.get_by_test_id("canvas").click(position={"x": 30, "y": 30})
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []

    # When refine by instruction is opened
    page.get_by_test_id("refine-button").click()
    panel = page.get_by_test_id("refine-panel")
    expect(panel.get_by_test_id("refine-input")).to_be_focused()
    settled(page)

    # Then it stands beside the canvas, not over it, and the flow stays readable, its start
    # in view and no card cut at the canvas's edge
    canvas = page.get_by_test_id("canvas").bounding_box()
    side = panel.bounding_box()
    assert side["x"] >= canvas["x"] + canvas["width"] - 1
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert in_view(page, "step_1")
    assert page.evaluate(CARDS_CUT) == []
    screenshot(page, "refine-open")

    # and a step selected meanwhile opens its inspector in the same column, in front of the
    # panel (which stays a tab behind it, one click away)
    node(page, "step_2").click()
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_contain_text("step_2")
    expect(panel).to_be_hidden()
    assert abs(inspector.bounding_box()["x"] - side["x"]) < 1
    expect(page.get_by_test_id("side-tab-refine")).to_have_attribute("aria-selected", "false")
    screenshot(page, "refine-and-inspector")


def test_refine_and_the_flow_settings_open_together_are_tabs_of_one_column(
    page, live_server, staff_user, screenshot
):
    # Given the welcome flow, with refine open and an instruction typed in it
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    settled(page)
    page.get_by_test_id("refine-button").click()
    page.get_by_test_id("refine-input").fill("also email the manager when it fails")
    side = page.get_by_test_id("designer-side")
    expect(side.get_by_role("tab")).to_have_count(0)

    # When the flow's settings are opened too
    page.get_by_test_id("canvas").click(position={"x": 30, "y": 30})
    page.get_by_test_id("flow-settings-button").click()

    # Then they are shown in front at the column's full height, not squeezed under refine's
    # form; refine is a tab beside them
    settings_tab = page.get_by_test_id("side-tab-inspector")
    refine_tab = page.get_by_test_id("side-tab-refine")
    expect(settings_tab).to_have_text("Settings")
    expect(settings_tab).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("refine-panel")).to_be_hidden()
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_be_visible()
    column = side.bounding_box()
    tabs = side.get_by_role("tablist").bounding_box()
    box = inspector.bounding_box()
    assert abs(box["y"] - (tabs["y"] + tabs["height"])) < 2
    assert abs((box["y"] + box["height"]) - (column["y"] + column["height"])) < 2
    # and the toolbar presses the button of the panel shown, not of the one behind a tab
    settings_button = page.get_by_test_id("flow-settings-button")
    refine_button = page.get_by_test_id("refine-button")
    expect(settings_button).to_have_attribute("aria-pressed", "true")
    expect(refine_button).to_have_attribute("aria-pressed", "false")
    screenshot(page, "settings-in-front")

    # and refine's tab brings it back with the instruction as it was typed
    refine_tab.click()
    expect(page.get_by_test_id("refine-panel")).to_be_visible()
    typed = "also email the manager when it fails"
    expect(page.get_by_test_id("refine-input")).to_have_value(typed)
    expect(inspector).to_have_count(0)
    expect(refine_button).to_have_attribute("aria-pressed", "true")
    expect(settings_button).to_have_attribute("aria-pressed", "false")
    screenshot(page, "refine-in-front")

    # and the toolbar's Settings button brings the settings to the front; clicked again, it
    # closes them and refine has the column to itself, with no tabs
    page.get_by_test_id("flow-settings-button").click()
    expect(settings_tab).to_have_attribute("aria-selected", "true")
    page.get_by_test_id("flow-settings-button").click()
    expect(page.get_by_test_id("inspector")).to_have_count(0)
    expect(page.get_by_test_id("refine-panel")).to_be_visible()
    expect(side.get_by_role("tab")).to_have_count(0)


def test_a_small_flow_stays_readable_beside_the_refine_and_settings_panels(
    page, live_server, staff_user, screenshot
):
    # Given the welcome flow (a check, a branch and its two arms), opened at its own size
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    settled(page)
    opened = zoom(page)
    assert opened >= 0.95, opened

    # When refine by instruction docks beside the canvas
    page.get_by_test_id("refine-button").click()
    expect(page.get_by_test_id("refine-panel")).to_be_visible()
    settled(page)

    # Then the graph is not shrunk to fit the room left (about 70%): it stays readable, its
    # first steps stay in view, and no card is cut in half at the canvas's edge
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert in_view(page, "check")
    assert in_view(page, "is_valid")
    assert page.evaluate(CARDS_CUT) == []
    screenshot(page, "refine")

    # and closing the panel shows the flow at its own size again
    page.get_by_test_id("refine-button").click()
    expect(page.get_by_test_id("refine-panel")).to_have_count(0)
    settled(page)
    assert abs(zoom(page) - opened) < 0.01
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []

    # The same for the flow's settings, opened after the person clicked on the canvas
    page.get_by_test_id("canvas").click(position={"x": 30, "y": 30})
    page.get_by_test_id("flow-settings-button").click()
    expect(page.get_by_test_id("flow-settings-close")).to_be_visible()
    settled(page)
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert in_view(page, "check")
    assert in_view(page, "is_valid")
    assert page.evaluate(CARDS_CUT) == []
    screenshot(page, "settings")
    page.get_by_test_id("flow-settings-close").click()
    settled(page)
    assert abs(zoom(page) - opened) < 0.01
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []


def test_a_three_step_flow_shows_all_its_steps_beside_the_refine_panel(
    page, live_server, staff_user, screenshot
):
    # Given a flow of three steps in a row, wholly in view in a 1280 x 800 window
    page.set_viewport_size({"width": 1280, "height": 800})
    flow = make(staff_user, chain(3))
    open_designer(page, live_server, flow)
    settled(page)
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []

    # When refine by instruction docks beside the canvas
    page.get_by_test_id("refine-button").click()
    expect(page.get_by_test_id("refine-panel")).to_be_visible()
    settled(page)

    # Then every step is still in view (folded, or a little smaller), at a readable zoom
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    screenshot(page, "refine")

    # and closing the panel puts the steps back in one row, wholly in view
    page.get_by_test_id("refine-button").click()
    expect(page.get_by_test_id("refine-panel")).to_have_count(0)
    settled(page)
    tops = {round(settled_box(node(page, f"step_{i}"))["y"]) for i in (1, 2, 3)}
    assert len(tops) == 1, tops
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []

    # and the same when the flow is opened with the panel already there (a reload keeps
    # nothing open, so the panel is opened before the layout settles)
    page.reload()
    page.get_by_test_id("refine-button").click()
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    settled(page)
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []
    assert zoom(page) >= READABLE - 0.001, zoom(page)


def test_seven_steps_fold_into_even_rows_with_no_step_left_alone(
    page, live_server, staff_user, screenshot
):
    # Given a chain of seven steps opened in a 1060 x 800 window: two columns a row would
    # show it largest, as 2, 2, 2 and 1
    page.set_viewport_size({"width": 1060, "height": 800})
    flow = make(staff_user, chain(7))
    open_designer(page, live_server, flow)
    settled(page)

    # Then its rows hold as many steps each, give or take one, none alone on its row
    tops: dict[int, int] = {}
    for i in range(1, 8):
        top = round(settled_box(node(page, f"step_{i}"))["y"])
        tops[top] = tops.get(top, 0) + 1
    counts = [tops[top] for top in sorted(tops)]
    assert len(counts) > 1, counts
    assert min(counts) > 1, counts
    # all of it in view, readable, no card cut, and the lines between the rows too
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert page.evaluate(LINES_OUT_OF_VIEW) == []
    screenshot(page, "even-rows")


def test_a_small_flow_stays_readable_beside_the_refine_panel_in_a_narrow_window(
    page, live_server, staff_user, screenshot
):
    # Given the welcome flow opened in a 1024 x 768 window (a little under its own size)
    page.set_viewport_size({"width": 1024, "height": 768})
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    settled(page)
    opened = zoom(page)
    assert opened >= READABLE, opened

    # When refine docks beside the canvas, the flow is not shrunk to about half
    page.get_by_test_id("refine-button").click()
    expect(page.get_by_test_id("refine-panel")).to_be_visible()
    settled(page)
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert in_view(page, "check")
    assert page.evaluate(CARDS_CUT) == []
    # and the panel, the canvas and the palette share the window: nothing runs off its edge
    side = page.get_by_test_id("refine-panel").bounding_box()
    assert side["x"] + side["width"] <= 1024
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1024
    screenshot(page, "narrow-refine")


def test_a_cards_title_of_a_planners_length_reads_whole_in_its_header(
    page, live_server, staff_user, screenshot
):
    # Given the welcome flow, its steps titled as a planner titles them
    ir = copy.deepcopy(WELCOME)
    titles = {"check": "Validate the customer's email address",
              "greet": "Send the welcome email to the new user",
              "report": "Open a support ticket about the bad signup"}
    for step in ir["nodes"]:
        if step["id"] in titles:
            step["title"] = titles[step["id"]]
    flow = make(staff_user, ir)
    open_designer(page, live_server, flow)
    settled(page)

    # Then each title reads whole (on two lines), none cut, and the headers keep their height
    for node_id, title in titles.items():
        heading = node(page, node_id).locator(".fn-title")
        expect(heading).to_have_text(title)
        assert heading.evaluate(
            "(t) => t.scrollHeight <= t.clientHeight + 1 && t.scrollWidth <= t.clientWidth + 1"
        ), node_id
    heights = page.locator(".designer-canvas .fn-head").evaluate_all(
        "(all) => all.map((head) => head.offsetHeight)")
    assert set(heights) == {50}, heights
    screenshot(page, "titles")


def test_the_refine_panel_offers_instructions_for_the_flow_and_keeps_the_recent_ones(
    page, live_server, staff_user, screenshot
):
    # Given the welcome flow, refine by instruction opened beside it
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    page.get_by_test_id("refine-button").click()
    panel = page.get_by_test_id("refine-panel")
    expect(panel).to_be_visible()

    # Then the panel fills its column, no blank below it: instructions written for this
    # flow's steps to click, and what the planner understands, at its foot
    canvas = page.get_by_test_id("canvas").bounding_box()
    side = panel.bounding_box()
    body = page.locator(".designer-body").bounding_box()
    assert side["y"] + side["height"] >= body["y"] + body["height"] - 2, (side, body)
    picks = panel.get_by_test_id("refine-suggestion")
    expect(picks).to_have_count(3)
    expect(picks.first).to_have_text("Ask managers to approve greet")
    forms = panel.locator(".refine-forms").bounding_box()
    assert forms["y"] + forms["height"] <= side["y"] + side["height"] + 1
    assert forms["y"] > picks.last.bounding_box()["y"]
    expect(panel.get_by_test_id("refine-recent")).to_have_count(0)
    expect(panel.get_by_test_id("refine-recent-empty")).to_be_visible()
    assert side["x"] >= canvas["x"] + canvas["width"] - 1
    screenshot(page, "refine-panel")

    # When one is clicked, it is put in the box to edit or preview
    panel.get_by_test_id("refine-suggestion").nth(1).click()
    expect(panel.get_by_test_id("refine-input")).to_have_value("Retry check 3 times")
    expect(panel.get_by_test_id("refine-input")).to_be_focused()

    # and once previewed (by the offline planner) it is among the recent ones, kept for the
    # next visit
    panel.get_by_test_id("refine-submit").click()
    expect(page.get_by_test_id("diff-view")).to_be_visible(timeout=20_000)
    page.get_by_test_id("refine-discard").click()
    expect(panel.get_by_test_id("refine-recent")).to_have_text(["Retry check 3 times"])
    expect(panel.get_by_test_id("refine-recent-empty")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    page.get_by_test_id("refine-button").click()
    expect(page.get_by_test_id("refine-recent")).to_have_text(["Retry check 3 times"])

    # When a step is picked, its inspector comes in front, refine a tab behind it that brings
    # the panel back whole, suggestions and all
    node(page, "greet").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("greet")
    expect(page.get_by_test_id("refine-input")).to_be_hidden()
    screenshot(page, "refine-and-inspector")
    page.get_by_test_id("side-tab-refine").click()
    expect(page.get_by_test_id("refine-input")).to_be_visible()
    expect(page.get_by_test_id("refine-suggestion").first).to_be_visible()


def test_the_refine_panel_lists_each_form_refine_understands_and_its_example_works(
    page, live_server, staff_user, screenshot
):
    # Given a flow planned from a prompt that emails a receipt, refine opened beside it
    page.goto(live_server("/flows/new"))
    page.get_by_test_id("plan-prompt").fill(
        "Validate order 42, then charge it $120 and email the receipt to ana@shop.io"
    )
    page.get_by_test_id("planner-offline").click()
    page.get_by_test_id("plan-submit").click()
    page.wait_for_url(re.compile(r"/flows/\d+/v/\d+$"), timeout=30_000)
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    page.get_by_test_id("refine-button").click()
    panel = page.get_by_test_id("refine-panel")

    # Then what it can be asked names each form, copying someone in among them, with its
    # example to read
    forms = panel.get_by_test_id("refine-example")
    expect(forms).to_have_count(14)
    expect(forms).to_contain_text(["Add a step", "Copy someone in", "Guard a step"])
    example = forms.filter(has_text="Copy someone in")
    expect(example).to_have_attribute("title", "e.g. “also cc bob@x.com on the receipt”")
    screenshot(page, "refine-forms")

    # When it is clicked, its example is put in the box, and previewed, the receipt's email
    # copies bob in
    example.click()
    expect(panel.get_by_test_id("refine-input")).to_have_value("also cc bob@x.com on the receipt")
    panel.get_by_test_id("refine-submit").click()
    diff = page.get_by_test_id("diff-view")
    expect(diff).to_be_visible(timeout=20_000)
    expect(diff).to_contain_text("bob@x.com")


def test_the_versions_dock_beside_the_graph_and_cover_no_card(
    page, live_server, staff_user, screenshot
):
    from flows.api.services import flow_version_create

    # Given a five-step flow with two versions, wholly in view
    flow = make(staff_user, chain(5))
    flow_version_create(flow=flow, author=staff_user, ir=chain(5) | {"description": "Again."})
    open_designer(page, live_server, flow)
    settled(page)
    page.get_by_test_id("canvas").click(position={"x": 30, "y": 30})
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []

    # When the versions are opened
    page.get_by_test_id("versions-button").click()
    panel = page.get_by_test_id("versions-drawer")
    expect(panel.locator(".version-item")).to_have_count(2)
    settled(page)

    # Then they stand beside the canvas, not over it, and the flow stays readable from its start
    canvas = page.get_by_test_id("canvas").bounding_box()
    side = panel.bounding_box()
    assert side["x"] >= canvas["x"] + canvas["width"] - 1, (side, canvas)
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert in_view(page, "step_1")
    assert page.evaluate(CARDS_CUT) == []
    screenshot(page, "versions-open")

    # and a step selected meanwhile opens its inspector in front of them, in the same column;
    # their tab brings them back
    node(page, "step_2").click()
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_contain_text("step_2")
    expect(panel).to_be_hidden()
    assert abs(inspector.bounding_box()["x"] - side["x"]) < 1
    page.get_by_test_id("side-tab-versions").click()
    expect(panel.get_by_test_id("diff-compare")).to_be_visible()


def test_a_name_the_flow_lacks_is_fixed_in_one_click_when_the_meant_one_is_plain(
    page, live_server, staff_user, screenshot
):
    # Given the welcome flow, its branch's condition written as a newcomer might
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    node(page, "is_valid").click()
    inspector = page.get_by_test_id("inspector")
    condition = inspector.locator('[data-field="condition"]')
    condition.locator("textarea").fill("Check.valid && email != ''")

    # Then the field says the names are unknown and offers what they plainly meant
    expect(condition).to_contain_text("unknown_reference")
    fix = condition.get_by_test_id("reference-fix")
    expect(fix).to_contain_text("check.valid && input.email != ''")
    screenshot(page, "reference-fix")

    # and one click writes it: the branch is valid again
    fix.get_by_role("button").click()
    expect(condition.locator("textarea")).to_have_value("check.valid && input.email != ''")
    expect(node(page, "is_valid")).to_have_attribute("data-valid", "true")
    expect(condition.get_by_test_id("reference-fix")).to_have_count(0)


def test_the_minimap_shows_only_while_part_of_the_flow_is_out_of_view(
    page, live_server, staff_user
):
    # Given a two-step flow wholly in view: no minimap covers the canvas's corner
    flow = make(staff_user, chain(2))
    open_designer(page, live_server, flow)
    settled(page)
    minimap = page.locator(".designer-canvas .designer-minimap")
    expect(minimap).to_have_count(0)

    # When the person zooms in until part of it is out of view, the minimap comes
    zoom_in = page.locator(".designer-canvas .react-flow__controls-zoomin")
    for _ in range(4):
        zoom_in.click()
    expect(minimap).to_be_visible()

    # and goes again when the view fits the flow
    page.locator(".designer-canvas .react-flow__controls-fitview").click()
    expect(minimap).to_have_count(0)


def lanes(count: int, depth: int) -> dict[str, Any]:
    """A start step, then `count` parallel lanes of `depth` steps, then a step after them
    all: a flow too wide and, folded, too tall for the canvas."""
    flow = chain(1)
    ends = []
    for lane in range(count):
        previous = "step_1"
        for step in range(depth):
            step_id = f"lane_{lane}_{step}"
            flow["nodes"].append(
                {
                    "id": step_id,
                    "type": "tool",
                    "tool": "validate_email",
                    "inputs": {"email": "input.email"},
                    "after": [previous],
                }
            )
            previous = step_id
        ends.append(previous)
    flow["nodes"].append(
        {
            "id": "finish",
            "type": "tool",
            "tool": "validate_email",
            "inputs": {"email": "input.email"},
            "after": ends,
        }
    )
    flow["name"] = f"{count} lanes of {depth}"
    return flow


# The ids of the cards the zoom buttons lie over (the buttons in the canvas's bottom left).
CARDS_UNDER_THE_ZOOM_BUTTONS = """() => {
    const buttons = document.querySelector('.designer-canvas .react-flow__controls')
        .getBoundingClientRect();
    return [...document.querySelectorAll('.designer-canvas .react-flow__node')].filter((card) => {
        const box = card.getBoundingClientRect();
        return box.left < buttons.right && buttons.left < box.right
            && box.top < buttons.bottom && buttons.top < box.bottom;
    }).map((card) => card.dataset.id);
}"""


def test_a_flow_too_wide_and_too_tall_opens_with_its_bottom_row_whole(
    page, live_server, staff_user, screenshot
):
    # Given four lanes of six steps, opened in a 1280 x 720 window: folded, too wide and too
    # tall for the canvas at a readable zoom (the first view cut its bottom row in half)
    page.set_viewport_size({"width": 1280, "height": 720})
    flow = make(staff_user, lanes(4, 6))
    open_designer(page, live_server, flow)
    settled(page)

    # Then it opens on its start at a readable zoom, no card cut at the canvas's edge
    assert in_view(page, "step_1")
    assert zoom(page) >= READABLE - 0.001, zoom(page)
    assert page.evaluate(CARDS_CUT) == []
    # nor under the zoom buttons, nor under the minimap
    assert page.evaluate(CARDS_UNDER_THE_ZOOM_BUTTONS) == []
    assert page.evaluate(CARDS_UNDER_THE_MINIMAP) == []
    screenshot(page, "4-lanes-of-6-at-1280x720")
    # which shows the rest once the person moves the view
    canvas = page.get_by_test_id("canvas").bounding_box()
    page.mouse.move(canvas["x"] + canvas["width"] / 2, canvas["y"] + 40)
    page.mouse.wheel(0, 120)
    expect(page.locator(".designer-canvas .designer-minimap")).to_be_visible()

    # and so in a 1100 x 800 window
    page.set_viewport_size({"width": 1100, "height": 800})
    open_designer(page, live_server, flow)
    settled(page)
    assert page.evaluate(CARDS_CUT) == []
    assert page.evaluate(CARDS_UNDER_THE_ZOOM_BUTTONS) == []
    assert page.evaluate(CARDS_UNDER_THE_MINIMAP) == []
    screenshot(page, "4-lanes-of-6-at-1100x800")

    # and so in a 1400 x 900 window, five lanes of five (a card was under the zoom buttons)
    page.set_viewport_size({"width": 1400, "height": 900})
    flow = make(staff_user, lanes(5, 5))
    open_designer(page, live_server, flow)
    settled(page)
    assert page.evaluate(CARDS_CUT) == []
    assert page.evaluate(CARDS_UNDER_THE_ZOOM_BUTTONS) == []


# The cards' extent inside the canvas: the room left of them and right of them, in pixels.
CARDS_MARGINS = """() => {
    const canvas = document.querySelector('.designer-canvas').getBoundingClientRect();
    const boxes = [...document.querySelectorAll('.designer-canvas .react-flow__node')]
        .map((card) => card.getBoundingClientRect());
    return {
        left: Math.min(...boxes.map((box) => box.left)) - canvas.left,
        right: canvas.right - Math.max(...boxes.map((box) => box.right)),
    };
}"""


def test_closing_the_inspector_after_adding_a_last_step_shows_the_whole_flow(
    page, live_server, staff_user, screenshot
):
    # Given a chain of eight steps, whole in view in three rows, its last step picked
    flow = make(staff_user, chain(8))
    open_designer(page, live_server, flow)
    settled(page)
    node(page, "step_8").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("step_8")

    # When a step is added after it from the palette (the view moves to the new step beside
    # the inspector), then the inspector is closed
    page.get_by_test_id("palette-item-send_email").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("send_email")
    settled(page)
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("inspector")).to_have_count(0)
    settled(page)

    # Then the whole flow shows, centred at its cards' size as a flow that reads whole opens,
    # not the view from before the step came, nor one pushed against the canvas's left edge
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []
    assert zoom(page) >= 0.9, zoom(page)
    margins = page.evaluate(CARDS_MARGINS)
    assert abs(margins["left"] - margins["right"]) < 30, margins
    screenshot(page, "closed-after-adding")


def test_a_version_saved_beside_the_inspector_opens_in_one_row_on_the_whole_canvas(
    page, live_server, staff_user, screenshot
):
    # Given a chain of three steps nobody arranged, its middle step picked: the inspector
    # docks beside the canvas, and the layout folds into rows for the room left
    flow = make(staff_user, chain(3))
    open_designer(page, live_server, flow)
    settled(page)
    assert page.evaluate(CARD_ROWS) == [["step_1", "step_2", "step_3"]]
    node(page, "step_2").click()
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_contain_text("step_2")
    settled(page)
    assert len(page.evaluate(CARD_ROWS)) > 1, page.evaluate(CARD_ROWS)

    # When the step is retitled and the flow saved with the inspector still open
    inspector.get_by_label("Title").fill("Check it again")
    page.get_by_test_id("save-version").click()
    expect(page).to_have_url(re.compile(rf"/flows/{flow.pk}/v/2$"))
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-dirty", "false")

    # Then the fold for the narrowed canvas is not saved as the steps' places
    saved = FlowVersion.objects.get(flow=flow, number=2)
    assert not any("position" in step for step in saved.ir["nodes"]), saved.ir["nodes"]

    # and the version, opened again with no step picked, reads in one row as before
    open_designer(page, live_server, flow, version=2)
    settled(page)
    assert page.evaluate(CARD_ROWS) == [["step_1", "step_2", "step_3"]]
    screenshot(page, "saved-beside-inspector-reopened")


def run_on(count: int) -> dict[str, Any]:
    """A chain of `count` steps where every later step also reads the first two, as a
    planner writes a long order flow: each read of an early step is a line back across it."""
    flow = chain(count)
    for step in flow["nodes"][2:]:
        step["inputs"] = {"email": "step_1.email + step_2.email"}
    flow["nodes"][1]["inputs"] = {"email": "step_1.email"}
    return flow


# Each row of cards (cards whose tops are within a few pixels), as lists of ids, top to bottom.
CARD_ROWS = """() => {
    const cards = [...document.querySelectorAll('.designer-canvas .react-flow__node')]
        .map((card) => ({ id: card.dataset.id, box: card.getBoundingClientRect() }))
        .sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left);
    const rows = [];
    for (const card of cards) {
        const row = rows[rows.length - 1];
        if (row && Math.abs(row.top - card.box.top) < 4) row.ids.push(card.id);
        else rows.push({ top: card.box.top, ids: [card.id] });
    }
    return rows.map((row) => row.ids);
}"""

# Whether an edge is drawn to be seen.
EDGE_SHOWN = "(edge) => getComputedStyle(edge).opacity !== '0'"


def test_a_run_on_flow_reads_in_rows_and_shows_a_steps_reads_when_it_is_picked(
    page, live_server, staff_user, screenshot
):
    # Given a 12-step chain whose every step reads the first two, never laid out
    flow = make(staff_user, run_on(12))
    open_designer(page, live_server, flow)
    settled(page)

    # Then it reads in straight rows, in order, left to right and top to bottom
    rows = page.evaluate(CARD_ROWS)
    assert len(rows) > 1, rows
    assert [card for row in rows for card in row] == [f"step_{i}" for i in range(1, 13)], rows
    assert page.evaluate(CARDS_OUT_OF_VIEW) == []
    # and only the order is drawn: a read that the chain already implies is not
    shortcut = page.get_by_test_id("rf__edge-data:step_1->step_9")
    expect(shortcut).to_have_count(1)
    assert not shortcut.evaluate(EDGE_SHOWN)
    assert page.get_by_test_id("rf__edge-after:step_1->step_2").evaluate(EDGE_SHOWN)
    screenshot(page, "rows")

    # When a step is picked, what it reads shows, and hides again when it is let go
    node(page, "step_9").click()
    page.wait_for_function(
        f"() => ({EDGE_SHOWN})(document.querySelector("
        "'[data-testid=\"rf__edge-data:step_1->step_9\"]'))"
    )
    expect(shortcut).to_have_class(re.compile(r"\bedge-lit\b"))
    assert not page.get_by_test_id("rf__edge-data:step_1->step_4").evaluate(EDGE_SHOWN)
    screenshot(page, "picked")
    page.get_by_test_id("canvas").click(position={"x": 20, "y": 20})
    expect(shortcut).not_to_have_class(re.compile(r"\bedge-lit\b"))
    page.wait_for_function(
        f"() => !({EDGE_SHOWN})(document.querySelector("
        "'[data-testid=\"rf__edge-data:step_1->step_9\"]'))"
    )




def test_opening_a_steps_inspector_keeps_it_in_view_at_a_readable_zoom(
    page, live_server, staff_user, screenshot
):
    # Given a run-on flow whose first step every later step reads (its lines reach across
    # every row), opened in the designer
    flow = make(staff_user, run_on(20))
    open_designer(page, live_server, flow)
    settled(page)
    before = zoom(page)

    # When that step is picked, and the inspector takes its column beside the canvas
    node(page, "step_1").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("step_1")
    settled(page)

    # Then the view does not zoom out to bring every step it is wired to in: the step is in
    # view at a zoom its card can be read at
    assert zoom(page) >= min(before, READABLE) - 0.01, (before, zoom(page))
    assert "step_1" not in page.evaluate(CARDS_OUT_OF_VIEW)
    screenshot(page, "picked-first")

    # and a step in the middle, picked next, keeps it so too
    node(page, "step_11").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("step_11")
    settled(page)
    assert zoom(page) >= min(before, READABLE) - 0.01, (before, zoom(page))
    assert "step_11" not in page.evaluate(CARDS_OUT_OF_VIEW)


def test_a_version_diff_hides_the_reads_the_designer_hides_until_a_step_is_pointed_at(
    page, live_server, staff_user, screenshot
):
    from flows.api.services import flow_version_create
    from tests.browser.test_designer import WELCOME

    # Given a flow whose report reads check, which it already waits for through the branch,
    # and a second version that adds a step
    flow = make(staff_user)
    second = copy.deepcopy(WELCOME)
    second["nodes"].append({"id": "log", "type": "value", "value": "greet", "after": ["greet"]})
    flow_version_create(flow=flow, author=staff_user, ir=second)
    open_designer(page, live_server, flow)

    # When the two versions are compared
    page.get_by_test_id("versions-button").click()
    page.get_by_test_id("diff-from").select_option("1")
    page.get_by_test_id("diff-to").select_option("2")
    page.get_by_test_id("diff-compare").click()
    diff = page.get_by_test_id("diff-view")
    expect(diff.get_by_test_id("diff-graph")).to_have_attribute("data-ready", "true")

    # Then the diff draws that read as the designer does: not until report is pointed at
    shortcut = diff.get_by_test_id("rf__edge-data:check->report")
    expect(shortcut).to_have_count(1)
    assert not shortcut.evaluate(EDGE_SHOWN)
    assert diff.get_by_test_id("rf__edge-data:check->is_valid").evaluate(EDGE_SHOWN)
    screenshot(page, "diff")
    diff.locator('.fn-card[data-node-id="report"]').hover()
    expect(shortcut).to_have_class(re.compile(r"\bedge-lit\b"))
    page.wait_for_function(
        f"() => ({EDGE_SHOWN})(document.querySelector("
        "'[data-testid=\"diff-view\"] [data-testid=\"rf__edge-data:check->report\"]'))"
    )


def test_an_approvals_context_shows_each_name_whole_and_the_values_in_line(
    page, live_server, staff_user, screenshot
):
    # Given an approval that shows the approver a short and a long name
    flow = make(staff_user, {
        "name": "Gift",
        "input_schema": {"type": "object", "properties": {"email": {"type": "string"}}},
        "nodes": [
            {"id": "lookup_user", "type": "tool", "tool": "validate_email",
             "inputs": {"email": "input.email"}},
            {"id": "ok", "type": "approval", "title": "Approve the gift",
             "instructions": "Approve the gift.",
             "context": {"email": "input.email", "lookup_user": "lookup_user"},
             "form_schema": {"type": "object", "properties": {}},
             "assignees": {"users": [staff_user.username]}},
        ],
    })
    open_designer(page, live_server, flow)
    node(page, "ok").click()

    # Then every name is shown whole, and the expressions start at one line
    names = page.get_by_test_id("inspector").locator(".expr-map-key")
    expect(names).to_have_count(2)
    for index in range(2):
        assert names.nth(index).evaluate("(el) => el.scrollWidth <= el.clientWidth"), index
    values = page.get_by_test_id("inspector").locator(".expr-map-row textarea")
    lefts = {round(values.nth(index).bounding_box()["x"]) for index in range(2)}
    assert len(lefts) == 1, lefts
    # under a head saying which column is which (`email` beside `input.email`)
    head = page.get_by_test_id("inspector").get_by_test_id("expr-map-head")
    expect(head).to_have_text("NameExpression")
    # and the card shows the instructions as text, the context as expressions
    card = node(page, "ok")
    expect(card.locator('.fn-value[data-value-kind="text"]')).to_have_text("Approve the gift.")
    expect(card.locator('.fn-value[data-value-kind="expression"]').first).to_have_text("input.email")
    screenshot(page, "context")


def test_an_approvals_context_of_long_names_shows_each_value_on_one_line(
    page, live_server, staff_user, screenshot
):
    # Given an approval showing the approver two steps of long names, as the planner writes
    flow = make(
        staff_user,
        {
            "name": "Charge",
            "input_schema": {
                "type": "object",
                "properties": {"email": {"type": "string"}, "amount": {"type": "number"}},
            },
            "nodes": [
                {
                    "id": "validate_email",
                    "type": "tool",
                    "tool": "validate_email",
                    "inputs": {"email": "input.email"},
                },
                {
                    "id": "process_payment",
                    "type": "tool",
                    "tool": "process_payment",
                    "inputs": {"amount": "input.amount", "order_id": "'o-1'"},
                },
                {
                    "id": "ok",
                    "type": "approval",
                    "title": "Manager approval",
                    "instructions": "Approve the charge.",
                    "context": {
                        "input": "input",
                        "validate_email": "validate_email",
                        "process_payment": "process_payment",
                    },
                    "form_schema": {"type": "object", "properties": {}},
                    "assignees": {"users": [staff_user.username]},
                },
            ],
        },
    )
    open_designer(page, live_server, flow)
    node(page, "ok").click()
    rows = page.get_by_test_id("inspector").locator(".expr-map-row")
    expect(rows).to_have_count(3)

    # Then each value reads on one line, under its name (beside a long name it was too narrow
    # and broke inside the name: `validate_e` / `mail`), all as tall as the short one
    heights = set()
    for index in range(3):
        name = rows.nth(index).locator(".expr-map-key").bounding_box()
        value = rows.nth(index).locator("textarea").bounding_box()
        assert value["y"] >= name["y"] + name["height"], index
        heights.add(round(value["height"]))
    assert len(heights) == 1, heights
    # and the names read as the captions of their values (`input` above `input` read as the
    # same box twice): said above them, and drawn as a caption, not as a second field
    head = page.get_by_test_id("inspector").get_by_test_id("expr-map-head")
    expect(head).to_have_text("Name, with its expression under it")
    key = rows.nth(0).locator(".expr-map-key")
    assert key.evaluate("(el) => getComputedStyle(el).borderTopColor") == "rgba(0, 0, 0, 0)"
    assert key.evaluate("(el) => getComputedStyle(el).fontWeight") == "600"
    screenshot(page, "long-context-names")


def test_a_big_flow_keeps_its_minimap_with_all_of_it_in_view(page, live_server, staff_user):
    # Given a flow of 61 steps open in the designer
    open_designer(page, live_server, make(staff_user, chain(61)))
    minimap = page.locator(".designer-canvas .designer-minimap")
    expect(minimap).to_be_visible()

    # When it is fitted whole in the canvas (small cards, nothing off screen)
    page.locator(".designer-canvas .react-flow__controls-fitview").click()
    # (the fit eases in: waited for, not given a fixed time, which a loaded machine outran)
    page.wait_for_function(f"({CARDS_OUT_OF_VIEW})().length === 0", timeout=10_000)

    # Then the minimap stays, to find a step by its place in the flow
    expect(minimap).to_be_visible()
